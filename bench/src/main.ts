/**
 * The benchmark command: `pnpm bench [--quick] [--one-process] [--no-write] [family ...]`.
 *
 * Runs the families (all, or those named), each row in a fresh process (runner.ts), then, in a full run or with
 * --one-process, every timed case of those families in one process (oneprocess.ts); prints a progress line per
 * family and per row while it runs, then the tables and the targets.
 *
 * Only the full run writes files: `pnpm bench` with no family named and without --quick writes bench/RESULTS.md
 * and bench/results.svg, then rewrites the performance table of the root README.md from RESULTS.md
 * (scripts/perf-table.mjs). Every other run prints only; --no-write makes a full run print only too.
 *
 * Invariants:
 * - A family that throws is reported as a failed row; the others still run and are written.
 * - Every ratio in the output compares two figures of this same run.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { FAMILIES } from './families.js';
import type { Context, Family, Row } from './measure.js';
import type { OneProcessRow } from './oneprocess.js';
import { DRIFT_LIMIT, ONE_PROCESS_PASSES, runOneProcess } from './oneprocess.js';
import { runFamily } from './runner.js';
import { chart } from './svg.js';
import { markdownTable, oneProcessMarkdown, oneProcessTerminal, targetMarkdown, targetTerminal, terminalTable } from './table.js';

interface Options {
  quick: boolean;
  oneProcess: boolean;
  noWrite: boolean;
  families: Family[];
}

function usage(): string {
  return `usage: pnpm bench [--quick] [--one-process] [--no-write] [${FAMILIES.map((f) => f.name).join('|')} ...]`;
}

function parse(argv: string[]): Options {
  const options: Options = { quick: false, oneProcess: false, noWrite: false, families: [] };
  for (const arg of argv) {
    if (arg === '--') continue; // `pnpm bench -- --quick` passes the separator through
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--one-process') options.oneProcess = true;
    else if (arg === '--no-write') options.noWrite = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(usage());
      process.exit(0);
    } else {
      const family = FAMILIES.find((f) => f.name === arg);
      if (family === undefined) {
        console.error(`bench: unknown family or option '${arg}'\n${usage()}`);
        process.exit(2);
      }
      if (!options.families.includes(family)) options.families.push(family);
    }
  }
  if (options.families.length === 0) options.families = FAMILIES.slice();
  return options;
}

/** The full run: every family, full sizes. Only it writes RESULTS.md (unless --no-write), and it always has the one process. */
function isFull(options: Options): boolean {
  return !options.quick && options.families.length === FAMILIES.length;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${os.type()} ${os.release()} ${os.arch()}`;
}

function command(options: Options): string {
  const args = [
    ...(options.quick ? ['--quick'] : []),
    ...(options.oneProcess && !isFull(options) ? ['--one-process'] : []),
    ...(options.families.length === FAMILIES.length ? [] : options.families.map((f) => f.name)),
  ];
  return ['pnpm bench', ...args].join(' ');
}

function results(options: Options, rows: Row[], oneProcess: OneProcessRow[], seconds: number): string {
  const families = options.families.map((f) => `- **${f.name}**: ${f.title}`).join('\n');
  return `# Benchmark results

Written by \`bench/src/main.ts\`; do not edit by hand. Re-run with \`${command(options)}\` from the repository root.

- Machine: ${machine()}
- Node: ${process.version} (V8 ${process.versions.v8})
- Date: ${new Date().toISOString()}
- Command: \`${command(options)}\`
- Method: each row measured 3 times, in 3 passes over its family, each time in a fresh Node process; times keep the
  smallest, heap figures the median. Then every timed case of every family in one process: all warmed up first,
  then ${ONE_PROCESS_PASSES} passes, the median kept.
- Duration: ${seconds.toFixed(0)} s

Families:
${families}

Each value is per op (the "one op" column): the mean time of one tinybench call divided by the number of ops
in it, or heap bytes per object. The ratio is the value divided by the value of the baseline row of the same
run; on the peer rows whose baseline is our own channel, it is how many times slower the peer is. ± is
tinybench's relative margin of error of the mean. See bench/README.md for what each row measures.

![ratios](results.svg)

${markdownTable(rows)}

## One process

Every timed case of the families above, in one Node process, as in a program that uses every layer: each case is
warmed up before any is timed, so V8's inline caches have seen every op class and layer. "one process" is the
median of the passes there; "fresh" is the median of the same row's passes in fresh processes above; their ratio
should stay within ${DRIFT_LIMIT}x. "ratio" is to the row's baseline measured in the same one process.

${oneProcessMarkdown(oneProcess)}

## Targets

${targetMarkdown(rows, oneProcess)}
`;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const full = isFull(options);
  const write = full && !options.noWrite;
  const started = performance.now();
  const ctx: Context = { quick: options.quick };
  const log = (line: string) => console.log(line);
  console.log(`bench: ${command(options)} on ${machine()}, Node ${process.version}`);
  if (options.quick) console.log('bench: quick mode: fewer iterations and smaller sizes; figures are rough');
  if (!write) console.log('bench: prints only (only a full `pnpm bench` writes RESULTS.md)');
  const oneProcess = full || options.oneProcess;
  const steps = options.families.length + (oneProcess ? 1 : 0);
  const rows: Row[] = [];
  for (const [i, family] of options.families.entries()) {
    const t0 = performance.now();
    console.log(`[${i + 1}/${steps}] ${family.name}: ${family.title}`);
    try {
      rows.push(...(await runFamily(family, ctx, { repeats: options.quick ? 1 : 3, log })));
    } catch (error) {
      console.error(error);
      rows.push({
        family: family.name, name: '(the whole family)', op: '', value: null, unit: 'ns', rme: null, samples: [],
        baseline: null, ratio: null, target: null, note: `failed: ${(error as Error)?.message ?? String(error)}`,
      });
    }
    console.log(`[${i + 1}/${steps}] ${family.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  let one: OneProcessRow[] = [];
  if (oneProcess) {
    const t0 = performance.now();
    console.log(`[${steps}/${steps}] one process: every timed case of ${options.families.map((f) => f.name).join(', ')}`);
    one = await runOneProcess(options.families, ctx, rows);
    console.log(`[${steps}/${steps}] one process: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log('');
  console.log(terminalTable(rows));
  if (oneProcess) {
    console.log('');
    console.log(oneProcessTerminal(one));
  }
  console.log('');
  console.log(targetTerminal(rows, one));
  if (write) {
    const dir = new URL('../', import.meta.url);
    writeFileSync(new URL('results.svg', dir), chart(rows, `greenstackless benchmarks (${command(options)}, Node ${process.version})`));
    writeFileSync(new URL('RESULTS.md', dir), results(options, rows, one, seconds));
    console.log(`\nbench: wrote bench/RESULTS.md and bench/results.svg (${seconds.toFixed(0)} s)`);
    const script = fileURLToPath(new URL('../../scripts/perf-table.mjs', import.meta.url));
    execFileSync(process.execPath, [script], { stdio: 'inherit' });
  }
}

await main();
