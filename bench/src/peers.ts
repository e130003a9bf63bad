/**
 * Family 4, peers: the same channel ping-pong written with async/await and with other libraries.
 *
 * One op = one message; a round trip is two. Each peer gets the ping-pong its README teaches, kept small:
 * - async/await over a one-slot promise mailbox (the least a user would write; the baseline), two mailboxes;
 * - async/await over a minimal rendezvous channel: send() resolves when a receiver took the value;
 * - greenstackless: channel ping-pong on the default instance (target: <= 1.0x the mailbox);
 * - the floor of any channel on the greenlet interface: two native greenlets and a rendezvous slot with none of
 *   Stackless' rules (pingpong.ts), for how much of our channel's cost the switches alone are;
 * - the floor of any channel under the op API: the same slot, but each send and receive is a fresh op that the
 *   body yields and a frame runs, as the op API asks of every channel (H1; pingpong.ts). What is between it and
 *   the mailbox is all a Stackless channel may spend on its rules for the first target to be met;
 * - js-csp (`go`, `put`, `take` on one unbuffered channel, as its README's ping-pong);
 * - effection 4 (`createChannel` is a broadcast stream, so two channels, one subscription each);
 * - async-channel (`push`/`get` on one unbuffered BaseChannel);
 * - redux-saga (`runSaga` with `fork`, `put`, `take` on two `channel()`s; a put does not wait for a taker).
 * Targets: greenstackless >= 20x faster than js-csp and effection, >= 4x faster than async-channel; on those rows
 * the baseline is our own channel, so the ratio is how many times slower the peer is.
 *
 * Each library is imported when its row runs, so a missing one is "not available" and not the whole family.
 */
import type { Csp, CspChannel } from 'js-csp';
import { loadGreenlet, loadStackless } from './api.js';
import type { Case, Context, Family, RowDef } from './measure.js';
import { timed } from './measure.js';
import { Rendezvous } from './rendezvous.js';
import { bareChannelPingPong, channelPingPong, leastOpChannelPingPong, wrongEcho } from './pingpong.js';

const MAILBOX = 'async/await, one-slot promise mailbox';
const OURS = 'greenstackless channel';

// --- async/await -------------------------------------------------------------------------------------------

/** A one-slot mailbox: send() stores the value or hands it to the waiting receive(). */
class Mailbox<T> {
  private value: T | undefined = undefined;
  private full = false;
  private waiting: ((value: T) => void) | null = null;

  send(value: T): void {
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting(value);
    } else {
      this.value = value;
      this.full = true;
    }
  }

  receive(): Promise<T> {
    if (this.full) {
      const value = this.value as T;
      this.value = undefined;
      this.full = false;
      return Promise.resolve(value);
    }
    return new Promise<T>((resolve) => {
      this.waiting = resolve;
    });
  }
}

async function mailboxPong(inbox: Mailbox<number>, outbox: Mailbox<number>, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) outbox.send(await inbox.receive());
}

function mailboxPingPong(rounds: number): Case {
  return {
    ops: 2 * rounds,
    async run() {
      const toPong = new Mailbox<number>();
      const toPing = new Mailbox<number>();
      const pong = mailboxPong(toPong, toPing, rounds);
      for (let i = 0; i < rounds; i++) {
        toPong.send(i);
        const v = await toPing.receive();
        if (v !== i) throw wrongEcho(MAILBOX, v, i);
      }
      await pong;
    },
  };
}

async function rendezvousPong(ch: Rendezvous<number>, rounds: number): Promise<void> {
  for (let i = 0; i < rounds; i++) await ch.send(await ch.receive());
}

function rendezvousPingPong(rounds: number): Case {
  return {
    ops: 2 * rounds,
    async run() {
      const ch = new Rendezvous<number>();
      const pong = rendezvousPong(ch, rounds);
      for (let i = 0; i < rounds; i++) {
        await ch.send(i);
        const v = await ch.receive();
        if (v !== i) throw wrongEcho('rendezvous', v, i);
      }
      await pong;
    },
  };
}

// --- js-csp --------------------------------------------------------------------------------------------------

async function cspPingPong(rounds: number): Promise<Case> {
  // js-csp is CommonJS: Node gives its exports as `default`, tsx's loader as the namespace itself.
  const mod = (await import('js-csp')) as unknown as Csp & { default?: Csp };
  const csp = mod.default ?? mod;
  function* ping(ch: CspChannel): Generator<unknown, unknown, unknown> {
    for (let i = 0; i < rounds; i++) {
      yield csp.put(ch, i);
      const v = yield csp.take(ch);
      if (v !== i) throw wrongEcho('js-csp', v, i);
    }
    return rounds;
  }
  function* pong(ch: CspChannel): Generator<unknown, unknown, unknown> {
    for (let i = 0; i < rounds; i++) yield csp.put(ch, yield csp.take(ch));
    return rounds;
  }
  return {
    ops: 2 * rounds,
    run() {
      return new Promise<void>((resolve) => {
        const ch = csp.chan();
        csp.go(pong, [ch]);
        csp.takeAsync(csp.go(ping, [ch]), () => resolve());
      });
    },
  };
}

