/**
 * The hub suite (docs/io.md §1, I1-I14): `ioSuite(name, make)` checks a hub and its instance: waits and their
 * teardowns, pumps and the order of events around callbacks, microtasks and immediates, tasks, cancellation.
 * Exit behaviour (I7's crash, I9's signals, I14's deadlock) runs in child processes: conformance/test/io.exit.test.ts.
 *
 * Invariants:
 * - `make()` runs in `beforeEach`, at the test's top level (the instance's main tasklet); it may give a shared
 *   hub or a fresh one. `makeInstance()` gives another instance of the same kind, for hubs with options.
 * - Orders are observed (logs of callbacks, microtasks, immediates and tasklets), never waited for with timers.
 * - Every test has a time bound and leaves no hub tasklet alive and nothing runnable.
 * - Tests use only the public API of `@greenstackless/io`, `greenstackless` and `@greenstackless/greenlet`.
 */
import { EventEmitter, getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Greenlet, GreenletError, sync } from '@greenstackless/greenlet';
import type { Stackless, Tasklet } from 'greenstackless';
import { StacklessError, TaskletExit } from 'greenstackless';
import { createHub, getHub, TimeoutError } from '@greenstackless/io';
import type { Hub, Resume } from '@greenstackless/io';

export interface IoSuiteSubject {
  stackless: Stackless;
  hub: Hub;
}

const LIMIT = 10_000; // ms, each test

const MAIN_CANNOT_WAIT =
  'the main tasklet cannot wait for I/O: its caller is the event loop; run this code in a tasklet (hub.spawn, hub.main)';

/** One event-loop turn: resolves in a `setImmediate` queued now. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The error an op throws, or a failure if it gives a value. */
function* caught(op: Iterable<unknown>): Generator<unknown, unknown, unknown> {
  try {
    yield* op as any;
  } catch (error) {
    return error;
  }
  throw new Error('expected the op to throw');
}

/**
 * Registers the hub suite for one implementation.
 *
 * @param name - shown as the outer `describe`.
 * @param make - gives the instance and its hub for one test; called at the test's top level.
 * @param makeInstance - gives a fresh instance of the same kind (for hubs with options, I5, I7).
 * @param options - `nativeTasklets`: the instance runs its tasklets on `@greenstackless/greenlet`'s native greenlets.
 * @example
 * ```ts
 * import { createStackless, stackless } from 'greenstackless';
 * import { hub } from '@greenstackless/io';
 * import { ioSuite } from '@greenstackless/conformance';
 * ioSuite('default instance', () => ({ stackless, hub }), () => createStackless(), { nativeTasklets: true });
 * ```
 */
