/**
 * Many tasklets, deep frames (H10, and O(1) operations exercised at scale): nothing here grows the JavaScript
 * stack with the number of tasklets, and every order is exactly the rule's. No timings are asserted.
 */
import { describe, expect, it } from 'vitest';
import { native, sync } from '@greenstackless/greenlet';
import { createStackless } from './helpers.js';

const N = 100_000;

describe('H10: many tasklets', () => {
  it('S7: 100,000 tasklets scheduling round robin keep their order, lap after lap', () => {
    const s = createStackless(native);
    const order: number[] = [];
    function* lap(i: number) {
      for (let k = 0; k < 3; k++) {
        if (i % 10_000 === 0) order.push(i);
        yield* s.schedule();
      }
    }
    for (let i = 0; i < N; i++) s.tasklet(lap).setup(i);
    expect(s.runcount).toBe(N + 1);
    expect(sync(s.run())).toBe(null);
    const one = Array.from({ length: 10 }, (_, k) => k * 10_000);
    expect(order).toEqual([...one, ...one, ...one]);
    expect(s.runcount).toBe(1);
  });

  it('C2/C5: 100,000 receivers block in arrival order and get the values in that order; a kill in the middle is O(1)', () => {
    const s = createStackless(native);
    const ch = s.channel<number>();
    const got = new Int32Array(N).fill(-1);
    const ts = [];
    for (let i = 0; i < N; i++) {
      ts.push(s.tasklet(function* (k: number) {
        got[k] = yield* ch.receive();
      }).setup(i));
    }
    sync(s.schedule());
    expect([ch.balance, s.runcount]).toEqual([-N, 1]);
    const middle = ts[N / 2];
    sync(middle.kill());
    expect(ch.balance).toBe(-(N - 1));
    expect(ts[N / 2 - 1].next).toBe(ts[N / 2 + 1]);
    for (let v = 0; v < N - 1; v++) sync(ch.send(v));
    sync(s.run());
    expect(got[0]).toBe(0);
    expect(got[N / 2 - 1]).toBe(N / 2 - 1);
    expect(got[N / 2]).toBe(-1); // killed
    expect(got[N / 2 + 1]).toBe(N / 2);
    expect(got[N - 1]).toBe(N - 2);
    expect(ch.balance).toBe(0);
  });

  it('C13/T20: 100,000 tasklets each waking the next through a channel, then main', () => {
    const s = createStackless(native);
    const chans = Array.from({ length: N + 1 }, () => s.channel<number>());
    for (let i = 0; i < N; i++) {
      s.tasklet(function* (k: number) {
        const v = yield* chans[k].receive();
        yield* chans[k + 1].send(v + 1);
      }).setup(i);
    }
    sync(s.schedule()); // all block
    chans[0].preference = 0; // the sender (main) continues; the first receiver runs later
    sync(chans[0].send(0));
    expect(sync(chans[N].receive())).toBe(N);
    sync(s.run());
    expect(s.runcount).toBe(1);
  });

  it('H3/H10: a tasklet switching from 10,000 nested generator frames', () => {
    const s = createStackless(native);
    const ch = s.channel<number>();
    function* nested(depth: number): Generator<unknown, number, unknown> {
      if (depth === 0) return (yield* ch.receive()) as number;
      return ((yield nested(depth - 1)) as number) + 1;
    }
    let result = -1;
    s.tasklet(function* () {
      result = (yield nested(10_000)) as number;
    }).setup();
    sync(s.schedule());
    sync(ch.send(1));
    sync(s.run());
    expect(result).toBe(10_001);
  });
});
