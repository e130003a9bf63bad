/**
 * The life of a non-main tasklet: the body of its greenlet, and the plan of its end (T5, T20, T21, C13, S21).
 *
 * Invariants:
 * - Every non-main tasklet runs as one greenlet of the module whose run is `taskletBody` (one module-level
 *   generator function, not a closure per tasklet); it is started only by a transfer of the instance, with the
 *   tasklet as its argument.
 * - A tasklet ends by returning from (or throwing out of) `taskletBody` with its greenlet's parent set to the
 *   greenlet of the tasklet that resumes next. So the module delivers the end, and refuses it (H7) exactly as it
 *   would refuse a switch; the parent chain plays no other part (S1).
 * - The EndPlan is committed on arrival like any op: the tasklet leaves the ring and is marked dead after the
 *   schedule callback, which sees it alive (S17).
 */
import { callErrorHandler } from './callbacks.js';
import { DeadlockError, MSG, TaskletExit } from './errors.js';
import { forgottenError, isGenerator, isOp, takeForgotten } from './opbase.js';
import { CHANNEL, channelRemove, ringResumeInPlace, ringSuccessor, ringUnlink } from './runqueue.js';
import type { Plan, Scheduler } from './scheduler.js';
import { STARTED } from './state.js';
import type { TaskletImpl } from './tasklet.js';
import { Carrier } from './tempval.js';

/** The end of a tasklet, committed when control arrives at the tasklet that resumes next. */
export class EndPlan implements Plan {
  readonly s: Scheduler;
  /** The tasklet that ends. */
  tasklet: TaskletImpl | null = null;
  /** W, when it resumes because of the end (T21, C13); else null. */
  wake: TaskletImpl | null = null;
  /** What W's pending op throws (T21's error, C13's DeadlockError); null for a plain wake. */
  carrier: Carrier | null = null;

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
 * The run of every non-main tasklet's greenlet. Arrives (the transfer that started it), calls the tasklet's
 * function as a body (T5, §2), then ends the tasklet (T20, T21): the error handler first (S21), then the plan.
 */
export function* taskletBody(t: TaskletImpl): Generator<unknown, unknown, unknown> {
  const s = t.s;
  if (!s.isOurs(t)) throw s.foreignResume(t, 'its start');
  t.state = STARTED;
  s.arrive();
  let failed = false;
  let error: unknown = undefined;
  try {
    // A throw or kill before the first run: the error is thrown instead of calling the function (T16).
    const v = t.tempval;
    t.tempval = undefined;
    if (v instanceof Carrier) throw v.error;
    const r = (t.fn as Function).apply(undefined, t.args);
    if (isOp(r) || isGenerator(r)) yield r; // the rest of the body runs as a nested frame (H9)
  } catch (e) {
    failed = true;
    error = e;
  }
  const forgotten = takeForgotten(t);
  if (forgotten !== null) {
    error = forgottenError(forgotten, t, failed ? error : undefined); // H8, at the end of the body
    failed = true;
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
  const g = s.greenletOf(target);
  t.g!.parent = g;
  if (fatal) throw error; // so that a refused end (H7) carries the error as its cause
  return target.state === STARTED ? undefined : target; // an unstarted target starts as taskletBody(target)
}
