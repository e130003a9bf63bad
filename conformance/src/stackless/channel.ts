/**
 * Channels, send and receive: C1, C2, C5 (steps 2, 4, 5, 6), T10 for blocked tasklets.
 *
 * Ported behaviours: Stackless' test_channel (blocking send, blocking receive, balance and queue, values of any
 * kind, many senders queued in order), pts's stackless_test.py (the Worker/Run part of testStackless, balance
 * counts), stackless-testsuite v3_1/channel test_functionality (attributes of a new channel).
 * Skipped: channel pickling, `channel.__reduce__`, thread-blocking channels (M7).
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { names, queueOf, ring, type SuiteContext } from './harness.js';

export function channelTests(ctx: SuiteContext): void {
  describe('C1/C2: attributes', () => {
    it('C1: a new channel has balance 0, no queue, preference -1, scheduleAll false, not closing or closed', () => {
      const s = ctx.s;
      for (const ch of [s.channel(), new s.Channel()]) {
        expect(ch).toBeInstanceOf(s.Channel);
        expect([ch.balance, ch.queue, ch.preference, ch.scheduleAll, ch.closing, ch.closed]).toEqual([
          0,
          null,
          -1,
          false,
          false,
          false,
        ]);
        expect(String(ch)).toMatch(/^Channel#\d+$/);
      }
      expect(String(s.channel())).not.toBe(String(s.channel()));
    });

    it('C2: balance counts blocked senders positive, blocked receivers negative; queue is the first', () => {
      const s = ctx.s;
      const ch = s.channel();
      const senders = ['a', 'b', 'c'].map((v) =>
        s.tasklet(function* () {
          yield* ch.send(v);
        }).setup(),
      );
      sync(s.schedule());
      expect(ch.balance).toBe(3);
      expect(ch.queue).toBe(senders[0]);
      expect(queueOf(ch)).toEqual(names(...senders));
      expect(senders.map((t) => t.tempval)).toEqual(['a', 'b', 'c']);
      const got = [sync(ch.receive()), sync(ch.receive()), sync(ch.receive())];
      expect(got).toEqual(['a', 'b', 'c']);
      expect([ch.balance, ch.queue]).toEqual([0, null]);
      sync(s.run());
      const receivers = [0, 1].map(() =>
        s.tasklet(function* () {
          yield* ch.receive();
        }).setup(),
      );
      sync(s.schedule());
      expect(ch.balance).toBe(-2);
      expect(queueOf(ch)).toEqual(names(...receivers));
      for (const r of receivers) sync(ch.send(undefined));
      sync(s.run());
      expect(ch.balance).toBe(0);
    });
  });

  describe('C5: send and receive', () => {
    it('C5: main receives and blocks; the sender finds it waiting and it runs at once (-1 for send)', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: unknown[] = [];
      const t = s.tasklet(function* () {
        log.push(`balance ${ch.balance}`, ch.queue === s.main, s.main.blocked, s.main.tempval);
        log.push(`send gives ${String(yield* ch.send('x'))}`);
      }).setup();
      s.main.tempval = 'old';
      log.push(`main got ${String(sync(ch.receive()))}`);
      expect(ring(s)).toEqual(names(s.main, t));
      sync(s.run());
      expect(log).toEqual(['balance -1', true, true, undefined, 'main got x', 'send gives undefined']);
    });

    it('C5/T10: a blocked sender holds its value in tempval; the receiver takes it and resets it', () => {
      const s = ctx.s;
      const ch = s.channel();
      const value = { payload: 1 };
      const t = s.tasklet(function* () {
        yield* ch.send(value);
      }).setup();
      sync(s.schedule());
      expect([t.blocked, t.tempval, ch.balance]).toEqual([true, value, 1]);
      expect(sync(ch.receive())).toBe(value);
      expect([t.blocked, t.tempval, t.scheduled]).toEqual([false, undefined, true]);
      expect(s.main.tempval).toBe(undefined);
      sync(s.run());
      expect(t.alive).toBe(false);
    });

    it('C5: values pass unchanged: undefined, null, arrays, functions', () => {
      const s = ctx.s;
      const ch = s.channel();
      const arr = [1, 2];
      const fn = () => 1;
      const values: unknown[] = [undefined, null, arr, fn, 0, '', false];
      s.tasklet(function* () {
        for (const v of values) yield* ch.send(v);
      }).setup();
      const got = values.map(() => sync(ch.receive()));
      expect(got).toEqual(values);
      expect(got[2]).toBe(arr);
      expect(got[3]).toBe(fn);
      sync(s.run());
    });

    it('C5: a receiver blocks until a sender comes; each blocking resumes the former next', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      s.tasklet(function* () {
        log.push('r waits');
        log.push(`r got ${String(yield* ch.receive())}`);
      }).setup();
      s.tasklet(function* () {
        log.push('x runs');
      }).setup();
      s.tasklet(function* () {
        log.push('s sends');
        yield* ch.send('v');
        log.push('s sent');
      }).setup();
      sync(s.run());
      expect(log).toEqual(['r waits', 'x runs', 's sends', 'r got v', 's sent']);
    });

    it('C5: ping-pong between two tasklets over two channels', () => {
      const s = ctx.s;
      const ping = s.channel<number>();
      const pong = s.channel<number>();
      const log: string[] = [];
      s.tasklet(function* () {
        for (let i = 0; i < 3; i++) {
          yield* ping.send(i);
          log.push(`pong ${String(yield* pong.receive())}`);
        }
      }).setup();
      s.tasklet(function* () {
        for (let i = 0; i < 3; i++) {
          const v = yield* ping.receive();
          log.push(`ping ${v}`);
          yield* pong.send(v * 10);
        }
      }).setup();
      sync(s.run());
      expect(log).toEqual(['ping 0', 'pong 0', 'ping 1', 'pong 10', 'ping 2', 'pong 20']);
      expect([ping.balance, pong.balance]).toEqual([0, 0]);
    });

    it('C2: blocked senders are served in arrival order, receivers too', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: string[] = [];
      for (const tag of ['r1', 'r2', 'r3']) {
        s.tasklet(function* () {
          log.push(`${tag} ${String(yield* ch.receive())}`);
        }).setup();
      }
      sync(s.schedule());
      expect(ch.balance).toBe(-3);
      ch.preference = 0;
      sync(ch.send('a'));
      sync(ch.send('b'));
      sync(ch.send('c'));
      expect(log).toEqual([]);
      sync(s.run());
      expect(log).toEqual(['r1 a', 'r2 b', 'r3 c']);
    });
  });
}
