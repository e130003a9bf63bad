/**
 * The channel actions (C5, C6, C12): `send`, `receive`, `sendException`, `sendThrow` as one op class, and
 * `sendSequence` (C9) and iteration (C10) on top of it; and the methods of the channel class that make them
 * (`channelMethods`, installed by instance.ts).
 *
 * Invariant: a ChannelOp changes nothing but its caller's tempval before its transfer arrives (and the
 * instance's ChannelPlan restores that when the switch fails); the queue and ring changes are made by `block()`
 * or `pass()`, from the plan's `commit()` on arrival, or at once when nothing switches.
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { Op } from '@greenstackless/greenlet';
import * as callbacksModule from '../callbacks.js';
import type { ChannelImpl } from '../channel.js';
import * as codesModule from '../codes.js';
import * as errorsModule from '../errors.js';
import * as forgottenModule from '../forgotten.js';
import * as opModule from '../op.js';
import * as ringModule from '../ring.js';
import * as schedulerModule from '../scheduler.js';
import type { Plan, Scheduler } from '../scheduler.js';
import type { TaskletImpl } from '../tasklet.js';
import * as tempvalModule from '../tempval.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { describeValue, GreenletError, sync } = greenletModule;
const { callChannelCallback, recursiveCall } = callbacksModule;
const { CLAIMED, DONE, FRESH, OUT, RUNNING, SUSPENDED } = codesModule;
const { ChannelClosedError, DeadlockError, MSG, StacklessError } = errorsModule;
const { checkForgotten, unlist } = forgottenModule;
const { arriveAt, finalResult, notInCurrent, OpBase, PlannedOp, stepResult, trapError, Wait } = opModule;
const { channelAppend, channelRemove, ringInsertBefore, ringResumeInPlace, ringSuccessor, ringUnlink } = ringModule;
const { schedulerOf } = schedulerModule;
const { Carrier, claim } = tempvalModule;
type ChannelClosedError = errorsModule.ChannelClosedError;
type DeadlockError = errorsModule.DeadlockError;
type StacklessError = errorsModule.StacklessError;
type OpBase = opModule.OpBase;
type Wait = opModule.Wait;

/** The kinds of a channel action. */
const RECEIVE = 0;
const SEND = 1;
const SEND_EXCEPTION = 2;
const SEND_THROW = 3;

/** C6: who runs when a partner was waiting, and blocking (C5 step 5). */
const CONTINUE = 0; // nothing switches; the partner is appended
const PARTNER_AT_ONCE = 1; // the partner becomes the head; the caller stays at the tail
const CALLER_YIELDS = 2; // the partner is appended and the caller moves to the tail
const BLOCK = 3; // no partner: the caller blocks

const KIND_NAMES = ['receive', 'send', 'sendException', 'sendThrow'];

/** One channel action by the caller (C5). */
export class ChannelOp extends PlannedOp {
  readonly ch: ChannelImpl;
  /** RECEIVE, SEND, SEND_EXCEPTION or SEND_THROW. */
  readonly kind: number;
  /**
   * Before the start, the value to send (a Carrier for an exception). From step 2 on, the caller's tempval as it
   * was before, restored if the action fails (S19, S5).
   */
  payload: unknown;

  constructor(ch: ChannelImpl, kind: number, payload: unknown) {
    super(schedulerOf(ch), ch, KIND_NAMES[kind]);
    this.ch = ch;
    this.kind = kind;
    this.payload = payload;
  }

  describe(): string {
    return `${this.ch}.${KIND_NAMES[this.kind]}()`;
  }

