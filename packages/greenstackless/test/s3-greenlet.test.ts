/**
 * S3 in a greenlet that is no tasklet: the conformance suite gets only an instance, so it cannot make such a
 * greenlet; this package test does, with the native module under the instance.
 */
import { describe, expect, it } from 'vitest';
import { Greenlet, native, sync } from '@greenstackless/greenlet';
import { createStackless, StacklessError } from 'greenstackless';

describe('S3: ops run in a greenlet that is no tasklet of the instance', () => {
  it('S3: schedule, send and a tasklet switch throw StacklessError naming the current tasklet; nothing changes', () => {
    const s = createStackless(native);
    const ch = s.channel<number>();
    const t = s.tasklet(function* () {
      yield* ch.receive();
    }).setup();
    const before = { runcount: s.runcount, current: s.current, next: s.main.next, balance: ch.balance };
    const stranger = new Greenlet(() => {
      const errors: unknown[] = [];
      for (const make of [() => s.schedule(), () => ch.send(1), () => t.switch()]) {
        try {
          sync(make());
        } catch (e) {
          errors.push(e);
        }
      }
      return errors;
    });
    const errors = sync(stranger.switch()) as Error[];
    expect(errors).toHaveLength(3);
    for (const e of errors) {
      expect(e).toBeInstanceOf(StacklessError);
      expect(e.message).toContain('Tasklet#main');
      expect(e.message).toContain(String(stranger));
    }
    expect({ runcount: s.runcount, current: s.current, next: s.main.next, balance: ch.balance }).toEqual(before);
    // The instance still works from its own main tasklet.
    sync(s.schedule());
    expect(t.blocked).toBe(true);
    sync(ch.send(2));
    expect(t.alive).toBe(false);
  });
});
