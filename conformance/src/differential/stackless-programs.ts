/**
 * Random Stackless programs as data, and the fixed interpreter that runs one on any `Stackless` instance and
 * writes down everything observable: who ran (the schedule callback), what each action gave or threw, and the
 * final state of every tasklet and channel.
 *
 * A program is a few tasklets, each with a script of actions run by a generator body (soft switches) or a plain
 * one (hard switches through `sync`), plus main's own script; main then drains the ring with `run()`. Because a program is plain data read by one interpreter, fast-check shrinks a failing program to
 * a minimal one.
 *
 * Invariants:
 * - Every program terminates: scripts are finite, every action runs at most once, and main's drain is bounded.
 * - The interpreter uses only the public API (packages/greenstackless/README.md) and `sync`; it runs at the top
 *   level, in the instance's main tasklet, so one instance per program is made right before the run.
 * - A body rethrows `TaskletExit` (M9) and fatal `ProgramError`s (T21: they go to `W`); it logs and goes on after
 *   any other error.
 */
import fc from 'fast-check';
import { sync } from '@greenstackless/greenlet';
import type { Channel, Stackless, Tasklet } from 'greenstackless';
import { Namer, ProgramError } from './trace.js';

/** One action of a script. Indices are taken modulo the program's counts (`t` may name main). */
export type StacklessAction =
  | { op: 'send'; ch: number; value: number }
  | { op: 'sendThrow'; ch: number; fatal: boolean }
  | { op: 'receive'; ch: number }
  | { op: 'schedule' }
  | { op: 'scheduleRemove' }
  | { op: 'kill'; t: number; pending: boolean }
  | { op: 'throw'; t: number; pending: boolean; fatal: boolean }
  | { op: 'insert'; t: number }
  | { op: 'remove'; t: number }
  | { op: 'run'; t: number }
  | { op: 'switch'; t: number }
  | { op: 'tick' }
  | { op: 'atomic'; flag: boolean }
  | { op: 'close'; ch: number }
  | { op: 'open'; ch: number }
  | { op: 'preference'; ch: number; value: number };

export interface TaskletSpec {
  /** A generator body (soft switches) or a plain one (hard switches through `sync`, so S5 refusals happen). */
  body: 'generator' | 'plain';
  script: StacklessAction[];
}

export interface StacklessProgram {
  channels: number;
  tasklets: TaskletSpec[];
  main: StacklessAction[];
  /** The options of main's draining `run()` calls: a tick budget (0: no preemption, P2) and soft mode (P5). */
  timeout: number;
  soft: boolean;
}

const index = fc.integer({ min: 0, max: 4 });

/** fast-check arbitrary of one action. */
export const stacklessAction: fc.Arbitrary<StacklessAction> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('send' as const), ch: index, value: fc.integer({ min: 0, max: 99 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sendThrow' as const), ch: index, fatal: fc.boolean() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('receive' as const), ch: index }) },
  { weight: 3, arbitrary: fc.constant({ op: 'schedule' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'scheduleRemove' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('kill' as const), t: index, pending: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('throw' as const), t: index, pending: fc.boolean(), fatal: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('insert' as const), t: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), t: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('run' as const), t: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('switch' as const), t: index }) },
  { weight: 3, arbitrary: fc.constant({ op: 'tick' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('atomic' as const), flag: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('close' as const), ch: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('open' as const), ch: index }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('preference' as const), ch: index, value: fc.integer({ min: -1, max: 1 }) }),
  },
);

/**
 * fast-check arbitrary of a whole program: 1-2 channels, 1-4 tasklets of up to 6 actions, main up to 4, and
 * main's drain with or without preemption.
 */
