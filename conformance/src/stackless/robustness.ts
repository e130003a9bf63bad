/**
 * Robustness: no input, callback or stack overflow corrupts a scheduler. Hostile values thrown, yielded, sent or
 * passed (S18, T21, H4, P2, S12, T9), identity of odd thrown values (T21: NaN), S3 for ops that do not switch
 * between two instances, and a stack overflow inside nested syncs (H10, H7, S5). After each case the instance
 * runs a normal program, with `runcount` and `current` as they should be.
 */
import { describe, expect, it, vi } from 'vitest';
import { GreenletError, sync } from '@greenstackless/greenlet';
import { StacklessError } from 'greenstackless';
import type { Stackless } from 'greenstackless';
import { hostileValues, revokedProxy } from '../hostile.js';
import { snapshot, tryEach, type SuiteContext } from './harness.js';

/** The instance still runs a program: a tasklet sends over a channel, main receives. */
function runsNormally(s: Stackless): void {
  const ch = s.channel<number>();
  const t = s.tasklet(function* () {
    yield* ch.send(7);
  }).setup();
  expect(sync(ch.receive())).toBe(7);
  expect(sync(s.run())).toBe(null);
  expect(t.alive).toBe(false);
  expect(s.runcount).toBe(1);
  expect(s.current).toBe(s.main);
}

/** Follows `cause` to the end of the chain. */
function rootCause(e: unknown): unknown {
  let x = e;
  for (let i = 0; i < 100_000 && x instanceof Error && x.cause !== undefined; i++) x = x.cause;
  return x;
}

