/**
 * Native ops: `g.switch(...)`, `g.throw(...)` and `unwind(error)`, and the bookkeeping of ops never run (H8).
 *
 * An op is inert until it runs (H1). It runs in one of two ways, and both reach the trampoline with the op itself:
 * - `yield op` or `sync(op)`: the trampoline receives the op in state FRESH and starts it;
 * - `yield* op`: V8 calls `[Symbol.iterator]()` (the start), then `next()`, which yields the op itself; when the
 *   trampoline resumes the body, V8 forwards the result to `next(v)`, which completes the delegation.
 *
 * Forgotten ops (H8) cost two field writes per op: each greenlet remembers the last op its body made
 * (`lastMade`). A body that runs its ops has at most one unrun op at a time, so a second op made while the last
 * one is still FRESH means the last one is forgotten (no later start can pass the check); it moves to the
 * greenlet's `forgotten` list, the rare path.
 *
 * Invariants:
 * - `state` only moves forward: FRESH -> ITERATING -> YIELDED -> DONE, or FRESH -> DONE.
 * - Every op a body made and never ran is its greenlet's `lastMade` or on its `forgotten` list, until reported.
 */
import { GreenletError } from './errors.js';
import type { Greenlet } from './greenlet.js';
import { rt } from './runtime.js';
import { OP_BRAND } from './types.js';

/** Kinds: a switch with exactly one argument (the value), a switch with any other number, a throw, an unwind. */
export const SWITCH_ONE = 0;
export const SWITCH_MANY = 1;
export const THROW = 2;
export const UNWIND = 3;

export const FRESH = 0;
export const ITERATING = 1;
export const YIELDED = 2;
export const DONE = 3;

const METHOD_NAMES = ['switch', 'switch', 'throw', 'unwind'];

export class NativeOp {
  /** SWITCH_ONE, SWITCH_MANY, THROW or UNWIND. */
  readonly kind: number;
  /** The greenlet switched or thrown to; null for UNWIND. */
  readonly target: Greenlet | null;
  /** SWITCH_ONE: the argument; SWITCH_MANY: the arguments as given (G3); THROW, UNWIND: the error. */
  readonly payload: unknown;
  /** FRESH, ITERATING, YIELDED or DONE. */
  state: number;

  constructor(kind: number, target: Greenlet | null, payload: unknown) {
    this.kind = kind;
    this.target = target;
    this.payload = payload;
    this.state = FRESH;
    const maker = rt.current;
    const last = maker.lastMade;
    if (last !== null && last.state === FRESH && maker !== rt.main) forget(maker, last);
    maker.lastMade = this;
  }

  /** The start of a `yield*` delegation (H1, H8). */
  [Symbol.iterator](): this {
    if (this.state !== FRESH) throw alreadyRun(this);
    this.state = ITERATING;
    startOp(this, rt.current);
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

function forget(maker: Greenlet, op: NativeOp): void {
  (maker.forgotten ??= []).push(op);
}

/**
 * Starts `op` (no longer FRESH) in the running greenlet `g`: checks that `g` left no other op unrun (H8). If it
 * did, the oldest such op is reported once, this one counts as run, and the GreenletError is thrown.
 */
export function startOp(op: NativeOp, g: Greenlet): void {
  if (g.lastMade === op) {
    g.lastMade = null;
    if (g.forgotten === null) return;
  }
  if (g === rt.main) return; // main's top-level code is not a body (H8)
  const forgotten = takeForgotten(g);
  if (forgotten !== null) {
    op.state = DONE;
    throw forgottenError(forgotten, g);
  }
}

export function forgottenError(op: NativeOp, where: Greenlet, cause?: { cause: unknown }): GreenletError {
  return new GreenletError(
    `the op ${op.describe()} made in ${String(where)} was never run: run ops with yield*, yield or sync() (H8)`,
    cause,
  );
}

/** Takes the oldest op that `g`'s body made and never ran (H8), or null; it will not be reported again. */
export function takeForgotten(g: Greenlet): NativeOp | null {
  const list = g.forgotten;
  if (list !== null) {
    while (list.length !== 0) {
      const op = list.shift()!;
      if (op.state === FRESH) {
        if (list.length === 0) g.forgotten = null;
        return op;
      }
    }
    g.forgotten = null;
  }
  const last = g.lastMade;
  if (last !== null && last.state === FRESH) {
    g.lastMade = null;
    return last;
  }
  return null;
}
