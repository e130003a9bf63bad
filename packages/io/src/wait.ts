/**
 * The wait op (I2) and the waits built on it: `await` and `call` (I3), `sleep` and `once` (I4), and a
 * subscription's `next` (subscription.ts). One class, a state machine driven by the trampoline through `next` and
 * `throw`: no generator function and no closure per wait beyond the callbacks an API demands (a `then`'s two
 * handlers, an emitter's listener), since each costs far more than the wait (docs/v8.md#generators).
 *
 * Invariants:
 * - `state` only moves forward through the op states of codes.ts: FRESH -> CLAIMED (iterator taken) -> RUNNING
 *   (the S3 probe of `wait` and `call` is out) -> SUSPENDED (paused in `scheduleRemove`) -> DONE; the kinds that
 *   need no probe skip RUNNING, and any state may go straight to DONE.
 * - `outcome` is decided once (PENDING -> RESOLVED, REJECTED, or ABORTED: rejected by the timeout or the signal);
 *   later resumes, timeouts and aborts are ignored.
 * - While SUSPENDED the op is on its hub's list of waits, and its timer and abort listener (if any) are armed.
 *   `end()` takes it off, disarms them and runs the teardown: exactly once, whatever ended the wait.
 * - A decision while SUSPENDED inserts the tasklet and requests a pump; it never runs the tasklet (I5). A wake that
 *   finds the outcome PENDING is spurious: the op pauses again (I2.4).
 * - The op is its own iterator result: `done` and `value` are rewritten at each step.
 */
import type { EventEmitter } from 'node:events';
import { describeValue, GreenletError, OP_BRAND } from '@greenstackless/greenlet';
import type { Op } from '@greenstackless/greenlet';
import { StacklessError } from 'greenstackless';
import type { Tasklet } from 'greenstackless';
import * as codes from './codes.js';
import { MSG, TimeoutError } from './errors.js';
import { IMMEDIATE, MICROTASK } from './pump.js';
import type { HubCore, TurnWaiter, WaitLink } from './pump.js';
import type { Resume, WaitOptions } from './types.js';

const { FRESH, CLAIMED, RUNNING, SUSPENDED, DONE } = codes;

// Outcomes.
export const PENDING = 0;
export const RESOLVED = 1;
export const REJECTED = 2;
/** Rejected by the wait's timeout or signal, not by its resume: `call` aborts its signal (I3). */
const ABORTED = 3;

// What decided the outcome: for `call`, whose signal aborts unless the thenable settled (I3).
export const BY_RESUME = 1;
const BY_TIMEOUT = 2;
const BY_SIGNAL = 3;

// Kinds of wait.
export const WAIT = 0;
export const AWAIT = 1;
export const CALL = 2;
export const SLEEP = 3;
export const ONCE = 4;
export const NEXT = 5;

/** What a subscription does for the op that waits for its next event (subscription.ts). */
export interface WaitSource {
  /** Called in `register`: the source resolves `op` now or later. */
  attach(op: WaitOp): void;
  /** The teardown. */
  detach(op: WaitOp): void;
  describe(op: WaitOp): string;
}

/** The longest delay Node's timers keep; a longer one would fire after 1 ms. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Validates a delay in ms: a finite number >= 0 (I4) that a Node timer can hold. */
function checkMs(what: string, ms: unknown): void {
  if (typeof ms !== 'number' || !(ms >= 0) || ms === Infinity) {
    throw new TypeError(`${what} must be a finite number of ms >= 0, not ${describeValue(ms)}`);
  }
  if (ms > MAX_TIMER_MS) {
    throw new RangeError(`${what} must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest timer Node keeps, not ${ms}`);
  }
}

function describeEvent(event: string | symbol): string {
  return typeof event === 'string' ? `'${event}'` : String(event);
}

/** A wait's options, checked and copied when the op is made, with the timer and listener they arm. */
export class WaitGuard {
  readonly timeout: number; // -1 for none
  readonly signal: AbortSignal | undefined;
  readonly label: string | undefined;
  readonly unref: boolean;
  timer: ReturnType<typeof setTimeout> | undefined = undefined;
  abortListener: (() => void) | undefined = undefined;

