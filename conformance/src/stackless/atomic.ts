/**
 * atomic, setAtomic, switchTrap and blockTrap: S12, S13, S14, S15, T9, C5 step 5 (the argument refusals of S12
 * and T9 are in misuse.ts).
 *
 * Ported behaviours: Stackless' test_miscell (switch_trap around schedule, channel actions and run, the
 * "switch_trap" RuntimeError; atomic context manager restoring the flag; set_atomic returning the old value),
 * test_channel (block_trap: "this tasklet does not like to be blocked."), stackless-testsuite
 * test_functionality (testSig_set_atomic).
 * Skipped: `ignore_nesting` and its interaction with atomic (M7).
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { StacklessError } from 'greenstackless';
import { TestError, expectRefused, expectThrows, names, ring, type SuiteContext } from './harness.js';

export function atomicTests(ctx: SuiteContext): void {
  describe('S12/S13: switchTrap', () => {
    it('S12: switchTrap(change) adds change and returns the previous value', () => {
      const s = ctx.s;
      expect(s.switchTrap()).toBe(0);
      expect(s.switchTrap(0)).toBe(0);
      expect(s.switchTrap(1)).toBe(0);
      expect(s.switchTrap(2)).toBe(1);
      expect(s.switchTrap(-3)).toBe(3);
      expect(s.switchTrap(0)).toBe(0);
    });

    it('S13: while trapped, schedule with others runnable throws "switch_trap" and changes nothing', () => {
      const s = ctx.s;
      const t = s.tasklet(function* () {}).setup();
      s.switchTrap(1);
      try {
        s.main.tempval = 'keep';
        expectRefused(s, { tasklets: [t] }, () => sync(s.schedule('x')), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(s.scheduleRemove('x')), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(s.run()), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(t.run()), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(t.switch()), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(t.kill()), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(t.throw(new TestError('x'))), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t] }, () => sync(t.raiseException(TestError)), StacklessError, 'switch_trap');
      } finally {
        s.switchTrap(-1);
        s.main.tempval = undefined;
      }
      sync(s.run());
      expect(t.alive).toBe(false);
    });

    it('S13: while trapped, ops that do not switch succeed', () => {
      const s = ctx.s;
      const ch = s.channel();
      s.switchTrap(1);
      try {
        expect(sync(s.schedule('alone'))).toBe('alone');
        expect(sync(s.run())).toBe(null);
        s.main.tempval = 'self';
        expect(sync(s.main.run())).toBe('self');
        expect(sync(s.main.switch())).toBe(undefined);
        expect(sync(s.tick())).toBe(undefined);
        const err = new TestError('self');
        expect(() => sync(s.main.throw(err))).toThrow(err);
        const paused = s.tasklet(function* () {}, []);
        expect(sync(paused.kill({ pending: true }))).toBe(undefined);
        expect([paused.scheduled, paused.alive]).toEqual([true, true]);
      } finally {
        s.switchTrap(-1);
      }
      sync(s.run());
      expect(ch.balance).toBe(0);
    });

    it('S13: while trapped, a channel action whose caller continues succeeds; one that would switch is refused', () => {
      const s = ctx.s;
      const ch = s.channel();
      const ch2 = s.channel();
      const log: string[] = [];
      const sender = s.tasklet(function* () {
        yield* ch.send('v');
        log.push('sender done');
      }).setup();
      const receiver = s.tasklet(function* () {
        log.push(`receiver got ${String(yield* ch2.receive())}`);
      }).setup();
      sync(s.schedule());
      expect([sender.blocked, receiver.blocked]).toEqual([true, true]);
      s.switchTrap(1);
      try {
        // receive, preference -1: the caller continues, nothing switches.
        expect(sync(ch.receive())).toBe('v');
        expect(ring(s)).toEqual(names(s.main, sender));
        // send, preference -1: the partner would run at once.
        expectRefused(s, { tasklets: [sender, receiver], channels: [ch, ch2] }, () => sync(ch2.send('w')), StacklessError, 'switch_trap');
        // blocking would resume another tasklet.
        expectRefused(s, { tasklets: [sender, receiver], channels: [ch, ch2] }, () => sync(ch.receive()), StacklessError, 'switch_trap');
      } finally {
        s.switchTrap(-1);
      }
      sync(ch2.send('w'));
      sync(s.run());
      expect(log).toEqual(['receiver got w', 'sender done']);
    });

    it('S13/T7: insert, run and switch on a blocked tasklet: the blocked error wins over the switch trap', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.receive();
      }).setup();
      sync(s.schedule());
      s.switchTrap(1);
      try {
        for (const act of [() => t.insert(), () => sync(t.run()), () => sync(t.switch())]) {
          expectRefused(s, { tasklets: [t], channels: [ch] }, act, StacklessError, 'You cannot run a blocked tasklet');
        }
      } finally {
        s.switchTrap(-1);
      }
      sync(t.kill());
    });

    it("S13: a tasklet's end is never trapped", () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        s.switchTrap(1);
        log.push('trapped and ending');
      }).setup();
      expect(sync(s.run())).toBe(null);
      expect(s.switchTrap(-1)).toBe(1);
      expect(log).toEqual(['trapped and ending']);
    });
  });

  describe('S14/S15: atomic', () => {
    it('S14/H9: atomic() refuses an async body; a body that returns a thenable throws, and the flag is restored', () => {
      const s = ctx.s;
      const words = 'bodies are generator functions or plain functions, and promises are awaited with @greenstackless/io';
      expectThrows(() => s.atomic(async () => 1), TypeError, words);
      expectThrows(() => s.atomic(async function* () {} as any), TypeError, 'cannot be an async generator function');
      const e = expectThrows(() => sync(s.atomic(() => Promise.resolve(1))), TypeError, words);
      expect(e.message).toMatch(/^the body of atomic\(\) returned a promise/);
      expect(s.main.atomic).toBe(false);
      expect(sync(s.atomic(() => [Promise.resolve(1)]))).toHaveLength(1); // wrapped, a thenable is a value
    });

    it('S14: atomic(body) sets current.atomic, restores it, and gives the result', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      const result = sync(
        s.atomic(function* () {
          seen.push(s.current.atomic);
          const inner = yield* s.atomic(() => {
            seen.push(s.current.atomic);
            return 'inner';
          });
          seen.push(s.current.atomic, inner);
          return 'outer';
        }),
      );
      expect(result).toBe('outer');
      expect(seen).toEqual([true, true, true, 'inner']);
      expect(s.main.atomic).toBe(false);
    });

    it('S14: nested uses keep the outer value: an explicit setAtomic(true) survives atomic()', () => {
      const s = ctx.s;
      s.main.setAtomic(true);
      try {
        sync(s.atomic(() => undefined));
        expect(s.main.atomic).toBe(true);
      } finally {
        s.main.setAtomic(false);
      }
    });

    it("S14: when body throws, atomic restores the flag and throws body's error", () => {
      const s = ctx.s;
      const err = new TestError('in atomic');
      expect(() =>
        sync(
          s.atomic(function* () {
            throw err;
          }),
        ),
      ).toThrow(err);
      expect(s.main.atomic).toBe(false);
      expect(() =>
        sync(
          s.atomic(() => {
            throw err;
          }),
        ),
      ).toThrow(err);
      expect(s.main.atomic).toBe(false);
    });

    it('S14/H9: a plain body that returns an op runs it inside the atomic section', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      s.tasklet(function* () {
        seen.push(`main atomic while suspended: ${String(s.main.atomic)}`);
      }).setup();
      // The API types a plain body's result as R; H9 lets it return an op, which then runs as the rest of the body.
      const body = (() => s.schedule('inside')) as () => unknown;
      expect(sync(s.atomic(body))).toBe('inside');
      expect(seen).toEqual(['main atomic while suspended: true']);
      expect(s.main.atomic).toBe(false);
    });

    it('S14: a kill inside atomic restores the flag as the tasklet unwinds', () => {
      const s = ctx.s;
      const seen: unknown[] = [];
      const t = s.tasklet(function* () {
        try {
          yield* s.atomic(function* () {
            yield* s.schedule();
          });
        } finally {
          seen.push(s.current.atomic);
        }
      }).setup();
      sync(s.schedule());
      expect(t.atomic).toBe(true);
      sync(t.kill());
      expect(seen).toEqual([false]);
      expect(t.alive).toBe(false);
    });

    it('S15: atomic does not stop explicit switches; the flag belongs to one tasklet', () => {
      const s = ctx.s;
      const log: string[] = [];
      s.tasklet(function* () {
        log.push(`other atomic=${String(s.current.atomic)} main atomic=${String(s.main.atomic)}`);
      }).setup();
      sync(
        s.atomic(function* () {
          log.push('before');
          yield* s.schedule();
          log.push('after');
        }),
      );
      expect(log).toEqual(['before', 'other atomic=false main atomic=true', 'after']);
    });

    it('S15/T9: setAtomic returns the previous value; numbers other than 0 are true', () => {
      const s = ctx.s;
      const t = s.tasklet();
      expect(t.atomic).toBe(false);
      expect(t.setAtomic(1)).toBe(false);
      expect(t.atomic).toBe(true);
      expect(t.setAtomic(true)).toBe(true);
      expect(t.setAtomic(0)).toBe(true);
      expect(t.atomic).toBe(false);
      expect(t.setAtomic(false)).toBe(false);
    });
  });

  describe('T9/C5: blockTrap', () => {
    it('T9: blockTrap takes booleans and numbers', () => {
      const t = ctx.s.tasklet();
      t.blockTrap = 1;
      expect(t.blockTrap).toBe(true);
      t.blockTrap = 0;
      expect(t.blockTrap).toBe(false);
      t.blockTrap = true;
      expect(t.blockTrap).toBe(true);
    });

    it('C5: with blockTrap, an action that would block throws and changes nothing', () => {
      const s = ctx.s;
      const ch = s.channel();
      const other = s.tasklet(function* () {}).setup();
      s.main.blockTrap = true;
      try {
        s.main.tempval = 'keep';
        for (const act of [() => sync(ch.receive()), () => sync(ch.send(1))]) {
          expectRefused(s, { tasklets: [other], channels: [ch] }, act, StacklessError, 'this tasklet does not like to be blocked.');
        }
      } finally {
        s.main.blockTrap = false;
        s.main.tempval = undefined;
      }
      sync(s.run());
    });

    it('C5: blockTrap does not stop an action whose partner waits', () => {
      const s = ctx.s;
      const ch = s.channel();
      const t = s.tasklet(function* () {
        yield* ch.send('ok');
      }).setup();
      sync(s.schedule());
      s.main.blockTrap = true;
      try {
        expect(sync(ch.receive())).toBe('ok');
      } finally {
        s.main.blockTrap = false;
      }
      sync(s.run());
      expect(t.alive).toBe(false);
    });

    it('C5: blockTrap is checked before the closing channel and the deadlock', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.close();
      s.main.blockTrap = true;
      try {
        expectRefused(s, { channels: [ch] }, () => sync(ch.receive()), StacklessError, 'this tasklet does not like to be blocked.');
      } finally {
        s.main.blockTrap = false;
      }
      const open = s.channel();
      s.main.blockTrap = true;
      try {
        const err = expectRefused(s, { channels: [open] }, () => sync(open.send(1)), StacklessError, 'this tasklet does not like to be blocked.');
        expect(err).not.toBeInstanceOf(s.DeadlockError);
      } finally {
        s.main.blockTrap = false;
      }
    });
  });

  describe('S13/C5: Stackless test_miscell TestSwitchTrap and test_channel block-trap ports', () => {
    const trapped = (s: { switchTrap(change?: number): number }, body: () => void): void => {
      s.switchTrap(1);
      try {
        body();
      } finally {
        s.switchTrap(-1);
      }
    };

    it('S13: scheduleRemove is trapped; untrapped, a tasklet inserts main again (test_schedule_remove)', () => {
      const s = ctx.s;
      const main = s.main;
      s.tasklet(() => {
        main.insert();
      }).setup();
      trapped(s, () => expectRefused(s, {}, () => sync(s.scheduleRemove()), StacklessError, 'switch_trap'));
      expect(sync(s.scheduleRemove('back'))).toBe('back');
      expect(s.runcount).toBe(1);
    });

    it('S13: send and sendThrow to a receiver that has not run yet are trapped (test_send, test_send_throw)', () => {
      const s = ctx.s;
      const c = s.channel();
      const seen: unknown[] = [];
      s.tasklet(function* () {
        seen.push(yield* c.receive());
        try {
          yield* c.receive();
        } catch (e) {
          seen.push(e instanceof TestError ? 'TestError' : String(e));
        }
      }).setup();
      trapped(s, () => expectRefused(s, { channels: [c] }, () => sync(c.send(undefined)), StacklessError, 'switch_trap'));
      sync(c.send('v'));
      trapped(s, () => expectRefused(s, { channels: [c] }, () => sync(c.sendThrow(new TestError('x'))), StacklessError, 'switch_trap'));
      sync(c.sendThrow(new TestError('x')));
      sync(s.run());
      expect(seen).toEqual(['v', 'TestError']);
    });

    it('S13: receive from a sender that has not run yet is trapped (test_receive, test_receive_throw)', () => {
      const s = ctx.s;
      const c = s.channel();
      s.tasklet(function* () {
        yield* c.send(1);
        yield* c.sendThrow(new TestError('thrown'));
      }).setup();
      trapped(s, () => expectRefused(s, { channels: [c] }, () => sync(c.receive()), StacklessError, 'switch_trap'));
      expect(sync(c.receive())).toBe(1);
      expect(() => sync(c.receive())).toThrow('thrown');
      sync(s.run());
    });

    it('S13: raiseException and kill of a blocked tasklet are trapped; untrapped they work (test_raise_exception, test_kill)', () => {
      const s = ctx.s;
      const c = s.channel();
      const seen: string[] = [];
      const t = s.tasklet(function* () {
        for (;;) {
          try {
            yield* c.receive();
          } catch (e) {
            if (e instanceof s.TaskletExit) {
              seen.push('TaskletExit');
              throw e;
            }
            seen.push((e as Error).message);
          }
        }
      }).setup();
      sync(t.run());
      trapped(s, () => {
        expectRefused(s, { tasklets: [t], channels: [c] }, () => sync(t.raiseException(TestError, 'r')), StacklessError, 'switch_trap');
        expectRefused(s, { tasklets: [t], channels: [c] }, () => sync(t.kill()), StacklessError, 'switch_trap');
      });
      sync(t.raiseException(TestError, 'r'));
      sync(t.kill());
      expect(seen).toEqual(['r', 'TaskletExit']);
      expect(t.alive).toBe(false);
    });

    it('S13: run() of a paused tasklet is trapped and it stays paused (test_run_paused)', () => {
      const s = ctx.s;
      const t = s.tasklet(() => undefined, []);
      expect(t.paused).toBe(true);
      trapped(s, () => expectRefused(s, { tasklets: [t] }, () => sync(t.run()), StacklessError, 'switch_trap'));
      expect(t.paused).toBe(true);
      expect(sync(s.run())).toBe(null);
      sync(t.run());
      expect(t.alive).toBe(false);
    });

    it('C5: blockTrap refuses blocking in main and in a worker (testBlockTrapSend, testBlockTrapRecv)', () => {
      const s = ctx.s;
      const c = s.channel();
      let count = 0;
      const f = () => {
        const me = s.current;
        const old = me.blockTrap;
        me.blockTrap = true;
        try {
          for (const act of [() => sync(c.send(undefined)), () => sync(c.receive())]) {
            expectThrows(act, StacklessError, 'this tasklet does not like to be blocked.');
          }
        } finally {
          me.blockTrap = old;
        }
        count++;
      };
      f();
      s.tasklet(f).setup();
      sync(s.run());
      expect(count).toBe(2);
      expect(c.balance).toBe(0);
    });
  });

  describe('C5/S19: the switch trap and the channel callback', () => {
    it('C5: a channel action refused by the switch trap has called the channel callback; nothing else changes', () => {
      const s = ctx.s;
      const c = s.channel();
      const r = s.tasklet(function* () {
        yield* c.receive();
      }).setup();
      sync(s.schedule());
      const calls: string[] = [];
      s.setChannelCallback((_ch, who, sending, willblock) => calls.push(`${String(who)} ${String(sending)} ${String(willblock)}`));
      s.main.tempval = 'keep';
      trappedOnce(s, () => expectRefused(s, { tasklets: [r], channels: [c] }, () => sync(c.send('v')), StacklessError, 'switch_trap'));
      s.setChannelCallback(null);
      expect(calls).toEqual([`${String(s.main)} true false`]);
      s.main.tempval = undefined;
      sync(c.send('v'));
      expect(r.alive).toBe(false);
    });
  });
}

function trappedOnce(s: { switchTrap(change?: number): number }, body: () => void): void {
  s.switchTrap(1);
  try {
    body();
  } finally {
    s.switchTrap(-1);
  }
}
