/**
 * Family 3, emulation (issue 4): what each layer of a tower costs.
 *
 * Rows:
 * - greenlet ping-pong (`yield` form, one op = one switch) on native greenlets, then on greenlet-fix over the
 *   default instance (`createGreenlet()`, target <= 3x native), then one tower level more:
 *   createGreenlet(createStackless(createGreenlet()));
 * - channel ping-pong (one op = one message) on the default instance, then on Stackless over greenlet-fix,
 *   createStackless(createGreenlet(createStackless(native))), then one level more:
 *   createStackless(createGreenlet(createStackless(createGreenlet(createStackless(native))))).
 *
 * Towers are written top layer first: "S/fix/S/native" is createStackless(createGreenlet(createStackless(native))).
 * Every module and instance is made here, at the top level, which is the main greenlet and main tasklet of
 * each of them (S1, F1).
 */
import type { GreenletApi, GreenletFixApi, GreenletModule, StacklessApi } from './api.js';
import { loadGreenlet, loadGreenletFix, loadStackless } from './api.js';
import type { Context, Family, Row } from './measure.js';
import { Rows } from './measure.js';
import { channelPingPong, greenletPingPong } from './pingpong.js';

const NATIVE = 'greenlet ping-pong, native';
const DEFAULT_INSTANCE = 'channel ping-pong, S/native (default instance)';

interface Loaded {
  g: GreenletApi;
  s: StacklessApi;
  fix: GreenletFixApi;
}

async function loadAll(): Promise<Loaded> {
  const [g, s, fix] = await Promise.all([loadGreenlet(), loadStackless(), loadGreenletFix()]);
  return { g, s, fix };
}

/** greenlet-fix on the default instance, or `levels` fix layers with a fresh instance between each two. */
function fixTower({ s, fix }: Loaded, levels: number): GreenletModule {
  let m = fix.createGreenlet();
  for (let i = 1; i < levels; i++) m = fix.createGreenlet(s.createStackless(m));
  return m;
}

async function run(ctx: Context): Promise<Row[]> {
  const rows = new Rows('emulation', ctx);
  const rounds = ctx.quick ? 1_000 : 5_000;
  const g = loadGreenlet();
  g.catch(() => {});
  const gs = Promise.all([g, loadStackless()]);
  gs.catch(() => {});
  const all = loadAll();
  all.catch(() => {});

  await rows.time({ name: NATIVE, op: 'switch' }, async () => {
    const gl = await g;
    return greenletPingPong(gl, gl.native, 'yield', rounds);
  });
  await rows.time(
    { name: 'greenlet ping-pong, fix/S/native: createGreenlet()', op: 'switch', baseline: NATIVE, target: { of: 'ratio', cmp: '<=', limit: 3, source: 'issue 4' } },
    async () => {
      const l = await all;
      return greenletPingPong(l.g, fixTower(l, 1), 'yield', rounds);
    },
  );
  await rows.time(
    { name: 'greenlet ping-pong, fix/S/fix/S/native', op: 'switch', baseline: NATIVE },
    async () => {
      const l = await all;
      return greenletPingPong(l.g, fixTower(l, 2), 'yield', rounds);
    },
  );

  await rows.time({ name: DEFAULT_INSTANCE, op: 'message' }, async () => {
    const [gl, s] = await gs;
    return channelPingPong(gl, s.stackless, rounds);
  });
  await rows.time(
    { name: 'channel ping-pong, S/fix/S/native', op: 'message', baseline: DEFAULT_INSTANCE },
    async () => {
      const l = await all;
      return channelPingPong(l.g, l.s.createStackless(l.fix.createGreenlet(l.s.createStackless(l.g.native))), rounds);
    },
  );
  await rows.time(
    { name: 'channel ping-pong, S/fix/S/fix/S/native', op: 'message', baseline: DEFAULT_INSTANCE },
    async () => {
      const l = await all;
      const lower = l.fix.createGreenlet(l.s.createStackless(l.g.native));
      return channelPingPong(l.g, l.s.createStackless(l.fix.createGreenlet(l.s.createStackless(lower))), rounds);
    },
  );
  return rows.rows;
}

export const emulation: Family = { name: 'emulation', title: 'Emulation: greenlet-fix and towers against native', run };
