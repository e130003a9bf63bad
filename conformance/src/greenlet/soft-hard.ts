/**
 * Soft and hard switching (SEMANTICS H1-H9): the op protocol, `yield*` and `yield` forms, nested generator
 * frames, yielding what is not allowed, `sync` and its last-in first-out nesting, deaths into an outer `sync`,
 * forgotten ops and plain bodies. These rules are JavaScript's own: greenlet has no counterpart to port.
 * The stack-depth rules (G15, H10) are in stack.ts.
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, recordTrace, stateOf, type Topic } from './common.js';

/** The op brand of API.md's protocol: any package makes ops without importing anything. */
const OP_BRAND = Symbol.for('@greenstackless/op');

export const softHard: Topic = (make) => {
  describe('ops, yield forms and nested frames (H1-H4)', () => {
    const env = useModule(make);

    it('H1: switch and throw only make ops: nothing runs until the op is run', () => {
      const { mod, main } = env;
      let started = false;
      const g = new mod.Greenlet(() => {
        started = true;
        return 'ran';
      });
      const events = recordTrace(mod, { main, g });
      const op = g.switch('x');
      const throwOp = g.throw(new SomeError());
      expect((op as any)[OP_BRAND]).toBe(true);
      expect((throwOp as any)[OP_BRAND]).toBe(true);
      expect(started).toBe(false);
      expect(events).toEqual([]);
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

  describe('sync and hard switching (H5-H7)', () => {
    const env = useModule(make);

    it('H5: sync runs a generator object as a nested frame of the caller: several ops in one hard switch', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* (first: number) {
        let total = first;
        for (;;) total += (yield* main.switch(total)) as number;
      });
      const steps = function* () {
        const a = yield* g.switch(1);
        const b: unknown = yield g.switch(2);
        return [a, b, mod.getcurrent() === main];
      };
      expect(sync(steps())).toEqual([1, 3, true]);
    });

    it('H5: sync of a generator object gives its return value or throws its error', () => {
      const err = new SomeError();
      expect(sync((function* () {
        return 'no yields';
      })())).toBe('no yields');
      expect(catchError(() => sync((function* (): Generator<unknown, never, unknown> {
        throw err;
      })()))).toBe(err);
    });

    it('H4/H5: yielding a number in a frame run by sync from main throws TypeError into that frame', () => {
      const { mod, main } = env;
      const got = sync((function* () {
        try {
          yield 7;
        } catch (e) {
          return [e instanceof TypeError, mod.getcurrent() === main];
        }
        return 'accepted';
      })());
      expect(got).toEqual([true, true]);
    });

    it('H5: sync from a plain body and from a generator frame', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function* () {
        // h's parent is g: h's death returns into g's innermost sync.
        const h = new mod.Greenlet((x: number) => x * 2);
        const fromFrame = sync(h.switch(5));
        const k = new mod.Greenlet((x: number) => x + 1);
        const plain = () => sync(k.switch(fromFrame));
        return [fromFrame, plain()];
      });
      expect(sync(g.switch())).toEqual([10, 11]);
    });

    it('H5: sync with anything but an op or a generator object throws TypeError and changes nothing', () => {
      const { mod, main } = env;
      const events = recordTrace(mod, { main });
      for (const bad of [42, undefined, null, 'op', [1], new Set([1]), Promise.resolve(), () => 1, function* () {}, {}]) {
        expect(() => sync(bad as any)).toThrow(TypeError);
      }
      expect(events).toEqual([]);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H5: nested syncs return in last-in first-out order', () => {
      const { mod } = env;
      const log: string[] = [];
      const outer = new mod.Greenlet(function* () {
        const inner = new mod.Greenlet(function* () {
          log.push('inner runs');
          const back = yield* outer.switch('to outer');
          log.push(`inner resumed with ${back}`);
          return 'inner done';
        });
        const first = sync(inner.switch()); // outer is the caller of the innermost sync
        log.push(`outer got ${first}`);
        const second = sync(inner.switch('again'));
        log.push(`outer got ${second}`);
        return 'outer done';
      });
      expect(sync(outer.switch())).toBe('outer done');
      expect(log).toEqual(['inner runs', 'outer got to outer', 'inner resumed with again', 'outer got inner done']);
    });

    it('H6: a switch to a greenlet suspended in an outer sync throws GreenletError naming both, changing nothing', () => {
      const { mod, main } = env;
      let refusal: unknown;
      let stateAfter = '';
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        // main waits in the outer sync below; this sync is the innermost one.
        const events = recordTrace(mod, { main, g });
        try {
          sync(main.switch('refused'));
        } catch (e) {
          refusal = e;
        }
        stateAfter = `${events.length} ${mod.getcurrent() === this}`;
        mod.settrace(null);
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      const message = (refusal as Error).message;
      expect(message).toContain(String(g));
      expect(message).toContain(String(main));
      expect(stateAfter).toBe('0 true');
    });

    it('H6: a greenlet suspended in any sync that is not the innermost is refused, not only main', () => {
      const { mod } = env;
      let refusal: unknown;
      const a = new mod.Greenlet(function* () {
        const b = new mod.Greenlet(function* () {
          const c = new mod.Greenlet(function* () {
            try {
              yield* a.switch('refused'); // a waits in the middle sync, b in the innermost
            } catch (e) {
              refusal = e;
            }
            return 'c done';
          });
          return sync(c.switch()); // b is the caller of the innermost sync; c dies into b
        });
        return sync(b.switch()); // a is the caller of the middle sync; b dies into a
      });
      expect(sync(a.switch())).toBe('c done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      expect((refusal as Error).message).toContain(String(a));
      expect([a.dead, refusal !== undefined]).toEqual([true, true]);
    });

    it('H6: a throw to a greenlet suspended in an outer sync is refused the same way, delivering nothing', () => {
      const { mod, main } = env;
      let refusal: unknown;
      const g = new mod.Greenlet(function* () {
        try {
          sync(main.throw(new SomeError('never delivered')));
        } catch (e) {
          refusal = e;
        }
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      expect((refusal as Error).message).toContain(String(main));
    });

    it('H6: the refusal applies after the dead walk', () => {
      const { mod, main } = env;
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch()); // dead's parent is main
      let refusal: unknown;
      const g = new mod.Greenlet(function* () {
        try {
          sync(dead.switch('via dead'));
        } catch (e) {
          refusal = e;
        }
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(refusal).toBeInstanceOf(mod.GreenletError);
      expect((refusal as Error).message).toContain(String(main));
    });

    it('H6: a greenlet suspended softly can be resumed from any depth of syncs', () => {
      const { mod } = env;
      const soft = new mod.Greenlet(function* () {
        let v = yield* mod.getcurrent().parent!.switch('soft ready');
        for (;;) v = yield* mod.getcurrent().parent!.switch(['soft got', v]);
      });
      sync(soft.switch());
      const g = new mod.Greenlet(function* () {
        soft.parent = g;
        const inner = () => sync(soft.switch('deep'));
        return (() => inner())();
      });
      expect(sync(g.switch())).toEqual(['soft got', 'deep']);
    });

    it('H7: a death whose receiver waits in an outer sync throws GreenletError with the value as cause', () => {
      const { mod, main } = env;
      const victim = new mod.Greenlet(() => 'undeliverable'); // parent main, which waits in the outer sync
      let redirected: unknown;
      const g = new mod.Greenlet(function* () {
        try {
          sync(victim.switch());
        } catch (e) {
          redirected = e;
        }
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(redirected).toBeInstanceOf(mod.GreenletError);
      expect((redirected as Error).cause).toBe('undeliverable');
      expect(victim.dead).toBe(true);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H7: a death by error into an outer sync gives the error as cause, at the innermost frame first', () => {
      const { mod } = env;
      const err = new SomeError();
      const victim = new mod.Greenlet(() => {
        throw err;
      });
      const log: string[] = [];
      const frame = function* () {
        try {
          return sync(victim.switch());
        } finally {
          log.push('frame finally');
        }
      };
      const g = new mod.Greenlet(function* () {
        try {
          yield frame();
        } catch (e) {
          log.push('g caught');
          return e;
        }
      });
      const redirected = sync<Error>(g.switch());
      expect(redirected).toBeInstanceOf(mod.GreenletError);
      expect(redirected.cause).toBe(err);
      expect(log).toEqual(['frame finally', 'g caught']);
      expect(victim.dead).toBe(true);
    });

    it('H7: a GreenletExit that cannot be delivered is the cause', () => {
      const { mod } = env;
      const exit = new mod.GreenletExit();
      const victim = new mod.Greenlet(() => {
        throw exit;
      });
      const g = new mod.Greenlet(() => catchError(() => sync(victim.switch())));
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.cause).toBe(exit);
    });

    it('H7: the refused receiver is found after the parent walk: an unstarted parent runs, then dies into main', () => {
      const { mod } = env;
      const log: string[] = [];
      const p = new mod.Greenlet((v: string) => {
        log.push(`p ran with ${v}`);
        return `${v} via p`;
      }); // p's parent is main, waiting in the outer sync
      const victim = new mod.Greenlet(() => 'victim', p);
      const g = new mod.Greenlet(() => catchError(() => sync(victim.switch())));
      const e = sync<Error>(g.switch());
      expect(log).toEqual(['p ran with victim']);
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.cause).toBe('victim via p');
      expect([victim.dead, p.dead]).toEqual([true, true]);
    });

    it('H7: uncaught, the GreenletError comes out of the innermost sync', () => {
      const { mod } = env;
      const victim = new mod.Greenlet(() => 'lost');
      const g = new mod.Greenlet(() => {
        const e = catchError(() => sync(victim.switch()));
        return e;
      });
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.cause).toBe('lost');
    });
  });

  describe('forgotten ops and plain bodies (H8, H9)', () => {
    const env = useModule(make);

    it('H8: a forgotten op is reported at the body\'s next op, which counts as run; reported once', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        main.switch('forgotten'); // no yield*
        let error: unknown;
        try {
          yield* main.switch('next op');
        } catch (e) {
          error = e;
        }
        const after = yield* main.switch('after the report');
        return [error, after];
      });
      expect(sync(g.switch())).toBe('after the report');
      const [error, after] = sync<[Error, unknown]>(g.switch('resumed'));
      expect(error).toBeInstanceOf(mod.GreenletError);
      expect(error.message).toContain('switch');
      expect(error.message).toMatch(/never run/);
      expect(after).toBe('resumed');
    });

    it('H8: a forgotten throw op is reported naming throw', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        main.throw(new SomeError());
        try {
          yield* main.switch();
        } catch (e) {
          return e;
        }
      });
      const e = sync<Error>(g.switch());
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(e.message).toContain('throw');
    });

    it('H8: an op forgotten at the end replaces the result; the greenlet dies with it', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        main.switch();
        return 'result';
      });
      const e = catchError(() => sync(g.switch()));
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect(g.dead).toBe(true);
    });

    it('H8: an op forgotten when the body throws replaces the error, which becomes its cause', () => {
      const { mod, main } = env;
      const err = new SomeError();
      const g = new mod.Greenlet(() => {
        main.switch();
        throw err;
      });
      const e = catchError(() => sync(g.switch()));
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect((e as Error).cause).toBe(err);
      expect(g.dead).toBe(true);
    });

    it('H8: an op made in main may be run by a body', () => {
      const { mod, main } = env;
      const target = new mod.Greenlet((x: string) => `target got ${x}`);
      const runner = new mod.Greenlet(function* (op: unknown) {
        const got: unknown = yield op; // made in main, run here
        return ['runner', got];
      });
      target.parent = runner;
      expect(sync(runner.switch(target.switch('x')))).toEqual(['runner', 'target got x']);
      expect(mod.getcurrent()).toBe(main);
    });

    it('H8: main\'s top-level code is not checked', () => {
      const { mod, main } = env;
      main.switch('never run');
      const g = new mod.Greenlet(() => 'fine');
      expect(sync(g.switch())).toBe('fine');
      expect(sync(main.switch('self'))).toBe('self');
    });

    it('H8: the forgotten-op check comes before the dead walk, G9 and H6', () => {
      const { mod } = env;
      const noRun = new mod.Greenlet();
      const g = new mod.Greenlet(function* () {
        noRun.switch(); // forgotten
        try {
          yield* noRun.switch();
        } catch (e) {
          return e;
        }
      });
      expect(sync(g.switch())).toBeInstanceOf(mod.GreenletError);
      expect(stateOf(noRun)).toBe('dead=false active=false run=none');
    });

    it('H1: a reused op is refused before G9\'s missing run is noticed', () => {
      const { mod } = env;
      const noRun = new mod.Greenlet();
      const op = noRun.switch();
      expect(() => sync(op)).toThrow(TypeError);
      expect(() => sync(op)).toThrow(mod.GreenletError);
    });

    it('H9: a plain body runs to completion in one call; its return value is its result', () => {
      const { mod } = env;
      const log: string[] = [];
      const g = new mod.Greenlet((a: number, b: number) => {
        log.push('called');
        return a + b;
      });
      expect(sync(g.switch(2, 3))).toBe(5);
      expect(log).toEqual(['called']);
      expect(g.dead).toBe(true);
    });

    it('H9: a plain body that throws: the error is its error', () => {
      const { mod } = env;
      const err = new SomeError();
      const g = new mod.Greenlet(() => {
        throw err;
      });
      expect(catchError(() => sync(g.switch()))).toBe(err);
    });

    it('H9: a plain body switches through sync (hard)', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function (this: GreenletLike) {
        const helper = new mod.Greenlet(function* (x: number) {
          return x * 10; // dies into g, the caller of the innermost sync
        });
        return sync<number>(helper.switch(4)) + 2;
      });
      expect(sync(g.switch())).toBe(42);
    });

    it('H9: a plain body returning an op runs it as the rest of the body', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(() => main.switch('from the op'));
      expect(sync(g.switch())).toBe('from the op');
      expect(stateOf(g)).toBe('dead=false active=true run=none');
      expect(sync(g.switch('op result'))).toBe('op result');
      expect(g.dead).toBe(true);
    });

    it('H9: a plain body returning a generator object runs it as the rest of the body', () => {
      const { mod, main } = env;
      const child = function* (x: number) {
        const y = (yield* main.switch(x)) as number;
        return x + y;
      };
      const g = new mod.Greenlet((x: number) => child(x));
      expect(sync(g.switch(1))).toBe(1);
      expect(sync(g.switch(2))).toBe(3);
      expect(g.dead).toBe(true);
    });

    it('H9: a generator object wrapped in an array is returned as a value', () => {
      const { mod } = env;
      const gen = (function* () {})();
      const g = new mod.Greenlet(() => [gen]);
      const result = sync<unknown[]>(g.switch());
      expect(result[0]).toBe(gen);
    });
  });
};
