/**
 * The switch and throw ops (§1.1, §1.4, §1.5) as directed tasklet transfers (F3).
 *
 * A transfer writes the delivery into the receiving greenlet (`_dKind`, `_dValue`, `_dOrigin`), makes its own
 * tasklet atomic (F3: no preemption takes the transfer over) and runs `receiver.tasklet.switch()`: the
 * receiver's tasklet takes the caller's place in the ring and runs at once, nothing else runs in between, and
 * the run count is unchanged. The receiver's own pending op (or, at a start, `greenletBody`) then takes the
 * delivery. The fix layer never uses `tempval`: the instance's switch op only pauses and resumes.
 *
 * Invariants:
 * - `state` goes FRESH -> CLAIMED (iterator taken, H1) -> RUNNING (the checks, the dead walk, the delivery) ->
 *   SUSPENDED (the tasklet switch is out; `caller` is paused with `_waiting` set) -> DONE; a check that fails or
 *   a transfer to the caller itself goes from RUNNING to DONE. Nothing changes before the delivery is written.
 * - While SUSPENDED, `mod.inflight === this.seq` until some greenlet arrives; so an error that reaches a SUSPENDED
 *   op while it is still `inflight` is the refusal of its own switch (S5): the op takes its delivery back (and
 *   undoes the start it made) and rethrows, and nothing has changed (N2).
 * - A SUSPENDED op resumed without a delivery was resumed by the scheduler (F6), or, with an error, by the
 *   instance (a kill, T21) or an H7 redirect: the error comes out unchanged.
 * - The op runs the instance's switch op itself, forwarding `next`/`throw` as `yield*` would: the trampoline sees
 *   one frame per switch. Its final iterator result is one shared object, `RESULT`, read at once by every driver.
 */
import * as greenletPackage from '@greenstackless/greenlet';
import type { TraceEvent } from '@greenstackless/greenlet';
import * as codesModule from './codes.js';
import * as forgottenModule from './forgotten.js';
import * as stateModule from './state.js';
import type { GreenletFields, ModuleState } from './state.js';

// Imported names as the module's own constants, which V8 folds (docs/v8.md#modules-and-variables).
const { GreenletError, GreenletExit, isInstance, OP_BRAND } = greenletPackage;
type GreenletError = greenletPackage.GreenletError;
const {
  CLAIMED, DONE, ERROR, FRESH, NONE, RUNNING, START, START_ERROR, SUSPENDED, SWITCH, SWITCH_MANY, THROW, UNSTARTED,
  VALUE,
} = codesModule;
const { hasForgotten, noteMade, noteRun, takeForgotten } = forgottenModule;
const { arrive, clearDelivery, isDead, start, unstart } = stateModule;

export { SWITCH, SWITCH_MANY, THROW } from './codes.js';

/** Op numbers stay small integers; they wrap around long before a pending op could meet its namesake. */
const MAX_SEQ = 0x3fffffff;

/** The final iterator result of every transfer, rewritten at each: no allocation, and one map for the drivers. */
const RESULT: { value: unknown; done: boolean } = { value: undefined, done: true };

function finalResult(value: unknown): IteratorResult<unknown, unknown> {
  const r = RESULT;
  r.value = value;
  return r as IteratorResult<unknown, unknown>;
}

/** G4: no argument gives undefined, one gives itself, several give the (fresh) array. */
export function pack(args: unknown[]): unknown {
  return args.length === 0 ? undefined : args.length === 1 ? args[0] : args;
}

/**
 * `g.switch(...args)` (payload: the one argument, or the array of none or several) or `g.throw(error)` (payload:
 * the error), as an op of the op protocol (docs/switching.md): it runs the instance's `tasklet.switch()` op and
 * completes when the caller is delivered to again.
 */
export class TransferOp {
  declare readonly [OP_BRAND]: true;
  /** The module. */
  readonly mod: ModuleState;
  /** The greenlet aimed at; after the dead walk, the one that gets control. */
  target: GreenletFields;
  /** SWITCH, SWITCH_MANY or THROW. */
  kind: number;
  /** SWITCH: the one argument; SWITCH_MANY: the argument array; THROW: the error. */
  payload: unknown;
  /** The greenlet that made the op (H8). */
  readonly owner: GreenletFields;
  /** Its number within the module (H8, `mod.inflight`): never 0, unique among the ops not yet done. */
  readonly seq: number;
  /** FRESH, CLAIMED, RUNNING, SUSPENDED or DONE (see the invariants). */
  state = FRESH;
  /** The greenlet that ran the op (set when SUSPENDED). */
  caller: GreenletFields | null = null;
  /** The caller tasklet's atomic flag before the transfer, put back when it resumes. */
  savedAtomic = false;
  /** True if this op started `target` (undone if the switch is refused). */
  started = false;
  /** The instance's `tasklet.switch()` op that this op runs (SUSPENDED). */
  inner: Iterator<unknown, unknown, unknown> | null = null;

