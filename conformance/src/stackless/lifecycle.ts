/**
 * Tasklet life cycle and attributes: S1, S4, T5, T6, T8, T10, T11, T20, T22.
 *
 * Ported behaviours: stackless-testsuite v3_1/tasklet test_functionality (testLC_* state transitions,
 * testAttr_prev_next, testSig_run/testSig_switch tempval), pts's stackless_test.py (testTempval,
 * testChannelReceiveLinkedList, main/next/prev checks of testStackless).
 * Skipped: pickling and `restorable` beyond "always true", thread ids and `bind_thread`, `ignore_nesting`,
 * kill by garbage collection (M6, M7).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import { names, ring, type SuiteContext } from './harness.js';

interface Flags {
  alive: boolean;
  paused: boolean;
  blocked: boolean;
  scheduled: boolean;
  isCurrent: boolean;
  isMain: boolean;
}

function flagsOf(t: Tasklet): Flags {
  return {
    alive: t.alive,
    paused: t.paused,
    blocked: t.blocked,
    scheduled: t.scheduled,
    isCurrent: t.isCurrent,
    isMain: t.isMain,
  };
}

const NOT_ALIVE: Flags = { alive: false, paused: false, blocked: false, scheduled: false, isCurrent: false, isMain: false };
const PAUSED: Flags = { ...NOT_ALIVE, alive: true, paused: true };
const SCHEDULED: Flags = { ...NOT_ALIVE, alive: true, scheduled: true };
const CURRENT: Flags = { ...SCHEDULED, isCurrent: true };
const BLOCKED: Flags = { ...SCHEDULED, blocked: true };

export function lifecycleTests(ctx: SuiteContext): void {
  describe('main and the instance', () => {
    it('S1: main is alive, current and alone in the ring', () => {
      const s = ctx.s;
      const main = s.main;
      expect(s.getmain()).toBe(main);
      expect(s.current).toBe(main);
      expect(s.getcurrent()).toBe(main);
      expect(flagsOf(main)).toEqual({ ...CURRENT, isMain: true });
      expect(main.next).toBe(main);
      expect(main.prev).toBe(main);
      expect(String(main)).toBe('Tasklet#main');
      expect(main).toBeInstanceOf(s.Tasklet);
    });

    it('S4: runcount counts the ring, current included; getruncount() agrees', () => {
      const s = ctx.s;
      expect(s.runcount).toBe(1);
      expect(s.getruncount()).toBe(1);
      const a = s.tasklet(function* () {}).setup();
      const b = s.tasklet(function* () {}).setup();
      expect(s.runcount).toBe(3);
      expect(s.getruncount()).toBe(3);
      b.remove();
      expect(s.runcount).toBe(2);
      sync(s.run());
      expect(a.alive).toBe(false);
      expect(s.runcount).toBe(1);
      sync(b.kill());
      expect(b.alive).toBe(false);
    });

    it('S4: a tasklet inside run() is paused and not counted', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      s.tasklet(function* () {
        seen.push(s.runcount, s.main.paused, s.main.scheduled, s.current.isCurrent, s.main.isCurrent);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(seen).toEqual([1, true, false, true, false]);
    });
  });

  describe('T6: states and flags', () => {
    it('T6: a new tasklet is not alive, has no neighbours and an undefined tempval', () => {
      const s = ctx.s;
      const t = new s.Tasklet();
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
      expect(t.next).toBe(null);
      expect(t.prev).toBe(null);
      expect(t.tempval).toBe(undefined);
      expect(t.atomic).toBe(false);
      expect(t.blockTrap).toBe(false);
      expect(t.restorable).toBe(true);
      expect(t).toBeInstanceOf(s.Tasklet);
      expect(s.tasklet()).toBeInstanceOf(s.Tasklet);
      expect(String(t)).toMatch(/^Tasklet#\d+$/);
      expect(String(s.tasklet())).not.toBe(String(t));
    });

    it('T6: bind(fn) makes a bound tasklet: not alive, tempval is the function', () => {
      const s = ctx.s;
      const fn = function* () {};
      const t = s.tasklet(fn);
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
      expect(t.tempval).toBe(fn);
      const u = new s.Tasklet().bind(fn);
      expect(u.tempval).toBe(fn);
      u.bind();
      expect(u.tempval).toBe(undefined);
      expect(flagsOf(u)).toEqual(NOT_ALIVE);
    });

    it('T6: bind(fn, args) makes it paused: alive, not scheduled, tempval undefined', () => {
      const s = ctx.s;
      const t = s.tasklet(function* () {}, []);
      expect(flagsOf(t)).toEqual(PAUSED);
      expect(t.tempval).toBe(undefined);
      expect(t.next).toBe(null);
      expect(t.prev).toBe(null);
      t.bind();
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
    });

    it('T6: setup() makes it scheduled, at the tail of the ring', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('ran');
      });
      expect(t.setup()).toBe(t);
      expect(flagsOf(t)).toEqual(SCHEDULED);
      expect(t.tempval).toBe(undefined);
      expect(t.prev).toBe(s.main);
      expect(t.next).toBe(s.main);
      expect(ring(s)).toEqual(names(s.main, t));
      sync(t.kill());
      expect(log).toEqual([]);
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
    });

    it('T6: while it runs a tasklet is current; a caller of t.run() stays scheduled, of t.switch() is paused', () => {
      const s = ctx.s;
      const seen: Record<string, unknown> = {};
      const main = s.main;
      const body = function* (tag: string) {
        seen[tag] = { self: flagsOf(s.current), main: flagsOf(main), isT: s.current === t };
      };
      const t = s.tasklet(body);
      t.setup('run');
      sync(t.run());
      t.bind(body).setup('switch');
      sync(t.switch());
      expect(seen).toEqual({
        run: { self: CURRENT, main: { ...SCHEDULED, isMain: true }, isT: true },
        switch: { self: CURRENT, main: { ...PAUSED, isMain: true }, isT: true },
      });
    });

    it('T6: a tasklet blocked on a channel is blocked and scheduled, not paused', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.receive();
      }).setup();
      sync(s.schedule());
      expect(flagsOf(t)).toEqual(BLOCKED);
      expect(t.tempval).toBe(undefined);
      sync(t.kill());
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
      expect(ch.balance).toBe(0);
    });

    it('T6/T20: a tasklet whose body returned is dead, with no neighbours and an undefined tempval', () => {
      const s = ctx.s;
      const t = s.tasklet(function* () {
        return 'dropped';
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
      expect(t.tempval).toBe(undefined);
      expect(t.next).toBe(null);
      expect(t.prev).toBe(null);
      expect(t.restorable).toBe(true);
    });

    it('T6: kill(pending) on a paused tasklet makes it scheduled (testLC_paused_scheduled)', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('ran');
      }, []);
      expect(flagsOf(t)).toEqual(PAUSED);
      expect(sync(t.kill({ pending: true }))).toBe(undefined);
      expect(flagsOf(t)).toEqual(SCHEDULED);
      sync(s.run());
      expect(log).toEqual([]);
      expect(flagsOf(t)).toEqual(NOT_ALIVE);
    });
  });

  describe('T5: the function and its call', () => {
    it('T5: the function gets the bound arguments, this undefined, and its result is dropped', () => {
      const s = ctx.s;
      const calls: unknown[] = [];
      const fn = function* (this: unknown, ...args: unknown[]) {
        calls.push(this, args);
        return 'dropped';
      };
      const arr = [1];
      s.tasklet(fn).setup('a', arr, undefined);
      expect(sync(s.run())).toBe(null);
      expect(calls[0]).toBe(undefined);
      expect(calls[1]).toEqual(['a', arr, undefined]);
      expect((calls[1] as unknown[])[1]).toBe(arr);
    });

    it('T5: a plain function is a body that runs to completion', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet((x: number) => {
        log.push(x, s.current === t);
      }).setup(7);
      sync(s.run());
      expect(log).toEqual([7, true]);
      expect(t.alive).toBe(false);
    });

    it('T5: the binding ends with the tasklet; it can be bound again and rerun', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* (x: string) {
        log.push(x);
      }).setup('first');
      sync(s.run());
      expect(t.alive).toBe(false);
      expect(t.tempval).toBe(undefined);
      expect(() => t.setup('again')).toThrow('the tasklet was not bound to a function');
      t.bind(function* (x: string) {
        log.push(`rebound ${x}`);
      }).setup('second');
      sync(s.run());
      expect(log).toEqual(['first', 'rebound second']);
    });
  });

  describe('T8: next and prev', () => {
    it('T8: in the ring, next and prev are the neighbours (testAttr_prev_next)', () => {
      const s = ctx.s;
      const t = s.tasklet();
      expect([t.prev, t.next]).toEqual([null, null]);
      t.bind(function* () {});
      expect([t.prev, t.next]).toEqual([null, null]);
      t.setup();
      expect(t.prev).toBe(s.main);
      expect(t.next).toBe(s.current);
      const t2 = s.tasklet(function* () {}).setup();
      expect(t.prev).toBe(s.current);
      expect(t.next).toBe(t2);
      expect(t2.prev).toBe(t);
      expect(t2.next).toBe(s.current);
      expect(s.main.next).toBe(t);
      expect(s.main.prev).toBe(t2);
      expect(ring(s)).toEqual(names(s.main, t, t2));
      t.remove();
      expect([t.prev, t.next]).toEqual([null, null]);
      expect(ring(s)).toEqual(names(s.main, t2));
      sync(s.run());
      sync(t.kill());
    });

    it('T8/C2: blocked tasklets link in their channel queue, null at the ends (testChannelReceiveLinkedList)', () => {
      const s = ctx.s;
      const ch = s.channel();
      const receiver = function* () {
        yield* ch.receive();
      };
      const t1 = s.tasklet(receiver).setup();
      expect(t1.next).toBe(s.current);
      sync(s.schedule());
      expect([t1.prev, t1.next]).toEqual([null, null]);
      const t2 = s.tasklet(receiver).setup();
      sync(s.schedule());
      const t3 = s.tasklet(receiver).setup();
      sync(s.schedule());
      expect(ch.queue).toBe(t1);
      expect([t1.prev, t1.next]).toEqual([null, t2]);
      expect([t2.prev, t2.next]).toEqual([t1, t3]);
      expect([t3.prev, t3.next]).toEqual([t2, null]);
      expect(ch.balance).toBe(-3);
      for (const t of [t1, t2, t3]) sync(t.kill());
      expect(ch.balance).toBe(0);
      expect(ch.queue).toBe(null);
    });
  });

  describe('T10/T11: tempval', () => {
    it('T10: schedule(x) leaves x in tempval; the op claims it, a write meanwhile wins (testTempval)', () => {
      const s = ctx.s;
      const items: unknown[] = [];
      const t = s.tasklet(function* () {
        items.push(yield* s.schedule());
        items.push(yield* s.schedule(null));
        items.push(yield* s.schedule('foo'));
        items.push(yield* s.schedule(42));
      }).setup();
      expect(t.tempval).toBe(undefined);
      expect(sync(s.schedule())).toBe(s.main);
      expect(t.tempval).toBe(t);
      expect(items).toEqual([]);
      sync(s.schedule());
      expect(t.tempval).toBe(null);
      expect(items).toEqual([t]);
      sync(s.schedule());
      expect(t.tempval).toBe('foo');
      t.tempval = false;
      sync(s.schedule());
      expect(items).toEqual([t, null, false]);
      expect(t.tempval).toBe(42);
      sync(s.schedule());
      expect(items).toEqual([t, null, false, 42]);
      expect(t.alive).toBe(false);
      expect(t.tempval).toBe(undefined);
      expect(s.main.tempval).toBe(undefined);
    });

    it('T10: a pending throw leaves a carrier, not the error, in tempval; overwriting it discards the error', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        try {
          log.push(yield* s.schedule('v'));
        } catch (e) {
          log.push(`caught ${String(e)}`);
        }
      }).setup();
      sync(s.schedule());
      const err = new Error('boom');
      sync(t.throw(err, { pending: true }));
      expect(t.tempval).not.toBe(err);
      expect(t.tempval).not.toBe(undefined);
      t.tempval = 'replaced';
      sync(s.run());
      expect(log).toEqual(['replaced']);
    });

    it('T10: a carrier copied to another tasklet is thrown there', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const body = function* (tag: string) {
        try {
          log.push(`${tag} got ${String(yield* s.schedule())}`);
        } catch (e) {
          log.push(`${tag} caught ${(e as Error).message}`);
        }
      };
      const a = s.tasklet(body).setup('a');
      const b = s.tasklet(body).setup('b');
      sync(s.schedule());
      sync(a.throw(new Error('moved'), { pending: true }));
      b.tempval = a.tempval;
      a.tempval = 'plain';
      sync(s.run());
      expect(log).toEqual(['a got plain', 'b caught moved']);
    });

    it("T11: t.run() and t.switch() give the caller's claimed tempval (testSig_run, testSig_switch)", () => {
      const s = ctx.s;
      const o = { token: 1 };
      s.main.tempval = o;
      expect(sync(s.tasklet(function* () {}).setup().run())).toBe(o);
      expect(s.main.tempval).toBe(undefined);
      const p = { token: 2 };
      s.main.tempval = p;
      expect(sync(s.tasklet(function* () {}).setup().switch())).toBe(p);
      expect(s.main.tempval).toBe(undefined);
    });

    it('T11/M10: current.run() and current.switch() claim the tempval at once, whatever else is runnable', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const other = s.tasklet(function* () {
        log.push('other');
      }).setup();
      const t = s.tasklet(function* () {
        s.current.tempval = 'r';
        log.push(yield* s.current.run());
        s.current.tempval = 's';
        log.push(yield s.current.switch());
        log.push(s.current.tempval);
      }).setup();
      sync(t.run());
      // t was scheduled behind `other`, so after t the caller resumes before `other` (T14).
      expect(log).toEqual(['r', 's', undefined]);
      expect(other.alive).toBe(true);
      sync(s.run());
      expect(log).toEqual(['r', 's', undefined, 'other']);
      s.main.tempval = 'm';
      expect(sync(s.main.switch())).toBe('m');
      expect(sync(s.main.run())).toBe(undefined);
    });
  });

  describe('T20/T22: the end of a tasklet', () => {
    it('T20: when a tasklet ends the head moves to its successor', () => {
      const s = ctx.s;
      const log: string[] = [];
      const a = s.tasklet(function* () {
        log.push('a1');
        yield* s.schedule();
        log.push('a2');
      }).setup();
      const b = s.tasklet(function* () {
        log.push('b');
      }).setup();
      const c = s.tasklet(function* () {
        log.push('c1');
        yield* s.schedule();
        log.push('c2');
      }).setup();
      sync(s.schedule());
      expect(log).toEqual(['a1', 'b', 'c1']);
      expect(ring(s)).toEqual(names(s.main, a, c));
      expect(b.alive).toBe(false);
      sync(s.run());
      expect(log).toEqual(['a1', 'b', 'c1', 'a2', 'c2']);
    });

    it('T20: a TaskletExit escaping a tasklet ends it silently', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('start');
        throw new s.TaskletExit('bye');
      }).setup();
      const u = s.tasklet(function* () {
        log.push('u');
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['start', 'u']);
      expect(t.alive).toBe(false);
      expect(u.alive).toBe(false);
    });

    it('T22: main is not a body: main.kill() on itself throws TaskletExit out of the op, main stays alive', () => {
      const s = ctx.s;
      expect(() => sync(s.main.kill())).toThrow(s.TaskletExit);
      expect(s.main.alive).toBe(true);
      expect(s.current).toBe(s.main);
      expect(s.runcount).toBe(1);
    });
  });

  describe('N1: names', () => {
    it('API: toString and util.inspect name tasklets and channels by class and serial number', () => {
      const s = ctx.s;
      const t = s.tasklet();
      const u = s.tasklet();
      const ch = s.channel();
      expect(String(t)).toMatch(/^Tasklet#\d+$/);
      expect(inspect(t)).toBe(`${t} <not alive>`); // the name, then the state
      expect(inspect(s.main)).toBe('Tasklet#main <current>');
      expect(inspect(ch)).toBe(`${ch} <balance 0>`);
      expect(String(ch)).toMatch(/^Channel#\d+$/);
      expect(Number(String(u).slice('Tasklet#'.length))).toBeGreaterThan(Number(String(t).slice('Tasklet#'.length)));
    });
  });
}
