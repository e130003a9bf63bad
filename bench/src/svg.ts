/**
 * The bar chart of the ratios (bench/results.svg), drawn by string building: no dependency, no browser.
 *
 * Invariants:
 * - One line per row, grouped by family in table order: a bar for a row with a ratio, the value for a baseline,
 *   the note for a row that was not measured. The x axis is logarithmic
 *   and bars start at the 1x line: a row cheaper than its baseline extends left, a dearer one right, and 0.5x
 *   and 2x are equally long.
 * - A bar is green when its row meets its target, red when it misses it, grey when it has none; a ratio
 *   target is drawn as a black tick on the bar's line.
 */
import { describeTarget, Row, targetMet } from './measure.js';
import { formatRatio, formatValue } from './table.js';

const WIDTH = 1000;
const LABEL = 350; // width of the label column
const RIGHT = 190; // room for the label after the longest bar
const BAR = 16;
const STEP = 22;
const HEADER = 22;
const TOP = 72;

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function chart(rows: Row[], title: string): string {
  const bars = rows.filter((r) => r.ratio !== null && r.ratio > 0);
  const ratios = bars.flatMap((r) => (r.target?.of === 'ratio' ? [r.ratio!, r.target.limit] : [r.ratio!]));
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(0.5, ...ratios))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(2, ...ratios))));
  const plot = WIDTH - LABEL - RIGHT;
  const x = (ratio: number) => LABEL + (plot * (Math.log10(ratio) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const one = x(1);

  const body: string[] = [];
  let y = TOP;
  let family = '';
  for (const r of rows) {
    if (r.family !== family) {
      family = r.family;
      y += 6;
      body.push(`<text x="8" y="${y + 14}" class="family">${esc(family)}</text>`);
      y += HEADER;
    }
    body.push(`<text x="${LABEL - 8}" y="${y + BAR - 3}" text-anchor="end">${esc(r.name)}</text>`);
    if (r.ratio === null || r.ratio <= 0) {
      // A baseline (value, no ratio) or a row that was not measured: text at the 1x line, no bar.
      const text = r.value === null ? (r.note ?? 'n/a') : `baseline: ${formatValue(r.value, r.unit)}`;
      const short = text.length > 60 ? `${text.slice(0, 57)}...` : text;
      body.push(`<text x="${(one + 5).toFixed(1)}" y="${y + BAR - 3}" class="${r.value === null ? 'missing' : 'base'}">${esc(short)}</text>`);
      y += STEP;
      continue;
    }
    const met = targetMet(r);
    const fill = met === null ? '#9aa5b1' : met ? '#2f9e44' : '#e03131';
    const x1 = x(r.ratio);
    let end = Math.max(one, x1);
    body.push(`<rect x="${Math.min(one, x1).toFixed(1)}" y="${y}" width="${Math.max(1, Math.abs(x1 - one)).toFixed(1)}" height="${BAR}" fill="${fill}"><title>${esc(`${r.name}: ${formatRatio(r.ratio)} of ${r.baseline}`)}</title></rect>`);
    if (r.target?.of === 'ratio') {
      const xt = x(r.target.limit);
      end = Math.max(end, xt);
      body.push(`<line x1="${xt.toFixed(1)}" x2="${xt.toFixed(1)}" y1="${y - 2}" y2="${y + BAR + 2}" class="target"/>`);
    }
    const label = `${formatRatio(r.ratio)} (${formatValue(r.value, r.unit)}${r.target?.of === 'value' ? `; target ${describeTarget(r.target, r.unit)}` : ''})`;
    body.push(`<text x="${(end + 5).toFixed(1)}" y="${y + BAR - 3}">${esc(label)}</text>`);
    y += STEP;
  }
  const height = y + 40;

  // Grid: one line per power of ten, and the 1x line bold.
  const grid: string[] = [];
  for (let v = lo; v <= hi * 1.0001; v *= 10) {
    const gx = x(v).toFixed(1);
    grid.push(`<line x1="${gx}" x2="${gx}" y1="${TOP}" y2="${y}" class="${Math.abs(v - 1) < 1e-9 ? 'one' : 'grid'}"/>`);
    grid.push(`<text x="${gx}" y="${y + 16}" text-anchor="middle" class="axis">${formatRatio(v)}</text>`);
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    '<style>.family{font-weight:bold;font-size:13px}.grid{stroke:#dee2e6}.one{stroke:#495057;stroke-width:1.5}' +
      '.target{stroke:#000;stroke-width:2.5}.axis{fill:#495057;font-size:11px}.legend{font-size:11px;fill:#495057}.base{fill:#495057;font-style:italic}.missing{fill:#c92a2a;font-style:italic}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="8" y="38" class="legend">Each bar: the row's value divided by its baseline's, same run (log scale; left of 1x is cheaper than the baseline). ` +
      `On peer rows the baseline is our channel,</text>`,
    `<text x="8" y="53" class="legend">so the ratio is how many times slower the peer is. Green: target met; red: missed; grey: no target; ` +
      `black tick: a ratio target. Values in parentheses: per op, or per object.</text>`,
    ...grid,
    ...body,
    `<text x="${LABEL + (WIDTH - LABEL - RIGHT) / 2}" y="${y + 32}" text-anchor="middle" class="axis">ratio (value / baseline)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
