/**
 * The scheduling ops: `schedule`/`scheduleRemove` (S7, S8, C12), `t.run()`/`t.switch()` (T14, T15),
 * `t.throw()`/`t.kill()`/`t.raiseException()` (T16-T19) and `atomic(body)` (S14, S15, P6).
 *
 * Each op is one class whose `start()` reads as its rule: the checks in the order of the rule, then the switch
 * trap (S5, S13), then either the result at once or the transfer. `commit()` applies the rule's changes when
 * the transfer arrives (see scheduler.ts); the caller is then still the head of the ring, so "at the tail" is
 * "just before the caller".
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as errorsModule from './errors.js';
import * as opbaseModule from './opbase.js';
import * as runqueueModule from './runqueue.js';
import type { Plan, Scheduler } from './scheduler.js';
import * as stateModule from './state.js';
import type { TaskletImpl } from './tasklet.js';
import * as tempvalModule from './tempval.js';
import * as watchdogModule from './watchdog.js';

// Imported names as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { isInstance, isThenable, thenableBodyError } = greenletModule;
const { DeadlockError, MSG, StacklessError, TaskletExit } = errorsModule;
const {
  arriveAt, DONE, finalResult, isGenerator, isOp, OpBase, PlannedOp, RUNNING, CLAIMED, stepResult, SUSPENDED, SwitchOp,
  trapError, Wait,
} = opbaseModule;
const {
  CHANNEL, channelRemove, RING, ringInsertBefore, ringReplace, ringResumeInPlace, ringSuccessor, ringUnlink,
} = runqueueModule;
const { NOT_ALIVE } = stateModule;
const { Carrier, claim } = tempvalModule;
const { TickOp } = watchdogModule;
type Wait = opbaseModule.Wait;

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
    const plan = s.schedulePlan;
    plan.caller = c;
    plan.retval = this.retval;
    plan.remove = this.remove;
    return this.suspend(s.switchTo(plan, to));
  }

  wait(): Wait {
    return SCHEDULE_WAITS[this.remove ? 1 : 0];
  }

  // SwitchOp's steps, copied for this hot op (see ChannelOp in channelops.ts; docs/v8.md).
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
    arriveAt(this.s, this.caller!, this);
    return this.finish();
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
 * flight), holding no op, so that neither the scheduler nor the caller's frame keeps a young object (see
 * channelops.ts: ChannelPlan).
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

/** What a tasklet frame keeps in place of a suspended ScheduleOp or TaskletRunOp: the claimed tempval (T11). */
class ClaimWait extends Wait {
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

const SCHEDULE_WAITS = [new ClaimWait('schedule()'), new ClaimWait('scheduleRemove()')];

/** `t.run()` (T14) and `t.switch()` (T15). */
export class TaskletRunOp extends PlannedOp {
  readonly t: TaskletImpl;
  readonly isSwitch: boolean;

  constructor(t: TaskletImpl, isSwitch: boolean) {
    super(t.s, t, isSwitch ? 'switch' : 'run');
    this.t = t;
    this.isSwitch = isSwitch;
  }

  describe(): string {
    return `${this.t}.${this.isSwitch ? 'switch' : 'run'}()`;
  }

  start(): unknown {
    const c = this.enter();
    const t = this.t;
    if (t.link === CHANNEL) throw new StacklessError(`${this.describe()}: ${MSG.blockedRun}`);
    if (t.state === NOT_ALIVE) throw new StacklessError(`${this.describe()}: ${MSG.deadRun}`);
    // M10: on the current tasklet, nothing happens.
    if (t === c) return claim(c);
    const s = this.s;
    if (s.trap !== 0) throw trapError(this);
    const plan = s.runPlan;
    plan.caller = c;
    plan.t = t;
    plan.isSwitch = this.isSwitch;
    return this.suspend(s.switchTo(plan, t));
  }

  wait(): Wait {
    return RUN_WAITS[this.isSwitch ? 1 : 0];
  }

  // SwitchOp's steps, copied for this hot op (see ChannelOp in channelops.ts; docs/v8.md).
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
    arriveAt(this.s, this.caller!, this);
    return this.finish();
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

/** The plan of a `t.run()` or `t.switch()` that switches: one per instance, reused (see SchedulePlan). */
export class RunPlan implements Plan {
  declare readonly s: Scheduler;
  declare caller: TaskletImpl | null;
  declare t: TaskletImpl | null;
  declare isSwitch: boolean;

  constructor(s: Scheduler) {
    this.s = s;
    this.caller = null;
    this.t = null;
    this.isSwitch = false;
  }

