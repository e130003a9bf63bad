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
import { inspect } from 'node:util';

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

  describe('C5/C10: Stackless test_channel ports', () => {
    it('C5: a tasklet run with t.run() blocks on send and on receive (testBlockingSend, testBlockingReceive)', () => {
      const s = ctx.s;
      const c = s.channel();
      const sender = s.tasklet(function* (ch: typeof c) {
        yield* ch.send(1);
      }).setup(c);
      sync(sender.run());
      expect([sender.blocked, c.balance]).toEqual([true, 1]);
      expect(sync(c.receive())).toBe(1);
      sync(s.run());
      const receiver = s.tasklet(function* (ch: typeof c) {
        yield* ch.receive();
      }).setup(c);
      sync(receiver.run());
      expect([receiver.blocked, c.balance]).toEqual([true, -1]);
      sync(c.send(undefined));
      expect(receiver.alive).toBe(false);
    });

    it('C5: with a partner waiting, send and receive do not block, even with blockTrap (testNonBlockingSend/Receive)', () => {
      const s = ctx.s;
      const c = s.channel();
      const received: unknown[] = [];
      const r = s.tasklet(function* () {
        received.push(yield* c.receive());
      }).setup();
      sync(r.run());
      s.main.blockTrap = true;
      try {
        sync(c.send(1));
      } finally {
        s.main.blockTrap = false;
      }
      expect(received).toEqual([1]);
      const t = s.tasklet(function* (v: number) {
        yield* c.send(v);
      }).setup(2);
      sync(t.run());
      s.main.blockTrap = true;
      let value: unknown;
      try {
        value = sync(c.receive());
      } finally {
        s.main.blockTrap = false;
      }
      sync(t.kill());
      expect(value).toBe(2);
    });

    it('C7: sendException passes all its arguments to the constructor (testSendException)', () => {
      const s = ctx.s;
      class ArgsError extends Error {
        readonly args: unknown[];
        constructor(...args: unknown[]) {
          super(args.join(', '));
          this.args = args;
        }
      }
      const c = s.channel();
      for (let round = 0; round < 2; round++) {
        const t = s.tasklet(function* () {
          yield* c.sendException(ArgsError, 1, 2, 3);
        }).setup();
        sync(t.run());
        let caught: unknown;
        try {
          sync(c.receive());
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(ArgsError);
        expect((caught as ArgsError).args).toEqual([1, 2, 3]);
        sync(s.run());
      }
    });

    it('C10/C11: a receiver tasklet iterates until the sender closes and pumps the channel (TestClose.testSequence)', () => {
      const s = ctx.s;
      const c = s.channel<number | null>();
      const data: Array<number | null> = [];
      s.tasklet(function* () {
        expect(yield* c.sendSequence([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(10);
        c.close();
        // close() wakes nobody: pump the waiting receiver until the channel is closed.
        while (c.closing && !c.closed) yield* c.send(null);
      }).setup();
      s.tasklet(() => {
        for (const i of c) data.push(i);
        while (data[data.length - 1] === null) data.pop();
        data.push(10);
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(data).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(c.closed).toBe(true);
    });

    it('C10: iterating a closed channel is done at once; send and receive throw ChannelClosedError (TestClose)', () => {
      const s = ctx.s;
      const c = s.channel();
      c.close();
      expect(c[Symbol.iterator]().next().done).toBe(true);
      expect(() => sync(c.send(undefined))).toThrow(s.ChannelClosedError);
      expect(() => sync(c.receive())).toThrow(s.ChannelClosedError);
    });

    it('C1/T1: the Channel and Tasklet classes can be subclassed (Subclassing.test_init, ServerTasklet)', () => {
      const s = ctx.s;
      class NamedChannel extends s.Channel<string> {
        constructor(readonly name: string) {
          super();
        }
      }
      class ServerTasklet extends s.Tasklet {
        count = 0;
        constructor(fn: (...a: any[]) => Generator<unknown, unknown, unknown>, readonly label: string) {
          super(fn);
        }
      }
      const c = new NamedChannel('bong');
      expect(c.name).toBe('bong');
      expect(c).toBeInstanceOf(s.Channel);
      const server: ServerTasklet = new ServerTasklet(function* () {
        for (;;) {
          yield* c.receive();
          server.count++;
        }
      }, 'server');
      expect(server).toBeInstanceOf(s.Tasklet);
      server.setup();
      sync(s.schedule());
      for (let i = 0; i < 3; i++) sync(c.send('x'));
      expect([server.count, server.label, c.balance]).toEqual([3, 'server', -1]);
      sync(server.kill());
    });
  });

  describe('API: util.inspect shows names and states', () => {
    it('API: a tasklet shows its T6 state, a channel its balance and closing, an op what it is and who made it', () => {
      const s = ctx.s;
      const ch = s.channel<string>();
      const fn = function* () {
        yield* ch.receive();
      };
      const t = s.tasklet(fn);
      expect(inspect(t)).toBe(`${t} <bound, not alive>`);
      t.setup();
      expect(inspect(t)).toBe(`${t} <scheduled>`);
      expect(inspect(s.main)).toBe('Tasklet#main <current>');
      const u = s.tasklet(fn).setup();
      expect(inspect(ch)).toBe(`${ch} <balance 0>`);
      sync(s.run());
      expect(inspect(t)).toBe(`${t} <blocked on ${ch}, receiving>`);
      expect(inspect(ch)).toBe(`${ch} <balance -2>`);
      ch.close();
      expect(inspect(ch)).toBe(`${ch} <balance -2, closing>`);
      const op = ch.send('a');
      expect(inspect(op)).toBe(`<op ${ch}.send() made in Tasklet#main, not run>`);
      sync(op);
      expect(inspect(op)).toBe(`<op ${ch}.send() run by Tasklet#main, done>`);
      expect(inspect(t)).toBe(`${t} <not alive>`);
      sync(ch.send('b'));
      expect(inspect(ch)).toBe(`${ch} <balance 0, closed>`);
      const p = s.tasklet(fn, []);
      p.setAtomic(true);
      expect(inspect(p)).toBe(`${p} <paused, atomic>`);
      expect(String(p)).toMatch(/^Tasklet#\d+$/); // toString stays the name (N1)
      p.bind(null);
      ch.open();
    });
  });
}
