/**
 * The frame that runs a greenlet's body: a hand-written iterator that drives the body's generator and runs the
 * switch and throw ops the body yields (`yield g.switch(x)`) inside itself, as the trampoline would run them as
 * nested frames (H2, H3). So a greenlet-fix switch pushes and pops no trampoline frame, and the body's generator
 * is not a frame of its own.
 *
 * Invariants:
 * - `greenletBody` (lifecycle.ts) yields the frame once, with the generator that `run` gave; the trampoline runs
 *   it above the tasklet's own bottom frame, and its end (the body's return value, or the error the body threw)
 *   is the outcome `greenletBody` delivers to the parent.
 * - `op` is the TransferOp the frame is running (its iterator obtained and stepped at least once, not finished),
 *   or null: then the frame's next step resumes the body.
 * - Anything the body yields that is not a TransferOp (ops of the instance or other layers, native ops,
 *   sub-coroutines, mistakes) goes to the trampoline unchanged, which resumes the frame with its outcome.
 */
import { OP_BRAND } from '@greenstackless/greenlet';
import { TransferOp } from './transfer.js';

/** How the frame resumes the body or its op: with a value (next) or an error (throw). */
const NEXT = 0;
const RAISE = 1;

export class BodyFrame {
  declare readonly [OP_BRAND]: true;
  /** The body's generator (what `run` returned). */
  readonly body: Generator<unknown, unknown, unknown>;
  /** The transfer op the body is waiting in, run inside this frame; null when none is under way. */
  op: TransferOp | null = null;

  constructor(body: Generator<unknown, unknown, unknown>) {
    this.body = body;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(value?: unknown): IteratorResult<unknown, unknown> {
    return this.op === null ? this.resume(NEXT, value) : this.step(NEXT, value);
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    return this.op === null ? this.resume(RAISE, error) : this.step(RAISE, error);
  }

  /** Forwards the trampoline's answer to the op under way; once it finishes, the body resumes with its outcome. */
  private step(mode: number, v: unknown): IteratorResult<unknown, unknown> {
    const op = this.op!;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = mode === NEXT ? op.next(v) : op.throw(v);
    } catch (error) {
      this.op = null;
      return this.resume(RAISE, error);
    }
    if (!r.done) return r;
    this.op = null;
    return this.resume(NEXT, r.value);
  }

  /**
   * Resumes the body with (mode, v) and gives the trampoline what it yields; a TransferOp starts here instead
   * (H1 as the trampoline would check it), and the body is resumed at once if the op completes without switching
   * (a switch to itself, or an error before anything changed). What the body throws or returns ends the frame.
   */
  private resume(mode: number, v: unknown): IteratorResult<unknown, unknown> {
    const body = this.body;
    for (;;) {
      const r = mode === NEXT ? body.next(v) : body.throw(v);
      if (r.done) return r;
      const y = r.value;
      let op: TransferOp | null = null;
      let s: IteratorResult<unknown, unknown>;
      // One try for the test and the step: a separate test function was not inlined here.
      try {
        if (!(y instanceof TransferOp)) return r;
        op = y;
        s = op[Symbol.iterator]().next(undefined);
      } catch (error) {
        if (op === null) return r; // instanceof threw (a revoked Proxy): the trampoline reports it (H4)
        mode = RAISE;
        v = error;
        continue;
      }
      if (!s.done) {
        this.op = op;
        return s;
      }
      mode = NEXT;
      v = s.value;
    }
  }
}
Object.defineProperty(BodyFrame.prototype, OP_BRAND, { value: true });
