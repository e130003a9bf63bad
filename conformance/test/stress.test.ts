// Stress and hostile-input tests on every stack: createStackless(native) and
// createStackless(createGreenlet(createStackless(native))), and the greenlet modules native and greenlet-fix.
// Bounded to about a minute in all: seeded randomness, fixed sizes, a time bound on every test.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import * as greenlet from '@greenstackless/greenlet';
import { GreenletError, native, settrace, sync } from '@greenstackless/greenlet';
import type { GreenletModule } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createStackless, StacklessError, TaskletExit } from 'greenstackless';
import type { Stackless, Tasklet } from 'greenstackless';
import { HostileError, hostileValues } from '../src/hostile.js';

const stacks: [string, () => Stackless][] = [
  ['stackless(native)', () => createStackless(native)],
  ['stackless(fix(stackless(native)))', () => createStackless(createGreenlet(createStackless(native)))],
];

/** A small seeded generator (mulberry32), so that every run makes the same choices. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The instance still runs a program, and is clean afterwards. */
function runsNormally(s: Stackless): void {
  const ch = s.channel<number>();
  s.tasklet(function* () {
    yield* ch.send(1);
    yield* s.schedule();
  }).setup();
  expect(sync(ch.receive())).toBe(1);
  expect(sync(s.run())).toBe(null);
  expect(s.runcount).toBe(1);
  expect(s.current).toBe(s.main);
}

/**
 * What is wrong with the error `e` of a call given the hostile value `x`, or null. The value itself may come back
 * (thrown at once, T16, G21; a body's own error, G12), and so may the hostile value's own error (its getters) and an
 * instance of `x` made by raiseException or sendException (T19, C7). Any other error must be of a documented class
 * and say in words what went wrong.
 */
function judge(e: unknown, x: unknown): string | null {
  if (Object.is(e, x) || greenlet.isInstance(e, HostileError)) return null;
  if (typeof x === 'function' && greenlet.isInstance(e, x as any)) return null;
  const documented = [TypeError, StacklessError, GreenletError, RangeError].some((cls) => greenlet.isInstance(e, cls));
  if (!documented) return `threw ${greenlet.describeValue(e)}: ${greenlet.messageOf(e)}`;
  const message = (e as Error).message;
  if (typeof message !== 'string' || message.length === 0) return `${(e as Error).name} without a message`;
  // The engine's own words about the value ("Cannot perform 'get' on a proxy that has been revoked") first mean that
  // the package touched the value before checking it, instead of saying what is wrong with it.
  if (message.startsWith('Cannot ')) return `the engine's TypeError: ${message}`;
  return null;
}

/** Runs a fixture in a child `node --expose-gc` with the sources' condition, and parses its JSON line. */
function child(fixture: string, ...args: string[]): any {
  const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--conditions=@greenstackless/source', '--import', 'tsx', file, ...args],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 50_000 },
  );
  return JSON.parse(out.trim().split('\n').pop()!);
}

