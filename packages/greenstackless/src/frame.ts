/**
 * The life of a non-main tasklet: the run of its greenlet, its frame, and its end (T5, T20, T21, C13, S21).
 *
 * Invariants:
 * - Every non-main tasklet runs as one greenlet of the module whose run is `startTasklet` (one module-level
 *   function, not a closure per tasklet); it is started only by a transfer of the instance, with the tasklet as
 *   its argument. Its bottom frame is a TaskletFrame, which drives the body's generator and runs the ops of
 *   this package that the body yields inside itself (as `yield*` would), so a tasklet suspended in one of them
 *   has that one frame; anything else the body yields runs above it as a nested frame (H2, H3).
 * - A tasklet ends by finishing (or throwing out of) its TaskletFrame with its greenlet's parent set to the
 *   greenlet of the tasklet that resumes next. So the module delivers the end, and refuses it (H7) exactly as it
 *   would refuse a switch; the parent chain plays no other part (S1).
 * - The end fills the instance's EndPlan (scheduler.ts), committed on arrival like any op's plan: the tasklet
 *   leaves the ring and is marked dead after the schedule callback, which sees it alive (S17).
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as callbacksModule from './callbacks.js';
import * as codesModule from './codes.js';
import * as errorsModule from './errors.js';
import * as forgottenModule from './forgotten.js';
import * as opModule from './op.js';
import * as ringModule from './ring.js';
import * as schedulerModule from './scheduler.js';
import * as taskletModule from './tasklet.js';
import type { TaskletImpl } from './tasklet.js';
import * as tempvalModule from './tempval.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { isInstance, isThenable, OP_BRAND, thenableBodyError } = greenletModule;
const { callErrorHandler } = callbacksModule;
const { CHANNEL, SUSPENDED } = codesModule;
const { DeadlockError, MSG, TaskletExit } = errorsModule;
const { forgottenError, takeForgotten } = forgottenModule;
const { isGenerator, isOp, OpBase, resume, resumeWithError, stepResult, SwitchOp, Wait } = opModule;
const { ringSuccessor } = ringModule;
const { NOT_THROWN, schedulerOf } = schedulerModule;
const { STARTED } = taskletModule;
const { Carrier, isCarrier } = tempvalModule;
type Carrier = tempvalModule.Carrier;
type OpBase = opModule.OpBase;
type SwitchOp = opModule.SwitchOp;
type Wait = opModule.Wait;

/**
 * The run of every non-main tasklet's greenlet: the transfer that started it arrives, and the tasklet's bottom
 * frame is given back as an op, which the module runs as the greenlet's frame (G10, H9).
 */
export function startTasklet(t: TaskletImpl): TaskletFrame {
  const s = schedulerOf(t);
  if (!s.isOurs(t)) throw s.foreignResume(t, 'its start');
  t.state = STARTED;
  s.arrive();
  return new TaskletFrame(t);
}

/** How the frame resumes the body: with a value (next) or an error (throw). */
const NEXT = 0;
const RAISE = 1;

/** The body of a plain function that gave an op (H9): the op's outcome ends the tasklet. */
const PLAIN: Generator<unknown, unknown, unknown> = (function* () {})();

/**
 * The only frame of a tasklet's greenlet, a hand-written iterator (smaller than a generator). Its first step calls
 * the tasklet's function (T5); then it drives the body's generator itself, and runs each op of this package that
 * the body yields (`yield op`) inside itself, as `yield*` would: only what those ops yield (the greenlet switches)
 * and what the body yields that is not an op of this package (native ops, other layers' ops, sub-coroutines)
 * reach the trampoline. So a suspended tasklet has one frame, and its greenlet no outer-frames array. The step
 * after the body's end ends the tasklet (T20, T21).
 */
export class TaskletFrame {
  readonly t: TaskletImpl;
  /** The body's generator once the function has been called; PLAIN if it gave an op; null before the call. */
  body: Generator<unknown, unknown, unknown> | null;
  /** The op of this package the body is running (started, not finished), or the shared Wait that stands for
   *  it once it has suspended (op.ts: `standIn`), or null. */
  inner: OpBase | Wait | null;

