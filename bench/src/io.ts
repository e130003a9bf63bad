/**
 * Family `io` (docs/io.md §4): tasklets on the Node event loop against plain async code and Node's own servers.
 *
 * Rows:
 * - `yield* hub.await(p)` on a settled promise, 100,000 in one tasklet, against an async function doing `await p`
 *   as often (target <= 3x), and the floor of any await that pauses the tasklet, against the same;
 * - 10,000 tasklets each `sleep(0)` 10 times against 10,000 async functions each awaiting `setImmediate` 10 times
 *   (target <= 1.5x);
 * - `serve` line echo, one line in flight on each of 50 connections, against a node:net callback echo server:
 *   ns per line (the inverse of lines/s), so the target >= 1.0x in lines/s is <= 1.0x here;
 * - heap per idle connection, 10,000 connections (2,000 with --quick): `serve` with the handler waiting in
 *   readLine against node:http idle keep-alive connections (target <= 1.0x);
 * - the HTTP rows of io-http.ts, appended.
 *
 * Method: the first two rows are timed in this process on the default hub. The socket rows run a fresh server
 * process per variant pinned to core 0 and a load process pinned to core 1 (io-procs.ts); the echo is warmed
 * first, then run 3 times (once with --quick) and the median kept.
 */
import { sync } from '@greenstackless/greenlet';
import { stackless } from 'greenstackless';
import type { Stackless } from 'greenstackless';
import { NotAvailable } from './api.js';
import { httpRows } from './io-http.js';
import { LOAD_SCRIPT, median, pinning, Proc, startServer } from './io-procs.js';
import type { Case, Context, Family, RowDef } from './measure.js';
import { timed, valued } from './measure.js';

type IoApi = typeof import('@greenstackless/io');