// --- effection ---------------------------------------------------------------------------------------------

async function effectionPingPong(rounds: number): Promise<Case> {
  const { run, createChannel, spawn } = await import('effection');
  return {
    ops: 2 * rounds,
    async run() {
      await run(function* () {
        const toPong = createChannel<number>();
        const toPing = createChannel<number>();
        const pongInbox = yield* toPong;
        const pingInbox = yield* toPing;
        yield* spawn(function* () {
          for (let i = 0; i < rounds; i++) {
            const next = yield* pongInbox.next();
            yield* toPing.send(next.value as number);
          }
        });
        for (let i = 0; i < rounds; i++) {
          yield* toPong.send(i);
          const next = yield* pingInbox.next();
          if (next.value !== i) throw wrongEcho('effection', next.value, i);
        }
      });
    },
  };
}

// --- async-channel -------------------------------------------------------------------------------------------

async function asyncChannelPingPong(rounds: number): Promise<Case> {
  const { BaseChannel } = await import('async-channel');
  return {
    ops: 2 * rounds,
    async run() {
      const ch = new BaseChannel<number>();
      const pong = (async () => {
        for (let i = 0; i < rounds; i++) await ch.push(await ch.get());
      })();
      for (let i = 0; i < rounds; i++) {
        await ch.push(i);
        const v = await ch.get();
        if (v !== i) throw wrongEcho('async-channel', v, i);
      }
      await pong;
    },
  };
}

// --- redux-saga ----------------------------------------------------------------------------------------------

async function reduxSagaPingPong(rounds: number): Promise<Case> {
  const { runSaga, channel } = await import('redux-saga');
  const { fork, put, take } = await import('redux-saga/effects');
  type Ch = ReturnType<typeof channel<number>>;
  function* pong(toPong: Ch, toPing: Ch): Generator<unknown, void, number> {
    for (let i = 0; i < rounds; i++) yield put(toPing, yield take(toPong));
  }
  function* ping(toPong: Ch, toPing: Ch): Generator<unknown, void, number> {
    yield fork(pong, toPong, toPing);
    for (let i = 0; i < rounds; i++) {
      yield put(toPong, i);
      const v = yield take(toPing);
      if (v !== i) throw wrongEcho('redux-saga', v, i);
    }
  }
  return {
    ops: 2 * rounds,
    async run() {
      await runSaga({}, ping, channel<number>(), channel<number>()).toPromise();
    },
  };
}

// --- the family ----------------------------------------------------------------------------------------------

function rows(ctx: Context): RowDef[] {
  const fast = ctx.quick ? 2_000 : 10_000;
  const slow = ctx.quick ? 200 : 1_000;
  return [
    timed(ctx, { name: MAILBOX, op: 'message' }, () => mailboxPingPong(fast)),
    timed(
      ctx,
      {
        name: OURS, op: 'message', baseline: MAILBOX,
        target: { of: 'ratio', cmp: '<=', limit: 1 }, oneProcessTarget: { of: 'ratio', cmp: '<=', limit: 1 },
      },
      async () => {
        const [g, s] = await Promise.all([loadGreenlet(), loadStackless()]);
        return channelPingPong(g, s.stackless, fast);
      },
    ),
    timed(ctx, { name: 'bare channel over native greenlets (floor)', op: 'message', baseline: MAILBOX }, async () => {
      const g = await loadGreenlet();
      return bareChannelPingPong(g, g.native, fast);
    }),
    timed(ctx, { name: 'least channel under the op API (floor)', op: 'message', baseline: MAILBOX }, async () => {
      const g = await loadGreenlet();
      return leastOpChannelPingPong(g, g.native, fast);
    }),
    timed(ctx, { name: 'async/await, rendezvous channel', op: 'message', baseline: MAILBOX }, () => rendezvousPingPong(fast)),
    timed(
      ctx,
      { name: 'js-csp 1.0.1', op: 'message', baseline: OURS, target: { of: 'ratio', cmp: '>=', limit: 20 } },
      () => cspPingPong(slow),
    ),
    timed(
      ctx,
      { name: 'effection 4.1.1', op: 'message', baseline: OURS, target: { of: 'ratio', cmp: '>=', limit: 20 } },
      () => effectionPingPong(slow),
    ),
    timed(
      ctx,
      { name: 'async-channel 0.2.0', op: 'message', baseline: OURS, target: { of: 'ratio', cmp: '>=', limit: 4 } },
      () => asyncChannelPingPong(ctx.quick ? 1_000 : 5_000),
    ),
    timed(ctx, { name: 'redux-saga 1.5.1', op: 'message', baseline: OURS }, () => reduxSagaPingPong(slow)),
  ];
}

export const peers: Family = { name: 'peers', title: 'Peers: the same channel ping-pong with async/await and other libraries', rows };
