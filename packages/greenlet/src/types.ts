/**
 * The types of the public contract (packages/greenlet/README.md, Reference), shared by every package and every
 * layer of a tower.
 *
 * Invariant: the symbols are registered (`Symbol.for`), so every copy of every package agrees on them.
 */
import type { GreenletExit, GreenletError } from './errors.js';

/** The brand that makes an object an op (the op protocol, docs/switching.md H2): `obj[OP_BRAND] === true`. */
export const OP_BRAND: unique symbol = Symbol.for('@greenstackless/op') as any;

/**
 * How a layer made of tasklets proves where code runs (S3): a greenlet module made of an instance's tasklets
 * (greenlet-fix) has a function `[RUNS_NOW]()`, true if its `getcurrent()` is the greenlet that runs at this moment,
 * checked all the way down to native; a Stackless instance has the same for its current tasklet. A layer's own
 * notion of "current" only says what it last switched to: code of another tower runs without it noticing. Native's
 * `getcurrent()` is the truth, so native has none.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export const RUNS_NOW: unique symbol = Symbol.for('@greenstackless/runs-now') as any;

/** An operation that may switch coroutines: run it with `yield*` or `yield` in a body, or `sync(op)` in plain code. */
export interface Op<T> {
  [Symbol.iterator](): Iterator<unknown, T, unknown>;
}

/** A coroutine body: a generator function, or a plain function that runs to completion in one call (H9). */
export type Body<R = unknown> = (...args: any[]) => Generator<unknown, R, unknown> | R;

/** What a tracer is told: `'switch'` when the target gets a value, `'throw'` when it gets an error (G30). */
export type TraceEvent = 'switch' | 'throw';
/** A tracer: called once for each delivery of control, from `origin` to `target`, before `target` runs (G30, G31). */
export type TraceFn = (event: TraceEvent, origin: any, target: any) => void;

/** What a greenlet looks like to code that works on any greenlet module (greenstackless, greenlet-fix). */
export interface GreenletLike {
  /** The function the greenlet starts with, until it starts (G7, G8). */
  get run(): Body | undefined;
  set run(value: Body | null | undefined);
  /** Where the greenlet's result or error goes when it ends; null only for main (G11-G14, G24-G26). */
  parent: GreenletLike | null;
  /** Finished, or killed before it started (G2). */
  readonly dead: boolean;
  /** Started and not dead: Python's `bool(g)` (G2). */
  readonly active: boolean;
  /** An op that transfers control to the greenlet with the arguments (G3-G6, G16). */
  switch<T = unknown>(...args: unknown[]): Op<T>;
  /** An op that raises `error` (default: a new `GreenletExit`) in the greenlet (G17-G23). */
  throw<T = unknown>(error?: unknown): Op<T>;
}

/** A greenlet implementation, injectable into `createStackless` (packages/greenlet/README.md). */
export interface GreenletModule {
  /** The module's greenlet class: `new Greenlet(run, parent)`. */
  Greenlet: new (run?: Body | null, parent?: any) => GreenletLike;
  /** The running greenlet of the module (G27, G28). */
  getcurrent(): GreenletLike;
  /** Every module shares these two classes: the native ones. */
  GreenletExit: typeof GreenletExit;
  /** Python's `greenlet.error`. */
  GreenletError: typeof GreenletError;
  /** Installs the module's tracer (null removes it) and returns the previous one or null (G29). */
  settrace(fn: ((event: TraceEvent, origin: any, target: any) => void) | null): unknown;
  /** The module's tracer, or null (G29). */
  gettrace(): unknown;
}
