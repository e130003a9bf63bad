/**
 * The tasklet object (§4): state, attributes, the queue methods that do not switch, and the methods that make its
 * ops (ops.ts).
 *
 * Invariants:
 * - `state` (state.ts) and `link` (runqueue.ts) give T6's table: alive = state !== NOT_ALIVE; scheduled = link
 *   !== OUT; blocked = link === CHANNEL; paused = alive && link === OUT. A NOT_ALIVE tasklet is OUT.
 * - `g` is the greenlet the tasklet runs in: main's is the module's main greenlet; another's is made on its first
 *   run and dropped when it ends or is rebound.
 * - `fn` is the bound function (T3); `args` the prepared arguments while BOUND, else null (dropped at the start).
 * - The fields are all set in the constructor, so every tasklet has one shape. It is kept small (104 bytes):
 *   `link` is derived from the links, `state`, `atomic` and `blockTrap` share one integer, and the run() it
 *   waits in is found on the watchdog stack. A blocked tasklet costs this object, its greenlet, its one frame
 *   (body.ts) and its body's generator.
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Body, GreenletLike, Op } from '@greenstackless/greenlet';
import * as flagsModule from './flags.js';
import * as callbacksModule from './callbacks.js';
import type { ChannelImpl } from './channel.js';
import * as errorsModule from './errors.js';
import * as opsModule from './ops.js';
import * as runqueueModule from './runqueue.js';
import type { Scheduler } from './scheduler.js';
import * as stateModule from './state.js';
import type { Tasklet } from './types.js';
import * as watchdogModule from './watchdog.js';

// Imported names as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { asyncBodyError, isAsyncFunction, messageOf } = greenletModule;
const { checkIntegerFlag } = flagsModule;
const { recursiveCall } = callbacksModule;
const { MSG, StacklessError, TaskletExit } = errorsModule;
const { ThrowOp, TaskletRunOp } = opsModule;
const { CHANNEL, OUT, RING, ringInsertBefore, ringUnlink } = runqueueModule;
const { NOT_ALIVE, BOUND } = stateModule;
const { runOpOf } = watchdogModule;

/**
 * A tasklet of one instance: a coroutine scheduled round robin with the others in its instance's run queue.
 *
 * @example
 * ```ts
 * import { tasklet, run } from 'greenstackless';
 * import { sync } from '@greenstackless/greenlet';
 * const log: string[] = [];
 * tasklet(function* (name: string) { log.push(name); }).setup('a');
 * sync(run()); // log: ['a']
 * ```
 */
export class TaskletImpl implements Tasklet<unknown> {
  // Fields are `declare`d and set in the constructor: V8 11.3 builds an object whose base class defines fields
  // about 2.4 times slower (measured: 420 against 175 instructions for a 9-field op).
  /** The instance. A field, not on a per-instance prototype: the tasklets of all instances share one map. */
  declare readonly s: Scheduler;
  /** Serial number within the instance; 0 for main (`Tasklet#main`). */
  declare readonly id: number;
  /** The bound function, or null (T3). */
  declare fn: Body | null;
  /** The prepared arguments, or null. */
  declare args: unknown[] | null;
  /** The greenlet, once made. */
  declare g: GreenletLike | null;
  /** The slot of T10: anyone may read and write it. */
  declare tempval: unknown;
  /** Neighbours in the ring (circular) or in a channel's queue (null at its ends); null when OUT. */
  declare nextLink: TaskletImpl | null;
  declare prevLink: TaskletImpl | null;
  /** The channel it is blocked on, or null. */
  declare channel: ChannelImpl | null;
  /** `state` (NOT_ALIVE, BOUND or STARTED) in the low bits, and the ATOMIC and BLOCK_TRAP bits: one small
   *  integer, so that the three cost one field (see the accessors below). */
  declare flags: number;

  constructor(s: Scheduler) {
    this.s = s;
    this.id = s.makingMain ? 0 : ++s.taskletSerial;
    this.fn = null;
    this.args = null;
    this.g = null;
    this.tempval = undefined;
    this.nextLink = null;
    this.prevLink = null;
    this.channel = null;
    this.flags = NOT_ALIVE;
  }

  /** NOT_ALIVE, BOUND or STARTED (state.ts). */
  get state(): number {
    return this.flags & STATE_BITS;
  }

  set state(value: number) {
    this.flags = (this.flags & ~STATE_BITS) | value;
  }