  start(): unknown {
    const c = this.enter();
    const s = this.s;
    const ch = this.ch;
    const kind = this.kind;
    const sending = kind !== RECEIVE;
    // Step 2: the caller's tempval holds what is sent.
    const saved = c.tempval;
    c.tempval = sending ? this.payload : undefined;
    this.payload = saved;
    const waiting = sending ? ch.balance < 0 : ch.balance > 0;
    // Step 3 (S19).
    const cb = s.channelCallback;
    if (cb !== null) {
      try {
        callChannelCallback(s, cb, ch, c, sending, !waiting);
      } catch (error) {
        this.undo();
        throw error;
      }
    }
    let to: TaskletImpl;
    let mode: number;
    if (waiting) {
      // Step 4: a partner waits (the head of the queue); C6 decides who runs. Works on a closing channel too.
      if (ch.all) {
        mode = CALLER_YIELDS;
        to = c.nextLink === c ? ch.head! : c.nextLink!;
      } else if (ch.pref === (sending ? -1 : 1)) {
        mode = PARTNER_AT_ONCE;
        to = ch.head!;
      } else {
        this.payload = undefined;
        pass(s, c, ch, kind, CONTINUE);
        return this.finishFor(c);
      }
    } else {
      // Step 5: the caller blocks, unless it may not.
      mode = BLOCK;
      if (c.blockTrap) return this.fail(blockTrapped(this, c));
      if (ch.closingFlag) return this.fail(closedError(this));
      to = c.nextLink!;
      if (to === c) {
        // C12: W resumes if it is paused; otherwise nothing could ever wake the caller.
        const w = s.watchdog();
        if (w === c || w.link !== OUT) {
          return this.fail(deadlockError(this, c));
        }
        to = w;
      }
    }
    if (s.trap !== 0) return this.fail(trapError(this));
    const plan = s.channelPlan as ChannelPlan;
    plan.caller = c;
    plan.ch = ch;
    plan.kind = kind;
    plan.mode = mode;
    plan.saved = saved;
    return this.suspend(s.switchTo(plan, to));
  }

  /** A failed check: the callback has run, nothing else changes (C5). */
  private fail(error: unknown): never {
    this.undo();
    throw error;
  }

  override undo(): void {
    this.caller!.tempval = this.payload;
    this.payload = undefined;
  }

  wait(): Wait {
    return CHANNEL_WAITS[this.kind];
  }

  // Copies of OpBase's and SwitchOp's steps for the hottest op, whose sites then see this class alone
  // (docs/v8.md#hidden-classes-and-inline-caches). Keep them in step with the originals in op.ts.
  override [Symbol.iterator](): this {
    if (this.phase !== FRESH) {
      throw new GreenletError(`the op ${this.describe()} has already run; an op runs at most once (H1)`);
    }
    this.phase = CLAIMED;
    if (this.serial !== 0) unlist(this.s, this.serial);
    return this;
  }

  override enter(): TaskletImpl {
    const s = this.s;
    const cur = s.current;
    if (s.inCallback !== 0) throw recursiveCall(s, this.describe());
    if (s.module.getcurrent() !== cur.g || (s.runsNow !== null && !s.runsNow())) throw notInCurrent(this, cur);
    if (s.newestSerial !== 0 || s.unrun.length !== 0) checkForgotten(s, cur);
    this.caller = cur;
    return cur;
  }

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

  override finishFor(t: TaskletImpl): unknown {
    return actionResult(t, this.kind);
  }
}

/**
 * The plan of a channel action that switches, committed when its transfer arrives (C5 steps 4 and 5): one per
 * instance (instance.ts makes it), reused, since at most one transfer is in flight. It holds the caller, the
 * channel and small integers, all as old as the instance, and not the op: an op is young, and keeping it as the
 * plan would cost a write barrier on the scheduler's `transit` and on the caller's frame (docs/v8.md#write-barriers).
 */
export class ChannelPlan implements Plan {
  declare readonly s: Scheduler;
  declare caller: TaskletImpl | null;
  declare ch: ChannelImpl | null;
  declare kind: number;
  /** PARTNER_AT_ONCE, CALLER_YIELDS or BLOCK. */
  declare mode: number;
  /** The caller's tempval before the action, restored if the switch fails (S5). */
  declare saved: unknown;

  constructor(s: Scheduler) {
    this.s = s;
    this.caller = null;
    this.ch = null;
    this.kind = RECEIVE;
    this.mode = BLOCK;
    this.saved = undefined;
  }

