/**
 * The greenlet object of the native module (docs/greenlet.md).
 *
 * Invariants:
 * - `state` is UNSTARTED, STARTED or DEAD (G1, G2); main is made STARTED and never dies.
 * - `runFn` is the function to start with; it is undefined once the greenlet has started (G7).
 * - `frame` is the innermost frame: a generator or op iterator, the BOUNDARY of a pending `sync`, or null when the
 *   greenlet has no frames (unstarted, dead, or inside a plain body). `below` holds the outer frames, innermost last.
 * - `syncLevel` is the level of the innermost pending `sync` this greenlet called, 0 if none (H6).
 * - `parent` is null only for main; the chain from any greenlet ends at main and never cycles (G24-G26).
 */
import { GreenletError, GreenletExit } from './errors.js';
import * as opcodes from './opcodes.js';
import * as ops from './ops.js';
import * as runtime from './runtime.js';
import type { Body, Op } from './types.js';
import { describeValue, isInstance } from './values.js';

export { describeValue } from './values.js';

// Imported names as the module's own constants, which V8 folds into compiled code (an imported binding is read
// through a cell and checked for the hole at every use; see trampoline.ts).
const { NativeOp } = ops;
const { SWITCH_MANY, SWITCH_ONE, THROW } = opcodes;
const rt = runtime.rt;

/** The payload of `switch()` with no argument; the trampoline only reads it (never hands it to user code). */
const NO_ARGS: readonly unknown[] = [];

export const UNSTARTED = 0;
export const STARTED = 1;
export const DEAD = 2;

/** A frame of a greenlet: anything the trampoline resumes with next()/throw(). */
export type Frame = Iterator<unknown, unknown, unknown>;

/** Stands as a frame for a pending `sync`: a delivery that reaches it returns from that `sync` (H5). */
export const BOUNDARY: Frame = Object.freeze({
  next(): never {
    throw new Error('internal: a sync boundary was resumed as a frame');
  },
}) as Frame;

let serials = 0;
let makingMain = true;

/**
 * A greenlet: a coroutine with its own stack of generator frames, switched to explicitly.
 *
 * @example
 * ```ts
 * import { Greenlet, getcurrent, sync } from '@greenstackless/greenlet';
 * const main = getcurrent();
 * const g = new Greenlet(function* (x: number) {
 *   const y = yield* main.switch(x + 1); // back to main, which later sends y
 *   return y * 2;
 * });
 * sync(g.switch(1));                   // => 2: g switched back to main with x + 1
 * sync(g.switch(10));                  // => 20: g returned, its result goes to its parent, main
 * ```
 */
export class Greenlet<R = unknown> {
  /** UNSTARTED, STARTED or DEAD. */
  state: number;
  /** The body, until the start. */
  runFn: Body<R> | undefined;
  /** The parent (null for main); see the `parent` accessor. */
  parentRef: Greenlet | null;
  /** The innermost frame, or null. */
  frame: Frame | null;
  /** The frames below `frame`, outermost first; null until a second frame is pushed. */
  below: Frame[] | null;
  /** The level of the innermost pending sync this greenlet called; 0 if none. */
  syncLevel: number;
  /** The sequence number of the newest op this greenlet's body made, while it is unrun; 0 if none (H8, ops.ts). */
  pendingSeq: number;
  /** That op, packed in one integer: its kind plus its target's tag (H8). */
  lastMade: number;
  /** Older unrun ops as pairs (sequence number, packed description), oldest first (H8); null while none. */
  forgotten: number[] | null;
  /**
   * The serial number in names (`Greenlet#3`, 0 for main), plus one, times four: an op aimed at this greenlet is
   * described by its kind plus this tag (H8, ops.ts), one addition per op.
   */
  readonly tag: number;

  constructor(run?: Body<R> | null, parent?: Greenlet | null) {
    this.state = UNSTARTED;
    this.runFn = checkRun(run);
    this.parentRef = null;
    this.frame = null;
    this.below = null;
    this.syncLevel = 0;
    this.pendingSeq = 0;
    this.lastMade = 0;
    this.forgotten = null;
    if (makingMain) {
      makingMain = false;
      this.tag = 4;
      this.state = STARTED;
      return;
    }
    this.tag = 4 * ++serials + 4;
    this.parentRef = parent === undefined || parent === null ? rt.current : checkParent(parent);
  }

  /** The function the greenlet starts with; undefined once it has started, and on main (G7). */
  get run(): Body<R> | undefined {
    return this.state === UNSTARTED ? this.runFn : undefined;
  }

  set run(value: Body<R> | null | undefined) {
    if (this.parentRef === null) throw new TypeError(`Main greenlets do not have a run attribute. (${this})`);
    if (this.state !== UNSTARTED) {
      throw new TypeError(`run cannot be set after the start of the greenlet (${this})`);
    }
    this.runFn = checkRun(value);
  }

  /** The greenlet that receives this one's result or error (G11-G14); null only for main. */
  get parent(): Greenlet | null {
    return this.parentRef;
  }

  set parent(value: Greenlet | null) {
    // G26, in this order; a failure changes nothing.
    if (this.parentRef === null) throw new TypeError(`cannot set the parent of a main greenlet (${this})`);
    const parent = checkParent(value);
    for (let p: Greenlet | null = parent; p !== null; p = p.parentRef) {
      if (p === this) throw new GreenletError(`cyclic parent chain: ${parent} descends from ${this}`);
    }
    this.parentRef = parent;
  }

  /** True once the greenlet finished, or was killed before it started (G2). */
  get dead(): boolean {
    return this.state === DEAD;
  }

  /** Python's `bool(g)`: started and not dead; always true for main (G2). */
  get active(): boolean {
    return this.state === STARTED;
  }

  /** An op that transfers control to this greenlet with the arguments (G3-G6, G16). */
  switch<T = unknown>(...args: unknown[]): Op<T> {
    // One argument is the common case: it is the value, and no array escapes (G4).
    const n = args.length;
    if (n === 1) return new NativeOp(SWITCH_ONE, this, args[0]) as any;
    // No argument shares one empty array. `args` escapes only in the last line, so V8 need not build the array
    // where that line never ran (it would if `args` met NO_ARGS in one expression).
    if (n === 0) return new NativeOp(SWITCH_MANY, this, NO_ARGS) as any;
    return new NativeOp(SWITCH_MANY, this, args) as any;
  }

  /** An op that raises `error` in this greenlet; no argument: a new GreenletExit (G17-G23). */
  throw<T = unknown>(error?: unknown): Op<T> {
    return new NativeOp(THROW, this, error === undefined ? new GreenletExit() : error) as any;
  }

  /** The serial number in names (`Greenlet#3`); 0 for main. */
  get serial(): number {
    return this.tag / 4 - 1;
  }

  toString(): string {
    return this.tag === 4 ? 'Greenlet#main' : `Greenlet#${this.serial}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

function checkRun<R>(run: unknown): Body<R> | undefined {
  if (run === undefined || run === null) return undefined;
  if (typeof run !== 'function') {
    throw new TypeError(`run must be a function, null or undefined, not ${describeValue(run)}`);
  }
  return run as Body<R>;
}

function checkParent(parent: unknown): Greenlet {
  if (!isInstance(parent, Greenlet)) {
    throw new TypeError(`Expected any type of greenlet as parent, not ${describeValue(parent)}`);
  }
  return parent;
}

/** The main greenlet of the native module (G27). */
export const mainGreenlet: Greenlet = new Greenlet();
rt.current = mainGreenlet;
rt.main = mainGreenlet;