  constructor(mod: ModuleState, target: GreenletFields, kind: number, payload: unknown) {
    this.mod = mod;
    this.target = target;
    this.kind = kind;
    this.payload = payload;
    const seq = mod.opSeq === MAX_SEQ ? 1 : mod.opSeq + 1;
    mod.opSeq = seq;
    this.seq = seq;
    const owner = mod.getcurrent();
    this.owner = owner;
    noteMade(owner, this);
  }

  /** `Greenlet#3.switch()`, for messages. */
  describe(): string {
    return `${this.target}.${this.kind === THROW ? 'throw' : 'switch'}()`;
  }

  toString(): string {
    return `[op ${this.describe()}]`;
  }

  /** For `util.inspect` (installed under its symbol below): one line, e.g. `<op Greenlet#3.switch() made in
   *  Greenlet#main, not run>`. */
  inspect(): string {
    const state = this.state;
    const text = state === FRESH ? 'not run' : state === DONE ? 'run' : 'running';
    return `<op ${this.describe()} made in ${this.owner}, ${text}>`;
  }

  [Symbol.iterator](): this {
    if (this.state !== FRESH) throw alreadyRun(this);
    this.state = CLAIMED;
    noteRun(this.owner, this);
    return this;
  }

  next(result?: unknown): IteratorResult<unknown, unknown> {
    if (this.state === SUSPENDED) {
      // Forward the trampoline's answer to the instance's switch op, as `yield*` would.
      let r: IteratorResult<unknown, unknown>;
      try {
        r = this.inner!.next(result);
      } catch (error) {
        return this.failed(error);
      }
      return r.done ? this.resumed() : r;
    }
    if (this.state !== CLAIMED) throw alreadyRun(this);
    this.state = RUNNING;
    return this.begin();
  }

  /**
   * The first step (RUNNING): the checks, the delivery and the instance's switch. Apart from next(), its cold parts
   * out of line, so that V8's inlining budget covers the hot calls, the instance's op constructor included
   * (docs/v8.md#inlining).
   */
  private begin(): IteratorResult<unknown, unknown> {
    const mod = this.mod;
    const caller = mod.getcurrent();
    // The checks, in H6's order: G33, H8, the dead walk, G9, then F9 (the instance makes H6's own).
    if (mod.tracing) throw this.giveUp(new GreenletError(`no op may run inside the tracer: it must not switch (G33)`));
    if (hasForgotten(caller)) {
      const forgotten = takeForgotten(caller);
      if (forgotten !== null) throw this.giveUp(forgotten);
    }
    let target = this.target;
    if (isDead(target)) target = this.walkDead(target);
    const kind = this.kind;
    const payload = this.payload;
    if (target === caller) return this.toSelf(caller, kind, payload);
    if (target._state === UNSTARTED) {
      this.startTarget(target);
    } else {
      if (!target._waiting) throw this.giveUp(notWaiting(caller, target));
      target._dKind = kind === THROW ? ERROR : VALUE;
      target._dValue = kind === SWITCH_MANY ? pack(payload as unknown[]) : payload;
    }
    target._dOrigin = caller;
    this.target = target;
    this.caller = caller;
    caller._waiting = true;
    const from = caller._tasklet!;
    this.savedAtomic = from.setAtomic(true);
    mod.inflight = this.seq;
    this.state = SUSPENDED;
    // Run the instance's switch op inside this one (one trampoline frame instead of two, H3). The step is written
    // out, not shared: a smaller begin() is inlined into next() and spends its budget (docs/v8.md#inlining).
    const inner = target._tasklet!.switch()[Symbol.iterator]();
    this.inner = inner;
    let r: IteratorResult<unknown, unknown>;
    try {
      r = inner.next(undefined);
    } catch (error) {
      return this.failed(error);
    }
    return r.done ? this.resumed() : r;
  }

  /**
   * G16, G20: a dead target passes the transfer to its first live ancestor, which is returned; a GreenletExit
   * thrown becomes the one value of a switch (`kind` changes).
   */
  private walkDead(target: GreenletFields): GreenletFields {
    if (this.kind === THROW && isInstance(this.payload, GreenletExit)) {
      this.kind = SWITCH; // the GreenletExit is the one value
    }
    do target = target._parent!;
    while (isDead(target));
    return target;
  }

  /** G3, G9, G19: `target` (unstarted) starts in a new tasklet, bound now and switched to like any other. */
  private startTarget(target: GreenletFields): void {
    if (target._run === undefined) throw this.giveUp(new TypeError(`cannot start ${target}: it has no run (G9)`));
    const kind = this.kind;
    const payload = this.payload;
    if (kind === THROW) start(target, START_ERROR, payload);
    else start(target, START, kind === SWITCH ? [payload] : payload); // START: run's arguments
    this.started = true;
  }

