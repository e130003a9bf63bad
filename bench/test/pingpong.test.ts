/**
 * The shared ping-pong cases of the bench (src/pingpong.ts) run correctly: every case checks its own echoes and
 * end state and throws otherwise, so a case that loses, swaps or duplicates a message, or leaves a coroutine where
 * it should not be, fails here before it is timed. Each case runs twice, as tinybench runs it many times, and is
 * then disposed of.
 */
import { describe, expect, it } from 'vitest';
import * as greenletPackage from '@greenstackless/greenlet';
import * as fix from '@greenstackless/greenlet-fix';
import * as stacklessPackage from 'greenstackless';
import type { GreenletApi, StacklessLike } from '../src/api.js';
import type { Case } from '../src/measure.js';
import {
  bareChannelPingPong,
  channelPingPong,
  greenletPingPong,
  leastGreenletPingPong,
  leastOpChannelPingPong,
  rawPingPong,
  syncPingPong,
  taskletSwitchPingPong,
} from '../src/pingpong.js';

const g = greenletPackage as unknown as GreenletApi;
const native = greenletPackage.native;
const ROUNDS = 50;

async function runTwice(c: Case): Promise<void> {
  await c.run();
  await c.run();
  await c.dispose?.();
}

describe('bench ping-pong cases', () => {
  it('the raw generator floor counts two resumes a round trip', async () => {
    const c = rawPingPong(ROUNDS);
    expect(c.ops).toBe(2 * ROUNDS);
    await runTwice(c);
  });

  for (const form of ['yield', 'yield*', 'frames', 'chain'] as const) {
    it(`greenlet ping-pong in the ${form} form echoes every value, on native and on greenlet-fix`, async () => {
      await runTwice(greenletPingPong(g, native, form, ROUNDS, 3));
      await runTwice(greenletPingPong(g, fix.createGreenlet(), form, ROUNDS, 3));
    });
  }

  it('sync ping-pong echoes every value', async () => {
    await runTwice(syncPingPong(g, native, ROUNDS));
  });

  it('channel ping-pong ends each run with pong blocked, for every preference and scheduleAll', async () => {
    const st = stacklessPackage.stackless as unknown as StacklessLike;
    await runTwice(channelPingPong(g, st, ROUNDS));
    for (const preference of [-1, 0, 1] as const) {
      await runTwice(channelPingPong(g, stacklessPackage.createStackless(native) as unknown as StacklessLike, ROUNDS, { preference }));
    }
    await runTwice(channelPingPong(g, stacklessPackage.createStackless(native) as unknown as StacklessLike, ROUNDS, { scheduleAll: true }));
  });

  it('the two channel floors echo every value and end with no greenlet blocked', async () => {
    await runTwice(bareChannelPingPong(g, native, ROUNDS));
    await runTwice(leastOpChannelPingPong(g, native, ROUNDS));
  });

  it('the least greenlet floor echoes every value and ends each run with no delivery left in a box', async () => {
    const c = leastGreenletPingPong(g, native, ROUNDS);
    expect(c.ops).toBe(2 * ROUNDS);
    await runTwice(c);
  });

  it('tasklet switch ping-pong leaves main alone in the ring after each run and after its dispose', async () => {
    const st = stacklessPackage.createStackless(native) as unknown as StacklessLike;
    const c = taskletSwitchPingPong(g, st, ROUNDS);
    expect(c.ops).toBe(2 * ROUNDS);
    await c.run();
    expect(st.runcount).toBe(1);
    await c.run();
    expect(st.runcount).toBe(1);
    await c.dispose?.();
    expect(st.runcount).toBe(1);
  });
});
