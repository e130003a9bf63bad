/**
 * What every layer of a greenlet-fix module shares: a greenlet's fields, the module's state, and the moves that
 * change them outside an op's own fields: a receiver's start and its undo, a delivery taken back, an arrival.
 *
 * Invariants of a greenlet (`GreenletFields`):
 * - `_state` is UNSTARTED (`_tasklet === null`), STARTED or DEAD. Main and stand-ins are made STARTED around an
 *   existing tasklet (F1, F7); a stand-in is also dead once its tasklet is no longer alive.
 * - `_waiting` is true exactly while its tasklet is paused inside a transfer of this module: only such a greenlet
 *   may receive a delivery (F4, F9).
 * - `_dKind !== NONE` only between a delivery and its arrival: the deliverer writes `_d*`, the receiver takes them.
 * - `_parent` is null only for main, and the parent chain has no cycle (G26).
 *
 * Invariants of a module (`ModuleState`):
 * - `byTasklet` maps the tasklet of every greenlet that can still get control (main, started greenlets, stand-ins)
 *   to it; a dead greenlet's entry goes when its end arrives (`arrive`), so the table grows only with the living.
 * - `current` is a cache: the greenlet that last received control. `getcurrent()` trusts it only while its tasklet
 *   is the instance's current one (the scheduler may have switched tasklets behind the module's back).
 * - `tracing` is true exactly while the tracer runs (G33). `inflight` is the number (`seq`) of the transfer op
 *   whose tasklet switch is out and whose target has not arrived, or 0: an error at that op then means the switch
 *   was refused. A number, not the op: an old object that points to a young one costs a write barrier
 *   (docs/v8.md#write-barriers).
 */
import { RUNS_NOW } from '@greenstackless/greenlet';
import type { Body, TraceEvent } from '@greenstackless/greenlet';
import type { Stackless, Tasklet } from 'greenstackless';
import * as codesModule from './codes.js';

// Imported names as the module's own constants, which V8 folds (docs/v8.md#modules-and-variables).
const { DEAD, MAKE_MAIN, MAKE_STANDIN, MAKE_USER, NONE, STARTED, UNSTARTED } = codesModule;

/** The fields of a greenlet (greenlet.ts: `FixGreenlet`) that the layers below its class read and write. */
export interface GreenletFields {
  /** The module this greenlet belongs to. */
  _mod: ModuleState;
  /** The function to start with, until the start (G7). */
  _run: Body | undefined;
  /** Where its end goes (G11-G14); null only for main. */
  _parent: GreenletFields | null;
  /** The tasklet it runs in for its whole life (F2); null until the start. */
  _tasklet: Tasklet | null;
  /** UNSTARTED, STARTED or DEAD. */
  _state: number;
  /** A stand-in for a tasklet not made by this module (F7): dead once that tasklet is not alive. */
  _standin: boolean;
  /** True while paused in one of this module's transfers (F9). */
  _waiting: boolean;
  /** The pending delivery: its kind (NONE, VALUE, ERROR, START, START_ERROR), value and origin (the tracer's). */
  _dKind: number;
  _dValue: unknown;
  _dOrigin: GreenletFields | null;
  /** The tasklet of a greenlet that died into this one, to unbind on arrival. */
  _dFrom: Tasklet | null;
  /** The switch trap lifted for a death into this greenlet (F3), to put back on arrival. */
  _dTrap: number;
  /** The newest op it made and nobody ran yet, its description, and the older ones (H8, forgotten.ts). */
  _pendingSeq: number;
  _lastMade: number;
  _unrun: number[] | null;
  /** Serial number within the module, or 'main'. */
  _serial: number | string;
}

/** A tracer as the module calls it: `fn(event, origin, target)` for each delivery of control (G30, F8). */
export type TraceFn = (event: TraceEvent, origin: GreenletFields, target: GreenletFields) => void;

/** The function of a greenlet's tasklet (lifecycle.ts: `greenletBody`). */
export type TaskletBody = (g: GreenletFields) => Generator<unknown, void, unknown>;

