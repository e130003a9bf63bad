/**
 * `createGreenlet(stackless)`: a greenlet module on the tasklets of one Stackless instance (§8).
 *
 * Invariants:
 * - A module is made in its instance's main tasklet (F1); its main greenlet stands for that tasklet.
 * - Each module has its own `Greenlet` class, whose objects are `FixGreenlet`s (one hidden class for every module)
 *   and whose `instanceof` holds only for the module's own greenlets, main and stand-ins included (`_mod`).
 * - Of `@greenstackless/greenlet` this package uses only types, the two error classes, `sync`, `unwind`, the
 *   op brand (F1) and the body checks of H9, so that every module refuses the same bodies in the same words.
 */
import { describeValue, GreenletError, GreenletExit, RUNS_NOW } from '@greenstackless/greenlet';
import type { Body, GreenletModule, TraceEvent } from '@greenstackless/greenlet';
import { stackless as defaultInstance } from 'greenstackless';
import type { Stackless } from 'greenstackless';
import { watchMain } from './forgotten.js';
import { FixGreenlet } from './greenlet.js';
import { greenletBody } from './lifecycle.js';
import { ModuleState } from './state.js';
import type { TraceFn } from './state.js';

/** A tracer of a greenlet-fix module: `fn(event, origin, target)` for each delivery of control (G30, F8). */
export type FixTraceFn = (event: TraceEvent, origin: FixGreenlet, target: FixGreenlet) => void;

/** A greenlet module made by `createGreenlet`: the `GreenletModule` contract with its own greenlet class. */
export interface FixGreenletModule extends GreenletModule {
  /** The module's own greenlet class: `instanceof` holds only with it. */
  Greenlet: new (run?: Body | null, parent?: FixGreenlet | null) => FixGreenlet;
  /** The running greenlet: main, a started greenlet, or the stand-in of a tasklet the module did not make (F7). */
  getcurrent(): FixGreenlet;
  /** Installs the module's tracer (null removes it) and returns the previous one or null (G29, F8). */
  settrace(fn: FixTraceFn | null | undefined): FixTraceFn | null;
  /** The module's tracer, or null (G29). */
  gettrace(): FixTraceFn | null;
  /** True if `getcurrent()` runs now, checked down to native (S3; RUNS_NOW in the greenlet package). */
  [RUNS_NOW](): boolean;
}

/**
 * Makes a greenlet module whose greenlets run as tasklets of `stackless` (default: greenstackless' default
 * instance). Call it in that instance's main tasklet (F1).
 *
 * @example
 * ```ts
 * import { native, sync } from '@greenstackless/greenlet';
 * import { createStackless } from 'greenstackless';
 * import { createGreenlet } from '@greenstackless/greenlet-fix';
 * const { Greenlet, getcurrent } = createGreenlet(createStackless(native));
 * const g = new Greenlet(function* (a: number) {
 *   const b = yield* getcurrent().parent!.switch(a * 2); // to main, and back
 *   return a + (b as number);
 * });
 * sync(g.switch(1)); // 2
 * sync(g.switch(10)); // 11: g returned, and its result went to its parent
 * ```
 */
export function createGreenlet(stackless: Stackless = defaultInstance): FixGreenletModule {
  if (!isInstance(stackless)) {
    throw new TypeError(`createGreenlet needs a Stackless instance, not ${describeValue(stackless)}`);
  }
  if (stackless.current !== stackless.main) {
    throw new GreenletError(
      `a greenlet module must be created in the main tasklet (${stackless.main}), not in ${stackless.current} (F1)`,
    );
  }
  const mod = new ModuleState(stackless, greenletBody);
  // The module's own class makes objects of the shared FixGreenlet: one hidden class for every module's greenlets
  // keeps the transfers' field accesses monomorphic (docs/v8.md#hidden-classes-and-inline-caches).
  function Greenlet(this: unknown, run?: Body | null, parent?: FixGreenlet | null): FixGreenlet {
    if (new.target === undefined) throw new TypeError("Class constructor Greenlet cannot be invoked without 'new'");
    return new.target === Greenlet
      ? new FixGreenlet(mod, run, parent)
      : (Reflect.construct(FixGreenlet, [mod, run, parent], new.target) as FixGreenlet);
  }
  Object.defineProperty(Greenlet, 'prototype', { value: FixGreenlet.prototype, writable: false });
  Object.defineProperty(Greenlet, Symbol.hasInstance, {
    value(this: Function, x: unknown): boolean {
      return ordinaryHasInstance.call(this, x) && (x as FixGreenlet)._mod === mod;
    },
  });
  mod.init(Greenlet as unknown as FixGreenletModule['Greenlet']);
  watchMain(mod);
  return {
    Greenlet: Greenlet as unknown as FixGreenletModule['Greenlet'],
    getcurrent: () => mod.getcurrent() as FixGreenlet,
    GreenletExit,
    GreenletError,
    settrace(fn: FixTraceFn | null | undefined): FixTraceFn | null {
      if (fn !== null && fn !== undefined && typeof fn !== 'function') {
        throw new TypeError(`settrace needs a function, null or undefined, not ${describeValue(fn)}`);
      }
      const previous = mod.tracer as FixTraceFn | null;
      mod.tracer = (fn ?? null) as TraceFn | null; // the module's greenlets are all FixGreenlets
      return previous;
    },
    gettrace: () => mod.tracer as FixTraceFn | null,
    // The module's current greenlet runs now exactly when the instance's current tasklet does.
    [RUNS_NOW]: mod.slRunsNow,
  };
}

export type { TraceEvent };

/** `Function.prototype[Symbol.hasInstance]`: the prototype-chain test that `instanceof` makes by default. */
const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/** True for an object with the members of a Stackless instance; false where reading them throws. */
function isInstance(stackless: unknown): stackless is Stackless {
  if (typeof stackless !== 'object' || stackless === null) return false;
  try {
    return typeof (stackless as Stackless).getcurrent === 'function';
  } catch {
    return false;
  }
}
