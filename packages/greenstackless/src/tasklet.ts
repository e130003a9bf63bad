/**
 * The tasklet object (§4): its state, its attributes, and the methods that do not switch. The methods that make
 * ops (`run`, `switch`, `kill`, `throw`, `raiseException`) are defined with their ops in ops/tasklet.ts, above this
 * module, and installed on the class by instance.ts.
 *
 * Invariants:
 * - `state` (NOT_ALIVE, BOUND, STARTED) and `link` (ring.ts) give T6's table: alive = state !== NOT_ALIVE;
 *   scheduled = link !== OUT; blocked = link === CHANNEL; paused = alive && link === OUT. A NOT_ALIVE tasklet is OUT.
 * - `g` is the greenlet the tasklet runs in: main's is the module's main greenlet; another's is made on its first
 *   run and dropped when it ends or is rebound.
 * - `fn` is the bound function (T3); `args` the prepared arguments while BOUND, else null (dropped at the start).
 * - The fields are all set in the constructor, so every tasklet has one shape. It is kept small: `link` is derived
 *   from the links, `state`, `atomic` and `blockTrap` share one integer, and the run() it waits in is found on the
 *   watchdog stack. A blocked tasklet costs this object, its greenlet, its one frame (frame.ts) and its body's
 *   generator.
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Body, GreenletLike } from '@greenstackless/greenlet';
import * as callbacksModule from './callbacks.js';
import type { CallbackState } from './callbacks.js';
import * as codesModule from './codes.js';
import * as errorsModule from './errors.js';
import * as flagsModule from './flags.js';
import * as ringModule from './ring.js';
import type { RingCount, WaitQueue } from './ring.js';
import type { Tasklet } from './types.js';

/**
 * A tasklet's life states (T6), in the low bits of its `flags`:
 * - NOT_ALIVE: new, bound, unbound or dead; no frames.
 * - BOUND: alive and never run: `bind(fn, args)` prepared the call; its greenlet has not started.
 * - STARTED: alive, its greenlet started (main is made STARTED).
 */
export const NOT_ALIVE = 0;
export const BOUND = 1;
export const STARTED = 2;

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { asyncBodyError, isAsyncFunction } = greenletModule;
const { recursiveCall } = callbacksModule;
const { CHANNEL, OUT, RING } = codesModule;
const { MSG, StacklessError } = errorsModule;
const { checkIntegerFlag } = flagsModule;
const { ringInsertBefore, ringUnlink } = ringModule;

/** What a tasklet reads and writes of its instance: the Scheduler (scheduler.ts) is one. */
export interface TaskletHost extends CallbackState, RingCount {
  readonly main: TaskletImpl;
  readonly current: TaskletImpl;
  /** The last serial number given (`Tasklet#7`). */
  taskletSerial: number;
  /** True only while the main tasklet is being made, so that it is named `Tasklet#main`. */
  readonly makingMain: boolean;
  /** The pending run() that `t` waits in, or null (T2 step 5, S11). */
  runOf(t: TaskletImpl): object | null;
}

/** The methods that make ops: defined in ops/tasklet.ts and installed by instance.ts (see the top of the file). */
export interface TaskletImpl extends Pick<Tasklet, 'run' | 'switch' | 'kill' | 'throw' | 'raiseException'> {}

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
  // Fields are `declare`d and set in the constructor (docs/v8.md#hidden-classes-and-inline-caches).
  /** The instance. A field, not on a per-instance prototype: the tasklets of all instances share one map. */
  declare readonly s: TaskletHost;
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
  declare channel: WaitQueue<TaskletImpl> | null;
  /** `state` (NOT_ALIVE, BOUND or STARTED) in the low bits, and the ATOMIC and BLOCK_TRAP bits: one small
   *  integer, so that the three cost one field (see the accessors below). */
  declare flags: number;

  constructor(s: TaskletHost) {
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

  /** NOT_ALIVE, BOUND or STARTED. */
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

  /** OUT, RING or CHANNEL (codes.ts, ring.ts): derived from the links, so that it costs no field. */
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
    if (s.runOf(this) !== null) throw new StacklessError(`${this}.bind(): ${MSG.inRun}`);
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
    ringInsertBefore<TaskletImpl>(this.s, this, this.s.current);
    return this;
  }

  /** Appends the tasklet to the ring unless it is there (T12). */
  insert(): this {
    this.checkCallbacks('insert');
    if (this.link === CHANNEL) throw new StacklessError(`${this}.insert(): ${MSG.blockedRun}`);
    if (this.state === NOT_ALIVE) throw new StacklessError(`${this}.insert(): ${MSG.deadRun}`);
    if (this.link === OUT) ringInsertBefore<TaskletImpl>(this.s, this, this.s.current);
    return this;
  }

  /** Takes the tasklet out of the ring; it is paused (T13). */
  remove(): this {
    this.checkCallbacks('remove');
    if (this.link === CHANNEL) throw new StacklessError(`${this}.remove(): ${MSG.blockedRemove}`);
    if (this === this.s.current) throw new StacklessError(`${this}.remove(): ${MSG.currentRemove}`);
    if (this.link === RING) ringUnlink<TaskletImpl>(this.s, this);
    return this;
  }

  /** Sets the atomic flag (S15); returns the previous value (T9). */
  setAtomic(flag: boolean | number): boolean {
    // A boolean needs no check (greenlet-fix passes one twice a switch, F3); the flags word is written directly,
    // not through the accessors, which V8 left out of line there.
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
      state = this.s.runOf(this) !== null ? 'paused in run()' : 'paused';
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

/** `Array.isArray`, false for a revoked Proxy (on which it throws). */
function isArray(x: unknown): boolean {
  try {
    return Array.isArray(x);
  } catch {
    return false;
  }
}
