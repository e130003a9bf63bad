/**
 * Native ops: `g.switch(...)`, `g.throw(...)` and `unwind(error)`, and the bookkeeping of ops never run (H8).
 *
 * An op is inert until it runs (H1). It runs in one of two ways, and both reach the trampoline with the op itself:
 * - `yield op` or `sync(op)`: the trampoline receives the op in state FRESH and starts it;
 * - `yield* op`: V8 calls `[Symbol.iterator]()` (the start), then `next()`, which yields the op itself; when the
 *   trampoline resumes the body, V8 forwards the result to `next(v)`, which completes the delegation.
 *
 * Forgotten ops (H8) are numbered, not linked: each op gets a sequence number, and each greenlet keeps the number
 * of the newest op its body made while that op is unrun (`pendingSeq`) and describes it in one small integer
 * (`lastMade`): storing the young op into the old greenlet would cost a write barrier (docs/v8.md#write-barriers),
 * integers cost none. A second op made while one is unrun moves the older one's number and description
 * to the `forgotten` list, the rare path; an op that starts leaves the slot or the list, so the op reported is
 * always one that never ran, the oldest first.
 *
 * Invariants:
 * - `state` only moves forward: FRESH -> CLAIMED -> SUSPENDED -> DONE, or FRESH -> DONE.
 * - The ops of `maker` that are FRESH and not yet reported are: the one numbered `maker.pendingSeq` (0: none),
 *   described by `maker.lastMade`, and the pairs (number, description) of `maker.forgotten`, oldest first, all
 *   older than it. Main's are listed too, but main's top-level code is not a body: they are reported at main's
 *   next `sync` (trampoline.ts) or at exit, never at an op main runs in a frame.
 */
import { GreenletError } from './errors.js';
import { reportUnrunAtExit } from './exit.js';
import type { Greenlet } from './greenlet.js';
import * as opcodes from './opcodes.js';
import * as runtime from './runtime.js';
import { OP_BRAND } from './types.js';

// Own constants, not imported bindings, on the hot path (docs/v8.md#imported-bindings).
const { FRESH, CLAIMED, SUSPENDED, DONE, UNWIND } = opcodes;
const rt = runtime.rt;

/** Sequence numbers stay small integers; they wrap around long before a listed op could meet its namesake. */
const MAX_SEQ = 0x3fffffff;

const METHOD_NAMES = ['switch', 'switch', 'throw', 'unwind'];

export class NativeOp {
  /** SWITCH_ONE, SWITCH_MANY, THROW or UNWIND. */
  readonly kind: number;
  /** The greenlet switched or thrown to; for UNWIND, which has none, the main greenlet (never null, so that the
   *  constructor inlined in `switch()` tests nothing: its kind is a constant there). */
  readonly target: Greenlet;
  /** SWITCH_ONE: the argument; SWITCH_MANY: the arguments as given (G3); THROW, UNWIND: the error. */
  readonly payload: unknown;
  /** FRESH, CLAIMED, SUSPENDED or DONE. */
  state: number;
  /** The greenlet that was running when the op was made (H8). */
  readonly maker: Greenlet;
  /** Its sequence number (H8): never 0, unique among the ops not yet run. */
  readonly seq: number;

  constructor(kind: number, target: Greenlet, payload: unknown) {
    this.kind = kind;
    this.target = target;
    this.payload = payload;
    this.state = FRESH;
    const maker = rt.current;
    this.maker = maker;
    const seq = (rt.opSeq & MAX_SEQ) + 1; // 1 to 2^30: never 0, always a small integer
    rt.opSeq = seq;
    this.seq = seq;
    if (maker.pendingSeq !== 0) forget(maker);
    maker.pendingSeq = seq;
    maker.lastMade = kind === UNWIND ? kind : kind + target.tag;
  }

  /** The start of a `yield*` delegation (H1, H8). */
  [Symbol.iterator](): this {
    if (this.state !== FRESH) throw alreadyRun(this);
    this.state = CLAIMED;
    countRun(this);
    const forgotten = forgottenAtStart(rt.current);
    if (forgotten !== null) {
      this.state = DONE; // it counts as run (H8)
      throw forgotten;
    }
    return this;
  }