  /** A check failed before anything changed: the op is done (H1) and throws `error`. */
  private giveUp(error: unknown): unknown {
    this.state = DONE;
    return error;
  }

  throw(error: unknown): IteratorResult<unknown, unknown> {
    if (this.state !== SUSPENDED) throw error;
    const inner = this.inner!;
    if (inner.throw === undefined) return this.failed(error);
    let r: IteratorResult<unknown, unknown>;
    try {
      r = inner.throw(error);
    } catch (e) {
      return this.failed(e);
    }
    return r.done ? this.resumed() : r;
  }

  /** The wait is over, either way: the op is done and the caller's tasklet gets its atomic flag back (F3). */
  private release(): GreenletFields {
    this.state = DONE;
    this.inner = null;
    const caller = this.caller!;
    caller._waiting = false;
    if (!this.savedAtomic) caller._tasklet!.setAtomic(false);
    return caller;
  }

  /** The instance's switch op threw: a refusal (still `inflight`), or an error thrown into the waiting caller. */
  private failed(error: unknown): never {
    const caller = this.release();
    const mod = this.mod;
    if (mod.inflight === this.seq) {
      // The switch was refused before control left the caller (H6, S3, the switch trap, S5): undo the delivery.
      mod.inflight = 0;
      const target = this.target;
      if (this.started) unstart(target);
      else clearDelivery(target);
      // H6: the instance's refusal names its tasklets; ours names the greenlets. Trap errors pass unchanged (F3).
      if (isInstance(error, GreenletError)) {
        throw new GreenletError(`${caller} cannot switch to ${target}: ${error.message}`, { cause: error });
      }
      throw error;
    }
    // Resumed with an error that no greenlet delivered: a kill or a tasklet error from the instance (F6), or an
    // H7 redirect (S5). The greenlet is current again and the error comes out unchanged. A redirect is a delivery
    // of control (G30): the tracer sees it, from the greenlet that was running when it was made.
    const origin = mod.current;
    arrive(mod, caller);
    clearDelivery(caller);
    if (isInstance(error, GreenletError) && mod.tracer !== null && mod.trace('throw', origin, caller)) {
      throw mod.takeTraceError(); // G32
    }
    throw error;
  }

  /** The caller's tasklet resumed: take the delivery (or find that the scheduler resumed it, F6). */
  private resumed(): IteratorResult<unknown, unknown> {
    const caller = this.release();
    const mod = this.mod;
    arrive(mod, caller);
    const kind = caller._dKind;
    if (kind === NONE) {
      throw new GreenletError(
        `${caller} was resumed by the scheduler, not a greenlet, while it waited in ${this.describe()} (F6)`,
      );
    }
    const value = caller._dValue;
    const origin = caller._dOrigin!;
    clearDelivery(caller);
    if (mod.tracer !== null && mod.trace(kind === VALUE ? 'switch' : 'throw', origin, caller)) {
      throw mod.takeTraceError(); // G32
    }
    if (kind === ERROR) throw value;
    return finalResult(value);
  }

  /** G5, G16, G20, G21: the transfer ends at the caller itself; nothing switches. */
  private toSelf(caller: GreenletFields, kind: number, payload: unknown): IteratorResult<unknown, unknown> {
    this.state = DONE;
    const mod = this.mod;
    // Nothing switches, so the instance checks nothing: the caller must really run (S3, as for the instance's ops).
    if (!mod.runsNow(caller)) {
      throw new GreenletError(
        `${this.describe()} must run in ${caller}, the module's current greenlet, not in another tower's code (S3)`,
      );
    }
    const event: TraceEvent = kind === THROW ? 'throw' : 'switch';
    if (mod.tracer !== null && mod.trace(event, caller, caller)) throw mod.takeTraceError(); // G32
    if (kind === THROW) throw payload;
    return finalResult(kind === SWITCH_MANY ? pack(payload as unknown[]) : payload);
  }
}
Object.defineProperty(TransferOp.prototype, OP_BRAND, { value: true });
// The brand's index signature (a symbol key) leaves no room for a method under another symbol in the class body.
Object.defineProperty(TransferOp.prototype, Symbol.for('nodejs.util.inspect.custom'), {
  value: TransferOp.prototype.inspect,
});

function notWaiting(caller: GreenletFields, target: GreenletFields): GreenletError {
  return new GreenletError(
    `${caller} cannot switch to ${target}: its tasklet is not waiting in a greenlet switch (F9)`,
  );
}

function alreadyRun(op: TransferOp): GreenletError {
  return new GreenletError(`the op ${op.describe()} has already run; an op runs at most once (H1)`);
}