  constructor(options: WaitOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`wait options must be an object, not ${describeValue(options)}`);
    }
    let timeout = -1;
    if (options.timeout !== undefined) {
      checkMs('the timeout', options.timeout);
      timeout = options.timeout;
    }
    const signal = options.signal;
    if (signal !== undefined && (signal === null || typeof signal !== 'object' || !('aborted' in signal))) {
      throw new TypeError(`the signal option must be an AbortSignal, not ${describeValue(signal)}`);
    }
    this.timeout = timeout;
    this.signal = signal;
    this.label = options.description !== undefined ? String(options.description) : undefined;
    this.unref = options.unref === true;
  }
}

export class WaitOp<T = unknown> implements TurnWaiter, WaitLink {
  // Set in the constructor in one order, so every wait has one hidden class (docs/v8.md#hidden-classes-and-inline-caches).
  declare readonly core: HubCore;
  declare readonly kind: number;
  /** The register function, the thenable, the function to call, the ms, the emitter or the source. */
  declare readonly target: unknown;
  /** `once`'s event name; an awaited thenable's `then`. */
  declare extra: unknown;
  /** The options, or null when there are none (most waits). */
  declare guard: WaitGuard | null;
  /** FRESH, CLAIMED, RUNNING, SUSPENDED or DONE (codes.ts). */
  declare state: number;
  declare outcome: number;
  declare result: unknown;
  declare tasklet: Tasklet | null;
  /** The register's teardown, `once`'s listeners, `call`'s controller, `sleep`'s timer. */
  declare undo: unknown;
  declare since: number;
  declare prevWait: WaitLink | null;
  declare nextWait: WaitLink | null;
  declare done: boolean;
  declare value: unknown;

  constructor(core: HubCore, kind: number, target: unknown, extra: unknown, options: WaitOptions | undefined) {
    this.core = core;
    this.kind = kind;
    this.target = target;
    this.since = 0;
    this.prevWait = null;
    this.nextWait = null;
    this.reuse(extra, options); // the fields every wait starts afresh, in one place
  }

  /** The op has ended (or failed to start) and nothing steps it again: its owner may `reuse` it. */
  reusable(): boolean {
    return this.state === DONE;
  }

  /**
   * Makes an ended op fresh for the next wait of the same source (a Conn's reads: one reader at a time, K5), so a
   * wait allocates nothing. Only the owner that made the op calls it, once the op is `reusable()`.
   */
  reuse(extra: unknown, options: WaitOptions | undefined): this {
    this.extra = extra;
    this.guard = options === undefined ? null : new WaitGuard(options);
    this.state = FRESH;
    this.outcome = PENDING;
    this.result = undefined;
    this.tasklet = null;
    this.undo = undefined;
    this.done = false;
    this.value = undefined;
    return this;
  }

  /** What the wait is for, for `waiting()` and deadlock reports (I10). */
  describe(): string {
    const label = this.guard?.label;
    if (label !== undefined) return label;
    switch (this.kind) {
      case AWAIT:
        return 'await a promise';
      case CALL:
        return `call ${(this.target as Function).name || 'a function'}`;
      case SLEEP:
        return `sleep ${this.target as number} ms`;
      case ONCE:
        return `once ${describeEvent(this.extra as string | symbol)}`;
      case NEXT:
        return (this.target as WaitSource).describe(this);
      default:
        return `wait for ${(this.target as Function).name || 'a callback'}`;
    }
  }

  toString(): string {
    return `[op ${this.describe()}]`;
  }

  /** The start of the op (H1): may be called once. */
  [Symbol.iterator](): this {
    if (this.state !== FRESH) {
      throw new GreenletError(`the op ${this.describe()} has already run; an op runs at most once (H1)`);
    }
    this.state = CLAIMED;
    return this;
  }

  next(): IteratorResult<unknown, T> {
    switch (this.state) {
      case CLAIMED:
        // A register or fn of the user runs only once S3 holds; the hub's own kinds rely on scheduleRemove's S3
        // check, and their teardown undoes what they registered if it fails.
        if (this.kind === WAIT || this.kind === CALL) return this.probe();
        this.tasklet = this.core.stackless.current;
        return this.begin();
      case RUNNING:
        return this.begin();
      case SUSPENDED:
        return this.resumed();
      default:
        throw new GreenletError(`the op ${this.describe()} was stepped after it ended`);
    }
  }

  /** An error thrown into the waiting tasklet (kill, throw, a refused transfer): teardown, then the error. */
  throw(error: unknown): IteratorResult<unknown, T> {
    if (this.state === SUSPENDED) {
      const teardownError = this.end(error);
      if (teardownError !== NO_ERROR) this.core.report(teardownError, this.tasklet);
    }
    this.state = DONE;
    throw error;
  }

