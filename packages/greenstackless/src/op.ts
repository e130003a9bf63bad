/**
 * The base of every op of the instance: the op protocol (the brand, H1), the checks every op makes first (S3, S20,
 * H8), the states of an op that switches (S5, S22), and its one resume path.
 *
 * Invariants:
 * - `phase` only moves forward: FRESH -> CLAIMED (iterator taken) -> RUNNING (first step) -> SUSPENDED (its
 *   greenlet switch is out) -> DONE, or from any of them to DONE (codes.ts; docs/design.md "Ops").
 * - An op is listed in the instance's registry of unrun ops (forgotten.ts) from its making until it is claimed.
 * - A SwitchOp changes nothing before its transfer arrives: its plan's `commit()` runs in the target's greenlet
 *   (scheduler.ts). The plan is the op itself, or for a PlannedOp one of the instance's reused plans. When the
 *   switch fails, the plan's `undo()` puts back what the op did before the switch, and the error comes out.
 * - A suspended caller resumes in a Suspension: the SwitchOp itself, or the shared Wait that stands for a PlannedOp
 *   once it has suspended. Either way, `resume` and `resumeWithError` are the resumption (S22, S5, P6, T21).
 * - A SwitchOp stepped with `next()`/`throw()` (by `yield*`, `sync`, greenlet-fix) gives one shared iterator result,
 *   `RESULT`, rewritten at each step of any op: a driver reads a result before it steps any op again. Every driver
 *   does (the trampoline, V8's `yield*`, the tasklet's frame, greenlet-fix's transfer op and body frame).
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Op } from '@greenstackless/greenlet';
import * as callbacksModule from './callbacks.js';
import * as codesModule from './codes.js';
import * as errorsModule from './errors.js';
import * as forgottenModule from './forgotten.js';
import * as schedulerModule from './scheduler.js';
import type { Scheduler } from './scheduler.js';
import type { TaskletImpl } from './tasklet.js';
import * as tempvalModule from './tempval.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { FRESH, CLAIMED, RUNNING, SUSPENDED, DONE } = codesModule;
const { GreenletError, isInstance, OP_BRAND } = greenletModule;
const { recursiveCall } = callbacksModule;
const { MSG, StacklessError } = errorsModule;
const { checkForgotten, list, makerOf, unlist } = forgottenModule;
const { schedulerOf } = schedulerModule;
const { claim } = tempvalModule;
type StacklessError = errorsModule.StacklessError;

// The same tests the native trampoline makes, so that both layers agree on what a body may yield.
export { isGenerator, isOp } from '@greenstackless/greenlet';

/** A finished step of an op's iterator (a new result object; the switching ops share one, see SwitchOp). */
export function finalResult(value: unknown): IteratorResult<unknown, unknown> {
  return { value, done: true };
}

/**
 * The iterator result of every step of a SwitchOp and of a tasklet's frame, rewritten at each (see the invariants):
 * the sites that read results see this one map, not one per op class, and a step allocates nothing.
 */
const RESULT: { value: unknown; done: boolean } = { value: undefined, done: false };

/** `RESULT` holding one step's outcome. */
export function stepResult(value: unknown, done: boolean): IteratorResult<unknown, unknown> {
  const r = RESULT;
  r.value = value;
  r.done = done;
  return r as IteratorResult<unknown, unknown>;
}

export abstract class OpBase {
  // Fields are `declare`d and set in the constructor (docs/v8.md#hidden-classes-and-inline-caches).
  declare readonly s: Scheduler;
  declare phase: number;
  /** The tasklet running the op, once it started. */
  declare caller: TaskletImpl | null;
  /** Its number in the instance's registry of unrun ops (forgotten.ts), or 0 when it is not listed. */
  declare serial: number;

  /** `subject` and `method` describe the op as `describe()` does, for H8's message: `Channel#2` and `send`. */
  constructor(s: Scheduler, subject: object | null, method: string) {
    this.s = s;
    this.phase = FRESH;
    this.caller = null;
    this.serial = list(s, subject, method);
  }

  /** How messages name the op: `Channel#2.send()`. */
  abstract describe(): string;

  /** The op's iterator steps (it is its own iterator). */
  abstract next(value?: unknown): IteratorResult<unknown, unknown>;
  abstract throw(error: unknown): IteratorResult<unknown, unknown>;

  /** The start of the op (H1): may be called once. (ChannelOp has a copy of this and of enter(): keep in step.) */
  [Symbol.iterator](): this {
    if (this.phase !== FRESH) {
      throw new GreenletError(`the op ${this.describe()} has already run; an op runs at most once (H1)`);
    }
    this.phase = CLAIMED;
    if (this.serial !== 0) unlist(this.s, this.serial);
    return this;
  }

