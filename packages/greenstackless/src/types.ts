/**
 * The public types of the Stackless API (packages/greenstackless/README.md), implemented by every instance made by
 * `createStackless`.
 */
import type { Body, Op } from '@greenstackless/greenlet';
import type { ChannelClosedError, DeadlockError, StacklessError, TaskletExit } from './errors.js';

/** Options of `run()` (docs/stackless.md §5, P2). */
export interface RunOptions {
  /** A budget of ticks (an integer of 0 or more; 0: none) after which the running tasklet is interrupted (P2). */
  timeout?: number;
  /** Interrupt only at the next switch, never in the middle of a tasklet's code (P5). */
  soft?: boolean | number;
  /** Count ticks across switches instead of from each switch (P3). */
  totaltimeout?: boolean | number;
}

/** Called as `cb(prev, next)` at every switch between two tasklets, in `next`'s greenlet (S17). */
export type ScheduleCallback = (prev: Tasklet, next: Tasklet) => void;
/** Called as `cb(channel, tasklet, sending, willblock)` before each channel action (S19). */
export type ChannelCallback = (ch: Channel, t: Tasklet, sending: boolean, willblock: boolean) => void;
/** Called as `h(error, tasklet)` when an error other than `TaskletExit` escapes a non-main tasklet (S21). */
export type ErrorHandler = (error: unknown, tasklet: Tasklet) => void;

/**
 * A tasklet: a coroutine of one Stackless instance, scheduled round robin with the others in the instance's run
 * queue. Its ops (`run`, `switch`, `kill`, `throw`, `raiseException`) run in a body with `yield*` or in plain code
 * with `sync`.
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { run, tasklet } from 'greenstackless';
 * const log: string[] = [];
 * const t = tasklet(function* (name: string) {
 *   log.push(`hello from ${name}`);
 * });
 * t.setup('worker'); // bound and runnable
 * sync(run()); // runs it: log is ['hello from worker']
 * t.alive; // => false
 * ```
 */
