/**
 * `run()` and the watchdog stack (S9-S11), and preemption by `tick()` (§6).
 *
 * Invariants:
 * - A RunOp is on the watchdog stack (`s.wd`) from the arrival of its transfer until its run ends; `index` is its
 *   position there, -1 when it is not on it. Its caller waits in it (T2: "waiting in run()"; `runOpOf`). A tasklet
 *   waits in at most one run().
 * - A run() ends when its caller resumes, whatever resumed it (S10); then it and every entry above it leave the
 *   stack, and the callers of those others are appended to the ring, innermost first (S11).
 * - `s.preempt` is the RunOp that installed preemption (P2); it is taken down when that op leaves the stack.
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as opbaseModule from './opbase.js';
import * as runqueueModule from './runqueue.js';
import type { Scheduler } from './scheduler.js';
import type { TaskletImpl } from './tasklet.js';
import type { RunOptions } from './types.js';
import * as tempvalModule from './tempval.js';

// Imported names as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { describeValue, GreenletError, isInstance, messageOf } = greenletModule;
const { arriveAt, DONE, RUNNING, CLAIMED, stepResult, SUSPENDED, SwitchOp, trapError } = opbaseModule;
const { OUT, ringInsertBefore, ringResumeInPlace, ringSuccessor, ringUnlink } = runqueueModule;
const { claim } = tempvalModule;

/** P2: a boolean or a number (not 0 is true); absent is false. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  throw new TypeError(`run(): ${name} must be a boolean or a number, not ${describeValue(value)}`);
}

/**
 * The run() that `t` waits in, or null (T2 step 5, S11): found on the watchdog stack, which is as deep as run()
 * calls are nested, so that tasklets need no field for this rare case.
 */
export function runOpOf(s: Scheduler, t: TaskletImpl): RunOp | null {
  const wd = s.wd;
  for (let i = wd.length - 1; i >= 0; i--) {
    if (wd[i].caller === t) return wd[i];
  }
  return null;
}

/** `run({timeout, soft, totaltimeout})` (S9-S11, P2). */
export class RunOp extends SwitchOp {
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

  override finish(): unknown {
    this.end();
    claim(this.caller!); // a pending error is thrown; a plain tempval is not what run() gives (S10)
    const result = this.result;
    this.result = null;
    return result;
  }

  // SwitchOp's steps, copied for the op that every pump of the io hub runs (see ChannelOp; docs/v8.md).
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

  /** S11: this run ends; it and the entries above it leave the stack; their callers are appended. */
  end(): void {
    const s = this.s;
    const index = this.index;
    if (index < 0) return;
    const wd = s.wd;
    const head = s.current;
    // pop(), not `wd.length = index`: V8's length setter is a runtime call, a tenth of a pump's run() (v8.md).
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
  run: RunOp | null;

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

  override finish(): unknown {
    claim(this.caller!);
    return undefined;
  }
}
