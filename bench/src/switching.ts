/**
 * Family 1, switching (issue 2): what one native greenlet switch costs, against two raw generators.
 *
 * Rows, one op = one switch (half a round trip):
 * - the floor: two raw generators resumed alternately by a loop;
 * - greenlet ping-pong with `yield op` and with `yield* op` (targets: <= 2x and <= 4x the floor);
 * - the switch made from inside 1, 10 and 100 nested `yield child()` frames (H3; target: depth 100 <= 1.3x
 *   depth 1), and from inside `yield*` chains of the same depths, which V8 resumes level by level: they show why
 *   the trampoline keeps frames;
 * - `sync(g.switch(i))` from plain code: a hard switch in and a switch back out per call.
 */
import { loadGreenlet } from './api.js';
import type { Context, Family, Row } from './measure.js';
import { Rows } from './measure.js';
import { greenletPingPong, rawPingPong, syncPingPong } from './pingpong.js';

export const FLOOR = 'raw generator ping-pong (floor)';

async function run(ctx: Context): Promise<Row[]> {
  const rows = new Rows('switching', ctx);
  const rounds = ctx.quick ? 2_000 : 10_000;
  const g = loadGreenlet();
  // An unresolved load rejects here once per row that needs it; mark it handled so Node does not warn first.
  g.catch(() => {});

  await rows.time({ name: FLOOR, op: 'switch' }, () => rawPingPong(rounds));
  await rows.time(
    { name: 'greenlet ping-pong, yield', op: 'switch', baseline: FLOOR, target: { of: 'ratio', cmp: '<=', limit: 2, source: 'issue 2' } },
    async () => {
      const gl = await g;
      return greenletPingPong(gl, gl.native, 'yield', rounds);
    },
  );
  await rows.time(
    { name: 'greenlet ping-pong, yield*', op: 'switch', baseline: FLOOR, target: { of: 'ratio', cmp: '<=', limit: 4, source: 'issue 2' } },
    async () => {
      const gl = await g;
      return greenletPingPong(gl, gl.native, 'yield*', rounds);
    },
  );
  for (const depth of [1, 10, 100]) {
    await rows.time(
      depth === 1
        ? { name: 'nested frames, depth 1', op: 'switch', baseline: FLOOR }
        : {
            name: `nested frames, depth ${depth}`,
            op: 'switch',
            baseline: 'nested frames, depth 1',
            target: depth === 100 ? { of: 'ratio', cmp: '<=', limit: 1.3, source: 'issue 2' } : undefined,
          },
      async () => {
        const gl = await g;
        return greenletPingPong(gl, gl.native, 'frames', rounds, depth);
      },
    );
  }
  for (const depth of [1, 10, 100]) {
    await rows.time(
      { name: `yield* chain, depth ${depth}`, op: 'switch', baseline: `nested frames, depth ${depth}` },
      async () => {
        const gl = await g;
        return greenletPingPong(gl, gl.native, 'chain', rounds, depth);
      },
    );
  }
  await rows.time({ name: 'sync(g.switch()) from plain code', op: 'switch', baseline: FLOOR }, async () => {
    const gl = await g;
    return syncPingPong(gl, gl.native, rounds);
  });
  return rows.rows;
}

export const switching: Family = { name: 'switching', title: 'Switching: native greenlets against raw generators', run };
