/**
 * Ops, the two yield forms and nested generator frames (docs/switching.md H1-H4): ops are inert and run once,
 * `yield* op` and `yield op` agree, any branded op of any layer runs as a frame, `yield gen` nests a frame, and
 * anything else yielded is a TypeError at that yield. These rules are JavaScript's own: greenlet has no counterpart
 * to port.
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, recordTrace, stateOf, type Topic } from './common.js';

/** The op brand of the op protocol (docs/switching.md, H2): any package makes ops without importing anything. */
const OP_BRAND = Symbol.for('@greenstackless/op');

export const ops: Topic = (make) => {
  describe('ops, yield forms and nested frames (H1-H4)', () => {
    const env = useModule(make);

    it('H1: switch and throw only make ops: nothing runs until the op is run', () => {
      const { mod, main } = env;
      let started = false;
      const g = new mod.Greenlet(() => {
        started = true;
        return 'ran';
      });
      const h = new mod.Greenlet(() => 'never');
      const events = recordTrace(mod, { main, g, h });
      const throwOp = h.throw(new SomeError());
      expect((throwOp as any)[OP_BRAND]).toBe(true);
      expect(events).toEqual([]);
      expect(stateOf(h)).toBe('dead=false active=false run=set');
      expect(() => sync(throwOp)).toThrow(SomeError); // h dies unstarted, its error goes to main (G19)
      const op = g.switch('x');
      expect((op as any)[OP_BRAND]).toBe(true);
      expect(started).toBe(false);
      expect(events).toEqual(['throw:main->h', 'throw:h->main']);
      expect(stateOf(g)).toBe('dead=false active=false run=set');
      expect(sync(op)).toBe('ran');
      expect(started).toBe(true);
    });

    it('H1: an op runs at most once; running it again throws GreenletError and changes nothing', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        for (;;) yield* main.switch('g');
      });
      const op = g.switch();
      expect(sync(op)).toBe('g');
      const events = recordTrace(mod, { main, g });
      const again = catchError(() => sync(op));
      expect(again).toBeInstanceOf(mod.GreenletError);
      expect((again as Error).message).toContain(String(g)); // N1: names the objects involved
      expect(() => op[Symbol.iterator]()).toThrow(mod.GreenletError);
      expect(events).toEqual([]);
      expect(mod.getcurrent()).toBe(main);
      expect(sync(g.switch())).toBe('g');
    });

    it('H1: an op run twice inside a body throws GreenletError at the second run', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        const op = main.switch('first');
        yield* op;
        try {
          yield op;
        } catch (e) {
          return e;
        }
        return 'not refused';
      });
      expect(sync(g.switch())).toBe('first');
      expect(sync(g.switch())).toBeInstanceOf(mod.GreenletError);
    });

    it('H2: yield* op and yield op give the same results', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        const a = yield* main.switch('star');
        const b: unknown = yield main.switch('plain');
        return [a, b];
      });
      expect(sync(g.switch())).toBe('star');
      expect(sync(g.switch('A'))).toBe('plain');
      expect(sync(g.switch(1, 2))).toEqual(['A', [1, 2]]);
    });

    it('H2: yield* op and yield op both throw the op\'s error at that point', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        const caught: unknown[] = [];
        try {
          yield* main.switch();
        } catch (e) {
          caught.push(['star', e]);
        }
        try {
          yield main.switch();
        } catch (e) {
          caught.push(['plain', e]);
        }
        return caught;
      });
      sync(g.switch());
      sync(g.throw('first'));
      expect(sync(g.throw('second'))).toEqual([
        ['star', 'first'],
        ['plain', 'second'],
      ]);
    });

    it('H2: an op object that is branded but hand-written runs as a nested frame', () => {
      const { mod, main } = env;
      // A minimal op of another "layer": it yields a native switch and returns its result, doubled.
      const doubled = (target: GreenletLike, value: number) => ({
        [OP_BRAND]: true,
        step: 0,
        [Symbol.iterator]() {
          return this;
        },
        next(result?: unknown): IteratorResult<unknown, unknown> {
          if (this.step++ === 0) return { done: false, value: target.switch(value) };
          return { done: true, value: (result as number) * 2 };
        },
        throw(error: unknown): IteratorResult<unknown, unknown> {
          throw error;
        },
      });
      const g = new mod.Greenlet(function* () {
        const a: unknown = yield doubled(main, 1);
        const b = yield* doubled(main, 2) as any;
        return [a, b];
      });
      expect(sync(g.switch())).toBe(1);
      expect(sync(g.switch(10))).toBe(2);
      expect(sync(g.switch(20))).toEqual([20, 40]);
      // sync runs it from plain code too.
      const h = new mod.Greenlet(function* (x: number) {
        yield* main.switch(x + 1);
      });
      expect(sync(doubled(h, 4))).toBe(10);
    });

    it('H2: an iterator that is not branded is no op, however op-like it looks', () => {
      const { mod, main } = env;
      const lookalike = {
        [Symbol.iterator]() {
          return this;
        },
        next(): IteratorResult<unknown, unknown> {
          return { done: true, value: 'ran' };
        },
        throw(error: unknown): IteratorResult<unknown, unknown> {
          throw error;
        },
      };
      const g = new mod.Greenlet(function* () {
        try {
          yield lookalike;
        } catch (e) {
          return e;
        }
        return 'accepted';
      });
      expect(sync(g.switch())).toBeInstanceOf(TypeError);
      expect(() => sync(lookalike as any)).toThrow(TypeError);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H3: yield gen runs it as a nested frame that can switch; its return value comes back', () => {
      const { mod, main } = env;
      const child = function* (x: number) {
        const got = (yield* main.switch(['child', x])) as number;
        return got + x;
      };
      const g = new mod.Greenlet(function* () {
        const r: unknown = yield child(1);
        const s: unknown = yield child(2);
        return [r, s];
      });
      expect(sync(g.switch())).toEqual(['child', 1]);
      expect(sync(g.switch(10))).toEqual(['child', 2]);
      expect(sync(g.switch(20))).toEqual([11, 22]);
    });

    it('H3: a generator object returned by a nested frame is a value, not run', () => {
      const { mod } = env;
      let ran = false;
      const inner = (function* () {
        ran = true;
      })();
      const frame = function* (): Generator<unknown, unknown, unknown> {
        return inner;
      };
      const g = new mod.Greenlet(function* () {
        const got: unknown = yield frame();
        return got;
      });
      expect(sync(g.switch())).toBe(inner);
      expect(ran).toBe(false);
    });

    it('H3: a nested frame\'s error is thrown at the yield in the frame below', () => {
      const { mod } = env;
      const err = new SomeError();
      const child = function* (): Generator<unknown, never, unknown> {
        throw err;
      };
      const g = new mod.Greenlet(function* () {
        try {
          yield child();
        } catch (e) {
          return ['caught', e];
        }
      });
      expect(sync(g.switch())).toEqual(['caught', err]);
    });

    it('H3: an error thrown into a greenlet reaches its innermost frame first', () => {
      const { mod, main } = env;
      const log: string[] = [];
      const leaf = function* () {
        try {
          yield* main.switch('in leaf');
        } catch (e) {
          log.push(`leaf caught ${e}`);
          return 'leaf handled';
        }
      };
      const middle = function* () {
        try {
          const got: unknown = yield leaf();
          return ['middle got', got];
        } catch {
          log.push('middle caught');
        }
      };
      const g = new mod.Greenlet(function* () {
        const result: unknown = yield middle();
        return result;
      });
      expect(sync(g.switch())).toBe('in leaf');
      expect(sync(g.throw('boom'))).toEqual(['middle got', 'leaf handled']);
      expect(log).toEqual(['leaf caught boom']);
    });

    it('H3: a greenlet suspended in a nested frame is resumed by a switch from any other greenlet', () => {
      const { mod, main } = env;
      const inner = function* () {
        return yield* main.switch('inner waiting');
      };
      const g = new mod.Greenlet(function* () {
        const got: unknown = yield inner();
        return ['g got', got];
      });
      sync(g.switch());
      const resumer = new mod.Greenlet(function* () {
        return yield* g.switch('from resumer');
      });
      // g returns into its parent main, which is suspended in this sync.
      expect(sync(resumer.switch())).toEqual(['g got', 'from resumer']);
      expect(stateOf(resumer)).toBe('dead=false active=true run=none');
    });

    it('H4: yielding a number throws TypeError at that yield, naming it; nothing switches', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        let error: unknown;
        try {
          yield 42;
        } catch (e) {
          error = e;
        }
        return [error, mod.getcurrent() === g];
      });
      const events = recordTrace(mod, { main, g });
      const [error, stillCurrent] = sync<[Error, boolean]>(g.switch());
      expect(error).toBeInstanceOf(TypeError);
      expect(error.message).toContain('42');
      expect(error.message).toMatch(/op/);
      expect(stillCurrent).toBe(true);
      expect(events).toEqual(['switch:main->g', 'switch:g->main']);
    });

    it('H4: yielding a number in a nested frame throws TypeError in that frame, not below it', () => {
      const { mod } = env;
      const log: string[] = [];
      const inner = function* () {
        try {
          yield 1;
        } catch (e) {
          log.push(`inner caught ${(e as Error).constructor.name}`);
        }
        return 'inner done';
      };
      const g = new mod.Greenlet(function* () {
        const r: unknown = yield inner();
        return r;
      });
      expect(sync(g.switch())).toBe('inner done');
      expect(log).toEqual(['inner caught TypeError']);
    });

    it('H4: yielding undefined, a promise, an array or a plain iterable throws TypeError', () => {
      const { mod } = env;
      const notOps: unknown[] = [
        undefined, null, 'op', Promise.resolve(1), [1, 2], new Set([1]), { next() {} }, function* () {},
      ];
      const g = new mod.Greenlet(function* () {
        const results: unknown[] = [];
        for (const value of notOps) {
          try {
            yield value;
            results.push('accepted');
          } catch (e) {
            results.push(e instanceof TypeError ? 'TypeError' : e);
          }
        }
        return results;
      });
      expect(sync(g.switch())).toEqual(notOps.map(() => 'TypeError'));
    });

    it('H4: yielding undefined names undefined in the message', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function* () {
        try {
          yield undefined;
        } catch (e) {
          return e;
        }
      });
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain('undefined');
    });

    it('H4: yield* of an iterable that is not an op throws a TypeError into the body', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function* () {
        try {
          yield* [1, 2];
        } catch (e) {
          return e;
        }
        return 'accepted';
      });
      expect(sync(g.switch())).toBeInstanceOf(TypeError);
    });
  });

};
