/**
 * The op state machines: soft and hard runs of the same op (H2, H5), H1 and H8, a transfer refused under the op
 * (S5, H6), a tasklet's refused end (H7), a resume the instance did not make (S22), and the ops built on nested
 * frames (sendSequence, atomic, tick at the end of atomic).
 */
import { describe, expect, it } from 'vitest';
import { GreenletError, native, sync } from '@greenstackless/greenlet';
import { createStackless, StacklessError, TaskletExit, type Stackless, type TaskletType } from './helpers.js';

describe('H2/H5: one op, three ways to run it', () => {
  it('H2: yield* op, yield op and sync(op) give the same results and errors', () => {
    const s = createStackless(native);
    const ch = s.channel<string>();
    const got: unknown[] = [];
    s.tasklet(function* () {
      got.push(yield* ch.receive());
      got.push(yield ch.receive());
      try {
        yield ch.receive();
      } catch (e) {
        got.push((e as Error).message);
      }
    }).setup();
    sync(s.schedule());
    sync(ch.send('a'));
    sync(ch.send('b'));
    sync(ch.sendThrow(new Error('d')));
    sync(s.run());
    expect(got).toEqual(['a', 'b', 'd']);
  });

  it('H9: a plain function whose result is an op runs it as the rest of the body', () => {
    const s = createStackless(native);
    const ch = s.channel<number>();
    s.tasklet<unknown>(() => ch.send(5)).setup();
    expect(sync(ch.receive())).toBe(5);
  });
});

describe('H8: forgotten ops', () => {
  it('H8: an op made and not run is reported at the next op of the instance, which counts as run', () => {
    const s = createStackless(native);
    let error: unknown;
    let after: unknown;
    s.tasklet(function* () {
      s.schedule('forgotten'); // no yield*
      try {
        yield* s.schedule();
      } catch (e) {
        error = e;
      }
      after = yield* s.schedule('next'); // reported once: this one runs normally
    }).setup();
    sync(s.run());
    expect(error).toBeInstanceOf(GreenletError);
    expect((error as Error).message).toContain('schedule()');
    expect((error as Error).message).toContain('never run');
    expect(after).toBe('next');
  });

  it('H8: an op left unrun at the end of a body replaces its result and goes to W as the tasklet error (T21)', () => {
    const s = createStackless(native);
    const ch = s.channel();
    const t = s.tasklet(function* () {
      ch.send(1);
    }).setup();
    let error: unknown;
    try {
      sync(s.run());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GreenletError);
    expect((error as Error).message).toContain('Channel#1.send()');
    expect(t.alive).toBe(false);
    expect(ch.balance).toBe(0);
  });

  it('H8: an op made in main and never run is reported at main\'s next op of the instance, in its place', () => {
    const s = createStackless(native);
    const ch = s.channel<string>();
    const log: string[] = [];
    s.tasklet(function* () {
      log.push(`got ${yield* ch.receive()}`);
    }).setup();
    ch.send('x'); // made at the top level, never run
    let e: unknown;
    try {
      sync(s.run());
    } catch (error) {
      e = error;
    }
    expect(e).toBeInstanceOf(GreenletError);
    expect((e as Error).message).toBe(
      `the op ${ch}.send() made in Tasklet#main was never run: run ops with yield*, yield or sync() (H8)`,
    );
    expect(log).toEqual([]); // run() did not run
    expect(s.runcount).toBe(2);
    expect(sync(s.schedule('y'))).toBe('y'); // reported once; the tasklet ran meanwhile and now waits
    expect(ch.balance).toBe(-1);
    sync(ch.send('z'));
    expect(log).toEqual(['got z']);
  });

  it('H8: a run() refused for its options leaves no op behind', () => {
    const s = createStackless(native);
    expect(() => s.run({ timeout: -1 })).toThrow(TypeError);
    expect(sync(s.schedule('x'))).toBe('x');
  });
});