async function loadIo(): Promise<IoApi> {
  try {
    return await import('@greenstackless/io');
  } catch (error) {
    throw new NotAvailable(`@greenstackless/io: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// --- awaiting a settled promise ------------------------------------------------------------------------------

const AWAITS = 100_000;
const ASYNC_AWAIT = 'async function: await p (settled)';

async function asyncAwaits(p: Promise<number>, n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += await p;
  return sum;
}

function awaitCase(): Case {
  const p = Promise.resolve(1);
  return { ops: AWAITS, run: () => asyncAwaits(p, AWAITS) };
}

async function hubAwaitCase(): Promise<Case> {
  const io = await loadIo();
  const hub = io.hub;
  const p = Promise.resolve(1);
  function* awaits(n: number): Generator<unknown, number, unknown> {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += yield* hub.await(p);
    return sum;
  }
  return { ops: AWAITS, run: () => hub.promise(awaits(AWAITS)) };
}

/**
 * The floor of any `await` in which the tasklet pauses, as docs/io.md asks: the tasklet `scheduleRemove()`s; the
 * resolved promise's `then` decides and a second `then` pumps (I5: user code never runs in the waking callback),
 * where main `insert()`s it and runs it with `sync(run())`. No wait op, no hub, no list of waits.
 */
function* pausing(s: Stackless, n: number): Generator<unknown, void, unknown> {
  for (let i = 0; i < n; i++) yield* s.scheduleRemove();
}

async function pauseFloor(s: Stackless, n: number): Promise<number> {
  const t = s.tasklet(pausing).setup(s, n);
  sync(s.run()); // to its first pause
  const p = Promise.resolve(1);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += await p;
    await p;
    t.insert();
    sync(s.run());
  }
  return sum;
}

function pauseFloorCase(): Case {
  return { ops: AWAITS, run: () => pauseFloor(stackless, AWAITS) };
}

// --- a turn of the event loop, many times over ---------------------------------------------------------------

const SLEEPERS = 10_000;
const TURNS = 10;
const ASYNC_IMMEDIATE = `${SLEEPERS} async functions awaiting setImmediate ${TURNS} times`;

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function asyncTurns(): Promise<void> {
  for (let i = 0; i < TURNS; i++) await nextTurn();
}

function immediateCase(): Case {
  return {
    ops: SLEEPERS * TURNS,
    run: () => {
      const all: Promise<void>[] = new Array(SLEEPERS);
      for (let i = 0; i < SLEEPERS; i++) all[i] = asyncTurns();
      return Promise.all(all);
    },
  };
}

async function sleepCase(): Promise<Case> {
  const io = await loadIo();
  const hub = io.hub;
  function* turns(): Generator<unknown, void, unknown> {
    for (let i = 0; i < TURNS; i++) yield* hub.sleep(0);
  }
  return {
    ops: SLEEPERS * TURNS,
    run: () => {
      const all: Promise<void>[] = new Array(SLEEPERS);
      for (let i = 0; i < SLEEPERS; i++) all[i] = hub.spawn(turns).result;
      return Promise.all(all);
    },
  };
}

// --- line echo over loopback ---------------------------------------------------------------------------------

const ECHO_CONNECTIONS = 50;
const NET_ECHO = 'node:net callback line echo, 50 connections';

/** ns per echoed line of the server `variant`: warm-up, then the median of the runs. */
async function echoNsPerLine(ctx: Context, variant: string): Promise<number> {
  const { server, port } = await startServer(variant);
  try {
    const warm = ctx.quick ? 500 : 2000;
    const ms = ctx.quick ? 1500 : 5000;
    const runs = ctx.quick ? 1 : 3;
    await loadRun(port, warm);
    const figures: number[] = [];
    for (let i = 0; i < runs; i++) {
      const { lines, ms: took } = await loadRun(port, ms);
      if (lines === 0) throw new Error(`no line came back from the ${variant} server`);
      figures.push((took * 1e6) / lines);
    }
    return median(figures);
  } finally {
    await server.stop();
  }
}

async function loadRun(port: number, ms: number): Promise<{ lines: number; ms: number }> {
  const load = new Proc(1, LOAD_SCRIPT, ['echo', String(port), String(ECHO_CONNECTIONS), String(ms)]);
  try {
    return await load.receive<{ lines: number; ms: number }>('lines', ms + 60_000);
  } finally {
    await load.stop();
  }
}

// --- heap per idle connection --------------------------------------------------------------------------------

const HTTP_IDLE = 'node:http idle keep-alive connection';

/** Heap bytes the server `variant` holds per idle connection, `count` of them opened by `mode` clients. */
async function idleBytes(variant: string, mode: string, count: number): Promise<number> {
  const { server, port } = await startServer(variant);
  let load: Proc | null = null;
  try {
    // One connection first, so that what every connection shares (code, pools) is in the baseline.
    const first = new Proc(1, LOAD_SCRIPT, [mode, String(port), '1']);
    await first.receive('ready');
    server.send({ heap: true });
    const before = (await server.receive<{ heap: number }>('heap')).heap;
    load = new Proc(1, LOAD_SCRIPT, [mode, String(port), String(count)]);
    const { ready } = await load.receive<{ ready: number }>('ready', 300_000);
    if (ready !== count) throw new Error(`only ${ready} of ${count} connections opened`);
    server.send({ heap: true });
    const after = (await server.receive<{ heap: number }>('heap')).heap;
    await first.stop();
    return (after - before) / count;
  } finally {
    if (load !== null) await load.stop();
    await server.stop();
  }
}

function idleCount(ctx: Context): number {
  return ctx.quick ? 2000 : 10_000;
}

export const io: Family = {
  name: 'io',
  title: `@greenstackless/io against async functions and Node's servers (sockets: ${pinning()})`,
  rows(ctx: Context): RowDef[] {
    const idle = idleCount(ctx);
    return [
      timed(ctx, { name: ASYNC_AWAIT, op: 'await' }, awaitCase),
      timed(
        ctx,
        {
          name: 'yield* hub.await(p) (settled), one tasklet',
          op: 'await',
          baseline: ASYNC_AWAIT,
          target: { of: 'ratio', cmp: '<=', limit: 3 },
        },
        hubAwaitCase,
      ),
      timed(
        ctx,
        {
          name: 'least await that pauses the tasklet (floor): two then hops, insert, sync(run())',
          op: 'await',
          baseline: ASYNC_AWAIT,
        },
        pauseFloorCase,
      ),
      timed(ctx, { name: ASYNC_IMMEDIATE, op: 'turn' }, immediateCase),
      timed(
        ctx,
        {
          name: `${SLEEPERS} tasklets sleep(0) ${TURNS} times`,
          op: 'turn',
          baseline: ASYNC_IMMEDIATE,
          target: { of: 'ratio', cmp: '<=', limit: 1.5 },
        },
        sleepCase,
      ),
      valued({ name: NET_ECHO, op: 'line' }, 'ns', () => echoNsPerLine(ctx, 'net-echo')),
      valued(
        {
          name: 'serve line echo (readLine/write), 50 connections',
          op: 'line',
          baseline: NET_ECHO,
          target: { of: 'ratio', cmp: '<=', limit: 1.0 },
        },
        'ns',
        () => echoNsPerLine(ctx, 'serve-echo'),
      ),
      valued({ name: `${HTTP_IDLE}, ${idle}`, op: 'connection' }, 'B', () => idleBytes('http', 'idle-http', idle)),
      valued(
        {
          name: `serve, handler waiting in readLine, ${idle} connections`,
          op: 'connection',
          baseline: `${HTTP_IDLE}, ${idle}`,
          target: { of: 'ratio', cmp: '<=', limit: 1.0 },
        },
        'B',
        () => idleBytes('serve-echo', 'idle-line', idle),
      ),
      ...httpRows(ctx),
    ];
  },
};
