/**
 * `createStackless(module)`: one independent scheduler on a greenlet module (S1), and its public face.
 *
 * Invariants:
 * - Each instance has its own Scheduler, its own Tasklet and Channel classes, and serial numbers of its own; it
 *   shares only the four error classes. Its classes make objects of the shared TaskletImpl and ChannelImpl (one
 *   hidden class for all instances), and their `instanceof` checks the object's instance (`s`).
 * - The instance is made in a main greenlet of its module, which becomes its main tasklet: alive, current, alone
 *   in the ring.
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Body, GreenletModule, Op } from '@greenstackless/greenlet';
import * as callbacksModule from './callbacks.js';
import * as channelModule from './channel.js';
import * as errorsModule from './errors.js';
import * as opbaseModule from './opbase.js';
import * as opsModule from './ops.js';
import * as runqueueModule from './runqueue.js';
import * as schedulerModule from './scheduler.js';
import * as stateModule from './state.js';
import * as taskletModule from './tasklet.js';
import type {
  Channel, ChannelCallback, ChannelConstructor, ErrorHandler, RunOptions, ScheduleCallback, Stackless, Tasklet,
  TaskletConstructor,
} from './types.js';
import * as watchdogModule from './watchdog.js';

// Imported names as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { asyncBodyError, describeValue, isAsyncFunction, native, OP_BRAND, RUNS_NOW } = greenletModule;
const { checkCallback } = callbacksModule;
const { ChannelImpl } = channelModule;
const { ChannelClosedError, DeadlockError, MSG, StacklessError, TaskletExit } = errorsModule;
const { watchMain } = opbaseModule;
const { AtomicOp, ScheduleOp } = opsModule;
const { ringAlone } = runqueueModule;
const { Scheduler } = schedulerModule;
const { STARTED } = stateModule;
const { TaskletImpl } = taskletModule;
const { RunOp, TickOp } = watchdogModule;
type Scheduler = schedulerModule.Scheduler;
type TaskletImpl = taskletModule.TaskletImpl;
type ChannelImpl = channelModule.ChannelImpl;

/** What `tick()` gives while no preemption is installed: one shared op that does nothing (P1, H1). */
const NO_TICK: Op<void> = {
  [OP_BRAND]: true,
  [Symbol.iterator](): Iterator<unknown, void, unknown> {
    return EMPTY_ITERATOR;
  },
} as Op<void>;
const EMPTY_ITERATOR: Iterator<unknown, void, unknown> = {
  next(): IteratorResult<unknown, void> {
    return { value: undefined, done: true };
  },
};

/** The public face of one instance (`Stackless` in packages/greenstackless/README.md). */
class StacklessInstance implements Stackless {
  readonly #s: Scheduler;
  readonly Tasklet: TaskletConstructor;
  readonly Channel: ChannelConstructor;
  readonly TaskletExit = TaskletExit;
  readonly StacklessError = StacklessError;
  readonly DeadlockError = DeadlockError;
  readonly ChannelClosedError = ChannelClosedError;

  constructor(s: Scheduler) {
    this.#s = s;
    (this as { [RUNS_NOW]: () => boolean })[RUNS_NOW] = () => s.currentRunsNow();
    this.Tasklet = s.Tasklet as unknown as TaskletConstructor;
    this.Channel = s.Channel as unknown as ChannelConstructor;
  }

  /** `new Tasklet(fn, args)` (T1). */
  tasklet<R = unknown>(fn?: Body<R> | null, args?: unknown[] | null): Tasklet<R> {
    return new this.#s.Tasklet(fn, args) as unknown as Tasklet<R>;
  }

  /** `new Channel()` (C1). */
  channel<T = unknown>(): Channel<T> {
    return new this.#s.Channel() as unknown as Channel<T>;
  }

  getcurrent(): Tasklet {
    return this.#s.current;
  }

  getmain(): Tasklet {
    return this.#s.main;
  }

  getruncount(): number {
    return this.#s.runcount;
  }

  get current(): Tasklet {
    return this.#s.current;
  }

  get main(): Tasklet {
    return this.#s.main;
  }

  get runcount(): number {
    return this.#s.runcount;
  }

