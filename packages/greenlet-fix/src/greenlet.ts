/**
 * The greenlet object of greenlet-fix: a handle on one tasklet of a Stackless instance (F2), and the public face
 * over the layers below: its fields are state.ts's `GreenletFields`, its switch and throw make transfer ops.
 *
 * Invariants:
 * - Every module's greenlets are objects of this one class, made with the same fields in the same order in the
 *   constructor: one hidden class, so the transfers' field accesses stay monomorphic.
 * - The fields keep the invariants of state.ts. Once made, a greenlet's fields change only through the `run` and
 *   `parent` setters here, and through the layers below for the rest.
 */
import {
  asyncBodyError, describeValue, GreenletError, GreenletExit, isAsyncFunction, isInstance,
} from '@greenstackless/greenlet';
import type { Body, Op } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import * as codesModule from './codes.js';
import { isDead } from './state.js';
import type { GreenletFields, ModuleState } from './state.js';
import { TransferOp } from './transfer.js';

// Imported names as the module's own constants, which V8 folds (docs/v8.md#modules-and-variables).
const { UNSTARTED, STARTED, NONE, MAKE_USER, MAKE_MAIN, MAKE_STANDIN, SWITCH, SWITCH_MANY, THROW } = codesModule;

/** The arguments of a switch without any: one shared array, never written. */
const NO_ARGS: readonly unknown[] = Object.freeze([]);


/**
 * A greenlet of a greenlet-fix module. Each module's `Greenlet` makes objects of this class, and its `instanceof`
 * holds only for the module's own greenlets (create.ts).
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { Greenlet } from '@greenstackless/greenlet-fix';
 * const g = new Greenlet(function* (x: number) { return x + 1; });
 * sync(g.switch(41)); // 42: g's return value goes to its parent, main
 * ```
 */
export class FixGreenlet {
  // The fields of state.ts's GreenletFields (not `implements`: the published declarations leave internal fields
  // out). `declare`d and set in the constructor: an extended class builds slower with class fields
  // (docs/v8.md#hidden-classes-and-inline-caches).
  /** @internal The module this greenlet belongs to. */
  declare _mod: ModuleState;
  /** @internal The function to start with, until the start (G7). */
  declare _run: Body | undefined;
  /** @internal See `parent`. */
  declare _parent: GreenletFields | null;
  /** @internal The tasklet this greenlet runs in for its whole life (F2); null until the start. */
  declare _tasklet: Tasklet | null;
  /** @internal UNSTARTED, STARTED or DEAD. */
  declare _state: number;
  /** @internal A stand-in for a tasklet not made by this module (F7): dead once that tasklet is not alive. */
  declare _standin: boolean;
  /** @internal True while paused in one of this module's transfers (F9). */
  declare _waiting: boolean;
  /** @internal The pending delivery: kind, value (or start arguments, or error), origin for the tracer. */
  declare _dKind: number;
  /** @internal */
  declare _dValue: unknown;
  /** @internal */
  declare _dOrigin: GreenletFields | null;
  /** @internal The tasklet of a greenlet that died into this one, to unbind on arrival. */
  declare _dFrom: Tasklet | null;
  /** @internal The switch trap lifted for a death into this greenlet (F3), to put back on arrival. */
  declare _dTrap: number;
  /** @internal The newest op made by this greenlet and not run yet, and the older ones (H8). */
  declare _pendingSeq: number;
  /** @internal */
  declare _lastMade: number;
  /** @internal */
  declare _unrun: number[] | null;
  /** @internal Serial number within the module, or 'main'. */
  declare _serial: number | string;

  constructor(mod: ModuleState, run?: Body | null, parent?: FixGreenlet | null) {
    this._mod = mod;
    this._run = undefined;
    this._parent = null;
    this._tasklet = null;
    this._state = UNSTARTED;
    this._dKind = NONE;
    this._dValue = undefined;
    this._dOrigin = null;
    this._dFrom = null;
    this._dTrap = 0;
    this._pendingSeq = 0;
    this._lastMade = 0;
    this._unrun = null;
    this._serial = 0;
    this._standin = false;
    this._waiting = false;
    const making = mod.making;
    if (making !== MAKE_USER) {
      // Main (F1) or a stand-in (F7): an existing tasklet, already started.
      this._tasklet = mod.makingTasklet;
      this._state = STARTED;
      this._standin = making === MAKE_STANDIN;
      this._parent = making === MAKE_MAIN ? null : mod.main;
      this._serial = making === MAKE_MAIN ? 'main' : ++mod.serial;
      return;
    }
    checkRun(run);
    if (parent !== undefined && parent !== null && (!isInstance(parent, FixGreenlet) || parent._mod !== mod)) {
      throw new TypeError(`Expected any type of greenlet as parent, not ${describeValue(parent)}`);
    }
    this._run = run === null ? undefined : run;
    this._parent = parent ?? mod.getcurrent();
    this._serial = ++mod.serial;
  }