describe('S5: a transfer refused under the op changes nothing', () => {
  it('S5/H6: a send whose receiver waits in an outer sync is refused; the sender keeps its tempval; the receiver stays blocked', () => {
    const s = createStackless(native);
    const ch = s.channel<string>();
    const log: string[] = [];
    // R blocks hard (its own sync), X then hard-switches on (a sync above R's), and Y sends to R.
    const r = s.tasklet(() => {
      try {
        log.push(`R got ${sync(ch.receive())}`);
      } catch (e) {
        // X's end cannot reach main, which waits below R's sync: the GreenletError comes here (H7, S5).
        log.push(`R ${(e as Error).name}, current ${s.current === r}, balance ${ch.balance}`);
      }
    }).setup();
    s.tasklet(() => {
      sync(s.schedule());
      log.push('X ends');
    }).setup();
    const y = s.tasklet(function* () {
      y.tempval = 'y';
      try {
        yield* ch.send('v');
      } catch (e) {
        log.push(`Y ${(e as Error).name}`);
      }
      log.push(`Y tempval ${String(y.tempval)}, balance ${ch.balance}, R blocked ${r.blocked}`);
    }).setup();
    expect(sync(s.run())).toBe(null);
    expect(log).toEqual([
      'Y GreenletError',
      'Y tempval y, balance -1, R blocked true',
      'X ends',
      'R GreenletError, current true, balance 0',
    ]);
    expect([ch.balance, s.runcount, r.alive]).toEqual([0, 1, false]);
  });

  it('S5/H6: t.run() of a tasklet suspended in an outer sync throws GreenletError naming both; the ring is unchanged', () => {
    const s = createStackless(native);
    let outer: TaskletType | undefined;
    let error: unknown;
    let ringAfter: string[] = [];
    outer = s.tasklet(() => {
      // outer hard-switches to inner, which then tries to run outer: outer is below inner's sync.
      sync(inner.run());
    }).setup();
    const inner = s.tasklet(() => {
      const before = [s.runcount, outer!.scheduled, String(s.current)];
      try {
        sync(outer!.run());
      } catch (e) {
        error = e;
      }
      ringAfter = [s.runcount, outer!.scheduled, String(s.current)].map(String);
      expect(ringAfter).toEqual(before.map(String));
    });
    inner.bind(null, []);
    sync(s.run());
    expect(error).toBeInstanceOf(GreenletError);
    expect((error as Error).message).toMatch(/Greenlet#\d+.*Greenlet#\d+/);
    expect(s.runcount).toBe(1);
    expect(outer.alive).toBe(false);
  });
});

describe('H7/S5: a tasklet end that cannot be delivered', () => {
  it('H7: the GreenletError goes to the tasklet that called the innermost sync; it is current again', () => {
    const s = createStackless(native);
    const err = new Error('undeliverable');
    const u = s.tasklet(function* () {
      throw err;
    }, []);
    const log: string[] = [];
    const calls: string[] = [];
    const t = s.tasklet(() => {
      s.setScheduleCallback((prev, next) => calls.push(`${prev}->${next}`));
      try {
        sync(u.run()); // u's error must go to W (main), which waits in the outer sync
      } catch (e) {
        log.push(e instanceof GreenletError ? `GreenletError, cause ${(e as Error).cause === err}` : String(e));
      }
      s.setScheduleCallback(null);
      log.push(`current ${s.current === t}, u alive ${u.alive}`);
    }).setup();
    expect(sync(s.run())).toBe(null); // main's run() is unaffected: t then ends normally
    expect(log).toEqual(['GreenletError, cause true', 'current true, u alive false']);
    expect(calls).toEqual(['Tasklet#2->Tasklet#1', 'Tasklet#1->Tasklet#2']);
  });
});

describe('S22: a resume the instance did not make', () => {
  it('S22: a greenlet switch into a tasklet waiting in an op makes that op throw StacklessError; current does not change', () => {
    const s = createStackless(native);
    let g: ReturnType<typeof native.getcurrent> | undefined;
    let error: unknown;
    const t = s.tasklet(function* () {
      g = native.getcurrent();
      try {
        yield* s.schedule();
      } catch (e) {
        error = e;
      }
      yield* native.getcurrent().parent!.switch(); // back to main's greenlet, outside the scheduler
    }).setup();
    sync(s.schedule()); // t runs and schedules back to main
    expect(s.current).toBe(s.main);
    sync(g!.switch()); // main's greenlet switches into t's greenlet directly
    expect(error).toBeInstanceOf(StacklessError);
    expect((error as Error).message).toContain('Tasklet#1');
    expect((error as Error).message).toContain('not by the scheduler');
    expect(s.current).toBe(s.main);
    t.remove();
  });
});

describe('ops built on nested frames', () => {
  it('C9: sendSequence sends each item as a send that may block, and gives the count', () => {
    const s = createStackless(native);
    const ch = s.channel<number>();
    const got: number[] = [];
    s.tasklet(function* () {
      for (let i = 0; i < 3; i++) got.push(yield* ch.receive());
    }).setup();
    expect(sync(ch.sendSequence([1, 2, 3]))).toBe(3);
    expect(got).toEqual([1, 2, 3]);
  });

  it('C9: an error from the iterable comes out after the items before it were sent', () => {
    const s = createStackless(native);
    const ch = s.channel<number>();
    const got: number[] = [];
    s.tasklet(function* () {
      for (;;) got.push(yield* ch.receive());
    }).setup();
    function* items() {
      yield 1;
      yield 2;
      throw new Error('items failed');
    }
    expect(() => sync(ch.sendSequence(items()))).toThrow('items failed');
    expect(got).toEqual([1, 2]);
    sync(s.schedule()); // the receiver blocks again
    s.getmain(); // (main stays current)
    const [receiver] = [ch.queue!];
    sync(receiver.kill());
    expect(ch.balance).toBe(0);
  });

  it('S14: atomic restores the flag after a generator body, also when it throws; nested uses keep the outer value', () => {
    const s = createStackless(native);
    const seen: boolean[] = [];
    const result = sync(s.atomic(function* () {
      seen.push(s.current.atomic);
      const inner = yield* s.atomic(() => {
        seen.push(s.current.atomic);
        return 'inner';
      });
      seen.push(s.current.atomic);
      return inner + '!';
    }));
    expect(result).toBe('inner!');
    expect(seen).toEqual([true, true, true]);
    expect(s.current.atomic).toBe(false);
    expect(() => sync(s.atomic(function* (): Generator<unknown, void, unknown> {
      throw new Error('in atomic');
    }))).toThrow('in atomic');
    expect(s.current.atomic).toBe(false);
  });

  it('P6: a hard budget spent while atomic is taken at the end of the atomic() that clears the flag', () => {
    const s = createStackless(native);
    const log: string[] = [];
    const t = s.tasklet(function* () {
      yield* s.atomic(function* () {
        yield* s.tick();
        yield* s.tick(); // spent, but atomic: no interrupt
        log.push('still running');
      });
      log.push('resumed after the interrupt');
    }).setup();
    const victim = sync(s.run({ timeout: 2 }));
    expect(victim).toBe(t);
    expect(log).toEqual(['still running']);
    expect([t.paused, t.alive]).toEqual([true, true]);
    t.insert();
    expect(sync(s.run())).toBe(null);
    expect(log).toEqual(['still running', 'resumed after the interrupt']);
  });

  it('P5: a soft interrupt takes effect at the next switch; the tasklet that was to run keeps its place', () => {
    const s = createStackless(native);
    const log: string[] = [];
    const a = s.tasklet(function* () {
      yield* s.tick(); // spends the budget: soft, nothing switches
      log.push('a goes on');
      yield* s.schedule(); // the interrupt: main resumes instead of b
      log.push('a again');
    }).setup();
    const b = s.tasklet(function* () {
      log.push('b');
    }).setup();
    expect(sync(s.run({ timeout: 1, soft: true }))).toBe(null);
    expect(log).toEqual(['a goes on']);
    expect([a.scheduled, b.scheduled, s.runcount]).toEqual([true, true, 3]);
    expect(s.main.next).toBe(b); // b, which was to run, comes first
    sync(s.run());
    expect(log).toEqual(['a goes on', 'b', 'a again']);
  });
});

describe('T10: the tempval carrier', () => {
  it('T10: a pending error travels in the tempval; overwriting it discards the error; copying it copies the error', () => {
    const s = createStackless(native);
    const log: string[] = [];
    const body = function* (name: string) {
      try {
        log.push(`${name} got ${String(yield* s.scheduleRemove())}`);
      } catch (e) {
        log.push(`${name} caught ${(e as Error).message}`);
      }
    };
    const a = s.tasklet(body).setup('a');
    const b = s.tasklet(body).setup('b');
    sync(s.schedule()); // both pause in scheduleRemove
    sync(a.throw(new Error('boom'), { pending: true }));
    expect(a.tempval).not.toBeInstanceOf(Error); // an opaque carrier
    b.tempval = a.tempval; // copied
    a.tempval = 'overwritten';
    b.insert();
    sync(s.run());
    expect(log).toEqual(['a got overwritten', 'b caught boom']);
  });

  it('T18: killing main from a tasklet throws TaskletExit at main\'s pending op; the killer stays runnable', () => {
    const s = createStackless(native);
    const killer = s.tasklet(function* () {
      yield* s.main.kill();
    }).setup();
    expect(() => sync(s.schedule())).toThrow(TaskletExit);
    expect(killer.scheduled).toBe(true);
    sync(s.run());
  });
});

export type { Stackless };

describe('H8 across layers', () => {
  it('H8: a greenlet op forgotten in a tasklet body is reported by the module at the end; the error reaches W, not lost', () => {
    const s = createStackless(native);
    const t = s.tasklet(function* () {
      native.getcurrent().switch(); // a native op, never run
    }).setup();
    let error: unknown;
    try {
      sync(s.run());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GreenletError);
    expect((error as Error).message).toContain('never run');
    expect([t.alive, s.current, s.runcount]).toEqual([false, s.main, 1]);
  });
});