  /** Lets the next runnable tasklet run; the caller stays runnable at the tail (S7). */
  schedule<T = unknown>(retval?: T): Op<T> {
    return new ScheduleOp(this.#s, retval, false) as unknown as Op<T>;
  }

  /** `schedule` with the caller taken out of the ring, paused (S8). */
  scheduleRemove<T = unknown>(retval?: T): Op<T> {
    return new ScheduleOp(this.#s, retval, true) as unknown as Op<T>;
  }

  /** Runs the other tasklets until the ring empties, an error escapes, or the budget is spent (S9-S11, §6). */
  run(options?: RunOptions): Op<Tasklet | null> {
    return new RunOp(this.#s, options) as unknown as Op<Tasklet | null>;
  }

  /** A preemption point (P1). */
  tick(): Op<void> {
    const s = this.#s;
    return s.preempt === null ? NO_TICK : (new TickOp(s, true) as unknown as Op<void>);
  }

  /** Runs `body` with the current tasklet atomic (S14). */
  atomic<R>(body: () => Generator<unknown, R, unknown> | R): Op<R> {
    if (typeof body !== 'function') throw new TypeError('atomic() needs a function as its body');
    if (isAsyncFunction(body)) throw asyncBodyError('the body of atomic()', body); // H9
    return new AtomicOp(this.#s, body) as unknown as Op<R>;
  }

  /** Adds `change` to the switch trap; returns the previous value (S12). */
  switchTrap(change: number = 0): number {
    if (typeof change !== 'number' || !Number.isInteger(change)) {
      throw new TypeError(`switchTrap() needs an integer, not ${describeValue(change)}`);
    }
    const s = this.#s;
    const previous = s.trap;
    s.trap += change;
    return previous;
  }

  setScheduleCallback(cb: ScheduleCallback | null | undefined): unknown {
    const s = this.#s;
    const fn = checkCallback(cb, 'schedule callback must be callable');
    const previous = s.scheduleCallback;
    s.scheduleCallback = fn;
    return previous;
  }

  getScheduleCallback(): unknown {
    return this.#s.scheduleCallback;
  }

  setChannelCallback(cb: ChannelCallback | null | undefined): unknown {
    const s = this.#s;
    const fn = checkCallback(cb, 'channel callback must be callable');
    const previous = s.channelCallback;
    s.channelCallback = fn;
    return previous;
  }

  getChannelCallback(): unknown {
    return this.#s.channelCallback;
  }

  setErrorHandler(handler: ErrorHandler | null | undefined): unknown {
    const s = this.#s;
    const fn = checkCallback(handler, 'error handler must be callable');
    const previous = s.errorHandler;
    s.errorHandler = fn;
    return previous;
  }

  getErrorHandler(): unknown {
    return this.#s.errorHandler;
  }

  /** True if the current tasklet runs now (RUNS_NOW in the greenlet package), for a greenlet module on this
   *  instance to check S3 in its turn: one function, bound to the instance (see createStackless). */
  declare readonly [RUNS_NOW]: () => boolean;
}

/** True for an object with the members of a greenlet module that an instance calls; false where reading throws. */
function isModule(module: unknown): module is GreenletModule {
  if (module === null || typeof module !== 'object') return false;
  try {
    const m = module as GreenletModule;
    return typeof m.getcurrent === 'function' && typeof m.Greenlet === 'function';
  } catch {
    return false;
  }
}

/** `Function.prototype[Symbol.hasInstance]`: the prototype-chain test that `instanceof` makes by default. */
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/**
 * Gives `own` the shared class's prototype, and an `instanceof` that holds only for the objects of instance `s`
 * (packages/greenstackless/README.md): a subclass of `own` inherits both.
 */
function ownClass(own: Function, shared: Function, s: Scheduler): Function {
  Object.defineProperty(own, 'prototype', { value: shared.prototype, writable: false });
  Object.defineProperty(own, Symbol.hasInstance, {
    value(this: Function, x: unknown): boolean {
      return ordinaryHasInstance.call(this, x) && (x as { s: unknown }).s === s;
    },
  });
  return own;
}

/** `new own(...)`: an object of the shared class, or of the subclass of `own` being constructed. */
function construct<T>(own: Function, shared: new (s: Scheduler) => T, s: Scheduler, target: Function | undefined): T {
  if (target === undefined) throw new TypeError(`Class constructor ${own.name} cannot be invoked without 'new'`);
  return target === own ? new shared(s) : (Reflect.construct(shared, [s], target) as T);
}

/**
 * Makes an independent Stackless scheduler on a greenlet module (S1). Call it in the module's main greenlet,
 * which becomes the instance's main tasklet.
 *
 * @example
 * ```ts
 * import { native, sync } from '@greenstackless/greenlet';
 * import { createStackless } from 'greenstackless';
 * const sl = createStackless(native);
 * const ch = sl.channel<string>();
 * sl.tasklet(function* () { yield* ch.send('hi'); }).setup();
 * sync(ch.receive()); // => 'hi'
 * ```
 */
export function createStackless(module: GreenletModule = native): Stackless {
  if (!isModule(module)) throw new TypeError(`createStackless needs a greenlet module, not ${describeValue(module)}`);
  const here = module.getcurrent();
  if (here.parent !== null) throw new StacklessError(`${MSG.notMain}, not in ${String(here)} (S1)`);
  const s = new Scheduler(module);
  // The instance's own classes make objects of the shared ones: one hidden class for the tasklets (and one for
  // the channels) of every instance, so the scheduler's field accesses stay monomorphic (docs/v8.md).
  function Tasklet(this: unknown, fn?: unknown, args?: unknown): TaskletImpl {
    const t = construct(Tasklet, TaskletImpl, s, new.target);
    if ((fn !== undefined && fn !== null) || (args !== undefined && args !== null)) {
      t.bind(fn as Body | null, args as unknown[] | null);
    }
    return t;
  }
  function Channel(this: unknown): ChannelImpl {
    return construct(Channel, ChannelImpl, s, new.target);
  }
  s.Tasklet = ownClass(Tasklet, TaskletImpl, s) as unknown as Scheduler['Tasklet'];
  s.Channel = ownClass(Channel, ChannelImpl, s) as unknown as Scheduler['Channel'];
  s.makingMain = true;
  const main = new s.Tasklet();
  s.makingMain = false;
  main.g = here;
  main.state = STARTED;
  s.main = main;
  s.current = main;
  ringAlone(s, main);
  watchMain(s);
  return new StacklessInstance(s);
}