export const stacklessProgram: fc.Arbitrary<StacklessProgram> = fc.record({
  channels: fc.integer({ min: 1, max: 2 }),
  tasklets: fc.array(
    fc.record({
      body: fc.oneof({ weight: 4, arbitrary: fc.constant('generator' as const) }, { weight: 1, arbitrary: fc.constant('plain' as const) }),
      script: fc.array(stacklessAction, { maxLength: 6 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  main: fc.array(stacklessAction, { maxLength: 4 }),
  timeout: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3 })),
  soft: fc.boolean(),
});

/** How many times main calls `run()` at most to drain the ring. */
const DRAIN_LIMIT = 20;

/**
 * Runs `program` on `s` (a fresh instance, from its main tasklet) and returns the trace: one line per event.
 *
 * @example
 * ```ts
 * const trace = runStacklessProgram(createStackless(native), { channels: 1, main: [],
 *   tasklets: [[{ op: 'send', ch: 0, value: 1 }], [{ op: 'receive', ch: 0 }]] });
 * ```
 */
export function runStacklessProgram(s: Stackless, program: StacklessProgram): string[] {
  const log: string[] = [];
  const names = new Namer();
  const channels: Channel[] = [];
  for (let k = 0; k < program.channels; k++) {
    const ch = s.channel();
    channels.push(ch);
    names.add(ch, `C${k}`);
  }
  names.add(s.main, 'main');
  const tasklets: Tasklet[] = [];
  const targets = (t: number): Tasklet => (t % (tasklets.length + 1) === tasklets.length ? s.main : tasklets[t % (tasklets.length + 1)]);
  const channel = (k: number): Channel => channels[k % channels.length];
  let serial = 0;

  // One action as a sub-coroutine (test code: a generator per action is fine here).
  function* act(a: StacklessAction): Generator<unknown, unknown, unknown> {
    switch (a.op) {
      case 'send':
        return yield* channel(a.ch).send(a.value);
      case 'sendThrow':
        return yield* channel(a.ch).sendThrow(new ProgramError(`E${++serial}`, a.fatal));
      case 'receive':
        return yield* channel(a.ch).receive();
      case 'schedule':
        return yield* s.schedule();
      case 'scheduleRemove':
        return yield* s.scheduleRemove();
      case 'kill':
        return yield* targets(a.t).kill({ pending: a.pending });
      case 'throw':
        return yield* targets(a.t).throw(new ProgramError(`E${++serial}`, a.fatal), { pending: a.pending });
      case 'insert':
        return targets(a.t).insert();
      case 'remove':
        return targets(a.t).remove();
      case 'run':
        return yield* targets(a.t).run();
      case 'switch':
        return yield* targets(a.t).switch();
      case 'tick':
        return yield* s.tick();
      case 'atomic':
        return s.current.setAtomic(a.flag);
      case 'close':
        return channel(a.ch).close();
      case 'open':
        return channel(a.ch).open();
      case 'preference':
        channel(a.ch).preference = a.value;
        return channel(a.ch).preference;
    }
  }
  const label = (a: StacklessAction): string => {
    switch (a.op) {
      case 'send':
        return `send(C${a.ch % channels.length}, ${a.value})`;
      case 'sendThrow':
      case 'receive':
      case 'close':
      case 'open':
        return `${a.op}(C${a.ch % channels.length})`;
      case 'preference':
        return `preference(C${a.ch % channels.length}, ${a.value})`;
      case 'kill':
      case 'throw':
      case 'insert':
      case 'remove':
      case 'run':
      case 'switch':
        return `${a.op}(${names.value(targets(a.t))}${'pending' in a && a.pending ? ', pending' : ''})`;
      case 'atomic':
        return `setAtomic(${a.flag})`;
      default:
        return a.op;
    }
  };

  const caught = (i: number, j: number, a: StacklessAction, e: unknown): void => {
    log.push(`T${i}.${j} ${label(a)} ! ${names.error(e)}`);
    if (e instanceof s.TaskletExit || (e instanceof ProgramError && e.fatal)) throw e;
  };
  const generatorBody = function* (i: number): Generator<unknown, void, unknown> {
    const script = program.tasklets[i].script;
    log.push(`T${i} starts`);
    for (let j = 0; j < script.length; j++) {
      const a = script[j];
      try {
        const r = yield act(a);
        log.push(`T${i}.${j} ${label(a)} = ${names.value(r)}`);
      } catch (e) {
        caught(i, j, a, e);
      }
    }
    log.push(`T${i} ends`);
  };
  const plainBody = function (i: number): void {
    const script = program.tasklets[i].script;
    log.push(`T${i} starts`);
    for (let j = 0; j < script.length; j++) {
      const a = script[j];
      try {
        const r = sync(act(a));
        log.push(`T${i}.${j} ${label(a)} = ${names.value(r)}`);
      } catch (e) {
        caught(i, j, a, e);
      }
    }
    log.push(`T${i} ends`);
  };
  for (let i = 0; i < program.tasklets.length; i++) {
    const t = s.tasklet(program.tasklets[i].body === 'plain' ? plainBody : generatorBody);
    tasklets.push(t);
    names.add(t, `T${i}`);
  }
  for (let i = 0; i < tasklets.length; i++) tasklets[i].setup(i);

  s.setScheduleCallback((prev, next) => {
    log.push(`switch ${names.value(prev)} -> ${names.value(next)}`);
  });
  try {
    for (let j = 0; j < program.main.length; j++) {
      const a = program.main[j];
      try {
        const r = sync(act(a));
        log.push(`main.${j} ${label(a)} = ${names.value(r)}`);
      } catch (e) {
        log.push(`main.${j} ${label(a)} ! ${names.error(e)}`);
      }
    }
    const options = { timeout: program.timeout, soft: program.soft };
    for (let k = 0; k < DRAIN_LIMIT && s.runcount > 1; k++) {
      try {
        log.push(`main run() = ${names.value(sync(s.run(options)))}`);
      } catch (e) {
        log.push(`main run() ! ${names.error(e)}`);
      }
    }
  } finally {
    s.setScheduleCallback(null);
  }
  log.push(`current ${names.value(s.current)}, runcount ${s.runcount}`);
  for (const t of tasklets) {
    log.push(
      `${names.value(t)}: alive=${t.alive} paused=${t.paused} blocked=${t.blocked} scheduled=${t.scheduled} ` +
        `tempval=${names.value(t.tempval)} next=${names.value(t.next)} prev=${names.value(t.prev)}`,
    );
  }
  for (const ch of channels) {
    const queue: string[] = [];
    for (let t = ch.queue; t !== null && queue.length < 10; t = t.next) queue.push(names.value(t));
    log.push(
      `${names.value(ch)}: balance=${ch.balance} closing=${ch.closing} closed=${ch.closed} ` +
        `preference=${ch.preference} queue=[${queue.join(', ')}]`,
    );
  }
  return log;
}
