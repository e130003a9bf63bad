/**
 * `hub.on(emitter, event)`: an emitter's events, one `next()` at a time, like `events.on` for tasklets.
 *
 * Invariants:
 * - Events that arrive while no tasklet waits are buffered in arrival order (`buffer` from `head`); at most one
 *   tasklet waits (`waiter`), and only while the buffer is empty.
 * - An `'error'` event (unless it is the subscribed event) ends the subscription: the waiting or next `next()`
 *   throws it, and later ones give `done`. A close event or `close()` ends it too: buffered events are given first
 *   after a close event, dropped after `close()`.
 * - Above `highWaterMark` buffered events the emitter is paused (if it can be), and resumed at half.
 */
import type { EventEmitter } from 'node:events';
import type { Op } from '@greenstackless/greenlet';
import { StacklessError } from 'greenstackless';
import type { HubCore } from './pump.js';
import type { Subscription, WaitOptions } from './types.js';
import { IMMEDIATE } from './pump.js';
import { BY_RESUME, NEXT, PENDING, REJECTED, RESOLVED, WaitOp } from './wait.js';
import type { WaitSource } from './wait.js';

const DONE_RESULT: IteratorReturnResult<undefined> = Object.freeze({ value: undefined, done: true }) as
  IteratorReturnResult<undefined>;

export class EventSubscription<T> implements Subscription<T>, WaitSource {
  private readonly core: HubCore;
  private readonly emitter: EventEmitter;
  private readonly event: string | symbol;
  private readonly closeEvents: Array<string | symbol>;
  private readonly highWaterMark: number;
  private buffer: unknown[] = [];
  private head = 0;
  private waiter: WaitOp | null = null;
  private failed = false;
  private error: unknown = undefined;
  private ended = false;
  private listening = true;
  private paused = false;
  private readonly onEvent: (...args: unknown[]) => void;
  private readonly onError: (error: unknown) => void;
  private readonly onClose: () => void;

  constructor(
    core: HubCore,
    emitter: EventEmitter,
    event: string | symbol,
    options: { close?: Array<string | symbol>; highWaterMark?: number } | undefined,
  ) {
    if (emitter === null || typeof emitter !== 'object' || typeof emitter.on !== 'function' ||
      typeof emitter.removeListener !== 'function') {
      throw new TypeError(`on: emitter must be an EventEmitter, not ${String(emitter)}`);
    }
    if (typeof event !== 'string' && typeof event !== 'symbol') {
      throw new TypeError(`on: event must be a string or a symbol, not ${String(event)}`);
    }
    const close = options?.close ?? [];
    if (!Array.isArray(close)) throw new TypeError('on: the close option must be an array of event names');
    const highWaterMark = options?.highWaterMark ?? Infinity;
    if (typeof highWaterMark !== 'number' || !(highWaterMark >= 1)) {
      throw new TypeError(`on: highWaterMark must be a number >= 1, not ${String(highWaterMark)}`);
    }
    this.core = core;
    this.emitter = emitter;
    this.event = event;
    this.closeEvents = close.slice();
    this.highWaterMark = highWaterMark;
    this.onEvent = (...args: unknown[]) => this.deliver(args);
    this.onError = (error: unknown) => this.fail(error);
    this.onClose = () => this.end(false);
    emitter.on(event, this.onEvent);
    if (event !== 'error') emitter.on('error', this.onError);
    for (const name of this.closeEvents) emitter.on(name, this.onClose);
  }

  /** The next event's arguments, or `done` once the subscription has ended. */
  next(options?: WaitOptions): Op<IteratorResult<T, undefined>> {
    return new WaitOp<IteratorResult<T, undefined>>(this.core, NEXT, this, undefined, options);
  }

  /** Stops listening; a waiting `next()` gives `done`. */
  close(): void {
    this.end(true);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  describe(): string {
    return `on ${typeof this.event === 'string' ? `'${this.event}'` : String(this.event)}`;
  }

  /** WaitSource: the op of a `next()` registers. */
  attach(op: WaitOp): void {
    if (this.waiter !== null) {
      throw new StacklessError(`the subscription ${this.describe()} is already being read by ${String(this.waiter.tasklet)}`);
    }
    if (this.head < this.buffer.length) {
      op.decide(RESOLVED, { value: this.take(), done: false }, BY_RESUME, IMMEDIATE);
    } else if (this.failed) {
      this.failed = false;
      const error = this.error;
      this.error = undefined;
      op.decide(REJECTED, error, BY_RESUME, IMMEDIATE);
    } else if (this.ended) {
      op.decide(RESOLVED, DONE_RESULT, BY_RESUME, IMMEDIATE);
    } else {
      this.waiter = op;
    }
  }

  /** WaitSource: the teardown of a `next()`. */
  detach(op: WaitOp): void {
    if (this.waiter === op) this.waiter = null;
  }

  private take(): unknown {
    const value = this.buffer[this.head];
    this.buffer[this.head++] = undefined;
    const left = this.buffer.length - this.head;
    if (left === 0) {
      this.buffer = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.buffer.length) {
      this.buffer = this.buffer.slice(this.head);
      this.head = 0;
    }
    if (this.paused && left <= this.highWaterMark / 2) {
      this.paused = false;
      (this.emitter as any).resume();
    }
    return value;
  }

  /** The waiting tasklet's op, once: taken when decided, so an event that follows is buffered, not lost. */
  private takeWaiter(): WaitOp | null {
    const w = this.waiter;
    if (w === null || w.outcome !== PENDING) return null;
    this.waiter = null;
    return w;
  }

  private deliver(args: unknown[]): void {
    const w = this.takeWaiter();
    if (w !== null) {
      w.decide(RESOLVED, { value: args, done: false }, BY_RESUME, IMMEDIATE);
      return;
    }
    this.buffer.push(args);
    if (!this.paused && this.buffer.length - this.head > this.highWaterMark &&
      typeof (this.emitter as any).pause === 'function') {
      this.paused = true;
      (this.emitter as any).pause();
    }
  }

  private fail(error: unknown): void {
    this.unlisten();
    this.ended = true;
    const w = this.takeWaiter();
    if (w !== null) {
      w.decide(REJECTED, error, BY_RESUME, IMMEDIATE);
    } else {
      this.failed = true;
      this.error = error;
    }
  }

  /** A close event (`dropBuffered` false) or `close()` (true). */
  private end(dropBuffered: boolean): void {
    this.unlisten();
    this.ended = true;
    if (dropBuffered) {
      this.buffer = [];
      this.head = 0;
      this.failed = false;
      this.error = undefined;
    }
    const w = this.takeWaiter();
    if (w !== null) w.decide(RESOLVED, DONE_RESULT, BY_RESUME, IMMEDIATE);
    if (this.paused) {
      this.paused = false;
      (this.emitter as any).resume();
    }
  }

  private unlisten(): void {
    if (!this.listening) return;
    this.listening = false;
    const emitter = this.emitter;
    emitter.removeListener(this.event, this.onEvent);
    if (this.event !== 'error') emitter.removeListener('error', this.onError);
    for (const name of this.closeEvents) emitter.removeListener(name, this.onClose);
  }
}