for (const [name, make] of stacks) {
  describe(`stress: ${name}`, () => {
    it('G32/S5: a native tracer that throws in a Stackless switch: the error comes out at the target op', () => {
      const s = make();
      const log: string[] = [];
      for (const who of ['a', 'b']) {
        s.tasklet(function* () {
          try {
            yield* s.schedule();
            log.push(`${who} resumed`);
          } catch (e) {
            log.push(`${who} caught ${(e as Error).message}`);
          }
        }).setup();
      }
      let n = 0;
      settrace(() => {
        if (++n === 3) throw new Error('tracer');
      });
      try {
        expect(sync(s.run())).toBe(null);
      } finally {
        settrace(null);
      }
      expect(log).toEqual(['a caught tracer', 'b resumed']);
      expect(s.runcount).toBe(1);
      runsNormally(s);
    });

    it('G32/T21: a native tracer that throws at a tasklet’s start: run() throws it, the instance stays usable', () => {
      const s = make();
      let ran = 0;
      const t = s.tasklet(function* () {
        ran++;
      }).setup();
      settrace(() => {
        throw new RangeError('tracer at start');
      });
      let caught: unknown;
      try {
        sync(s.run());
      } catch (e) {
        caught = e;
      } finally {
        settrace(null);
      }
      expect(caught).toBeInstanceOf(RangeError);
      expect(s.current).toBe(s.main);
      // Natively the tasklet died at its start; under greenlet-fix its start was undone and it is still runnable.
      expect(sync(s.run())).toBe(null);
      expect(ran).toBeLessThanOrEqual(1);
      expect(t.alive).toBe(false);
      expect(s.runcount).toBe(1);
      runsNormally(s);
    });

    it('H10: a greenlet overflow chain after a Stackless one ends, and both leave everything consistent', () => {
      const s = make();
      const sbody = (d: number): number => {
        sync(s.tasklet(sbody, [d + 1]).run());
        return 0;
      };
      expect(() => sync(s.tasklet(sbody, [1]).run())).toThrow();
      expect(s.runcount).toBe(1);
      const mod = createGreenlet(createStackless(native));
      for (const m of [native, mod] as GreenletModule[]) {
        const made: greenlet.GreenletLike[] = [];
        const gbody = (d: number): number => {
          const g = new m.Greenlet(gbody);
          made.push(g);
          return sync(g.switch(d + 1)) as number;
        };
        expect(() => sync(new m.Greenlet(gbody).switch(1))).toThrow(RangeError);
        expect(made.filter((g) => !g.dead && g.run === undefined).length).toBe(0);
      }
      runsNormally(s);
    }, 60_000);

    it('C5/T16: 100,000 messages over 1,000 tasklets with seeded random kills: nothing lost, nothing left', () => {
      const s = make();
      const random = seeded(20261207);
      const ch = s.channel<number>();
      let received = 0;
      let sum = 0;
      let exits = 0;
      const worker = function* (): Generator<unknown, void, unknown> {
        try {
          for (;;) {
            const v = (yield* ch.receive()) as number;
            received++;
            sum += v;
            if (v % 7 === 0) yield* s.schedule();
          }
        } catch (e) {
          if (!(e instanceof TaskletExit)) throw e;
          exits++;
          throw e;
        }
      };
      const workers: Tasklet[] = [];
      for (let i = 0; i < 1000; i++) workers.push(s.tasklet(worker).setup());
      sync(s.run()); // every worker blocks on the channel
      expect(ch.balance).toBe(-1000);
      let sent = 0;
      let expected = 0;
      let killed = 0;
      for (let i = 1; i <= 100_000; i++) {
        sync(ch.send(i));
        sent++;
        expected += i;
        if (random() < 0.01) {
          const k = Math.floor(random() * workers.length);
          const victim = workers[k];
          if (victim.blocked) {
            sync(victim.kill());
            killed++;
            expect(victim.alive).toBe(false);
            workers[k] = s.tasklet(worker).setup();
          }
        }
        if (s.runcount > 1) sync(s.run());
      }
      expect(received).toBe(sent);
      expect(sum).toBe(expected);
      expect(exits).toBe(killed);
      expect(killed).toBeGreaterThan(100);
      expect(ch.balance).toBe(-1000);
      for (const w of workers) sync(w.kill());
      expect(ch.balance).toBe(0);
      expect(exits).toBe(killed + 1000);
      runsNormally(s);
    }, 60_000);

    it('N2: every public method and function with twenty hostile values: success or a documented error', () => {
      const s = make();
      const mod = createGreenlet(s);
      const failures: string[] = [];
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const calls: [string, (x: any) => unknown][] = [
        ['new Greenlet(x)', (x) => new greenlet.Greenlet(x)],
        ['new Greenlet(null, x)', (x) => new greenlet.Greenlet(null, x)],
        ['greenlet.run = x', (x) => (new greenlet.Greenlet().run = x)],
        ['greenlet.parent = x', (x) => (new greenlet.Greenlet().parent = x)],
        ['greenlet.switch(x)', (x) => sync(new greenlet.Greenlet((v: unknown) => v).switch(x))],
        ['greenlet.throw(x)', (x) => sync(new greenlet.Greenlet(() => 0).throw(x))],
        ['sync(x)', (x) => sync(x)],
        ['settrace(x)', (x) => settrace(x)],
        ['sync(unwind(x))', (x) => sync(greenlet.unwind(x))],
        ['settrace(() => { throw x }) and switch', (x) => {
          settrace(() => {
            throw x;
          });
          return sync(new greenlet.Greenlet(() => 0).switch());
        }],
        ['fix new Greenlet(x)', (x) => new mod.Greenlet(x)],
        ['fix new Greenlet(null, x)', (x) => new mod.Greenlet(null, x)],
        ['fix greenlet.parent = x', (x) => (new mod.Greenlet().parent = x)],
        ['fix greenlet.run = x', (x) => (new mod.Greenlet().run = x)],
        ['fix settrace(() => { throw x }) and switch', (x) => {
          mod.settrace(() => {
            throw x;
          });
          return sync(new mod.Greenlet(() => 0).switch());
        }],
        ['schedule callback throwing x, and run', (x) => {
          s.setScheduleCallback(() => {
            throw x;
          });
          s.tasklet(function* () {
            yield* s.schedule();
          }).setup();
          return sync(s.run());
        }],
        ['error handler throwing x, and run', (x) => {
          s.setErrorHandler(() => {
            throw x;
          });
          s.tasklet(() => {
            throw new Error('body');
          }).setup();
          return sync(s.run());
        }],
        ['channel callback throwing x, and send', (x) => {
          s.setChannelCallback(() => {
            throw x;
          });
          return sync(s.channel().send(1));
        }],
        ['fix greenlet.switch(x)', (x) => sync(new mod.Greenlet((v: unknown) => v).switch(x))],
        ['fix greenlet.throw(x)', (x) => sync(new mod.Greenlet(() => 0).throw(x))],
        ['fix settrace(x)', (x) => mod.settrace(x)],
        ['createGreenlet(x)', (x) => createGreenlet(x)],
        ['createStackless(x)', (x) => createStackless(x)],
        ['tasklet(x)', (x) => s.tasklet(x)],
        ['tasklet(f, x)', (x) => s.tasklet(function* () {}, x)],
        ['tasklet(x, []).setup() and run', (x) => (s.tasklet(x).setup(), sync(s.run()))],
        ['tasklet(f).setup(x) and run', (x) => (s.tasklet(function* (_v: unknown) {}).setup(x), sync(s.run()))],
        ['schedule(x)', (x) => sync(s.schedule(x))],
        ['scheduleRemove(x)', (x) => sync(s.scheduleRemove(x))],
        ['run(x)', (x) => sync(s.run(x))],
        ['run({timeout: x})', (x) => sync(s.run({ timeout: x }))],
        ['run({soft: x, timeout: 5})', (x) => sync(s.run({ soft: x, timeout: 5 }))],
        ['atomic(x)', (x) => sync(s.atomic(x))],
        ['switchTrap(x)', (x) => s.switchTrap(x)],
        ['setScheduleCallback(x)', (x) => s.setScheduleCallback(x)],
        ['setChannelCallback(x)', (x) => s.setChannelCallback(x)],
        ['setErrorHandler(x)', (x) => s.setErrorHandler(x)],
        ['t.bind(x)', (x) => s.tasklet().bind(x)],
        ['t.bind(f, x)', (x) => s.tasklet().bind(function* () {}, x)],
        ['t.throw(x)', (x) => sync(s.tasklet(function* () {}).setup().throw(x))],
        ['t.throw(x, {pending})', (x) => sync(s.tasklet(function* () {}).setup().throw(x, { pending: true }))],
        ['t.kill(x)', (x) => sync(s.tasklet(function* () {}).setup().kill(x))],
        ['t.raiseException(x)', (x) => sync(s.tasklet(function* () {}).setup().raiseException(x))],
        ['main.throw(x)', (x) => sync(s.main.throw(x))],
        ['t.setAtomic(x)', (x) => s.tasklet().setAtomic(x)],
        ['t.blockTrap = x', (x) => (s.tasklet().blockTrap = x)],
        ['t.tempval = x, run', (x) => {
          const t = s.tasklet(function* () {
            yield* s.schedule();
          }).setup();
          sync(s.schedule());
          t.tempval = x;
          return sync(s.run());
        }],
        ['ch.send(x) to a receiver', (x) => {
          const ch = s.channel();
          s.tasklet(function* () {
            yield* ch.receive();
          }).setup();
          return sync(ch.send(x));
        }],
        ['ch.sendThrow(x) to a receiver', (x) => {
          const ch = s.channel();
          s.tasklet(function* () {
            yield* ch.receive();
          }).setup();
          return sync(ch.sendThrow(x));
        }],
        ['ch.sendException(x)', (x) => sync(s.channel().sendException(x))],
        ['ch.sendSequence(x)', (x) => sync(s.channel().sendSequence(x))],
        ['ch.preference = x', (x) => (s.channel().preference = x)],
        ['ch.scheduleAll = x', (x) => (s.channel().scheduleAll = x)],
      ];
      try {
        for (const [callName, call] of calls) {
          for (const [valueName, x] of hostileValues()) {
            const what = `${callName} with ${valueName}`;
            try {
              call(x);
            } catch (e) {
              const problem = judge(e, x);
              if (problem !== null) failures.push(`${what}: ${problem}`);
            }
            // Repair what a successful call may have set, then check the instance.
            s.setScheduleCallback(null);
            s.setChannelCallback(null);
            s.setErrorHandler(null);
            settrace(null);
            mod.settrace(null);
            s.switchTrap(-s.switchTrap(0));
            s.main.setAtomic(false);
            s.main.blockTrap = false;
            if (s.current !== s.main) failures.push(`${what}: current is ${String(s.current)}`);
            for (let i = 0; i < 10 && s.runcount > 1; i++) {
              try {
                sync(s.run());
              } catch {
                // a hostile body's own error (H9 refusals included): it ended
              }
            }
            if (s.runcount !== 1) failures.push(`${what}: runcount ${s.runcount} after the tasklets ran`);
            if (greenlet.getcurrent().parent !== null) failures.push(`${what}: native main is not current`);
          }
        }
      } finally {
        warn.mockRestore();
        settrace(null);
      }
      expect(failures).toEqual([]);
      runsNormally(s);
      expect(sync(new mod.Greenlet((a: number) => a + 1).switch(1))).toBe(2);
    }, 60_000);

    it('M6: tasklets blocked on a dropped channel are collected (child process with --expose-gc)', () => {
      const r = child('dropped-channel.ts', name.includes('fix') ? 'tower' : 'native');
      expect(r.collected).toBe(r.expected);
      expect(r.runcount).toBe(1);
    }, 60_000);
  });
}

describe('stress: two towers', () => {
  it('S3: a greenlet-fix switch to the current greenlet, run in another tower’s tasklet, throws GreenletError', () => {
    const modA = createGreenlet(createStackless(native));
    const b = createStackless(native);
    const mainA = modA.getcurrent();
    const results: string[] = [];
    b.tasklet(() => {
      try {
        results.push(`allowed: ${String(sync(mainA.switch(1)))}`);
      } catch (e) {
        results.push(e instanceof GreenletError ? 'GreenletError' : String(e));
      }
    }).setup();
    expect(sync(b.run())).toBe(null);
    expect(results).toEqual(['GreenletError']);
    // From its own tower it still works (G5).
    expect(sync(mainA.switch(2))).toBe(2);
  });
});

describe('stress: greenlet-fix bookkeeping', () => {
  it('M6: greenlet-fix keeps no table entry for greenlets that have died (300,000 made, child process)', () => {
    const r = child('greenlet-table.ts');
    // 300,000 entries of a table that never shrinks take about 8 MB; the greenlets themselves are collected.
    expect(r.growthBytes).toBeLessThan(1_000_000);
  }, 60_000);
});