export class ModuleState {
  /** The Stackless instance whose tasklets run this module's greenlets. */
  readonly sl: Stackless;
  /** The function every greenlet's tasklet runs; given by create.ts, so that this layer need not import it. */
  readonly body: TaskletBody;
  /** The module's own `Greenlet` class (instanceof holds with it only: packages/greenlet-fix/README.md). */
  Greenlet!: new (run?: any, parent?: any) => GreenletFields;
  /** The main greenlet: a stand-in without a parent for the instance's main tasklet (F1). */
  main!: GreenletFields;
  /** The greenlet that last received control (a cache, see the invariants). */
  current!: GreenletFields;
  /** The tracer (G29), or null. */
  tracer: TraceFn | null = null;
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
  readonly byTasklet = new WeakMap<Tasklet, GreenletFields>();
  /** The instance's check that its current tasklet runs now (RUNS_NOW), or one that trusts it. */
  readonly slRunsNow: () => boolean;

  constructor(sl: Stackless, body: TaskletBody) {
    this.sl = sl;
    this.body = body;
    const check = (sl as any)[RUNS_NOW];
    this.slRunsNow = typeof check === 'function' ? check : () => true;
  }

  /** Makes the main greenlet; called once the module's `Greenlet` class exists. */
  init(Greenlet: new (run?: any, parent?: any) => GreenletFields): void {
    this.Greenlet = Greenlet;
    this.main = this.wrap(MAKE_MAIN, this.sl.main);
    this.current = this.main;
  }

  /** The running greenlet: the one behind the instance's current tasklet, or that tasklet's stand-in (F7). */
  getcurrent(): GreenletFields {
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
  runsNow(g: GreenletFields): boolean {
    return g === this.getcurrent() && this.slRunsNow();
  }

  /** Makes main or a stand-in around an existing tasklet, through the module's own class (instanceof holds). */
  private wrap(making: number, t: Tasklet): GreenletFields {
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
  trace(event: TraceEvent, origin: GreenletFields, target: GreenletFields): boolean {
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

/** G2, F7: finished, or a stand-in whose tasklet is gone. Main is never dead. */
export function isDead(g: GreenletFields): boolean {
  return g._state === DEAD || (g._standin && !g._tasklet!.alive);
}

/**
 * G3, G14, G19: `g` (unstarted, with a run) starts in a new tasklet of the instance, bound now, with its start
 * delivery: START and run's arguments, or START_ERROR and the error it dies with at once. The deliverer then
 * switches to that tasklet like to any other receiver.
 */
export function start(g: GreenletFields, kind: number, value: unknown): void {
  const mod = g._mod;
  const t = new mod.sl.Tasklet(mod.body, [g]);
  g._tasklet = t;
  g._state = STARTED;
  mod.byTasklet.set(t, g);
  g._dKind = kind;
  g._dValue = value;
}

/** Undoes `start` when the instance refused the switch to `g` (S5): it is unstarted, with its run, as before. */
export function unstart(g: GreenletFields): void {
  g._mod.byTasklet.delete(g._tasklet!);
  g._tasklet = null;
  g._state = UNSTARTED;
  clearDelivery(g);
}

/** Forgets `g`'s pending delivery. */
export function clearDelivery(g: GreenletFields): void {
  g._dKind = NONE;
  g._dValue = undefined;
  g._dOrigin = null;
}

/**
 * The housekeeping of every arrival of control at `g`'s tasklet: `g` is current, the tasklet of a greenlet that
 * died into it is unbound (it is never resumed), and a switch trap lifted for that death is put back (F3).
 */
export function arrive(mod: ModuleState, g: GreenletFields): void {
  mod.inflight = 0;
  mod.current = g;
  const from = g._dFrom;
  if (from !== null) {
    // The dead greenlet lets its tasklet go and the module its entry: the table shrinks as greenlets die.
    g._dFrom = null;
    const dead = mod.byTasklet.get(from);
    if (dead !== undefined) dead._tasklet = null;
    mod.byTasklet.delete(from);
    from.bind();
  }
  const trap = g._dTrap;
  if (trap !== 0) {
    g._dTrap = 0;
    mod.sl.switchTrap(trap);
  }
}
