/**
 * Native ops: `g.switch(...)`, `g.throw(...)` and `unwind(error)`, and the bookkeeping of ops never run (H8).
 *
 * An op is inert until it runs (H1). It runs in one of two ways, and both reach the trampoline with the op itself:
 * - `yield op` or `sync(op)`: the trampoline receives the op in state FRESH and starts it;
 * - `yield* op`: V8 calls `[Symbol.iterator]()` (the start), then `next()`, which yields the op itself; when the
 *   trampoline resumes the body, V8 forwards the result to `next(v)`, which completes the delegation.
 *
 * Invariants:
 * - `state` only moves forward: FRESH -> ITERATING -> YIELDED -> DONE, or FRESH -> DONE.
 * - An op is on its maker's unrun list (linked through `prevUnrun`) exactly while it is FRESH and was made in a
 *   body (not in main's top-level code, H8).
 */
import { GreenletError } from './errors.js';
import type { Greenlet } from './greenlet.js';
import { rt } from './runtime.js';
import { OP_BRAND } from './types.js';

export const SWITCH = 0;
export const THROW = 1;
export const UNWIND = 2;

export const FRESH = 0;
export const ITERATING = 1;
export const YIELDED = 2;
export const DONE = 3;

const METHOD_NAMES = ['switch', 'throw', 'unwind'];

export class NativeOp {
  /** SWITCH, THROW or UNWIND. */
  readonly kind: number;
  /** The greenlet switched or thrown to; null for UNWIND. */
  readonly target: Greenlet | null;
  /** What is delivered: the G4 value of a switch, the error of a throw or an unwind. */
  readonly value: unknown;
  /** A switch's arguments exactly as given, for a start (G3); null otherwise. */
  readonly args: unknown[] | null;
  /** FRESH, ITERATING, YIELDED or DONE. */
  state: number;
  /** The greenlet whose body made the op, while it is on that greenlet's unrun list; else null. */
  maker: Greenlet | null;
  /** The op made before this one by the same maker and not yet run (H8 list). */
  prevUnrun: NativeOp | null;

  constructor(kind: number, target: Greenlet | null, value: unknown, args: unknown[] | null) {
    this.kind = kind;
    this.target = target;
    this.value = value;
    this.args = args;
    this.state = FRESH;
    const maker = rt.current;
    if (maker === rt.main) {
      // Main's top-level code is not a body and is not checked (H8).
      this.maker = null;
      this.prevUnrun = null;
    } else {
      this.maker = maker;
      this.prevUnrun = maker.lastUnrun;
      maker.lastUnrun = this;
    }
  }

  /** The start of a `yield*` delegation (H1, H8). */
  [Symbol.iterator](): this {
    if (this.state !== FRESH) throw alreadyRun(this);
    startOp(this);
    this.state = ITERATING;
    return this;
  }

  next(result?: unknown): IteratorResult<this, unknown> {
    if (this.state === ITERATING) {
      this.state = YIELDED;
      return { value: this, done: false };
    }
    return { value: result, done: true };
  }

  throw(error: unknown): never {
    this.state = DONE;
    throw error;
  }

  /** How messages name this op: `Greenlet#3.switch()`. */
  describe(): string {
    const method = METHOD_NAMES[this.kind];
    return this.target === null ? `${method}()` : `${String(this.target)}.${method}()`;
  }

  toString(): string {
    return `[op ${this.describe()}]`;
  }
}
(NativeOp.prototype as any)[OP_BRAND] = true;

export function alreadyRun(op: NativeOp): GreenletError {
  return new GreenletError(`the op ${op.describe()} has already run; an op runs at most once (H1)`);
}

/**
 * Starts `op` in the running greenlet: takes it off its maker's unrun list, then checks that the running greenlet
 * left no other op unrun (H8). If it did, that op is reported (and forgotten), this one counts as run, and the
 * GreenletError is thrown.
 */
export function startOp(op: NativeOp): void {
  if (op.maker !== null) unlist(op);
  let forgotten = rt.current.lastUnrun;
  if (forgotten !== null) {
    while (forgotten.prevUnrun !== null) forgotten = forgotten.prevUnrun; // report the oldest first
    op.state = DONE;
    unlist(forgotten);
    throw forgottenError(forgotten, rt.current);
  }
}

/** Takes `op` off its maker's unrun list. O(1) when it is the newest entry, which is the common case. */
export function unlist(op: NativeOp): void {
  const maker = op.maker!;
  op.maker = null;
  if (maker.lastUnrun === op) {
    maker.lastUnrun = op.prevUnrun;
  } else {
    let later = maker.lastUnrun!;
    while (later.prevUnrun !== op) later = later.prevUnrun!;
    later.prevUnrun = op.prevUnrun;
  }
  op.prevUnrun = null;
}

export function forgottenError(op: NativeOp, where: Greenlet, cause?: { cause: unknown }): GreenletError {
  return new GreenletError(
    `the op ${op.describe()} made in ${String(where)} was never run: run ops with yield*, yield or sync() (H8)`,
    cause,
  );
}

/** Reports, at the end of a body, the oldest op it made and never ran (H8); null if there is none. */
export function takeForgotten(g: Greenlet): NativeOp | null {
  let op = g.lastUnrun;
  if (op === null) return null;
  while (op.prevUnrun !== null) op = op.prevUnrun;
  // The whole list is dropped: a greenlet's forgotten ops are reported once, at the first check.
  let each: NativeOp | null = g.lastUnrun;
  while (each !== null) {
    const prev: NativeOp | null = each.prevUnrun;
    each.maker = null;
    each.prevUnrun = null;
    each = prev;
  }
  g.lastUnrun = null;
  return op;
}
