import type { GreenletExit, GreenletError } from './errors.js';

/**
 * The types of the public contract (packages/greenlet/README.md, Reference), shared by every package and every
 * layer of a tower.
 */

/** The brand that makes an object an op (the op protocol, docs/switching.md H2): `obj[OP_BRAND] === true`. */
export const OP_BRAND: unique symbol = Symbol.for('@greenstackless/op') as any;

/**
 * How a layer made of tasklets proves where code runs (S3): a greenlet module made of an instance's tasklets
 * (greenlet-fix) has a function `[RUNS_NOW]()`, true if its `getcurrent()` is the greenlet that runs at this moment,
 * checked all the way down to native; a Stackless instance has the same for its current tasklet. A layer's own
 * notion of "current" only says what it last switched to: code of another tower runs without it noticing. Native's
 * `getcurrent()` is the truth, so native has none.
 */
export const RUNS_NOW: unique symbol = Symbol.for('@greenstackless/runs-now') as any;

/** An operation that may switch coroutines: run it with `yield*` or `yield` in a body, or `sync(op)` in plain code. */
export interface Op<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
}

/** A coroutine body: a generator function, or a plain function that runs to completion in one call (H9). */
export type Body<R = unknown> = (...args: any[]) => Generator<unknown, R, unknown> | R;

export type TraceEvent = 'switch' | 'throw';
export type TraceFn = (event: TraceEvent, origin: any, target: any) => void;

/** What a greenlet looks like to code that works on any greenlet module (greenstackless, greenlet-fix). */
export interface GreenletLike {
  get run(): Body | undefined;
  set run(value: Body | null | undefined);
  parent: GreenletLike | null;
  readonly dead: boolean;
  readonly active: boolean;
  switch<T = unknown>(...args: unknown[]): Op<T>;
  throw<T = unknown>(error?: unknown): Op<T>;
}

/** A greenlet implementation, injectable into `createStackless` (packages/greenlet/README.md). */
export interface GreenletModule {
  Greenlet: new (run?: Body | null, parent?: any) => GreenletLike;
  getcurrent(): GreenletLike;
  GreenletExit: typeof GreenletExit; // every module shares these two classes
  GreenletError: typeof GreenletError;
  settrace(fn: ((event: TraceEvent, origin: any, target: any) => void) | null): unknown;
  gettrace(): unknown;
}
