/**
 * Loading the three packages for the benchmarks, one at a time and only when a family needs them.
 *
 * Invariants:
 * - Packages are imported dynamically, so a package that is missing or not finished makes only the rows that
 *   need it "not available", never the whole run (a static import of a missing name fails at link time).
 * - The shapes below are the parts of the public API (the packages' READMEs) that the benchmarks use, checked at
 *   load time by name. They are written here rather than taken from the packages' own types so that the bench
 *   typechecks while a package is still being written; that API is fixed, so they cannot drift from it.
 */
import type { GreenletLike, GreenletModule, Op } from '@greenstackless/greenlet';

export type { GreenletLike, GreenletModule, Op };

/** A package, or a name in it, that a row needs is not there (yet): the row says so instead of failing. */
export class NotAvailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotAvailable';
  }
}

/** `@greenstackless/greenlet`: the native module and the one `sync` that runs ops of every layer. */
export interface GreenletApi {
  native: GreenletModule;
  sync<T>(op: Op<T> | Generator<unknown, T, unknown>): T;
}

/** A tasklet, as far as the benchmarks use one (packages/greenstackless/README.md, Reference). */
export interface TaskletLike {
  setup(...args: unknown[]): this;
  remove(): this;
  switch(): Op<unknown>;
  kill(): Op<unknown>;
}

/** A channel, as far as the benchmarks use one (packages/greenstackless/README.md, Reference). */
export interface ChannelLike<T = unknown> {
  send(value: T): Op<void>;
  receive(): Op<T>;
  get preference(): -1 | 0 | 1;
  set preference(value: number | boolean);
  get scheduleAll(): boolean;
  set scheduleAll(value: boolean | number);
  readonly balance: number;
}

/** A Stackless instance, as far as the benchmarks use one (packages/greenstackless/README.md, Reference). */
export interface StacklessLike {
  tasklet(fn?: ((...args: any[]) => unknown) | null, args?: unknown[]): TaskletLike;
  channel<T = unknown>(): ChannelLike<T>;
  schedule(retval?: unknown): Op<unknown>;
  run(): Op<TaskletLike | null>;
  readonly runcount: number;
}

/** `greenstackless`: the factory and the default instance. */
export interface StacklessApi {
  createStackless(greenlet?: GreenletModule): StacklessLike;
  stackless: StacklessLike;
}

/** `@greenstackless/greenlet-fix`: greenlets on a Stackless instance. */
export interface GreenletFixApi {
  createGreenlet(stackless?: StacklessLike): GreenletModule;
}

/** Imports `specifier` and checks that it exports `names`; anything else is NotAvailable with the reason. */
async function load<T>(specifier: string, names: readonly string[]): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new NotAvailable(`${specifier} does not load: ${(error as Error)?.message ?? String(error)}`);
  }
  const missing = names.filter((name) => mod[name] === undefined);
  if (missing.length !== 0) {
    throw new NotAvailable(`${specifier} does not export ${missing.join(', ')} yet`);
  }
  return mod as unknown as T;
}

export function loadGreenlet(): Promise<GreenletApi> {
  return load<GreenletApi>('@greenstackless/greenlet', ['native', 'sync']);
}

export function loadStackless(): Promise<StacklessApi> {
  return load<StacklessApi>('greenstackless', ['createStackless', 'stackless']);
}

export function loadGreenletFix(): Promise<GreenletFixApi> {
  return load<GreenletFixApi>('@greenstackless/greenlet-fix', ['createGreenlet']);
}
