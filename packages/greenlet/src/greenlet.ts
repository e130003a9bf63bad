/**
 * The greenlet object of the native module (docs/greenlet.md).
 *
 * Invariants:
 * - `state` is UNSTARTED, STARTED or DEAD (G1, G2); main is made STARTED and never dies.
 * - `runFn` is the function to start with; it is undefined once the greenlet has started (G7).
 * - `frame` is the innermost frame: a generator or op iterator, the BOUNDARY of a pending `sync`, or null when the
 *   greenlet has no frames (unstarted, dead, or inside a plain body); `frameKind` is its kind, NO_FRAME for null.
 *   So a greenlet whose `frameKind` is GENERATOR_FRAME or ITERATOR_FRAME is started, and suspended unless it is
 *   the current one. `below` holds the outer frames, each followed by its kind, innermost last.
 * - `syncLevel` is the level of the innermost pending `sync` this greenlet called, 0 if none (H6).
 * - `parent` is null only for main; the chain from any greenlet ends at main and never cycles (G24-G26).
 */
import { asyncBodyError, isAsyncFunction } from './bodies.js';
import { GreenletError, GreenletExit } from './errors.js';
import * as opcodes from './opcodes.js';
import * as ops from './ops.js';
import * as runtime from './runtime.js';
import type { Body, Op } from './types.js';
import { describeValue, isInstance } from './values.js';

// Own constants, not imported bindings, on the hot path (docs/v8.md#imported-bindings).
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

// The kinds of frame. The trampoline resumes a generator by calling the generator builtins themselves: one call
// target whatever the generator functions of the program (docs/v8.md#generator-builtins).