  commit(): void {
    const c = this.caller!;
    const ch = this.ch!;
    // The plan outlives its action: it must not keep the channel and its queue alive once the action is over (M6).
    this.caller = null;
    this.ch = null;
    this.saved = undefined;
    if (this.mode === BLOCK) block(this.s, c, ch, this.kind);
    else pass(this.s, c, ch, this.kind, this.mode);
  }

  undo(): void {
    this.caller!.tempval = this.saved;
    this.caller = null;
    this.ch = null;
    this.saved = undefined;
  }
}

/** Step 6, for `t` whose action of `kind` is over: undefined for a send, the value for a receive; a received
 *  carrier is thrown. */
function actionResult(t: TaskletImpl, kind: number): unknown {
  const v = claim(t);
  return kind === RECEIVE ? v : undefined;
}

/** Step 5: the caller `c` leaves the ring and waits on `ch`. */
function block(s: Scheduler, c: TaskletImpl, ch: ChannelImpl, kind: number): void {
  const head = ringSuccessor(c);
  // C12: the caller was the last runnable tasklet, so W (paused) resumes in place.
  const w = head === null ? s.watchdog() : null;
  ringUnlink(s, c);
  channelAppend(ch, c, kind === RECEIVE ? -1 : 1);
  if (w !== null) ringResumeInPlace(s, w, null);
}

/** Step 4: take the partner out of `ch` and pass the value (the two tempvals are swapped). */
function pass(s: Scheduler, c: TaskletImpl, ch: ChannelImpl, kind: number, mode: number): void {
  const p = ch.head!;
  channelRemove(p);
  if (kind !== RECEIVE) {
    p.tempval = c.tempval;
    c.tempval = undefined;
  } else {
    c.tempval = p.tempval;
    p.tempval = undefined;
  }
  if (mode === PARTNER_AT_ONCE) ringInsertBefore(s, p, c.nextLink!); // right after the caller
  else ringInsertBefore(s, p, c); // appended
}

/** What a tasklet frame keeps in place of a suspended ChannelOp (op.ts: `standIn`): one per kind. */
export class ChannelWait extends Wait {
  readonly kind: number;

  constructor(kind: number) {
    super();
    this.kind = kind;
  }

  describeFor(t: TaskletImpl): string {
    return `${t.channel ?? 'a channel'}.${KIND_NAMES[this.kind]}()`;
  }

  finishFor(t: TaskletImpl): unknown {
    return actionResult(t, this.kind);
  }
}

const CHANNEL_WAITS = KIND_NAMES.map((_, kind) => new ChannelWait(kind));

/** `sendSequence(values)` (C9): each item is a send that runs as a nested frame. */
export class SendSequenceOp extends OpBase {
  readonly ch: ChannelImpl;
  readonly values: Iterable<unknown>;
  iterator: Iterator<unknown> | null;
  count: number;
  /** True while a send of an item is out. */
  sending: boolean;

  constructor(ch: ChannelImpl, values: Iterable<unknown>) {
    super(schedulerOf(ch), ch, 'sendSequence');
    this.ch = ch;
    this.values = values;
    this.iterator = null;
    this.count = 0;
    this.sending = false;
  }

  describe(): string {
    return `${this.ch}.sendSequence()`;
  }

  next(): IteratorResult<unknown, unknown> {
    if (this.phase === CLAIMED) {
      this.phase = RUNNING;
      try {
        this.enter();
        this.iterator = this.values[Symbol.iterator]();
      } catch (error) {
        this.phase = DONE;
        throw error;
      }
    } else if (this.phase !== RUNNING) {
      return finalResult(this.count);
    } else if (this.sending) {
      this.sending = false;
      this.count++;
    }
    let r: IteratorResult<unknown>;
    try {
      r = this.iterator!.next();
    } catch (error) {
      this.phase = DONE;
      throw error;
    }
    if (r.done) {
      this.phase = DONE;
      return finalResult(this.count);
    }
    this.sending = true;
    return { value: new ChannelOp(this.ch, SEND, r.value), done: false };
  }

