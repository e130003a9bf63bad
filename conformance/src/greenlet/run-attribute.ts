/**
 * The `run` attribute and the start (docs/greenlet.md G7-G10), with test_greenlet.py's
 * test_switch_no_run_raises_..., test_throw_no_run_raises_..., test_run_equals_None,
 * test_running_greenlet_has_no_run, TestMainGreenlet's test_greenlet_run and docs/creating_executing_greenlets.rst
 * ported.
 *
 * Skipped: `run` defined as a subclass method (outside the public API), __getattribute__ tricks
 * (test_recursive_startup, test_switch_to_dead_greenlet_with_unstarted_perverse_parent: no attribute hooks here).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, recordTrace, stateOf, type Topic } from './common.js';

const AFTER_START = 'run cannot be set after the start of the greenlet';
const MAIN_RUN = 'Main greenlets do not have a run attribute.';
const BODIES = 'bodies are generator functions or plain functions, and promises are awaited with @greenstackless/io';

export const runAttribute: Topic = (make) => {
  describe('run and the start (G7-G10)', () => {
    const env = useModule(make);

    it('G7: run reads as the function given, undefined without one, after the start and on main', () => {
      const { mod, main } = env;
      const fn = function* () {
        yield* main.switch();
      };
      const g = new mod.Greenlet(fn);
      expect(g.run).toBe(fn);
      expect(new mod.Greenlet().run).toBe(undefined);
      expect(new mod.Greenlet(null).run).toBe(undefined);
      expect(main.run).toBe(undefined);
      sync(g.switch());
      expect(g.run).toBe(undefined); // suspended
      sync(g.switch());
      expect(g.run).toBe(undefined); // dead
    });

    it('G7: a running greenlet has no run (test_running_greenlet_has_no_run)', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function (this: GreenletLike) {
        return [this.run, mod.getcurrent().run];
      });
      expect(sync(g.switch())).toEqual([undefined, undefined]);
    });

    it('G8: before the start, assigning replaces run and null or undefined removes it', () => {
      const { mod } = env;
      const first = () => 'first';
      const second = () => 'second';
      const g = new mod.Greenlet(first);
      g.run = second;
      expect(g.run).toBe(second);
      g.run = null;
      expect(g.run).toBe(undefined);
      g.run = first;
      g.run = undefined;
      expect(g.run).toBe(undefined);
      g.run = second;
      expect(sync(g.switch())).toBe('second');
    });

    it('G8: a run that is not a function throws TypeError in the constructor and in an assignment, changing nothing', () => {
      const { mod } = env;
      for (const bad of [42, 'f', {}, [], true]) {
        expect(() => new mod.Greenlet(bad as any)).toThrow(TypeError);
      }
      const fn = () => 'kept';
      const g = new mod.Greenlet(fn);
      for (const bad of [42, 'f', {}, []]) {
        expect(() => {
          g.run = bad as any;
        }).toThrow(TypeError);
      }
      expect(g.run).toBe(fn);
      expect(stateOf(g)).toBe('dead=false active=false run=set');
      expect(sync(g.switch())).toBe('kept');
    });

    it('G8: assigning run after the start throws TypeError "run cannot be set after the start of the greenlet"', () => {
      const { mod, main } = env;
      const fn = () => 1;
      let insideError: unknown;
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        insideError = catchError(() => {
          this.run = fn;
        });
        yield* main.switch();
      });
      sync(g.switch());
      expect(insideError).toBeInstanceOf(TypeError);
      expect((insideError as Error).message).toContain(AFTER_START);
      // Suspended.
      const suspendedError = catchError(() => {
        g.run = fn;
      });
      expect(suspendedError).toBeInstanceOf(TypeError);
      expect((suspendedError as Error).message).toContain(AFTER_START);
      expect(stateOf(g)).toBe('dead=false active=true run=none');
      // Dead; null and undefined are refused too.
      sync(g.switch());
      for (const value of [fn, null, undefined]) {
        const e = catchError(() => {
          g.run = value;
        });
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toContain(AFTER_START);
      }
      expect(stateOf(g)).toBe('dead=true active=false run=none');
    });

    it('G8: a throw into an unstarted greenlet counts as its start', () => {
      const { mod } = env;
      const g = new mod.Greenlet(() => 'never');
      const exit = sync(g.throw());
      expect(exit).toBeInstanceOf(mod.GreenletExit);
      const e = catchError(() => {
        g.run = () => 'again';
      });
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain(AFTER_START);
      expect(g.run).toBe(undefined);
    });

    it('G8: assigning run on main throws TypeError "Main greenlets do not have a run attribute."', () => {
      const { main } = env;
      for (const value of [() => 1, null, undefined]) {
        const e = catchError(() => {
          main.run = value;
        });
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toContain(MAIN_RUN);
      }
      expect(main.run).toBe(undefined);
      expect([main.dead, main.active, main.parent]).toEqual([false, true, null]);
    });

    it('G9: switching into a greenlet without run throws TypeError "run"; it stays unstarted, untraced', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet();
      const events = recordTrace(mod, { main, g });
      const e = catchError(() => sync(g.switch(1)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain('run');
      expect(events).toEqual([]);
      expect(stateOf(g)).toBe('dead=false active=false run=none');
      expect(mod.getcurrent()).toBe(main);
      // It can still be started once it has a run.
      g.run = (x: number) => x + 1;
      expect(sync(g.switch(1))).toBe(2);
      expect(events).toEqual(['switch:main->g', 'switch:g->main']);
    });

    it('G9: throwing into a greenlet without run throws TypeError "run" and does not deliver the error', () => {
      const { mod } = env;
      const g = new mod.Greenlet();
      const err = new SomeError();
      const e = catchError(() => sync(g.throw(err)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain('run');
      expect(stateOf(g)).toBe('dead=false active=false run=none');
      g.run = () => 'started later';
      expect(sync(g.switch())).toBe('started later');
    });

    it('G10: a run that returns a generator object makes it the frame; inside it this is the greenlet', () => {
      const { mod, main } = env;
      let self: unknown;
      const g = new mod.Greenlet(function* (this: GreenletLike, a: number) {
        self = this;
        const b = (yield* main.switch(a + 1)) as number;
        return a + b;
      });
      expect(sync(g.switch(1))).toBe(2);
      expect(self).toBe(g);
      expect(sync(g.switch(10))).toBe(11);
    });

    it('G10: a run returning any other value, an iterator that is no generator included, is a plain body', () => {
      const { mod } = env;
      const iterator = [1, 2][Symbol.iterator]();
      expect(sync(new mod.Greenlet(() => iterator).switch())).toBe(iterator);
      const obj = { then: undefined };
      expect(sync(new mod.Greenlet(() => obj).switch())).toBe(obj);
    });

    it('G10/H9: an async function or async generator function is refused as run, when given or assigned', () => {
      const { mod } = env;
      const fns = [
        async function fetchIt() {
          return 1;
        },
        async () => 1,
        async function* stream() {
          yield 1;
        },
      ];
      for (const fn of fns) {
        const e = catchError(() => new mod.Greenlet(fn as any));
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toMatch(/^the run of a greenlet cannot be an async (generator )?function/);
        expect((e as Error).message).toContain(BODIES);
        const g = new mod.Greenlet(null);
        expect(() => {
          g.run = fn as any;
        }).toThrow(BODIES);
        expect(g.run).toBe(undefined); // a failed assignment changes nothing (G8)
      }
      const e = catchError(() => new mod.Greenlet(async function* () {} as any)) as Error;
      expect(e.message).toContain('cannot be an async generator function');
    });

    it('H9: a plain body that returns a thenable dies with a TypeError, which goes to its parent', () => {
      const { mod } = env;
      const promise = Promise.resolve('value');
      const custom = { then(): void {} };
      for (const thenable of [promise, custom]) {
        const g = new mod.Greenlet(() => thenable);
        const e = catchError(() => sync(g.switch()));
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toBe(
          `the body of ${String(g)} returned a promise (a thenable) instead of its result: ${BODIES}; ` +
            'to return a thenable as a value, wrap it (H9)',
        );
        expect(stateOf(g)).toBe('dead=true active=false run=none');
      }
      // Wrapped, a thenable is a value like any other.
      const g = new mod.Greenlet(() => [promise]);
      expect((sync(g.switch()) as unknown[])[0]).toBe(promise);
    });

    it('H9: the thenable refusal is an error of the body: an intermediate parent can catch it', () => {
      const { mod } = env;
      const log: string[] = [];
      const outer = new mod.Greenlet(function* () {
        const child = new mod.Greenlet(() => Promise.resolve(1));
        try {
          yield* child.switch();
        } catch (e) {
          log.push((e as Error).constructor.name);
        }
        return 'outer done';
      });
      expect(sync(outer.switch())).toBe('outer done');
      expect(log).toEqual(['TypeError']);
    });

    it('creating_executing_greenlets.rst: run is the function given, parent the current greenlet, run gone after the start', () => {
      const { mod, main } = env;
      const out: string[] = [];
      const run = () => {
        out.push('Running in the greenlet function.');
      };
      const glet = new mod.Greenlet(run);
      expect(glet.run).toBe(run);
      expect(glet.parent).toBe(main);
      sync(glet.switch());
      expect(out).toEqual(['Running in the greenlet function.']);
      expect(glet.run).toBe(undefined);
    });

    it('G9: a throw that finds no run leaves a GreenletExit undelivered too', () => {
      const { mod } = env;
      const g = new mod.Greenlet(null);
      expect(() => sync(g.throw())).toThrow(TypeError);
      expect(stateOf(g)).toBe('dead=false active=false run=none');
      expect(() => sync(g.throw(new SomeError()))).toThrow(TypeError);
    });
  });
};
