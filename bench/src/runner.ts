/**
 * Runs a family's rows, each measurement in a fresh Node process by default.
 *
 * Why a process per row: the trampoline's call sites (`frame.next(value)`) and the JIT's inlining decisions
 * depend on every generator they have seen, so in one process a row's figure depends on the rows run before it
 * (we saw the same case move by 30% with the order). A fresh process gives every row the same clean start;
 * `--inline` runs them all in this process instead, for debugging.
 *
 * Invariants:
 * - The child rebuilds the family's row list with the same context and measures the row at the given index
 *   (child.ts); it sends back one Outcome and exits.
 * - A child that crashes, hangs past the time limit or sends nothing gives a "failed: ..." row, never an
 *   exception here.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Context, Family, Outcome, Row } from './measure.js';
import { assemble, measureRow } from './measure.js';
import { formatValue } from './table.js';

export interface RunOptions {
  isolate: boolean;
  /** How many times each row is measured; the smallest value is kept. */
  repeats: number;
  log(line: string): void;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * Measures every row `repeats` times, in passes over the whole family so that a burst of load from other
 * processes on the machine hits different rows, and keeps each row's smallest value: interference only ever adds
 * time (or heap), so the minimum is the figure least disturbed by it. A row that is not available in the first
 * pass is not tried again.
 */
export async function runFamily(family: Family, ctx: Context, options: RunOptions): Promise<Row[]> {
  const defs = family.rows(ctx);
  const best: (Outcome | null)[] = defs.map(() => null);
  for (let pass = 1; pass <= options.repeats; pass++) {
    for (const [i, def] of defs.entries()) {
      const previous = best[i];
      if (previous !== null && previous !== undefined && previous.value === null) continue;
      const t0 = performance.now();
      const outcome = options.isolate ? await inChild(family, i, ctx) : await measureRow(def);
      if (previous === null || previous === undefined || (outcome.value !== null && outcome.value < previous.value!)) best[i] = outcome;
      const took = ((performance.now() - t0) / 1000).toFixed(1);
      const shown = outcome.value === null ? outcome.note : formatValue(outcome.value, def.unit);
      const passText = options.repeats > 1 ? ` [pass ${pass}/${options.repeats}]` : '';
      options.log(`  ${family.name} ${i + 1}/${defs.length}${passText}: ${def.spec.name}: ${shown} (${took} s)`);
    }
  }
  return assemble(family.name, defs, best as Outcome[]);
}

function inChild(family: Family, index: number, ctx: Context): Promise<Outcome> {
  const limit = ctx.quick ? 60_000 : 180_000;
  return new Promise((resolve) => {
    let outcome: Outcome | null = null;
    const child = fork(CHILD, [family.name, String(index), ...(ctx.quick ? ['--quick'] : [])], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.on('message', (message) => {
      outcome = message as Outcome;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (outcome !== null) resolve(outcome);
      else {
        const why = signal === 'SIGKILL' ? `killed after ${limit / 1000} s` : signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
        resolve({ value: null, rme: null, note: `failed: the child process measuring it ${why} without a result` });
      }
    });
  });
}