  /** The function the greenlet starts with; `undefined` once started and on main (G7, G8). */
  get run(): Body | undefined {
    return this._state === UNSTARTED ? this._run : undefined;
  }
  set run(value: Body | null | undefined) {
    if (this._parent === null) throw new TypeError(`Main greenlets do not have a run attribute. (${this})`);
    if (this._state !== UNSTARTED) throw new TypeError(`run cannot be set after the start of the greenlet (${this})`);
    checkRun(value);
    this._run = value === null ? undefined : value;
  }

  /** Where the greenlet's result goes when it dies (G11-G14, G24-G26); null only for main. */
  get parent(): FixGreenlet | null {
    return this._parent as FixGreenlet | null;
  }
  set parent(value: FixGreenlet | null) {
    if (this._parent === null) throw new TypeError(`cannot set the parent of a main greenlet (${this})`);
    if (!isInstance(value, FixGreenlet) || value._mod !== this._mod) {
      throw new TypeError(`Expected any type of greenlet as parent, not ${describeValue(value)}`);
    }
    for (let p: GreenletFields | null = value; p !== null; p = p._parent) {
      if (p === this) {
        throw new GreenletError(`${value} cannot be the parent of ${this}, which is its ancestor: cyclic parent chain`);
      }
    }
    this._parent = value;
  }

  /** Finished, or killed before it started (G2); a stand-in whose tasklet is no longer alive (F7). */
  get dead(): boolean {
    return isDead(this);
  }

  /** Started and not dead: Python's `bool(g)` (G2). */
  get active(): boolean {
    return this._state === STARTED && !(this._standin && !this._tasklet!.alive);
  }

  /**
   * Transfers control to this greenlet (G3-G6, G16, F3). The op gives what the next delivery to the caller
   * brings: `undefined`, the one value, or an array of several (G4).
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { Greenlet, getcurrent } from '@greenstackless/greenlet-fix';
   * const echo = new Greenlet(function* (x: unknown) { for (;;) x = yield* getcurrent().parent!.switch(x); });
   * sync(echo.switch('ping')); // 'ping'
   * ```
   */
  switch<T = unknown>(...args: unknown[]): Op<T> {
    // One argument, the common case, is the payload itself: `args` escapes only in the last line (as native's).
    const n = args.length;
    if (n === 1) return new TransferOp(this._mod, this, SWITCH, args[0]) as Op<any>;
    if (n === 0) return new TransferOp(this._mod, this, SWITCH_MANY, NO_ARGS) as Op<any>;
    return new TransferOp(this._mod, this, SWITCH_MANY, args) as Op<any>;
  }

  /**
   * Raises `error` in this greenlet at its pending op (G17-G23); with no argument, a new `GreenletExit`.
   *
   * @example
   * ```ts
   * import { sync } from '@greenstackless/greenlet';
   * import { Greenlet, getcurrent } from '@greenstackless/greenlet-fix';
   * const g = new Greenlet(function* () { yield* getcurrent().parent!.switch(); });
   * sync(g.switch());
   * sync(g.throw()); // the GreenletExit comes back as g's result (G13)
   * ```
   */
  throw<T = unknown>(error?: unknown): Op<T> {
    return new TransferOp(this._mod, this, THROW, error === undefined ? new GreenletExit() : error) as Op<any>;
  }

  /** The greenlet's name: `Greenlet#main` or `Greenlet#<serial>`. */
  toString(): string {
    return `Greenlet#${this._serial}`;
  }
  /** `util.inspect`: the name and the state, e.g. `Greenlet#4 <suspended, parent Greenlet#main>`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    if (isDead(this)) return `${this} <dead>`;
    const parent = this._parent === null ? '' : `, parent ${this._parent}`;
    if (this._state === UNSTARTED) return `${this} <unstarted${this._run === undefined ? ', no run' : ''}${parent}>`;
    if (this._mod.getcurrent() === this) return `${this} <running${parent}>`;
    return `${this} <${this._standin ? 'stand-in, ' : ''}suspended${parent}>`;
  }
}

/** G8, H9: a run is a function that is not async, null or undefined. */
function checkRun(run: unknown): void {
  if (run === undefined || run === null) return;
  if (typeof run !== 'function') {
    throw new TypeError(`run must be a function, null or undefined, not ${describeValue(run)}`);
  }
  if (isAsyncFunction(run)) throw asyncBodyError('the run of a greenlet', run);
}
