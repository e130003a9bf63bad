/**
 * The types of the hub's public contract (docs/io.md §1). `Hub` lists the members every hub has; the socket and
 * HTTP modules add `connect`, `listen`, `serve` and `serveHttp` to it (docs/io.md §2, §3).
 */
import type { EventEmitter } from 'node:events';
import type { Body, Op } from '@greenstackless/greenlet';
import type { Stackless, Tasklet } from 'greenstackless';

export interface HubOptions {
  /** auto (default): promise settlements pump in a microtask, I/O, timers and emitters in `setImmediate` (I5). */
  pump?: 'auto' | 'microtask' | 'immediate';
  /** Hears an error that escaped a tasklet during a pump (I7); without it the error is rethrown on a later tick. */
  onError?: (error: unknown, tasklet: Tasklet | null) => void;
}

export interface WaitOptions {
  /** ms; when it passes first, the op throws `TimeoutError`. */
  timeout?: number;
  /** When aborted first, the op throws `signal.reason`. */
  signal?: AbortSignal;
  /** Shown by `hub.waiting()` and in deadlock reports. */
  description?: string;
  /** This wait alone does not count as a deadlock at exit (I14). */
  unref?: boolean;
}

/** How a wait's `register` ends it: the first call of either decides, later calls are ignored (I2.2). */
export interface Resume<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** A tasklet started by `hub.spawn` and the promise of its body's outcome (I8). */
export interface Task<R> {
  readonly tasklet: Tasklet<R>;
  readonly result: Promise<R>;
}

/** The events of an emitter, one `next()` at a time (`hub.on`). */
export interface Subscription<T> extends Disposable {
  next(options?: WaitOptions): Op<IteratorResult<T, undefined>>;
  close(): void;
}

/** One entry of `hub.waiting()` (I10). */
export interface WaitingEntry {
  tasklet: Tasklet;
  description: string;
  /** `performance.now()` when the wait began; waits begun in one pump share the time of its first wait. */
  since: number;
}

/** One tasklet of a deadlock report (I14): what it waits on. */
export interface StuckTasklet {
  tasklet: Tasklet;
  description: string;
}

export interface Hub {
  readonly stackless: Stackless;
  wait<T>(register: (resume: Resume<T>) => (() => void) | void, options?: WaitOptions): Op<T>;
  await<T>(value: T | PromiseLike<T>, options?: WaitOptions): Op<Awaited<T>>;
  call<T>(fn: (signal: AbortSignal) => PromiseLike<T> | T, options?: WaitOptions): Op<T>;
  sleep(ms: number, options?: { unref?: boolean; signal?: AbortSignal }): Op<void>;
  once(emitter: EventEmitter | EventTarget, event: string | symbol, options?: WaitOptions): Op<unknown[]>;
  on<T = unknown[]>(
    emitter: EventEmitter,
    event: string | symbol,
    options?: { close?: Array<string | symbol>; highWaterMark?: number },
  ): Subscription<T>;
  spawn<R>(body: Body<R>, ...args: unknown[]): Task<R>;
  promise<T>(op: Op<T> | Generator<unknown, T, unknown>): Promise<T>;
  main<R>(body: Body<R>, ...args: unknown[]): Promise<R>;
  join(): Promise<void>;
  waiting(): WaitingEntry[];
  requestPump(): void;
}
