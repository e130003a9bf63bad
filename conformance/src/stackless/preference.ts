/**
 * Channel preference and scheduleAll: C3, C6 (the table of who runs when a partner waits).
 *
 * Ported behaviours: pts's stackless_test.py (the preference -1/0/1/2/5/42 rounds of testStackless, with
 * Stackless 3.7 semantics per M11: preference 0 lets the caller continue), Stackless' test_channel
 * (testReceivePreference, testSendPreference, schedule_all).
 * Skipped: nothing of this topic depends on pickling, threads or C internals.
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { Channel, Tasklet } from 'greenstackless';
import { names, ring, type SuiteContext } from './harness.js';

export function preferenceTests(ctx: SuiteContext): void {
  describe('C3: setting preference and scheduleAll', () => {
    it('C3: preference clamps integers and maps booleans', () => {
      const ch = ctx.s.channel();
      const cases: Array<[number | boolean, number]> = [
        [5, 1],
        [1, 1],
        [0, 0],
        [-1, -1],
        [-7, -1],
        [true, 1],
        [false, 0],
        [42, 1],
      ];
      for (const [input, expected] of cases) {
        ch.preference = input as number;
        expect(ch.preference).toBe(expected);
      }
    });

    it('C3: scheduleAll keeps a boolean', () => {
      const ch = ctx.s.channel();
      ch.scheduleAll = 1;
      expect(ch.scheduleAll).toBe(true);
      ch.scheduleAll = 0;
      expect(ch.scheduleAll).toBe(false);
      ch.scheduleAll = true;
      expect(ch.scheduleAll).toBe(true);
      ch.scheduleAll = false;
      expect(ch.scheduleAll).toBe(false);
      ch.scheduleAll = -3;
      expect(ch.scheduleAll).toBe(true);
    });
  });

  describe('C6: who runs when a partner was waiting', () => {
    /**
     * A partner P blocked on `ch` in the opposite direction, then a runnable X behind main. Main acts, logs,
     * then drains the ring with run(). Returns the event order.
     */
    function scenario(direction: 'send' | 'receive', configure: (ch: Channel) => void): { log: string[]; ringAfter: string[]; who: Record<string, Tasklet> } {
      const s = ctx.s;
      const ch = s.channel();
      configure(ch);
      const log: string[] = [];
      const partner = s.tasklet(function* () {
        if (direction === 'send') log.push(`P got ${String(yield* ch.receive())}`);
        else {
          yield* ch.send('v');
          log.push('P sent');
        }
      }).setup();
      sync(s.schedule());
      expect(partner.blocked).toBe(true);
      const x = s.tasklet(function* () {
        log.push('X');
      }).setup();
      if (direction === 'send') {
        expect(sync(ch.send('v'))).toBe(undefined);
        log.push('main sent');
      } else {
        log.push(`main got ${String(sync(ch.receive()))}`);
      }
      const ringAfter = ring(s);
      sync(s.run());
      expect([ch.balance, ch.queue]).toEqual([0, null]);
      return { log, ringAfter, who: { partner, x } };
    }

    it('C6: scheduleAll false, preference -1, send: the partner runs at once, then the others, then the caller', () => {
      const { log } = scenario('send', (ch) => {
        ch.preference = -1;
      });
      expect(log).toEqual(['P got v', 'X', 'main sent']);
    });

    it('C6: scheduleAll false, preference -1, receive: the caller continues; the partner is appended', () => {
      const { log, ringAfter, who } = scenario('receive', (ch) => {
        ch.preference = -1;
      });
      expect(log).toEqual(['main got v', 'X', 'P sent']);
      expect(ringAfter).toEqual(names(ctx.s.main, who.x!, who.partner!));
    });

    it('C6: scheduleAll false, preference 0, send: the caller continues', () => {
      const { log, ringAfter, who } = scenario('send', (ch) => {
        ch.preference = 0;
      });
      expect(log).toEqual(['main sent', 'X', 'P got v']);
      expect(ringAfter).toEqual(names(ctx.s.main, who.x!, who.partner!));
    });

    it('C6: scheduleAll false, preference 0, receive: the caller continues', () => {
      const { log } = scenario('receive', (ch) => {
        ch.preference = 0;
      });
      expect(log).toEqual(['main got v', 'X', 'P sent']);
    });

    it('C6: scheduleAll false, preference 1, send: the caller continues', () => {
      const { log } = scenario('send', (ch) => {
        ch.preference = 1;
      });
      expect(log).toEqual(['main sent', 'X', 'P got v']);
    });

    it('C6: scheduleAll false, preference 1, receive: the partner runs at once', () => {
      const { log } = scenario('receive', (ch) => {
        ch.preference = 1;
      });
      expect(log).toEqual(['P sent', 'X', 'main got v']);
    });

    for (const preference of [-1, 0, 1]) {
      it(`C6: scheduleAll true, preference ${preference}, send: the caller yields: others, partner, caller`, () => {
        const { log } = scenario('send', (ch) => {
          ch.scheduleAll = true;
          ch.preference = preference;
        });
        expect(log).toEqual(['X', 'P got v', 'main sent']);
      });

      it(`C6: scheduleAll true, preference ${preference}, receive: the caller yields: others, partner, caller`, () => {
        const { log } = scenario('receive', (ch) => {
          ch.scheduleAll = true;
          ch.preference = preference;
        });
        expect(log).toEqual(['X', 'P sent', 'main got v']);
      });
    }

    it('C6: a caller that yields keeps its tempval untouched while it waits', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.scheduleAll = true;
      const log: unknown[] = [];
      s.tasklet(function* () {
        log.push(`P got ${String(yield* ch.receive())}`);
      }).setup();
      sync(s.schedule());
      s.tasklet(function* () {
        log.push(`main tempval ${String(s.main.tempval)}`);
      }).setup();
      sync(ch.send('v'));
      expect(log).toEqual(['main tempval undefined', 'P got v']);
    });
  });

  describe('C6: the Worker rounds of testStackless (M11: Stackless 3.7 preference semantics)', () => {
    it('C6: four receiving workers, main sending with preference -1, 0, 1, 2', () => {
      const s = ctx.s;
      const c = s.channel<string>();
      const events: string[] = [];
      const worker = function* (name: string) {
        for (;;) {
          events.push(`${name}.wait`);
          events.push(`${name}/${yield* c.receive()}`);
        }
      };
      const workers = ['A', 'B', 'C', 'D'].map((n) => s.tasklet(worker).setup(n));
      const [ta, , tc, td] = workers;
      expect(s.runcount).toBe(5);
      expect(s.current.prev).toBe(td);
      expect(s.current.next).toBe(ta);
      expect(td!.next).toBe(s.current);
      expect(td!.prev).toBe(tc);
      const runUntilIdle = () => {
        for (;;) {
          events.push('schedule');
          const n = events.length;
          sync(s.schedule());
          if (n === events.length) break;
        }
        events.push('done');
      };

      events.push('send');
      sync(c.send('msg'));
      expect(s.runcount).toBe(1);
      runUntilIdle();
      expect(events.splice(0).join(' ')).toBe('send A.wait A/msg A.wait B.wait C.wait D.wait schedule done');
      expect(c.balance).toBe(-4);

      c.preference = 0;
      events.push('send');
      sync(c.send('msg'));
      expect(s.runcount).toBe(2);
      runUntilIdle();
      expect(events.splice(0).join(' ')).toBe('send schedule A/msg A.wait schedule done');

      c.preference = 1;
      events.push('send');
      sync(c.send('msg'));
      expect(s.runcount).toBe(2);
      runUntilIdle();
      expect(events.splice(0).join(' ')).toBe('send schedule B/msg B.wait schedule done');

      c.preference = 2;
      expect(c.preference).toBe(1);
      events.push('send');
      sync(c.send('msg'));
      sync(c.send('msg'));
      expect(s.runcount).toBe(3);
      runUntilIdle();
      expect(events.splice(0).join(' ')).toBe('send schedule C/msg C.wait D/msg D.wait schedule done');
      expect(c.balance).toBe(-4);
      expect(s.current.next).toBe(s.current);

      for (const w of workers) sync(w.kill());
      expect(c.balance).toBe(0);
    });

    it('C6: preference 1 sends queue the receivers in the ring in order; neighbours follow (testStackless)', () => {
      const s = ctx.s;
      const c = s.channel<string>();
      const events: string[] = [];
      const workers = ['A', 'B', 'C'].map((n) =>
        s.tasklet(function* () {
          for (;;) events.push(`${n}/${yield* c.receive()}`);
        }).setup(),
      );
      sync(s.schedule());
      const [ta, tb, tc] = workers as [Tasklet, Tasklet, Tasklet];
      c.preference = 42;
      sync(c.send('msg1'));
      expect(c.balance).toBe(-2);
      expect([s.current.next, s.current.prev, ta.prev, ta.next]).toEqual([ta, ta, s.current, s.current]);
      sync(c.send('msg2'));
      expect(ring(s)).toEqual(names(s.main, ta, tb));
      sync(c.send('msg3'));
      expect(ring(s)).toEqual(names(s.main, ta, tb, tc));
      expect(c.balance).toBe(0);
      expect(events).toEqual([]);
      sync(tb.run());
      expect(events).toEqual(['B/msg2', 'C/msg3']);
      expect(c.balance).toBe(-2);
      expect(ring(s)).toEqual(names(s.main, ta));
      sync(ta.run());
      expect(events).toEqual(['B/msg2', 'C/msg3', 'A/msg1']);
      expect(c.balance).toBe(-3);
      for (const w of workers) sync(w.kill());
    });
  });
}
