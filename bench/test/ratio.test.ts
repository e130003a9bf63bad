import { describe, expect, it } from 'vitest';
import { assemble, ratioOf } from '../src/measure.js';
import type { Outcome, RowDef } from '../src/measure.js';

const t = (value: number | null): Outcome => ({ value, rme: null, note: value === null ? 'failed: x' : null });

function def(name: string, baseline?: string, unit: RowDef['unit'] = 'ns'): RowDef {
  return { spec: { name, op: 'switch', baseline }, unit, measure: async () => ({ value: 0, rme: null }) };
}

describe('ratios of a row to its baseline', () => {
  it('times from several passes: the median of the ratios within each pass', () => {
    // Pass 2 ran while the machine was slow for both rows; pass 3's row was lucky.
    const r = ratioOf('ns', 23, 12, [t(24), t(40), t(23)], [t(12), t(20), t(12.5)]);
    expect(r.passRatios).toEqual([2, 2, 23 / 12.5]);
    expect(r.ratio).toBe(2);
    // An even number of passes: the mean of the two middle ratios.
    expect(ratioOf('ns', 3, 1, [t(3), t(5)], [t(1), t(2)]).ratio).toBe(2.75);
  });

  it('one pass, a failed pass, unequal passes or heap figures: the quotient of the values', () => {
    expect(ratioOf('ns', 30, 10, [t(30)], [t(10)])).toEqual({ ratio: 3, passRatios: null });
    expect(ratioOf('ns', 30, 10, [t(30), t(null)], [t(10), t(11)])).toEqual({ ratio: 3, passRatios: null });
    expect(ratioOf('ns', 30, 10, [t(30), t(31)], [t(10)])).toEqual({ ratio: 3, passRatios: null });
    expect(ratioOf('B', 300, 100, [t(300), t(200)], [t(100), t(50)])).toEqual({ ratio: 3, passRatios: null });
    expect(ratioOf('ns', 30, 10, undefined, undefined)).toEqual({ ratio: 3, passRatios: null });
  });

  it('assemble takes each ratio from the passes of the row and of its baseline', () => {
    const defs = [def('floor'), def('yield', 'floor'), def('other')];
    const passes = [[t(12), t(20), t(13)], [t(23), t(37), t(27)], [t(5), t(6), t(7)]];
    const rows = assemble('switching', defs, [t(12), t(23), t(5)], passes);
    expect(rows.map((r) => r.ratio)).toEqual([null, 23 / 12, null]);
    expect(rows[1]!.passRatios).toEqual([23 / 12, 37 / 20, 27 / 13]);
    expect(rows[1]!.value).toBe(23); // the value stays the smallest time
    // Without passes (quick mode, --inline with one pass): the quotient of the values.
    expect(assemble('switching', defs, [t(12), t(24), t(5)])[1]!.ratio).toBe(2);
  });

  it('a baseline that is not an earlier row of the family is an error naming both', () => {
    expect(() => assemble('switching', [def('yield', 'floor'), def('floor')], [t(1), t(1)])).toThrow(
      "bench switching: row 'yield' names baseline 'floor', which is not an earlier row",
    );
  });
});
