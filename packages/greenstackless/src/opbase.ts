/**
 * The base of every op of the instance: the op protocol (brand, H1), forgotten-op bookkeeping (H8), the checks
 * every op makes first (S3, S20), and the state machine of an op that switches (S5, S22).
 *
 * Invariants:
 * - `phase` only moves forward: FRESH -> CLAIMED (iterator taken) -> RUNNING (first next) -> SUSPENDED (the
 *   greenlet switch is out) -> DONE, or from any of them to DONE.
 * - An op is listed while it is FRESH, by its `serial` (never 0) and a description, not by reference: storing a
 *   new op into the old scheduler would cost a write barrier per op. Main's code is not a body (H8): its ops are
 *   reported at main's next op of the instance, or at exit. The newest op is in the instance's slot
 *   (`s.newestSerial`, `newestMaker`, `newestSubject`, `newestMethod`); once a newer one is made, an older one
 *   still unrun moves to the list (`s.unrun`). The list is almost always empty, so checks are O(1).
 * - A SwitchOp changes nothing before its transfer arrives: its plan's `commit()` runs in the target's greenlet
 *   (scheduler.ts). The plan is the op itself, or for a PlannedOp one of the instance's reused plans
 *   (ChannelPlan, SchedulePlan, RunPlan). When the switch fails, the plan's `undo()` puts back what the op did
 *   before the switch (for a channel action, the caller's tempval), and the error comes out.
 * - A SwitchOp stepped with `next()`/`throw()` (by `yield*`, `sync`, greenlet-fix) gives one shared iterator result,
 *   `RESULT`, rewritten at each step of any op: a driver reads a result before it steps any op again. Every driver
 *   does (the trampoline, V8's `yield*`, the tasklet's frame, greenlet-fix's transfer op and body frame).
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Op } from '@greenstackless/greenlet';
import * as callbacksModule from './callbacks.js';
import * as errorsModule from './errors.js';
import type { Plan, Scheduler } from './scheduler.js';
import type { TaskletImpl } from './tasklet.js';
import * as tempvalModule from './tempval.js';
import * as codesModule from './codes.js';

export { FRESH, CLAIMED, RUNNING, SUSPENDED, DONE } from './codes.js';

// Imported names as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { FRESH, CLAIMED, RUNNING, SUSPENDED, DONE } = codesModule;
const { GreenletError, isInstance, OP_BRAND, reportUnrunAtExit } = greenletModule;
const { recursiveCall } = callbacksModule;
const { MSG, StacklessError } = errorsModule;
const { claim } = tempvalModule;
type GreenletError = greenletModule.GreenletError;
type StacklessError = errorsModule.StacklessError;

// The same tests the native trampoline makes, so that both layers agree on what a body may yield.
export { isGenerator, isOp } from '@greenstackless/greenlet';

/** A finished step of an op's iterator (a new result object; the switching ops share one, see SwitchOp). */
export function finalResult(value: unknown): IteratorResult<unknown, unknown> {
  return { value, done: true };
}

/**
 * The iterator result of every step of a SwitchOp and of a tasklet's frame, rewritten at each (see the invariants):
 * the sites that read results (`r.done`, `r.value` in the trampoline, `yield*`, the frames) see this one map, not
 * one per op class, and a step allocates nothing.
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
  // Fields are `declare`d and set in the constructor: V8 11.3 builds an object whose base class defines fields
  // about 2.4 times slower (measured: 420 against 175 instructions for a 9-field op).
  declare readonly s: Scheduler;
  declare phase: number;
  /** The tasklet running the op, once it started. */
  declare caller: TaskletImpl | null;
  /** Its number on the instance's unrun slot or list (H8), or 0 when it is not listed. */
  declare serial: number;

  /** `subject` and `method` describe the op as `describe()` does, for H8's message: `Channel#2` and `send`. */
  constructor(s: Scheduler, subject: object | null, method: string) {
    this.s = s;
    this.phase = FRESH;
    this.caller = null;
    // The newest unrun op waits in the slot; an older one that is still unrun moves to the list.
    if (s.newestSerial !== 0) spill(s);
    const serial = s.opSerial === MAX_SERIAL ? 1 : s.opSerial + 1;
    s.opSerial = serial;
    this.serial = serial;
    s.newestSerial = serial;
    s.newestMaker = s.current;
    s.newestSubject = subject;
    s.newestMethod = method;
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
    if (s.newestSerial !== 0 || s.unrun.length !== 0) checkForgotten(cur);
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

/** The tasklet that made the unrun op numbered `serial`, from the slot or the list (H8); null if not listed. */
function makerOf(s: Scheduler, serial: number): TaskletImpl | null {
  if (serial === 0) return null;
  if (s.newestSerial === serial) return s.newestMaker;
  for (const entry of s.unrun) if (entry.serial === serial) return entry.maker;
  return null;
}

// The failures of enter() are out of line: an op's start inlines enter(), and V8 inlines about 920 bytes of
// bytecode into one function, cold code included.

export function notInCurrent(op: OpBase, cur: TaskletImpl): StacklessError {
  const here = op.s.module.getcurrent();
  // Under a layer made of tasklets, the module may name the right greenlet while another tower's code runs.
  const where = here === cur.g ? 'not in a greenlet of another instance or tower' : `not in ${String(here)}`;
  return new StacklessError(
    `${op.describe()} must run in the greenlet of ${cur}, the current tasklet of its instance, ${where} (S3)`,
  );
}

/** H8 at the start of an op in `cur`: throws if `cur` left an op of the instance unrun. */
export function checkForgotten(cur: TaskletImpl): void {
  const forgotten = takeForgotten(cur);
  if (forgotten !== null) throw forgottenError(forgotten, cur, undefined);
}

/** Serials stay small integers: they wrap around long before a listed op could meet its namesake. */
const MAX_SERIAL = 0x3fffffff;

/** An op made in a non-main tasklet, not yet run and no longer the newest (H8): on the instance's list. */
export interface Unrun {
  readonly serial: number;
  readonly maker: TaskletImpl;
  readonly subject: object | null;
  readonly method: string;
}

/** Moves the op in the instance's slot to the list. */
function spill(s: Scheduler): void {
  const entry = { serial: s.newestSerial, maker: s.newestMaker!, subject: s.newestSubject, method: s.newestMethod };
  // The slot is cleared first: if the stack runs out in push() (an op made deep in user recursion), the op is not
  // listed twice, which would report an op that ran (H8).
  clearSlot(s);
  s.unrun.push(entry);
}

function clearSlot(s: Scheduler): void {
  s.newestSerial = 0;
  s.newestMaker = null;
  s.newestSubject = null;
}

/** Takes the op numbered `serial` off the slot or the list (the last entry moves into its place). */
export function unlist(s: Scheduler, serial: number): void {
  if (s.newestSerial === serial) {
    clearSlot(s);
    return;
  }
  const list = s.unrun;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].serial !== serial) continue;
    list[i] = list[list.length - 1];
    list.pop();
    return;
  }
}

