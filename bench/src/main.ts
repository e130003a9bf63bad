/**
 * The benchmark command: `pnpm bench [--quick] [--inline] [--no-write] [family ...]`.
 *
 * Runs the families (all, or those named), each row in a fresh process unless --inline (runner.ts), prints a
 * progress line per family and per row while it runs, then the table; writes bench/RESULTS.md and
 * bench/results.svg unless --no-write is given.
 *
 * Invariants:
 * - A family that throws is reported as a failed row; the others still run and are written.
 * - Every ratio in the output compares two figures of this same run.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { FAMILIES } from './families.js';
import type { Context, Family, Row } from './measure.js';
import { runFamily } from './runner.js';
import { chart } from './svg.js';
import { markdownTable, targetList, terminalTable } from './table.js';

interface Options {
  quick: boolean;
  inline: boolean;
  write: boolean;
  families: Family[];
}

function usage(): string {
  return `usage: pnpm bench [--quick] [--inline] [--no-write] [${FAMILIES.map((f) => f.name).join('|')} ...]`;
}

function parse(argv: string[]): Options {
  const options: Options = { quick: false, inline: false, write: true, families: [] };
  for (const arg of argv) {
    if (arg === '--') continue; // `pnpm bench -- --quick` passes the separator through
    else if (arg === '--quick') options.quick = true;
    else if (arg === '--inline') options.inline = true;
    else if (arg === '--no-write') options.write = false;
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

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${os.type()} ${os.release()} ${os.arch()}`;
}

function command(options: Options): string {
  const args = [
    ...(options.quick ? ['--quick'] : []),
    ...(options.inline ? ['--inline'] : []),
    ...(options.families.length === FAMILIES.length ? [] : options.families.map((f) => f.name)),
  ];
  return ['pnpm bench', ...args].join(' ');
}

function results(options: Options, rows: Row[], seconds: number): string {
  const families = options.families.map((f) => `- **${f.name}**: ${f.title}`).join('\n');
  return `# Benchmark results

Written by \`bench/src/main.ts\`; do not edit by hand. Re-run with \`${command(options)}\` from the repository root.

- Machine: ${machine()}
- Node: ${process.version} (V8 ${process.versions.v8})
- Date: ${new Date().toISOString()}
- Command: \`${command(options)}\`${options.quick ? ' (quick mode: fewer iterations and smaller sizes; figures are rough)' : ''}
- Method: ${options.quick ? 'each row measured once' : 'each row measured 3 times, in 3 passes over its family; times keep the smallest, heap figures the median'}, ${options.inline ? 'all in one process (--inline)' : 'each time in a fresh Node process'}
- Duration: ${seconds.toFixed(0)} s

Families:
${families}

Each value is per op (the "one op" column): the mean time of one tinybench call divided by the number of ops
in it, or heap bytes per object. The ratio is the value divided by the value of the baseline row of the same
run; on the peer rows whose baseline is our own channel, it is how many times slower the peer is. ± is
tinybench's relative margin of error of the mean. See bench/README.md for what each row measures.

![ratios](results.svg)

${markdownTable(rows)}

## Targets

${targetList(rows) || '(no targets among the families run)'}
`;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const started = performance.now();
  const ctx: Context = { quick: options.quick };
  const log = (line: string) => console.log(line);
  console.log(`bench: ${command(options)} on ${machine()}, Node ${process.version}`);
  if (options.quick) console.log('bench: quick mode: fewer iterations and smaller sizes; figures are rough');
  const rows: Row[] = [];
  for (const [i, family] of options.families.entries()) {
    const t0 = performance.now();
    console.log(`[${i + 1}/${options.families.length}] ${family.name}: ${family.title}`);
    try {
      rows.push(...(await runFamily(family, ctx, { isolate: !options.inline, repeats: options.quick ? 1 : 3, log })));
    } catch (error) {
      console.error(error);
      rows.push({
        family: family.name, name: '(the whole family)', op: '', value: null, unit: 'ns', rme: null,
        baseline: null, ratio: null, target: null, note: `failed: ${(error as Error)?.message ?? String(error)}`,
      });
    }
    console.log(`[${i + 1}/${options.families.length}] ${family.name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const seconds = (performance.now() - started) / 1000;
  console.log('');
  console.log(terminalTable(rows));
  console.log('');
  console.log(targetList(rows));
  if (options.write) {
    const dir = new URL('../', import.meta.url);
    writeFileSync(new URL('results.svg', dir), chart(rows, `greenstackless benchmarks (${command(options)}, Node ${process.version})`));
    writeFileSync(new URL('RESULTS.md', dir), results(options, rows, seconds));
    console.log(`\nbench: wrote bench/RESULTS.md and bench/results.svg (${seconds.toFixed(0)} s)`);
  }
}

await main();
