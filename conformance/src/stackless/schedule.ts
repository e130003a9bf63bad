/**
 * schedule and scheduleRemove: S7, S8, and C12 for scheduleRemove; H1/H2 for the op forms.
 *
 * Ported behaviours: pts's stackless_test.py (Cooperative/CooperativeRemove tasklets of testStackless,
 * testTempval), Stackless' test_miscell (schedule returns its argument, schedule_remove of main with nothing
 * else runnable), stackless-testsuite test_functionality (testSig_raise_exception's schedule_remove loop).
 * Skipped: nothing of this topic depends on pickling, threads or C internals.
 */
import { describe, expect, it } from 'vitest';
import { GreenletError, sync } from '@greenstackless/greenlet';
import { names, ring, type SuiteContext } from './harness.js';

export function scheduleTests(ctx: SuiteContext): void {
  describe('S7: schedule', () => {
    it('S7: alone, schedule gives the claimed tempval at once: retval, or the current tasklet', () => {
      const s = ctx.s;
      const switches: string[] = [];
      s.setScheduleCallback((prev, next) => switches.push(`${String(prev)}->${String(next)}`));
      expect(sync(s.schedule())).toBe(s.main);
      expect(sync(s.schedule(undefined))).toBe(s.main);
      expect(sync(s.schedule('x'))).toBe('x');
      expect(sync(s.schedule(null))).toBe(null);
      expect(s.main.tempval).toBe(undefined);
      expect(switches).toEqual([]);
    });

    it('S7: the caller stays runnable at the tail and resumes after the others', () => {
      const s = ctx.s;
      const log: string[] = [];
      const a = s.tasklet(function* () {
        log.push('a');
      }).setup();
      const b = s.tasklet(function* () {
        log.push('b');
        yield* s.schedule();
        log.push('b again');
      }).setup();
      log.push('main');
      expect(sync(s.schedule('back'))).toBe('back');
      log.push('main again');
      expect(ring(s)).toEqual(names(s.main, b));
      expect(a.alive).toBe(false);
      sync(s.schedule());
      expect(log).toEqual(['main', 'a', 'b', 'main again', 'b again']);
      expect(b.alive).toBe(false);
    });

    it('S7: while suspended in schedule(x), tempval is x; a write meanwhile changes the result', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const obj = { v: 1 };
      s.tasklet(function* () {
        log.push(`main tempval ${String(s.main.tempval === obj)}`);
        s.main.tempval = 'rewritten';
      }).setup();
      log.push(sync(s.schedule(obj)));
      expect(log).toEqual(['main tempval true', 'rewritten']);
    });

    it('H2: `yield op` gives the same result as `yield* op`', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      s.tasklet(function* () {
        log.push(yield s.schedule(5));
        log.push(yield* s.schedule(6));
      }).setup();
      sync(s.run());
      expect(log).toEqual([5, 6]);
    });

    it('H3: a yielded generator object runs as a nested frame; schedule inside it switches the tasklet', () => {
      const s = ctx.s;
      const log: string[] = [];
      function* child(tag: string) {
        log.push(`${tag} child`);
        yield* s.schedule();
        return `${tag} done`;
      }
      s.tasklet(function* (): Generator<unknown, void, unknown> {
        log.push(String(yield child('a')));
      }).setup();
      s.tasklet(function* () {
        log.push('b');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['a child', 'b', 'a done']);
    });

    it('H1: an op runs once; running it again throws GreenletError', () => {
      const s = ctx.s;
      const op = s.schedule('once');
      expect(sync(op)).toBe('once');
      expect(() => sync(op)).toThrow(GreenletError);
      expect(s.runcount).toBe(1);
    });

    it('H8: ops main made and never ran are reported at main\'s next op of the instance, in its place', () => {
      const s = ctx.s;
      const ch = s.channel<string>();
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push(`got ${yield* ch.receive()}`);
      }).setup();
      ch.send('x'); // made at the top level and never run: `ch.send('x'); run();` says nothing otherwise
      let e: unknown;
      try {
        sync(s.run());
      } catch (error) {
        e = error;
      }
      expect(e).toBeInstanceOf(GreenletError);
      expect((e as Error).message).toBe(
        `the op ${String(ch)}.send() made in ${String(s.main)} was never run: run ops with yield*, yield or sync() (H8)`,
      );
      expect(log).toEqual([]); // the run() did not run, and counts as run
      expect(names(t)).toEqual(names(s.main.next!));
      expect(sync(s.run())).toBe(null); // reported once
      expect(t.blocked).toBe(true);
      sync(ch.send('y'));
      expect(log).toEqual(['got y']);
    });

    it('H8: an op made in a body and never run is reported as GreenletError at its next op', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        s.schedule('forgotten');
        try {
          yield* s.schedule();
          log.push('not reported');
        } catch (e) {
          log.push(e instanceof GreenletError ? 'GreenletError' : String(e));
          log.push((e as Error).message);
        }
      }).setup();
      sync(s.run());
      expect(log[0]).toBe('GreenletError');
      expect(log[1]).toMatch(/schedule/);
      expect(log[1]).toMatch(/never run/);
    });

    it('H8: the op named is the one left unrun, even when an older op runs after a newer one is made', () => {
      const s = ctx.s;
      const a = s.channel();
      const b = s.channel();
      const log: string[] = [];
      s.tasklet(function* () {
        const first = a.send('x'); // made first, run below
        b.send('y'); // made second, never run
        try {
          yield first;
          log.push('not reported');
        } catch (e) {
          log.push((e as Error).message);
        }
      }).setup();
      sync(s.run());
      expect(log.length).toBe(1);
      expect(log[0]).toContain(`${b}.send()`);
      expect(log[0]).not.toContain(`${a}.send()`);
      expect([a.balance, b.balance]).toEqual([0, 0]); // the reported op took the place of the send (H8)
    });

    it('H8: a forgotten op is reported once; the next op runs normally', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      s.tasklet(function* () {
        s.schedule('forgotten');
        try {
          yield* s.schedule();
        } catch (e) {
          log.push(e instanceof GreenletError);
        }
        log.push(yield* s.schedule('second'));
      }).setup();
      sync(s.run());
      expect(log).toEqual([true, 'second']);
    });
  });

  describe('S8: scheduleRemove', () => {
    it('S8: scheduleRemove pauses the caller until something inserts it (CooperativeRemove)', () => {
      const s = ctx.s;
      const log: string[] = [];
      const coop = (tag: string) =>
        function* () {
          for (;;) {
            log.push(tag);
            yield* s.schedule();
          }
        };
      const t = s.tasklet(coop('T.coop')).setup();
      const r = s.tasklet(function* () {
        for (;;) {
          log.push('R.corm');
          yield* s.scheduleRemove();
        }
      }).setup();
      const u = s.tasklet(coop('U.coop')).setup();
      expect(s.runcount).toBe(4);
      sync(s.schedule());
      expect(log.splice(0)).toEqual(['T.coop', 'R.corm', 'U.coop']);
      expect(s.runcount).toBe(3);
      expect([r.alive, r.paused]).toEqual([true, true]);
      sync(s.schedule());
      expect(log.splice(0)).toEqual(['T.coop', 'U.coop']);
      r.insert();
      sync(s.schedule());
      expect(log.splice(0)).toEqual(['T.coop', 'U.coop', 'R.corm']);
      // "This involves t.run(), so u gets run as well": kill of a scheduled tasklet runs the queue after it.
      sync(t.kill());
      expect(log.splice(0)).toEqual(['U.coop']);
      expect(s.runcount).toBe(2);
      sync(r.kill());
      expect(s.runcount).toBe(2);
      sync(r.kill());
      sync(u.kill());
      expect(s.runcount).toBe(1);
      expect(log).toEqual([]);
    });

    it('S8: scheduleRemove(x) gives x when the tasklet is resumed, unless tempval was written', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        log.push(yield* s.scheduleRemove('x'));
        log.push(yield* s.scheduleRemove('y'));
      }).setup();
      sync(s.run());
      expect(t.tempval).toBe('x');
      expect(t.paused).toBe(true);
      sync(t.run());
      expect(t.tempval).toBe('y');
      t.tempval = 'written';
      t.insert();
      sync(s.run());
      expect(log).toEqual(['x', 'written']);
      expect(t.alive).toBe(false);
    });

    it('S8/C12: main alone: scheduleRemove gives the claimed tempval at once and main stays runnable', () => {
      const s = ctx.s;
      expect(sync(s.scheduleRemove('v'))).toBe('v');
      expect(sync(s.scheduleRemove())).toBe(s.main);
      expect(s.runcount).toBe(1);
      expect([s.main.paused, s.main.scheduled]).toEqual([false, true]);
    });

    it('S8/C12: the last runnable tasklet calling scheduleRemove wakes W, whose run() gives null', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        log.push('t');
        log.push(yield* s.scheduleRemove('later'));
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect([t.alive, t.paused, t.tempval]).toEqual([true, true, 'later']);
      expect(log).toEqual(['t']);
      sync(t.switch());
      expect(log).toEqual(['t', 'later']);
      expect(t.alive).toBe(false);
    });
  });

  describe('S7/S8: Stackless test_miscell TestSchedule ports', () => {
    it('S7: a tasklet started by schedule() sees its previous tasklet scheduled (testSchedule)', () => {
      const s = ctx.s;
      const events: unknown[] = [];
      const t = s.tasklet(function* (previous: typeof s.main) {
        events.push('foo', previous.scheduled);
      }).setup(s.current);
      expect(t.scheduled).toBe(true);
      sync(s.schedule());
      expect(events).toEqual(['foo', true]);
    });

    it('S8: after scheduleRemove the caller is not scheduled until inserted again (testScheduleRemoveFail)', () => {
      const s = ctx.s;
      const events: unknown[] = [];
      s.tasklet(function* (previous: typeof s.main) {
        events.push('foo', previous.scheduled);
        previous.insert();
        events.push(previous.scheduled);
      }).setup(s.current);
      sync(s.scheduleRemove());
      expect(events).toEqual(['foo', false, true]);
    });
  });

  describe('S8/C12: Stackless test_defects Schedule ports', () => {
    it('S8: scheduleRemove of the only tasklet under the watchdog returns control to run() (testScheduleRemove)', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        yield* s.scheduleRemove();
        log.push("we shouldn't be here");
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect([t.alive, t.paused]).toEqual([true, true]);
      sync(t.kill());
      expect(log).toEqual([]);
    });

    it('C12: scheduleRemove of the last runnable tasklet with main blocked throws DeadlockError (testScheduleRemove2)', () => {
      const s = ctx.s;
      const chan = s.channel();
      const seen: string[] = [];
      s.tasklet(function* () {
        try {
          yield* s.scheduleRemove();
          seen.push('removed');
        } catch (e) {
          seen.push(e instanceof s.DeadlockError ? (e as Error).message : `other ${String(e)}`);
        }
        yield* chan.send(undefined);
      }).setup();
      sync(chan.receive());
      expect(seen.length).toBe(1);
      expect(seen[0]).toContain('Deadlock: the last runnable tasklet cannot be blocked.');
      sync(s.run());
    });

    it('S8/C12: main and a tasklet both scheduleRemove(null): main, as W, resumes in place (testScheduleRemove4)', () => {
      const s = ctx.s;
      const t = s.tasklet(function* () {
        yield* s.scheduleRemove(null);
      }).setup();
      expect(sync(s.scheduleRemove(null))).toBe(null);
      expect([t.alive, t.paused, t.tempval]).toEqual([true, true, null]);
      expect(s.runcount).toBe(1);
      sync(t.kill());
    });
  });
}