  return(value?: unknown): IteratorResult<unknown, T> {
    if (this.state === SUSPENDED) {
      const teardownError = this.end(undefined);
      if (teardownError !== NO_ERROR) this.core.report(teardownError, this.tasklet);
    }
    this.state = DONE;
    this.done = true;
    this.value = value;
    return this as IteratorResult<unknown, T>;
  }

  /**
   * I2.1, the S3 half: `current.switch()` on the current tasklet changes nothing (T15), and throws the
   * instance's StacklessError when it runs in any other greenlet. Nothing is registered before it succeeds.
   */
  private probe(): IteratorResult<unknown, T> {
    const cur = this.core.stackless.current;
    this.tasklet = cur;
    this.state = RUNNING;
    this.done = false;
    this.value = cur.switch();
    return this as IteratorResult<unknown, T>;
  }

  /** I2.1 to I2.3: the caller check, `register`, then the outcome at once or the pause. */
  private begin(): IteratorResult<unknown, T> {
    const s = this.core.stackless;
    if (this.tasklet === s.main) {
      this.state = DONE;
      throw new StacklessError(MSG.mainCannotWait);
    }
    const guard = this.guard;
    const signal = guard === null ? undefined : guard.signal;
    if (signal !== undefined && signal.aborted) {
      this.state = DONE;
      throw signal.reason;
    }
    try {
      this.register();
    } catch (error) {
      // I2.2: the op throws register's error and nothing else happens.
      this.state = DONE;
      throw error;
    }
    if (this.outcome !== PENDING) return this.finish();
    if (guard !== null) this.arm(guard);
    const core = this.core;
    // One clock read per event-loop turn (pump.ts), not one per wait.
    const clock = core.clock;
    this.since = clock >= 0 ? clock : core.readClock();
    const tail = core.waitTail;
    this.prevWait = tail;
    if (tail === null) core.waitHead = this;
    else tail.nextWait = this;
    core.waitTail = this;
    this.state = SUSPENDED;
    this.value = s.scheduleRemove();
    return this as IteratorResult<unknown, T>;
  }

  /** Arms the timeout and the abort listener. */
  private arm(guard: WaitGuard): void {
    if (guard.timeout >= 0) {
      const timer = setTimeout(onTimeout, guard.timeout, this);
      if (guard.unref) timer.unref();
      guard.timer = timer;
    }
    const signal = guard.signal;
    if (signal !== undefined) {
      const listener = () => this.decide(REJECTED, signal.reason, BY_SIGNAL, IMMEDIATE);
      guard.abortListener = listener;
      signal.addEventListener('abort', listener, { once: true });
    }
  }

  /** This wait alone does not count as a deadlock at exit (I14). */
  get unref(): boolean {
    return this.guard !== null && this.guard.unref;
  }

  /** The tasklet runs again: a decided wait ends, an undecided one was woken spuriously and pauses again. */
  private resumed(): IteratorResult<unknown, T> {
    if (this.outcome === PENDING) {
      this.value = this.core.stackless.scheduleRemove();
      return this as IteratorResult<unknown, T>;
    }
    return this.finish();
  }

  /** The teardown, then the outcome (I2.5, I2.6). */
  private finish(): IteratorResult<unknown, T> {
    const teardownError = this.end(null);
    if (this.outcome >= REJECTED) {
      if (teardownError !== NO_ERROR) this.core.report(teardownError, this.tasklet);
      throw this.result;
    }
    if (teardownError !== NO_ERROR) throw teardownError;
    this.done = true;
    this.value = this.result;
    return this as IteratorResult<unknown, T>;
  }

  /** Registers the wait by its kind; may decide it at once. */
  private register(): void {
    switch (this.kind) {
      case AWAIT:
        (this.extra as Function).call(
          this.target,
          (value: unknown) => this.decide(RESOLVED, value, BY_RESUME, MICROTASK),
          (error: unknown) => this.decide(REJECTED, error, BY_RESUME, MICROTASK),
        );
        return;
      case CALL:
        return this.registerCall();
      case SLEEP: {
        const ms = this.target as number;
        if (ms === 0) {
          this.core.parkForTurn(this);
        } else {
          const timer = setTimeout(onSleepTimer, ms, this);
          if (this.guard !== null && this.guard.unref) timer.unref();
          this.undo = timer;
        }
        return;
      }
      case ONCE:
        return this.registerOnce();
      case NEXT:
        this.undo = this.target; // so that end() detaches it
        (this.target as WaitSource).attach(this);
        return;
      default: {
        const resume: Resume<unknown> = {
          resolve: (value: unknown) => this.decide(RESOLVED, value, BY_RESUME, IMMEDIATE),
          reject: (error: unknown) => this.decide(REJECTED, error, BY_RESUME, IMMEDIATE),
        };
        const teardown = (this.target as (resume: Resume<unknown>) => unknown)(resume);
        if (teardown !== undefined && typeof teardown !== 'function') {
          throw new TypeError(`wait: register must return a teardown function or nothing, not ${describeValue(teardown)}`);
        }
        this.undo = teardown;
      }
    }
  }