  /** S15: no interrupt takes the tasklet over while it is set. */
  get atomic(): boolean {
    return (this.flags & ATOMIC) !== 0;
  }

  set atomic(value: boolean) {
    this.flags = value ? this.flags | ATOMIC : this.flags & ~ATOMIC;
  }

  /** T9: a channel action that would block throws instead. */
  get blockTrapFlag(): boolean {
    return (this.flags & BLOCK_TRAP) !== 0;
  }

  set blockTrapFlag(value: boolean) {
    this.flags = value ? this.flags | BLOCK_TRAP : this.flags & ~BLOCK_TRAP;
  }

  /** OUT, RING or CHANNEL (runqueue.ts): derived from the links, so that it costs no field. */
  get link(): number {
    return this.channel !== null ? CHANNEL : this.nextLink !== null ? RING : OUT;
  }

  /** S20: no queue change inside a callback. */
  private checkCallbacks(what: string): void {
    if (this.s.inCallback !== 0) throw recursiveCall(this.s, `${this}.${what}()`);
  }

  /**
   * Binds `fn` (T2, T3): without `args`, binds or (no `fn`) unbinds it; with `args`, prepares the call, and the
   * tasklet is alive and paused.
   */
  bind(fn?: Body | null, args?: unknown[] | null): this {
    if (fn !== undefined && fn !== null && typeof fn !== 'function') {
      throw new TypeError(`${this}: tasklet function must be a callable or None`);
    }
    if (fn !== undefined && fn !== null && isAsyncFunction(fn)) {
      throw asyncBodyError(`the function of ${this}`, fn); // H9
    }
    if (args !== undefined && args !== null && !isArray(args)) {
      throw new TypeError(`${this}: the arguments of bind() must be an array, null or undefined`);
    }
    this.checkCallbacks('bind');
    const s = this.s;
    if (this === s.current) throw new StacklessError(`${this}.bind(): ${MSG.rebindCurrent}`);
    if (this.link !== OUT) throw new StacklessError(`${this}.bind(): ${MSG.scheduled}`);
    if (this === s.main) throw new StacklessError(`${this}.bind(): ${MSG.unbindMain}`);
    if (runOpOf(s, this) !== null) throw new StacklessError(`${this}.bind(): ${MSG.inRun}`);
    if (args === undefined || args === null) {
      // T3: bind or unbind; a paused alive tasklet loses its frames.
      this.fn = fn ?? null;
      this.tempval = fn ?? undefined;
      this.args = null;
      this.state = NOT_ALIVE;
      this.g = null;
      return this;
    }
    const f = fn ?? this.fn;
    if (f === null) throw new StacklessError(`${this}.bind(): ${MSG.notBound}`);
    this.fn = f;
    this.args = args;
    this.state = BOUND;
    this.tempval = undefined;
    this.g = null;
    return this;
  }

  /** Python's `t(*args)`: binds the arguments and appends the tasklet to the ring (T4). */
  setup(...args: unknown[]): this {
    this.checkCallbacks('setup');
    if (this.state !== NOT_ALIVE) throw new StacklessError(`${this}.setup(): ${MSG.alive}`);
    if (this.fn === null) throw new StacklessError(`${this}.setup(): ${MSG.notBound}`);
    this.bind(null, args);
    ringInsertBefore(this.s, this, this.s.current);
    return this;
  }

  /** Appends the tasklet to the ring unless it is there (T12). */
  insert(): this {
    this.checkCallbacks('insert');
    if (this.link === CHANNEL) throw new StacklessError(`${this}.insert(): ${MSG.blockedRun}`);
    if (this.state === NOT_ALIVE) throw new StacklessError(`${this}.insert(): ${MSG.deadRun}`);
    if (this.link === OUT) ringInsertBefore(this.s, this, this.s.current);
    return this;
  }

  /** Takes the tasklet out of the ring; it is paused (T13). */
  remove(): this {
    this.checkCallbacks('remove');
    if (this.link === CHANNEL) throw new StacklessError(`${this}.remove(): ${MSG.blockedRemove}`);
    if (this === this.s.current) throw new StacklessError(`${this}.remove(): ${MSG.currentRemove}`);
    if (this.link === RING) ringUnlink(this.s, this);
    return this;
  }

  /** Resumes the tasklet at once; the caller stays in the ring (T14). Gives the caller's tempval. */
  run(): Op<unknown> {
    return new TaskletRunOp(this, false);
  }

