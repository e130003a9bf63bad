/**
 * Shared plumbing of the Stackless behaviour suite.
 *
 * Invariants:
 * - The suite touches an implementation only through the `Stackless` instance that `make()` returns, the error
 *   classes exported by `greenstackless`, and `sync` from `@greenstackless/greenlet` (run at a test's top level,
 *   which is the instance's main tasklet). It never reaches into internals.
 * - `make()` is called in `beforeEach`, never at import time: it may return a shared instance or a fresh one.
 * - Every test leaves the instance clean. `afterEach` removes the callbacks and the error handler, then checks
 *   `switchTrap(0) === 0`, `runcount === 1` and `current === main`; a test that leaks fails itself, and the
 *   instance is repaired (trap lifted, leaked runnable tasklets removed) so that later tests start clean.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type { Op } from '@greenstackless/greenlet';
import { StacklessError } from 'greenstackless';
import type { Channel, Stackless, Tasklet } from 'greenstackless';

/** What every topic gets: the instance of the running test (set by `beforeEach`). */
export interface SuiteContext {
  readonly s: Stackless;
}

/** Registers the per-test setup and the leak check; returns the context the topics read the instance from. */
export function useInstance(make: () => Stackless): SuiteContext {
  let current: Stackless | undefined;
  const ctx: SuiteContext = {
    get s(): Stackless {
      if (current === undefined) throw new Error('the Stackless instance is only available inside a test');
      return current;
    },
  };
  beforeEach(() => {
    current = make();
  });
  afterEach(() => {
    const s = current;
    current = undefined;
    if (s === undefined) return;
    const leaks: string[] = [];
    s.setScheduleCallback(null);
    s.setChannelCallback(null);
    s.setErrorHandler(null);
    const trap = s.switchTrap(0);
    if (trap !== 0) {
      s.switchTrap(-trap);
      leaks.push(`switchTrap was ${trap}`);
    }
    if (s.current !== s.main) {
      leaks.push(`current is ${String(s.current)}, not ${String(s.main)}`);
    } else {
      if (s.main.atomic) {
        s.main.setAtomic(false);
        leaks.push(`${String(s.main)} was left atomic`);
      }
      if (s.runcount !== 1) {
        leaks.push(`runcount was ${s.runcount}: ${ring(s).join(', ')}`);
        // Repair: take the leaked tasklets out of the ring (paused, then collected; M6).
        for (let t = s.main.next; t !== null && t !== s.main; t = s.main.next) t.remove();
      }
    }
    if (leaks.length > 0) throw new Error(`the test left the instance dirty: ${leaks.join('; ')}`);
  });
  return ctx;
}

/** The ring from the head (the current tasklet) along `next`, as names (`Tasklet#main`, `Tasklet#3`). */
export function ring(s: Stackless): string[] {
  const names: string[] = [];
  const head = s.current;
  let t: Tasklet | null = head;
  do {
    names.push(String(t));
    t = t!.next;
  } while (t !== null && t !== head && names.length < 1000);
  return names;
}

/** The tasklets blocked on a channel, first to last, as names. */
export function queueOf(ch: Channel): string[] {
  const names: string[] = [];
  for (let t = ch.queue; t !== null && names.length < 1000; t = t.next) names.push(String(t));
  return names;
}

/** Names of tasklets, to compare with `ring` and `queueOf`. */
export function names(...tasklets: Tasklet[]): string[] {
  return tasklets.map(String);
}

/**
 * Runs `action`, which must throw an instance of `errorClass` whose message contains `text` (N1), and returns
 * the error. The action includes the op's creation, so a check made by the method or by the op both count.
 */
export function expectThrows<E>(action: () => unknown, errorClass: abstract new (...a: any[]) => E, text?: string): E {
  let thrown: unknown;
  let threw = false;
  try {
    action();
  } catch (error) {
    threw = true;
    thrown = error;
  }
  expect(threw, `expected a ${errorClass.name} to be thrown`).toBe(true);
  expect(thrown).toBeInstanceOf(errorClass);
  if (text !== undefined) expect((thrown as Error).message).toContain(text);
  return thrown as E;
}

/** Identity labels for arbitrary values, so that snapshots compare tempvals by identity. */
const labels = new WeakMap<object, number>();
let nextLabel = 1;
function label(value: unknown): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return value;
  let n = labels.get(value);
  if (n === undefined) {
    n = nextLabel++;
    labels.set(value, n);
  }
  return `<object ${n}>`;
}

/**
 * The observable state of an instance and of the given tasklets and channels (N2): the ring, every flag,
 * neighbour and tempval (by identity), every channel attribute and queue. Two equal snapshots mean nothing
 * observable changed.
 */
export function snapshot(s: Stackless, tasklets: Tasklet[] = [], channels: Channel[] = []): unknown {
  return {
    current: String(s.current),
    runcount: s.runcount,
    ring: ring(s),
    trap: s.switchTrap(0),
    tasklets: [s.main, ...tasklets].map((t) => ({
      name: String(t),
      alive: t.alive,
      paused: t.paused,
      blocked: t.blocked,
      scheduled: t.scheduled,
      atomic: t.atomic,
      blockTrap: t.blockTrap,
      next: t.next === null ? null : String(t.next),
      prev: t.prev === null ? null : String(t.prev),
      tempval: label(t.tempval),
    })),
    channels: channels.map((ch) => ({
      name: String(ch),
      balance: ch.balance,
      queue: queueOf(ch),
      preference: ch.preference,
      scheduleAll: ch.scheduleAll,
      closing: ch.closing,
      closed: ch.closed,
    })),
  };
}

/**
 * Checks a misuse: `action` throws `errorClass` with `text` (N1) and changes nothing (N2, S5) in the instance,
 * the tasklets and the channels given. Returns the error.
 */
export function expectRefused<E>(
  s: Stackless,
  subjects: { tasklets?: Tasklet[]; channels?: Channel[] },
  action: () => unknown,
  errorClass: abstract new (...a: any[]) => E,
  text?: string,
): E {
  const before = snapshot(s, subjects.tasklets, subjects.channels);
  const error = expectThrows(action, errorClass, text);
  expect(snapshot(s, subjects.tasklets, subjects.channels)).toEqual(before);
  return error;
}

/**
 * Runs each named op in the calling body and says how it went: `"name allowed"`, `"name StacklessError"`, or the
 * text of any other error. For S3, where every op of a foreign instance must be refused.
 */
export function* tryEach(
  attempts: ReadonlyArray<readonly [string, () => Op<unknown>]>,
): Generator<unknown, string[], unknown> {
  const results: string[] = [];
  for (const [name, attempt] of attempts) {
    try {
      yield* attempt();
      results.push(`${name} allowed`);
    } catch (e) {
      results.push(`${name} ${e instanceof StacklessError ? 'StacklessError' : String(e)}`);
    }
  }
  return results;
}

/** A user error class for the tests, as Python's tests use `TestError`. */
export class TestError extends Error {
  constructor(message?: string) {
    super(message);
    this.name = 'TestError';
  }
}
