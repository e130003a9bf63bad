/**
 * kill, throw and raiseException, pending and not: T16, T17, T18, T19, T21 (refusals of T7, T16 and T19 are in
 * misuse.ts).
 *
 * Ported behaviours: pts's stackless_test.py (testKillJumpsInRunnablesList, testRunnablesOrderAtKill, the
 * raise_exception into main of testStackless, balances after killing blocked workers), Stackless'
 * test_exception and test_miscell (kill of a blocked tasklet, kill(pending), throw into a new tasklet, errors
 * reaching main), stackless-testsuite test_functionality (testSig_throw, testSig_kill).
 * Skipped: the (type, value, traceback) forms of throw (M2), tracebacks, kill by garbage collection (M6).
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { TestError, names, ring, type SuiteContext } from './harness.js';

export function throwTests(ctx: SuiteContext): void {
  describe('T16/T17: throw', () => {
    it('T16: throw into a tasklet suspended in schedule: the error comes out of its op, and it runs at once', () => {
      const s = ctx.s;
      const log: string[] = [];
      const err = new TestError('in');
      const t = s.tasklet(function* () {
        try {
          yield* s.schedule();
          log.push('no error');
        } catch (e) {
          log.push(`caught same: ${String(e === err)}`);
        }
      }).setup();
      sync(s.schedule());
      log.push('throwing');
      expect(sync(t.throw(err))).toBe(undefined);
      log.push('after');
      expect(log).toEqual(['throwing', 'caught same: true', 'after']);
      expect(t.alive).toBe(false);
    });

    it('T16: a blocked tasklet leaves its channel when thrown into; the balance moves towards 0', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      const body = (tag: string) =>
        function* () {
          try {
            yield* ch.receive();
          } catch (e) {
            if (!(e instanceof TestError)) throw e; // a kill's TaskletExit goes on (M9)
            log.push(`${tag} ${e.message}`);
          }
        };
      const a = s.tasklet(body('a')).setup();
      const b = s.tasklet(body('b')).setup();
      sync(s.schedule());
      expect(ch.balance).toBe(-2);
      sync(b.throw(new TestError('x')));
      expect(log).toEqual(['b x']);
      expect(ch.balance).toBe(-1);
      expect(ch.queue).toBe(a);
      expect([a.next, a.prev]).toEqual([null, null]);
      sync(a.kill());
      expect(ch.balance).toBe(0);
      expect(log).toEqual(['b x']);
    });

    it('T16/T17: a tasklet that catches and goes on runs at once; the thrower resumes in its turn', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        for (;;) {
          try {
            yield* s.scheduleRemove();
          } catch (e) {
            log.push(`caught ${(e as Error).message}`);
          }
          if (log.length >= 2) return;
        }
      }).setup();
      sync(s.schedule());
      s.tasklet(function* () {
        log.push('other');
      }).setup();
      // t is paused in scheduleRemove: it resumes in place, then the caller is next.
      sync(t.throw(new TestError('one')));
      expect(log).toEqual(['caught one']);
      sync(t.throw(new TestError('two')));
      expect(log).toEqual(['caught one', 'caught two']);
      expect(t.alive).toBe(false);
      sync(s.run());
      expect(log).toEqual(['caught one', 'caught two', 'other']);
    });

    it('T16/T21: an uncaught throw into a tasklet that never ran kills it without calling its function', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('ran');
      }).setup();
      const err = new TestError('never ran');
      // The error escapes t and goes to W, main, at its pending op: this throw op.
      expect(() => sync(t.throw(err))).toThrow(err);
      expect(log).toEqual([]);
      expect([t.alive, t.scheduled]).toEqual([false, false]);
      expect(ring(s)).toEqual(names(s.main));
    });

    it('T16: pending throw: nothing switches, the op gives undefined, the error fires when t next runs', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        try {
          yield* s.scheduleRemove();
        } catch (e) {
          log.push(`caught ${(e as Error).message}`);
        }
      }).setup();
      sync(s.schedule());
      expect(t.paused).toBe(true);
      const switches: string[] = [];
      s.setScheduleCallback((prev, next) => switches.push(`${String(prev)}->${String(next)}`));
      expect(sync(t.throw(new TestError('later'), { pending: true }))).toBe(undefined);
      expect(switches).toEqual([]);
      expect(log).toEqual([]);
      expect([t.paused, t.scheduled]).toEqual([false, true]);
      expect(ring(s)).toEqual(names(s.main, t));
      s.setScheduleCallback(null);
      sync(s.run());
      expect(log).toEqual(['caught later']);
    });

    it('T16: pending throw into a blocked tasklet takes it off the channel into the ring', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      const t = s.tasklet(function* () {
        try {
          yield* ch.send('never');
        } catch (e) {
          log.push(`caught ${(e as Error).message}`);
        }
      }).setup();
      sync(s.schedule());
      expect([ch.balance, t.blocked]).toEqual([1, true]);
      sync(t.throw(new TestError('off'), { pending: true }));
      expect([ch.balance, ch.queue, t.blocked, t.scheduled]).toEqual([0, null, false, true]);
      expect(ring(s)).toEqual(names(s.main, t));
      expect(log).toEqual([]);
      sync(s.run());
      expect(log).toEqual(['caught off']);
    });

    it('T16: throw into the current tasklet throws out of the op at once; pending is ignored', () => {
      const s = ctx.s;
      const err = new TestError('self');
      expect(() => sync(s.main.throw(err))).toThrow(err);
      expect(() => sync(s.main.throw(err, { pending: true }))).toThrow(err);
      const log: string[] = [];
      s.tasklet(function* () {
        try {
          yield* s.current.throw('a string', { pending: true });
        } catch (e) {
          log.push(`caught ${String(e)}`);
        }
      }).setup();
      sync(s.run());
      expect(log).toEqual(['caught a string']);
    });

    it('T16: a TaskletExit thrown to a tasklet that is not alive does nothing and gives undefined', () => {
      const s = ctx.s;
      const fn = function* () {};
      const t = s.tasklet(fn);
      expect(sync(t.throw(new s.TaskletExit()))).toBe(undefined);
      expect(sync(t.throw(new s.TaskletExit(), { pending: true }))).toBe(undefined);
      expect([t.alive, t.scheduled, t.tempval]).toEqual([false, false, fn]);
      expect(s.runcount).toBe(1);
    });

    it('T17: kill of a scheduled tasklet runs the tasklets queued after it before the caller (testKillJumpsInRunnablesList)', () => {
      const s = ctx.s;
      const items: string[] = [];
      const dead = s.tasklet(function* () {
        items.push('dead');
      }).setup();
      s.tasklet(function* () {
        items.push('worker');
      }).setup();
      items.push('before');
      sync(dead.kill());
      items.push('after');
      expect(items.join(',')).toBe('before,worker,after');
    });

    it('T17: after a paused tasklet dies, the caller runs directly (testRunnablesOrderAtKill)', () => {
      const s = ctx.s;
      const items: string[] = [];
      const fail = () => {
        throw new TestError('must not run');
      };
      const t1 = s.tasklet(fail).setup();
      const t2 = s.tasklet(function* () {
        try {
          items.push('start');
          yield* s.schedule();
        } catch (e) {
          if (e instanceof TestError) items.push('caught');
          else throw e;
        }
      }).setup();
      sync(t2.run());
      expect(items.join(',')).toBe('start');
      const t3 = s.tasklet(fail).setup();
      t2.remove();
      t2.remove();
      sync(t2.raiseException(TestError));
      expect(items.join(',')).toBe('start,caught');
      expect([t1.alive, t2.alive, t3.alive]).toEqual([true, false, true]);
      expect(ring(s)).toEqual(names(s.main, t1, t3));
      t1.remove();
      sync(t1.kill()); // paused: the caller runs next, not t3
      expect(t3.alive).toBe(true);
      sync(t3.kill());
      sync(t2.kill());
      expect(ring(s)).toEqual(names(s.main));
    });
  });

  describe('T18: kill', () => {
    it('T18: kill of a tasklet in a try/finally runs the finally; TaskletExit is silent', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        try {
          log.push('start');
          yield* s.schedule();
          log.push('not here');
        } catch (e) {
          log.push(e instanceof s.TaskletExit ? 'catch TaskletExit' : `catch ${String(e)}`);
          throw e;
        } finally {
          log.push('finally');
        }
      }).setup();
      sync(s.schedule());
      expect(sync(t.kill())).toBe(undefined);
      expect(log).toEqual(['start', 'catch TaskletExit', 'finally']);
      expect(t.alive).toBe(false);
      expect(t.tempval).toBe(undefined);
    });

    it("T18/T11: a non-pending kill gives the killer's claimed tempval", () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const victim = s.tasklet(function* () {
        yield* s.schedule();
      }).setup();
      s.tasklet(function* () {
        s.current.tempval = 'claimed';
        log.push(yield* victim.kill());
      }).setup();
      sync(s.run());
      expect(log).toEqual(['claimed']);
      expect(victim.alive).toBe(false);
    });

    it('T18: kill on a new, bound or dead tasklet does nothing and gives undefined', () => {
      const s = ctx.s;
      const fn = function* () {};
      const fresh = s.tasklet();
      const bound = s.tasklet(fn);
      const dead = s.tasklet(fn).setup();
      sync(s.run());
      for (const t of [fresh, bound, dead]) {
        expect(sync(t.kill())).toBe(undefined);
        expect(sync(t.kill({ pending: true }))).toBe(undefined);
        expect([t.alive, t.scheduled]).toEqual([false, false]);
      }
      expect(bound.tempval).toBe(fn);
      expect(s.runcount).toBe(1);
    });

    it('T18: kill of the current tasklet throws TaskletExit out of the op at once; the tasklet ends silently', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        try {
          yield* s.current.kill();
          log.push('not here');
        } finally {
          log.push('finally');
        }
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['finally']);
      expect(t.alive).toBe(false);
    });

    it('T18: another tasklet killing main throws TaskletExit at main’s pending op; the killer stays runnable', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const killer = s.tasklet(function* () {
        log.push('kill');
        log.push(yield* s.main.kill());
        log.push('killer again');
      }).setup();
      expect(() => sync(s.run())).toThrow(s.TaskletExit);
      expect(s.current).toBe(s.main);
      expect(s.main.alive).toBe(true);
      expect(ring(s)).toEqual(names(s.main, killer));
      expect(log).toEqual(['kill']);
      sync(s.run());
      expect(log).toEqual(['kill', undefined, 'killer again']);
    });

    it('T18: killing main while it is blocked takes it off the channel and throws TaskletExit at its receive', () => {
      const s = ctx.s;
      const ch = s.channel();
      const killer = s.tasklet(function* () {
        yield* s.main.kill();
      }).setup();
      expect(() => sync(ch.receive())).toThrow(s.TaskletExit);
      expect([ch.balance, ch.queue, s.main.blocked]).toEqual([0, null, false]);
      expect(ring(s)).toEqual(names(s.main, killer));
      sync(s.run());
      expect(killer.alive).toBe(false);
    });

    it('T18: kill of a blocked worker restores the balance step by step (testStackless)', () => {
      const s = ctx.s;
      const ch = s.channel();
      const workers = [0, 1, 2, 3].map(() =>
        s.tasklet(function* () {
          for (;;) yield* ch.receive();
        }).setup(),
      );
      sync(s.schedule());
      expect(ch.balance).toBe(-4);
      let expected = -4;
      for (const w of [workers[0]!, workers[3]!, workers[2]!, workers[1]!]) {
        sync(w.kill());
        expect(ch.balance).toBe(++expected);
      }
      expect(ch.queue).toBe(null);
    });
  });

  describe('T19: raiseException', () => {
    it('T19: raiseException constructs the error in the caller and throws it into the tasklet', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        try {
          yield* s.scheduleRemove();
        } catch (e) {
          log.push(e instanceof TestError, (e as Error).message);
        }
      }).setup();
      sync(s.run());
      expect(sync(t.raiseException(TestError, 'made here'))).toBe(undefined);
      expect(log).toEqual([true, 'made here']);
    });

    it('T19: a tasklet raising an exception into main: schedule() in main throws it', () => {
      const s = ctx.s;
      s.tasklet(function* (task: typeof s.main) {
        yield* task.raiseException(TestError, '42');
      }).setup(s.current);
      const err = expectThrowsOf(() => sync(s.schedule()));
      expect(err).toBeInstanceOf(TestError);
      expect((err as Error).message).toBe('42');
      // The raiser stays runnable (T17) and ends on the next run.
      expect(s.runcount).toBe(2);
      sync(s.run());
    });

    it('T19: if the constructor throws, that error comes out and nothing else happens', () => {
      const s = ctx.s;
      class Bad {
        constructor() {
          throw new TestError('ctor');
        }
      }
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('t');
      }).setup();
      expect(() => sync(t.raiseException(Bad))).toThrow('ctor');
      expect([t.alive, t.scheduled]).toEqual([true, true]);
      expect(log).toEqual([]);
      sync(s.run());
      expect(log).toEqual(['t']);
    });
  });

  describe('T16: throw, immediate and pending (Stackless test_miscell TestTaskletThrow*)', () => {
    for (const pending of [false, true]) {
      const mode = pending ? 'pending' : 'immediate';

      it(`T16: ${mode} throw into a tasklet blocked in receive: it catches the error there`, () => {
        const s = ctx.s;
        const c = s.channel();
        const seen: unknown[] = [];
        const t = s.tasklet(function* () {
          try {
            yield* c.receive();
          } catch (e) {
            seen.push(e);
          }
        }).setup();
        sync(t.run());
        const err = new TestError('thrown');
        sync(t.throw(err, { pending }));
        if (pending) {
          // After the throw, the tasklet still has not run.
          expect([t.alive, seen]).toEqual([true, []]);
          sync(t.run());
        }
        expect(t.alive).toBe(false);
        expect(seen).toEqual([err]);
        expect(c.balance).toBe(0);
      });

      it(`T16/T21: ${mode} throw into a new tasklet is its unhandled error (test_new)`, () => {
        const s = ctx.s;
        const log: string[] = [];
        const t = s.tasklet(function* () {
          log.push('ran');
        }).setup();
        const err = new TestError('new');
        if (!pending) {
          expect(() => sync(t.throw(err))).toThrow(err);
        } else {
          expect(sync(t.throw(err, { pending: true }))).toBe(undefined);
          expect(t.alive).toBe(true);
          expect(() => sync(s.run())).toThrow(err);
        }
        expect([t.alive, log]).toEqual([false, []]);
      });

      it(`T16: ${mode} TaskletExit into a new tasklet kills it without running it (test_kill_new)`, () => {
        const s = ctx.s;
        const log: string[] = [];
        const t = s.tasklet(function* () {
          log.push('should not run this');
        }).setup();
        sync(t.throw(new s.TaskletExit(), { pending }));
        sync(s.run());
        expect([t.alive, log]).toEqual([false, []]);
        expect(() => sync(t.run())).toThrow('dead');
      });

      it(`T16: ${mode} throw to a dead tasklet: StacklessError, but a TaskletExit does nothing (test_dead, test_kill_dead)`, () => {
        const s = ctx.s;
        const c = s.channel();
        const t = s.tasklet(function* () {
          yield* c.receive();
        }).setup();
        sync(t.run());
        sync(c.send(undefined));
        sync(s.run());
        expect(t.alive).toBe(false);
        expect(() => sync(t.throw(new TestError('late'), { pending }))).toThrow(s.StacklessError);
        expect(sync(t.throw(new s.TaskletExit(), { pending }))).toBe(undefined);
        expect(s.runcount).toBe(1);
      });
    }

    it('T18: kill(pending) marks it; the TaskletExit fires at its next run (test_kill_pending_true/False)', () => {
      const s = ctx.s;
      const killed: string[] = [];
      const body = (tag: string) =>
        function* () {
          try {
            yield* s.schedule();
          } catch (e) {
            if (e instanceof s.TaskletExit) killed.push(tag);
            throw e;
          }
        };
      const p = s.tasklet(body('pending')).setup();
      sync(p.run());
      sync(p.kill({ pending: true }));
      expect(killed).toEqual([]);
      sync(p.run());
      expect(killed).toEqual(['pending']);
      const n = s.tasklet(body('now')).setup();
      sync(n.run());
      sync(n.kill({ pending: false }));
      expect(killed).toEqual(['pending', 'now']);
      expect([p.alive, n.alive]).toEqual([false, false]);
    });

    it('T19: raiseException into a tasklet blocked in receive; it has to have run first (test_raise_exception)', () => {
      const s = ctx.s;
      const c = s.channel();
      const seen: string[] = [];
      class IndexError extends Error {}
      const t = s.tasklet(function* () {
        try {
          yield* c.receive();
        } catch (e) {
          seen.push(e instanceof IndexError ? 'IndexError' : String(e));
        }
      }).setup();
      sync(t.run());
      sync(t.raiseException(IndexError));
      expect(seen).toEqual(['IndexError']);
      expect(t.alive).toBe(false);
    });
  });

}

function expectThrowsOf(action: () => unknown): unknown {
  try {
    action();
  } catch (e) {
    return e;
  }
  throw new Error('expected the action to throw');
}
