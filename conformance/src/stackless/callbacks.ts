/**
 * The schedule callback, the channel callback and the error handler: S16, S17, S18, S19, S20, S21 (argument
 * refusals of S16 are in misuse.ts).
 *
 * Ported behaviours: Stackless' test_sched_cb (a callback seeing (prev, next) for each switch, the dying tasklet
 * as prev, a throwing callback reported but not stopping the switch, no recursion into the scheduler from the
 * callback), test_chan_cb (callback arguments (channel, tasklet, sending, willblock) for send and receive,
 * blocking and not), test_exception and test_miscell (the error handler seeing tasklet errors).
 * Skipped: the C-level `PyStackless_SetScheduleFastcallback`, tracing of `sys.settrace` through callbacks.
 */
import { describe, expect, it, vi } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import { StacklessError } from 'greenstackless';
import { TestError, snapshot, type SuiteContext } from './harness.js';

export function callbackTests(ctx: SuiteContext): void {
  describe('S16: installing callbacks', () => {
    it('S16: each setter returns the previous function or null; the getter returns the current one', () => {
      const s = ctx.s;
      const pairs: Array<[(f: any) => unknown, () => unknown]> = [
        [(f) => s.setScheduleCallback(f), () => s.getScheduleCallback()],
        [(f) => s.setChannelCallback(f), () => s.getChannelCallback()],
        [(f) => s.setErrorHandler(f), () => s.getErrorHandler()],
      ];
      for (const [set, get] of pairs) {
        const f1 = () => {};
        const f2 = () => {};
        expect(get()).toBe(null);
        expect(set(f1)).toBe(null);
        expect(get()).toBe(f1);
        expect(set(f2)).toBe(f1);
        expect(set(null)).toBe(f2);
        expect(get()).toBe(null);
        set(f1);
        expect(set(undefined)).toBe(f1);
        expect(get()).toBe(null);
      }
    });
  });

  describe('S17/S18: the schedule callback', () => {
    it('S17: called once per switch as (prev, next); a dying tasklet is prev, still alive', () => {
      const s = ctx.s;
      const calls: string[] = [];
      const t = s.tasklet(function* () {
        yield* s.schedule();
      }).setup();
      const u = s.tasklet(function* () {}).setup();
      const label = (x: Tasklet) => (x === s.main ? 'main' : x === t ? 't' : x === u ? 'u' : String(x));
      s.setScheduleCallback((prev: Tasklet, next: Tasklet) => {
        calls.push(`${label(prev)}->${label(next)} alive=${String(prev.alive)}`);
      });
      sync(s.run());
      expect(calls).toEqual(['main->t alive=true', 't->u alive=true', 'u->t alive=true', 't->main alive=true']);
      expect([t.alive, u.alive]).toEqual([false, false]);
    });

    it('S17: during the call, current is still prev, and next has not run yet', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('t runs');
      }).setup();
      s.setScheduleCallback((prev, next) => {
        seen.push([prev === s.current, s.getcurrent() === prev, next === t ? 't' : String(next), log.length]);
      });
      sync(s.schedule());
      expect(seen).toEqual([
        [true, true, 't', 0],
        [true, true, String(s.main), 1],
      ]);
    });

    it('S17: not called when nothing switches', () => {
      const s = ctx.s;
      const calls: unknown[] = [];
      s.setScheduleCallback((prev, next) => calls.push([prev, next]));
      const ch = s.channel();
      sync(s.schedule());
      sync(s.run());
      sync(s.tick());
      sync(s.main.switch());
      s.tasklet(function* () {}).setup().remove();
      expect(() => sync(ch.receive())).toThrow(s.DeadlockError);
      expect(calls).toEqual([]);
    });

    it('S17: a tasklet killed before its first run: (caller, t) then (t, next)', () => {
      const s = ctx.s;
      const calls: string[] = [];
      const t = s.tasklet(function* () {}).setup();
      const label = (x: Tasklet) => (x === s.main ? 'main' : x === t ? 't' : String(x));
      s.setScheduleCallback((prev, next) => calls.push(`${label(prev)}->${label(next)}`));
      sync(t.kill());
      expect(calls).toEqual(['main->t', 't->main']);
    });

    it('S17: switches of channel actions, t.run(), t.switch() and run() are each reported once', () => {
      const s = ctx.s;
      const ch = s.channel();
      const calls: string[] = [];
      let a: Tasklet | undefined;
      const label = (x: Tasklet) => (x === s.main ? 'main' : x === a ? 'a' : String(x));
      a = s.tasklet(function* () {
        yield* ch.receive(); // blocks: a -> main
        yield* s.main.switch(); // a -> main, a paused
      }).setup();
      s.setScheduleCallback((prev, next) => calls.push(`${label(prev)}->${label(next)}`));
      sync(s.schedule()); // main -> a, then a blocks: a -> main
      sync(ch.send('x')); // partner at once: main -> a; a switches back: a -> main
      sync(a.run()); // main -> a; a ends: a -> main
      expect(calls).toEqual(['main->a', 'a->main', 'main->a', 'a->main', 'main->a', 'a->main']);
      expect(a.alive).toBe(false);
    });

    it('S18: a throwing schedule callback is reported by a warning and the switch goes on', () => {
      const s = ctx.s;
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        const log: string[] = [];
        s.tasklet(function* () {
          log.push('t ran');
        }).setup();
        s.setScheduleCallback(() => {
          throw new TestError('callback broke');
        });
        expect(sync(s.run())).toBe(null);
        expect(log).toEqual(['t ran']);
        const texts = warn.mock.calls.map((c) => String(c[0] instanceof Error ? c[0].message : c[0]));
        expect(texts.length).toBe(2);
        for (const text of texts) {
          expect(text).toContain('Error in scheduling callback');
          expect(text).toContain('callback broke');
        }
      } finally {
        warn.mockRestore();
      }
    });
  });

  describe('S19: the channel callback', () => {
    it('S19: called as (channel, tasklet, sending, willblock) before each action', () => {
      const s = ctx.s;
      const ch = s.channel();
      const calls: string[] = [];
      let t: Tasklet | undefined;
      const label = (x: Tasklet) => (x === s.main ? 'main' : x === t ? 't' : String(x));
      t = s.tasklet(function* () {
        yield* ch.receive();
        yield* ch.receive();
      }).setup();
      s.setChannelCallback((c, who, sending, willblock) => {
        calls.push(`${c === ch ? 'ch' : String(c)} ${label(who)} ${sending ? 'send' : 'recv'} ${willblock ? 'blocks' : 'meets'} tempval=${String(who.tempval)}`);
      });
      sync(s.schedule()); // t receives and blocks
      sync(ch.send('v1')); // main meets t; t receives again and blocks
      sync(ch.send('v2'));
      expect(calls).toEqual([
        'ch t recv blocks tempval=undefined',
        'ch main send meets tempval=v1',
        'ch t recv blocks tempval=undefined',
        'ch main send meets tempval=v2',
      ]);
      sync(s.run());
    });

    it('S19: each item of sendSequence and each step of an iteration calls it', () => {
      const s = ctx.s;
      const ch = s.channel<number>();
      const calls: string[] = [];
      const t = s.tasklet(function* () {
        yield* ch.sendSequence([1, 2]);
      }).setup();
      sync(s.schedule()); // t blocks sending 1, before the callback is installed
      s.setChannelCallback((_c, who, sending, willblock) =>
        calls.push(`${who === t ? 't' : 'main'} ${sending ? 'send' : 'recv'} ${willblock ? 'blocks' : 'meets'}`),
      );
      ch.close();
      expect(Array.from(ch)).toEqual([1]); // one step receives, the next sees closing with balance 0
      ch.open();
      expect(sync(ch.receive())).toBe(2); // main blocks; t's second item meets it
      sync(s.run());
      expect(calls).toEqual(['main recv meets', 'main recv blocks', 't send meets']);
      expect([ch.balance, t.alive]).toEqual([0, false]);
    });

    it('S19: if the callback throws, tempval is restored, nothing happens, the error comes out of the op', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.receive();
      }).setup();
      sync(s.schedule());
      s.main.tempval = 'before';
      s.setChannelCallback(() => {
        throw new TestError('channel callback broke');
      });
      expect(() => sync(ch.send('v'))).toThrow('channel callback broke');
      expect([s.main.tempval, ch.balance, t.blocked]).toEqual(['before', -1, true]);
      s.setChannelCallback(null);
      s.main.tempval = undefined;
      sync(t.kill());
    });

    it('S19: for an exception the caller’s tempval holds a carrier during the callback, and is restored if it throws', () => {
      const s = ctx.s;
      const ch = s.channel();
      const err = new TestError('carried');
      const seen: unknown[] = [];
      s.tasklet(function* () {
        yield* ch.receive();
      }).setup();
      sync(s.schedule());
      s.main.tempval = 'before';
      s.setChannelCallback((_c, who, sending) => {
        seen.push(sending, who.tempval === err, who.tempval === undefined, who.tempval === 'before');
        throw new TestError('refuse');
      });
      expect(() => sync(ch.sendThrow(err))).toThrow('refuse');
      s.setChannelCallback(null);
      expect(seen).toEqual([true, false, false, false]);
      expect([s.main.tempval, ch.balance]).toEqual(['before', -1]);
      s.main.tempval = undefined;
      sync(ch.send('done'));
    });
  });
  describe('S20: no scheduling from callbacks', () => {
    it('S20: in the schedule callback, ops and insert/remove/bind/setup throw "Recursive scheduler call due to callbacks!"', () => {
      const s = ctx.s;
      const results: string[] = [];
      const other = s.tasklet(function* () {}, []);
      const bystander = s.tasklet(function* () {}).setup();
      const fn = function* () {};
      const attempts: Array<[string, () => unknown]> = [
        ['schedule', () => sync(s.schedule())],
        ['run', () => sync(s.run())],
        ['insert', () => other.insert()],
        ['remove', () => bystander.remove()],
        ['bind', () => other.bind(fn)],
        ['setup', () => s.tasklet(fn).setup()],
      ];
      let done = false;
      const snaps: unknown[] = [];
      let t: Tasklet | undefined;
      s.setScheduleCallback((prev) => {
        if (done) return;
        done = true;
        snaps.push(snapshot(s, [other, bystander, t!]));
        for (const [name, attempt] of attempts) {
          try {
            attempt();
            results.push(`${name} allowed`);
          } catch (e) {
            results.push(`${name} ${e instanceof StacklessError ? 'refused' : 'other'}: ${(e as Error).message}`);
          }
        }
        snaps.push(snapshot(s, [other, bystander, t!]));
        const old = prev.tempval;
        prev.tempval = 'written in the callback'; // writing tempval is allowed
        results.push(String(prev.tempval));
        prev.tempval = old;
      });
      t = s.tasklet(function* () {}).setup();
      sync(s.run());
      expect(snaps[1]).toEqual(snaps[0]);
      expect(results.pop()).toBe('written in the callback');
      expect([t.alive, bystander.alive]).toEqual([false, false]);
      expect(results.length).toBe(attempts.length);
      for (const r of results) {
        expect(r).toContain('refused');
        expect(r).toContain('Recursive scheduler call due to callbacks!');
      }
      expect([other.alive, other.paused, other.scheduled]).toEqual([true, true, false]);
      sync(other.kill());
    });

    it('S20: in the channel callback, ops throw "Recursive channel call due to callbacks!"', () => {
      const s = ctx.s;
      const ch = s.channel();
      const results: string[] = [];
      s.tasklet(function* () {
        yield* ch.send('v');
      }).setup();
      sync(s.schedule());
      const snaps: unknown[] = [];
      s.setChannelCallback(() => {
        snaps.push(snapshot(s, [], [ch]));
        for (const attempt of [() => sync(s.schedule()), () => sync(ch.receive()), () => s.tasklet(() => undefined).setup()]) {
          try {
            attempt();
            results.push('allowed');
          } catch (e) {
            results.push((e as Error).message);
          }
        }
        snaps.push(snapshot(s, [], [ch]));
      });
      expect(sync(ch.receive())).toBe('v');
      s.setChannelCallback(null);
      expect(snaps[1]).toEqual(snaps[0]);
      expect(results.length).toBe(3);
      for (const r of results) expect(r).toContain('Recursive channel call due to callbacks!');
      sync(s.run());
    });
  });

  describe('S21: the error handler', () => {
    it('S21: called as (error, tasklet) while the dying tasklet is current; returning drops the error', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      const err = new TestError('handled');
      const log: string[] = [];
      const t = s.tasklet(function* () {
        throw err;
      }).setup();
      s.tasklet(function* () {
        log.push('next tasklet runs');
      }).setup();
      s.setErrorHandler((error, tasklet) => {
        seen.push(error === err, tasklet === t, s.current === t, t.alive);
      });
      expect(sync(s.run())).toBe(null);
      expect(seen).toEqual([true, true, true, true]);
      expect(log).toEqual(['next tasklet runs']);
      expect(t.alive).toBe(false);
    });

    it('S21: a TaskletExit does not reach the handler; an error thrown in before the start does', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      s.setErrorHandler((error) => seen.push(error));
      s.tasklet(function* () {
        throw new s.TaskletExit();
      }).setup();
      sync(s.run());
      expect(seen).toEqual([]);
      const err = new TestError('before start');
      const t = s.tasklet(function* () {}).setup();
      s.setErrorHandler((error, tasklet) => seen.push(error, tasklet === t, s.current === t));
      expect(sync(t.throw(err))).toBe(undefined);
      expect(seen).toEqual([err, true, true]);
      expect(t.alive).toBe(false);
    });

    it('S21: a pending throw reaches the handler only once it fires', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      s.setErrorHandler((error) => seen.push(error));
      const err = new TestError('pending');
      const t = s.tasklet(function* () {}).setup();
      sync(t.throw(err, { pending: true }));
      expect(seen).toEqual([]);
      sync(s.run());
      expect(seen).toEqual([err]);
    });

    it('S21/C13: a dropped error ends the tasklet normally; with main blocked and the ring empty, main gets the deadlock error', () => {
      const s = ctx.s;
      const ch = s.channel();
      const handled: unknown[] = [];
      s.setErrorHandler((error) => handled.push(error));
      const err = new TestError('dropped');
      s.tasklet(() => {
        throw err;
      }).setup();
      expect(() => sync(ch.receive())).toThrow('the main tasklet is receiving without a sender available.');
      expect(handled).toEqual([err]);
      expect(ch.balance).toBe(0);
    });

    it("S21: if the handler throws, its error replaces the original and goes to W", () => {
      const s = ctx.s;
      const replacement = new TestError('from handler');
      s.setErrorHandler(() => {
        throw replacement;
      });
      s.tasklet(function* () {
        throw new TestError('original');
      }).setup();
      expect(() => sync(s.run())).toThrow(replacement);
    });

    it('S21: ops run inside the handler throw "Recursive scheduler call due to callbacks!"', () => {
      const s = ctx.s;
      const messages: string[] = [];
      const snaps: unknown[] = [];
      s.setErrorHandler(() => {
        snaps.push(snapshot(s));
        try {
          sync(s.schedule());
          messages.push('allowed');
        } catch (e) {
          messages.push((e as Error).message);
        }
        snaps.push(snapshot(s));
      });
      s.tasklet(function* () {
        throw new TestError('x');
      }).setup();
      s.tasklet(function* () {}).setup();
      expect(sync(s.run())).toBe(null);
      expect(messages.length).toBe(1);
      expect(messages[0]).toContain('Recursive scheduler call due to callbacks!');
      expect(snaps[1]).toEqual(snaps[0]);
    });
  });

  describe('S16/S17/S18: Stackless test_sched_cb and test_defects ports', () => {
    it('S16/S17: a replaced or removed callback gets no more calls (test1)', () => {
      const s = ctx.s;
      const counts = [0, 0];
      const spawn = (n: number, v: number) => {
        for (let i = 0; i < n; i++) {
          s.tasklet(function* () {
            for (let j = 0; j < v; j++) yield* s.schedule();
          }).setup();
        }
      };
      s.setScheduleCallback(() => counts[0]!++);
      spawn(2, 3);
      expect(counts[0]).toBe(0);
      sync(s.run());
      const c1 = counts[0]!;
      expect(c1).toBeGreaterThanOrEqual(6);
      s.setScheduleCallback(() => counts[1]!++);
      spawn(2, 5);
      sync(s.run());
      const c2 = counts[1]!;
      expect(c2).toBeGreaterThanOrEqual(10);
      expect(c2).toBeGreaterThan(c1);
      expect(counts[0]).toBe(c1);
      s.setScheduleCallback(null);
      spawn(2, 7);
      sync(s.run());
      expect(counts).toEqual([c1, c2]);
    });

    it('S18: a callback that throws when next is main does not break run() (TestExceptionInScheduleCallback)', () => {
      const s = ctx.s;
      const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      try {
        s.setScheduleCallback((_prev, next) => {
          if (next.isMain) throw new TestError('scheduleCallback');
        });
        const t = s.tasklet(() => undefined).setup();
        expect(sync(s.run())).toBe(null);
        expect(t.alive).toBe(false);
        expect(warn).toHaveBeenCalledTimes(1);
        const arg = warn.mock.calls[0]![0];
        expect(String(arg instanceof Error ? arg.message : arg)).toContain('scheduleCallback');
      } finally {
        warn.mockRestore();
      }
    });

    it('S21: the handler is installed while the tasklet runs; a broken handler replaces the error (test_handler, test_broken_handler)', () => {
      const s = ctx.s;
      const handler = () => {};
      const seen: unknown[] = [];
      s.setErrorHandler(handler);
      s.tasklet(function* () {
        seen.push(s.getErrorHandler() === handler);
        throw new TestError('I am broken');
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(seen).toEqual([true]);
      s.setErrorHandler(() => {
        throw new TestError('we are the mods');
      });
      s.tasklet(() => {
        throw new TestError('I am broken');
      }).setup();
      expect(() => sync(s.run())).toThrow('mods');
    });
  });
}