  /** A send failed: its error comes out after the items before it were sent (C9). */
  throw(error: unknown): IteratorResult<unknown, unknown> {
    this.phase = DONE;
    this.sending = false;
    throw error;
  }
}

/** Iteration over a channel (C10): hard receives until it is closing with no sender left. */
export class ChannelIterator implements Iterator<unknown> {
  readonly ch: ChannelImpl;

  constructor(ch: ChannelImpl) {
    this.ch = ch;
  }

  next(): IteratorResult<unknown> {
    const ch = this.ch;
    if (ch.closingFlag && ch.balance <= 0) return { value: undefined, done: true };
    return { value: sync(new ChannelOp(ch, RECEIVE, undefined)), done: false };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

// The refusals of a channel action, out of line: the action's start is hot, and V8 inlines only so much bytecode
// (docs/v8.md#inlining).

function blockTrapped(op: OpBase, c: TaskletImpl): StacklessError {
  return new StacklessError(`${op.describe()} would block ${c}, whose blockTrap is set: ${MSG.blockTrap}`);
}

function closedError(op: OpBase): ChannelClosedError {
  return new ChannelClosedError(`${op.describe()} would block on a closing channel: ${MSG.closed}`);
}

function deadlockError(op: OpBase, c: TaskletImpl): DeadlockError {
  return new DeadlockError(`${op.describe()} would block ${c}, and nothing else can run: ${MSG.deadlock}`);
}

/** True if `values` has an iterator method; false where reading it throws (a revoked Proxy). */
function isIterable(values: unknown): boolean {
  if (values === null || values === undefined) return false;
  try {
    return typeof (values as any)[Symbol.iterator] === 'function';
  } catch {
    return false;
  }
}

/**
 * The methods of the channel class that make its ops (types.ts: Channel), installed on ChannelImpl's prototype by
 * instance.ts: they are defined here, with the channel action, because channel.ts is below the ops.
 */
export const channelMethods = {
  /** Sends `value`: blocks until a receiver takes it, unless one waits (C5, C6). Gives undefined. */
  send(this: ChannelImpl, value: unknown): Op<void> {
    return new ChannelOp(this, SEND, value) as unknown as Op<void>;
  },

  /** Receives a value: blocks until a sender comes, unless one waits (C5, C6). */
  receive(this: ChannelImpl): Op<unknown> {
    return new ChannelOp(this, RECEIVE, undefined);
  },

  /** Sends `new ErrorClass(...args)`, made in the caller, as an exception for the receiver to throw (C7). */
  sendException(this: ChannelImpl, errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<void> {
    if (errorClass === undefined) throw new TypeError(`${this}: send_exception() takes at least 1 argument`);
    if (typeof errorClass !== 'function') {
      throw new TypeError(`${this}: channel.send_exception needs Exception or string subclass as first parameter`);
    }
    return new ChannelOp(this, SEND_EXCEPTION, new Carrier(new errorClass(...args))) as unknown as Op<void>;
  },

  /** Sends `error` itself as an exception; the receiver throws that same object (C8). */
  sendThrow(this: ChannelImpl, error: unknown): Op<void> {
    return new ChannelOp(this, SEND_THROW, new Carrier(error)) as unknown as Op<void>;
  },

  /** Sends each item in order, each a send that may block; gives the number sent (C9). */
  sendSequence(this: ChannelImpl, values: Iterable<unknown>): Op<number> {
    if (!isIterable(values)) {
      throw new TypeError(`${this}.sendSequence() needs an iterable, not ${describeValue(values)}`);
    }
    return new SendSequenceOp(this, values) as unknown as Op<number>;
  },

  /** Hard receives until the channel is closing with no sender left (C10). */
  [Symbol.iterator](this: ChannelImpl): Iterator<unknown> {
    return new ChannelIterator(this);
  },
};
