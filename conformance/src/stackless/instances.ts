/**
 * Instances: S1, S3, and the instance's classes (packages/greenstackless/README.md, Reference).
 *
 * Ported behaviours: Stackless' test_thread parts that survive M7 (each thread has its own main, current and
 * run queue; a tasklet of one thread cannot be run from another), stackless-testsuite v3_1/test_content (the
 * module's names).
 * Skipped: threads themselves, `bind_thread`, thread ids (M7). S1's refusal outside a main greenlet and S3's
 * refusal in a greenlet that is no tasklet need the greenlet module under the instance, which this suite does
 * not get; the cross-instance tests need a second, distinct instance: `make()` again, or `makeOther()` where `make()`
 * returns a shared one; they are skipped (with a reason) where neither gives one.
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { ChannelClosedError, DeadlockError, StacklessError, TaskletExit } from 'greenstackless';
import type { Stackless } from 'greenstackless';
import { names, ring, snapshot, tryEach, type SuiteContext } from './harness.js';

export function instanceTests(ctx: SuiteContext, make: () => Stackless, makeOther?: () => Stackless): void {
  describe('S1: the instance', () => {
    it('S1: the error classes are the exported ones; DeadlockError and ChannelClosedError are StacklessErrors', () => {
      const s = ctx.s;
      expect(s.TaskletExit).toBe(TaskletExit);
      expect(s.StacklessError).toBe(StacklessError);
      expect(s.DeadlockError).toBe(DeadlockError);
      expect(s.ChannelClosedError).toBe(ChannelClosedError);
      expect(new DeadlockError('x')).toBeInstanceOf(StacklessError);
      expect(new ChannelClosedError('x')).toBeInstanceOf(StacklessError);
      expect(new TaskletExit()).toBeInstanceOf(Error);
      expect(new StacklessError('x')).toBeInstanceOf(Error);
    });

    it('S1: tasklet() and channel() make instances of the instance’s own classes', () => {
      const s = ctx.s;
      expect(s.tasklet()).toBeInstanceOf(s.Tasklet);
      expect(new s.Tasklet()).toBeInstanceOf(s.Tasklet);
      expect(s.channel()).toBeInstanceOf(s.Channel);
      expect(new s.Channel()).toBeInstanceOf(s.Channel);
      expect(s.main).toBeInstanceOf(s.Tasklet);
    });
  });

  describe('S3: objects of two instances do not mix', () => {
    /** A second instance: make() again, or makeOther() when make() gives the shared one; else a skip. */
    function other(skip: (note: string) => void): Stackless {
      const b = make();
      if (b !== ctx.s) return b;
      if (makeOther !== undefined) return makeOther();
      skip('make() gives a shared instance and no makeOther() was given; S3 needs two');
      return b;
    }

    it('S3: each instance has its own main, ring and classes', ({ skip }) => {
      const a = ctx.s;
      const b = other(skip);
      expect(b.main).not.toBe(a.main);
      expect(b.current).toBe(b.main);
      expect(a.tasklet()).not.toBeInstanceOf(b.Tasklet);
      expect(b.channel()).not.toBeInstanceOf(a.Channel);
      const t = b.tasklet(function* () {}).setup();
      expect(a.runcount).toBe(1);
      expect(b.runcount).toBe(2);
      expect(ring(b)).toEqual(names(b.main, t));
      expect(sync(b.run())).toBe(null);
      expect(t.alive).toBe(false);
    });

    it("S3: an op of one instance run in a tasklet of another throws StacklessError and changes nothing", ({ skip }) => {
      const a = ctx.s;
      const b = other(skip);
      const bt = b.tasklet(function* () {}).setup();
      const bch = b.channel();
      const results: string[] = [];
      a.tasklet(function* () {
        const before = snapshot(b, [bt], [bch]);
        results.push(...(yield* tryEach([
          ['schedule', () => b.schedule()],
          ['run', () => b.run()],
          ['t.run', () => bt.run()],
          ['t.kill', () => bt.kill()],
          ['send', () => bch.send(1)],
          ['receive', () => bch.receive()],
        ])));
        expect(snapshot(b, [bt], [bch])).toEqual(before);
        // Methods that do not switch, and attributes, work from anywhere.
        bt.remove();
        bt.insert();
        results.push(`balance ${bch.balance}`);
      }).setup();
      sync(a.run());
      expect(results).toEqual([
        'schedule StacklessError',
        'run StacklessError',
        't.run StacklessError',
        't.kill StacklessError',
        'send StacklessError',
        'receive StacklessError',
        'balance 0',
      ]);
      expect(ring(b)).toEqual(names(b.main, bt));
      sync(b.run());
      expect(bt.alive).toBe(false);
    });

    it('S3: insert, remove, bind, setup, close and open of another instance work from a tasklet', ({ skip }) => {
      const a = ctx.s;
      const b = other(skip);
      const log: string[] = [];
      const bch = b.channel();
      a.tasklet(function* () {
        b.tasklet(function* () {
          log.push('b tasklet ran');
        }).setup();
        bch.close();
        bch.open();
        bch.close();
      }).setup();
      sync(a.run());
      expect(b.runcount).toBe(2);
      expect(bch.closing).toBe(true);
      sync(b.run());
      expect(log).toEqual(['b tasklet ran']);
    });
  });
}