function describeUnrun(subject: object | null, method: string): string {
  return subject === null ? `${method}()` : `${String(subject)}.${method}()`;
}

/**
 * Takes all of `t`'s unrun ops off the slot and the list and gives the description of the earliest, or null (H8:
 * reported once).
 */
export function takeForgotten(t: TaskletImpl): string | null {
  const s = t.s;
  let found: Unrun | null = null;
  const list = s.unrun;
  for (let i = list.length - 1; i >= 0; i--) {
    const entry = list[i];
    if (entry.maker !== t) continue;
    if (found === null || entry.serial < found.serial) found = entry;
    list[i] = list[list.length - 1];
    list.pop();
  }
  if (found !== null) {
    if (s.newestMaker === t) clearSlot(s);
    return describeUnrun(found.subject, found.method);
  }
  if (s.newestSerial !== 0 && s.newestMaker === t) {
    const text = describeUnrun(s.newestSubject, s.newestMethod);
    clearSlot(s);
    return text;
  }
  return null;
}

/** The H8 error for the op described as `op`, made in `t` and never run. */
export function forgottenError(op: string, t: TaskletImpl, cause: unknown): GreenletError {
  return new GreenletError(forgottenText(op, t), cause === undefined ? undefined : { cause });
}

function forgottenText(op: string, t: TaskletImpl): string {
  return `the op ${op} made in ${t} was never run: run ops with yield*, yield or sync() (H8)`;
}

/**
 * The instances whose main may have left ops unrun, for the warnings at exit (H8). Weak: an instance that is
 * dropped is collected, and with it whatever its main forgot.
 */
const instances = new Set<WeakRef<Scheduler>>();
let pruneAt = 64;

/** Registers a new instance for the warnings at exit. */
export function watchMain(s: Scheduler): void {
  instances.add(new WeakRef(s));
  if (instances.size < pruneAt) return;
  for (const ref of instances) if (ref.deref() === undefined) instances.delete(ref);
  pruneAt = 2 * instances.size + 64;
}

/** The texts of every op that the main of a live instance made and never ran; they are not reported again. */
function takeAllInMains(): string[] {
  const texts: string[] = [];
  for (const ref of instances) {
    const s = ref.deref();
    if (s === undefined) continue;
    const main = s.main;
    const mine = s.unrun.filter((entry) => entry.maker === main).sort((a, b) => a.serial - b.serial);
    for (const entry of mine) texts.push(forgottenText(describeUnrun(entry.subject, entry.method), main));
    const others = s.unrun.filter((entry) => entry.maker !== main);
    s.unrun.length = 0;
    s.unrun.push(...others);
    const newest = takeForgotten(main); // the slot, now that the list holds none of main's
    if (newest !== null) texts.push(forgottenText(newest, main));
  }
  return texts;
}
reportUnrunAtExit(takeAllInMains);

/** The switch trap refuses an op that would resume another tasklet (S13). */
export function trapError(op: OpBase): StacklessError {
  return new StacklessError(
    `${op.describe()} cannot switch to another tasklet while the switch trap is set (${MSG.switchTrap})`,
  );
}

