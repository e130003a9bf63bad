/**
 * The one-process mode: every timed case of the families run, in one Node process, as a user's program would
 * have them, against the same rows measured each in a fresh process (runner.ts) in the same run.
 *
 * A fresh process gives each row a clean start: V8's inline caches at the trampoline's call sites have seen only
 * that row's generators and ops. A user's process loads every layer and runs many kinds of ops through the same
 * call sites, which may then be polymorphic or megamorphic. This mode warms up every case first (so every call
 * site has seen every op class and layer), then times each case several times, pass by pass, and keeps the
 * median (oneprocess-child.ts).
 *
 * Invariants:
 * - A row's figure here is compared only with figures of this same run: its fresh-process figure (the median of
 *   its fresh passes, so that both sides are medians), and its baseline row measured in this same process.
 * - A row's target here is its spec's `oneProcessTarget`, which may differ from its fresh-process target.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Context, Family, Row, Target } from './measure.js';
import type { OneProcessSample } from './oneprocess-child.js';

const CHILD = fileURLToPath(new URL('./oneprocess-child.ts', import.meta.url));

/** How far a row's one-process figure may be from its fresh-process figure (as a ratio of the two). */
export const DRIFT_LIMIT = 1.3;

/** A row measured in the one process. `ratio` is to its baseline in the one process; `drift` is value / fresh. */
export interface OneProcessRow extends Row {
  fresh: number | null;
  drift: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The passes of the one process, in quick mode too: a median that one disturbed pass does not move. */
export const ONE_PROCESS_PASSES = 3;

/** Forks the one process for `families` and gathers its samples; a crash or a hang gives notes, never a throw. */
function gather(families: Family[], ctx: Context): Promise<{ samples: OneProcessSample[]; failure: string | null }> {
  const limit = ctx.quick ? 600_000 : 1_800_000;
  return new Promise((resolve) => {
    const samples: OneProcessSample[] = [];
    let complete = false;
    const child = fork(CHILD, [families.map((f) => f.name).join(','), String(ONE_PROCESS_PASSES), ...(ctx.quick ? ['--quick'] : [])], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.on('message', (message) => {
      if (message === null) complete = true;
      else samples.push(message as OneProcessSample);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const why = signal === 'SIGKILL' ? `killed after ${limit / 1000} s` : signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
      resolve({ samples, failure: complete ? null : `failed: the one process ${why} before it finished` });
    });
  });
}

/**
 * Runs the families' timed cases in one process and returns one row per case, beside `fresh`, the rows of the
 * same families measured in fresh processes in this run.
 */
export async function runOneProcess(families: Family[], ctx: Context, fresh: Row[]): Promise<OneProcessRow[]> {
  const { samples, failure } = await gather(families, ctx);
  return assembleOneProcess(families, ctx, samples, failure, fresh);
}

/**
 * The one-process rows from the samples of the one process: each timed row's median, its fresh median, their
 * ratio, and its ratio to its baseline in the one process. A row without samples gets its note, or `failure`.
 */
export function assembleOneProcess(
  families: Family[], ctx: Context, samples: OneProcessSample[], failure: string | null, fresh: Row[],
): OneProcessRow[] {
  const rows: OneProcessRow[] = [];
  for (const family of families) {
    const defs = family.rows(ctx);
    const familyRows: OneProcessRow[] = [];
    defs.forEach((def, index) => {
      if (def.make === undefined) return;
      const spec = def.spec;
      const got = samples.find((s) => s.family === family.name && s.index === index);
      const value = got === undefined ? null : median(got.samples);
      const freshRow = fresh.find((r) => r.family === family.name && r.name === spec.name);
      const freshValue = freshRow === undefined ? null : median(freshRow.samples);
      const base = spec.baseline === undefined ? undefined : familyRows.find((r) => r.name === spec.baseline);
      const target: Target | null = spec.oneProcessTarget ?? null;
      familyRows.push({
        family: family.name,
        name: spec.name,
        op: spec.op,
        unit: def.unit,
        samples: got?.samples ?? [],
        value,
        rme: null,
        note: got?.note ?? (got === undefined ? failure ?? 'failed: no figure from the one process' : null),
        baseline: base === undefined ? null : base.name,
        ratio: value !== null && base?.value != null ? value / base.value : null,
        target,
        fresh: freshValue,
        drift: value !== null && freshValue !== null ? value / freshValue : null,
      });
    });
    rows.push(...familyRows);
  }
  return rows;
}

/** The row that moved most from its fresh-process figure, and how many rows are within DRIFT_LIMIT. */
export function worstDrift(rows: OneProcessRow[]): { worst: OneProcessRow | null; within: number; measured: number } {
  let worst: OneProcessRow | null = null;
  let within = 0;
  let measured = 0;
  for (const r of rows) {
    if (r.drift === null) continue;
    measured++;
    if (r.drift <= DRIFT_LIMIT) within++;
    if (worst === null || r.drift > worst.drift!) worst = r;
  }
  return { worst, within, measured };
}
