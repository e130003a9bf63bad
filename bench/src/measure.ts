/**
 * The shared plumbing of every family: rows, targets, timing with tinybench, and heap measurement.
 *
 * Invariants:
 * - A row's `value` is per op (ns per op, or bytes per object); its `ratio` is always value / baseline value,
 *   both measured in the same run, so "≥ 20x" on a peer's row means ours is at least 20 times faster.
 * - A row that could not be measured keeps its place, with `value` null and `note` saying why ("not
 *   available: ..." for a package that is not there yet, "failed: ..." for an error while measuring).
 * - A case runs a fixed number of ops per call of `run()`; tinybench times each call, and the value is the mean
 *   call time divided by that number. The mean, not the median: garbage collection is part of the cost.
 */
import { Bench } from 'tinybench';
import { NotAvailable } from './api.js';

/** How a row's value must compare: a ratio to its baseline, or the value itself. */
export interface Target {
  of: 'ratio' | 'value';
  cmp: '<=' | '>=';
  limit: number;
  /** The issue the target comes from, e.g. "issue 2". */
  source: string;
}

export type Unit = 'ns' | 'B' | 'MB';

export interface Row {
  family: string;
  name: string;
  /** What one op is for this row ("switch", "message", "tasklet", ...). */
  op: string;
  value: number | null;
  unit: Unit;
  /** Relative margin of error of the mean, in percent, when tinybench measured it. */
  rme: number | null;
  baseline: string | null;
  ratio: number | null;
  target: Target | null;
  note: string | null;
}

/** What a family gets from main: the mode and a way to print progress. */
export interface Context {
  quick: boolean;
  log(line: string): void;
}

export interface Family {
  name: string;
  title: string;
  run(ctx: Context): Promise<Row[]>;
}

/** One benchmark: `run()` performs `ops` ops; `dispose()` releases what the case made (not timed). */
export interface Case {
  ops: number;
  run(): unknown;
  dispose?(): void;
}

export interface RowSpec {
  name: string;
  op: string;
  baseline?: string;
  target?: Target;
}

/** True if the row's value meets its target; null if it has no target or no value. */
export function targetMet(row: Row): boolean | null {
  const t = row.target;
  if (t === null) return null;
  const x = t.of === 'ratio' ? row.ratio : row.value;
  if (x === null) return null;
  return t.cmp === '<=' ? x <= t.limit : x >= t.limit;
}

export function describeTarget(t: Target | null, unit: Unit): string {
  if (t === null) return '';
  return t.of === 'ratio' ? `${t.cmp} ${t.limit}x` : `${t.cmp} ${t.limit} ${unit}`;
}

/** Runs the garbage collector until the heap stops shrinking; needs node --expose-gc. */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new NotAvailable('global.gc is missing: run node with --expose-gc');
  gc();
  gc();
}

export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/**
 * The rows of one family, in order. Each `add*` method measures one row and never throws: a failure becomes the
 * row's note, so one broken case does not hide the others.
 */
export class Rows {
  readonly rows: Row[] = [];
  private readonly ctx: Context;
  private readonly family: string;

  constructor(family: string, ctx: Context) {
    this.family = family;
    this.ctx = ctx;
  }

  /** Times a case with tinybench: ns per op. `make` may throw NotAvailable. */
  async time(spec: RowSpec, make: () => Case | Promise<Case>): Promise<Row> {
    return this.measureRow(spec, 'ns', async () => {
      const c = await make();
      try {
        const { mean, rme } = await timeCase(spec.name, c, this.ctx.quick);
        return { value: (mean * 1e6) / c.ops, rme };
      } finally {
        c.dispose?.();
      }
    });
  }

  /** A row whose value some other measurement gives (a heap size, a one-shot time). */
  async value(spec: RowSpec, unit: Unit, measure: () => number | Promise<number>): Promise<Row> {
    return this.measureRow(spec, unit, async () => ({ value: await measure(), rme: null }));
  }

  /** A row that cannot be measured at all, e.g. because its package is missing. */
  unavailable(spec: RowSpec, unit: Unit, error: unknown): Row {
    return this.push(spec, unit, null, null, explain(error));
  }

  private async measureRow(
    spec: RowSpec,
    unit: Unit,
    measure: () => Promise<{ value: number; rme: number | null }>,
  ): Promise<Row> {
    this.ctx.log(`  ${this.family}: ${spec.name} ...`);
    let value: number | null = null;
    let rme: number | null = null;
    let note: string | null = null;
    try {
      collect();
      ({ value, rme } = await measure());
    } catch (error) {
      note = explain(error);
    }
    return this.push(spec, unit, value, rme, note);
  }

  private push(spec: RowSpec, unit: Unit, value: number | null, rme: number | null, note: string | null): Row {
    const base = spec.baseline === undefined ? undefined : this.rows.find((r) => r.name === spec.baseline);
    if (spec.baseline !== undefined && base === undefined) {
      throw new Error(`bench ${this.family}: row '${spec.name}' names baseline '${spec.baseline}', which is not a row yet`);
    }
    const ratio = value !== null && base !== undefined && base.value !== null ? value / base.value : null;
    const row: Row = {
      family: this.family,
      name: spec.name,
      op: spec.op,
      value,
      unit,
      rme,
      baseline: spec.baseline ?? null,
      ratio,
      target: spec.target ?? null,
      note,
    };
    this.rows.push(row);
    return row;
  }
}

function explain(error: unknown): string {
  if (error instanceof NotAvailable) return `not available: ${error.message}`;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `failed: ${text}`;
}

/** Times `c.run()` with tinybench; returns the mean time of one call in ms and its relative margin of error. */
async function timeCase(name: string, c: Case, quick: boolean): Promise<{ mean: number; rme: number }> {
  const bench = new Bench({
    time: quick ? 150 : 1000,
    warmupTime: quick ? 50 : 250,
    iterations: quick ? 5 : 20,
    warmupIterations: quick ? 2 : 5,
    throws: true,
  });
  const fn = c.run.bind(c);
  bench.add(name, fn);
  // A sync case is timed with runSync, so no promise machinery is in the timed window.
  const probe = fn();
  if (probe instanceof Promise) {
    await probe;
    await bench.run();
  } else {
    bench.runSync();
  }
  const result = bench.tasks[0]!.result;
  if (result.state === 'errored') throw result.error;
  if (result.state !== 'completed') throw new Error(`tinybench task '${name}' ended in state ${result.state}`);
  return { mean: result.latency.mean, rme: result.latency.rme };
}
