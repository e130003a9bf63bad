/**
 * One row of the bench timed by CPU time after a warm-up of the cases that a filter names: what the one-process
 * mode measures, reduced to one row and to the warm-ups that matter, for finding which cases slow a row down.
 *
 *   node --expose-gc --conditions=@greenstackless/source --import tsx bench/experiments/one-process-cpu.mjs \
 *     '<warm-up filter>' '<family>: <row name>' [passes]
 *
 * The filter is a regular expression over "family: row name" of every timed row of every family (quick sizes):
 * '^$' warms up nothing (a fresh process), '.' everything, 'scheduling' one family. Each matching case is made,
 * run 3 times and disposed of; then the row's case is made afresh in each pass, run 5 times, and timed by
 * process.cpuUsage() (user + system) over at least 300 ms of CPU: on a machine shared with other work, CPU time
 * moves far less than the wall time tinybench reads. Prints ns per op of each pass.
 */
import { FAMILIES } from '../src/families.ts';

const [filter = '.', target, passesText = '3'] = process.argv.slice(2);
const ctx = { quick: true };
const rows = [];
for (const family of FAMILIES) {
  for (const def of family.rows(ctx)) if (def.make !== undefined) rows.push({ id: `${family.name}: ${def.spec.name}`, make: def.make });
}
const row = rows.find((r) => r.id === target);
if (row === undefined) {
  console.error(`one-process-cpu: no timed row '${target}'; the rows are:\n${rows.map((r) => `  ${r.id}`).join('\n')}`);
  process.exit(2);
}

async function runOnce(c) {
  const p = c.run();
  if (p instanceof Promise) await p;
}

const warm = new RegExp(filter);
for (const r of rows) {
  if (!warm.test(r.id)) continue;
  const c = await r.make();
  for (let i = 0; i < 3; i++) await runOnce(c);
  c.dispose?.();
}
const figures = [];
for (let pass = 0; pass < Number(passesText); pass++) {
  const c = await row.make();
  for (let i = 0; i < 5; i++) await runOnce(c);
  const start = process.cpuUsage();
  let ops = 0;
  let us = 0;
  while (us < 300_000) {
    await runOnce(c);
    ops += c.ops;
    const used = process.cpuUsage(start);
    us = used.user + used.system;
  }
  c.dispose?.();
  figures.push(((us * 1000) / ops).toFixed(1));
}
console.log(`warm-up '${filter}', ${target}: ${figures.join(' ')} ns per op (CPU time)`);
