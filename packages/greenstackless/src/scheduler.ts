/**
 * The state of one Stackless instance and the core of every transfer between its tasklets. It knows no op: an op
 * (op.ts, ops/) fills a plan and asks for a transfer; the scheduler commits the plan when control arrives.
 *
 * Invariants:
 * - `current` is the running tasklet and the head of the ring (S2), except while a transfer is in flight.
 * - A transfer is in flight from the moment an op (or a tasklet's end) yields the greenlet switch to the moment
 *   control arrives in the target's greenlet: then `transit` is the plan (an op, one of the instance's reused
 *   plans, or the EndPlan) and `to` the tasklet whose greenlet was switched to; the tasklet that switched is still
 *   `current` (so it is not stored twice). Nothing in the instance changes before the arrival: the target calls
 *   `arrive()`, which commits the plan (`transit.commit()`), calls the schedule callback and makes the target
 *   current (S5, S17). If the greenlet switch fails, control comes back to the op that made it with `transit`
 *   still its own, and it changes nothing (N2).
 * - So a resume is the instance's own exactly when `transit` is set and `to` is the resumed tasklet (S22).
 * - `wd` is the watchdog stack (S6): the pending `run()` ops, innermost last; each knows its index.
 * - `preempt` is the `run()` that installed preemption (P2), or null; `ticks` counts towards `timeout` (P3).
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { GreenletLike, GreenletModule, Op } from '@greenstackless/greenlet';
import * as callbacksModule from './callbacks.js';
import type { ChannelHost, ChannelImpl } from './channel.js';
import * as codesModule from './codes.js';
import * as errorsModule from './errors.js';
import type { Registry, Unrun } from './forgotten.js';
import * as ringModule from './ring.js';
import * as taskletModule from './tasklet.js';
import type { TaskletHost, TaskletImpl } from './tasklet.js';
import type { Carrier } from './tempval.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { RUNS_NOW } = greenletModule;
const { callScheduleCallback, NONE } = callbacksModule;
const { CHANNEL, OUT, RING } = codesModule;
const { StacklessError } = errorsModule;
const { channelRemove, ringResumeInPlace, ringSuccessor, ringUnlink } = ringModule;
const { BOUND } = taskletModule;
type StacklessError = errorsModule.StacklessError;

/** What a transfer commits when it arrives: an op of the instance, one of its reused plans, or a tasklet's end. */
export interface Plan {
  commit(): void;
  /** The switch failed before control left (S5): puts back what the op did before it (the caller's tempval). */
  undo(): void;
}

/** A pending `run()` on the watchdog stack (ops/run.ts: RunOp). */
export interface PendingRun {
  /** The tasklet that waits in it. */
  readonly caller: TaskletImpl | null;
  /** Its position on the stack, or -1. */
  index: number;
  /** What it gives: null, or the tasklet a hard interrupt took out (P4). */
  result: TaskletImpl | null;
  /** S11: it ends, with the entries above it. */
  end(): void;
}

/** EndPlan.thrown when the end threw nothing. */
export const NOT_THROWN: unique symbol = Symbol('not thrown');

/**
 * The end of a tasklet (T20, T21, C13; frame.ts fills it), committed when control arrives at the tasklet that
 * resumes next: the tasklet leaves the ring, W resumes if it is woken, and the tasklet is marked dead after the
 * schedule callback, which sees it alive (S17).
 */
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
    this.thrown = NOT_THROWN; // read on arrival before this commit (op.ts); not kept afterwards (M6)
  }

  undo(): void {}
}

/**
 * The instance of a tasklet or a channel. instance.ts makes each with a Scheduler; the modules below this one know
 * it only by what they use of it (TaskletHost, ChannelHost).
 */
export function schedulerOf(x: TaskletImpl | ChannelImpl): Scheduler {
  return x.s as Scheduler;
}

export class Scheduler implements TaskletHost, ChannelHost, Registry {
  /** The greenlet module the tasklets run on. */
  readonly module: GreenletModule;
  /** The module's check that its current greenlet runs now (S3 under a layer made of tasklets: RUNS_NOW in the
   *  greenlet package), or null for a module whose `getcurrent()` is the truth (native). */
  readonly runsNow: (() => boolean) | null;
  /** The module's main greenlet this instance was made in: the main tasklet's greenlet (S1). */
  readonly mainGreenlet: GreenletLike;
  /** The instance's own classes (`instanceof` holds only with them: packages/greenstackless/README.md). */
  Tasklet: new (fn?: unknown, args?: unknown) => TaskletImpl = null as any;
  Channel: new () => ChannelImpl = null as any;
  main: TaskletImpl = null as unknown as TaskletImpl;
  current: TaskletImpl = null as unknown as TaskletImpl;
  /** The number of tasklets in the ring (S4). */
  runcount = 0;
  /** Serial numbers for names (`Tasklet#7`, `Channel#2`). */
  taskletSerial = 0;
  channelSerial = 0;
  /** True only while the main tasklet is being made, so that it is named `Tasklet#main`. */
  makingMain = false;
  /** The switch trap counter (S12). */
  trap = 0;
  /** NONE, or which callback runs (S20). */
  inCallback = NONE;
  scheduleCallback: Function | null = null;
  channelCallback: Function | null = null;
  errorHandler: Function | null = null;
  /** What an error handler threw (S21), for the tasklet's end. */
  handlerError: unknown = undefined;

