/**
 * The HTTP rows of the `io` family (docs/io.md §4): `wrk -t1 -c50` over keep-alive against a hello world (14 bytes,
 * content-type and content-length set) served by node:http, by `serveHttp` on the default instance and on a tower,
 * and, for information, by the same `serveHttp` with only its head parser swapped for http-parser-js (its ratio to
 * `serveHttp` is what our parser saves or costs per request).
 *
 * Method: each variant runs in a fresh server process pinned to core 0 (io-http-server.ts), wrk pinned to core 1
 * over 127.0.0.1; a warm-up run first, then 3 runs of 10 s (one of 3 s with --quick), the median kept. Rows give
 * ns per request (1e9 / requests per second), so the ">= 1.3x requests/s" target reads "<= 0.77x" here, and the
 * p99 latency from `wrk --latency` in ns. Without wrk the rows are not available and say how to install it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median, Proc, requireWrk } from './io-procs.js';
import type { Context, RowDef } from './measure.js';
import { valued } from './measure.js';

const HTTP_SERVER = fileURLToPath(new URL('./io-http-server.ts', import.meta.url));
const hasTaskset = spawnSync('sh', ['-c', 'command -v taskset'], { stdio: 'ignore' }).status === 0;

interface WrkRun {
  requestsPerSecond: number;
  p99Ns: number;
}

/** One wrk run of `seconds` against `port`, pinned to core 1. */
function wrk(port: number, seconds: number): Promise<WrkRun> {
  const args = ['-t1', '-c50', `-d${seconds}s`, '--latency', `http://127.0.0.1:${port}/`];
  const [cmd, ...rest] = hasTaskset ? ['taskset', '-c', '1', 'wrk', ...args] : ['wrk', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, rest, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const rps = /Requests\/sec:\s+([0-9.]+)/.exec(out);
      const p99 = /^\s*99%\s+([0-9.]+)(us|ms|s)\s*$/m.exec(out);
      const errors = /Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      if (code !== 0 || rps === null || p99 === null) {
        reject(new Error(`wrk failed (exit ${code}): ${out.trim().split('\n').slice(-3).join(' / ')}`));
        return;
      }
      if (errors !== null && errors.slice(1).some((n) => n !== undefined && Number(n) > 0)) {
        reject(new Error(`wrk saw errors: ${errors[0]}`));
        return;
      }
      const scale = p99[2] === 'us' ? 1e3 : p99[2] === 'ms' ? 1e6 : 1e9;
      resolve({ requestsPerSecond: Number(rps[1]), p99Ns: Number(p99[1]) * scale });
    });
  });
}

/** The medians of the runs against a fresh server of `variant`: ns per request, or the p99 latency in ns. */
async function measure(ctx: Context, variant: string, what: 'request' | 'p99'): Promise<number> {
  requireWrk();
  const server = new Proc(0, HTTP_SERVER, [variant]);
  try {
    const { port } = await server.receive<{ port: number }>('port');
    const seconds = ctx.quick ? 3 : 10;
    await wrk(port, ctx.quick ? 1 : 3); // warm-up
    const runs: WrkRun[] = [];
    for (let i = 0; i < (ctx.quick ? 1 : 3); i++) runs.push(await wrk(port, seconds));
    return what === 'request'
      ? median(runs.map((r) => 1e9 / r.requestsPerSecond))
      : median(runs.map((r) => r.p99Ns));
  } finally {
    await server.stop();
  }
}

const NODE = 'node:http hello world, plain handler, wrk -c50 keep-alive';
const NODE_P99 = 'node:http hello world, p99 latency';
const OURS = 'serveHttp hello world, default instance';

export function httpRows(ctx: Context): RowDef[] {
  return [
    valued({ name: NODE, op: 'request' }, 'ns', () => measure(ctx, 'node-http', 'request')),
    valued(
      {
        name: OURS,
        op: 'request',
        baseline: NODE,
        target: { of: 'ratio', cmp: '<=', limit: 0.77 },
      },
      'ns',
      () => measure(ctx, 'serve-http', 'request'),
    ),
    valued({ name: NODE_P99, op: 'p99' }, 'ns', () => measure(ctx, 'node-http', 'p99')),
    valued(
      {
        name: 'serveHttp hello world, default instance, p99 latency',
        op: 'p99',
        baseline: NODE_P99,
        target: { of: 'ratio', cmp: '<=', limit: 1.0 },
      },
      'ns',
      () => measure(ctx, 'serve-http', 'p99'),
    ),
    valued(
      {
        name: 'serveHttp hello world, stackless(fix(stackless(native)))',
        op: 'request',
        baseline: OURS,
        target: { of: 'ratio', cmp: '<=', limit: 1.11 },
      },
      'ns',
      () => measure(ctx, 'serve-http-tower', 'request'),
    ),
    valued(
      { name: 'serveHttp hello world, head parsed by http-parser-js (information)', op: 'request', baseline: OURS },
      'ns',
      () => measure(ctx, 'serve-http-parser-js', 'request'),
    ),
  ];
}