  /** Resumes the tasklet at once; the caller is paused (T15). Gives the caller's tempval. */
  switch(): Op<unknown> {
    return new TaskletRunOp(this, true);
  }

  /** `throw(new TaskletExit(), {pending})` (T18). */
  kill(options?: { pending?: boolean }): Op<unknown> {
    return new ThrowOp(this, new TaskletExit(), pendingOption(options), 'kill', null, null);
  }

  /** Throws `error` in the tasklet, now or when it next runs (T16, T17). */
  throw(error: unknown, options?: { pending?: boolean }): Op<unknown> {
    if (error === undefined) throw new TypeError(`${this}.throw() needs an error`);
    return new ThrowOp(this, error, pendingOption(options), 'throw', null, null);
  }

  /** A non-pending throw of `new errorClass(...args)`, made in the caller (T19). */
  raiseException(errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<unknown> {
    if (errorClass === undefined) throw new TypeError(`${this}: raise_exception() takes at least 1 argument`);
    if (typeof errorClass !== 'function') {
      throw new TypeError(`${this}: tasklet.raise_exception needs Exception or string subclass as first parameter`);
    }
    return new ThrowOp(this, undefined, false, 'raiseException', errorClass, args);
  }

  /** Sets the atomic flag (S15); returns the previous value (T9). */
  setAtomic(flag: boolean | number): boolean {
    // A boolean needs no check (greenlet-fix passes one twice a switch, F3); and the flags word is written directly,
    // not through the accessors, which V8 left out of line there (46 instructions a call).
    const value =
      typeof flag === 'boolean' ? flag : checkIntegerFlag(flag, this, 'set_atomic needs exactly one bool or integer');
    const flags = this.flags;
    this.flags = value ? flags | ATOMIC : flags & ~ATOMIC;
    return (flags & ATOMIC) !== 0;
  }

  get blockTrap(): boolean {
    return this.blockTrapFlag;
  }

  set blockTrap(value: boolean | number) {
    this.blockTrapFlag = checkIntegerFlag(value, this, 'block_trap must be set to a bool or integer');
  }

  get alive(): boolean {
    return this.state !== NOT_ALIVE;
  }

  get paused(): boolean {
    return this.state !== NOT_ALIVE && this.link === OUT;
  }

  get blocked(): boolean {
    return this.link === CHANNEL;
  }

  get scheduled(): boolean {
    return this.link !== OUT;
  }

  get isMain(): boolean {
    return this === this.s.main;
  }

  get isCurrent(): boolean {
    return this === this.s.current;
  }

  get restorable(): boolean {
    return true;
  }

  get next(): TaskletImpl | null {
    return this.nextLink;
  }

  get prev(): TaskletImpl | null {
    return this.prevLink;
  }

  /** The end of the tasklet has arrived (T20): it is dead, its binding ends (T5). */
  die(): void {
    this.state = NOT_ALIVE;
    this.tempval = undefined;
    this.fn = null;
    this.args = null;
    this.g = null;
  }

  toString(): string {
    return this.id === 0 ? 'Tasklet#main' : `Tasklet#${this.id}`;
  }

  /** `util.inspect`: the name and T6's state, e.g. `Tasklet#3 <blocked on Channel#1, receiving>`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    let state: string;
    if (this.channel !== null) {
      state = `blocked on ${this.channel}, ${this.channel.balance > 0 ? 'sending' : 'receiving'}`;
    } else if (this === this.s.current) {
      state = 'current';
    } else if (this.nextLink !== null) {
      state = 'scheduled';
    } else if (this.state !== NOT_ALIVE) {
      state = runOpOf(this.s, this) !== null ? 'paused in run()' : 'paused';
    } else {
      state = this.fn !== null ? 'bound, not alive' : 'not alive';
    }
    if (this.atomic) state += ', atomic';
    if (this.blockTrapFlag) state += ', blockTrap';
    return `${this} <${state}>`;
  }
}

const STATE_BITS = 3;
const ATOMIC = 4;
const BLOCK_TRAP = 8;

function pendingOption(options: { pending?: boolean } | undefined): boolean {
  if (options === undefined || options === null) return false;
  try {
    return Boolean(options.pending);
  } catch (error) {
    throw new TypeError(`the options of kill() or throw() could not be read (${messageOf(error)})`, { cause: error });
  }
}

/** `Array.isArray`, false for a revoked Proxy (on which it throws). */
function isArray(x: unknown): boolean {
  try {
    return Array.isArray(x);
  } catch {
    return false;
  }
}
