/**
 * Iteration, close and open: C4, C10, C11 (C14 is in deadlock.ts).
 *
 * Ported behaviours: Stackless' test_channel (testClose, testOpen, testCloseWithSenders, iteration over a
 * channel until it is closed, testSequence via iteration), stackless-testsuite v3_1/channel test_functionality
 * (closing/closed attributes).
 * Skipped: Python's StopIteration sent over a channel to end a loop (C10: there is no StopIteration).
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { TestError, type SuiteContext } from './harness.js';

export function iterationTests(ctx: SuiteContext): void {
  describe('C4/C11: close and open', () => {
    it('C4: closing is set by close() and cleared by open(); closed needs balance 0', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.close();
      expect([ch.closing, ch.closed]).toEqual([true, true]);
      ch.open();
      expect([ch.closing, ch.closed]).toEqual([false, false]);
      const t = s.tasklet(function* () {
        yield* ch.send('pending');
      }).setup();
      sync(s.schedule());
      ch.close();
      expect([ch.closing, ch.closed, ch.balance]).toEqual([true, false, 1]);
      expect(sync(ch.receive())).toBe('pending');
      expect([ch.closing, ch.closed, ch.balance]).toEqual([true, true, 0]);
      sync(s.run());
      expect(t.alive).toBe(false);
    });

    it('C11: close wakes nobody; a blocked tasklet can still meet a partner on a closing channel', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      const t = s.tasklet(function* () {
        log.push(`got ${String(yield* ch.receive())}`);
      }).setup();
      sync(s.schedule());
      ch.close();
      expect([t.blocked, ch.balance, ch.closed]).toEqual([true, -1, false]);
      sync(s.schedule());
      expect(log).toEqual([]);
      sync(ch.send('late'));
      expect(log).toEqual(['got late']);
      expect(ch.closed).toBe(true);
    });

    it('C11: on a closing channel an action that would block throws ChannelClosedError and changes nothing', () => {
      const s = ctx.s;
      const ch = s.channel();
      const other = s.tasklet(function* () {}).setup();
      ch.close();
      s.main.tempval = 'keep';
      for (const act of [() => sync(ch.send(1)), () => sync(ch.receive())]) {
        expect(act).toThrow(s.ChannelClosedError);
        expect(act).toThrow('Send/receive operation on a closed channel');
        expect([ch.balance, ch.queue, s.main.tempval, s.runcount]).toEqual([0, null, 'keep', 2]);
      }
      s.main.tempval = undefined;
      ch.open();
      expect(ch.closing).toBe(false);
      const t = s.tasklet(function* () {
        yield* ch.send('open again');
      }).setup();
      expect(sync(ch.receive())).toBe('open again');
      sync(s.run());
      expect([other.alive, t.alive]).toEqual([false, false]);
    });
  });

  describe('C10: iteration', () => {
    it('C10: iterating receives until the channel is closing with no sender left', () => {
      const s = ctx.s;
      const ch = s.channel<number>();
      s.tasklet(function* () {
        for (let i = 0; i < 3; i++) yield* ch.send(i);
        // Closing while main waits: the waiting receiver can still take one more value (C11).
        ch.close();
        yield* ch.send(3);
      }).setup();
      const got: number[] = [];
      for (const v of ch) got.push(v);
      expect(got).toEqual([0, 1, 2, 3]);
      expect([ch.closing, ch.closed]).toEqual([true, true]);
      sync(s.run());
    });

    it('C10: senders still blocked on a closing channel are received first, then the loop ends', () => {
      const s = ctx.s;
      const ch = s.channel<string>();
      for (const v of ['a', 'b']) {
        s.tasklet(function* () {
          yield* ch.send(v);
        }).setup();
      }
      sync(s.schedule());
      expect(ch.balance).toBe(2);
      ch.close();
      expect(Array.from(ch)).toEqual(['a', 'b']);
      expect(ch.closed).toBe(true);
      sync(s.run());
    });

    it('C10: iteration is done at once when closing with blocked receivers (balance <= 0)', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.receive();
      }).setup();
      sync(s.schedule());
      ch.close();
      const it = ch[Symbol.iterator]();
      expect(it.next()).toEqual({ done: true, value: undefined });
      expect(ch.balance).toBe(-1);
      sync(t.kill());
      expect(ch.balance).toBe(0);
    });

    it("C10: a step throws the receive's error", () => {
      const s = ctx.s;
      const ch = s.channel();
      s.tasklet(function* () {
        yield* ch.send(1);
        yield* ch.sendException(TestError, 'in loop');
      }).setup();
      const got: unknown[] = [];
      expect(() => {
        for (const v of ch) got.push(v);
      }).toThrow('in loop');
      expect(got).toEqual([1]);
      sync(s.run());
    });
  });
}