export function ioSuite(
  name: string,
  make: () => IoSuiteSubject,
  makeInstance: () => Stackless,
  options: { nativeTasklets?: boolean } = {},
): void {
  // Only an instance whose tasklets are native greenlets sees a native greenlet run inside one as foreign (S3):
  // greenlet-fix's getcurrent() is its instance's current tasklet, whatever native greenlet runs.
  const nativeTasklets = options.nativeTasklets === true;
  describe(`io hub: ${name}`, () => {
    let s: Stackless;
    let hub: Hub;
    beforeEach(() => {
      ({ stackless: s, hub } = make());
    });
    afterEach(async () => {
      // Nothing of the test may be left: no wait, no runnable tasklet, main current.
      const waits = hub.waiting().map((w) => `${String(w.tasklet)}: ${w.description}`);
      for (const w of hub.waiting()) if (w.tasklet.alive) sync(w.tasklet.kill());
      await turn();
      expect(waits).toEqual([]);
      expect(s.current).toBe(s.main);
      expect(s.runcount).toBe(1);
    });

    /** Runs `body` in a hub tasklet and gives its result. */
    function go<R>(body: () => Generator<unknown, R, unknown>): Promise<R> {
      return hub.spawn(body).result;
    }

    describe('I1: one hub per instance', () => {
      test('I1: createHub on an instance that has a hub throws StacklessError; getHub gives the hub', () => {
        expect(hub.stackless).toBe(s);
        expect(getHub(s)).toBe(hub);
        expect(() => createHub(s)).toThrow(StacklessError);
        expect(() => createHub(s)).toThrow('this instance already has a hub');
        expect(getHub(s)).toBe(hub);
      }, LIMIT);

      test('I1: createHub where the instance\'s main is not current throws StacklessError and makes no hub', () => {
        const other = makeInstance();
        let error: unknown = null;
        other.tasklet(function* () {
          try {
            createHub(other);
          } catch (e) {
            error = e;
          }
        }, []).insert();
        sync(other.run());
        expect(error).toBeInstanceOf(StacklessError);
        expect((error as Error).message).toContain('createHub');
        // The failed call made no hub: at the top level it works once.
        const h = createHub(other);
        expect(h.stackless).toBe(other);
        expect(getHub(other)).toBe(h);
      }, LIMIT);

      test('I1: createHub refuses what is not an instance and a bad pump option', () => {
        expect(() => createHub({} as Stackless)).toThrow(TypeError);
        expect(() => createHub(makeInstance(), { pump: 'sometimes' as 'auto' })).toThrow(TypeError);
      }, LIMIT);
    });

    describe('I2: wait', () => {
      test('I2.1: main cannot wait: StacklessError with the exact message, nothing registered', () => {
        let registered = 0;
        const op = hub.wait(() => {
          registered++;
        });
        expect(() => sync(op)).toThrow(StacklessError);
        expect(() => sync(hub.wait(() => void registered++))).toThrow(MAIN_CANNOT_WAIT);
        expect(() => sync(hub.sleep(0))).toThrow(MAIN_CANNOT_WAIT);
        expect(registered).toBe(0);
        expect(hub.waiting()).toEqual([]);
      }, LIMIT);

      test.skipIf(!nativeTasklets)('I2.1: a greenlet that is no tasklet of the instance gets the StacklessError of S3, nothing registered', async () => {
        let registered = 0;
        const error = await go(function* () {
          const g = new Greenlet(() => sync(hub.wait(() => void registered++)));
          try {
            yield* g.switch();
          } catch (e) {
            return e;
          }
          return null;
        });
        expect(error).toBeInstanceOf(StacklessError);
        expect((error as Error).message).not.toBe(MAIN_CANNOT_WAIT);
        expect(registered).toBe(0);
        // The hub's own waits fail there too, and take back their timer and listeners.
        const emitter = new EventEmitter();
        const errors = runInGreenlets(hubWaits());
        function hubWaits(): Array<() => unknown> {
          return [() => sync(hub.sleep(60_000)), () => sync(hub.once(emitter, 'x')), () => sync(hub.await(new Promise(() => {})))];
        }
        function runInGreenlets(fns: Array<() => unknown>): Promise<unknown[]> {
          return go(function* () {
            const out: unknown[] = [];
            for (const fn of fns) {
              const g = new Greenlet(fn);
              try {
                yield* g.switch();
              } catch (e) {
                out.push(e);
              }
            }
            return out;
          });
        }
        for (const e of await errors) expect(e).toBeInstanceOf(StacklessError);
        expect((await errors).length).toBe(3);
        expect(emitter.listenerCount('x')).toBe(0);
        expect(emitter.listenerCount('error')).toBe(0);
        expect(hub.waiting()).toEqual([]);
      }, LIMIT);

      test('I2.2: register is called once, synchronously; a resume at once gives the outcome without a switch', async () => {
        const log: string[] = [];
        const other = hub.spawn(function* () {
          log.push('other');
        });
        const result = await go(function* () {
          log.push('before');
          const v = yield* hub.wait<number>((resume) => {
            log.push('register');
            resume.resolve(1);
            resume.resolve(2);
            resume.reject(new Error('late'));
            return () => log.push('teardown');
          });
          log.push(`after ${v}`);
          return v;
        });
        await other.result;
        expect(result).toBe(1);
        // `other` was spawned first, so it ran first; the waiting tasklet never switched inside its wait.
        expect(log).toEqual(['other', 'before', 'register', 'teardown', 'after 1']);
      }, LIMIT);

      test('I2.2: a reject at once throws its error; the first decision wins', async () => {
        const boom = new Error('boom');
        const error = await go(function* () {
          return yield* caught(hub.wait((resume) => {
            resume.reject(boom);
            resume.resolve(3);
          }));
        });
        expect(error).toBe(boom);
      }, LIMIT);

      test('I2.2: resume.resolve and resume.reject work detached, as a then\'s handlers', async () => {
        const r = await go(function* () {
          const a = yield* hub.wait<number>(({ resolve, reject }) => {
            Promise.resolve(5).then(resolve, reject);
          });
          const b = yield* caught(hub.wait<number>((resume) => {
            Promise.reject(new Error('detached')).then(resume.resolve, resume.reject);
          }));
          return [a, (b as Error).message];
        });
        expect(r).toEqual([5, 'detached']);
      }, LIMIT);

      test('I2.2: if register throws, the op throws that error and nothing else happens', async () => {
        const boom = new Error('register failed');
        const error = await go(function* () {
          return yield* caught(hub.wait((resume) => {
            resume.resolve(1);
            throw boom;
          }, { timeout: 5, description: 'x' }));
        });
        expect(error).toBe(boom);
        expect(hub.waiting()).toEqual([]);
      }, LIMIT);

      test('I2.2: register must return a teardown function or nothing', async () => {
        const error = await go(function* () {
          return yield* caught(hub.wait(() => 42 as unknown as () => void));
        });
        expect(error).toBeInstanceOf(TypeError);
        expect(() => hub.wait(42 as any)).toThrow(TypeError);
      }, LIMIT);

      test('I2.3: the waiting tasklet is paused: not scheduled, not blocked, not counted by runcount', async () => {
        let resume!: Resume<string>;
        const task = hub.spawn(function* () {
          return yield* hub.wait<string>((r) => {
            resume = r;
          });
        });
        await turn();
        const t = task.tasklet;
        expect(t.alive).toBe(true);
        expect(t.paused).toBe(true);
        expect(t.scheduled).toBe(false);
        expect(t.blocked).toBe(false);
        expect(s.runcount).toBe(1);
        resume.resolve('done');
        expect(await task.result).toBe('done');
        expect(t.alive).toBe(false);
      }, LIMIT);

      test('I2.4, I5: a resume from a callback inserts the tasklet; it runs after the callback, in a pump', async () => {
        const log: string[] = [];
        let resume!: Resume<string>;
        const task = hub.spawn(function* () {
          const v = yield* hub.wait<string>((r) => {
            resume = r;
          });
          log.push(`tasklet ${v}`);
        });
        await turn();
        await new Promise<void>((done) => {
          setTimeout(() => {
            resume.resolve('x');
            log.push('callback after resolve');
            expect(task.tasklet.scheduled).toBe(true);
            Promise.resolve().then(() => log.push('microtask'));
            setImmediate(() => {
              log.push('immediate');
              done();
            });
          }, 1);
        });
        await task.result;
        // An I/O wake pumps in setImmediate (I5): after the callback and its microtasks.
        expect(log).toEqual(['callback after resolve', 'microtask', 'tasklet x', 'immediate']);
      }, LIMIT);

      test('I2.4: a spurious insert or run makes the tasklet wait again; the outcome stays honest', async () => {
        let resume!: Resume<string>;
        let teardowns = 0;
        const waiter = hub.spawn(function* () {
          return yield* hub.wait<string>((r) => {
            resume = r;
            return () => teardowns++;
          });
        });
        await turn();
        const t = waiter.tasklet;
        const waker = hub.spawn(function* () {
          t.insert();
          yield* s.schedule();
          yield* t.run();
          return 'woke twice';
        });
        expect(await waker.result).toBe('woke twice');
        expect(t.paused).toBe(true);
        expect(hub.waiting().map((w) => w.tasklet)).toEqual([t]);
        expect(teardowns).toBe(0);
        resume.resolve('honest');
        expect(await waiter.result).toBe('honest');
        expect(teardowns).toBe(1);
      }, LIMIT);

      test('I2.5: the teardown runs exactly once when the resume ends the wait, and later resumes are ignored', async () => {
        let resume!: Resume<number>;
        let teardowns = 0;
        const task = hub.spawn(function* () {
          return yield* hub.wait<number>((r) => {
            resume = r;
            return () => teardowns++;
          });
        });
        await turn();
        resume.resolve(1);
        resume.reject(new Error('ignored'));
        resume.resolve(2);
        expect(await task.result).toBe(1);
        resume.resolve(3);
        await turn();
        expect(teardowns).toBe(1);
      }, LIMIT);

      test('I2.5: timeout: TimeoutError after the teardown, which runs once; the abort listener is removed', async () => {
        const log: string[] = [];
        const controller = new AbortController();
        const error = await go(function* () {
          try {
            yield* hub.wait(() => () => log.push('teardown'), { timeout: 5, signal: controller.signal });
          } catch (e) {
            log.push('caught');
            return e;
          }
        });
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as Error).name).toBe('TimeoutError');
        expect((error as Error).message).toBe('wait for a callback timed out after 5 ms');
        expect(log).toEqual(['teardown', 'caught']);
        expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
        controller.abort();
        await turn();
        expect(log).toEqual(['teardown', 'caught']);
      }, LIMIT);

      test('I2.5: signal: the op throws signal.reason after the teardown; the timer is cleared', async () => {
        const log: string[] = [];
        const controller = new AbortController();
        const reason = new Error('stop');
        const task = hub.spawn(function* () {
          try {
            yield* hub.wait(() => () => log.push('teardown'), { timeout: 60_000, signal: controller.signal });
          } catch (e) {
            log.push('caught');
            return e;
          }
        });
        await turn();
        controller.abort(reason);
        expect(await task.result).toBe(reason);
        expect(log).toEqual(['teardown', 'caught']);
      }, LIMIT);

      test('I2.5: an aborted signal throws its reason before anything is registered', async () => {
        let registered = 0;
        const reason = new Error('already');
        const error = await go(function* () {
          return yield* caught(hub.wait(() => void registered++, { signal: AbortSignal.abort(reason) }));
        });
        expect(error).toBe(reason);
        expect(registered).toBe(0);
      }, LIMIT);

      test('I2.5, I13: kill of a waiting tasklet: teardown once, then TaskletExit at the op; finally blocks run', async () => {
        const log: string[] = [];
        const task = hub.spawn(function* () {
          try {
            yield* hub.wait(() => () => log.push('teardown'), { timeout: 60_000 });
          } finally {
            log.push('finally');
          }
        });
        await turn();
        sync(task.tasklet.kill());
        expect(log).toEqual(['teardown', 'finally']);
        expect(task.tasklet.alive).toBe(false);
        expect(hub.waiting()).toEqual([]);
        await expect(task.result).rejects.toBeInstanceOf(TaskletExit);
      }, LIMIT);

      test('I2.5, I13: throw into a waiting tasklet: teardown once, the error at the op; the tasklet goes on', async () => {
        const log: string[] = [];
        const oops = new Error('oops');
        const task = hub.spawn(function* () {
          try {
            yield* hub.wait(() => () => log.push('teardown 1'));
          } catch (e) {
            log.push(`caught ${(e as Error).message}`);
          }
          yield* hub.sleep(0);
          return 'went on';
        });
        await turn();
        sync(task.tasklet.throw(oops));
        expect(log).toEqual(['teardown 1', 'caught oops']);
        expect(await task.result).toBe('went on');
      }, LIMIT);

      test('I2.5, I11: a wait under a hard switch that must resume an outer sync fails with GreenletError after the teardown', async () => {
        const log: string[] = [];
        function plain(): unknown {
          // The pump's sync(run()) is further down the stack: waking it from this inner sync is refused (H6).
          return sync(hub.wait(() => () => log.push('teardown'), { timeout: 60_000 }));
        }
        const error = await go(function* () {
          try {
            plain();
          } catch (e) {
            return e;
          }
          return null;
        });
        expect(error).toBeInstanceOf(GreenletError);
        expect(log).toEqual(['teardown']);
        expect(hub.waiting()).toEqual([]);
      }, LIMIT);

      test('I2.5: a teardown that throws after a resume: the op throws the teardown\'s error', async () => {
        const bad = new Error('teardown failed');
        const error = await go(function* () {
          return yield* caught(hub.wait((resume) => {
            setTimeout(() => resume.resolve(1), 1);
            return () => {
              throw bad;
            };
          }));
        });
        expect(error).toBe(bad);
      }, LIMIT);

      test('I2: bad options are refused with TypeError when the op is made', () => {
        expect(() => hub.wait(() => {}, { timeout: -1 })).toThrow(TypeError);
        expect(() => hub.wait(() => {}, { timeout: Number.NaN })).toThrow(TypeError);
        expect(() => hub.wait(() => {}, { signal: {} as AbortSignal })).toThrow(TypeError);
      }, LIMIT);
    });

    describe('I3: await and call', () => {
      test('I3: a value that is not a thenable is the result at once, with no switch, even in main', async () => {
        expect(sync(hub.await(5))).toBe(5);
        const log: string[] = [];
        const other = hub.spawn(function* () {
          log.push('other');
        });
        await go(function* () {
          log.push('a');
          log.push(`got ${yield* hub.await({ then: 1 })}`.replace('[object Object]', 'object'));
          log.push('b');
        });
        await other.result;
        expect(log).toEqual(['other', 'a', 'got object', 'b']);
      }, LIMIT);

      test('I3: a settled promise gives its value and wakes in a microtask, before an immediate', async () => {
        const log: string[] = [];
        const p = Promise.resolve('v');
        const task = hub.spawn(function* () {
          setImmediate(() => log.push('immediate'));
          log.push(`got ${yield* hub.await(p)}`);
        });
        await task.result;
        await turn();
        expect(log).toEqual(['got v', 'immediate']);
      }, LIMIT);

      test('I3: a rejection throws its reason; a rejection with undefined throws undefined', async () => {
        const reason = new Error('no');
        const r = await go(function* () {
          const a = yield* caught(hub.await(Promise.reject(reason)));
          let b: unknown = 'not thrown';
          try {
            yield* hub.await(Promise.reject(undefined));
          } catch (e) {
            b = e;
          }
          return [a, b];
        });
        expect(r).toEqual([reason, undefined]);
      }, LIMIT);

      test('I3: a thenable that is not a promise is awaited through its then', async () => {
        const thenable = {
          then(resolve: (v: number) => void) {
            setTimeout(() => resolve(9), 1);
          },
        } as PromiseLike<number>;
        expect(await go(function* () {
          return yield* hub.await(thenable);
        })).toBe(9);
      }, LIMIT);

      test('I3: await with a timeout throws TimeoutError and leaves no wait', async () => {
        const error = await go(function* () {
          return yield* caught(hub.await(new Promise(() => {}), { timeout: 2 }));
        });
        expect(error).toBeInstanceOf(TimeoutError);
        expect((error as Error).message).toBe('await a promise timed out after 2 ms');
      }, LIMIT);

      test('I3: call(fn) calls fn(signal) in the tasklet; a settlement leaves the signal alone', async () => {
        let seen: AbortSignal | undefined;
        let caller: Tasklet | undefined;
        const task = hub.spawn(function* () {
          return yield* hub.call((signal) => {
            seen = signal;
            caller = s.current;
            return Promise.resolve('called');
          });
        });
        expect(await task.result).toBe('called');
        expect(caller).toBe(task.tasklet);
        expect(seen!.aborted).toBe(false);
        expect(await go(function* () {
          return yield* hub.call(() => 'plain');
        })).toBe('plain');
      }, LIMIT);

      test('I3: call\'s signal aborts when the wait ends by a timeout, a kill or the caller\'s signal', async () => {
        const signals: AbortSignal[] = [];
        const never = (signal: AbortSignal) => {
          signals.push(signal);
          return new Promise(() => {});
        };
        const timedOut = await go(function* () {
          return yield* caught(hub.call(never, { timeout: 1 }));
        });
        expect(timedOut).toBeInstanceOf(TimeoutError);
        expect(signals[0]!.aborted).toBe(true);
        expect(signals[0]!.reason).toBe(timedOut);

        const task = hub.spawn(function* () {
          yield* hub.call(never);
        });
        await turn();
        sync(task.tasklet.kill());
        await expect(task.result).rejects.toBeInstanceOf(TaskletExit);
        expect(signals[1]!.aborted).toBe(true);
        expect(signals[1]!.reason).toBeInstanceOf(TaskletExit);

        const controller = new AbortController();
        const stopped = hub.spawn(function* () {
          return yield* caught(hub.call(never, { signal: controller.signal }));
        });
        await turn();
        controller.abort('enough');
        expect(await stopped.result).toBe('enough');
        expect(signals[2]!.reason).toBe('enough');
      }, LIMIT);

      test('I3: call(fn) that throws synchronously: the op throws it', async () => {
        const boom = new Error('sync');
        expect(await go(function* () {
          return yield* caught(hub.call(() => {
            throw boom;
          }));
        })).toBe(boom);
        expect(() => hub.call(5 as any)).toThrow(TypeError);
      }, LIMIT);
    });

    describe('I4: sleep, once and on', () => {
      test('I4: sleep(ms) needs a finite number >= 0: TypeError otherwise, RangeError past a Node timer', () => {
        for (const bad of [-1, Number.NaN, Infinity, '5', undefined]) {
          expect(() => hub.sleep(bad as number)).toThrow(TypeError);
        }
        // Longer than a Node timer holds: Node would fire it after 1 ms.
        expect(() => hub.sleep(-1)).toThrow('sleep: ms must be a finite number of ms >= 0, not the number -1');
        expect(() => hub.sleep('5' as unknown as number)).toThrow('not the string "5"');
        expect(() => hub.sleep(2 ** 31)).toThrow(RangeError);
        expect(() => hub.wait(() => {}, { timeout: 2 ** 31 })).toThrow(RangeError);
      }, LIMIT);

      test('I4: sleep(0) waits one event-loop turn: after microtasks and immediates queued before it', async () => {
        const log: string[] = [];
        await go(function* () {
          setImmediate(() => log.push('immediate'));
          Promise.resolve().then(() => log.push('microtask'));
          log.push('sleep');
          yield* hub.sleep(0);
          log.push('woke');
          setImmediate(() => log.push('immediate 2'));
          yield* hub.sleep(0);
          log.push('woke 2');
        });
        expect(log).toEqual(['sleep', 'microtask', 'immediate', 'woke', 'immediate 2', 'woke 2']);
      }, LIMIT);

      test('I4: many sleep(0)s of one turn wake together, in the order they slept, in the next turn', async () => {
        const log: string[] = [];
        const tasks = [1, 2, 3].map((i) => hub.spawn(function* () {
          yield* hub.sleep(0);
          log.push(`t${i}`);
          yield* hub.sleep(0);
          log.push(`t${i}'`);
        }));
        await Promise.all(tasks.map((t) => t.result));
        expect(log).toEqual(['t1', 't2', 't3', "t1'", "t2'", "t3'"]);
      }, LIMIT);

      test('I4: sleep(ms) waits a timer of at least ms; a shorter one wakes first', async () => {
        const log: string[] = [];
        const t0 = performance.now();
        const slow = hub.spawn(function* () {
          yield* hub.sleep(30);
          log.push('30');
          return performance.now() - t0;
        });
        const fast = hub.spawn(function* () {
          yield* hub.sleep(5);
          log.push('5');
        });
        const elapsed = await slow.result;
        await fast.result;
        expect(log).toEqual(['5', '30']);
        expect(elapsed).toBeGreaterThanOrEqual(29);
      }, LIMIT);

      test('I4: sleep with a signal: aborting throws the reason', async () => {
        const controller = new AbortController();
        const task = hub.spawn(function* () {
          return yield* caught(hub.sleep(60_000, { signal: controller.signal }));
        });
        await turn();
        expect(hub.waiting()[0]!.description).toBe('sleep 60000 ms');
        controller.abort('wake up');
        expect(await task.result).toBe('wake up');
      }, LIMIT);

      test('I4: once gives the listener\'s arguments and removes its listeners', async () => {
        const emitter = new EventEmitter();
        const task = hub.spawn(function* () {
          return yield* hub.once(emitter, 'ready');
        });
        await turn();
        expect(emitter.listenerCount('ready')).toBe(1);
        expect(emitter.listenerCount('error')).toBe(1);
        emitter.emit('ready', 1, 'two');
        emitter.emit('ready', 3);
        expect(await task.result).toEqual([1, 'two']);
        expect(emitter.listenerCount('ready')).toBe(0);
        expect(emitter.listenerCount('error')).toBe(0);
      }, LIMIT);

      test('I4: once throws an \'error\' event first, except when the event is \'error\'', async () => {
        const emitter = new EventEmitter();
        const boom = new Error('emitted');
        const task = hub.spawn(function* () {
          return yield* caught(hub.once(emitter, 'ready'));
        });
        const errorTask = hub.spawn(function* () {
          return yield* hub.once(emitter, 'error');
        });
        await turn();
        emitter.emit('error', boom);
        expect(await task.result).toBe(boom);
        expect(await errorTask.result).toEqual([boom]);
        expect(emitter.listenerCount('error')).toBe(0);
        expect(emitter.listenerCount('ready')).toBe(0);
      }, LIMIT);

      test('I4: once on an EventTarget; a killed once removes its listener', async () => {
        const target = new EventTarget();
        const task = hub.spawn(function* () {
          return yield* hub.once(target, 'ping');
        });
        await turn();
        const event = new Event('ping');
        target.dispatchEvent(event);
        expect(await task.result).toEqual([event]);
        expect(getEventListeners(target, 'ping')).toHaveLength(0);

        const emitter = new EventEmitter();
        const killed = hub.spawn(function* () {
          yield* hub.once(emitter, 'never');
        });
        await turn();
        sync(killed.tasklet.kill());
        await expect(killed.result).rejects.toBeInstanceOf(TaskletExit);
        expect(emitter.listenerCount('never')).toBe(0);
        expect(emitter.listenerCount('error')).toBe(0);
        expect(() => hub.once({} as EventEmitter, 'x')).toThrow(TypeError);
      }, LIMIT);

      test('hub.on: events buffered in order, one next() at a time; a close event ends after the buffered ones', async () => {
        const emitter = new EventEmitter();
        const sub = hub.on<[number]>(emitter, 'item', { close: ['end'] });
        emitter.emit('item', 1);
        emitter.emit('item', 2);
        const task = hub.spawn(function* () {
          const got: unknown[] = [];
          for (;;) {
            const r = yield* sub.next();
            if (r.done) break;
            got.push(r.value[0]);
          }
          return got;
        });
        await turn();
        emitter.emit('item', 3);
        emitter.emit('item', 4);
        emitter.emit('end');
        emitter.emit('item', 5);
        expect(await task.result).toEqual([1, 2, 3, 4]);
        expect(emitter.listenerCount('item')).toBe(0);
        expect(emitter.listenerCount('end')).toBe(0);
      }, LIMIT);

      test('hub.on: an \'error\' event throws at next(), then done; close() gives done to a waiting next()', async () => {
        const emitter = new EventEmitter();
        const sub = hub.on(emitter, 'x');
        const boom = new Error('bad');
        emitter.emit('error', boom);
        const r = await go(function* () {
          const a = yield* caught(sub.next());
          const b = yield* sub.next();
          return [a, b];
        });
        expect(r).toEqual([boom, { value: undefined, done: true }]);

        const sub2 = hub.on(emitter, 'y');
        const task = hub.spawn(function* () {
          return yield* sub2.next();
        });
        await turn();
        sub2.close();
        expect(await task.result).toEqual({ value: undefined, done: true });
        expect(emitter.listenerCount('y')).toBe(0);
      }, LIMIT);

      test('hub.on: a second tasklet waiting on one subscription gets StacklessError', async () => {
        const emitter = new EventEmitter();
        const sub = hub.on(emitter, 'x');
        const first = hub.spawn(function* () {
          return yield* sub.next();
        });
        const second = hub.spawn(function* () {
          return yield* caught(sub.next());
        });
        const error = await second.result;
        expect(error).toBeInstanceOf(StacklessError);
        expect((error as Error).message).toContain('already being read by');
        emitter.emit('x', 'v');
        expect(await first.result).toEqual({ value: ['v'], done: false });
        sub[Symbol.dispose]();
        expect(emitter.listenerCount('x')).toBe(0);
      }, LIMIT);

      test('hub.on: above highWaterMark the emitter is paused, and resumed at half', async () => {
        const log: string[] = [];
        const emitter = Object.assign(new EventEmitter(), {
          pause: () => log.push('pause'),
          resume: () => log.push('resume'),
        });
        const sub = hub.on(emitter, 'd', { highWaterMark: 2 });
        for (let i = 0; i < 4; i++) emitter.emit('d', i);
        expect(log).toEqual(['pause']);
        const got = await go(function* () {
          const values: unknown[] = [];
          for (let i = 0; i < 4; i++) values.push((yield* sub.next()).value);
          return values;
        });
        expect(got).toEqual([[0], [1], [2], [3]]);
        expect(log).toEqual(['pause', 'resume']);
        sub.close();
      }, LIMIT);
    });

    describe('I5: pumps', () => {
      test('I5: a wake during a pump only inserts: the woken tasklet runs after the waker yields, in that pump', async () => {
        const log: string[] = [];
        let resume!: Resume<string>;
        const waiter = hub.spawn(function* () {
          log.push(`waiter got ${yield* hub.wait<string>((r) => {
            resume = r;
          })}`);
        });
        await turn();
        await go(function* () {
          setImmediate(() => log.push('immediate'));
          resume.resolve('v');
          log.push('waker after resolve');
          yield* s.schedule();
          log.push('waker after schedule');
        });
        await waiter.result;
        await turn();
        expect(log).toEqual(['waker after resolve', 'waiter got v', 'waker after schedule', 'immediate']);
      }, LIMIT);

      test('I5: wakes from one callback run in one pump in the order they were woken, none inside the callback', async () => {
        const log: string[] = [];
        const resumes: Array<Resume<number>> = [];
        const tasks = [0, 1, 2].map((i) => hub.spawn(function* () {
          const v = yield* hub.wait<number>((r) => {
            resumes[i] = r;
          });
          log.push(`t${i}=${v}`);
        }));
        await turn();
        setTimeout(() => {
          resumes[2]!.resolve(2);
          resumes[0]!.resolve(0);
          resumes[1]!.resolve(1);
          log.push('callback done');
        }, 1);
        await Promise.all(tasks.map((t) => t.result));
        expect(log).toEqual(['callback done', 't2=2', 't0=0', 't1=1']);
      }, LIMIT);

      test('I5: pump: \'immediate\' makes promise wakes wait for setImmediate; \'microtask\' makes I/O wakes pump in a microtask', async () => {
        const immediateHub = createHub(makeInstance(), { pump: 'immediate' });
        const log: string[] = [];
        const a = immediateHub.spawn(function* () {
          const p = Promise.resolve(1);
          yield* immediateHub.await(p);
          Promise.resolve().then(() => log.push('microtask'));
          setImmediate(() => log.push('immediate'));
          yield* immediateHub.await(p);
          log.push('woke');
        });
        await a.result;
        await turn();
        // The promise's wake asks for a setImmediate, queued after the tasklet's own.
        expect(log).toEqual(['microtask', 'immediate', 'woke']);

        const microHub = createHub(makeInstance(), { pump: 'microtask' });
        const log2: string[] = [];
        let resume!: Resume<void>;
        const b = microHub.spawn(function* () {
          yield* microHub.wait<void>((r) => {
            resume = r;
          });
          log2.push('woke');
        });
        await turn();
        setTimeout(() => {
          resume.resolve();
          setImmediate(() => log2.push('immediate'));
          Promise.resolve().then(() => log2.push('microtask'));
        }, 1);
        await b.result;
        await turn();
        expect(log2).toEqual(['woke', 'microtask', 'immediate']);
      }, LIMIT);
    });

    describe('I7: errors that escape a tasklet', () => {
      test('I7: onError hears an error that escaped a plain tasklet during a pump, and the pump goes on', async () => {
        const other = makeInstance();
        const heard: Array<[unknown, Tasklet | null]> = [];
        const h = createHub(other, { onError: (error, tasklet) => heard.push([error, tasklet]) });
        const boom = new Error('escaped');
        const log: string[] = [];
        other.tasklet(function* () {
          yield* h.sleep(0);
          throw boom;
        }, []).insert();
        other.tasklet(function* () {
          yield* h.sleep(0);
          log.push('second ran');
        }, []).insert();
        h.requestPump();
        await turn();
        await turn();
        expect(heard).toHaveLength(1);
        expect(heard[0]![0]).toBe(boom);
        expect(log).toEqual(['second ran']);
        expect(other.runcount).toBe(1);
      }, LIMIT);

      test('I7, I8: an error of a spawned tasklet goes to its result only', async () => {
        const other = makeInstance();
        const heard: unknown[] = [];
        const h = createHub(other, { onError: (error) => heard.push(error) });
        const boom = new Error('mine');
        await expect(h.spawn(function* () {
          yield* h.sleep(0);
          throw boom;
        }).result).rejects.toBe(boom);
        expect(heard).toEqual([]);
      }, LIMIT);
    });

    describe('I8, I9: spawn, promise, main, join', () => {
      test('I8: spawn starts the body at the next pump (a microtask), with its arguments', async () => {
        const log: string[] = [];
        setImmediate(() => log.push('immediate'));
        const task = hub.spawn(function* (a: number, b: string) {
          log.push(`body ${a} ${b}`);
          return a * 2;
        }, 21, 'x');
        log.push('after spawn');
        expect(task.tasklet.alive).toBe(true);
        expect(task.tasklet.scheduled).toBe(true);
        expect(await task.result).toBe(42);
        await turn();
        expect(log).toEqual(['after spawn', 'body 21 x', 'immediate']);
      }, LIMIT);

      test('I8: a plain body\'s return value is the result; one that returns a promise is refused (H9)', async () => {
        expect(await hub.spawn((x: number) => x + 1, 1).result).toBe(2);
        await expect(hub.spawn(() => Promise.resolve(1)).result).rejects.toThrow(TypeError);
        expect(() => hub.spawn((async () => 1) as any)).toThrow(TypeError);
        expect(() => hub.spawn(5 as any)).toThrow(TypeError);
      }, LIMIT);

      test('I8: killed before it starts, the result rejects with TaskletExit; thrown into, with that error', async () => {
        const task = hub.spawn(function* () {
          return 'never';
        });
        sync(task.tasklet.kill());
        await expect(task.result).rejects.toBeInstanceOf(TaskletExit);
        const boom = new Error('before start');
        const thrown = hub.spawn(function* () {
          return 'never';
        });
        sync(thrown.tasklet.throw(boom, { pending: true }));
        hub.requestPump();
        await expect(thrown.result).rejects.toBe(boom);
        await hub.join();
      }, LIMIT);

      test('I8: promise(op) runs an op or a generator object in a tasklet: the bridge from async code', async () => {
        const ch = s.channel<string>();
        const sender = hub.spawn(function* () {
          yield* hub.sleep(0);
          yield* ch.send('hello');
        });
        expect(await hub.promise(ch.receive())).toBe('hello');
        await sender.result;
        function* twice(x: number): Generator<unknown, number, unknown> {
          yield* hub.sleep(0);
          return x * 2;
        }
        expect(await hub.promise(twice(4))).toBe(8);
        expect(() => hub.promise(5 as any)).toThrow(TypeError);
      }, LIMIT);

      test("I8/H8: an op given to promise() counts as run where it is given: main's next op does not report it", async () => {
        const ch = s.channel<string>();
        const received = hub.promise(ch.receive());
        sync(s.schedule()); // main's next op of the instance: no forgotten op to report
        hub.spawn(function* () {
          yield* ch.send('late');
        });
        expect(await received).toBe('late');
      }, LIMIT);

      test('I9: main settles with the body and leaves no SIGINT or SIGTERM handler', async () => {
        const sigint = process.listenerCount('SIGINT');
        const sigterm = process.listenerCount('SIGTERM');
        const p = hub.main(function* (x: number) {
          expect(process.listenerCount('SIGINT')).toBe(sigint + 1);
          expect(process.listenerCount('SIGTERM')).toBe(sigterm + 1);
          yield* hub.sleep(1);
          return x;
        }, 7);
        expect(await p).toBe(7);
        expect(process.listenerCount('SIGINT')).toBe(sigint);
        expect(process.listenerCount('SIGTERM')).toBe(sigterm);
        await expect(hub.main(function* () {
          throw new Error('main failed');
        })).rejects.toThrow('main failed');
        expect(process.listenerCount('SIGINT')).toBe(sigint);
      }, LIMIT);

      test('I14: join resolves once every hub tasklet has ended', async () => {
        const log: string[] = [];
        await hub.join(); // nothing alive: at once
        for (const ms of [5, 1, 0]) {
          hub.spawn(function* () {
            yield* hub.sleep(ms);
            log.push(`slept ${ms}`);
          });
        }
        await hub.join();
        expect(log.sort()).toEqual(['slept 0', 'slept 1', 'slept 5']);
      }, LIMIT);
    });

    describe('I10: waiting()', () => {
      test('I10: waiting lists the waits oldest first with their descriptions and start times', async () => {
        const emitter = new EventEmitter();
        const before = performance.now();
        const a = hub.spawn(function* () {
          yield* hub.sleep(60_000);
        });
        const b = hub.spawn(function* () {
          yield* hub.once(emitter, 'go');
        });
        const c = hub.spawn(function* () {
          yield* hub.await(new Promise(() => {}), { description: 'the answer' });
        });
        const d = hub.spawn(function* () {
          yield* hub.wait(function register() {});
        });
        await turn();
        const after = performance.now();
        const w = hub.waiting();
        expect(w.map((x) => x.tasklet)).toEqual([a.tasklet, b.tasklet, c.tasklet, d.tasklet]);
        expect(w.map((x) => x.description)).toEqual(['sleep 60000 ms', "once 'go'", 'the answer', 'wait for register']);
        for (const x of w) {
          expect(x.since).toBeGreaterThanOrEqual(before);
          expect(x.since).toBeLessThanOrEqual(after);
        }
        for (const t of [a, b, c, d]) sync(t.tasklet.kill());
        expect(hub.waiting()).toEqual([]);
        for (const t of [a, b, c, d]) await expect(t.result).rejects.toBeInstanceOf(TaskletExit);
      }, LIMIT);
    });

    describe('I12, I13: plain Stackless code beside the hub', () => {
      test('I12: a plain tasklet inserted runs at the next pump; sync(run()) at the top level returns while others wait', async () => {
        const log: string[] = [];
        const t = s.tasklet(function* () {
          log.push('plain runs');
          yield* hub.sleep(0);
          log.push('plain woke');
        }, []);
        t.insert();
        sync(s.run());
        expect(log).toEqual(['plain runs']);
        expect(t.paused).toBe(true);
        await turn();
        await turn();
        expect(log).toEqual(['plain runs', 'plain woke']);
        expect(t.alive).toBe(false);
      }, LIMIT);

      test('I12: a channel between a waiting tasklet and running ones behaves as stackless.md §3 says', async () => {
        const ch = s.channel<number>();
        const log: string[] = [];
        const consumer = hub.spawn(function* () {
          for (let i = 0; i < 3; i++) log.push(`got ${yield* ch.receive()}`);
        });
        const producer = hub.spawn(function* () {
          for (let i = 0; i < 3; i++) {
            yield* hub.sleep(1);
            log.push(`send ${i}`);
            yield* ch.send(i);
          }
        });
        await Promise.all([consumer.result, producer.result]);
        // The receiver runs at once on send (C6, preference -1).
        expect(log).toEqual(['send 0', 'got 0', 'send 1', 'got 1', 'send 2', 'got 2']);
      }, LIMIT);

      test('I13: a pending kill from plain code appends the tasklet; it runs at the pump requestPump asks for', async () => {
        const log: string[] = [];
        const task = hub.spawn(function* () {
          try {
            yield* hub.sleep(60_000);
          } finally {
            log.push('finally');
          }
        });
        await turn();
        sync(task.tasklet.kill({ pending: true }));
        expect(log).toEqual([]);
        expect(task.tasklet.scheduled).toBe(true);
        hub.requestPump();
        await expect(task.result).rejects.toBeInstanceOf(TaskletExit);
        expect(log).toEqual(['finally']);
      }, LIMIT);

      test('I13: a tasklet kills a waiting one; the killer goes on', async () => {
        const log: string[] = [];
        const victim = hub.spawn(function* () {
          try {
            yield* hub.await(new Promise(() => {}));
          } finally {
            log.push('victim finally');
          }
        });
        await turn();
        await go(function* () {
          yield* victim.tasklet.kill();
          log.push('killer goes on');
        });
        expect(log).toEqual(['victim finally', 'killer goes on']);
        await expect(victim.result).rejects.toBeInstanceOf(TaskletExit);
      }, LIMIT);
    });
  });
}
