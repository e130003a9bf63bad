/**
 * The one process of oneprocess.ts: `oneprocess-child.ts <family,...> <passes> [--quick]` warms up every timed
 * case of those families, then times each of them `passes` times, pass by pass, and sends the samples to the
 * parent, one message a row, then `null` when it is done.
 *
 * Invariants:
 * - Every case has run (warm-up) before any is timed, so V8's inline caches and inlining decisions have seen every
 *   op class, frame and layer of every family, as in a program that uses them all, before the first timing.
 * - A case is made afresh for each timing and disposed of after it, as in a fresh process (measure.ts `timed`).
 * - A case that throws gives its row a note and is not tried again; the others still run.
 */
import { FAMILIES } from './families.js';
import type { Case, Context, RowDef } from './measure.js';
import { explain, timePerOp } from './measure.js';

export interface OneProcessSample {
  family: string;
  index: number;
  samples: number[];
  note: string | null;
}

/** Runs case `c` until `ms` milliseconds have passed, and at least `runs` times. */
async function warm(c: Case, runs: number, ms: number): Promise<void> {
  const end = performance.now() + ms;
  for (let i = 0; i < runs || performance.now() < end; i++) {
    const r = c.run();
    if (r instanceof Promise) await r;
  }
}

async function main(): Promise<void> {
  const [names, passesText, ...flags] = process.argv.slice(2);
  const ctx: Context = { quick: flags.includes('--quick') };
  const passes = Number(passesText);
  const wanted = (names ?? '').split(',');
  const rows: { family: string; index: number; def: RowDef; result: OneProcessSample }[] = [];
  for (const family of FAMILIES) {
    if (!wanted.includes(family.name)) continue;
    family.rows(ctx).forEach((def, index) => {
      if (def.make !== undefined) rows.push({ family: family.name, index, def, result: { family: family.name, index, samples: [], note: null } });
    });
  }
  const send = (message: OneProcessSample | null) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

  console.log(`  one process: warming up ${rows.length} cases`);
  for (const row of rows) {
    try {
      const c = await row.def.make!();
      try {
        await warm(c, 3, ctx.quick ? 30 : 100);
      } finally {
        c.dispose?.();
      }
    } catch (error) {
      row.result.note = explain(error);
    }
  }
  for (let pass = 1; pass <= passes; pass++) {
    for (const row of rows) {
      if (row.result.note !== null) continue;
      try {
        const c = await row.def.make!();
        try {
          row.result.samples.push((await timePerOp(row.def.spec.name, c, ctx.quick)).value);
        } finally {
          c.dispose?.();
        }
      } catch (error) {
        row.result.note = explain(error);
      }
    }
    console.log(`  one process: pass ${pass}/${passes} done`);
  }
  for (const row of rows) await send(row.result);
  await send(null);
}

if (process.send === undefined) {
  console.error('bench one-process child: no parent to report to');
  process.exit(2);
}
await main();
process.exit(0);
