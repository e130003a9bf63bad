/**
 * Misuse: every refusal of T2, T4, T7, T9, T16, T19, C3, C5 step 5, C7, C9, P2, S12, S16, each checked for its
 * error class, its message (N1) and that nothing changed (N2): the ring order, neighbours, flags, tempvals and
 * the channels' balances and queues. (C12 is in deadlock.ts, S13 and blockTrap in atomic.ts, S20 in
 * callbacks.ts, with the same checks.)
 *
 * Ported behaviours: stackless-testsuite v3_1/tasklet test_functionality (the RuntimeErrors of the life-cycle
 * tests), Stackless' test_miscell and test_defects (bind of the current tasklet, remove of the current tasklet,
 * run of a blocked or dead tasklet, raise_exception without arguments), test_channel (send_exception arguments,
 * closed channels, preference values), pts's stackless_test.py (testRunBlockedTasklet).
 * Skipped: errors about keyword arguments (M5), threads (M7) and the frame attributes of C Stackless.
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import { ChannelClosedError, StacklessError } from 'greenstackless';
import { TestError, expectRefused, expectThrows, type SuiteContext } from './harness.js';

export function misuseTests(ctx: SuiteContext): void {
  /** A paused (bound with arguments), a scheduled, a blocked, a new, a bound and a dead tasklet, and the channel. */
  function zoo() {
    const s = ctx.s;
    const fn = function* () {};
    const ch = s.channel();
    const blocked = s.tasklet(function* () {
      yield* ch.receive();
    }).setup();
    sync(s.schedule());
    const dead = s.tasklet(fn).setup();
    sync(s.run());
    const paused = s.tasklet(fn, []);
    const scheduled = s.tasklet(fn).setup();
    const fresh = s.tasklet();
    const bound = s.tasklet(fn);
    const all = [paused, scheduled, blocked, fresh, bound, dead];
    const cleanup = () => {
      for (const t of [paused, scheduled, blocked]) sync(t.kill());
    };
    return { fn, ch, paused, scheduled, blocked, fresh, bound, dead, all, cleanup };
  }

  describe('T2/T3/T4: bind and setup', () => {
    it('T2: a function that is not callable throws TypeError "tasklet function must be a callable or None"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const bad of [42, 'fn', {}, true]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => z.bound.bind(bad as any), TypeError, 'tasklet function must be a callable or None');
      }
      expect(z.bound.tempval).toBe(z.fn);
      z.cleanup();
    });

    it('T2: args that are not an array throw TypeError', () => {
      const s = ctx.s;
      const z = zoo();
      for (const bad of ['ab', 5, { length: 1 }]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => z.bound.bind(z.fn, bad as any), TypeError);
      }
      z.cleanup();
    });

    it('T2: step 1 comes first: a bad function on the current tasklet is a TypeError', () => {
      const s = ctx.s;
      expectRefused(s, {}, () => s.main.bind(42 as any), TypeError, 'tasklet function must be a callable or None');
    });

    it('T2: bind on the current tasklet throws "can\'t (re)bind the current tasklet"', () => {
      const s = ctx.s;
      expectRefused(s, {}, () => s.main.bind(function* () {}), StacklessError, "can't (re)bind the current tasklet");
      expectRefused(s, {}, () => s.main.bind(), StacklessError, "can't (re)bind the current tasklet");
      const messages: string[] = [];
      const t = s.tasklet(function* () {
        try {
          s.current.bind(null, []);
        } catch (e) {
          messages.push(`${e instanceof StacklessError} ${(e as Error).message}`);
        }
      }).setup();
      sync(s.run());
      expect(messages.length).toBe(1);
      expect(messages[0]).toMatch(/^true .*can't \(re\)bind the current tasklet/);
      expect(t.alive).toBe(false);
    });

    it('T2: bind on a scheduled or a blocked tasklet throws "tasklet is scheduled"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.scheduled, z.blocked]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => t.bind(z.fn), StacklessError, 'tasklet is scheduled');
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => t.bind(), StacklessError, 'tasklet is scheduled');
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => t.bind(z.fn, []), StacklessError, 'tasklet is scheduled');
      }
      z.cleanup();
    });

    it('T2: bind on a paused main throws "can\'t unbind the main tasklet"; a scheduled main is "tasklet is scheduled"', () => {
      const s = ctx.s;
      const results: string[] = [];
      const fn = function* () {};
      const attempt = () => {
        try {
          s.main.bind(fn);
          results.push('allowed');
        } catch (e) {
          results.push(`${e instanceof StacklessError} ${(e as Error).message}`);
        }
      };
      const t = s.tasklet(function* () {
        attempt(); // main is scheduled: it called t.run()
        yield* s.main.switch();
      }, []);
      const u = s.tasklet(function* () {
        attempt(); // main is paused: it called u.switch()
      }, []);
      sync(t.run());
      sync(u.switch());
      expect(results.length).toBe(2);
      expect(results[0]).toMatch(/^true .*tasklet is scheduled/);
      expect(results[1]).toMatch(/^true .*can't unbind the main tasklet/);
      expect(s.main.alive).toBe(true);
      sync(t.kill());
    });

    it('T2: bind on a tasklet waiting in run() throws "tasklet is waiting in run()"', () => {
      const s = ctx.s;
      const results: string[] = [];
      let w: Tasklet | undefined;
      w = s.tasklet(function* () {
        s.tasklet(function* () {
          const before = [w!.alive, w!.paused, w!.tempval];
          try {
            w!.bind(function* () {});
            results.push('allowed');
          } catch (e) {
            results.push(`${e instanceof StacklessError} ${(e as Error).message}`);
          }
          expect([w!.alive, w!.paused, w!.tempval]).toEqual(before);
        }).setup();
        results.push(`run gives ${String(yield* s.run())}`);
      }).setup();
      sync(s.run());
      expect(results.length).toBe(2);
      expect(results[0]).toMatch(/^true .*tasklet is waiting in run\(\)/);
      expect(results[1]).toBe('run gives null');
    });

    it('T3: bind(null, args) with no function bound throws "the tasklet was not bound to a function"', () => {
      const s = ctx.s;
      const t = s.tasklet();
      expectRefused(s, { tasklets: [t] }, () => t.bind(null, [1]), StacklessError, 'the tasklet was not bound to a function');
      expect([t.alive, t.tempval]).toEqual([false, undefined]);
    });

    it('T4: setup on an alive tasklet throws "tasklet is alive"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.paused, z.scheduled, z.blocked]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => t.setup(1), StacklessError, 'tasklet is alive');
      }
      expectRefused(s, {}, () => s.main.setup(), StacklessError, 'tasklet is alive');
      z.cleanup();
    });

    it('T4: setup with no function throws "the tasklet was not bound to a function"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.fresh, z.dead]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => t.setup(), StacklessError, 'the tasklet was not bound to a function');
      }
      z.cleanup();
    });
  });

  describe('T7: the run queue', () => {
    it('T7: insert, run and switch on a blocked tasklet throw "You cannot run a blocked tasklet" (testRunBlockedTasklet)', () => {
      const s = ctx.s;
      const z = zoo();
      for (const act of [() => z.blocked.insert(), () => sync(z.blocked.run()), () => sync(z.blocked.switch())]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, act, StacklessError, 'You cannot run a blocked tasklet');
      }
      z.cleanup();
    });

    it('T7: insert, run and switch on a tasklet that is not alive throw "You cannot run an unbound(dead) tasklet"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.fresh, z.bound, z.dead]) {
        for (const act of [() => t.insert(), () => sync(t.run()), () => sync(t.switch())]) {
          expectRefused(s, { tasklets: z.all, channels: [z.ch] }, act, StacklessError, 'You cannot run an unbound(dead) tasklet');
        }
      }
      z.cleanup();
    });

    it('T7: remove on a blocked tasklet throws "You cannot remove a blocked tasklet."', () => {
      const s = ctx.s;
      const z = zoo();
      expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => z.blocked.remove(), StacklessError, 'You cannot remove a blocked tasklet.');
      z.cleanup();
    });

    it('T7: remove on the current tasklet throws "The current tasklet cannot be removed."', () => {
      const s = ctx.s;
      const z = zoo();
      expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => s.main.remove(), StacklessError, 'The current tasklet cannot be removed.');
      const messages: string[] = [];
      const t = s.tasklet(function* () {
        try {
          s.current.remove();
        } catch (e) {
          messages.push((e as Error).message);
        }
        messages.push(`still scheduled ${String(s.current.scheduled)}`);
      }).setup();
      sync(t.run());
      expect(messages[0]).toContain('The current tasklet cannot be removed.');
      expect(messages[1]).toBe('still scheduled true');
      z.cleanup();
    });
  });

  describe('T16/T19: throw, kill and raiseException', () => {
    it('T7/T16: throw or raiseException of a non-TaskletExit to a tasklet that is not alive: "You cannot throw to a dead tasklet"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.fresh, z.bound, z.dead]) {
        const subjects = { tasklets: z.all, channels: [z.ch] };
        expectRefused(s, subjects, () => sync(t.throw(new TestError('x'))), StacklessError, 'You cannot throw to a dead tasklet');
        expectRefused(s, subjects, () => sync(t.throw(new TestError('x'), { pending: true })), StacklessError, 'You cannot throw to a dead tasklet');
        expectRefused(s, subjects, () => sync(t.raiseException(TestError, 'x')), StacklessError, 'You cannot throw to a dead tasklet');
      }
      z.cleanup();
    });

    it('T16: throw without an error throws TypeError and changes nothing', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.paused, z.scheduled, z.blocked]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync((t.throw as any)()), TypeError);
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync(t.throw(undefined, { pending: true })), TypeError);
      }
      z.cleanup();
    });

    it('T19: raiseException without arguments: TypeError "raise_exception() takes at least 1 argument"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const t of [z.paused, z.scheduled, z.blocked, s.main]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync((t.raiseException as any)()), TypeError, 'raise_exception() takes at least 1 argument');
      }
      z.cleanup();
    });

    it('T19: raiseException of a non-function: TypeError "tasklet.raise_exception needs Exception or string subclass as first parameter"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const bad of [42, 'Error', new TestError('instance')]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync(z.scheduled.raiseException(bad as any)), TypeError, 'tasklet.raise_exception needs Exception or string subclass as first parameter');
      }
      z.cleanup();
    });
  });

  describe('T9: flags', () => {
    it('T9: blockTrap of a non-boolean, non-number throws TypeError "block_trap must be set to a bool or integer"', () => {
      const s = ctx.s;
      const t = s.tasklet();
      for (const bad of ['yes', {}, null, undefined]) {
        expectThrows(() => {
          t.blockTrap = bad as any;
        }, TypeError, 'block_trap must be set to a bool or integer');
        expect(t.blockTrap).toBe(false);
      }
      t.blockTrap = true;
      expectThrows(() => {
        t.blockTrap = 'no' as any;
      }, TypeError, 'block_trap must be set to a bool or integer');
      expect(t.blockTrap).toBe(true);
    });

    it('T9: setAtomic of a non-boolean, non-number throws TypeError "set_atomic needs exactly one bool or integer"', () => {
      const s = ctx.s;
      for (const bad of ['yes', {}, null, undefined]) {
        expectRefused(s, {}, () => s.main.setAtomic(bad as any), TypeError, 'set_atomic needs exactly one bool or integer');
      }
      expect(s.main.atomic).toBe(false);
    });
  });

  describe('C3/C5/C7/C9: channels', () => {
    it('C3: a preference that is not an integer or boolean throws TypeError "preference must be set to an integer"', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.preference = 1;
      for (const bad of [2.5, Number.NaN, '1', null, {}]) {
        expectRefused(s, { channels: [ch] }, () => {
          ch.preference = bad as any;
        }, TypeError, 'preference must be set to an integer');
      }
      expect(ch.preference).toBe(1);
    });

    it('C3: a scheduleAll that is not an integer or boolean throws TypeError "preference must be set to a bool or integer"', () => {
      const s = ctx.s;
      const ch = s.channel();
      for (const bad of ['yes', 2.5, null, {}]) {
        expectRefused(s, { channels: [ch] }, () => {
          ch.scheduleAll = bad as any;
        }, TypeError, 'preference must be set to a bool or integer');
      }
      expect(ch.scheduleAll).toBe(false);
    });

    it('C5: an action that would block on a closing channel throws ChannelClosedError and changes nothing', () => {
      const s = ctx.s;
      const z = zoo();
      const ch = s.channel();
      ch.close();
      s.main.tempval = 'keep';
      const subjects = { tasklets: z.all, channels: [z.ch, ch] };
      const text = 'Send/receive operation on a closed channel';
      expectRefused(s, subjects, () => sync(ch.send(1)), ChannelClosedError, text);
      expectRefused(s, subjects, () => sync(ch.receive()), ChannelClosedError, text);
      expectRefused(s, subjects, () => sync(ch.sendThrow(new TestError('x'))), ChannelClosedError, text);
      expectRefused(s, subjects, () => sync(ch.sendException(TestError, 'x')), ChannelClosedError, text);
      s.main.tempval = undefined;
      z.cleanup();
    });

    it('C7: sendException without arguments: TypeError "send_exception() takes at least 1 argument"', () => {
      const s = ctx.s;
      const z = zoo();
      s.main.tempval = 'keep';
      expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync((z.ch.sendException as any)()), TypeError, 'send_exception() takes at least 1 argument');
      s.main.tempval = undefined;
      z.cleanup();
    });

    it('C7: sendException of a non-function: TypeError "channel.send_exception needs Exception or string subclass as first parameter"', () => {
      const s = ctx.s;
      const z = zoo();
      for (const bad of [42, 'Error', new TestError('instance')]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync(z.ch.sendException(bad as any)), TypeError, 'channel.send_exception needs Exception or string subclass as first parameter');
      }
      z.cleanup();
    });

    it('C9: sendSequence of a value that is not iterable throws TypeError before anything is sent', () => {
      const s = ctx.s;
      const z = zoo();
      for (const bad of [42, null, undefined, {}]) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync(z.ch.sendSequence(bad as any)), TypeError);
      }
      expect(z.blocked.blocked).toBe(true);
      z.cleanup();
    });
  });

  describe('P2/S12/S16: options and arguments', () => {
    it('P2: run() with a bad timeout, soft or totaltimeout throws TypeError and changes nothing', () => {
      const s = ctx.s;
      const z = zoo();
      const bad: unknown[] = [
        { timeout: -1 },
        { timeout: 1.5 },
        { timeout: '3' },
        { timeout: Number.NaN },
        { timeout: true },
        { timeout: 5, soft: 'yes' },
        { timeout: 5, soft: {} },
        { timeout: 5, totaltimeout: 'x' },
      ];
      for (const options of bad) {
        expectRefused(s, { tasklets: z.all, channels: [z.ch] }, () => sync(s.run(options as any)), TypeError);
      }
      expect(z.scheduled.alive).toBe(true);
      z.cleanup();
    });

    it('S12: switchTrap with a change that is not an integer throws TypeError and changes nothing', () => {
      const s = ctx.s;
      s.switchTrap(2);
      try {
        for (const bad of [1.5, '1', Number.NaN, null, {}]) {
          expectThrows(() => s.switchTrap(bad as any), TypeError);
          expect(s.switchTrap(0)).toBe(2);
        }
      } finally {
        s.switchTrap(-2);
      }
    });

    it('S16: a callback that is not a function throws the documented TypeError and keeps the old one', () => {
      const s = ctx.s;
      const keep = () => {};
      const cases: Array<[(f: any) => unknown, () => unknown, string]> = [
        [(f) => s.setScheduleCallback(f), () => s.getScheduleCallback(), 'schedule callback must be callable'],
        [(f) => s.setChannelCallback(f), () => s.getChannelCallback(), 'channel callback must be callable'],
        [(f) => s.setErrorHandler(f), () => s.getErrorHandler(), 'error handler must be callable'],
      ];
      for (const [set, get, text] of cases) {
        set(keep);
        for (const bad of [42, 'f', {}, true]) {
          expectThrows(() => set(bad), TypeError, text);
          expect(get()).toBe(keep);
        }
        set(null);
      }
    });
  });
}
