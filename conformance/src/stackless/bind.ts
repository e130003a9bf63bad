/**
 * bind and setup: T1, T2, T3, T4 (the refusals of T2 and T4 are in misuse.ts).
 *
 * Ported behaviours: stackless-testsuite v3_1/tasklet test_functionality (testSig_bind, testSig_setup,
 * testLC_bound_notalive, testLC_notalive_paused, testLC_paused_notalive), Stackless' test_miscell (bind of a
 * paused tasklet drops its frame; rebinding with new arguments).
 * Skipped: keyword arguments (M5), `bind_thread` and thread ids (M7), the frame and `cstate` attributes.
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { expectThrows, names, ring, snapshot, type SuiteContext } from './harness.js';

const BODIES = 'bodies are generator functions or plain functions, and promises are awaited with @greenstackless/io';

export function bindTests(ctx: SuiteContext): void {
  describe('T1/T3: bind', () => {
    it('T1: new Tasklet(fn, args) is new Tasklet().bind(fn, args)', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const fn = function* (a: number, b: number) {
        log.push(a + b);
      };
      const t = new s.Tasklet(fn, [1, 2]);
      const u = new s.Tasklet().bind(fn, [3, 4]);
      const v = s.tasklet(fn, [5, 6]);
      for (const x of [t, u, v]) {
        expect([x.alive, x.paused, x.scheduled, x.tempval]).toEqual([true, true, false, undefined]);
        x.insert();
      }
      sync(s.run());
      expect(log).toEqual([3, 7, 11]);
    });

    it('T2: bind returns the tasklet, for chaining', () => {
      const s = ctx.s;
      const t = s.tasklet();
      expect(t.bind(function* () {})).toBe(t);
      expect(t.bind()).toBe(t);
      expect(t.bind(null)).toBe(t);
      expect(t.bind(undefined, undefined)).toBe(t);
    });

    it('T3: bind(fn) then bind(null) or bind() unbinds: tempval undefined (testLC_bound_notalive)', () => {
      const s = ctx.s;
      const fn = function* () {};
      const t = s.tasklet(fn);
      expect(t.tempval).toBe(fn);
      t.bind(null);
      expect([t.alive, t.tempval]).toEqual([false, undefined]);
      t.bind(fn);
      t.bind();
      expect([t.alive, t.tempval]).toEqual([false, undefined]);
      expect(() => t.setup()).toThrow('the tasklet was not bound to a function');
    });

    it('T3: bind(null, args) prepares the call with the function bound before', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* (x: string) {
        log.push(x);
      });
      t.bind(null, ['kept function']);
      expect([t.alive, t.paused, t.tempval]).toEqual([true, true, undefined]);
      t.insert();
      sync(s.run());
      expect(log).toEqual(['kept function']);
    });

    it('T3: bind(fn, args) on a paused tasklet replaces the prepared call', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* (x: string) {
        log.push(`old ${x}`);
      }, ['a']);
      t.bind(function* (x: string) {
        log.push(`new ${x}`);
      }, ['b']);
      expect([t.alive, t.paused]).toEqual([true, true]);
      t.insert();
      sync(s.run());
      expect(log).toEqual(['new b']);
    });

    it('T3: bind() on a paused tasklet that ran drops its frames without running finally blocks', () => {
      const s = ctx.s;
      const log: string[] = [];
      const fn = function* () {
        try {
          log.push('start');
          yield* s.scheduleRemove();
          log.push('resumed');
        } finally {
          log.push('finally');
        }
      };
      const t = s.tasklet(fn).setup();
      sync(s.schedule());
      expect([t.alive, t.paused]).toEqual([true, true]);
      expect(t.bind(fn)).toBe(t);
      expect([t.alive, t.paused, t.scheduled]).toEqual([false, false, false]);
      expect(t.tempval).toBe(fn);
      t.bind();
      expect(t.tempval).toBe(undefined);
      expect(log).toEqual(['start']);
    });

    it('T3: a dead tasklet can be bound again with arguments and run', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        log.push('first');
      }).setup();
      sync(s.run());
      t.bind(function* (x: number) {
        log.push(x);
      }, [2]).insert();
      sync(s.run());
      expect(log).toEqual(['first', 2]);
    });
  });

  describe('T4: setup', () => {
    it('T4: setup(...args) binds the arguments, appends the tasklet and returns it', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const a = s.tasklet(function* (...args: unknown[]) {
        log.push(['a', ...args]);
      });
      const b = s.tasklet(function* (...args: unknown[]) {
        log.push(['b', ...args]);
      });
      expect(a.setup(1, 2, 3)).toBe(a);
      expect(b.setup()).toBe(b);
      expect(ring(s)).toEqual(names(s.main, a, b));
      expect([a.alive, a.scheduled, a.paused, a.tempval]).toEqual([true, true, false, undefined]);
      sync(s.run());
      expect(log).toEqual([['a', 1, 2, 3], ['b']]);
    });

    it('T4: setup works with 20 arguments (testSig_setup)', () => {
      const s = ctx.s;
      let got: unknown[] = [];
      const args = Array.from({ length: 20 }, (_, i) => i);
      s.tasklet((...xs: unknown[]) => {
        got = xs;
      }).setup(...args);
      sync(s.run());
      expect(got).toEqual(args);
    });

    it('T4: setup after remove and bind again (testSig_setup loop)', () => {
      const s = ctx.s;
      const fn = function* () {};
      const t = s.tasklet(fn);
      for (let i = 0; i < 3; i++) {
        expect(t.setup(i)).toBe(t);
        expect(t.remove().bind(fn)).toBe(t);
        expect([t.alive, t.tempval]).toEqual([false, fn]);
      }
      expect(s.runcount).toBe(1);
    });

    it('H9: an async function or async generator function is refused by new Tasklet, tasklet() and bind', () => {
      const s = ctx.s;
      const fns = [
        async function work() {},
        async () => {},
        async function* stream() {
          yield 1;
        },
      ];
      for (const fn of fns) {
        expectThrows(() => new s.Tasklet(fn as any), TypeError, BODIES);
        expectThrows(() => s.tasklet(fn as any, []), TypeError, BODIES);
        const bound = function* () {};
        const t = s.tasklet(bound);
        const before = snapshot(s, [t]);
        const e = expectThrows(() => t.bind(fn as any), TypeError, BODIES);
        expect(e.message).toMatch(new RegExp(`^the function of ${String(t)} cannot be an async (generator )?function`));
        expectThrows(() => t.bind(fn as any, [1]), TypeError, BODIES);
        expect(snapshot(s, [t])).toEqual(before); // changes nothing
        expect(t.tempval).toBe(bound);
      }
      expect(s.runcount).toBe(1);
    });

    it('H9: a tasklet whose plain function returns a thenable dies with a TypeError (T21: it reaches W)', () => {
      const s = ctx.s;
      const t = s.tasklet(() => Promise.resolve('late')).setup();
      const e = expectThrows(() => sync(s.run()), TypeError, BODIES);
      expect(e.message).toBe(
        `the body of ${String(t)} returned a promise (a thenable) instead of its result: ${BODIES}; ` +
          'to return a thenable as a value, wrap it (H9)',
      );
      expect([t.alive, t.scheduled]).toEqual([false, false]);
      // With an error handler, the refusal is an ordinary tasklet error (S21).
      const seen: unknown[] = [];
      s.setErrorHandler((error, who) => {
        seen.push(error instanceof TypeError, who);
      });
      const u = s.tasklet(() => ({ then() {} })).setup();
      expect(sync(s.run())).toBe(null);
      expect(seen).toEqual([true, u]);
    });
  });
}
