/**
 * The results table, for the terminal and for RESULTS.md: one line per row, the same columns in both.
 *
 * Invariants:
 * - Both renderings take the rows as measured and format them the same way (`cells`), so the terminal and the
 *   file never disagree.
 * - A row without a value shows "n/a" and its note is listed under the table, never dropped.
 */
import { describeTarget, Row, targetMet } from './measure.js';

const HEADERS = ['family', 'benchmark', 'one op', 'value', '±', 'baseline', 'ratio', 'target', 'met?'];

export function formatValue(value: number | null, unit: Row['unit']): string {
  if (value === null) return 'n/a';
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

/** The table as aligned plain text for the terminal, notes below it. */
export function terminalTable(rows: Row[]): string {
  const lines = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const numeric = new Set([3, 4, 6]);
  const render = (l: string[]) =>
    l.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [render(lines[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(1).map(render)];
  const n = notes(rows);
  if (n.length !== 0) out.push('', 'Notes:', ...n.map((x) => `  ${x}`));
  return out.join('\n');
}

/** The table in GitHub markdown, notes below it. */
export function markdownTable(rows: Row[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  const align = HEADERS.map((_, i) => ([3, 4, 6].includes(i) ? '---:' : '---'));
  const out = [
    `| ${HEADERS.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ];
  const n = notes(rows);
  if (n.length !== 0) out.push('', ...n.map((x) => `- ${esc(x)}`));
  return out.join('\n');
}

/** The targets alone, with the measured figure and the verdict, for RESULTS.md. */
export function targetList(rows: Row[]): string {
  return rows
    .filter((r) => r.target !== null)
    .map((r) => {
      const t = r.target!;
      const measured = t.of === 'ratio' ? formatRatio(r.ratio) || 'n/a' : formatValue(r.value, r.unit);
      const met = targetMet(r);
      const verdict = met === null ? 'not measured' : met ? 'met' : 'NOT met';
      const against = t.of === 'ratio' ? ` of ${r.baseline}` : '';
      return `- ${r.family} / ${r.name}: ${describeTarget(t, r.unit)}${against} (${t.source}): ${measured}, ${verdict}`;
    })
    .join('\n');
}
