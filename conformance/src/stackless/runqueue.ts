/**
 * The run queue: insert, remove, t.run(), t.switch(): S2, T12, T13, T14, T15 (their refusals, T7, are in
 * misuse.ts).
 *
 * Ported behaviours: pts's stackless_test.py (testStackless: t.remove/t.insert/t.run of a removed tasklet,
 * td.run() running the tasklets between it and the caller), stackless-testsuite test_functionality
 * (testSig_insert, testSig_remove, testLC_paused_current_notalive, testLC_scheduled_current_notalive), Stackless'
 * test_miscell (switch to a tasklet pauses the caller).
 * Skipped: nothing of this topic depends on pickling, threads or C internals.
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import { names, ring, type SuiteContext } from './harness.js';

export function runQueueTests(ctx: SuiteContext): void {
  /** Sets up tasklets that each log their name once and end. */
  function loggers(log: string[], ...tags: string[]): Tasklet[] {
    const s = ctx.s;
    return tags.map((tag) =>
      s.tasklet(function* () {
        log.push(tag);
      }).setup(),
    );
  }

  describe('S2: ring order', () => {
    it('S2: tasklets run in the order they were appended', () => {
      const s = ctx.s;
      const log: string[] = [];
      const mk = (tag: string) =>
        s.tasklet(function* () {
          for (let i = 1; i <= 2; i++) {
            log.push(`${tag}${i}`);
            yield* s.schedule();
          }
        });
      mk('a').setup();
      mk('b').setup();
      mk('c').setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
    });
  });

  describe('T12/T13: insert and remove', () => {
    it('T12: insert appends a paused tasklet at the tail and returns it', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a] = loggers(log, 'a');
      const t = s.tasklet(function* () {
        log.push('t');
      }, []);
      expect(t.insert()).toBe(t);
      expect(ring(s)).toEqual(names(s.main, a!, t));
      expect([t.scheduled, t.paused]).toEqual([true, false]);
      sync(s.run());
      expect(log).toEqual(['a', 't']);
    });

    it('T12: insert on a tasklet in the ring, or on the current one, leaves it where it is', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a, b] = loggers(log, 'a', 'b');
      expect(a!.insert()).toBe(a);
      expect(s.main.insert()).toBe(s.main);
      expect(ring(s)).toEqual(names(s.main, a!, b!));
      sync(s.run());
      expect(log).toEqual(['a', 'b']);
    });

    it('T13: remove takes a tasklet out of the ring, paused; insert puts it back at the tail', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a, b, c] = loggers(log, 'a', 'b', 'c');
      expect(a!.remove()).toBe(a);
      expect([a!.alive, a!.paused, a!.scheduled, a!.next, a!.prev]).toEqual([true, true, false, null, null]);
      expect(ring(s)).toEqual(names(s.main, b!, c!));
      expect(s.runcount).toBe(3);
      a!.insert();
      expect(ring(s)).toEqual(names(s.main, b!, c!, a!));
      sync(s.run());
      expect(log).toEqual(['b', 'c', 'a']);
    });

    it('T13: remove on a paused, new or dead tasklet does nothing and returns it', () => {
      const s = ctx.s;
      const paused = s.tasklet(function* () {}, []);
      const fresh = s.tasklet();
      const dead = s.tasklet(function* () {}).setup();
      sync(s.run());
      for (const t of [paused, paused, fresh, dead]) {
        const before = [t.alive, t.paused, t.scheduled, t.tempval];
        expect(t.remove()).toBe(t);
        expect([t.alive, t.paused, t.scheduled, t.tempval]).toEqual(before);
      }
      expect(ring(s)).toEqual(names(s.main));
      sync(paused.kill());
    });

    it('T13/T14: a removed tasklet run with t.run() runs at once, followed directly by the caller (testStackless)', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a] = loggers(log, 'a');
      const t = s.tasklet(function* () {
        log.push('t');
      }).setup();
      expect(t.prev).toBe(a);
      t.remove();
      expect(s.main.prev).toBe(a);
      sync(t.run());
      expect(log).toEqual(['t']);
      expect(t.alive).toBe(false);
      expect(ring(s)).toEqual(names(s.main, a!));
      sync(s.run());
      expect(log).toEqual(['t', 'a']);
    });
  });

  describe('T14: t.run()', () => {
    it('T14: a scheduled t runs at once, then the tasklets between t and the caller, then the caller', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a, b, c] = loggers(log, 'a', 'b', 'c');
      expect(sync(b!.run())).toBe(undefined);
      log.push('main');
      expect(ring(s)).toEqual(names(s.main, a!));
      expect(c!.alive).toBe(false);
      sync(s.run());
      expect(log).toEqual(['b', 'c', 'main', 'a']);
    });

    it('T14: the caller stays in the ring where it was', () => {
      const s = ctx.s;
      const log: string[] = [];
      const seen: string[][] = [];
      const [a] = loggers(log, 'a');
      const t = s.tasklet(function* () {
        seen.push(ring(s));
      }, []);
      sync(t.run());
      expect(seen).toEqual([names(t, s.main, a!)]);
      sync(s.run());
      expect(log).toEqual(['a']);
    });

    it('T14: t.run() from a tasklet: t runs, then the runner continues in its turn', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('t');
      }, []);
      s.tasklet(function* () {
        log.push('r before');
        log.push(`r got ${String(yield* t.run())}`);
      }).setup();
      s.tasklet(function* () {
        log.push('x');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['r before', 't', 'r got undefined', 'x']);
    });
  });

  describe('T15: t.switch()', () => {
    it('T15: switch to a scheduled t pauses the caller; the ring runs from t', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a, b, c] = loggers(log, 'a', 'b', 'c');
      s.main.tempval = 'mine';
      // The ring empties with main paused, so main resumes in place (C13) and its op gives its tempval.
      expect(sync(b!.switch())).toBe('mine');
      expect(log).toEqual(['b', 'c', 'a']);
      expect([a!.alive, b!.alive, c!.alive]).toEqual([false, false, false]);
    });

    it("T15: a paused t takes the caller's place in the ring", () => {
      const s = ctx.s;
      const log: string[] = [];
      const seen: string[][] = [];
      const [a] = loggers(log, 'a');
      const t = s.tasklet(function* () {
        seen.push(ring(s));
        log.push('t');
      }, []);
      sync(t.switch());
      expect(seen).toEqual([names(t, a!)]);
      expect(log).toEqual(['t', 'a']);
    });

    it('T15: a tasklet that switches away stays paused until something runs it', () => {
      const s = ctx.s;
      const log: string[] = [];
      let t: Tasklet | undefined;
      const u = s.tasklet(function* () {
        log.push('u');
        log.push(`t paused: ${String(t!.paused)}`);
      }, []);
      t = s.tasklet(function* () {
        log.push('t before');
        yield* u.switch();
        log.push('t after');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['t before', 'u', 't paused: true']);
      expect([t.alive, t.paused]).toEqual([true, true]);
      sync(t.run());
      expect(log).toEqual(['t before', 'u', 't paused: true', 't after']);
      expect(t.alive).toBe(false);
    });

    it('T15: switch to itself changes nothing, even while other tasklets are runnable', () => {
      const s = ctx.s;
      const log: string[] = [];
      loggers(log, 'a');
      s.tasklet(function* () {
        log.push('t1');
        s.current.tempval = 42;
        log.push(`self ${String(yield* s.current.switch())}`);
        log.push('t2');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['a', 't1', 'self 42', 't2']);
    });
  });
}