  private registerCall(): void {
    const controller = new AbortController();
    this.undo = controller;
    const returned = (this.target as (signal: AbortSignal) => unknown)(controller.signal);
    const then = thenOf(returned);
    if (then === undefined) {
      this.decide(RESOLVED, returned, BY_RESUME, MICROTASK);
      return;
    }
    then.call(
      returned,
      (value: unknown) => this.decide(RESOLVED, value, BY_RESUME, MICROTASK),
      (error: unknown) => this.decide(REJECTED, error, BY_RESUME, MICROTASK),
    );
  }

  private registerOnce(): void {
    const target = this.target as any;
    const event = this.extra as string | symbol;
    const listener = (...args: unknown[]) => this.decide(RESOLVED, args, BY_RESUME, IMMEDIATE);
    if (isEmitter(target)) {
      const listeners: OnceListeners = { listener, onError: undefined };
      this.undo = listeners;
      target.on(event, listener);
      if (event !== 'error') {
        const onError = (error: unknown) => this.decide(REJECTED, error, BY_RESUME, IMMEDIATE);
        listeners.onError = onError;
        target.on('error', onError);
      }
    } else {
      this.undo = listener;
      target.addEventListener(event, listener);
    }
  }

  /** The resume (I2.2): the first decision wins; a decision while the tasklet waits wakes it (I2.4, I5). */
  decide(outcome: number, result: unknown, by: number, wake: number): void {
    if (this.outcome !== PENDING || this.state === DONE) return;
    this.outcome = by === BY_RESUME ? outcome : ABORTED;
    this.result = result;
    if (this.state === SUSPENDED) {
      const t = this.tasklet!;
      if (t.alive && !t.scheduled) t.insert();
      this.core.request(wake);
    }
  }

  /** A `sleep(0)`'s turn has passed (pump.ts). */
  turnPassed(): void {
    this.decide(RESOLVED, undefined, BY_RESUME, IMMEDIATE);
  }

  /**
   * The teardown (I2.5): off the list, timer and abort listener removed, the kind's and register's undo run, once.
   * `cause` is the error that ended the wait from outside (kill, throw), or null. Returns the teardown's error.
   */
  private end(cause: unknown): unknown {
    if (this.state === DONE) return NO_ERROR;
    const wasWaiting = this.state === SUSPENDED;
    this.state = DONE;
    if (wasWaiting) {
      const core = this.core;
      const prev = this.prevWait;
      const next = this.nextWait;
      if (prev === null) core.waitHead = next;
      else prev.nextWait = next;
      if (next === null) core.waitTail = prev;
      else next.prevWait = prev;
      this.prevWait = null;
      this.nextWait = null;
      const guard = this.guard;
      if (guard !== null) {
        if (guard.timer !== undefined) clearTimeout(guard.timer);
        if (guard.abortListener !== undefined) guard.signal!.removeEventListener('abort', guard.abortListener);
      }
    }
    const undo = this.undo;
    if (undo === undefined) return NO_ERROR;
    try {
      switch (this.kind) {
        case SLEEP:
          clearTimeout(undo as ReturnType<typeof setTimeout>);
          break;
        case CALL:
          // Unless the thenable settled: aborted by the timeout or signal, or ended from outside (I3).
          if (this.outcome === ABORTED) (undo as AbortController).abort(this.result);
          else if (this.outcome === PENDING) (undo as AbortController).abort(cause);
          break;
        case ONCE: {
          const target = this.target as any;
          const event = this.extra as string | symbol;
          if (isEmitter(target)) {
            const listeners = undo as OnceListeners;
            target.removeListener(event, listeners.listener);
            if (listeners.onError !== undefined) target.removeListener('error', listeners.onError);
          } else {
            target.removeEventListener(event, undo);
          }
          break;
        }
        case NEXT:
          (this.target as WaitSource).detach(this);
          break;
        default:
          (undo as () => void)();
      }
    } catch (error) {
      return error;
    }
    return NO_ERROR;
  }
}
(WaitOp.prototype as any)[OP_BRAND] = true;

