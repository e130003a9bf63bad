/**
 * Family 5, memory: what a suspended coroutine costs in heap, and what a million short ones cost.
 *
 * Rows:
 * - heap bytes per suspended object, over 100,000 of them (20,000 with --quick): an async function awaiting a
 *   promise (the baseline), a raw generator suspended at a yield, a native greenlet suspended in a switch, and a
 *   tasklet blocked on a channel, in the `yield op` form and in the typed `yield* op` form, where the op's
 *   iterator stays alive inside the body's generator (target <= 400 B each);
 * - creating and finishing 1,000,000 tasklets (100,000 with --quick): time per tasklet and the peak heap above
 *   the start, against as many async functions that each await once.
 *
 * Method: the array that keeps the objects alive is allocated before the first heap reading, the garbage
 * collector runs to a fixed point around each reading (node --expose-gc), and the difference is divided by the
 * count. The peak is sampled every 65,536 objects while they are created and while they finish.
 */
import type { ChannelLike, GreenletApi, GreenletLike, StacklessApi } from './api.js';
import { loadGreenlet, loadStackless } from './api.js';
import type { Context, Family, RowDef } from './measure.js';
import { collect, heapUsed, valued } from './measure.js';

const ASYNC = 'async function awaiting a promise';

/** Heap bytes per object that `make(i)` returns (and keeps alive), after `settle()`. */
function bytesPer(count: number, make: (i: number) => unknown, settle?: () => void): number {
  const keep: unknown[] = new Array(count).fill(null);
  collect();
  const before = heapUsed();
  for (let i = 0; i < count; i++) keep[i] = make(i);
  settle?.();
  collect();
  const after = heapUsed();
  if (keep.length !== count) throw new Error('unreachable: keeps `keep` alive across the reading');
  return (after - before) / count;
}

// --- suspended objects ---------------------------------------------------------------------------------------

const never = new Promise<void>(() => {});

async function waiter(p: Promise<void>): Promise<void> {
  await p;
}

function* rawSuspended(): Generator<undefined, void, unknown> {
  yield undefined;
}

function* parked(main: GreenletLike): Generator<unknown, void, unknown> {
  yield main.switch();
}

function suspendedGreenlets(g: GreenletApi, count: number): number {
  const main = g.native.getcurrent();
  return bytesPer(count, () => {
    const gr = new g.native.Greenlet(parked);
    g.sync(gr.switch(main));
    return gr;
  });
}

function* blocked(ch: ChannelLike): Generator<unknown, void, unknown> {
  yield ch.receive();
}

/** The typed form a user writes: the channel's op runs inside the body's own generator (yield*). */
function* blockedStar(ch: ChannelLike<number>): Generator<unknown, void, unknown> {
  const v: number = yield* ch.receive();
  if (v < 0) throw new Error('unreachable: nothing is ever sent');
}

function blockedTasklets(g: GreenletApi, s: StacklessApi, count: number, body: (ch: ChannelLike<number>) => Generator<unknown, void, unknown>): number {
  const st = s.createStackless(g.native);
  const ch = st.channel<number>();
  const bytes = bytesPer(
    count,
    () => st.tasklet(body).setup(ch),
    () => {
      g.sync(st.run());
      if (ch.balance !== -count) throw new Error(`balance is ${ch.balance} after run(), expected ${-count}`);
    },
  );
  return bytes;
}

// --- a million short coroutines ------------------------------------------------------------------------------

/** Time per object and peak heap above the start, in MB, while `count` objects are made and finish. */
interface Churn {
  nsPer: number;
  peakMB: number;
}

/** Where the bodies below report: the heap peak is sampled every 65,536 finished objects. */
const meter = { finished: 0, peak: 0, remaining: 0, allDone: null as (() => void) | null };

function sample(): void {
  const used = heapUsed();
  if (used > meter.peak) meter.peak = used;
}

function* work(): Generator<never, void, unknown> {
  if ((++meter.finished & 0xffff) === 0) sample();
}

