/**
 * The one-process rows are assembled from the figures of the same run: the median of the one process's passes,
 * beside the median of the row's fresh passes, each ratio to a baseline measured in the one process, and the
 * one-process target of the row's spec; a row the one process could not measure keeps its place with a note.
 */
import { describe, expect, it } from 'vitest';
import type { Case, Family, Row, RowDef } from '../src/measure.js';
import { timed } from '../src/measure.js';
import { assembleOneProcess, DRIFT_LIMIT, median, worstDrift } from '../src/oneprocess.js';

const ctx = { quick: true };
const noop = (): Case => ({ ops: 1, run() {} });

function rows(): RowDef[] {
  return [
    timed(ctx, { name: 'floor', op: 'switch' }, noop),
    timed(ctx, { name: 'switch', op: 'switch', baseline: 'floor', target: { of: 'ratio', cmp: '<=', limit: 2 },
      oneProcessTarget: { of: 'ratio', cmp: '<=', limit: 2.5 } }, noop),
    { spec: { name: 'heap', op: 'object' }, unit: 'B', measure: async () => ({ value: 1, rme: null }) },
    timed(ctx, { name: 'broken', op: 'switch', baseline: 'floor' }, noop),
  ];
}
const family: Family = { name: 'fam', title: 'a family', rows };

function freshRow(name: string, samples: number[]): Row {
  return { family: 'fam', name, op: 'switch', unit: 'ns', samples, value: Math.min(...samples), rme: null, note: null,
    baseline: null, ratio: null, target: null };
}

describe('one-process rows', () => {
  it('median of an odd and an even count, and of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('sets each timed row beside its fresh median, with its ratio to its baseline in the one process', () => {
    const samples = [
      { family: 'fam', index: 0, samples: [10, 12, 11], note: null },
      { family: 'fam', index: 1, samples: [30, 24, 26], note: null },
      { family: 'fam', index: 3, samples: [], note: 'failed: Error: boom' },
    ];
    const fresh = [freshRow('floor', [10, 10, 10]), freshRow('switch', [20, 21, 19]), freshRow('broken', [5])];
    const out = assembleOneProcess([family], ctx, samples, null, fresh);
    expect(out.map((r) => r.name)).toEqual(['floor', 'switch', 'broken']); // the heap row is not timed
    const [floor, sw, broken] = out;
    expect(floor!.value).toBe(11);
    expect(floor!.drift).toBeCloseTo(1.1);
    expect(sw!.value).toBe(26);
    expect(sw!.fresh).toBe(20);
    expect(sw!.drift).toBeCloseTo(1.3);
    expect(sw!.ratio).toBeCloseTo(26 / 11);
    expect(sw!.target).toEqual({ of: 'ratio', cmp: '<=', limit: 2.5 });
    expect(broken!.value).toBeNull();
    expect(broken!.note).toBe('failed: Error: boom');
    const { worst, within, measured } = worstDrift(out);
    expect(worst!.name).toBe('switch');
    expect([within, measured]).toEqual([2, 2]);
    expect(DRIFT_LIMIT).toBe(1.3);
  });

  it('gives every row the failure of the one process when it sent nothing', () => {
    const out = assembleOneProcess([family], ctx, [], 'failed: the one process exited with code 1 before it finished', []);
    expect(out).toHaveLength(3);
    for (const r of out) {
      expect(r.value).toBeNull();
      expect(r.note).toBe('failed: the one process exited with code 1 before it finished');
    }
    expect(worstDrift(out)).toEqual({ worst: null, within: 0, measured: 0 });
  });
});