export interface Tasklet<R = unknown> {
  /**
   * Binds `fn` (a generator function or a plain function): with `args`, the call is prepared and the tasklet is
   * alive and paused; without, it is only bound, or unbound when `fn` is null too (T2, T3). Returns the tasklet.
   * Throws `TypeError` for an `async` function (H9), `StacklessError` on a current, scheduled or main tasklet.
   *
   * @example
   * ```ts
   * import { tasklet } from 'greenstackless';
   * const t = tasklet().bind(function* (x: number) { return x * 2; }, [21]);
   * t.paused; // => true: alive, not yet in the run queue
   * t.insert();
   * ```
   */
  bind(fn?: Body<R> | null, args?: unknown[] | null): this;
  /**
   * Python's `t(*args)`: binds the arguments to the bound function and appends the tasklet to the run queue (T4).
   * Returns the tasklet; throws `StacklessError` if it is alive or has no function.
   */
  setup(...args: unknown[]): this;
  /** Appends the tasklet to the run queue unless it is there (T12). Throws `StacklessError` if blocked or dead. */
  insert(): this;
  /** Takes the tasklet out of the run queue, paused (T13). Throws `StacklessError` if blocked or current. */
  remove(): this;
  /**
   * An op that runs the tasklet at once; the caller stays in the run queue (T14). It gives the caller's `tempval`
   * when the caller resumes.
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { tasklet } from 'greenstackless';
   * const order: string[] = [];
   * const t = tasklet(function* () { order.push('t'); }).setup();
   * sync(t.run()); // t runs before anything else runnable
   * order; // => ['t']
   * ```
   */
  run(): Op<unknown>;
  /** An op like `run()` that pauses the caller: it leaves the run queue until something resumes it (T15). */
  switch(): Op<unknown>;
  /**
   * An op that throws a `TaskletExit` into the tasklet, which ends silently unless it catches it (T18). With
   * `{ pending: true }`, the error waits until the tasklet next runs. Gives the caller's `tempval`.
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { channel, tasklet } from 'greenstackless';
   * const ch = channel<string>();
   * const t = tasklet(function* () { yield* ch.receive(); }).setup();
   * sync(t.run()); // t blocks on ch
   * sync(t.kill()); // t ends; ch has no receiver left
   * t.alive; // => false
   * ```
   */
  kill(options?: { pending?: boolean }): Op<unknown>;
  /**
   * An op that throws `error` into the tasklet at its pending op, now or (`pending`) when it next runs (T16, T17).
   * Throws `StacklessError` when the tasklet is dead and `error` is no `TaskletExit`.
   */
  throw(error: unknown, options?: { pending?: boolean }): Op<unknown>;
  /** An op that throws `new errorClass(...args)`, made in the caller, into the tasklet now (T19). */
  raiseException(errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<unknown>;
  /** Sets the atomic flag, which holds off preemption (S15), and returns the previous value (T9). */
  setAtomic(flag: boolean | number): boolean;
  /** True from `bind(fn, args)` or `setup` until the tasklet ends (T6). */
  readonly alive: boolean;
  /** Alive and not scheduled: out of the run queue and of every channel (T6). */
  readonly paused: boolean;
  /** Waiting in a channel's queue for a partner (T6, C5). */
  readonly blocked: boolean;
  /** In the run queue or blocked on a channel (T6). */
  readonly scheduled: boolean;
  /** True for the instance's main tasklet, the code that made it (S1). */
  readonly isMain: boolean;
  /** True for the running tasklet (S4). */
  readonly isCurrent: boolean;
  /** True while preemption is held off (S14, S15). */
  readonly atomic: boolean;
  /** Always true: there is no pickling here (M7). */
  readonly restorable: boolean;
  /** The next tasklet in the run queue or the channel queue, or null (T8). */
  readonly next: Tasklet | null;
  /** The previous tasklet in the run queue or the channel queue, or null (T8). */
  readonly prev: Tasklet | null;
  /** While true, a channel action that would block throws `StacklessError` instead (T7, T9). */
  get blockTrap(): boolean;
  set blockTrap(value: boolean | number);
  /** The slot of T10: the bound function, the value being sent or scheduled, or undefined. */
  tempval: unknown;
}

/**
 * A rendezvous channel of one instance: a send blocks until a receiver takes the value, and a receive until a
 * sender comes (C5). Iterating it in plain code receives until it is closed (C10).
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { channel, tasklet } from 'greenstackless';
 * const ch = channel<number>();
 * tasklet(function* () {
 *   for (let i = 1; i <= 3; i++) yield* ch.send(i);
 * }).setup();
 * const got = [sync(ch.receive()), sync(ch.receive()), sync(ch.receive())]; // [1, 2, 3]
 * ```
 */
export interface Channel<T = unknown> extends Iterable<T> {
  /**
   * An op that sends `value`: it blocks until a receiver takes it, unless one waits (C5, C6). Throws
   * `ChannelClosedError` if it would block on a closing channel, `DeadlockError` if nothing else could run.
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { channel, tasklet } from 'greenstackless';
   * const ch = channel<string>();
   * tasklet(function* () {
   *   const text = yield* ch.receive();
   *   console.log(text.toUpperCase());
   * }).setup();
   * sync(ch.send('hi')); // the receiver runs and prints HI
   * ```
   */
  send(value: T): Op<void>;
  /**
   * An op that receives a value: it blocks until a sender comes, unless one waits (C5, C6), and throws what a
   * sender sent with `sendException` or `sendThrow`.
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { channel, tasklet } from 'greenstackless';
   * const ch = channel<number>();
   * tasklet(function* () { yield* ch.send(42); }).setup();
   * const n: number = sync(ch.receive()); // 42
   * ```
   */
  receive(): Op<T>;
  /** An op that sends `new errorClass(...args)`, made in the caller, for the receiver to throw (C7). */
  sendException(errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<void>;
  /** An op that sends `error` itself; the receiver throws that same object (C8). */
  sendThrow(error: unknown): Op<void>;
  /** An op that sends each value in order, each a send that may block; it gives the number sent (C9). */
  sendSequence(values: Iterable<T>): Op<number>;
  /** Sets `closing`: blocked tasklets stay, and an action that would block throws `ChannelClosedError` (C11). */
  close(): void;
  /** Clears `closing` (C11). */
  open(): void;
  /** Blocked senders minus blocked receivers (C2). */
  readonly balance: number;
  /** True from `close()` until `open()` (C4). */
  readonly closing: boolean;
  /** Closing, with nobody blocked on it (C4). */
  readonly closed: boolean;
  /** Who runs when a partner waits: -1 the receiver, 1 the sender, 0 the caller (C3, C6). Clamped when set. */
  get preference(): -1 | 0 | 1;
  set preference(value: number | boolean);
  /** When true, the caller of a channel action that meets a partner yields to the others (C6). */
  get scheduleAll(): boolean;
  set scheduleAll(value: boolean | number);
  /** The first tasklet blocked on the channel, or null (C2). */
  readonly queue: Tasklet | null;
}

/** `new Tasklet(fn, args)`: the same as `new Tasklet().bind(fn, args)` (T1). */
export type TaskletConstructor = new <R = unknown>(fn?: Body<R> | null, args?: unknown[] | null) => Tasklet<R>;
/** `new Channel()` (C1). */
export type ChannelConstructor = new <T = unknown>() => Channel<T>;

/**
 * One Stackless scheduler: its run queue, its tasklets and channels, its callbacks (§3). `createStackless(module)`
 * makes one; `stackless` is the default instance on native greenlets.
 *
 * @example
 * ```ts
 * import { native, sync } from '@greenstackless/greenlet';
 * import { createStackless } from 'greenstackless';
 * const sl = createStackless(native);
 * const ch = sl.channel<string>();
 * sl.tasklet(function* () { yield* ch.send('ping'); }).setup();
 * sync(ch.receive()); // => 'ping'
 * ```
 */
export interface Stackless {
  /** The instance's tasklet class (T1). */
  Tasklet: TaskletConstructor;
  /** The instance's channel class (C1). */
  Channel: ChannelConstructor;
  /** Makes a tasklet: `tasklet(fn, args)` is `new Tasklet(fn, args)` (T1). */
  tasklet<R = unknown>(fn?: Body<R> | null, args?: unknown[] | null): Tasklet<R>;
  /** Makes a channel (C1). */
  channel<T = unknown>(): Channel<T>;
  /** The running tasklet (S4). */
  getcurrent(): Tasklet;
  /** The main tasklet: the code that made the instance (S1, S4). */
  getmain(): Tasklet;
  /** The number of tasklets in the run queue, the current one included (S4). */
  getruncount(): number;
  /** The running tasklet (S4). */
  readonly current: Tasklet;
  /** The main tasklet (S4). */
  readonly main: Tasklet;
  /** The number of tasklets in the run queue, the current one included (S4). */
  readonly runcount: number;
  /**
   * An op that lets the next runnable tasklet run; the caller stays runnable at the tail (S7). It gives `retval`
   * (default: the caller) when the caller resumes, unless something wrote its `tempval` meanwhile.
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { schedule, tasklet } from 'greenstackless';
   * const order: string[] = [];
   * tasklet(function* () { order.push('a1'); yield* schedule(); order.push('a2'); }).setup();
   * tasklet(function* () { order.push('b1'); yield* schedule(); order.push('b2'); }).setup();
   * while (order.length < 4) sync(schedule()); // order: a1 b1 a2 b2
   * ```
   */
  schedule<T = unknown>(retval?: T): Op<T>;
  /** An op like `schedule`, with the caller taken out of the run queue, paused (S8). */
  scheduleRemove<T = unknown>(retval?: T): Op<T>;
  /**
   * An op that runs the other tasklets until the run queue empties (it gives null), an error escapes one (it
   * throws it), or the `timeout` budget of ticks is spent (it gives the preempted tasklet) (S9-S11, §6).
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { run, tasklet, tick } from 'greenstackless';
   * tasklet(function* () { for (;;) yield* tick(); }).setup();
   * const preempted = sync(run({ timeout: 100 })); // the busy tasklet, after 100 ticks
   * preempted?.kill();
   * ```
   */
  run(options?: RunOptions): Op<Tasklet | null>;
  /** An op that counts one tick towards the preempting `run()`'s budget (P1); a no-op without one. */
  tick(): Op<void>;
  /**
   * An op that runs `body` (a generator function or a plain function) with the current tasklet atomic, so that no
   * preemption takes it over inside (S14), and gives `body`'s result. An `async` body, or a plain one that
   * returns a thenable, throws `TypeError` (H9).
   *
   * @example
   * ```ts
   * import { atomic, tasklet, tick } from 'greenstackless';
   * tasklet(function* () {
   *   const n = yield* atomic(function* () { yield* tick(); return 1; }); // no interrupt at this tick
   *   return n;
   * }).setup();
   * ```
   */
  atomic<R>(body: () => Generator<unknown, R, unknown> | R): Op<R>;
  /**
   * Adds `change` to the switch trap and returns the previous value (S12); while it is not 0, every op that would
   * switch tasklets throws `StacklessError` "switch_trap" (S13).
   */
  switchTrap(change?: number): number;
  /** Installs the schedule callback (null removes it) and returns the previous one or null (S16, S17). */
  setScheduleCallback(cb: ScheduleCallback | null | undefined): unknown;
  /** The schedule callback, or null (S16). */
  getScheduleCallback(): unknown;
  /** Installs the channel callback (null removes it) and returns the previous one or null (S16, S19). */
  setChannelCallback(cb: ChannelCallback | null | undefined): unknown;
  /** The channel callback, or null (S16). */
  getChannelCallback(): unknown;
  /**
   * Installs the error handler (null removes it) and returns the previous one or null (S16). A handler that
   * returns drops the error of a tasklet, which ends as if it had returned (S21).
   */
  setErrorHandler(handler: ErrorHandler | null | undefined): unknown;
  /** The error handler, or null (S16). */
  getErrorHandler(): unknown;
  /** Thrown into a tasklet by `kill()`; uncaught, the tasklet ends silently. */
  TaskletExit: typeof TaskletExit;
  /** Misuse of the scheduler, tasklets and channels. */
  StacklessError: typeof StacklessError;
  /** Nothing left to run (C12, C13). */
  DeadlockError: typeof DeadlockError;
  /** An action that would block on a closing channel (C11). */
  ChannelClosedError: typeof ChannelClosedError;
}
