/**
 * The life of a non-main tasklet: the body of its greenlet, and the plan of its end (T5, T20, T21, C13, S21).
 *
 * Invariants:
 * - Every non-main tasklet runs as one greenlet of the module whose run is `startTasklet` (one module-level
 *   function, not a closure per tasklet); it is started only by a transfer of the instance, with the tasklet as
 *   its argument. Its bottom frame is a TaskletFrame; the body runs above it as a nested frame.
 * - A tasklet ends by finishing (or throwing out of) its TaskletFrame with its greenlet's parent set to the
 *   greenlet of the tasklet that resumes next. So the module delivers the end, and refuses it (H7) exactly as it
 *   would refuse a switch; the parent chain plays no other part (S1).
 * - The EndPlan is committed on arrival like any op: the tasklet leaves the ring and is marked dead after the
 *   schedule callback, which sees it alive (S17).
 */
import { OP_BRAND } from '@greenstackless/greenlet';
import { callErrorHandler } from './callbacks.js';
import { DeadlockError, MSG, TaskletExit } from './errors.js';
import { forgottenError, isGenerator, isOp, takeForgotten } from './opbase.js';
import { CHANNEL, channelRemove, ringResumeInPlace, ringSuccessor, ringUnlink } from './runqueue.js';
import type { Plan, Scheduler } from './scheduler.js';
import { STARTED } from './state.js';
import type { TaskletImpl } from './tasklet.js';
import { Carrier } from './tempval.js';

/** EndPlan.thrown when the end threw nothing. */
export const NOT_THROWN: unique symbol = Symbol('not thrown');

/** The end of a tasklet, committed when control arrives at the tasklet that resumes next. */
export class EndPlan implements Plan {
  readonly s: Scheduler;
  /** The tasklet that ends. */
  tasklet: TaskletImpl | null = null;
  /** W, when it resumes because of the end (T21, C13); else null. */
  wake: TaskletImpl | null = null;
  /** What W's pending op throws (T21's error, C13's DeadlockError); null for a plain wake. */
  carrier: Carrier | null = null;
  /** The error the tasklet's frame threw to end it (T21), or NOT_THROWN: any other error that arrives with the
   *  end is the module's replacement of the outcome (its own H8 check at the greenlet's end). */
  thrown: unknown = NOT_THROWN;

  constructor(s: Scheduler) {
    this.s = s;
  }

  commit(): void {
    const s = this.s;
    const t = this.tasklet!;
    this.tasklet = null;
    const head = ringSuccessor(t);
    ringUnlink(s, t);
    const w = this.wake;
    if (w !== null) {
      this.wake = null;
      if (w.link === CHANNEL) channelRemove(w); // T21, C13: W leaves its channel, the balance is restored
      if (this.carrier !== null) {
        w.tempval = this.carrier;
        this.carrier = null;
      }
      ringResumeInPlace(s, w, head);
    }
    s.dying = t;
  }
}

/**
 * The run of every non-main tasklet's greenlet: the transfer that started it arrives, and the tasklet's bottom
 * frame is given back as an op, which the module runs as the greenlet's frame (G10, H9).
 */
export function startTasklet(t: TaskletImpl): TaskletFrame {
  const s = t.s;
  if (!s.isOurs(t)) throw s.foreignResume(t, 'its start');
  t.state = STARTED;
  s.arrive();
  return new TaskletFrame(t);
}

/**
 * The bottom frame of a tasklet's greenlet, a hand-written iterator (smaller than a generator): its first step
 * calls the tasklet's function (T5) and gives back the body as a nested frame; the step after the body's end ends
 * the tasklet (T20, T21).
 */
export class TaskletFrame {
  readonly t: TaskletImpl;
  /** False until the function has been called. */
  called: boolean;

  constructor(t: TaskletImpl) {
    this.t = t;
    this.called = false;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<unknown, unknown> {
    const t = this.t;
    if (!this.called) {
      this.called = true;
      let r: unknown;
      try {
        // A throw or kill before the first run: the error is thrown instead of calling the function (T16).
        const v = t.tempval;
        t.tempval = undefined;
        if (v instanceof Carrier) throw v.error;
        const args = t.args!;
        t.args = null;
        r = (t.fn as Function).apply(undefined, args);
      } catch (error) {
        return endTasklet(t, true, error);
      }
      if (isOp(r) || isGenerator(r)) return { value: r, done: false }; // the body runs as a nested frame (H9)
    }
    return endTasklet(t, false, undefined);
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    return endTasklet(this.t, true, error);
  }
}
(TaskletFrame.prototype as any)[OP_BRAND] = true;

/**
 * The end of `t` (T20, T21, C13): forgotten ops (H8), then the error handler (S21), then the plan, committed when
 * control arrives at the tasklet that resumes next. Gives the frame's last result, or throws the tasklet's error
 * so that a refused end (H7) carries it as its cause.
 */
function endTasklet(t: TaskletImpl, failed: boolean, error: unknown): IteratorResult<unknown, unknown> {
  const s = t.s;
  if (s.newestUnrun !== null || s.unrun.length !== 0) {
    const forgotten = takeForgotten(t);
    if (forgotten !== null) {
      error = forgottenError(forgotten, t, failed ? error : undefined); // H8, at the end of the body
      failed = true;
    }
  }
  if (failed && !(error instanceof TaskletExit)) {
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
  const fatal = failed && !(error instanceof TaskletExit);
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
  const target = s.aim(plan, t, to);
  t.g!.parent = s.greenletOf(target);
  if (fatal) {
    plan.thrown = error;
    throw error;
  }
  return { value: target.state === STARTED ? undefined : target, done: true }; // an unstarted target starts with it
}