  constructor(t: TaskletImpl) {
    this.t = t;
    this.body = null;
    this.inner = null;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(value: unknown): IteratorResult<unknown, unknown> {
    const inner = this.inner;
    if (inner === null) return this.body === null ? this.begin() : this.resume(NEXT, value);
    let result: unknown;
    try {
      if (inner instanceof Wait) {
        result = resume(inner, this.t);
      } else if (inner instanceof SwitchOp) {
        result = inner.resumed();
      } else {
        const r = inner.next(value);
        if (!r.done) return r;
        result = r.value;
      }
    } catch (error) {
      this.inner = null;
      return this.resume(RAISE, error);
    }
    this.inner = null;
    return this.resume(NEXT, result);
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    const inner = this.inner;
    if (inner === null) return this.resume(RAISE, error);
    let result: unknown;
    try {
      if (inner instanceof Wait || inner instanceof SwitchOp) {
        const r = resumeWithError(inner, this.t, error);
        if (!r.done) return r; // a retried switch (P6)
        result = r.value;
      } else {
        const r = inner.throw(error);
        if (!r.done) return r;
        result = r.value;
      }
    } catch (e) {
      this.inner = null;
      return this.resume(RAISE, e);
    }
    this.inner = null;
    return this.resume(NEXT, result);
  }

  /** Calls the tasklet's function (T5): a generator becomes the body; an op runs; anything else is the end (H9). */
  private begin(): IteratorResult<unknown, unknown> {
    const t = this.t;
    let r: unknown;
    try {
      // A throw or kill before the first run: the error is thrown instead of calling the function (T16).
      const v = t.tempval;
      t.tempval = undefined;
      if (isCarrier(v)) throw (v as Carrier).error;
      const args = t.args!;
      t.args = null;
      r = (t.fn as Function).apply(undefined, args);
    } catch (error) {
      return endTasklet(t, true, error);
    }
    if (isGenerator(r)) {
      this.body = r;
      return this.resume(NEXT, undefined);
    }
    if (isOp(r)) {
      // H9: a plain body that gives an op runs it as a nested frame; its outcome ends the tasklet.
      this.body = PLAIN;
      return { value: r, done: false };
    }
    if (isThenable(r)) return endTasklet(t, true, thenableBodyError(String(t))); // H9: it dies with the refusal
    return endTasklet(t, false, undefined);
  }

  /**
   * Resumes the body with (mode, v) and gives the trampoline what it yields; an op of this package starts here
   * instead (H1, H2: as the trampoline would start it as a nested frame), and the body is resumed with its result
   * or error at once if it completes without switching.
   */
  private resume(mode: number, v: unknown): IteratorResult<unknown, unknown> {
    const body = this.body!;
    if (body === PLAIN) return endTasklet(this.t, mode === RAISE, mode === RAISE ? v : undefined);
    for (;;) {
      let r: IteratorResult<unknown, unknown>;
      try {
        r = mode === NEXT ? body.next(v) : body.throw(v);
      } catch (error) {
        return endTasklet(this.t, true, error);
      }
      if (r.done) return endTasklet(this.t, false, undefined);
      const y = r.value;
      const kind = kindOf(y);
      if (kind === SWITCH_OP) {
        const op = y as SwitchOp;
        // The common case, without iterator results: the op's result, or the greenlet switch it suspends in.
        try {
          op[Symbol.iterator](); // H1
          v = op.begin();
        } catch (error) {
          mode = RAISE;
          v = error;
          continue;
        }
        if (op.phase === SUSPENDED) {
          this.inner = op.standIn();
          return stepResult(v, false);
        }
        mode = NEXT;
        continue;
      }
      if (kind === FOREIGN) return r; // the trampoline's: native ops, other layers' ops, sub-coroutines, mistakes
      let step: IteratorResult<unknown, unknown>;
      try {
        step = (y as OpBase)[Symbol.iterator]().next(undefined);
      } catch (error) {
        mode = RAISE;
        v = error;
        continue;
      }
      if (!step.done) {
        this.inner = y as OpBase;
        return step;
      }
      mode = NEXT;
      v = step.value;
    }
  }
}
(TaskletFrame.prototype as any)[OP_BRAND] = true;

/** What a body yielded: a SwitchOp, another op of this package, or anything else (FOREIGN). */
const SWITCH_OP = 0;
const OTHER_OP = 1;
const FOREIGN = 2;

/** Classifies a yielded value; never throws (a revoked Proxy is FOREIGN, and the trampoline refuses it, H4). */
function kindOf(y: unknown): number {
  try {
    return y instanceof SwitchOp ? SWITCH_OP : y instanceof OpBase ? OTHER_OP : FOREIGN;
  } catch {
    return FOREIGN;
  }
}

/**
 * The end of `t` (T20, T21, C13): forgotten ops (H8), then the error handler (S21), then the plan, committed when
 * control arrives at the tasklet that resumes next. Gives the frame's last result, or throws the tasklet's error
 * so that a refused end (H7) carries it as its cause.
 */
function endTasklet(t: TaskletImpl, failed: boolean, error: unknown): IteratorResult<unknown, unknown> {
  const s = schedulerOf(t);
  if (s.newestSerial !== 0 || s.unrun.length !== 0) {
    const forgotten = takeForgotten(s, t);
    if (forgotten !== null) {
      error = forgottenError(forgotten, t, failed ? error : undefined); // H8, at the end of the body
      failed = true;
    }
  }
  if (failed && !isInstance(error, TaskletExit)) {
    const h = s.errorHandler;
    if (h !== null) {
      if (callErrorHandler(s, h, error, t)) {
        failed = false;
      } else {
        error = s.handlerError;
        s.handlerError = undefined;
      }
    }
  }
  const fatal = failed && !isInstance(error, TaskletExit);
  const plan = s.endPlan;
  plan.tasklet = t;
  plan.wake = null; // a refused end (H7, S5) may have left the last plan uncommitted
  plan.carrier = null;
  plan.thrown = NOT_THROWN;
  let to = ringSuccessor(t);
  if (fatal) {
    // T21: the error goes to W, which resumes in place.
    to = plan.wake = s.watchdog();
    plan.carrier = new Carrier(error);
  } else if (to === null) {
    // C13: the ring is empty; a paused W resumes, a blocked W gets the DeadlockError of its direction.
    const w = (to = plan.wake = s.watchdog());
    if (w.link === CHANNEL) {
      plan.carrier = new Carrier(new DeadlockError(
        `${w}: ${w.channel!.balance > 0 ? MSG.deadlockSending : MSG.deadlockReceiving}`,
      ));
    }
  }
  const target = s.aim(plan, to);
  t.g!.parent = s.greenletOf(target);
  if (fatal) {
    plan.thrown = error;
    throw error;
  }
  return stepResult(target.state === STARTED ? undefined : target, true); // an unstarted target starts with it
}