  next(result?: unknown): IteratorResult<this, unknown> {
    if (this.state === CLAIMED) {
      this.state = SUSPENDED;
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
    return describeOp(this.kind, this.kind === UNWIND ? -1 : this.target.serial);
  }

  toString(): string {
    return `[op ${this.describe()}]`;
  }

  /** `util.inspect`: one line, e.g. `<op Greenlet#3.switch() made in Greenlet#main, not run>`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const state = this.state === FRESH ? 'not run' : this.state === DONE ? 'run' : 'running';
    return `<op ${this.describe()} made in ${this.maker}, ${state}>`;
  }
}
(NativeOp.prototype as any)[OP_BRAND] = true;

export function alreadyRun(op: NativeOp): GreenletError {
  return new GreenletError(`the op ${op.describe()} has already run; an op runs at most once (H1)`);
}

/** How messages name an op of `kind` aimed at the greenlet with serial `target` (-1: none). */
function describeOp(kind: number, target: number): string {
  if (target < 0) return `${METHOD_NAMES[kind]}()`;
  return `${target === 0 ? 'Greenlet#main' : `Greenlet#${target}`}.${METHOD_NAMES[kind]}()`;
}

/** Describes an op from its packed kind and target (see NativeOp's constructor). */
function describeMade(made: number): string {
  return describeOp(made % 4, Math.floor(made / 4) - 1); // arithmetic, not bits: serials may pass 2^29
}

/** A new op is made while `maker`'s newest one is still unrun: that one moves to the list. */
function forget(maker: Greenlet): void {
  (maker.forgotten ??= []).push(maker.pendingSeq, maker.lastMade);
}

/** `op` has just started: it leaves its maker's slot or list (H8). */
export function countRun(op: NativeOp): void {
  const maker = op.maker;
  if (maker.pendingSeq === op.seq) maker.pendingSeq = 0;
  else if (maker.forgotten !== null) unlist(maker, op.seq);
}

/** Takes the op numbered `seq` off `maker`'s list, if it is there. */
function unlist(maker: Greenlet, seq: number): void {
  const list = maker.forgotten!;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] !== seq) continue;
    list.splice(i, 2);
    if (list.length === 0) maker.forgotten = null;
    return;
  }
}

/**
 * The H8 check when the running greenlet `g` starts an op: the error reporting the oldest op it left unrun
 * (reported once), or null. Main's top-level code is not a body and is not checked.
 */
export function forgottenAtStart(g: Greenlet): GreenletError | null {
  if ((g.pendingSeq === 0 && g.forgotten === null) || g === rt.main) return null;
  return forgottenError(takeForgotten(g)!, g);
}

/**
 * H8 at a `sync` that main calls: the error reporting the oldest op main made and left unrun (reported once), or
 * null. Two reads when there is none.
 */
export function forgottenInMain(): GreenletError | null {
  const main = rt.main;
  if (main.pendingSeq === 0 && main.forgotten === null) return null;
  return forgottenError(takeForgotten(main)!, main);
}

/** The texts of every op main made and never ran, for the warnings at exit (H8); they are not reported again. */
function takeAllInMain(): string[] {
  const texts: string[] = [];
  const main = rt.main;
  for (let op = takeForgotten(main); op !== null; op = takeForgotten(main)) texts.push(forgottenText(op, main));
  return texts;
}
reportUnrunAtExit(takeAllInMain);

function forgottenText(op: string, where: Greenlet): string {
  return `the op ${op} made in ${String(where)} was never run: run ops with yield*, yield or sync() (H8)`;
}

export function forgottenError(op: string, where: Greenlet, cause?: { cause: unknown }): GreenletError {
  return new GreenletError(forgottenText(op, where), cause);
}

/** Describes the oldest op that `g`'s body made and never ran (H8), or null; it will not be reported again. */
export function takeForgotten(g: Greenlet): string | null {
  const list = g.forgotten;
  if (list !== null) {
    const made = list[1];
    list.splice(0, 2);
    if (list.length === 0) g.forgotten = null;
    return describeMade(made);
  }
  if (g.pendingSeq === 0) return null;
  g.pendingSeq = 0;
  return describeMade(g.lastMade);
}

/** At a body's end: the oldest forgotten op (H8), or null; the others are dropped (each greenlet reports once). */
export function takeForgottenAtEnd(g: Greenlet): string | null {
  const oldest = takeForgotten(g);
  g.pendingSeq = 0;
  g.forgotten = null;
  return oldest;
}
