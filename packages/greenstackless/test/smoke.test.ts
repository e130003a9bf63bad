import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { createStackless } from 'greenstackless';

describe('smoke', () => {
  it('ping-pong', () => {
    const sl = createStackless();
    const ch = sl.channel<number>();
    const log: unknown[] = [];
    sl.tasklet(function* () {
      for (let i = 0; i < 3; i++) yield* ch.send(i);
      log.push('sender done');
    }).setup();
    sl.tasklet(function* () {
      for (let i = 0; i < 3; i++) log.push(yield* ch.receive());
    }).setup();
    expect(sync(sl.run())).toBe(null);
    expect(log).toEqual([0, 1, 2, 'sender done']);
    expect(sl.runcount).toBe(1);
  });
});
