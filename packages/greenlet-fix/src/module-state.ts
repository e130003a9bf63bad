/**
 * The state of one greenlet-fix module: its instance, its main greenlet, the tasklet -> greenlet map, the tracer.
 *
 * Invariants:
 * - `byTasklet` maps every tasklet behind a greenlet of the module (main, started greenlets, stand-ins) to it,
 *   until the greenlet dies: its entry is deleted when its end arrives (transfer.ts: `arrive`), so the table does
 *   not grow with the greenlets a program has made, only with those alive.
 * - `current` is a cache: the greenlet that last received control. `getcurrent()` trusts it only while its
 *   tasklet is the instance's current one (the scheduler may have switched tasklets behind the module's back).
 * - `tracing` is true exactly while the tracer runs (G33); `inflight` is the number (`seq`) of the transfer op
 *   whose tasklet switch has been issued and whose target has not arrived yet, or 0 (an error at that op then
 *   means the switch was refused). A number, not the op: storing a new op into the old module state would cost a
 *   write barrier.
 */
import type { Stackless, Tasklet } from 'greenstackless';
import { RUNS_NOW } from '@greenstackless/greenlet';
import type { TraceEvent } from '@greenstackless/greenlet';
import * as codesModule from './codes.js';
import { FixGreenlet } from './greenlet.js';

// The codes as the module's own constants (see codes.ts).
const { MAKE_MAIN, MAKE_STANDIN, MAKE_USER } = codesModule;

/** A tracer of a greenlet-fix module: `fn(event, origin, target)` for each delivery of control (G30, F8). */
export type FixTraceFn = (event: TraceEvent, origin: FixGreenlet, target: FixGreenlet) => void;

export class ModuleState {
  /** The Stackless instance whose tasklets run this module's greenlets. */
  readonly sl: Stackless;
  /** The module's own `Greenlet` class (instanceof holds with it only: packages/greenlet-fix/README.md). */
  Greenlet!: new (run?: any, parent?: any) => FixGreenlet;
  /** The main greenlet: a stand-in without a parent for the instance's main tasklet (F1). */
  main!: FixGreenlet;
  /** The greenlet that last received control (a cache, see the invariants). */
  current!: FixGreenlet;
  /** The tracer (G29), or null. */
  tracer: FixTraceFn | null = null;
  /** True while the tracer runs (G33). */
  tracing = false;
  /** What the tracer threw, for the caller of `trace` to deliver instead (G32). */
  traceError: unknown = undefined;
  /** The number of the transfer op whose switch is under way, or 0 (see the invariants). */
  inflight = 0;
  /** The number of the newest transfer op (H8, `inflight`): never 0. */
  opSeq = 0;
  /** Which kind of greenlet the constructor is making now (MAKE_*), and around which tasklet. */
  making = MAKE_USER;
  makingTasklet: Tasklet | null = null;
  /** The last serial number given to a greenlet. */
  serial = 0;
  readonly byTasklet = new WeakMap<Tasklet, FixGreenlet>();

  constructor(sl: Stackless) {
    this.sl = sl;
    const check = (sl as any)[RUNS_NOW];
    this.slRunsNow = typeof check === 'function' ? check : () => true;
  }

  /** Makes the main greenlet; called once the module's `Greenlet` class exists. */
  init(Greenlet: new (run?: any, parent?: any) => FixGreenlet): void {
    this.Greenlet = Greenlet;
    this.main = this.wrap(MAKE_MAIN, this.sl.main);
    this.current = this.main;
  }

  /** The running greenlet: the one behind the instance's current tasklet, or that tasklet's stand-in (F7). */
  getcurrent(): FixGreenlet {
    const t = this.sl.getcurrent();
    const c = this.current;
    if (c._tasklet === t) return c;
    let g = this.byTasklet.get(t);
    if (g === undefined) g = this.wrap(MAKE_STANDIN, t);
    this.current = g;
    return g;
  }

  /**
   * True if `g` is the greenlet that runs now (RUNS_NOW in the greenlet package): the module's current greenlet,
   * whose tasklet the instance finds running in its turn. The instance's current tasklet alone does not say it:
   * code of another tower runs without this instance noticing (S3).
   */
  runsNow(g: FixGreenlet): boolean {
    return g === this.getcurrent() && this.slRunsNow();
  }

  /** The instance's check that its current tasklet runs now (RUNS_NOW), or one that trusts it. */
  readonly slRunsNow: () => boolean;

  /** Makes main or a stand-in around an existing tasklet, through the module's own class (instanceof holds). */
  private wrap(making: number, t: Tasklet): FixGreenlet {
    this.making = making;
    this.makingTasklet = t;
    try {
      const g = new this.Greenlet();
      this.byTasklet.set(t, g);
      return g;
    } finally {
      this.making = MAKE_USER;
      this.makingTasklet = null;
    }
  }

  /**
   * Calls the tracer for one delivery of control (G30, G31). Returns true if it threw: then tracing is off and
   * `traceError` holds what it threw, to be delivered instead (G32).
   */
  trace(event: TraceEvent, origin: FixGreenlet, target: FixGreenlet): boolean {
    const fn = this.tracer!;
    this.tracing = true;
    try {
      fn(event, origin, target);
      return false;
    } catch (x) {
      this.tracer = null;
      this.traceError = x;
      return true;
    } finally {
      this.tracing = false;
    }
  }

  /** Takes what the tracer threw (see `trace`). */
  takeTraceError(): unknown {
    const x = this.traceError;
    this.traceError = undefined;
    return x;
  }
}
