/**
 * Preemption: run({timeout, soft, totaltimeout}) and tick(): P1, P3, P4, P5, P6 (P2's refusals are in
 * misuse.ts).
 *
 * Ported behaviours: Stackless' test_watchdog (run(timeout) returning the interrupted tasklet, soft interrupts
 * at the next switch, totaltimeout, atomic tasklets not interrupted, running the queue again carries on),
 * stackless-testsuite v3_1/test_watchdog. Stackless counts bytecode instructions; here only tick() counts (P1),
 * so the tests tick explicitly.
 * Skipped: interrupts counted in bytecodes and `sys.setcheckinterval`, the `threadblock` and
 * `ignore_nesting` options (M7).
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { names, ring, type SuiteContext } from './harness.js';

export function preemptionTests(ctx: SuiteContext): void {
  describe('P1: tick without preemption', () => {
    it('P1: tick() does nothing and gives undefined when no preemption is installed', () => {
      const s = ctx.s;
      const switches: string[] = [];
      const log: string[] = [];
      s.tasklet(function* () {
        log.push('other');
      }).setup();
      s.setScheduleCallback((prev, next) => switches.push(`${String(prev)}->${String(next)}`));
      for (let i = 0; i < 5; i++) expect(sync(s.tick())).toBe(undefined);
      expect(switches).toEqual([]);
      expect(log).toEqual([]);
      s.setScheduleCallback(null);
      sync(s.run());
      expect(log).toEqual(['other']);
    });

    it('P1: a run() without timeout never preempts a ticking tasklet', () => {
      const s = ctx.s;
      let ticks = 0;
      s.tasklet(function* () {
        for (let i = 0; i < 1000; i++) {
          yield* s.tick();
          ticks++;
        }
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(ticks).toBe(1000);
    });
  });

  describe('P3/P4: hard preemption', () => {
    it('P4: at the tick that spends the budget, run() gives the tasklet, paused, its tempval untouched', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        s.current.tempval = 'mark';
        for (let i = 0; ; i++) {
          log.push(i);
          log.push(yield* s.tick());
        }
      }).setup();
      expect(sync(s.run({ timeout: 3 }))).toBe(t);
      expect(log).toEqual([0, undefined, 1, undefined, 2]);
      expect([t.alive, t.paused, t.scheduled, t.tempval]).toEqual([true, true, false, 'mark']);
      expect(ring(s)).toEqual(names(s.main));
      t.insert();
      expect(sync(s.run({ timeout: 3 }))).toBe(t);
      expect(log).toEqual([0, undefined, 1, undefined, 2, undefined, 3, undefined, 4, undefined, 5]);
      sync(t.kill());
      expect(t.alive).toBe(false);
    });

    it('P4: the other tasklets keep their places; run() again carries on with them', () => {
      const s = ctx.s;
      const log: string[] = [];
      const ticker = s.tasklet(function* () {
        for (;;) {
          log.push('tick');
          yield* s.tick();
        }
      }).setup();
      const u = s.tasklet(function* () {
        log.push('u');
      }).setup();
      expect(sync(s.run({ timeout: 2 }))).toBe(ticker);
      expect(log).toEqual(['tick', 'tick']);
      expect(ring(s)).toEqual(names(s.main, u));
      expect(sync(s.run({ timeout: 2 }))).toBe(null);
      expect(log).toEqual(['tick', 'tick', 'u']);
      sync(ticker.kill());
    });

    it('P3: the count goes back to 0 at every switch, so tasklets that switch often are not preempted', () => {
      const s = ctx.s;
      const log: string[] = [];
      for (const tag of ['a', 'b']) {
        s.tasklet(function* () {
          for (let i = 0; i < 3; i++) {
            log.push(`${tag}${i}`);
            yield* s.tick();
            yield* s.schedule();
          }
        }).setup();
      }
      expect(sync(s.run({ timeout: 2 }))).toBe(null);
      expect(log).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
    });

    it('P3: with totaltimeout the count only goes up, across switches', () => {
      const s = ctx.s;
      const log: string[] = [];
      const [a, b] = ['a', 'b'].map((tag) =>
        s.tasklet(function* () {
          for (let i = 0; i < 3; i++) {
            log.push(`${tag}${i}`);
            yield* s.tick();
            yield* s.schedule();
          }
        }).setup(),
      );
      expect(sync(s.run({ timeout: 2, totaltimeout: true }))).toBe(b);
      expect(log).toEqual(['a0', 'b0']);
      expect(ring(s)).toEqual(names(s.main, a!));
      sync(b!.kill());
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['a0', 'b0', 'a1', 'a2']);
    });

    it('P2: while a preempting run() is pending, the timeout of a nested run() is ignored', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        s.tasklet(function* () {
          for (let i = 0; i < 3; i++) yield* s.tick();
          log.push('inner ticker done');
        }).setup();
        log.push(`nested run gives ${String(yield* s.run({ timeout: 1 }))}`);
      }).setup();
      expect(sync(s.run({ timeout: 100 }))).toBe(null);
      expect(log).toEqual(['inner ticker done', 'nested run gives null']);
    });
  });

  describe('P5: soft preemption', () => {
    it('P5: a spent soft budget waits for the next switch; the switching op completes, main resumes', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        for (let i = 0; i < 3; i++) {
          log.push(`tick${i}`);
          yield* s.tick();
        }
        log.push('spent');
        yield* s.schedule();
        log.push('t resumed');
      }).setup();
      const x = s.tasklet(function* () {
        log.push('x');
      }).setup();
      expect(sync(s.run({ timeout: 2, soft: true }))).toBe(null);
      expect(log).toEqual(['tick0', 'tick1', 'tick2', 'spent']);
      // t's schedule() left it runnable at the tail; x, which was to run, keeps its place.
      expect(ring(s)).toEqual(names(s.main, x, t));
      sync(s.run());
      expect(log).toEqual(['tick0', 'tick1', 'tick2', 'spent', 'x', 't resumed']);
    });

    it("P5: a tasklet's end is a switch: main resumes instead of the next tasklet", () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        for (let i = 0; i < 3; i++) yield* s.tick();
        log.push('t1 done');
      }).setup();
      const t2 = s.tasklet(function* () {
        log.push('t2');
      }).setup();
      expect(sync(s.run({ timeout: 2, soft: 1 }))).toBe(null);
      expect(log).toEqual(['t1 done']);
      expect(ring(s)).toEqual(names(s.main, t2));
      sync(s.run());
      expect(log).toEqual(['t1 done', 't2']);
    });
  });

  describe('P6: no interrupt while atomic or trapped', () => {
    it('P6: an atomic tasklet is not interrupted; the spent budget is taken when atomic() clears the flag', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        yield* s.atomic(function* () {
          for (let i = 0; i < 5; i++) {
            log.push(`tick${i}`);
            yield* s.tick();
          }
          return 'r';
        });
        log.push('after atomic');
      }).setup();
      expect(sync(s.run({ timeout: 2 }))).toBe(t);
      expect(log).toEqual(['tick0', 'tick1', 'tick2', 'tick3', 'tick4']);
      expect([t.atomic, t.paused]).toEqual([false, true]);
      t.insert();
      sync(s.run());
      expect(log).toEqual(['tick0', 'tick1', 'tick2', 'tick3', 'tick4', 'after atomic']);
    });

    it('P6: with setAtomic, a spent budget is taken at the first tick after the flag is cleared', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        s.current.setAtomic(true);
        for (let i = 0; i < 3; i++) yield* s.tick();
        s.current.setAtomic(false);
        log.push('cleared');
        yield* s.tick();
        log.push('after');
      }).setup();
      expect(sync(s.run({ timeout: 2 }))).toBe(t);
      expect(log).toEqual(['cleared']);
      t.insert();
      sync(s.run());
      expect(log).toEqual(['cleared', 'after']);
    });

    it('P6: no interrupt while the switch trap is set; the first tick after it is lifted takes it', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        s.switchTrap(1);
        for (let i = 0; i < 3; i++) yield* s.tick();
        log.push(`trap was ${s.switchTrap(-1)}`);
        yield* s.tick();
        log.push('after');
      }).setup();
      expect(sync(s.run({ timeout: 2 }))).toBe(t);
      expect(log).toEqual(['trap was 1']);
      t.insert();
      sync(s.run());
      expect(log).toEqual(['trap was 1', 'after']);
    });
  });

  describe('P5/P6: soft interrupts and atomic, hard interrupts behind a sync', () => {
    it('P6: a pending soft interrupt waits for a switch by a tasklet that is not atomic', () => {
      const s = ctx.s;
      const log: string[] = [];
      const a = s.tasklet(function* () {
        s.current.setAtomic(true);
        for (let i = 0; i < 3; i++) yield* s.tick();
        log.push('a switches while atomic');
        yield* s.schedule();
        s.current.setAtomic(false);
        log.push('a switches, not atomic');
        yield* s.schedule();
        log.push('a resumed');
      }).setup();
      const b = s.tasklet(function* () {
        log.push('b');
        yield* s.schedule();
        log.push('b again');
      }).setup();
      expect(sync(s.run({ timeout: 2, soft: true, totaltimeout: true }))).toBe(null);
      // a's switch while atomic is not taken; b is not atomic, so its schedule() hands over to main (S15).
      expect(log).toEqual(['a switches while atomic', 'b']);
      expect(ring(s)).toEqual(names(s.main, a, b));
      sync(s.run());
      expect(log).toEqual(['a switches while atomic', 'b', 'a switches, not atomic', 'b again', 'a resumed']);
    });

    it('P6: a hard interrupt that would resume a run() caller behind an inner sync stays due; the next tick takes it', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        sync(
          (function* () {
            for (let i = 0; i < 3; i++) yield* s.tick();
            log.push('inner ticks done');
          })(),
        );
        log.push('after sync');
        yield* s.tick();
        log.push('resumed');
      }).setup();
      expect(sync(s.run({ timeout: 2 }))).toBe(t);
      expect(log).toEqual(['inner ticks done', 'after sync']);
      t.insert();
      sync(s.run());
      expect(log).toEqual(['inner ticks done', 'after sync', 'resumed']);
    });

    it('P4/S17: a hard interrupt is a switch the schedule callback sees; the interrupted tasklet is paused', () => {
      const s = ctx.s;
      const calls: string[] = [];
      const t = s.tasklet(function* () {
        for (;;) yield* s.tick();
      }).setup();
      s.setScheduleCallback((prev, next) => calls.push(`${prev === t ? 't' : String(prev)}->${next === t ? 't' : String(next)}`));
      expect(sync(s.run({ timeout: 1 }))).toBe(t);
      s.setScheduleCallback(null);
      expect(calls).toEqual([`${String(s.main)}->t`, `t->${String(s.main)}`]);
      sync(t.kill());
    });
  });

  describe('P4: main preempted', () => {
    it('P4: a tasklet’s preempting run() can interrupt main; main resumes as W when the ring empties', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        const victim = yield* s.run({ timeout: 2 });
        log.push(`run gives ${victim === s.main ? 'main' : String(victim)}, main paused ${String(s.main.paused)}`);
      }).setup();
      sync(s.schedule()); // t starts run(); its former next, main, resumes
      log.push('main ticks');
      expect(sync(s.tick())).toBe(undefined);
      expect(sync(s.tick())).toBe(undefined); // spends the budget: t resumes; main is paused until t ends
      log.push('main resumed');
      expect(log).toEqual(['main ticks', 'run gives main, main paused true', 'main resumed']);
      expect(s.runcount).toBe(1);
    });
  });
}