  /** The transfer in flight (see the invariants). */
  transit: Plan | null = null;
  to: TaskletImpl | null = null;
  /** When a soft interrupt redirects a transfer (P5): the tasklet that was to run; else null. */
  intended: TaskletImpl | null = null;
  /** The one EndPlan of the instance: at most one tasklet ends at a time. */
  readonly endPlan: EndPlan;
  /** The one plan of each kind of op that switches without being its own plan (ops/channel.ts, ops/schedule.ts,
   *  ops/tasklet.ts), made by instance.ts: at most one transfer is in flight. Each op module reads its own. */
  declare channelPlan: Plan;
  declare schedulePlan: Plan;
  declare runPlan: Plan;
  /** A tasklet whose end has arrived: it is marked dead after the schedule callback (S17). */
  dying: TaskletImpl | null = null;

  /** The ops made and not yet run (H8; forgotten.ts): the newest in the slot, by serial (0: none), maker and
   *  description; the older ones on the list. `opSerial` is the last serial given. */
  opSerial = 0;
  newestSerial = 0;
  newestMaker: TaskletImpl | null = null;
  newestSubject: object | null = null;
  newestMethod = '';
  readonly unrun: Unrun[] = [];

  /** The watchdog stack (S6, S9-S11; ops/run.ts). */
  readonly wd: PendingRun[] = [];
  /** Preemption (§6). */
  preempt: PendingRun | null = null;
  ticks = 0;
  timeout = 0;
  soft = false;
  total = false;
  softDue = false;

  /** The run of every non-main tasklet's greenlet (frame.ts: startTasklet). */
  readonly start: (t: TaskletImpl) => unknown;

  constructor(module: GreenletModule, start: (t: TaskletImpl) => unknown) {
    this.module = module;
    this.mainGreenlet = module.getcurrent();
    const runsNow = (module as any)[RUNS_NOW];
    this.runsNow = typeof runsNow === 'function' ? runsNow : null;
    this.start = start;
    this.endPlan = new EndPlan(this);
  }

  /** True if the current tasklet runs now: its greenlet is the module's current one, really running (S3). */
  currentRunsNow(): boolean {
    const runsNow = this.runsNow;
    return this.module.getcurrent() === this.current.g && (runsNow === null || runsNow());
  }

  /**
   * The run() that `t` waits in, or null (T2 step 5, S11): found on the watchdog stack, which is as deep as run()
   * calls are nested, so that tasklets need no field for this rare case.
   */
  runOf(t: TaskletImpl): PendingRun | null {
    const wd = this.wd;
    for (let i = wd.length - 1; i >= 0; i--) {
      if (wd[i].caller === t) return wd[i];
    }
    return null;
  }

  /** W (S6): the caller of the innermost pending run(), or main. */
  watchdog(): TaskletImpl {
    const wd = this.wd;
    return wd.length === 0 ? this.main : wd[wd.length - 1].caller!;
  }

  /** The greenlet of `t`, made on its first run: a greenlet of the module whose body is the tasklet's (S1). */
  greenletOf(t: TaskletImpl): GreenletLike {
    let g = t.g;
    if (g === null) g = t.g = new this.module.Greenlet(this.start, this.mainGreenlet);
    return g;
  }

  /**
   * Sets up the transfer of `plan` from the current tasklet to `to` and returns the tasklet whose greenlet gets
   * control: `to`, or the caller of the preempting run() when a soft interrupt is due and the current tasklet is
   * not atomic (P5, P6).
   */
  aim(plan: Plan, to: TaskletImpl): TaskletImpl {
    this.intended = null;
    const target = this.softDue ? this.interrupted(to) : to;
    this.transit = plan;
    this.to = target;
    return target;
  }

  /** A soft interrupt is due (P5): the preempting run()'s caller, if it takes the transfer over; else `to`. */
  private interrupted(to: TaskletImpl): TaskletImpl {
    if (this.current.atomic || this.trap !== 0) return to;
    const w = this.preempt!.caller!;
    if (w === to || w.link !== OUT) return to;
    this.intended = to;
    return w;
  }

  /** The greenlet switch op of a transfer: `aim` it, then switch to the target's greenlet. */
  switchTo(plan: Plan, to: TaskletImpl): Op<unknown> {
    const target = this.aim(plan, to);
    return this.greenletOf(target).switch(target);
  }

