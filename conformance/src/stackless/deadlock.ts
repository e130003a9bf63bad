/**
 * Nothing left to run: C12, C13, C14.
 *
 * Ported behaviours: Stackless' test_channel and test_miscell (main receiving on an empty channel raises the
 * deadlock RuntimeError; "the main tasklet is receiving without a sender available."), test_defects (a tasklet
 * that blocks while the watchdog waits returns control to run()), pts's stackless_test.py with M11's 3.7
 * expectations (main blocked when the last other tasklet ends gets the deadlock error, not a silent None).
 * Skipped: deadlock detection across threads (M7).
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { DeadlockError } from 'greenstackless';
import { expectRefused, names, ring, type SuiteContext } from './harness.js';

const LAST_RUNNABLE = 'Deadlock: the last runnable tasklet cannot be blocked.';

export function deadlockTests(ctx: SuiteContext): void {
  describe('C12: the last runnable tasklet would block', () => {
    it('C12: main alone, no run() pending: receive throws DeadlockError and changes nothing', () => {
      const s = ctx.s;
      const ch = s.channel();
      s.main.tempval = 'keep';
      expectRefused(s, { channels: [ch] }, () => sync(ch.receive()), DeadlockError, LAST_RUNNABLE);
      s.main.tempval = undefined;
    });

    it('C12: main alone, no run() pending: send throws DeadlockError and changes nothing', () => {
      const s = ctx.s;
      const ch = s.channel();
      const err = expectRefused(s, { channels: [ch] }, () => sync(ch.send('x')), DeadlockError, LAST_RUNNABLE);
      expect(err).toBeInstanceOf(s.StacklessError);
      expect(err).toBeInstanceOf(s.DeadlockError);
      expect(s.main.tempval).toBe(undefined);
    });

    it('C12: the last runnable tasklet blocks while W waits in run(): it blocks, run() gives null', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('t receives');
        log.push(`t got ${String(yield* ch.receive())}`);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect([t.blocked, ch.balance]).toEqual([true, -1]);
      expect(log).toEqual(['t receives']);
      sync(ch.send('finally'));
      expect(log).toEqual(['t receives', 't got finally']);
    });

    it('C12: the last runnable tasklet blocks while W is paused by switch: W resumes in place', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.send('v');
      }).setup();
      s.main.tempval = 'w-tempval';
      expect(sync(t.switch())).toBe('w-tempval');
      expect([t.blocked, ch.balance, s.runcount]).toEqual([true, 1, 1]);
      expect(sync(ch.receive())).toBe('v');
      sync(s.run());
    });

    it('C12: W (main) blocked on a channel: the last runnable tasklet gets DeadlockError', () => {
      const s = ctx.s;
      const ch1 = s.channel();
      const ch2 = s.channel();
      const log: string[] = [];
      const t = s.tasklet(function* () {
        try {
          yield* ch2.receive();
          log.push('t received');
        } catch (e) {
          log.push(e instanceof DeadlockError ? `t: ${(e as Error).message}` : `t: other ${String(e)}`);
          log.push(`t runnable ${String(s.current === t && t.scheduled && !t.blocked)}, ch2 balance ${ch2.balance}`);
        }
        yield* ch1.send('done');
      }).setup();
      log.push(`main got ${String(sync(ch1.receive()))}`);
      expect(log[0]).toContain(LAST_RUNNABLE);
      expect(log.slice(1)).toEqual(['t runnable true, ch2 balance 0', 'main got done']);
      sync(s.run());
    });
  });

  describe('C13/C14: the last tasklet ends', () => {
    it('C13: when the last other tasklet ends while main receives: DeadlockError "receiving", balance restored', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {}).setup();
      expect(() => sync(ch.receive())).toThrow('the main tasklet is receiving without a sender available.');
      expect(() => {
        s.tasklet(function* () {}).setup();
        sync(ch.receive());
      }).toThrow(DeadlockError);
      expect([ch.balance, ch.queue, s.main.blocked, s.runcount]).toEqual([0, null, false, 1]);
      expect(t.alive).toBe(false);
    });

    it('C13: when the last other tasklet ends while main sends: DeadlockError "sending"', () => {
      const s = ctx.s;
      const ch = s.channel();
      s.tasklet(function* () {}).setup();
      const value = { v: 1 };
      expect(() => sync(ch.send(value))).toThrow('the main tasklet is sending without a receiver available.');
      expect([ch.balance, ch.queue, s.main.blocked]).toEqual([0, null, false]);
    });

    it('C13: a paused W resumes in place when the last tasklet ends', () => {
      const s = ctx.s;
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push('t');
      }, []);
      s.main.tempval = 'w';
      expect(sync(t.switch())).toBe('w');
      expect(log).toEqual(['t']);
      expect(ring(s)).toEqual(names(s.main));
    });

    it('C14: main iterating a channel whose last sender ended gets the "receiving" DeadlockError, not done', () => {
      const s = ctx.s;
      const ch = s.channel<string>();
      s.tasklet(function* () {
        yield* ch.send('a');
        yield* ch.send('b');
      }).setup();
      const got: string[] = [];
      expect(() => {
        for (const v of ch) got.push(v);
      }).toThrow('the main tasklet is receiving without a sender available.');
      expect(got).toEqual(['a', 'b']);
      expect(ch.balance).toBe(0);
    });
  });
}