/**
 * An op that may transfer control to another tasklet. Subclasses implement `start()` (the checks and the plan:
 * the result at once, or `suspend(s.switchTo(plan, target))`), `commit()` and, when they resume,
 * `finish()` (default: the claimed tempval, T11). Besides the iterator protocol, a tasklet's frame (body.ts) drives
 * it through `begin()`, `resumed()` and `raised()`, which give values instead of iterator results.
 */
export abstract class SwitchOp extends OpBase implements Plan {
  /** The result, or the greenlet switch op given by `suspend()`. */
  abstract start(): unknown;

  /** What the transfer commits on arrival, when the op is its own plan (a ChannelOp is not: channelops.ts). */
  abstract commit(): void;

  /**
   * What the caller's frame keeps once the op has suspended: the op itself, or, for an op whose transfer does not
   * need it (its plan is one of the instance's reused plans, not the op), the shared Wait that stands for it. Then
   * a suspended tasklet does not keep its op alive, and the op dies young.
   */
  standIn(): OpBase | Wait {
    return this;
  }

  /** What the op gives once its caller has resumed. */
  finish(): unknown {
    return claim(this.caller!);
  }

  /** Undoes what the op did before its switch failed (S5). */
  undo(): void {}

  /** The greenlet switch failed before control left: by default its error comes out of the op (S5). */
  switchFailed(error: unknown): unknown {
    throw error;
  }

  suspend(switchOp: Op<unknown>): unknown {
    this.phase = SUSPENDED;
    return switchOp;
  }

  /**
   * The first step of a started op: the result (then DONE), or the greenlet switch op to yield (SUSPENDED).
   * ChannelOp, ScheduleOp, TaskletRunOp and RunOp have copies of begin(), resumed() and next() (docs/v8.md): keep
   * them in step.
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

  /** The SUSPENDED op's caller resumes with a value: the op's result. */
  resumed(): unknown {
    this.phase = DONE;
    arriveAt(this.s, this.caller!, this);
    return this.finish();
  }

  /**
   * The SUSPENDED op's caller resumes with `error`: the op's result (DONE), or the switch op of a retry (still
   * SUSPENDED, P6), or the error comes out.
   */
  raised(error: unknown): unknown {
    const s = this.s;
    const me = this.caller!;
    if (s.failedFrom(me)) {
      // S5: the transfer failed before control left; nothing has changed (or it retries, P6).
      const retry = s.failed();
      if (retry !== null) return retry;
      this.phase = DONE;
      return this.switchFailed(error);
    }
    this.phase = DONE;
    arriveWithError(s, me, error, this);
    return this.finish();
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
    const x = this.raised(error);
    return stepResult(x, (this.phase as number) === DONE); // still SUSPENDED after a retry
  }

  describeFor(_t: TaskletImpl): string {
    return this.describe();
  }
}

/**
 * A SwitchOp whose transfer commits one of the instance's reused plans (`ChannelPlan`, `SchedulePlan`, `RunPlan`)
 * instead of the op: once it has suspended, the caller's frame keeps the shared Wait that `wait()` gives, and the
 * op is garbage. So no old object (the scheduler, the frame) ever holds it: a store of a young object into an old
 * one costs V8's write barrier, about 100 instructions.
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

/** What waits for a suspended caller's resume: an op, or what stands for it once its transfer has arrived. */
export interface Waiting {
  /** How messages name what `t` waits in. */
  describeFor(t: TaskletImpl): string;
}

/**
 * What a tasklet frame keeps in place of a suspended SwitchOp whose plan is not the op (`standIn()`): one shared
 * object per kind of op, which does what the op would do when its caller resumes (S22, T21, T11, and S5 in
 * body.ts).
 */
export abstract class Wait implements Waiting {
  abstract describeFor(t: TaskletImpl): string;

  /** What the op gives to `t`, which has arrived. */
  abstract finishFor(t: TaskletImpl): unknown;

  /** `t` resumes with a value: the op's result. */
  resumed(t: TaskletImpl): unknown {
    arriveAt(t.s, t, this);
    return this.finishFor(t);
  }

  /** `t` resumes with an error: the op's result, or the error comes out. */
  raised(t: TaskletImpl, error: unknown): unknown {
    arriveWithError(t.s, t, error, this);
    return this.finishFor(t);
  }
}

/** `me`, suspended in `what`, resumes with a value: it must be the instance's transfer (S22), which arrives. */
export function arriveAt(s: Scheduler, me: TaskletImpl, what: Waiting): void {
  if (!s.isOurs(me)) throw s.foreignResume(me, what.describeFor(me));
  s.arrive();
}

/**
 * `me`, suspended in `what` after its own transfer arrived, resumes with `error`. Returns if it is the instance's
 * transfer (the end of a tasklet by an error, T21: the error travels in the tempval); else throws.
 */
export function arriveWithError(s: Scheduler, me: TaskletImpl, error: unknown, what: Waiting): void {
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
  throw s.foreignResume(me, what.describeFor(me), error);
}
