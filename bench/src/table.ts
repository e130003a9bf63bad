/**
 * The results table, for the terminal and for RESULTS.md: one line per row, the same columns in both.
 *
 * Invariants:
 * - Both renderings take the rows as measured and format them the same way (`cells`), so the terminal and the
 *   file never disagree.
 * - A row without a value shows "n/a" and its note is listed under the table, never dropped.
 * - The targets table has the same columns (what, ratio, against, target, met?) in the terminal, in RESULTS.md and
 *   in the root README (scripts/perf-table.mjs reads it from RESULTS.md).
 */
import { describeTarget, Row, targetMet } from './measure.js';
import type { OneProcessRow } from './oneprocess.js';
import { DRIFT_LIMIT, worstDrift } from './oneprocess.js';

const HEADERS = ['family', 'benchmark', 'one op', 'value', '±', 'baseline', 'ratio', 'target', 'met?'];

export function formatValue(value: number | null, unit: Row['unit']): string {
  if (value === null) return 'n/a';
  if (unit === 'ns' && value >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
  if (unit === 'ns') return `${value < 10 ? value.toFixed(2) : value < 1000 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ns`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  return `${Math.round(value).toLocaleString('en-US')} B`;
}

export function formatRatio(ratio: number | null): string {
  if (ratio === null) return '';
  return `${ratio < 10 ? ratio.toFixed(2) : ratio < 100 ? ratio.toFixed(1) : Math.round(ratio).toLocaleString('en-US')}x`;
}

function metText(row: Row): string {
  const met = targetMet(row);
  return met === null ? (row.target === null ? '' : 'n/a') : met ? 'yes' : 'NO';
}

function cells(row: Row): string[] {
  return [
    row.family,
    row.name,
    row.op,
    formatValue(row.value, row.unit),
    row.rme === null ? '' : `${row.rme.toFixed(1)}%`,
    row.baseline ?? '',
    formatRatio(row.ratio),
    describeTarget(row.target, row.unit),
    metText(row),
  ];
}

function notes(rows: Row[]): string[] {
  return rows.filter((r) => r.note !== null).map((r) => `${r.family} / ${r.name}: ${r.note}`);
}

/** Lines of cells as aligned plain text, the `numeric` columns right-aligned. */
function aligned(headers: string[], lines: string[][], numeric: number[]): string {
  const all = [headers, ...lines];
  const widths = headers.map((_, i) => Math.max(...all.map((l) => l[i]!.length)));
  const render = (l: string[]) =>
    l.map((c, i) => (numeric.includes(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [render(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(render)].join('\n');
}

/** Lines of cells as a GitHub markdown table, the `numeric` columns right-aligned. */
function markdown(headers: string[], lines: string[][], numeric: number[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const align = headers.map((_, i) => (numeric.includes(i) ? '---:' : '---'));
  return [`| ${headers.join(' | ')} |`, `| ${align.join(' | ')} |`, ...lines.map((l) => `| ${l.map(esc).join(' | ')} |`)].join('\n');
}

function withNotes(table: string, rows: Row[], bullet: string): string {
  const n = notes(rows);
  return n.length === 0 ? table : [table, '', ...n.map((x) => `${bullet}${x.replace(/\|/g, '\\|')}`)].join('\n');
}

/** The table as aligned plain text for the terminal, notes below it. */
export function terminalTable(rows: Row[]): string {
  return withNotes(aligned(HEADERS, rows.map(cells), [3, 4, 6]), rows, '  ');
}

/** The table in GitHub markdown, notes below it. */
export function markdownTable(rows: Row[]): string {
  return withNotes(markdown(HEADERS, rows.map(cells), [3, 4, 6]), rows, '- ');
}

// --- the one process ----------------------------------------------------------------------------------------

const ONE_HEADERS = ['family', 'benchmark', 'one op', 'one process', 'fresh', 'one/fresh', `<= ${DRIFT_LIMIT}x?`, 'baseline', 'ratio', 'target', 'met?'];

function oneCells(row: OneProcessRow): string[] {
  return [
    row.family,
    row.name,
    row.op,
    formatValue(row.value, row.unit),
    formatValue(row.fresh, row.unit),
    formatRatio(row.drift),
    row.drift === null ? '' : row.drift <= DRIFT_LIMIT ? 'yes' : 'NO',
    row.baseline ?? '',
    formatRatio(row.ratio),
    describeTarget(row.target, row.unit),
    metText(row),
  ];
}

/** The one-process rows as aligned text, with the fresh-process figures beside them. */
export function oneProcessTerminal(rows: OneProcessRow[]): string {
  return withNotes(aligned(ONE_HEADERS, rows.map(oneCells), [3, 4, 5, 8]), rows, '  ');
}

export function oneProcessMarkdown(rows: OneProcessRow[]): string {
  return withNotes(markdown(ONE_HEADERS, rows.map(oneCells), [3, 4, 5, 8]), rows, '- ');
}

// --- the targets --------------------------------------------------------------------------------------------

const TARGET_HEADERS = ['what', 'ratio', 'against', 'target', 'met?'];

function verdict(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'yes' : 'NO';
}

/** One line per target: what is measured, the figure, its baseline, the target and the verdict. */
function targetLines(rows: Row[], oneProcess: OneProcessRow[]): string[][] {
  const lines = rows
    .filter((r) => r.target !== null)
    .map((r) => {
      const t = r.target!;
      const measured = t.of === 'ratio' ? formatRatio(r.ratio) || 'n/a' : formatValue(r.value, r.unit);
      return [`${r.family}: ${r.name}`, measured, t.of === 'ratio' ? r.baseline ?? '' : '', describeTarget(t, r.unit), verdict(targetMet(r))];
    });
  for (const r of oneProcess.filter((x) => x.target !== null)) {
    lines.push([`one process, ${r.family}: ${r.name}`, formatRatio(r.ratio) || 'n/a', `${r.baseline ?? ''}, in the same process`, describeTarget(r.target, r.unit), verdict(targetMet(r))]);
  }
  const { worst, within, measured } = worstDrift(oneProcess);
  if (oneProcess.length !== 0) {
    lines.push([
      worst === null ? 'one process against fresh processes' : `one process against fresh processes, the furthest row (${worst.family}: ${worst.name}; ${within} of ${measured} rows within)`,
      formatRatio(worst?.drift ?? null) || 'n/a',
      'the same row in fresh processes',
      `<= ${DRIFT_LIMIT}x`,
      verdict(worst === null ? null : worst.drift! <= DRIFT_LIMIT),
    ]);
  }
  return lines;
}

/** The targets as aligned text for the terminal. */
export function targetTerminal(rows: Row[], oneProcess: OneProcessRow[]): string {
  const lines = targetLines(rows, oneProcess);
  return lines.length === 0 ? '(no targets among the families run)' : aligned(TARGET_HEADERS, lines, [1]);
}

/** The targets as a markdown table, for RESULTS.md (scripts/perf-table.mjs copies it into the root README). */
export function targetMarkdown(rows: Row[], oneProcess: OneProcessRow[]): string {
  const lines = targetLines(rows, oneProcess);
  return lines.length === 0 ? '(no targets among the families run)' : markdown(TARGET_HEADERS, lines, [1]);
}