export function robustnessTests(ctx: SuiteContext, make: () => Stackless, makeOther?: () => Stackless): void {
  it('S18: a schedule callback that throws a value String() cannot convert warns, and the switches go on', () => {
    const s = ctx.s;
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      for (const [, bad] of hostileValues()) {
        s.setScheduleCallback(() => {
          throw bad;
        });
        const log: string[] = [];
        s.tasklet(function* () {
          log.push('a1');
          yield* s.schedule();
          log.push('a2');
        }).setup();
        s.tasklet(function* () {
          log.push('b1');
          yield* s.schedule();
          log.push('b2');
        }).setup();
        expect(sync(s.run())).toBe(null);
        expect(log).toEqual(['a1', 'b1', 'a2', 'b2']);
        expect(s.runcount).toBe(1);
        expect(s.current).toBe(s.main);
      }
      const texts = warn.mock.calls.map((c) => String(c[0]));
      expect(texts.length).toBeGreaterThan(0);
      for (const text of texts) expect(text).toContain('Error in scheduling callback');
    } finally {
      warn.mockRestore();
      s.setScheduleCallback(null);
    }
    runsNormally(s);
  });

  it('T21: a tasklet that throws NaN (or -0, undefined) makes run() throw it once; the next run() is clean', () => {
    const s = ctx.s;
    for (const odd of [NaN, -0, undefined, null, 0]) {
      s.tasklet(function* () {
        throw odd;
      }).setup();
      let caught: unknown = 'nothing';
      try {
        sync(s.run());
      } catch (e) {
        caught = e;
      }
      expect(Object.is(caught, odd)).toBe(true);
      expect(s.runcount).toBe(1);
      // No pending error stays behind in main's tempval: a run that switches gives null.
      s.tasklet(function* () {
        yield* s.schedule();
      }).setup();
      expect(sync(s.run())).toBe(null);
    }
    runsNormally(s);
  });

  it('T21/S21: a revoked Proxy thrown by a tasklet comes out of run() as itself; the instance runs on', () => {
    const s = ctx.s;
    const proxy = revokedProxy();
    s.tasklet(function* () {
      yield* s.schedule();
      throw proxy;
    }).setup();
    let caught: unknown;
    try {
      sync(s.run());
    } catch (e) {
      caught = e;
    }
    expect(caught).toBe(proxy);
    expect(s.runcount).toBe(1);
    expect(s.current).toBe(s.main);
    // Given to the error handler, it is dropped there (S21).
    const seen: unknown[] = [];
    s.setErrorHandler((e) => {
      seen.push(e);
    });
    s.tasklet(function* () {
      throw proxy;
    }).setup();
    expect(sync(s.run())).toBe(null);
    expect(seen.length).toBe(1);
    expect(seen[0] === proxy).toBe(true);
    s.setErrorHandler(null);
    runsNormally(s);
  });

  it('H4: a tasklet body that yields a hostile value gets a TypeError at that yield and goes on', () => {
    const s = ctx.s;
    for (const [name, bad] of hostileValues()) {
      const got: string[] = [];
      s.tasklet(function* () {
        try {
          yield bad;
          got.push('no error');
        } catch (e) {
          got.push(e instanceof TypeError ? 'TypeError' : 'other');
          got.push(typeof (e as Error).message === 'string' && (e as Error).message.length > 0 ? 'message' : 'none');
        }
        yield* s.schedule();
      }).setup();
      expect(sync(s.run()), name).toBe(null);
      expect(got, name).toEqual(['TypeError', 'message']);
      expect(s.runcount).toBe(1);
    }
    runsNormally(s);
  });

  it('T10/C5: hostile values travel through tempval, schedule() and channels unchanged', () => {
    const s = ctx.s;
    const ch = s.channel<unknown>();
    for (const [name, bad] of hostileValues()) {
      const got: unknown[] = [];
      s.tasklet(function* () {
        // schedule(undefined) gives the tasklet itself (S7): its retval is any other value.
        if (bad !== undefined) got.push(yield* s.schedule(bad));
        else got.push(bad);
        yield* ch.send(bad);
      }).setup();
      s.tasklet(function* () {
        got.push(yield* ch.receive());
      }).setup();
      expect(sync(s.run()), name).toBe(null);
      expect(got.length, name).toBe(2);
      for (const v of got) expect(Object.is(v, bad), name).toBe(true);
    }
    expect(ch.balance).toBe(0);
    runsNormally(s);
  });

  it('T16: throw() of a hostile value to a blocked or dead tasklet: thrown there, or StacklessError', () => {
    const s = ctx.s;
    const ch = s.channel();
    for (const [name, bad] of hostileValues()) {
      if (bad === undefined) continue; // T16: throw() needs an error
      let caught: unknown = 'nothing';
      const t = s.tasklet(function* () {
        try {
          yield* ch.receive();
        } catch (e) {
          caught = e;
        }
      }).setup();
      sync(s.schedule());
      expect(t.blocked, name).toBe(true);
      sync(t.throw(bad));
      expect(Object.is(caught, bad), name).toBe(true);
      expect(t.alive).toBe(false);
      expect(() => sync(t.throw(bad)), name).toThrow(StacklessError);
    }
    expect(ch.balance).toBe(0);
    runsNormally(s);
  });

  it('P2/S12/T9: run({timeout}), switchTrap() and the flags refuse hostile values with TypeError, changing nothing', () => {
    const s = ctx.s;
    for (const [name, bad] of hostileValues()) {
      const before = snapshot(s);
      // undefined is an absent timeout (P2) and a change of 0 (S12).
      if (bad !== undefined && !(typeof bad === 'number' && Number.isInteger(bad) && bad >= 0)) {
        expect(() => sync(s.run({ timeout: bad as number })), name).toThrow(TypeError);
      }
      if (bad !== undefined && !(typeof bad === 'number' && Number.isInteger(bad))) {
        expect(() => s.switchTrap(bad as number), name).toThrow(TypeError);
      }
      if (typeof bad !== 'number' && typeof bad !== 'boolean') {
        expect(() => s.main.setAtomic(bad as number), name).toThrow(TypeError);
        expect(() => {
          s.main.blockTrap = bad as number;
        }, name).toThrow(TypeError);
      }
      expect(snapshot(s), name).toEqual(before);
    }
    runsNormally(s);
  });

  it('T9: setAtomic and blockTrap take any number: NaN and Infinity are true, -0 is false', () => {
    const s = ctx.s;
    const t = s.tasklet(function* () {});
    expect(t.setAtomic(NaN)).toBe(false);
    expect(t.atomic).toBe(true);
    expect(t.setAtomic(-0)).toBe(true);
    expect(t.atomic).toBe(false);
    expect(t.setAtomic(Infinity)).toBe(false);
    expect(t.atomic).toBe(true);
    t.blockTrap = NaN;
    expect(t.blockTrap).toBe(true);
    t.blockTrap = -0;
    expect(t.blockTrap).toBe(false);
    t.blockTrap = -Infinity;
    expect(t.blockTrap).toBe(true);
  });

  it('S3: ops that would not switch, run in a tasklet of another instance, throw StacklessError and change nothing', ({
    skip,
  }) => {
    const a = ctx.s;
    let b = make();
    if (b === a) {
      if (makeOther === undefined) skip('make() gives a shared instance and no makeOther() was given; S3 needs two');
      b = makeOther!();
    }
    const ch = a.channel<number>();
    ch.preference = 0; // a receiver that finds a sender continues: nothing switches
    const sender = a.tasklet(function* () {
      yield* ch.send(5);
    }).setup();
    expect(sync(a.run())).toBe(null);
    expect(sender.blocked).toBe(true);
    const results: string[] = [];
    b.tasklet(function* () {
      const before = snapshot(a, [sender], [ch]);
      results.push(...(yield* tryEach([
        ['schedule', () => a.schedule()],
        ['run', () => a.run()],
        ['receive', () => ch.receive()],
        ['main.run', () => a.main.run()],
        ['atomic', () => a.atomic(() => 1)],
      ])));
      expect(snapshot(a, [sender], [ch])).toEqual(before);
    }).setup();
    expect(sync(b.run())).toBe(null);
    expect(results).toEqual([
      'schedule StacklessError',
      'run StacklessError',
      'receive StacklessError',
      'main.run StacklessError',
      'atomic StacklessError',
    ]);
    expect(sync(ch.receive())).toBe(5);
    expect(sync(a.run())).toBe(null);
    runsNormally(a);
    runsNormally(b);
  });

  it('H10/H7/S5: a stack overflow inside nested syncs surfaces as an error; every tasklet ends, the instance runs on', () => {
    const s = ctx.s;
    const made: { alive: boolean }[] = [];
    const body = (d: number): number => {
      const t = s.tasklet(body, [d + 1]);
      made.push(t);
      sync(t.run());
      return 0;
    };
    let caught: unknown;
    try {
      made.push(s.tasklet(body, [1]));
      sync((made[0] as ReturnType<Stackless['tasklet']>).run());
    } catch (e) {
      caught = e;
    }
    expect(caught instanceof RangeError || caught instanceof GreenletError).toBe(true);
    expect(rootCause(caught)).toBeInstanceOf(RangeError);
    expect(made.length).toBeGreaterThan(10);
    expect(made.filter((t) => t.alive).length).toBe(made.length - made.filter((t) => !t.alive).length);
    // The innermost tasklet was made but never run (its sync was refused): it is the only one still alive.
    expect(made.slice(0, -1).every((t) => !t.alive)).toBe(true);
    expect(s.runcount).toBe(1);
    expect(s.current).toBe(s.main);
    runsNormally(s);
  }, 60_000);
}
