#!/usr/bin/env node
// Rewrites the performance section of the root README.md, between `<!-- perf:start -->` and `<!-- perf:end -->`,
// from bench/RESULTS.md: the command and date of the run, and its targets table (what, ratio, against, target,
// met?). Nothing else goes there: the figures and their method stay in RESULTS.md. bench/src/main.ts runs this after
// a full run writes RESULTS.md; run it by hand with `node scripts/perf-table.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const START = '<!-- perf:start -->';
export const END = '<!-- perf:end -->';

/** The section's text (without the markers) made from the text of RESULTS.md; throws if a part is missing. */
export function perfSection(results) {
  const command = /^- Command: `([^`]+)`/m.exec(results)?.[1];
  const date = /^- Date: (\S+)/m.exec(results)?.[1];
  if (command === undefined || date === undefined) throw new Error('perf-table: RESULTS.md has no "- Command:" or "- Date:" line');
  const at = results.search(/^## Targets$/m);
  if (at < 0) throw new Error('perf-table: RESULTS.md has no "## Targets" section');
  const table = [];
  for (const line of results.slice(at).split('\n').slice(1)) {
    if (line.startsWith('|')) table.push(line);
    else if (table.length !== 0 || line.startsWith('#')) break;
  }
  if (table.length < 3) throw new Error('perf-table: the "## Targets" section of RESULTS.md has no table');
  const when = date.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
  return `\`${command}\`, ${when} ([bench/RESULTS.md](bench/RESULTS.md)):\n\n${table.join('\n')}`;
}

/** `readme` with the text between the markers replaced by `section`; throws unless each marker is there once. */
export function replaceSection(readme, section) {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start || readme.indexOf(START, start + 1) >= 0 || readme.indexOf(END, end + 1) >= 0) {
    throw new Error(`perf-table: README.md must hold ${START} and then ${END}, once each`);
  }
  return `${readme.slice(0, start + START.length)}\n${section}\n${readme.slice(end)}`;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = new URL('../', import.meta.url);
  const results = readFileSync(new URL('bench/RESULTS.md', root), 'utf8');
  const readmeUrl = new URL('README.md', root);
  writeFileSync(readmeUrl, replaceSection(readFileSync(readmeUrl, 'utf8'), perfSection(results)));
  console.log('perf-table: rewrote the performance table of README.md from bench/RESULTS.md');
}
