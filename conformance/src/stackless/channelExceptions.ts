/**
 * Exceptions over channels and sequences: C5 step 6, C7, C8, C9 (refusals of C7 and C9 are in misuse.ts).
 *
 * Ported behaviours: Stackless' test_channel (send_exception, send_throw, send_sequence, testBlockingSend with
 * an exception), pts's stackless_test.py (SendBomb and SendException into a receiving main: "exceptions sent
 * properly"), stackless-testsuite v3_1/channel test_functionality.
 * Skipped: bombs and (type, value, traceback) triples (M2), tracebacks.
 */
import { describe, expect, it } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import { TestError, names, ring, type SuiteContext } from './harness.js';

export function channelExceptionTests(ctx: SuiteContext): void {
  describe('C7/C8: sendException and sendThrow', () => {
    it('C7: sendException makes the error in the caller; the blocked receiver throws it, the sender gets undefined', () => {
      const s = ctx.s;
      const ch = s.channel();
      const log: unknown[] = [];
      s.tasklet(function* () {
        try {
          yield* ch.receive();
        } catch (e) {
          log.push(e instanceof TestError, (e as Error).message);
        }
      }).setup();
      sync(s.schedule());
      expect(sync(ch.sendException(TestError, 'sent'))).toBe(undefined);
      expect(log).toEqual([true, 'sent']);
      expect(ch.balance).toBe(0);
    });

    it('C7: a tasklet sending an exception to a receiving main (SendException of testStackless)', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.preference = 1;
      s.tasklet(function* () {
        yield* ch.sendException(TestError, '43');
      }).setup();
      let caught: unknown;
      try {
        sync(ch.receive());
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TestError);
      expect((caught as Error).message).toBe('43');
      expect(ch.balance).toBe(0);
      sync(s.run());
    });

    it('C8: sendThrow sends the object itself; the receiver throws that same object', () => {
      const s = ctx.s;
      const ch = s.channel();
      const err = new TestError('same');
      const got: unknown[] = [];
      s.tasklet(function* () {
        for (let i = 0; i < 2; i++) {
          try {
            yield* ch.receive();
          } catch (e) {
            got.push(e);
          }
        }
      }).setup();
      sync(s.schedule());
      sync(ch.sendThrow(err));
      sync(ch.sendThrow('a string'));
      expect(got[0]).toBe(err);
      expect(got[1]).toBe('a string');
    });

    it('C5/C8: a sender blocked with an exception holds a carrier; a receiving caller that continues throws at once', () => {
      const s = ctx.s;
      const ch = s.channel();
      const err = new TestError('bomb');
      const log: string[] = [];
      const t = s.tasklet(function* () {
        yield* ch.sendThrow(err);
        log.push('sender resumed');
      }).setup();
      sync(s.schedule());
      expect(t.blocked).toBe(true);
      expect(t.tempval).not.toBe(err);
      expect(t.tempval).not.toBe(undefined);
      expect(() => sync(ch.receive())).toThrow(err);
      expect([t.blocked, t.tempval, ch.balance]).toEqual([false, undefined, 0]);
      expect(ring(s)).toEqual(names(s.main, t));
      expect(log).toEqual([]);
      sync(s.run());
      expect(log).toEqual(['sender resumed']);
    });

    it('C5: a receiving caller that yields (scheduleAll) throws the received error after it resumes', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.scheduleAll = true;
      const log: string[] = [];
      s.tasklet(function* () {
        yield* ch.sendException(TestError, 'late');
        log.push('P sent');
      }).setup();
      sync(s.schedule());
      s.tasklet(function* () {
        log.push('X');
      }).setup();
      try {
        sync(ch.receive());
        log.push('no error');
      } catch (e) {
        log.push(`main caught ${(e as Error).message}`);
      }
      expect(log).toEqual(['X', 'P sent', 'main caught late']);
    });

    it('C5: a receiving caller whose partner runs at once (preference 1) throws after it resumes', () => {
      const s = ctx.s;
      const ch = s.channel();
      ch.preference = 1;
      const log: string[] = [];
      s.tasklet(function* () {
        yield* ch.sendException(TestError, 'late');
        log.push('P sent');
      }).setup();
      sync(s.schedule());
      try {
        sync(ch.receive());
      } catch (e) {
        log.push(`main caught ${(e as Error).message}`);
      }
      expect(log).toEqual(['P sent', 'main caught late']);
    });
  });

  describe('C9: sendSequence', () => {
    it('C9: sendSequence sends the items in order and gives the count', () => {
      const s = ctx.s;
      const ch = s.channel<number>();
      const got: number[] = [];
      const receiver = s.tasklet(function* () {
        for (;;) got.push(yield* ch.receive());
      }).setup();
      sync(s.schedule());
      expect(sync(ch.sendSequence([1, 2, 3]))).toBe(3);
      expect(sync(ch.sendSequence(new Set([4, 5])))).toBe(2);
      function* gen() {
        yield 6;
        yield 7;
      }
      expect(sync(ch.sendSequence(gen()))).toBe(2);
      expect(sync(ch.sendSequence([]))).toBe(0);
      expect(got).toEqual([1, 2, 3, 4, 5, 6, 7]);
      sync(receiver.kill());
    });

    it('C9: each item is a send that may block and switch', () => {
      const s = ctx.s;
      const ch = s.channel<string>();
      const log: string[] = [];
      s.tasklet(function* () {
        log.push(`sent ${String(yield* ch.sendSequence(['a', 'b']))}`);
      }).setup();
      s.tasklet(function* () {
        for (let i = 0; i < 2; i++) {
          log.push(`wait ${i}`);
          log.push(`got ${yield* ch.receive()}`);
        }
      }).setup();
      sync(s.run());
      expect(log).toEqual(['wait 0', 'got a', 'wait 1', 'got b', 'sent 2']);
    });

    it('C9: an error from the iterable comes out after the items before it were sent', () => {
      const s = ctx.s;
      const ch = s.channel<number>();
      const got: number[] = [];
      const receiver = s.tasklet(function* () {
        for (;;) got.push(yield* ch.receive());
      }).setup();
      sync(s.schedule());
      function* failing() {
        yield 1;
        yield 2;
        throw new TestError('iterable failed');
      }
      expect(() => sync(ch.sendSequence(failing()))).toThrow('iterable failed');
      expect(got).toEqual([1, 2]);
      expect(ch.balance).toBe(-1);
      sync(receiver.kill());
    });

    it('C9: an error from a send stops the sequence (closing channel, no receiver)', () => {
      const s = ctx.s;
      const ch = s.channel<number>();
      const got: number[] = [];
      const receiver = s.tasklet(function* () {
        got.push(yield* ch.receive());
      }).setup();
      sync(s.schedule());
      ch.close();
      expect(() => sync(ch.sendSequence([1, 2, 3]))).toThrow(s.ChannelClosedError);
      expect(got).toEqual([1]);
      expect(ch.balance).toBe(0);
      expect(receiver.alive).toBe(false);
    });
  });
}
