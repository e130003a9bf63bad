/**
 * Family 2, scheduling: the run queue and channels of greenstackless on native greenlets.
 *
 * Every case makes its own instance with createStackless(native), so no case sees another's tasklets; the
 * instance and its tasklets are dropped with the case (M6: collected).
 *
 * Rows:
 * - schedule() round robin with 10, 1,000 and 100,000 tasklets (one op = one schedule(); target: 100,000 <=
 *   3x 10). Main takes part from a generator run by one `sync`, so every counted op is a soft switch;
 * - channel ping-pong between two tasklets (one op = one message), then the same with preference 0 and 1 and
 *   with scheduleAll (C6), against the default preference -1;
 * - a ring of 10,000 tasklets passing a token around 10 times (one op = one message);
 * - fan-in: 1,000 producers sending to one consumer (one op = one message).
 */
import type { ChannelLike, GreenletApi, StacklessApi, StacklessLike } from './api.js';
import { loadGreenlet, loadStackless } from './api.js';
import type { Case, Context, Family, RowDef, RowSpec } from './measure.js';
import { timed } from './measure.js';
import type { ChannelSettings } from './pingpong.js';
import { channelPingPong, FLOOR, rawPingPong } from './pingpong.js';

const PING_PONG = 'channel ping-pong, preference -1 (default)';

interface Loaded {
  g: GreenletApi;
  s: StacklessApi;
}

async function loadBoth(): Promise<Loaded> {
  const [g, s] = await Promise.all([loadGreenlet(), loadStackless()]);
  return { g, s };
}

// --- schedule() round robin ---------------------------------------------------------------------------------

function* spinner(st: StacklessLike): Generator<unknown, never, unknown> {
  for (;;) yield st.schedule();
}

function* mainRounds(st: StacklessLike, rounds: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < rounds; i++) yield st.schedule();
}

/** `tasklets` spinners always runnable; main schedules `rounds` times, each a full turn of the ring (S7). */
function roundRobin({ g, s }: Loaded, tasklets: number, rounds: number): Case {
  const st = s.createStackless(g.native);
  for (let i = 0; i < tasklets; i++) st.tasklet(spinner).setup(st);
  if (st.runcount !== tasklets + 1) throw new Error(`runcount is ${st.runcount} after ${tasklets} setups, expected ${tasklets + 1}`);
  return {
    ops: rounds * (tasklets + 1),
    run() {
      g.sync(mainRounds(st, rounds));
    },
  };
}

// --- the ring --------------------------------------------------------------------------------------------------

function* ringMember(input: ChannelLike, output: ChannelLike, done: ChannelLike, last: number): Generator<unknown, never, unknown> {
  for (;;) {
    const token = (yield input.receive()) as number;
    if (token === last) yield done.send(token);
    else yield output.send(token + 1);
  }
}

function* ringDriver(first: ChannelLike, done: ChannelLike): Generator<unknown, unknown, unknown> {
  yield first.send(0);
  return yield done.receive();
}

/** `size` tasklets in a ring of channels; main sends a token in, it goes round `laps` times and comes out. */
function ring({ g, s }: Loaded, size: number, laps: number): Case {
  const st = s.createStackless(g.native);
  const channels: ChannelLike[] = [];
  for (let i = 0; i < size; i++) channels.push(st.channel());
  const done = st.channel();
  const last = size * laps;
  for (let i = 0; i < size; i++) st.tasklet(ringMember).setup(channels[i], channels[(i + 1) % size], done, last);
  return {
    ops: last + 2, // main's send in, `last` hops, and the send to `done`
    run() {
      const token = g.sync(ringDriver(channels[0]!, done));
      if (token !== last) throw new Error(`the token came back as ${String(token)}, expected ${last}`);
    },
  };
}

// --- fan-in ------------------------------------------------------------------------------------------------------

function* producer(ch: ChannelLike, id: number): Generator<unknown, never, unknown> {
  for (;;) yield ch.send(id);
}

function* consume(ch: ChannelLike, count: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < count; i++) yield ch.receive();
}

/** `producers` tasklets each sending forever on one channel; main receives `count` messages per run. */
function fanIn({ g, s }: Loaded, producers: number, count: number): Case {
  const st = s.createStackless(g.native);
  const ch = st.channel();
  for (let i = 0; i < producers; i++) st.tasklet(producer).setup(ch, i);
  return {
    ops: count,
    run() {
      g.sync(consume(ch, count));
    },
  };
}

// --- the family ----------------------------------------------------------------------------------------------

function rows(ctx: Context): RowDef[] {
  const q = ctx.quick;
  const rounds = q ? 2_000 : 10_000;
  const big = q ? 20_000 : 100_000;
  const defs: RowDef[] = [timed(ctx, { name: FLOOR, op: 'switch' }, () => rawPingPong(rounds))];

  const first = 'schedule() round robin, 10 tasklets';
  const sizes: [number, number][] = [[10, q ? 200 : 2_000], [1_000, q ? 5 : 20], [big, q ? 1 : 2]];
  for (const [n, r] of sizes) {
    const name = `schedule() round robin, ${n.toLocaleString('en-US')} tasklets`;
    const spec: RowSpec = n === 10 ? { name, op: 'schedule()', baseline: FLOOR } : { name, op: 'schedule()', baseline: first };
    if (n === big) spec.target = { of: 'ratio', cmp: '<=', limit: 3 };
    defs.push(timed(ctx, spec, async () => roundRobin(await loadBoth(), n, r)));
  }

  defs.push(
    timed(ctx, { name: PING_PONG, op: 'message', baseline: FLOOR }, async () => {
      const { g, s } = await loadBoth();
      return channelPingPong(g, s.createStackless(g.native), rounds);
    }),
  );
  const variants: [string, ChannelSettings][] = [
    ['channel ping-pong, preference 0', { preference: 0 }],
    ['channel ping-pong, preference 1', { preference: 1 }],
    ['channel ping-pong, scheduleAll', { scheduleAll: true }],
  ];
  for (const [name, settings] of variants) {
    defs.push(
      timed(ctx, { name, op: 'message', baseline: PING_PONG }, async () => {
        const { g, s } = await loadBoth();
        return channelPingPong(g, s.createStackless(g.native), rounds, settings);
      }),
    );
  }

  const ringSize = q ? 2_000 : 10_000;
  defs.push(
    timed(ctx, { name: `ring of ${ringSize.toLocaleString('en-US')} tasklets, token 10 laps`, op: 'message', baseline: PING_PONG }, async () =>
      ring(await loadBoth(), ringSize, 10),
    ),
    timed(ctx, { name: 'fan-in, 1,000 producers to 1 consumer', op: 'message', baseline: PING_PONG }, async () =>
      fanIn(await loadBoth(), 1_000, q ? 20_000 : 100_000),
    ),
  );
  return defs;
}

export const scheduling: Family = { name: 'scheduling', title: 'Scheduling: the run queue and channels of greenstackless', rows };
