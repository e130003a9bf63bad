/**
 * run() and the watchdog stack: S6, S9, S10, S11, T21.
 *
 * Ported behaviours: Stackless' test_watchdog (run() returning when the queue empties, nested run() calls from
 * tasklets, an error in a tasklet coming out of run() with the others kept, run() called again carrying on),
 * stackless-testsuite v3_1/test_watchdog (the watchdog stack as seen through run()'s results), pts's
 * stackless_test.py (errors raised in a tasklet reach main).
 * Skipped: run() in other threads, `threadblock` (M7).
 */
import { describe, expect, it } from 'vitest';
import { GreenletExit, sync } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import { TestError, names, ring, type SuiteContext } from './harness.js';

export function watchdogTests(ctx: SuiteContext): void {
  describe('S9/S10: run()', () => {
    it('S9: with nothing else runnable, run() gives null at once and switches nothing', () => {
      const s = ctx.s;
      const switches: string[] = [];
      s.setScheduleCallback((prev, next) => switches.push(`${String(prev)}->${String(next)}`));
      s.main.tempval = 'kept';
      expect(sync(s.run())).toBe(null);
      expect(switches).toEqual([]);
      expect(s.main.tempval).toBe('kept');
      s.main.tempval = undefined;
    });

    it('S9/S10.1: run() runs the ring until it is empty, then gives null', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        log.push('a1');
        yield* s.schedule();
        log.push('a2');
      }).setup();
      s.tasklet(function* () {
        log.push(`b sees main paused=${String(s.main.paused)} runcount=${s.runcount}`);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['a1', 'b sees main paused=true runcount=2', 'a2']);
      expect([s.main.paused, s.main.scheduled]).toEqual([false, true]);
    });

    it('S10.1: run() gives null when the last runnable tasklet blocks; blocked tasklets stay blocked', () => {
      const s = ctx.s;
      const ch = s.channel();
      const ts = [0, 1].map(() =>
        s.tasklet(function* () {
          yield* ch.receive();
        }).setup(),
      );
      expect(sync(s.run())).toBe(null);
      expect(ts.map((t) => t.blocked)).toEqual([true, true]);
      for (const t of ts) sync(t.kill());
    });

    it('S10.2/T21: a tasklet dying of an error makes run() throw it; the others keep their places', () => {
      const s = ctx.s;
      const log: string[] = [];
      const err = new TestError('died');
      const a = s.tasklet(function* () {
        log.push('a1');
        yield* s.schedule();
        log.push('a2');
      }).setup();
      const bad = s.tasklet(function* () {
        log.push('bad');
        throw err;
      }).setup();
      const c = s.tasklet(function* () {
        log.push('c');
      }).setup();
      expect(() => sync(s.run())).toThrow(err);
      expect(bad.alive).toBe(false);
      expect(log).toEqual(['a1', 'bad']);
      expect(ring(s)).toEqual(names(s.main, c, a));
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['a1', 'bad', 'c', 'a2']);
    });

    it('T21: a GreenletExit escaping a tasklet is an ordinary error and reaches W', () => {
      const s = ctx.s;
      s.tasklet(function* () {
        throw new GreenletExit('not silent');
      }).setup();
      expect(() => sync(s.run())).toThrow(GreenletExit);
    });

    it('S6/T21: with no run() pending, W is main: an error reaches main at schedule()', () => {
      const s = ctx.s;
      s.tasklet(function* () {
        throw new TestError('to main');
      }).setup();
      expect(() => sync(s.schedule())).toThrow('to main');
      expect(s.runcount).toBe(1);
    });

    it('T21: an error goes to W, not to a tasklet that called t.run() on the failing tasklet', () => {
      const s = ctx.s;
      const log: string[] = [];
      const bad = s.tasklet(function* () {
        throw new TestError('to W');
      }, []);
      const runner = s.tasklet(function* () {
        try {
          yield* bad.run();
          log.push('runner resumed');
        } catch (e) {
          log.push(`runner caught ${String(e)}`);
        }
      }).setup();
      expect(() => sync(s.run())).toThrow('to W');
      expect(log).toEqual([]);
      expect(ring(s)).toEqual(names(s.main, runner));
      sync(s.run());
      expect(log).toEqual(['runner resumed']);
    });

    it('T21: W paused by t.switch() gets the error at its switch op; the other tasklets keep their places', () => {
      const s = ctx.s;
      const log: string[] = [];
      const x = s.tasklet(function* () {
        log.push('x');
      }).setup();
      const bad = s.tasklet(function* () {
        log.push('bad');
        throw new TestError('at switch');
      }).setup();
      expect(() => sync(bad.switch())).toThrow('at switch');
      expect(log).toEqual(['bad']);
      expect(ring(s)).toEqual(names(s.main, x));
      sync(s.run());
      expect(log).toEqual(['bad', 'x']);
    });

    it('T21: W blocked on a channel leaves it, its balance restored, and gets the error', () => {
      const s = ctx.s;
      const ch = s.channel();
      s.tasklet(function* () {
        expect(ch.balance).toBe(-1);
        throw new TestError('while main receives');
      }).setup();
      expect(() => sync(ch.receive())).toThrow('while main receives');
      expect([ch.balance, ch.queue, s.main.blocked]).toEqual([0, null, false]);
    });

    it('S10.4: t.run() on the caller of run() ends its run() with null; the runner stays runnable', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        log.push('t');
        yield* s.main.run();
        log.push('t again');
      }).setup();
      const u = s.tasklet(function* () {
        log.push('u');
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['t']);
      // main resumed in place, followed directly by the runner t (T14), then u.
      expect(ring(s)).toEqual(names(s.main, t, u));
      sync(s.run());
      expect(log).toEqual(['t', 't again', 'u']);
    });

    it('S10.4: insert() of the caller of run(): its run() gives null when its turn comes', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        s.main.insert();
        log.push('a inserted main');
        yield* s.schedule();
        log.push('a again');
      }).setup();
      s.tasklet(function* () {
        log.push('b');
      }).setup();
      expect(sync(s.run())).toBe(null);
      log.push('main');
      sync(s.run());
      expect(log).toEqual(['a inserted main', 'b', 'main', 'a again']);
    });

    it('S10: a pending throw into the caller of run() comes out of run() when it resumes', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        yield* s.main.throw(new TestError('pending for main'), { pending: true });
        log.push('a continues');
        yield* s.schedule();
        log.push('a again');
      }).setup();
      expect(() => sync(s.run())).toThrow('pending for main');
      expect(log).toEqual(['a continues']);
      sync(s.run());
      expect(log).toEqual(['a continues', 'a again']);
    });
  });

  describe('S11: nested run()', () => {
    it('S11: a tasklet may call run(); the innermost W resumes first when the ring empties', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      s.tasklet(function* () {
        log.push('outer start');
        s.tasklet(function* () {
          log.push('inner');
        }).setup();
        log.push(`outer run gives ${String(yield* s.run())}`);
        log.push(`main paused ${String(s.main.paused)}`);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['outer start', 'inner', 'outer run gives null', 'main paused true']);
    });

    it('S11: when an outer run() ends, the callers of the inner ones are appended and their run() gives null', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      let t2: Tasklet | undefined;
      const t1 = s.tasklet(function* () {
        t2 = s.tasklet(function* () {
          log.push('t2 switches to main');
          yield* s.main.switch();
          log.push('t2 resumed');
        }).setup();
        log.push('t1 runs');
        log.push(`t1 run gives ${String(yield* s.run())}`);
      }).setup();
      expect(sync(s.run())).toBe(null);
      log.push('main resumed');
      expect(ring(s)).toEqual(names(s.main, t1));
      expect([t2!.alive, t2!.paused]).toEqual([true, true]);
      sync(s.run());
      expect(log).toEqual(['t1 runs', 't2 switches to main', 'main resumed', 't1 run gives null']);
      sync(t2!.kill());
      expect(log).toEqual(['t1 runs', 't2 switches to main', 'main resumed', 't1 run gives null']);
    });

    it('S10.2/S11: an error in a nested run() goes to the innermost W only', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        s.tasklet(function* () {
          throw new TestError('inner failure');
        }).setup();
        try {
          yield* s.run();
        } catch (e) {
          log.push(`outer caught ${(e as Error).message}`);
        }
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['outer caught inner failure']);
    });
  });

  describe('S9–S11: run() from tasklets (stackless-testsuite TestNewWatchdog)', () => {
    /** The worker of TestNewWatchdog: schedules once, then counts itself done. */
    function worker(done: { n: number }): void {
      const s = ctx.s;
      s.tasklet(function* () {
        yield* s.schedule();
        done.n++;
      }).setup();
    }

    it('S11: run() from a worker lasts while main keeps the ring alive; t.run() ends it (test_run_from_worker)', () => {
      const s = ctx.s;
      const done = { n: 0 };
      worker(done);
      const runner = s.tasklet(function* () {
        yield* s.run();
        done.n++;
      }).setup();
      while (done.n === 0) sync(s.schedule());
      expect(done.n).toBe(1);
      expect([runner.alive, runner.paused]).toEqual([true, true]);
      sync(runner.run());
      expect(done.n).toBe(2);
      expect(runner.alive).toBe(false);
    });

    it('S10.1: a worker in run() resumes when the ring empties while main is blocked (test_run_from_worker_main_blocked)', () => {
      const s = ctx.s;
      const done = { n: 0 };
      const c = s.channel();
      worker(done);
      s.tasklet(function* () {
        yield* s.run();
        done.n++;
        yield* c.send(undefined);
      }).setup();
      expect(sync(c.receive())).toBe(undefined);
      expect(done.n).toBe(2);
      sync(s.run());
    });

    it('S11: main calls run() to start a tasklet that also calls run() (test_run_from_worker_main_running, test_inner_run_completes_first)', () => {
      const s = ctx.s;
      const done = { n: 0 };
      const seen: unknown[] = [];
      worker(done);
      s.tasklet(function* () {
        yield* s.run();
        seen.push(done.n, s.main.paused);
        done.n++;
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(seen).toEqual([1, true]);
      expect(done.n).toBe(2);
    });

    it('S10.2: an unhandled error goes to the inner watchdog (test_inner_run_gets_error)', () => {
      const s = ctx.s;
      const done = { n: 0 };
      const seen: string[] = [];
      worker(done);
      s.tasklet(function* () {
        s.tasklet(function* () {
          throw new TestError('foo');
        }).setup();
        try {
          yield* s.run();
        } catch (e) {
          seen.push((e as Error).message);
        }
        done.n++;
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(seen).toEqual(['foo']);
      expect(done.n).toBe(2);
    });

    it('S11: main woken manually wakes the inner watchdogs, which are appended (test_manual_wakeup)', () => {
      const s = ctx.s;
      const done = { n: 0 };
      worker(done);
      s.tasklet(function* () {
        s.tasklet(function* () {
          yield* s.main.run();
          done.n++;
        }).setup();
        yield* s.run();
        done.n++;
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(done.n).toBe(1);
      expect(s.runcount).toBe(3);
      expect(sync(s.run())).toBe(null);
      expect(done.n).toBe(3);
    });

    it('S9/S11: main running while a tasklet waits in run(): main’s run() gives null at once (test_main_exiting)', () => {
      const s = ctx.s;
      const done = { n: 0 };
      worker(done);
      const t = s.tasklet(function* () {
        yield* s.run();
        done.n++;
      }).setup();
      while (done.n === 0) sync(s.schedule());
      expect(sync(s.run())).toBe(null);
      expect(sync(s.run())).toBe(null);
      sync(s.schedule());
      expect(done.n).toBe(1);
      expect([t.alive, t.paused]).toEqual([true, true]);
      sync(t.kill());
      expect(t.alive).toBe(false);
      expect(done.n).toBe(1);
    });

    for (const soft of [false, true]) {
      it(`P4/P5: the tasklet running the preempting run() is the one awoken (test_watchdog_on_tasklet, soft=${String(soft)})`, () => {
        const s = ctx.s;
        const log: string[] = [];
        const task = function* () {
          for (;;) {
            yield* s.tick();
            yield* s.schedule();
          }
        };
        const t1 = s.tasklet(task).setup();
        const t2 = s.tasklet(task).setup();
        s.tasklet(function* () {
          const victim = yield* s.run({ timeout: 2, soft, totaltimeout: true });
          log.push(`interrupted ${String(victim === null ? 'null' : victim === t2 ? 't2' : String(victim))}`);
          log.push(`runcount ${s.runcount}`);
          yield* t1.kill();
          yield* t2.kill();
        }).setup();
        expect(sync(s.run())).toBe(null);
        // Hard: t2's tick spends the budget and t2 is taken out. Soft: t2's next schedule() hands over instead.
        expect(log).toEqual(soft ? ['interrupted null', 'runcount 3'] : ['interrupted t2', 'runcount 2']);
        expect([t1.alive, t2.alive]).toEqual([false, false]);
      });
    }
  });

  describe('C12/T21: deadlocks seen by the watchdog (stackless-testsuite TestDeadlock)', () => {
    it("T21/C12: a tasklet's deadlock error is transferred to a blocked main (test_tasklet_and_main_receive)", () => {
      const s = ctx.s;
      const mc = s.channel();
      s.tasklet(function* () {
        yield* s.channel().receive();
      }).setup();
      expect(() => sync(mc.receive())).toThrow('Deadlock');
      expect([mc.balance, s.runcount]).toEqual([0, 1]);
    });

    it('T21: a tasklet error reaches main blocked on a channel (test_main_gets_exception)', () => {
      const s = ctx.s;
      s.tasklet(() => {
        throw new TestError('mumbai');
      }).setup();
      expect(() => sync(s.channel().receive())).toThrow('mumbai');
    });

    it('C12: a tasklet gets the deadlock error while main waits on another channel (test_tasklet_deadlock)', () => {
      const s = ctx.s;
      const mc = s.channel();
      const seen: string[] = [];
      s.tasklet(function* () {
        try {
          yield* s.channel().receive();
        } catch (e) {
          seen.push((e as Error).message);
        }
        yield* mc.send(undefined);
      }).setup();
      sync(mc.receive());
      expect(seen.length).toBe(1);
      expect(seen[0]).toContain('Deadlock');
      sync(s.run());
    });
  });
}
