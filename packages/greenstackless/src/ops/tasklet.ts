/**
 * The ops of a tasklet: `t.run()`/`t.switch()` (T14, T15) and `t.throw()`/`t.kill()`/`t.raiseException()`
 * (T16-T19), and the methods of the tasklet class that make them (`taskletMethods`, installed by instance.ts).
 *
 * Each op's `start()` reads as its rule: the checks in the order of the rule, then the switch trap (S5, S13), then
 * either the result at once or the transfer. `commit()` applies the rule's changes when the transfer arrives
 * (scheduler.ts); the caller is then still the head of the ring, so "at the tail" is "just before the caller".
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Op } from '@greenstackless/greenlet';
import * as codesModule from '../codes.js';
import * as errorsModule from '../errors.js';
import * as opModule from '../op.js';
import type { Wait } from '../op.js';
import * as ringModule from '../ring.js';
import * as schedulerModule from '../scheduler.js';
import type { Plan, Scheduler } from '../scheduler.js';
import * as taskletModule from '../tasklet.js';
import type { TaskletImpl } from '../tasklet.js';
import * as tempvalModule from '../tempval.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { isInstance, messageOf } = greenletModule;
const { CHANNEL, CLAIMED, DONE, RING, RUNNING, SUSPENDED } = codesModule;
const { MSG, StacklessError, TaskletExit } = errorsModule;
const { arriveAt, ClaimWait, PlannedOp, stepResult, SwitchOp, trapError } = opModule;
const { channelRemove, ringInsertBefore, ringReplace, ringUnlink } = ringModule;
const { schedulerOf } = schedulerModule;
const { NOT_ALIVE } = taskletModule;
const { Carrier, claim } = tempvalModule;

/** `t.run()` (T14) and `t.switch()` (T15). */
export class TaskletRunOp extends PlannedOp {
  readonly t: TaskletImpl;
  readonly isSwitch: boolean;

  constructor(t: TaskletImpl, isSwitch: boolean) {
    super(schedulerOf(t), t, isSwitch ? 'switch' : 'run');
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
    const plan = s.runPlan as RunPlan;
    plan.caller = c;
    plan.t = t;
    plan.isSwitch = this.isSwitch;
    return this.suspend(s.switchTo(plan, t));
  }

  wait(): Wait {
    return RUN_WAITS[this.isSwitch ? 1 : 0];
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
    super(schedulerOf(t), t, method);
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


/**
 * The methods of the tasklet class that make its ops (types.ts: Tasklet), installed on TaskletImpl's prototype by
 * instance.ts: they are defined here, with their ops, because tasklet.ts is below the ops.
 */
export const taskletMethods = {
  /** Resumes the tasklet at once; the caller stays in the ring (T14). Gives the caller's tempval. */
  run(this: TaskletImpl): Op<unknown> {
    return new TaskletRunOp(this, false);
  },

  /** Resumes the tasklet at once; the caller is paused (T15). Gives the caller's tempval. */
  switch(this: TaskletImpl): Op<unknown> {
    return new TaskletRunOp(this, true);
  },

  /** `throw(new TaskletExit(), {pending})` (T18). */
  kill(this: TaskletImpl, options?: { pending?: boolean }): Op<unknown> {
    return new ThrowOp(this, new TaskletExit(), pendingOption(options), 'kill', null, null);
  },

  /** Throws `error` in the tasklet, now or when it next runs (T16, T17). */
  throw(this: TaskletImpl, error: unknown, options?: { pending?: boolean }): Op<unknown> {
    if (error === undefined) throw new TypeError(`${this}.throw() needs an error`);
    return new ThrowOp(this, error, pendingOption(options), 'throw', null, null);
  },

  /** A non-pending throw of `new errorClass(...args)`, made in the caller (T19). */
  raiseException(this: TaskletImpl, errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<unknown> {
    if (errorClass === undefined) throw new TypeError(`${this}: raise_exception() takes at least 1 argument`);
    if (typeof errorClass !== 'function') {
      throw new TypeError(`${this}: tasklet.raise_exception needs Exception or string subclass as first parameter`);
    }
    return new ThrowOp(this, undefined, false, 'raiseException', errorClass, args);
  },
};

function pendingOption(options: { pending?: boolean } | undefined): boolean {
  if (options === undefined || options === null) return false;
  try {
    return Boolean(options.pending);
  } catch (error) {
    throw new TypeError(`the options of kill() or throw() could not be read (${messageOf(error)})`, { cause: error });
  }
}
