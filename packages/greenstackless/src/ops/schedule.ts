/**
 * `schedule(retval)` and `scheduleRemove(retval)` (S7, S8, C12).
 *
 * The op's `start()` reads as its rule: the checks in the order of the rule, then the switch trap (S5, S13), then
 * either the result at once or the transfer. The plan's `commit()` applies the rule's changes when the transfer
 * arrives (scheduler.ts); the caller is then still the head of the ring, so "at the tail" is "just before the
 * caller".
 */
import * as codesModule from '../codes.js';
import * as errorsModule from '../errors.js';
import * as opModule from '../op.js';
import type { Wait } from '../op.js';
import * as ringModule from '../ring.js';
import type { Plan, Scheduler } from '../scheduler.js';
import type { TaskletImpl } from '../tasklet.js';
import * as tempvalModule from '../tempval.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { CHANNEL, CLAIMED, DONE, RUNNING, SUSPENDED } = codesModule;
const { DeadlockError, MSG } = errorsModule;
const { arriveAt, ClaimWait, PlannedOp, stepResult, trapError } = opModule;
const { ringResumeInPlace, ringSuccessor, ringUnlink } = ringModule;
const { claim } = tempvalModule;

/** `schedule(retval)` (S7) and `scheduleRemove(retval)` (S8). */
export class ScheduleOp extends PlannedOp {
  readonly retval: unknown;
  readonly remove: boolean;

  constructor(s: Scheduler, retval: unknown, remove: boolean) {
    super(s, null, remove ? 'scheduleRemove' : 'schedule');
    this.retval = retval;
    this.remove = remove;
  }

  describe(): string {
    return this.remove ? 'scheduleRemove()' : 'schedule()';
  }

  start(): unknown {
    const c = this.enter();
    const s = this.s;
    let to = c.nextLink!;
    if (to === c) {
      // The caller is the only runnable tasklet.
      if (!this.remove) {
        commitSchedule(s, c, this.retval, false);
        return claim(c);
      }
      // C12: W resumes if it is paused; main alone with no run() pending stays runnable.
      const w = s.watchdog();
      if (w === c) {
        c.tempval = this.retval === undefined ? c : this.retval;
        return claim(c);
      }
      if (w.link === CHANNEL) {
        throw new DeadlockError(`${this.describe()} would pause ${c}, and ${w} is blocked: ${MSG.deadlock}`);
      }
      to = w;
    }
    if (s.trap !== 0) throw trapError(this);
    const plan = s.schedulePlan as SchedulePlan;
    plan.caller = c;
    plan.retval = this.retval;
    plan.remove = this.remove;
    return this.suspend(s.switchTo(plan, to));
  }

  wait(): Wait {
    return SCHEDULE_WAITS[this.remove ? 1 : 0];
  }

  // SwitchOp's steps, copied for this hot op (docs/v8.md#hidden-classes-and-inline-caches).
  override begin(): unknown {
    this.phase = RUNNING;
    let x: unknown;
    try {
      x = this.start();
    } catch (error) {
      this.phase = DONE;
      throw error;
    }
    if (this.phase !== SUSPENDED) this.phase = DONE;
    return x;
  }

  override resumed(): unknown {
    this.phase = DONE;
    const t = this.caller!;
    arriveAt(this.s, t, this);
    return this.finishFor(t);
  }

  override next(value?: unknown): IteratorResult<unknown, unknown> {
    const phase = this.phase;
    if (phase === SUSPENDED) return stepResult(this.resumed(), true);
    if (phase === CLAIMED) {
      const x = this.begin();
      return stepResult(x, this.phase === DONE);
    }
    return super.next(value);
  }
}

/**
 * The plan of a schedule() or scheduleRemove() that switches: one per instance, reused (at most one transfer is in
 * flight; instance.ts makes it), holding no op, so that neither the scheduler nor the caller's frame keeps a young
 * object (op.ts: PlannedOp).
 */
export class SchedulePlan implements Plan {
  declare readonly s: Scheduler;
  declare caller: TaskletImpl | null;
  declare retval: unknown;
  declare remove: boolean;

  constructor(s: Scheduler) {
    this.s = s;
    this.caller = null;
    this.retval = undefined;
    this.remove = false;
  }

  commit(): void {
    const retval = this.retval;
    const c = this.caller!;
    this.retval = undefined;
    this.caller = null; // nothing old keeps the caller once the op is over (M6)
    commitSchedule(this.s, c, retval, this.remove);
  }

  undo(): void {
    this.retval = undefined;
    this.caller = null;
  }
}

/** S7, S8: the caller's tempval is the retval (itself if undefined); scheduleRemove takes it out of the ring. */
function commitSchedule(s: Scheduler, c: TaskletImpl, retval: unknown, remove: boolean): void {
  c.tempval = retval === undefined ? c : retval;
  if (remove) {
    const head = ringSuccessor(c);
    ringUnlink(s, c);
    if (head === null) ringResumeInPlace(s, s.watchdog(), null); // C12: W resumes in place
  }
}

const SCHEDULE_WAITS = [new ClaimWait('schedule()'), new ClaimWait('scheduleRemove()')];
