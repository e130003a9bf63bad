/**
 * The run queue and the channel queues under random programs (S2, S4, T6, T8, C2): after every step, the ring is
 * a consistent circle of the runnable tasklets with the current one in it, `runcount` is its length, every
 * channel's queue is a consistent list of its blocked tasklets whose length is |balance|, and every tasklet is in
 * exactly one state of T6's table.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { native, sync } from '@greenstackless/greenlet';
import { createStackless, TaskletExit, type ChannelType, type Stackless, type TaskletType } from './helpers.js';

type Step = { kind: 'schedule' | 'remove' | 'end' | 'tick' } | { kind: 'send' | 'recv'; ch: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant({ kind: 'schedule' as const }),
  fc.constant({ kind: 'remove' as const }),
  fc.constant({ kind: 'end' as const }),
  fc.constant({ kind: 'tick' as const }),
  fc.constant({ kind: 'tick' as const }),
  fc.record({ kind: fc.constant('send' as const), ch: fc.nat(1) }),
  fc.record({ kind: fc.constant('recv' as const), ch: fc.nat(1) }),
);

type Command =
  | { kind: 'spawn'; script: Step[] }
  | { kind: 'schedule' | 'run' | 'softRun' | 'hardRun' }
  | { kind: 'insert' | 'remove' | 'kill' | 'runIt' | 'switchTo' | 'throwPending'; which: number }
  | { kind: 'send' | 'recv'; ch: number };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('spawn' as const), script: fc.array(stepArb, { maxLength: 6 }) }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'schedule' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('run' as const, 'softRun' as const, 'hardRun' as const) }) },
  fc.record({
    kind: fc.constantFrom('insert' as const, 'remove' as const, 'kill' as const, 'runIt' as const, 'switchTo' as const, 'throwPending' as const),
    which: fc.nat(20),
  }),
  fc.record({ kind: fc.constantFrom('send' as const, 'recv' as const), ch: fc.nat(1) }),
);

/** Checks S2, S4, T6, T8 and C2 from the outside. */
function checkQueues(s: Stackless, tasklets: TaskletType[], channels: ChannelType[]): void {
  const inRing = new Set<TaskletType>();
  let t: TaskletType = s.current;
  do {
    expect(inRing.has(t), `${t} twice in the ring`).toBe(false);
    inRing.add(t);
    expect(t.next!.prev).toBe(t);
    expect([t.alive, t.scheduled, t.blocked, t.paused]).toEqual([true, true, false, false]);
    t = t.next!;
  } while (t !== s.current && inRing.size <= tasklets.length + 1);
  expect(t).toBe(s.current);
  expect(s.runcount).toBe(inRing.size);
  expect(s.getruncount()).toBe(inRing.size);
  const blocked = new Set<TaskletType>();
  for (const ch of channels) {
    let count = 0;
    let prev: TaskletType | null = null;
    for (let q = ch.queue; q !== null; q = q.next) {
      expect(q.prev).toBe(prev);
      expect([q.alive, q.blocked, q.scheduled, q.paused]).toEqual([true, true, true, false]);
      blocked.add(q);
      prev = q;
      count++;
    }
    expect(count).toBe(Math.abs(ch.balance));
  }
  for (const x of tasklets) {
    if (inRing.has(x) || blocked.has(x)) continue;
    expect([x.next, x.prev, x.scheduled, x.blocked]).toEqual([null, null, false, false]);
    expect(x.paused).toBe(x.alive);
  }
}

function* scripted(s: Stackless, channels: ChannelType[], script: Step[], log: string[]): Generator<unknown, void, unknown> {
  for (const step of script) {
    try {
      if (step.kind === 'schedule') yield* s.schedule();
      else if (step.kind === 'remove') yield* s.scheduleRemove();
      else if (step.kind === 'tick') yield* s.tick();
      else if (step.kind === 'send') yield* channels[step.ch].send(1);
      else if (step.kind === 'recv') yield* channels[step.ch].receive();
      else return;
    } catch (e) {
      if (e instanceof TaskletExit) throw e;
      log.push((e as Error).name);
    }
  }
}

describe('run queue and channel queue invariants under random programs', () => {
  it('S2/S4/T6/T8/C2: hold after every step of a random program', () => {
    const seen = { interrupts: 0, blocked: 0, errors: 0 };
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 30 }), (commands) => {
        const s = createStackless(native);
        const channels = [s.channel(), s.channel()];
        const tasklets: TaskletType[] = [];
        const log: string[] = [];
        const pick = (i: number) => tasklets.length === 0 ? undefined : tasklets[i % tasklets.length];
        for (const c of commands) {
          try {
            switch (c.kind) {
              case 'spawn':
                tasklets.push(s.tasklet(scripted).setup(s, channels, c.script, log));
                break;
              case 'schedule':
                sync(s.schedule());
                break;
              case 'run':
                sync(s.run());
                break;
              case 'softRun':
                sync(s.run({ timeout: 1, soft: true }));
                break;
              case 'hardRun': {
                const victim = sync(s.run({ timeout: 1 }));
                if (victim !== null) seen.interrupts++;
                if (victim !== null) expect([victim.alive, victim.paused]).toEqual([true, victim !== s.main]);
                break;
              }
              case 'send':
                sync(channels[c.ch].send(0));
                break;
              case 'recv':
                sync(channels[c.ch].receive());
                break;
              default: {
                const t = pick(c.which);
                if (t === undefined) break;
                if (c.kind === 'insert') t.insert();
                else if (c.kind === 'remove') t.remove();
                else if (c.kind === 'kill') sync(t.kill());
                else if (c.kind === 'runIt') sync(t.run());
                else if (c.kind === 'switchTo') sync(t.switch());
                else sync(t.throw(new TaskletExit(), { pending: true }));
              }
            }
          } catch (e) {
            // Misuse (T7) and deadlocks (C12, C13) are allowed outcomes; anything else is a bug.
            expect(e).toBeInstanceOf(s.StacklessError);
            seen.errors++;
          }
          if (channels[0].balance !== 0 || channels[1].balance !== 0) seen.blocked++;
          expect(s.current).toBe(s.main);
          checkQueues(s, tasklets, channels);
        }
        // Clean up: kill everything left, then nothing is scheduled but main.
        for (const t of tasklets) if (t.alive) sync(t.kill());
        expect(s.runcount).toBe(1);
        expect(channels.map((ch) => ch.balance)).toEqual([0, 0]);
      }),
      { numRuns: 300 },
    );
    // The programs reached the interesting states.
    expect(seen.interrupts).toBeGreaterThan(0);
    expect(seen.blocked).toBeGreaterThan(0);
    expect(seen.errors).toBeGreaterThan(0);
  });
});
