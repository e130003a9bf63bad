/**
 * Soft and hard switching as tasklets see it: H2–H9 inside tasklet bodies, and S5's handling of refused
 * transfers (H6, H7) at the Stackless level, C12's wake of W included.
 *
 * Ported behaviours: Stackless' test_defects and test_miscell (kill of a tasklet suspended in nested frames runs
 * the inner finally blocks first; a tasklet function may be any callable; hard switching from nested C calls),
 * stackless-testsuite test_functionality (tasklets of plain callables).
 * Skipped: soft/hard switching flags of C Stackless (`enable_softswitch`), `cstate` and recursion depth,
 * pickling of frames (M7).
 */
import { describe, expect, it } from 'vitest';
import { GreenletError, sync } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import { TestError, names, ring, snapshot, type SuiteContext } from './harness.js';

export function hardSoftTests(ctx: SuiteContext): void {
  describe('H2–H9 in tasklet bodies', () => {
    it('H3: a kill reaches the innermost nested frame first; finally blocks run inside out', () => {
      const s = ctx.s;
      const log: string[] = [];
      function* child(): Generator<unknown, void, unknown> {
        try {
          log.push('child suspends');
          yield* s.schedule();
        } finally {
          log.push('child finally');
        }
      }
      const t = s.tasklet(function* (): Generator<unknown, void, unknown> {
        try {
          yield child();
          log.push('not here');
        } finally {
          log.push('outer finally');
        }
      }).setup();
      sync(s.schedule());
      sync(t.kill());
      expect(log).toEqual(['child suspends', 'child finally', 'outer finally']);
    });

    it('H4: yielding a value that is no op throws TypeError into the body at that yield; nothing switches', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* (): Generator<unknown, void, unknown> {
        for (const bad of [42, undefined, Promise.resolve(1), [1, 2]]) {
          try {
            yield bad;
            log.push('accepted');
          } catch (e) {
            log.push(e instanceof TypeError ? 'TypeError' : String(e));
          }
        }
      }).setup();
      s.tasklet(function* () {
        log.push('x');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['TypeError', 'TypeError', 'TypeError', 'TypeError', 'x']);
    });

    it('H9: a plain body that returns an op runs it as the rest of the body', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(() => ch.receive()).setup();
      sync(s.schedule());
      expect([t.blocked, ch.balance]).toEqual([true, -1]);
      sync(ch.send('v'));
      expect([t.alive, ch.balance]).toEqual([false, 0]);
    });

    it('H9: a plain body that returns a generator object runs it as a nested frame', () => {
      const s = ctx.s;
      const ch = s.channel<string>();
      const log: string[] = [];
      function* child(tag: string) {
        log.push(`${tag} got ${yield* ch.receive()}`);
      }
      s.tasklet((tag: string) => child(tag)).setup('t');
      sync(s.schedule());
      sync(ch.send('v'));
      expect(log).toEqual(['t got v']);
    });

    it('H5: sync() inside a tasklet body is a hard switch; other tasklets run inside it', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        log.push('t before');
        log.push(`t got ${String(sync(s.schedule('hard')))}`);
      }).setup();
      s.tasklet(function* () {
        log.push('x');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['t before', 'x', 't got hard']);
    });

    it('H8: an op forgotten at the end of a body replaces its result; the error reaches W', () => {
      const s = ctx.s;
      s.tasklet(function* () {
        s.schedule('forgotten');
        return 'result';
      }).setup();
      let caught: unknown;
      try {
        sync(s.run());
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(GreenletError);
      expect((caught as Error).message).toMatch(/schedule/);
      expect((caught as Error).message).toMatch(/never run/);
    });
  });

  describe('S5: refused transfers', () => {
    it('H6/S5: a switch to a tasklet suspended in an outer sync throws GreenletError and changes nothing', () => {
      const s = ctx.s;
      const log: string[] = [];
      const snaps: unknown[] = [];
      let t: Tasklet | undefined;
      const u: Tasklet = s.tasklet(function* () {
        snaps.push(snapshot(s, [t!, u]));
        try {
          yield* s.main.switch();
          log.push('switched');
        } catch (e) {
          log.push(e instanceof GreenletError ? 'refused' : `other ${String(e)}`);
        }
        snaps.push(snapshot(s, [t!, u]));
      }, []);
      t = s.tasklet(() => {
        log.push('t before');
        sync(u.run()); // t is suspended in the innermost sync; main in an outer one
        log.push('t after');
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['t before', 'refused', 't after']);
      expect(snaps[1]).toEqual(snaps[0]);
    });

    it('H6/S5: waking W (C12) behind an inner sync is refused: the op throws GreenletError, nothing changes', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      const t = s.tasklet(() => {
        // t is the last runnable tasklet; W (main, in run()) is suspended in an outer sync.
        try {
          sync(ch.receive());
          log.push('received');
        } catch (e) {
          log.push(e instanceof GreenletError ? 'refused' : `other ${String(e)}`);
        }
        log.push(`balance ${ch.balance}, t runnable ${String(s.current === t && t.scheduled && !t.blocked)}`);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['refused', 'balance 0, t runnable true']);
    });

    for (const action of ['receive', 'send', 'scheduleRemove', 'switch'] as const) {
      it(`H6/S5: a ${action} yielded by a body whose switch is refused throws GreenletError there and changes nothing`, () => {
        const s = ctx.s;
        const ch = s.channel();
        const log: string[] = [];
        // t leaves the ring inside an inner sync; then u is the last runnable tasklet, and its action would
        // resume W (main), which is suspended in the outer sync.
        const t = s.tasklet(() => {
          sync(s.scheduleRemove());
          log.push('t back');
        }).setup();
        const u: Tasklet = s.tasklet(function* () {
          u.tempval = 'kept';
          try {
            yield action === 'receive' ? ch.receive() : action === 'send' ? ch.send('x') :
              action === 'scheduleRemove' ? s.scheduleRemove('r') : s.main.switch();
            log.push('done');
          } catch (e) {
            log.push(e instanceof GreenletError ? 'refused' : `other ${String(e)}`);
          }
          log.push(`tempval ${String(u.tempval)}, balance ${ch.balance}, runcount ${s.runcount}, ` +
            `u current ${String(s.current === u && u.scheduled && !u.blocked)}`);
          yield t.switch();
          log.push('u resumed');
        }).setup();
        expect(sync(s.run())).toBe(null);
        expect(log).toEqual(['refused', 'tempval kept, balance 0, runcount 1, u current true', 't back']);
        expect([u.alive, u.paused, ch.balance]).toEqual([true, true, 0]);
        sync(u.kill());
        expect(log).toEqual(['refused', 'tempval kept, balance 0, runcount 1, u current true', 't back']);
      });
    }

    it('H7/S5: a tasklet error whose W is behind an inner sync goes, as GreenletError, to the tasklet that called that sync', () => {
      const s = ctx.s;
      const log: string[] = [];
      const err = new TestError('undeliverable');
      let cause: unknown;
      const u = s.tasklet(function* () {
        throw err;
      }, []);
      const calls: string[] = [];
      let t: Tasklet | undefined;
      const label = (x: Tasklet) => (x === s.main ? 'main' : x === t ? 't' : x === u ? 'u' : String(x));
      t = s.tasklet(() => {
        s.setScheduleCallback((prev, next) => calls.push(`${label(prev)}->${label(next)}`));
        try {
          sync(u.run());
          log.push('no error');
        } catch (e) {
          log.push(e instanceof GreenletError ? 'GreenletError' : `other ${String(e)}`);
          cause = (e as Error).cause;
        }
        s.setScheduleCallback(null);
        log.push(`t current ${String(s.current === t)}, u alive ${String(u.alive)}`);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(log).toEqual(['GreenletError', 't current true, u alive false']);
      expect(cause).toBe(err);
      expect(calls).toEqual(['t->u', 'u->t']);
    });
  });

  describe('C12 and P4 with the watchdog stack', () => {
    it('C12: W paused by scheduleRemove resumes in place when the last runnable tasklet blocks', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.receive();
      }).setup();
      expect(sync(s.scheduleRemove('m'))).toBe('m');
      expect([t.blocked, ch.balance, s.runcount]).toEqual([true, -1, 1]);
      sync(ch.send(undefined));
      expect(t.alive).toBe(false);
    });

    it('P4/S11: a hard interrupt resumes the preempting run() caller; inner run() callers are appended', () => {
      const s = ctx.s;
      const log: unknown[] = [];
      const calls: string[] = [];
      let u: Tasklet | undefined;
      const t = s.tasklet(function* () {
        u = s.tasklet(function* () {
          for (;;) {
            log.push('u tick');
            yield* s.tick();
          }
        }).setup();
        log.push(`t run gives ${String(yield* s.run())}`);
      }).setup();
      const label = (x: Tasklet) => (x === s.main ? 'main' : x === t ? 't' : x === u ? 'u' : String(x));
      s.setScheduleCallback((prev, next) => calls.push(`${label(prev)}->${label(next)}`));
      expect(sync(s.run({ timeout: 2 }))).toBe(u);
      s.setScheduleCallback(null);
      expect(log).toEqual(['u tick', 'u tick']);
      expect(calls).toEqual(['main->t', 't->u', 'u->main']);
      expect(ring(s)).toEqual(names(s.main, t));
      expect([u!.alive, u!.paused]).toEqual([true, true]);
      sync(s.run());
      expect(log).toEqual(['u tick', 'u tick', 't run gives null']);
      sync(u!.kill());
    });
  });

  describe('H10: bounded stack', () => {
    it('H10: a value passed along a chain of 20000 tasklets over channels uses bounded stack', () => {
      const s = ctx.s;
      const n = 20000;
      const channels = Array.from({ length: n + 1 }, () => s.channel<number>());
      for (let i = 0; i < n; i++) {
        const from = channels[i]!;
        const to = channels[i + 1]!;
        s.tasklet(function* () {
          const v = yield* from.receive();
          yield* to.send(v + 1);
        }).setup();
      }
      sync(s.schedule()); // every tasklet blocks on its receive
      expect(s.runcount).toBe(1);
      sync(channels[0]!.send(0));
      expect(sync(channels[n]!.receive())).toBe(n);
      sync(s.run());
      expect(s.runcount).toBe(1);
    });

    it('H10: 20000 paused tasklets whose finally blocks each kill the next one use bounded stack', () => {
      const s = ctx.s;
      const n = 20000;
      const tasklets: Tasklet[] = [];
      const order: number[] = [];
      for (let i = 0; i < n; i++) {
        tasklets.push(
          s.tasklet(function* (k: number) {
            try {
              yield* s.scheduleRemove();
            } finally {
              order.push(k);
              if (k + 1 < n) yield* tasklets[k + 1]!.kill();
            }
          }).setup(i),
        );
      }
      expect(sync(s.run())).toBe(null); // each pauses itself; the last one wakes main (C12)
      expect(tasklets.every((t) => t.paused)).toBe(true);
      sync(tasklets[0]!.kill());
      expect(order.length).toBe(n);
      expect(order[0]).toBe(0);
      expect(order[n - 1]).toBe(n - 1);
      expect(tasklets.some((t) => t.alive)).toBe(false);
      expect(s.runcount).toBe(1);
    });
  });
}
