/**
 * `createStackless(module)`: one independent scheduler on a greenlet module (S1), and its public face. This module
 * wires the layers below: it installs the methods that make ops on the tasklet and channel classes (they are
 * defined with their ops, above those classes), gives each instance the reused plans of its ops, and makes the
 * scheduler start tasklets with the tasklet frame.
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
import * as forgottenModule from './forgotten.js';
import * as frameModule from './frame.js';
import * as channelOpsModule from './ops/channel.js';
import * as runOpsModule from './ops/run.js';
import * as scheduleOpsModule from './ops/schedule.js';
import * as taskletOpsModule from './ops/tasklet.js';
import * as ringModule from './ring.js';
import * as schedulerModule from './scheduler.js';
import * as taskletModule from './tasklet.js';
import type {
  Channel, ChannelCallback, ChannelConstructor, ErrorHandler, RunOptions, ScheduleCallback, Stackless, Tasklet,
  TaskletConstructor,
} from './types.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { asyncBodyError, describeValue, isAsyncFunction, native, OP_BRAND, RUNS_NOW } = greenletModule;
const { checkCallback } = callbacksModule;
const { ChannelImpl } = channelModule;
const { ChannelClosedError, DeadlockError, MSG, StacklessError, TaskletExit } = errorsModule;
const { watchMain } = forgottenModule;
const { startTasklet } = frameModule;
const { ChannelPlan, channelMethods } = channelOpsModule;
const { AtomicOp, RunOp, TickOp } = runOpsModule;
const { ScheduleOp, SchedulePlan } = scheduleOpsModule;
const { RunPlan, taskletMethods } = taskletOpsModule;
const { ringAlone } = ringModule;
const { Scheduler } = schedulerModule;
const { STARTED, TaskletImpl } = taskletModule;
type Scheduler = schedulerModule.Scheduler;
type TaskletImpl = taskletModule.TaskletImpl;
type ChannelImpl = channelModule.ChannelImpl;

/**
 * Puts `methods` on `proto` as a class would have them (writable, configurable, not enumerable), once, when the
 * package loads: before any tasklet or channel exists.
 */
function installMethods(proto: object, methods: object): void {
  for (const key of Reflect.ownKeys(methods)) {
    const value = (methods as Record<PropertyKey, unknown>)[key];
    Object.defineProperty(proto, key, { value, writable: true, enumerable: false, configurable: true });
  }
}
installMethods(TaskletImpl.prototype, taskletMethods);
installMethods(ChannelImpl.prototype, channelMethods);

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
  const s = new Scheduler(module, startTasklet as (t: TaskletImpl) => unknown);
  s.channelPlan = new ChannelPlan(s);
  s.schedulePlan = new SchedulePlan(s);
  s.runPlan = new RunPlan(s);
  // The instance's own classes make objects of the shared ones: one hidden class for the tasklets (and one for
  // the channels) of every instance, so the scheduler's field accesses stay monomorphic
  // (docs/v8.md#hidden-classes-and-inline-caches).
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
