/**
 * Family 1, switching: what one native greenlet switch costs, against two raw generators.
 *
 * Rows, one op = one switch (half a round trip):
 * - the floor: two raw generators resumed alternately by a loop;
 * - greenlet ping-pong with `yield op` and with `yield* op` (targets: <= 2x and <= 4x the floor; in one process
 *   with every case warmed up, <= 2.5x and <= 4x);
 * - the switch made from inside 1, 10 and 100 nested `yield child()` frames (H3; target: depth 100 <= 1.3x
 *   depth 1), and from inside `yield*` chains of the same depths, which V8 resumes level by level: they show why
 *   the trampoline keeps frames;
 * - `sync(g.switch(i))` from plain code: a hard switch in and a switch back out per call.
 */
import { loadGreenlet } from './api.js';
import type { Context, Family, RowDef, RowSpec } from './measure.js';
import { timed } from './measure.js';
import { FLOOR, greenletPingPong, rawPingPong, syncPingPong } from './pingpong.js';

function rows(ctx: Context): RowDef[] {
  const rounds = ctx.quick ? 2_000 : 10_000;
  const defs: RowDef[] = [
    timed(ctx, { name: FLOOR, op: 'switch' }, () => rawPingPong(rounds)),
    timed(
      ctx,
      { name: 'greenlet ping-pong, yield', op: 'switch', baseline: FLOOR, target: { of: 'ratio', cmp: '<=', limit: 2 },
        oneProcessTarget: { of: 'ratio', cmp: '<=', limit: 2.5 } },
      async () => {
        const g = await loadGreenlet();
        return greenletPingPong(g, g.native, 'yield', rounds);
      },
    ),
    timed(
      ctx,
      { name: 'greenlet ping-pong, yield*', op: 'switch', baseline: FLOOR, target: { of: 'ratio', cmp: '<=', limit: 4 },
        oneProcessTarget: { of: 'ratio', cmp: '<=', limit: 4 } },
      async () => {
        const g = await loadGreenlet();
        return greenletPingPong(g, g.native, 'yield*', rounds);
      },
    ),
  ];
  for (const depth of [1, 10, 100]) {
    const spec: RowSpec =
      depth === 1
        ? { name: 'nested frames, depth 1', op: 'switch', baseline: FLOOR }
        : { name: `nested frames, depth ${depth}`, op: 'switch', baseline: 'nested frames, depth 1' };
    if (depth === 100) spec.target = spec.oneProcessTarget = { of: 'ratio', cmp: '<=', limit: 1.3 };
    defs.push(
      timed(ctx, spec, async () => {
        const g = await loadGreenlet();
        return greenletPingPong(g, g.native, 'frames', rounds, depth);
      }),
    );
  }
  for (const depth of [1, 10, 100]) {
    defs.push(
      timed(ctx, { name: `yield* chain, depth ${depth}`, op: 'switch', baseline: `nested frames, depth ${depth}` }, async () => {
        const g = await loadGreenlet();
        return greenletPingPong(g, g.native, 'chain', rounds, depth);
      }),
    );
  }
  defs.push(
    timed(ctx, { name: 'sync(g.switch()) from plain code', op: 'switch', baseline: FLOOR }, async () => {
      const g = await loadGreenlet();
      return syncPingPong(g, g.native, rounds);
    }),
  );
  return defs;
}

export const switching: Family = { name: 'switching', title: 'Switching: native greenlets against raw generators', rows };
