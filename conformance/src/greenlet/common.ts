/**
 * Shared fixtures of the greenlet behaviour suite.
 *
 * Invariants:
 * - The module under test is made lazily, in `beforeEach`, never at import time: a greenlet-fix module or a
 *   tower must be made in its instance's main, which is the test's top level.
 * - Tests touch only the module's public members and the one native `sync`; never internals.
 * - After every test the tracer is removed, so no test sees another's tracer.
 */
import { beforeEach, afterEach } from 'vitest';
import type { GreenletLike, GreenletModule } from '@greenstackless/greenlet';

/** What every topic file gets: the module made for the current test and its main greenlet. */
export interface Env {
  mod: GreenletModule;
  /** The module's main greenlet, as seen from the test's top level. */
  main: GreenletLike;
}

/** A topic of the suite: registers its `describe`/`it` blocks for one implementation. */
export type Topic = (make: () => GreenletModule) => void;

/**
 * Registers `beforeEach`/`afterEach` hooks that make the module for each test and clean up after it, and returns
 * the environment object those hooks refresh.
 */
export function useModule(make: () => GreenletModule): Env {
  const env = {} as Env;
  beforeEach(() => {
    env.mod = make();
    env.main = env.mod.getcurrent();
  });
  afterEach(() => {
    if (env.mod) env.mod.settrace(null);
  });
  return env;
}

/** An error class of the tests' own, so that no implementation could throw it by accident. */
export class SomeError extends Error {
  constructor(message = 'some error') {
    super(message);
    this.name = 'SomeError';
  }
}

/** A second error class, for tests that need to tell two errors apart. */
export class OtherError extends Error {
  constructor(message = 'other error') {
    super(message);
    this.name = 'OtherError';
  }
}

/**
 * Installs a tracer that records `event:origin->target` strings, with greenlets named by `names` (the test's own
 * names) or by their `toString()`. Returns the list it appends to.
 */
export function recordTrace(mod: GreenletModule, names: Record<string, GreenletLike>): string[] {
  const events: string[] = [];
  const name = (g: unknown): string => {
    for (const key of Object.keys(names)) if (names[key] === g) return key;
    return String(g);
  };
  mod.settrace((event, origin, target) => {
    events.push(`${event}:${name(origin)}->${name(target)}`);
  });
  return events;
}

/** Runs `fn`, expecting it to throw, and returns what it threw. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw, and it returned');
}

/** The state of a greenlet as one comparable string: `dead`, `active` and whether `run` is set. */
export function stateOf(g: GreenletLike): string {
  return `dead=${g.dead} active=${g.active} run=${g.run === undefined ? 'none' : 'set'}`;
}