  /**
   * The checks every op makes first: S20 (no callback is running), S3 (it runs in the greenlet of the current
   * tasklet), H8 (its body left no op of this instance unrun). Returns the caller, the current tasklet.
   */
  enter(): TaskletImpl {
    const s = this.s;
    const cur = s.current;
    // S20 first: a callback runs in the greenlet of the tasklet that gets control, while `current` is the other.
    if (s.inCallback !== 0) throw recursiveCall(s, this.describe());
    if (s.module.getcurrent() !== cur.g || (s.runsNow !== null && !s.runsNow())) throw notInCurrent(this, cur);
    if (s.newestSerial !== 0 || s.unrun.length !== 0) checkForgotten(s, cur);
    this.caller = cur;
    return cur;
  }

  toString(): string {
    return `[op ${this.describe()}]`;
  }

  /**
   * `util.inspect`: one line, e.g. `<op Channel#1.send() made in Tasklet#2, not run>`. An op that has not run
   * is listed (H8), which says who made it; one that has, says who ran it.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const phase = this.phase;
    if (phase === FRESH) {
      const maker = makerOf(this.s, this.serial);
      return `<op ${this.describe()}${maker === null ? '' : ` made in ${maker}`}, not run>`;
    }
    const state = phase === DONE ? 'done' : phase === SUSPENDED ? 'suspended' : 'running';
    return `<op ${this.describe()}${this.caller === null ? '' : ` run by ${this.caller}`}, ${state}>`;
  }
}
(OpBase.prototype as any)[OP_BRAND] = true;

// The failures of enter() are out of line: an op's start inlines enter(), and V8 inlines only so much bytecode
// (docs/v8.md#inlining).

export function notInCurrent(op: OpBase, cur: TaskletImpl): StacklessError {
  const here = op.s.module.getcurrent();
  // Under a layer made of tasklets, the module may name the right greenlet while another tower's code runs.
  const where = here === cur.g ? 'not in a greenlet of another instance or tower' : `not in ${String(here)}`;
  return new StacklessError(
    `${op.describe()} must run in the greenlet of ${cur}, the current tasklet of its instance, ${where} (S3)`,
  );
}

/** The switch trap refuses an op that would resume another tasklet (S13). */
export function trapError(op: OpBase): StacklessError {
  return new StacklessError(
    `${op.describe()} cannot switch to another tasklet while the switch trap is set (${MSG.switchTrap})`,
  );
}

/** What a suspended caller resumes in: a SwitchOp itself, or the Wait that stands for one (`standIn()`). */
export interface Suspension {
  /** How messages name what `t` waits in. */
  describeFor(t: TaskletImpl): string;
  /** The op is over: a SwitchOp is DONE. */
  settle(): void;
  /** What the op gives to `t`, whose transfer has arrived. */
  finishFor(t: TaskletImpl): unknown;
  /** What the op gives when its switch failed before control left and is not retried (S5): by default, the error. */
  switchFailed(error: unknown): unknown;
}

/**
 * The resume path, with a value: `t`, suspended in `w`, resumes. It must be the instance's transfer (S22), which
 * arrives; then `w` gives the op's result. (SwitchOp.resumed is this; the hot ops carry a copy.)
 */
export function resume(w: Suspension, t: TaskletImpl): unknown {
  w.settle();
  arriveAt(schedulerOf(t), t, w);
  return w.finishFor(t);
}

/**
 * The resume path, with `error`: gives `RESULT`, done with the op's result, or not done with the greenlet switch
 * of a retried interrupt (P6; the op is still suspended); or the error comes out.
 */
export function resumeWithError(w: Suspension, t: TaskletImpl, error: unknown): IteratorResult<unknown, unknown> {
  const s = schedulerOf(t);
  if (s.failedFrom(t)) {
    // S5: the op's switch failed before control left; nothing has changed (or it retries, P6).
    const retry = s.failed();
    if (retry !== null) return stepResult(retry, false);
    w.settle();
    return stepResult(w.switchFailed(error), true);
  }
  w.settle();
  arriveWithError(s, t, error, w);
  return stepResult(w.finishFor(t), true);
}

/** `me`, suspended in `w`, resumes with a value: it must be the instance's transfer (S22), which arrives. */
export function arriveAt(s: Scheduler, me: TaskletImpl, w: Suspension): void {
  if (!s.isOurs(me)) throw s.foreignResume(me, w.describeFor(me));
  s.arrive();
}

/**
 * `me`, suspended in `w` after its own transfer arrived, resumes with `error`. Returns if it is the instance's
 * transfer (the end of a tasklet by an error, T21: the error travels in the tempval); else throws.
 */
function arriveWithError(s: Scheduler, me: TaskletImpl, error: unknown, w: Suspension): void {
  if (s.isOurs(me)) {
    // The end of a tasklet by an error delivers that very error (any value: NaN too, hence Object.is). Any other
    // error replaced the delivery under this layer: the module's tracer threw (G32), or its H8 check at the
    // greenlet's end. It comes out here, not lost, and whatever the tempval held for the op is dropped with the
    // delivery it belonged to (a carrier left there would be thrown by a later op).
    const delivered = s.transit === s.endPlan && Object.is(error, s.endPlan.thrown);
    s.arrive();
    if (!delivered) {
      me.tempval = undefined;
      throw error;
    }
    return;
  }
  if (s.lostStart()) {
    // The module's tracer threw at the start of the tasklet being switched to (G32): its greenlet died before
    // the tasklet's code ran, and the error came up to the main greenlet. The tasklet ended by it at its start.
    s.endLostStart(me);
    throw error;
  }
  if (isInstance(error, GreenletError)) {
    s.redirected(me); // S5: an H7 redirect
    throw error;
  }
  throw s.foreignResume(me, w.describeFor(me), error);
}

/**
 * An op that may transfer control to another tasklet. Subclasses implement `start()` (the checks and the plan:
 * the result at once, or `suspend(s.switchTo(plan, target))`), `commit()` and, when they resume, `finishFor()`
 * (default: the claimed tempval, T11). Besides the iterator protocol, a tasklet's frame (frame.ts) drives it
 * through `begin()` and the resume path, which give values instead of iterator results.
 */
export abstract class SwitchOp extends OpBase implements Suspension {
  /** The result, or the greenlet switch op given by `suspend()`. */
  abstract start(): unknown;

