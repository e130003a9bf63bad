/**
 * The shared plumbing of every family: row definitions, targets, timing with tinybench, heap measurement.
 *
 * Invariants:
 * - A family is a list of row definitions, made the same way in the parent and in the child process that
 *   measures one of them (runner.ts), so a row is named by its family and its index.
 * - A row's `value` is per op (ns per op, or bytes per object); its `ratio` is always value / baseline value,
 *   both measured in the same run, so "≥ 20x" on a peer's row means ours is at least 20 times faster.
 * - A row that could not be measured keeps its place, with `value` null and `note` saying why ("not
 *   available: ..." for a package that is not there yet, "failed: ..." for an error while measuring).
 * - A timed case runs a fixed number of ops per call of `run()`; tinybench times each call, and the value is the
 *   mean call time divided by that number. The mean, not the median: garbage collection is part of the cost.
 */
import { Bench } from 'tinybench';
import { NotAvailable } from './api.js';

/** How a row's value must compare: a ratio to its baseline, or the value itself. */
export interface Target {
  of: 'ratio' | 'value';
  cmp: '<=' | '>=';
  limit: number;
}

export type Unit = 'ns' | 'B' | 'MB';

export interface RowSpec {
  name: string;
  /** What one op is for this row ("switch", "message", "tasklet", ...). */
  op: string;
  /** The name of an earlier row of the same family. */
  baseline?: string;
  target?: Target;
  /** The target of the row's ratio to its baseline when every case runs in one process (oneprocess.ts). */
  oneProcessTarget?: Target;
}

/** What a measurement gives, or why there is none. */
export interface Outcome {
  value: number | null;
  /** Relative margin of error of the mean, in percent, when tinybench measured it. */
  rme: number | null;
  note: string | null;
}

export interface RowDef {
  spec: RowSpec;
  unit: Unit;
  measure(): Promise<{ value: number; rme: number | null }>;
  /** For a row timed by tinybench: what builds its case, so that one process can warm it up and time it again. */
  make?: () => Case | Promise<Case>;
}

export interface Row extends Outcome {
  family: string;
  /** Every measurement of the row's value, one a pass; `value` is made from them (runner.ts). */
  samples: number[];
  name: string;
  op: string;
  unit: Unit;
  baseline: string | null;
  ratio: number | null;
  target: Target | null;
}

/** What a family gets from the runner. */
export interface Context {
  quick: boolean;
}

export interface Family {
  name: string;
  title: string;
  rows(ctx: Context): RowDef[];
}

/** One benchmark: `run()` performs `ops` ops; `dispose()` releases what the case made (not timed). */
export interface Case {
  ops: number;
  run(): unknown;
  dispose?(): void;
}

/** A row timed with tinybench: ns per op of the case that `make` builds (it may throw NotAvailable). */
export function timed(ctx: Context, spec: RowSpec, make: () => Case | Promise<Case>): RowDef {
  return {
    spec,
    unit: 'ns',
    make,
    async measure() {
      const c = await make();
      try {
        return await timePerOp(spec.name, c, ctx.quick);
      } finally {
        c.dispose?.();
      }
    },
  };
}

/** ns per op of case `c`, timed with tinybench, and the relative margin of error of that mean. */
export async function timePerOp(name: string, c: Case, quick: boolean): Promise<{ value: number; rme: number }> {
  const { mean, rme } = await timeCase(name, c, quick);
  return { value: (mean * 1e6) / c.ops, rme };
}

/** A row whose value another measurement gives: a heap size, a one-shot time. */
export function valued(spec: RowSpec, unit: Unit, measure: () => number | Promise<number>): RowDef {
  return {
    spec,
    unit,
    async measure() {
      return { value: await measure(), rme: null };
    },
  };
}

/** Measures one row in this process; never throws: a failure becomes the note. */
export async function measureRow(def: RowDef): Promise<Outcome> {
  try {
    // Start from a collected heap when we can; only the memory rows need --expose-gc (collect() says so).
    (globalThis as { gc?: () => void }).gc?.();
    const { value, rme } = await def.measure();
    return { value, rme, note: null };
  } catch (error) {
    return { value: null, rme: null, note: explain(error) };
  }
}

/** The rows of a family from their outcomes, each ratio taken against its baseline row. */
export function assemble(family: string, defs: RowDef[], outcomes: Outcome[], samples: number[][] = []): Row[] {
  const rows: Row[] = [];
  defs.forEach((def, i) => {
    const spec = def.spec;
    const base = spec.baseline === undefined ? undefined : rows.find((r) => r.name === spec.baseline);
    if (spec.baseline !== undefined && base === undefined) {
      throw new Error(`bench ${family}: row '${spec.name}' names baseline '${spec.baseline}', which is not an earlier row`);
    }
    const o = outcomes[i]!;
    rows.push({
      family,
      samples: samples[i] ?? (o.value === null ? [] : [o.value]),
      name: spec.name,
      op: spec.op,
      unit: def.unit,
      value: o.value,
      rme: o.rme,
      note: o.note,
      baseline: spec.baseline ?? null,
      ratio: o.value !== null && base !== undefined && base.value !== null ? o.value / base.value : null,
      target: spec.target ?? null,
    });
  });
  return rows;
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

/** Runs the garbage collector twice (the second pass frees what finalizers released); needs --expose-gc. */
export function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new NotAvailable('global.gc is missing: run node with --expose-gc');
  gc();
  gc();
}

export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

export function explain(error: unknown): string {
  if (error instanceof NotAvailable) return `not available: ${error.message}`;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `failed: ${text}`;
}

/** Times `c.run()` with tinybench; returns the mean time of one call in ms and its relative margin of error. */
async function timeCase(name: string, c: Case, quick: boolean): Promise<{ mean: number; rme: number }> {
  const bench = new Bench({
    time: quick ? 150 : 500,
    warmupTime: quick ? 50 : 200,
    iterations: quick ? 5 : 10,
    warmupIterations: quick ? 2 : 5,
    throws: true,
  });
  const fn = c.run.bind(c);
  bench.add(name, fn);
  // One call outside tinybench tells a sync case from an async one, and fails fast on a broken case.
  // A sync case is timed with runSync, so no promise machinery is in its timed window.
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