/** A generator object whose `next` and `throw` are the builtins. */
export const GENERATOR_FRAME = 0;
/** Any other iterator: an op's, a layer's frame. */
export const ITERATOR_FRAME = 1;
/** The BOUNDARY of a pending `sync`. */
export const BOUNDARY_FRAME = 2;
/** No frame (`frame` is null). */
export const NO_FRAME = 3;

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
 *   const y = (yield* main.switch(x + 1)) as number; // back to main, which later sends y
 *   return y * 2;
 * });
 * sync(g.switch(1));                   // => 2: g switched back to main with x + 1
 * sync(g.switch(10));                  // => 20: g returned, its result goes to its parent, main
 * ```
 */
export class Greenlet<R = unknown> {
  /** @internal UNSTARTED, STARTED or DEAD. */
  state: number;
  /** @internal The body, until the start. */
  runFn: Body<R> | undefined;
  /** @internal The parent (null for main); see the `parent` accessor. */
  parentRef: Greenlet | null;
  /** @internal The innermost frame, or null. */
  frame: Frame | null;
  /** @internal The kind of `frame`: GENERATOR_FRAME, ITERATOR_FRAME, BOUNDARY_FRAME, or NO_FRAME for null. */
  frameKind: number;
  /** @internal The frames below `frame`, each followed by its kind, outermost first; null until a second frame. */
  below: (Frame | number)[] | null;
  /** @internal The level of the innermost pending sync this greenlet called; 0 if none. */
  syncLevel: number;
  /**
   * @internal The sequence number of the newest op this greenlet's body made, while it is unrun; 0 if none (H8,
   * ops.ts).
   */
  pendingSeq: number;
  /** @internal That op, packed in one integer: its kind plus its target's tag (H8). */
  lastMade: number;
  /**
   * @internal Older unrun ops as pairs (sequence number, packed description), oldest first (H8); null while none.
   */
  forgotten: number[] | null;
  /**
   * @internal The serial number in names (`Greenlet#3`, 0 for main), plus one, times four: an op aimed at this
   * greenlet is described by its kind plus this tag (H8, ops.ts), one addition per op.
   */
  readonly tag: number;

  /**
   * Makes an unstarted greenlet that will start as `run(...args)` at the first switch (G3); `run` is a generator
   * function or a plain function, and `parent` defaults to the current greenlet (G24). Throws `TypeError` for a
   * `run` that is no function, or an `async` one (G8, H9), or a parent of another module (G26).
   */
  constructor(run?: Body<R> | null, parent?: Greenlet | null) {
    this.state = UNSTARTED;
    this.runFn = checkRun(run);
    this.parentRef = null;
    this.frame = null;
    this.frameKind = NO_FRAME;
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

  /**
   * The function the greenlet starts with; undefined once it has started, and on main (G7). Assigning replaces it
   * until the start; afterwards, or on main, it throws `TypeError`, and so does an `async` function (G8, H9).
   */
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

  /**
   * The greenlet that receives this one's result or error when it ends (G11-G14); null only for main. It may be
   * set in any state; a value that is no greenlet of this module throws `TypeError`, a cycle `GreenletError`
   * (G26).
   */
  get parent(): Greenlet | null {
    return this.parentRef;
  }

  set parent(value: Greenlet | null) {
    // G26, in this order; a failure changes nothing.
    if (this.parentRef === null) throw new TypeError(`cannot set the parent of a main greenlet (${this})`);
    const parent = checkParent(value);
    for (let p: Greenlet | null = parent; p !== null; p = p.parentRef) {
      if (p === this) {
        throw new GreenletError(
          `${parent} cannot be the parent of ${this}, which is its ancestor: cyclic parent chain`,
        );
      }
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

  /**
   * An op that transfers control to this greenlet: an unstarted one starts as `run(...args)`, a suspended one
   * resumes with `undefined`, the one argument, or an array of several (G3-G6); a dead one passes it to its first
   * live ancestor (G16). The op gives what the next transfer back to the caller brings.
   *
   * @example
   * ```ts
   * import { Greenlet, getcurrent, sync } from '@greenstackless/greenlet';
   * const main = getcurrent();
   * const adder = new Greenlet(function* (total: number) {
   *   for (;;) total += (yield* main.switch(total)) as number;
   * });
   * sync(adder.switch(1)); // => 1
   * sync(adder.switch(2)); // => 3
   * ```
   */
  switch<T = unknown>(...args: unknown[]): Op<T> {
    // One argument is the common case: it is the value, and no array escapes (G4).
    const n = args.length;
    if (n === 1) return new NativeOp(SWITCH_ONE, this, args[0]) as any;
    // No argument shares one empty array. `args` escapes only in the last line, so V8 need not build the array
    // where that line never ran (it would if `args` met NO_ARGS in one expression).
    if (n === 0) return new NativeOp(SWITCH_MANY, this, NO_ARGS) as any;
    return new NativeOp(SWITCH_MANY, this, args) as any;
  }

  /**
   * An op that raises `error` in this greenlet at its pending op, or kills it before it starts; with no argument,
   * a new `GreenletExit`, which the greenlet's parent receives as a value if uncaught (G13, G17-G23).
   *
   * @example
   * ```ts
   * import { Greenlet, GreenletExit, getcurrent, sync } from '@greenstackless/greenlet';
   * const g = new Greenlet(function* () {
   *   try {
   *     yield* getcurrent().parent!.switch('waiting');
   *   } finally {
   *     console.log('cleaned up');
   *   }
   * });
   * sync(g.switch()); // => 'waiting'
   * const exit = sync(g.throw()); // prints 'cleaned up'; the GreenletExit comes back as g's result
   * exit instanceof GreenletExit; // => true
   * ```
   */
  throw<T = unknown>(error?: unknown): Op<T> {
    return new NativeOp(THROW, this, error === undefined ? new GreenletExit() : error) as any;
  }

  /** @internal The serial number in names (`Greenlet#3`); 0 for main. */
  get serial(): number {
    return this.tag / 4 - 1;
  }

  /** The greenlet's name: `Greenlet#main` or `Greenlet#<serial>`. */
  toString(): string {
    return this.tag === 4 ? 'Greenlet#main' : `Greenlet#${this.serial}`;
  }

  /** `util.inspect`: the name and the state, e.g. `Greenlet#4 <suspended, parent Greenlet#main>`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `${this} <${describeState(this)}>`;
  }
}

/** G1's state words, with where a suspended greenlet waits and its parent. */
function describeState(g: Greenlet): string {
  if (g.state === DEAD) return 'dead';
  const parent = g.parentRef === null ? '' : `, parent ${g.parentRef}`;
  if (g.state === UNSTARTED) return `unstarted${g.runFn === undefined ? ', no run' : ''}${parent}`;
  if (rt.current === g) return `running${parent}`;
  return `${g.syncLevel !== 0 ? 'suspended in sync()' : 'suspended'}${parent}`;
}

function checkRun<R>(run: unknown): Body<R> | undefined {
  if (run === undefined || run === null) return undefined;
  if (typeof run !== 'function') {
    throw new TypeError(`run must be a function, null or undefined, not ${describeValue(run)}`);
  }
  if (isAsyncFunction(run)) throw asyncBodyError('the run of a greenlet', run); // H9
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