  /** What the transfer commits on arrival, when the op is its own plan (a PlannedOp is not). */
  abstract commit(): void;

  /**
   * What the caller's frame keeps once the op has suspended: the op itself, or, for a PlannedOp, the shared Wait
   * that stands for it. Then a suspended tasklet does not keep its op alive, and the op dies young.
   */
  standIn(): SwitchOp | Wait {
    return this;
  }

  settle(): void {
    this.phase = DONE;
  }

  /** What the op gives once its caller `t` has resumed. */
  finishFor(t: TaskletImpl): unknown {
    return claim(t);
  }

  /** Undoes what the op did before its switch failed (S5). */
  undo(): void {}

  switchFailed(error: unknown): unknown {
    throw error;
  }

  suspend(switchOp: Op<unknown>): unknown {
    this.phase = SUSPENDED;
    return switchOp;
  }

  /**
   * The first step of a claimed op: the result (then DONE), or the greenlet switch op to yield (SUSPENDED).
   * ChannelOp, ScheduleOp, TaskletRunOp and RunOp have copies of begin(), resumed() and next()
   * (docs/v8.md#hidden-classes-and-inline-caches): keep them in step.
   */
  begin(): unknown {
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

  /** The SUSPENDED op's caller resumes with a value: the op's result (`resume`). */
  resumed(): unknown {
    return resume(this, this.caller!);
  }

  next(value?: unknown): IteratorResult<unknown, unknown> {
    const phase = this.phase;
    if (phase === SUSPENDED) return stepResult(this.resumed(), true);
    if (phase === CLAIMED) {
      const x = this.begin();
      return stepResult(x, this.phase === DONE);
    }
    if (phase === FRESH) {
      throw new GreenletError(
        `${this.describe()} was stepped with next() before its iterator was obtained: run ops with yield*, yield ` +
          'or sync() (H1)',
      );
    }
    return { value, done: true };
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    if (this.phase !== SUSPENDED) {
      this.phase = DONE;
      throw error;
    }
    return resumeWithError(this, this.caller!, error);
  }

  describeFor(_t: TaskletImpl): string {
    return this.describe();
  }
}

/**
 * A SwitchOp whose transfer commits one of the instance's reused plans (ChannelPlan, SchedulePlan, RunPlan)
 * instead of the op: once it has suspended, the caller's frame keeps the shared Wait that `wait()` gives, and the
 * op is garbage. So no old object (the scheduler, the frame) ever holds it: a store of a young object into an old
 * one costs a write barrier (docs/v8.md#write-barriers).
 */
export abstract class PlannedOp extends SwitchOp {
  /** The shared Wait that does what this op would do when its caller resumes. */
  abstract wait(): Wait;

  /** Never called: the transfer commits the instance's plan. */
  commit(): void {
    throw new Error(`internal: ${this.describe()} was committed; its transfer commits one of the instance's plans`);
  }

  override standIn(): Wait {
    this.phase = DONE;
    return this.wait();
  }
}

/**
 * What a tasklet frame keeps in place of a suspended PlannedOp (`standIn()`): one shared object per kind of op,
 * which does what the op would do when its caller resumes. It has no state, so it is always settled.
 */
export abstract class Wait implements Suspension {
  abstract describeFor(t: TaskletImpl): string;
  abstract finishFor(t: TaskletImpl): unknown;

  settle(): void {}

  switchFailed(error: unknown): unknown {
    throw error;
  }
}

/** A Wait whose op gives the claimed tempval (T11): `schedule()`, a tasklet's `run()` or `switch()`. */
export class ClaimWait extends Wait {
  /** How messages name the op: `schedule()`, `a tasklet's switch()`. */
  readonly label: string;

  constructor(label: string) {
    super();
    this.label = label;
  }

  describeFor(_t: TaskletImpl): string {
    return this.label;
  }

  finishFor(t: TaskletImpl): unknown {
    return claim(t);
  }
}
