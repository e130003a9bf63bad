/**
 * The bar chart of the ratios (bench/results.svg), drawn by string building: no dependency, no browser.
 *
 * Invariants:
 * - One horizontal bar per row that has a ratio, grouped by family in table order; the x axis is logarithmic,
 *   so 0.5x and 2x are equally far from the 1x line, and a 300x peer fits beside a 1.1x switch.
 * - A bar is green when its row meets its target, red when it misses it, grey when it has none; a ratio
 *   target is drawn as a black tick on the bar's line.
 */
import { Row, targetMet } from './measure.js';
import { formatRatio } from './table.js';

const WIDTH = 980;
const LABEL = 380; // width of the label column
const RIGHT = 70; // room for the value after the longest bar
const BAR = 16;
const STEP = 22;
const HEADER = 22;
const TOP = 58;

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

  const body: string[] = [];
  let y = TOP;
  let family = '';
  for (const r of bars) {
    if (r.family !== family) {
      family = r.family;
      y += 6;
      body.push(`<text x="8" y="${y + 14}" class="family">${esc(family)}</text>`);
      y += HEADER;
    }
    const met = targetMet(r);
    const fill = met === null ? '#9aa5b1' : met ? '#2f9e44' : '#e03131';
    const x0 = x(lo);
    const x1 = x(r.ratio!);
    body.push(`<text x="${LABEL - 8}" y="${y + BAR - 3}" text-anchor="end">${esc(r.name)}</text>`);
    body.push(`<rect x="${x0.toFixed(1)}" y="${y}" width="${Math.max(1, x1 - x0).toFixed(1)}" height="${BAR}" fill="${fill}"><title>${esc(`${r.name}: ${formatRatio(r.ratio)} of ${r.baseline}`)}</title></rect>`);
    body.push(`<text x="${(x1 + 5).toFixed(1)}" y="${y + BAR - 3}">${esc(formatRatio(r.ratio))}</text>`);
    if (r.target?.of === 'ratio') {
      const xt = x(r.target.limit);
      body.push(`<line x1="${xt.toFixed(1)}" x2="${xt.toFixed(1)}" y1="${y - 2}" y2="${y + BAR + 2}" class="target"/>`);
    }
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
      '.target{stroke:#000;stroke-width:2.5}.axis{fill:#495057;font-size:11px}.legend{font-size:11px;fill:#495057}</style>',
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="8" y="38" class="legend">ratio to each row's baseline (log scale; lower is faster, except peer rows, where it is how many times slower the peer is). ` +
      `Green: target met; red: missed; grey: no target; black tick: the target.</text>`,
    ...grid,
    ...body,
    `<text x="${LABEL + (WIDTH - LABEL - RIGHT) / 2}" y="${y + 32}" text-anchor="middle" class="axis">ratio (value / baseline)</text>`,
    '</svg>',
    '',
  ].join('\n');
}