  commit(): void {
    const c = this.caller!;
    const t = this.t!;
    this.caller = null; // nothing old keeps the two once the op is over (M6)
    this.t = null;
    // A t outside the ring goes in at the tail, which is the caller's place for a switch.
    if (t.link !== RING) {
      if (this.isSwitch) ringReplace(c, t); // T15: t takes the caller's place
      else ringInsertBefore(this.s, t, c);
    } else if (this.isSwitch) {
      ringUnlink(this.s, c);
    }
  }

  undo(): void {
    this.caller = null;
    this.t = null;
  }
}

const RUN_WAITS = [new ClaimWait("a tasklet's run()"), new ClaimWait("a tasklet's switch()")];

/** `t.throw(error, {pending})` (T16, T17), `t.kill({pending})` (T18), `t.raiseException(...)` (T19). */
export class ThrowOp extends SwitchOp {
  readonly t: TaskletImpl;
  error: unknown;
  readonly pending: boolean;
  /** For raiseException: the class and arguments of the error, made in the caller when the op starts. */
  readonly errorClass: (new (...a: any[]) => unknown) | null;
  readonly args: unknown[] | null;
  readonly method: string;

  constructor(
    t: TaskletImpl, error: unknown, pending: boolean, method: string,
    errorClass: (new (...a: any[]) => unknown) | null, args: unknown[] | null,
  ) {
    super(t.s, t, method);
    this.t = t;
    this.error = error;
    this.pending = pending;
    this.method = method;
    this.errorClass = errorClass;
    this.args = args;
  }

  describe(): string {
    return `${this.t}.${this.method}()`;
  }

  start(): unknown {
    const c = this.enter();
    const t = this.t;
    if (this.errorClass !== null) this.error = new this.errorClass(...this.args!); // T19
    const error = this.error;
    if (t === c) throw error; // T16: on the current tasklet, at once
    if (t.state === NOT_ALIVE) {
      if (isInstance(error, TaskletExit)) return undefined;
      throw new StacklessError(`${this.describe()}: ${MSG.throwDead}`, { cause: error });
    }
    if (this.pending) {
      this.commit(); // nothing switches, so the switch trap does not apply (S13)
      return undefined;
    }
    if (this.s.trap !== 0) throw trapError(this);
    return this.suspend(this.s.switchTo(this, t));
  }

  commit(): void {
    const t = this.t;
    t.tempval = new Carrier(this.error);
    if (t.link === CHANNEL) channelRemove(t);
    if (t.link !== RING) ringInsertBefore(this.s, t, this.caller!);
  }
}

/** `atomic(body)` (S14, S15): runs the body with the caller's `atomic` flag set, then restores the flag. */
export class AtomicOp extends OpBase {
  readonly body: () => unknown;
  /** The flag found at the start. */
  saved: boolean;
  result: unknown;
  /** True while the body runs as a nested frame; false while a due preemption is being taken (P6). */
  inBody: boolean;

  constructor(s: Scheduler, body: () => unknown) {
    super(s, null, 'atomic');
    this.body = body;
    this.saved = false;
    this.result = undefined;
    this.inBody = false;
  }

  describe(): string {
    return 'atomic()';
  }

  next(value?: unknown): IteratorResult<unknown, unknown> {
    if (this.phase === CLAIMED) {
      this.phase = RUNNING;
      let c: TaskletImpl;
      try {
        c = this.enter();
      } catch (error) {
        this.phase = DONE;
        throw error;
      }
      this.saved = c.atomic;
      c.atomic = true;
      let r: unknown;
      const body = this.body;
      try {
        r = body(); // called as a plain function: `this` is undefined
      } catch (error) {
        this.restore();
        throw error;
      }
      if (isOp(r) || isGenerator(r)) {
        this.inBody = true;
        return { value: r, done: false };
      }
      if (isThenable(r)) {
        this.restore();
        throw thenableBodyError('atomic()'); // H9
      }
      return this.complete(r);
    }
    if (this.phase !== RUNNING) return finalResult(value);
    if (this.inBody) return this.complete(value);
    this.phase = DONE;
    return finalResult(this.result); // back from a preemption taken at the end (P6)
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    if (this.phase === RUNNING && this.inBody) this.restore();
    this.phase = DONE;
    throw error;
  }

  private restore(): void {
    this.inBody = false;
    this.phase = DONE;
    this.caller!.atomic = this.saved;
  }

  /** The body returned: restore the flag; if that clears it while a hard budget is spent, take it now (P6). */
  private complete(result: unknown): IteratorResult<unknown, unknown> {
    this.restore();
    if (!this.saved && this.s.hardInterruptDue()) {
      this.phase = RUNNING;
      this.result = result;
      return { value: new TickOp(this.s, false), done: false };
    }
    return finalResult(result);
  }
}
