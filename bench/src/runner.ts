/**
 * Runs a family's rows, each measurement in a fresh Node process.
 *
 * Why a process per row: the trampoline's call sites (`frame.next(value)`) and the JIT's inlining decisions
 * depend on every generator they have seen, so in one process a row's figure depends on the rows run before it
 * (we saw the same case move by 30% with the order). A fresh process gives every row the same clean start; what
 * a user's process sees, with every layer loaded, is measured apart (oneprocess.ts).
 *
 * Invariants:
 * - The child rebuilds the family's row list with the same context and measures the row at the given index
 *   (child.ts); it sends back one Outcome and exits.
 * - A child that crashes, hangs past the time limit or sends nothing gives a "failed: ..." row, never an
 *   exception here.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Context, Family, Outcome, Row, Unit } from './measure.js';
import { assemble } from './measure.js';
import { formatValue } from './table.js';

export interface RunOptions {
  /** How many times each row is measured (see combine). */
  repeats: number;
  log(line: string): void;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

/**
 * Measures every row `repeats` times, in passes over the whole family so that a burst of load from other
 * processes on the machine hits different rows, then combines each row's values (`combine`). A row that is not
 * available in the first pass is not tried again.
 */
export async function runFamily(family: Family, ctx: Context, options: RunOptions): Promise<Row[]> {
  const defs = family.rows(ctx);
  const outcomes: Outcome[][] = defs.map(() => []);
  for (let pass = 1; pass <= options.repeats; pass++) {
    for (const [i, def] of defs.entries()) {
      const first = outcomes[i]![0];
      if (first !== undefined && first.value === null) continue;
      const t0 = performance.now();
      const outcome = await inChild(family, i, ctx);
      outcomes[i]!.push(outcome);
      const took = ((performance.now() - t0) / 1000).toFixed(1);
      const shown = outcome.value === null ? outcome.note : formatValue(outcome.value, def.unit);
      const passText = options.repeats > 1 ? ` [pass ${pass}/${options.repeats}]` : '';
      options.log(`  ${family.name} ${i + 1}/${defs.length}${passText}: ${def.spec.name}: ${shown} (${took} s)`);
    }
  }
  const samples = outcomes.map((list) => list.flatMap((o) => (o.value === null ? [] : [o.value])));
  return assemble(family.name, defs, defs.map((def, i) => combine(def.unit, outcomes[i]!)), samples);
}

/**
 * One figure from several measurements of a row. Times: the smallest, since load from other processes only ever
 * adds time, so the minimum is the least disturbed figure. Heap figures: the median, since they vary with when
 * the collector happens to run, in both directions. A failed measurement makes the row fail: it is not hidden
 * behind the others.
 */
function combine(unit: Unit, outcomes: Outcome[]): Outcome {
  const failed = outcomes.find((o) => o.value === null);
  if (failed !== undefined) return failed;
  const sorted = outcomes.slice().sort((a, b) => a.value! - b.value!);
  return unit === 'ns' ? sorted[0]! : sorted[Math.floor((sorted.length - 1) / 2)]!;
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
