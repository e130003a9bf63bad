/**
 * Package-internal tests of the trampoline: the op state machine, the loop registers across nested syncs,
 * frames that are hand-written iterators, and the messages. Behaviour rules live in the conformance suite.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { getcurrent, Greenlet, GreenletError, OP_BRAND, settrace, sync, unwind } from '../src/index.js';

function errorOf(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('native ops', () => {
  it('carry the op brand and name their target in toString', () => {
    const g = new Greenlet(() => 1);
    const op = g.switch(1);
    expect((op as any)[OP_BRAND]).toBe(true);
    expect(String(op)).toBe(`[op ${g}.switch()]`);
    expect(sync(op)).toBe(1);
  });

  it('H1: the iterator of an op can be taken once; the second time is a GreenletError naming the op', () => {
    const g = new Greenlet(function* () {
      const op = getcurrent().switch('self');
      const first = yield* op;
      const second = errorOf(() => op[Symbol.iterator]());
      return [first, second];
    });
    const [first, second] = sync(g.switch()) as [unknown, Error];
    expect(first).toBe('self');
    expect(second).toBeInstanceOf(GreenletError);
    expect(second.message).toContain(`${g}.switch()`);
    expect(second.message).toContain('already run');
  });

  it('H1: an op given to sync counts as run, even when the switch is refused', () => {
    const g = new Greenlet(); // no run: G9 refuses the switch
    const op = g.switch();
    expect(errorOf(() => sync(op))).toBeInstanceOf(TypeError);
    expect(errorOf(() => sync(op))).toBeInstanceOf(GreenletError);
  });

  it('yield* of an op whose switch fails throws at the yield* and leaves the body running', () => {
    const g = new Greenlet(function* () {
      const noRun = new Greenlet();
      try {
        yield* noRun.switch();
      } catch (e) {
        return (e as Error).constructor.name + ': ' + (e as Error).message;
      }
    });
    expect(sync(g.switch())).toMatch(/^TypeError: .*run/);
  });
});

describe('the loop registers across nested syncs', () => {
  it('a value delivered by an inner sync does not leak into the outer loop', () => {
    const main = getcurrent();
    // h's plain body runs a whole inner loop (another greenlet's life) before returning to the outer loop.
    const inner = new Greenlet(function* (x: number) {
      return x * 10;
    });
    const h = new Greenlet((x: number) => (sync(inner.switch(x)) as number) + 1, main);
    const g = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const a = yield h.switch(4);
      const b = yield* main.switch('paused');
      return [a, b];
    });
    inner.parent = h;
    expect(sync(g.switch())).toBe(41); // h returned 41 into its parent, main
    expect(h.dead).toBe(true);
    // g is still waiting at its first op for the value of h.switch(4), which went to main instead.
    expect(g.active).toBe(true);
  });

  function nest(n: number): number {
    if (n === 0) return 0;
    const g = new Greenlet((k: number) => nest(k - 1) + 1);
    return sync(g.switch(n));
  }

  it('hundreds of nested syncs unwind in order and restore the depth', () => {
    expect(nest(300)).toBe(300);
    // The depth is back to 0: a switch from the top level works as the first one did.
    expect(sync(new Greenlet(() => 'ok').switch())).toBe('ok');
    expect(getcurrent().parent).toBe(null);
  });

  it('syncs nested until the JavaScript stack runs out fail with RangeError and leave the runtime usable', () => {
    const error = errorOf(() => nest(1_000_000));
    expect(error).toBeInstanceOf(RangeError);
    expect(getcurrent().parent).toBe(null);
    const g = new Greenlet(function* (x: number) {
      const y = yield* getcurrent().parent!.switch(x + 1);
      return y;
    });
    expect(sync(g.switch(1))).toBe(2);
    expect(sync(g.switch('done'))).toBe('done');
  });
});

describe('plain switches in a row (the inner loop of drive)', () => {
  it('a tracer installed by a body during a run of plain switches sees every switch after it', () => {
    const events: string[] = [];
    const p: { ping: Greenlet | null; pong: Greenlet | null } = { ping: null, pong: null };
    p.ping = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      for (let i = 0; i < 6; i++) yield p.pong!.switch(i);
      settrace(null);
      return 'done';
    });
    p.pong = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      for (;;) {
        const v = (yield p.ping!.switch()) as number;
        if (v === 2) settrace((event, origin, target) => events.push(`${event} ${origin}->${target}`));
      }
    });
    expect(sync(p.ping.switch())).toBe('done');
    // pong installed the tracer when it got 2, in the middle of the run; its own switch back is the first seen.
    const [ping, pong] = [String(p.ping), String(p.pong)];
    expect(events).toEqual([
      `switch ${pong}->${ping}`, `switch ${ping}->${pong}`, `switch ${pong}->${ping}`,
      `switch ${ping}->${pong}`, `switch ${pong}->${ping}`, `switch ${ping}->${pong}`, `switch ${pong}->${ping}`,
    ]);
  });

  it('a greenlet resumed by a plain switch that then returns or throws delivers to its parent', () => {
    const main = getcurrent();
    const p: { a: Greenlet | null; b: Greenlet | null } = { a: null, b: null };
    // b is suspended softly; a switches to it (a plain switch), and b ends at once: its result goes to main.
    p.b = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const v = yield main.switch('b waits');
      if (v === 'fail') throw new Error(`b failed after ${String(p.a)}`);
      return `b got ${String(v)}`;
    });
    p.a = new Greenlet(function* (x: unknown): Generator<unknown, unknown, unknown> {
      yield p.b!.switch(x);
      return 'a never resumes';
    });
    expect(sync(p.b.switch())).toBe('b waits');
    expect(sync(p.a.switch('hello'))).toBe('b got hello');
    expect(p.b.dead).toBe(true);
    expect(p.a.active).toBe(true);
    // The same with an error: it comes out of the sync, from b's end.
    const b2 = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const v = yield main.switch('b2 waits');
      throw new Error(`b2 got ${String(v)}`);
    });
    const a2 = new Greenlet(function* (): Generator<unknown, void, unknown> {
      yield b2.switch('boom');
    });
    expect(sync(b2.switch())).toBe('b2 waits');
    expect(errorOf(() => sync(a2.switch())).message).toBe('b2 got boom');
    expect(b2.dead).toBe(true);
    expect(getcurrent()).toBe(main);
  });

  it('a hard switch inside a body between plain switches leaves the run of plain switches intact', () => {
    const p: { ping: Greenlet | null; pong: Greenlet | null } = { ping: null, pong: null };
    const seen: unknown[] = [];
    p.ping = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      let total = 0;
      for (let i = 1; i <= 4; i++) total += (yield p.pong!.switch(i)) as number;
      return total;
    });
    p.pong = new Greenlet(function* (first: number): Generator<unknown, unknown, unknown> {
      let v = first;
      for (;;) {
        // A whole inner loop runs here, clobbering the loop's registers, between two plain switches.
        const side = sync(new Greenlet((k: number) => k * 100).switch(v));
        seen.push(side);
        v = (yield p.ping!.switch(v * 10)) as number;
      }
    });
    expect(sync(p.ping.switch())).toBe(100);
    expect(seen).toEqual([100, 200, 300, 400]);
  });
});

describe('frames', () => {
  it('a branded iterator without throw() lets an error pass through to the frame below', () => {
    const main = getcurrent();
    class Relay {
      [OP_BRAND] = true;
      private done = false;
      [Symbol.iterator]() {
        return this;
      }
      next(v: unknown): IteratorResult<unknown> {
        if (this.done) return { value: v, done: true };
        this.done = true;
        return { value: main.switch('relay'), done: false };
      }
    }
    const g = new Greenlet(function* () {
      try {
        yield new Relay();
      } catch (e) {
        return `caught ${(e as Error).message}`;
      }
    });
    expect(sync(g.switch())).toBe('relay');
    expect(sync(g.throw(new Error('through')))).toBe('caught through');
  });

  it('an op that completes in its first next() never reaches the trampoline', () => {
    class Ready {
      [OP_BRAND] = true;
      [Symbol.iterator]() {
        return this;
      }
      next(): IteratorResult<unknown, number> {
        return { value: 42, done: true };
      }
    }
    const g = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const a = yield* new Ready() as any;
      const b = yield new Ready();
      return [a, b];
    });
    expect(sync(g.switch())).toEqual([42, 42]);
    expect(sync(new Ready() as any)).toBe(42);
  });

  it('H3: a generator frame whose own next() replaces the builtin is resumed through it, also on a plain switch', () => {
    const main = getcurrent();
    const seen: unknown[] = [];
    function* child(): Generator<unknown, string, unknown> {
      const v = yield main.switch('in child');
      return `child got ${v}`;
    }
    const g = new Greenlet(function* () {
      const gen = child();
      const builtinNext = gen.next;
      gen.next = function (this: Generator, v?: unknown) {
        seen.push(v);
        return builtinNext.call(this, v);
      };
      return (yield gen) as unknown;
    });
    expect(sync(g.switch())).toBe('in child');
    // A plain switch from another body resumes g at once (the inner loop of drive); g's end goes to main.
    const h = new Greenlet(function* () {
      yield g.switch('x');
    });
    expect(sync(h.switch())).toBe('child got x');
    expect(seen).toEqual([undefined, 'x']);
  });

  it('H3: nested generator frames resume in order after plain switches and an error from below', () => {
    const main = getcurrent();
    function* inner(): Generator<unknown, number, unknown> {
      const a = (yield main.switch('inner')) as number;
      throw new Error(`inner failed with ${a}`);
    }
    function* middle(): Generator<unknown, string, unknown> {
      try {
        yield inner();
        return 'unreachable';
      } catch (e) {
        const b = yield main.switch(`middle caught: ${(e as Error).message}`);
        return `middle returns ${b}`;
      }
    }
    const g = new Greenlet(function* () {
      const r = (yield middle()) as unknown;
      return `body got ${r}`;
    });
    expect(sync(g.switch())).toBe('inner');
    expect(sync(g.switch(7))).toBe('middle caught: inner failed with 7');
    expect(sync(g.switch('y'))).toBe('body got middle returns y');
    expect(g.dead).toBe(true);
  });
});

describe('unwind (H7 for layers)', () => {
  it('throws the error into the innermost sync caller and leaves the greenlet that ran it suspended', () => {
    const error = new Error('unwound');
    const g = new Greenlet(function* () {
      yield unwind(error);
      return 'never';
    });
    expect(errorOf(() => sync(g.switch()))).toBe(error);
    expect(g.active).toBe(true);
    expect(g.dead).toBe(false);
  });

  it('run by the innermost sync caller itself, the error comes out of that sync', () => {
    const error = new Error('self');
    expect(errorOf(() => sync(unwind(error)))).toBe(error);
  });
});

describe('messages', () => {
  it('H4 names what was yielded', () => {
    const cases: [unknown, string][] = [
      [5, 'the number 5'],
      [undefined, 'undefined'],
      [Promise.resolve(1), 'a Promise'],
      [[1, 2], 'an array of length 2'],
      ['text', 'the string "text"'],
      [new Map(), 'an object of class Map'],
      // The loop tells them from an op by their constructor alone (a primitive has one too) or as null.
      [null, 'null'],
      [true, 'the boolean true'],
      [10n, 'the bigint 10'],
      [Symbol('s'), 'the symbol Symbol(s)'],
      [Object.create(null), 'an object'],
    ];
    for (const [yielded, text] of cases) {
      const g = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
        try {
          yield yielded;
        } catch (e) {
          return (e as Error).message;
        }
      });
      const message = sync(g.switch()) as string;
      expect(message).toContain(`yielded ${text}`);
      expect(message).toContain('only an op');
    }
  });
});

describe('forgotten ops (H8) are counted', () => {
  it('an op reported as forgotten may still run later without upsetting the count', () => {
    const main = getcurrent();
    const g = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const forgotten = main.switch('first');
      let report = '';
      try {
        yield main.switch('second');
      } catch (e) {
        report = (e as Error).message;
      }
      const late = yield forgotten; // runs after all: no second report, no later false report
      const after = yield main.switch('third');
      return [report, late, after];
    });
    expect(sync(g.switch())).toBe('first');
    expect(sync(g.switch('late'))).toBe('third');
    const [report, late, after] = sync(g.switch('after')) as string[];
    expect(report).toContain('Greenlet#main.switch()');
    expect(report).toContain('never run');
    expect(late).toBe('late');
    expect(after).toBe('after');
  });

  it('two forgotten ops are reported oldest first, each once', () => {
    const main = getcurrent();
    const g = new Greenlet(function* (): Generator<unknown, unknown, unknown> {
      const other = new Greenlet(() => 0);
      other.switch(1);
      main.throw(new Error('x'));
      const reports: string[] = [];
      for (let i = 0; i < 2; i++) {
        try {
          yield getcurrent().switch(i);
        } catch (e) {
          reports.push((e as Error).message);
        }
      }
      reports.push(String(yield getcurrent().switch('clean')));
      return reports;
    });
    const reports = sync(g.switch()) as string[];
    expect(reports[0]).toMatch(/^the op Greenlet#\d+\.switch\(\) made in Greenlet#\d+ was never run/);
    expect(reports[1]).toMatch(/^the op Greenlet#main\.throw\(\) made in/);
    expect(reports[2]).toBe('clean');
  });
});

describe('util.inspect of native greenlets', () => {
  it('API: a greenlet suspended hard says so; main inside a sync is suspended in sync()', () => {
    const main = getcurrent();
    const seen: string[] = [];
    const g = new Greenlet(() => sync(h.switch()));
    const h = new Greenlet(function* () {
      seen.push(inspect(main), inspect(g), inspect(h));
      return 'end';
    }, main);
    h.parent = g;
    expect(sync(g.switch())).toBe('end');
    expect(seen).toEqual([
      'Greenlet#main <suspended in sync()>',
      `${g} <suspended in sync(), parent Greenlet#main>`,
      `${h} <running, parent ${g}>`,
    ]);
    expect(inspect(g)).toBe(`${g} <dead>`);
  });
});
