/**
 * The public types of the Stackless API (packages/greenstackless/README.md), implemented by every instance made by
 * `createStackless`.
 */
import type { Body, Op } from '@greenstackless/greenlet';
import type { ChannelClosedError, DeadlockError, StacklessError, TaskletExit } from './errors.js';

/** Options of `run()` (docs/stackless.md §5, P2). */
export interface RunOptions {
  timeout?: number;
  soft?: boolean | number;
  totaltimeout?: boolean | number;
}

export type ScheduleCallback = (prev: Tasklet, next: Tasklet) => void;
export type ChannelCallback = (ch: Channel, t: Tasklet, sending: boolean, willblock: boolean) => void;
export type ErrorHandler = (error: unknown, tasklet: Tasklet) => void;

export interface Tasklet<R = unknown> {
  bind(fn?: Body<R> | null, args?: unknown[] | null): this;
  setup(...args: unknown[]): this;
  insert(): this;
  remove(): this;
  run(): Op<unknown>;
  switch(): Op<unknown>;
  kill(options?: { pending?: boolean }): Op<unknown>;
  throw(error: unknown, options?: { pending?: boolean }): Op<unknown>;
  raiseException(errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<unknown>;
  setAtomic(flag: boolean | number): boolean;
  readonly alive: boolean;
  readonly paused: boolean;
  readonly blocked: boolean;
  readonly scheduled: boolean;
  readonly isMain: boolean;
  readonly isCurrent: boolean;
  readonly atomic: boolean;
  readonly restorable: boolean;
  readonly next: Tasklet | null;
  readonly prev: Tasklet | null;
  get blockTrap(): boolean;
  set blockTrap(value: boolean | number);
  tempval: unknown;
}

export interface Channel<T = unknown> extends Iterable<T> {
  send(value: T): Op<void>;
  receive(): Op<T>;
  sendException(errorClass: new (...a: any[]) => unknown, ...args: unknown[]): Op<void>;
  sendThrow(error: unknown): Op<void>;
  sendSequence(values: Iterable<T>): Op<number>;
  close(): void;
  open(): void;
  readonly balance: number;
  readonly closing: boolean;
  readonly closed: boolean;
  get preference(): -1 | 0 | 1;
  set preference(value: number | boolean);
  get scheduleAll(): boolean;
  set scheduleAll(value: boolean | number);
  readonly queue: Tasklet | null;
}

export type TaskletConstructor = new <R = unknown>(fn?: Body<R> | null, args?: unknown[] | null) => Tasklet<R>;
export type ChannelConstructor = new <T = unknown>() => Channel<T>;

export interface Stackless {
  Tasklet: TaskletConstructor;
  Channel: ChannelConstructor;
  tasklet<R = unknown>(fn?: Body<R> | null, args?: unknown[] | null): Tasklet<R>;
  channel<T = unknown>(): Channel<T>;
  getcurrent(): Tasklet;
  getmain(): Tasklet;
  getruncount(): number;
  readonly current: Tasklet;
  readonly main: Tasklet;
  readonly runcount: number;
  schedule<T = unknown>(retval?: T): Op<T>;
  scheduleRemove<T = unknown>(retval?: T): Op<T>;
  run(options?: RunOptions): Op<Tasklet | null>;
  tick(): Op<void>;
  atomic<R>(body: () => Generator<unknown, R, unknown> | R): Op<R>;
  switchTrap(change?: number): number;
  setScheduleCallback(cb: ScheduleCallback | null | undefined): unknown;
  getScheduleCallback(): unknown;
  setChannelCallback(cb: ChannelCallback | null | undefined): unknown;
  getChannelCallback(): unknown;
  setErrorHandler(handler: ErrorHandler | null | undefined): unknown;
  getErrorHandler(): unknown;
  TaskletExit: typeof TaskletExit;
  StacklessError: typeof StacklessError;
  DeadlockError: typeof DeadlockError;
  ChannelClosedError: typeof ChannelClosedError;
}