  /**
   * The greenlet switch of the transfer in flight failed before control left (S5). If it was a soft interrupt's
   * redirect, the interrupt stays due and the switch is retried towards the tasklet that was to run (P6): the new
   * switch op is returned. Otherwise the plan puts back what its op did before the switch (`undo()`), the
   * transfer is forgotten, nothing has changed, and null is returned.
   */
  failed(): Op<unknown> | null {
    if (this.lostStart()) {
      // Not a refusal: the target's start failed under this layer (G32), and the error came back to the caller.
      this.endLostStart(this.current);
      return null;
    }
    const intended = this.intended;
    if (intended !== null) {
      this.intended = null;
      this.to = intended;
      return this.greenletOf(intended).switch(intended);
    }
    const plan = this.transit!;
    this.transit = null;
    this.to = null;
    plan.undo();
    return null;
  }

  /** True if the transfer in flight is `t`'s own and control came back to `t`: its switch failed (S5). */
  failedFrom(t: TaskletImpl): boolean {
    return this.transit !== null && this.current === t && this.to !== t;
  }

  /** True if a resume of `t` at a pending op is a transfer of this instance (S22). */
  isOurs(t: TaskletImpl): boolean {
    return this.transit !== null && this.to === t;
  }

  /**
   * Control has arrived in the greenlet of `to`: commits the transfer's plan, calls the schedule callback while
   * `current` is still the previous tasklet, then makes `to` current (S5, S17, P3).
   */
  arrive(): void {
    const plan = this.transit!;
    const prev = this.current;
    const next = this.to!;
    this.transit = null;
    this.to = null;
    plan.commit();
    const intended = this.intended;
    if (intended !== null) {
      // P5: the preempting run()'s caller resumes in place of `intended`, which keeps its place.
      this.intended = null;
      ringResumeInPlace(this, next, intended);
      this.softDue = false;
    }
    const cb = this.scheduleCallback;
    if (cb !== null) callScheduleCallback(this, cb, prev, next);
    this.current = next;
    if (!this.total) this.ticks = 0;
    const dying = this.dying;
    if (dying !== null) {
      this.dying = null;
      dying.die();
    }
  }

  /**
   * A GreenletError arrived at `t`'s pending op without a transfer of this instance: an H7 redirect (S5). `t`
   * becomes current again: the tasklet that was running (or ending) leaves the ring, `t`'s op is abandoned as if
   * killed there, and `t` resumes in place. The caller then rethrows the error.
   */
  redirected(t: TaskletImpl): void {
    const prev = this.current;
    const ending = this.transit === this.endPlan; // the refused end of `prev` (T21, H7)
    this.transit = null;
    this.to = null;
    this.intended = null;
    let head: TaskletImpl | null = null;
    if (prev !== t && prev.link === RING) {
      head = ringSuccessor(prev);
      ringUnlink(this, prev);
    }
    if (t.link === CHANNEL) channelRemove(t);
    ringResumeInPlace(this, t, head);
    const cb = this.scheduleCallback;
    if (prev !== t && cb !== null) callScheduleCallback(this, cb, prev, t);
    this.current = t;
    if (!this.total) this.ticks = 0;
    const run = this.runOf(t);
    if (run !== null) run.end();
    if (ending) {
      this.endPlan.tasklet = null;
      this.endPlan.thrown = NOT_THROWN;
      prev.die();
    }
  }

  /**
   * True if the transfer in flight starts a tasklet whose greenlet died before the tasklet arrived: the module's
   * tracer threw at the greenlet's start (G32), and its error went to the greenlet's parent, the main greenlet.
   */
  lostStart(): boolean {
    const t = this.to;
    return this.transit !== null && t !== null && t.state === BOUND && t.g !== null && t.g.dead;
  }

  /**
   * Ends the tasklet of a lost start (see `lostStart`) as if it had died of the error at its start (T21): it is
   * dead and out of the ring, the op that started it is abandoned, and `me`, whose greenlet the error reached,
   * becomes current again as after an H7 redirect (S5). The caller then throws the error.
   */
  endLostStart(me: TaskletImpl): void {
    const t = this.to!;
    const plan = this.transit!;
    this.transit = null;
    this.to = null;
    this.intended = null;
    plan.undo();
    if (t.link === RING) ringUnlink(this, t);
    t.die();
    this.redirected(me);
  }

  /** P6: a hard budget is spent and may be taken at the next chance. */
  hardInterruptDue(): boolean {
    return this.preempt !== null && !this.soft && this.ticks >= this.timeout && this.trap === 0;
  }

  /** Takes down the preemption installed by `run` (P2). */
  uninstallPreemption(): void {
    this.preempt = null;
    this.softDue = false;
    this.ticks = 0;
    this.timeout = 0;
  }

  /** S22: a greenlet switch, not the scheduler, resumed `t` at `what`. */
  foreignResume(t: TaskletImpl, what: string, cause?: unknown): StacklessError {
    return new StacklessError(
      `${t}: ${what} was resumed by a greenlet switch or throw, not by the scheduler (S22)`,
      cause === undefined ? undefined : { cause },
    );
  }
}