/** The listeners `once` adds to an EventEmitter. */
interface OnceListeners {
  listener: (...args: unknown[]) => void;
  onError: ((error: unknown) => void) | undefined;
}

/** Marks "the teardown threw nothing" (a teardown may throw `undefined`). */
const NO_ERROR: unknown = Symbol('no error');

function onTimeout(op: WaitOp): void {
  const guard = op.guard!;
  guard.timer = undefined;
  op.decide(REJECTED, new TimeoutError(`${op.describe()} timed out after ${guard.timeout} ms`), BY_TIMEOUT, IMMEDIATE);
}

function onSleepTimer(op: WaitOp): void {
  op.undo = undefined;
  op.decide(RESOLVED, undefined, BY_RESUME, IMMEDIATE);
}

function isEmitter(x: any): x is EventEmitter {
  return typeof x.on === 'function' && typeof x.removeListener === 'function';
}

/** The `then` of a thenable, or undefined (I3). */
export function thenOf(value: unknown): Function | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  const then = (value as { then?: unknown }).then;
  return typeof then === 'function' ? then : undefined;
}

/** An op whose outcome is known when it is made: it never switches and works anywhere (I3, I11). */
export class ReadyOp<T> {
  declare readonly failed: boolean;
  declare readonly outcome: unknown;
  declare started: boolean;

  constructor(failed: boolean, outcome: unknown) {
    this.failed = failed;
    this.outcome = outcome;
    this.started = false;
  }

  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    if (this.started) throw new GreenletError('the op has already run; an op runs at most once (H1)');
    this.started = true;
    return this;
  }

  next(): IteratorResult<unknown, T> {
    if (this.failed) throw this.outcome;
    return { value: this.outcome as T, done: true };
  }
}
(ReadyOp.prototype as any)[OP_BRAND] = true;

/** Makes `sleep(ms)`'s op (I4). */
export function sleepOp(core: HubCore, ms: number, options: { unref?: boolean; signal?: AbortSignal } | undefined): Op<void> {
  checkMs('sleep: ms', ms);
  let waitOptions: WaitOptions | undefined;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`sleep options must be an object, not ${describeValue(options)}`);
    }
    waitOptions = { unref: options.unref, signal: options.signal };
  }
  return new WaitOp<void>(core, SLEEP, ms, undefined, waitOptions);
}

/** Makes `await(value)`'s op (I3). */
export function awaitOp<T>(core: HubCore, value: T | PromiseLike<T>, options: WaitOptions | undefined): Op<Awaited<T>> {
  const then = thenOf(value);
  if (then === undefined) return new ReadyOp<Awaited<T>>(false, value);
  return new WaitOp<Awaited<T>>(core, AWAIT, value, then, options);
}

/** Makes `call(fn)`'s op (I3). */
export function callOp<T>(core: HubCore, fn: unknown, options: WaitOptions | undefined): Op<T> {
  if (typeof fn !== 'function') throw new TypeError(`call: fn must be a function, not ${describeValue(fn)}`);
  return new WaitOp<T>(core, CALL, fn, undefined, options);
}

/** Makes `once(emitter, event)`'s op (I4). */
export function onceOp(core: HubCore, emitter: unknown, event: unknown, options: WaitOptions | undefined): Op<unknown[]> {
  if (emitter === null || typeof emitter !== 'object' ||
    (!isEmitter(emitter) && typeof (emitter as any).addEventListener !== 'function')) {
    throw new TypeError(`once: emitter must be an EventEmitter or an EventTarget, not ${describeValue(emitter)}`);
  }
  if (typeof event !== 'string' && typeof event !== 'symbol') {
    throw new TypeError(`once: event must be a string or a symbol, not ${describeValue(event)}`);
  }
  return new WaitOp<unknown[]>(core, ONCE, emitter, event, options);
}

/** Makes `wait(register)`'s op (I2). */
export function waitOp<T>(core: HubCore, register: unknown, options: WaitOptions | undefined): Op<T> {
  if (typeof register !== 'function') {
    throw new TypeError(`wait: register must be a function, not ${describeValue(register)}`);
  }
  return new WaitOp<T>(core, WAIT, register, undefined, options);
}
