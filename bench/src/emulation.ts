/**
 * Family 3, emulation: what each layer of a tower costs.
 *
 * Rows:
 * - greenlet ping-pong (`yield` form, one op = one switch) on native greenlets, then on greenlet-fix over the
 *   default instance (`createGreenlet()`, target <= 3x native), then one tower level more:
 *   createGreenlet(createStackless(createGreenlet()));
 * - `t.switch()` ping-pong on the default instance against native: the tasklet transfer that greenlet-fix makes
 *   for each greenlet switch (F3), so the part of greenlet-fix's ratio that is not the fix layer's own;
 * - the least greenlet on tasklets under the op API (floor), against native: the two fresh op objects (the
 *   greenlet's, and the tasklet `switch()` op run through the op protocol) and the native switch that any greenlet
 *   layer on a Stackless instance makes per switch, with none of the rules;
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
import type { Context, Family, RowDef } from './measure.js';
import { timed } from './measure.js';
import { channelPingPong, greenletPingPong, leastGreenletPingPong, taskletSwitchPingPong } from './pingpong.js';

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

function rows(ctx: Context): RowDef[] {
  const rounds = ctx.quick ? 1_000 : 5_000;
  return [
    timed(ctx, { name: NATIVE, op: 'switch' }, async () => {
      const g = await loadGreenlet();
      return greenletPingPong(g, g.native, 'yield', rounds);
    }),
    timed(
      ctx,
      { name: 'greenlet ping-pong, fix/S/native: createGreenlet()', op: 'switch', baseline: NATIVE, target: { of: 'ratio', cmp: '<=', limit: 3 } },
      async () => {
        const l = await loadAll();
        return greenletPingPong(l.g, fixTower(l, 1), 'yield', rounds);
      },
    ),
    timed(ctx, { name: 'tasklet switch() ping-pong, default instance', op: 'switch', baseline: NATIVE }, async () => {
      const [g, s] = await Promise.all([loadGreenlet(), loadStackless()]);
      return taskletSwitchPingPong(g, s.stackless, rounds);
    }),
    timed(ctx, { name: 'least greenlet on tasklets under the op API (floor)', op: 'switch', baseline: NATIVE }, async () => {
      const g = await loadGreenlet();
      return leastGreenletPingPong(g, g.native, rounds);
    }),
    timed(ctx, { name: 'greenlet ping-pong, fix/S/fix/S/native', op: 'switch', baseline: NATIVE }, async () => {
      const l = await loadAll();
      return greenletPingPong(l.g, fixTower(l, 2), 'yield', rounds);
    }),
    timed(ctx, { name: DEFAULT_INSTANCE, op: 'message' }, async () => {
      const [g, s] = await Promise.all([loadGreenlet(), loadStackless()]);
      return channelPingPong(g, s.stackless, rounds);
    }),
    timed(ctx, { name: 'channel ping-pong, S/fix/S/native', op: 'message', baseline: DEFAULT_INSTANCE }, async () => {
      const { g, s, fix } = await loadAll();
      return channelPingPong(g, s.createStackless(fix.createGreenlet(s.createStackless(g.native))), rounds);
    }),
    timed(ctx, { name: 'channel ping-pong, S/fix/S/fix/S/native', op: 'message', baseline: DEFAULT_INSTANCE }, async () => {
      const { g, s, fix } = await loadAll();
      const lower = fix.createGreenlet(s.createStackless(g.native));
      return channelPingPong(g, s.createStackless(fix.createGreenlet(s.createStackless(lower))), rounds);
    }),
  ];
}

export const emulation: Family = { name: 'emulation', title: 'Emulation: greenlet-fix and towers against native', rows };
