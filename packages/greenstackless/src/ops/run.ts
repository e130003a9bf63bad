/**
 * `run()` and the watchdog stack (S9-S11), preemption by `tick()` (§6), and `atomic(body)` (S14, S15, P6).
 *
 * Invariants:
 * - A RunOp is on the watchdog stack (`s.wd`) from the arrival of its transfer until its run ends; `index` is its
 *   position there, -1 when it is not on it. Its caller waits in it (T2: "waiting in run()"; `s.runOf`). A tasklet
 *   waits in at most one run().
 * - A run() ends when its caller resumes, whatever resumed it (S10); then it and every entry above it leave the
 *   stack, and the callers of those others are appended to the ring, innermost first (S11).
 * - `s.preempt` is the RunOp that installed preemption (P2); it is taken down when that op leaves the stack.
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as codesModule from '../codes.js';
import * as opModule from '../op.js';
import * as ringModule from '../ring.js';
import type { PendingRun, Scheduler } from '../scheduler.js';
import type { TaskletImpl } from '../tasklet.js';
import * as tempvalModule from '../tempval.js';
import type { RunOptions } from '../types.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { describeValue, GreenletError, isInstance, isThenable, messageOf, thenableBodyError } = greenletModule;
const { CLAIMED, DONE, OUT, RUNNING, SUSPENDED } = codesModule;
const { arriveAt, finalResult, isGenerator, isOp, OpBase, stepResult, SwitchOp, trapError } = opModule;
const { ringInsertBefore, ringResumeInPlace, ringSuccessor, ringUnlink } = ringModule;
const { claim } = tempvalModule;

/** P2: a boolean or a number (not 0 is true); absent is false. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw new TypeError(`run(): ${name} must be a boolean or a number, not ${describeValue(value)}`);
}

/** `run({timeout, soft, totaltimeout})` (S9-S11, P2). */
export class RunOp extends SwitchOp implements PendingRun {
  readonly timeout: number;
  readonly soft: boolean;
  readonly total: boolean;
  /** Position on the watchdog stack, or -1. */
  index: number;
  /** What the run gives: null, or the tasklet a hard interrupt took out (P4). */
  result: TaskletImpl | null;

  constructor(s: Scheduler, options: RunOptions | undefined) {
    // The options are checked before the op exists: a refused run() leaves no op to report as unrun (H8).
    let timeout = 0;
    let soft = false;
    let total = false;
    if (options !== undefined && options !== null) {
      if (typeof options !== 'object') throw new TypeError(`run() takes an options object, not ${describeValue(options)}`);
      let t: unknown, softValue: unknown, totalValue: unknown;
      try {
        t = options.timeout;
        softValue = options.soft;
        totalValue = options.totaltimeout;
      } catch (error) {
        throw new TypeError(`run(): its options could not be read (${messageOf(error)})`, { cause: error });
      }
      if (t !== undefined) {
        if (typeof t !== 'number' || !Number.isInteger(t) || t < 0) {
          throw new TypeError(`run(): timeout must be an integer of 0 or more, not ${describeValue(t)}`);
        }
        timeout = t;
      }
      soft = flag(softValue, 'soft');
      total = flag(totalValue, 'totaltimeout');
    }
    super(s, null, 'run');
    this.timeout = timeout;
    this.soft = soft;
    this.total = total;
    this.index = -1;
    this.result = null;
  }

  describe(): string {
    return 'run()';
  }

  start(): unknown {
    const c = this.enter();
    const next = c.nextLink!;
    if (next === c) return null; // S9: nothing else is runnable
    if (this.s.trap !== 0) throw trapError(this);
    return this.suspend(this.s.switchTo(this, next));
  }

  commit(): void {
    const s = this.s;
    const c = this.caller!;
    this.index = s.wd.length;
    s.wd.push(this);
    if (this.timeout > 0 && s.preempt === null) {
      s.preempt = this;
      s.timeout = this.timeout;
      s.soft = this.soft;
      s.total = this.total;
      s.softDue = false;
      s.ticks = 0;
    }
    ringUnlink(s, c);
  }

  override finishFor(t: TaskletImpl): unknown {
    this.end();
    claim(t); // a pending error is thrown; a plain tempval is not what run() gives (S10)
    const result = this.result;
    this.result = null;
    return result;
  }

  // SwitchOp's steps, copied for the op that every pump of the io hub runs (docs/v8.md#hidden-classes-and-inline-caches).
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

  /** S11: this run ends; it and the entries above it leave the stack; their callers are appended. */
  end(): void {
    const s = this.s;
    const index = this.index;
    if (index < 0) return;
    const wd = s.wd;
    const head = s.current;
    // pop(), not `wd.length = index`: V8's length setter is a runtime call (docs/v8.md#memory).
    while (wd.length > index + 1) {
      const above = wd.pop()!;
      above.index = -1;
      above.result = null;
      const caller = above.caller!;
      if (s.preempt === above) s.uninstallPreemption();
      if (caller.link === OUT && caller !== head) ringInsertBefore(s, caller, head);
    }
    wd.pop();
    this.index = -1;
    if (s.preempt === this) s.uninstallPreemption();
  }
}

/** `tick()` while preemption is installed: one tick (P1, P3); at the spent budget, the interrupt (P4, P5). */
export class TickOp extends SwitchOp {
  /** False for the check made at the end of atomic() (P6), which does not count. */
  readonly counts: boolean;
  /** The preempting run() whose caller resumes. */
  run: PendingRun | null;

  constructor(s: Scheduler, counts: boolean) {
    super(s, null, 'tick');
    this.counts = counts;
    this.run = null;
  }

  describe(): string {
    return 'tick()';
  }

  start(): unknown {
    const c = this.enter();
    const s = this.s;
    const run = s.preempt;
    if (run === null) return undefined;
    if (this.counts) s.ticks++;
    if (s.ticks < s.timeout) return undefined;
    if (s.soft) {
      s.softDue = true; // P5: taken at the next switch
      return undefined;
    }
    if (c.atomic || s.trap !== 0) return undefined; // P6: stays due
    const w = run.caller!;
    if (w === c) return undefined;
    this.run = run;
    return this.suspend(s.switchTo(this, w));
  }

  commit(): void {
    // P4: the current tasklet leaves the ring, paused; the preempting run()'s caller resumes in place.
    const s = this.s;
    const c = this.caller!;
    this.run!.result = c;
    const head = ringSuccessor(c);
    ringUnlink(s, c);
    ringResumeInPlace(s, this.run!.caller!, head);
    this.run = null;
  }

  /** P6: a refused interrupt is not taken and stays due; the tick does not fail because of it. */
  override switchFailed(error: unknown): unknown {
    this.run = null;
    if (isInstance(error, GreenletError)) return undefined;
    throw error;
  }

  override finishFor(t: TaskletImpl): unknown {
    claim(t);
    return undefined;
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