function tasklets(g: GreenletApi, s: StacklessApi, count: number): Churn {
  const st = s.createStackless(g.native);
  collect();
  const before = heapUsed();
  meter.finished = 0;
  meter.peak = before;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    st.tasklet(work).setup();
    if ((i & 0xffff) === 0) sample();
  }
  sample();
  g.sync(st.run());
  const t1 = performance.now();
  sample();
  if (meter.finished !== count) throw new Error(`${meter.finished} of ${count} tasklets finished`);
  return { nsPer: ((t1 - t0) * 1e6) / count, peakMB: (meter.peak - before) / 2 ** 20 };
}

async function job(): Promise<void> {
  await undefined;
  if ((++meter.finished & 0xffff) === 0) sample();
  if (--meter.remaining === 0) meter.allDone!();
}

async function asyncFunctions(count: number): Promise<Churn> {
  collect();
  const before = heapUsed();
  meter.finished = 0;
  meter.peak = before;
  meter.remaining = count;
  const all = new Promise<void>((resolve) => {
    meter.allDone = resolve;
  });
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    void job();
    if ((i & 0xffff) === 0) sample();
  }
  sample();
  await all;
  const t1 = performance.now();
  sample();
  meter.allDone = null;
  return { nsPer: ((t1 - t0) * 1e6) / count, peakMB: (meter.peak - before) / 2 ** 20 };
}

// --- the family ----------------------------------------------------------------------------------------------

function rows(ctx: Context): RowDef[] {
  const count = ctx.quick ? 20_000 : 100_000;
  const many = ctx.quick ? 100_000 : 1_000_000;
  const manyText = many.toLocaleString('en-US');
  const asyncMany = `async functions: call and finish ${manyText}`;
  const asyncPeak = `async functions, peak heap, ${manyText}`;
  const loadBoth = () => Promise.all([loadGreenlet(), loadStackless()]);
  // The churn rows are measured twice, once for the time and once for the peak, each in its own process.
  return [
    valued({ name: ASYNC, op: 'object' }, 'B', () => bytesPer(count, () => waiter(never))),
    valued({ name: 'raw generator suspended at a yield', op: 'object', baseline: ASYNC }, 'B', () =>
      bytesPer(count, () => {
        const gen = rawSuspended();
        gen.next();
        return gen;
      }),
    ),
    valued({ name: 'native greenlet suspended in a switch', op: 'object', baseline: ASYNC }, 'B', async () =>
      suspendedGreenlets(await loadGreenlet(), count),
    ),
    valued(
      { name: 'tasklet blocked on a channel, yield ch.receive()', op: 'object', baseline: ASYNC, target: { of: 'value', cmp: '<=', limit: 400 } },
      'B',
      async () => {
        const [g, s] = await loadBoth();
        return blockedTasklets(g, s, count, blocked);
      },
    ),
    valued(
      { name: 'tasklet blocked on a channel, yield* ch.receive()', op: 'object', baseline: ASYNC, target: { of: 'value', cmp: '<=', limit: 400 } },
      'B',
      async () => {
        const [g, s] = await loadBoth();
        return blockedTasklets(g, s, count, blockedStar);
      },
    ),
    valued({ name: asyncMany, op: 'function' }, 'ns', async () => (await asyncFunctions(many)).nsPer),
    valued({ name: `tasklets: create and finish ${manyText}`, op: 'tasklet', baseline: asyncMany }, 'ns', async () => {
      const [g, s] = await loadBoth();
      return tasklets(g, s, many).nsPer;
    }),
    valued({ name: asyncPeak, op: `${manyText} functions` }, 'MB', async () => (await asyncFunctions(many)).peakMB),
    valued({ name: `tasklets, peak heap, ${manyText}`, op: `${manyText} tasklets`, baseline: asyncPeak }, 'MB', async () => {
      const [g, s] = await loadBoth();
      return tasklets(g, s, many).peakMB;
    }),
  ];
}

export const memory: Family = { name: 'memory', title: 'Memory: heap per suspended coroutine, a million short tasklets', rows };
