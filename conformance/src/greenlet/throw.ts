/**
 * `throw` (docs/greenlet.md G17-G23), with test_throw.py (test_class, test_val, test_kill,
 * test_throw_goes_to_original_parent) and the "Interrupting Greenlets by Throwing Exceptions" examples of
 * docs/creating_executing_greenlets.rst ported.
 *
 * Skipped: test_non_traceback_param, test_instance_of_wrong_type, test_not_throwable: there are no
 * (type, value, traceback) forms and any value may be thrown (M2).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, OtherError, catchError, recordTrace, stateOf, type Topic } from './common.js';

export const throwing: Topic = (make) => {
  describe('throw (G17-G23)', () => {
    const env = useModule(make);

    /** A body that reports to its parent what it caught, as test_throw.py's f does. */
    const catcher = (mod: { getcurrent(): GreenletLike }) =>
      function* () {
        const parent = () => mod.getcurrent().parent!;
        try {
          yield* parent().switch('ok');
        } catch (e) {
          yield* parent().switch(['caught', e]);
          return 'after catch';
        }
        yield* parent().switch('fail');
      };

    it('G17: throw delivers the value itself: an Error, a class, a string (test_class, test_val)', () => {
      const { mod } = env;
      const err = new RangeError('ciao');
      for (const thrown of [err, RangeError, 'a string', 0, null]) {
        const g = new mod.Greenlet(catcher(mod));
        expect(sync(g.switch())).toBe('ok');
        const res = sync<[string, unknown]>(g.throw(thrown));
        expect(res[0]).toBe('caught');
        expect(res[1]).toBe(thrown);
        expect(sync(g.switch())).toBe('after catch');
      }
    });

    it('G17: throw() and throw(undefined) deliver a new GreenletExit', () => {
      const { mod } = env;
      const caught: unknown[] = [];
      for (const op of ['none', 'undefined']) {
        const g = new mod.Greenlet(catcher(mod));
        sync(g.switch());
        const res = sync<[string, unknown]>(op === 'none' ? g.throw() : g.throw(undefined));
        expect(res[1]).toBeInstanceOf(mod.GreenletExit);
        caught.push(res[1]);
        sync(g.switch());
      }
      expect(caught[0]).not.toBe(caught[1]);
    });

    it('G18/G13: test_kill: throw() kills a suspended greenlet, the GreenletExit comes back as the value', () => {
      const { mod } = env;
      const g = new mod.Greenlet(function* () {
        const parent = mod.getcurrent().parent!;
        yield* parent.switch('ok');
        yield* parent.switch('fail');
      });
      expect(sync(g.switch())).toBe('ok');
      const res = sync(g.throw());
      expect(res).toBeInstanceOf(mod.GreenletExit);
      expect(g.dead).toBe(true);
      // G20: immediately eaten by the already-dead greenlet.
      expect(sync(g.throw())).toBeInstanceOf(mod.GreenletExit);
    });

    it('G18: the error reaches the innermost frame first and unwinds through catch and finally', () => {
      const { mod, main } = env;
      const log: string[] = [];
      const innermost = function* () {
        try {
          yield* main.switch('deep');
        } finally {
          log.push('innermost finally');
        }
      };
      const middle = function* () {
        try {
          yield innermost();
        } catch (e) {
          log.push(`middle caught ${(e as Error).message}`);
          throw new OtherError('rethrown');
        }
      };
      const g = new mod.Greenlet(function* () {
        try {
          yield* middle();
        } catch (e) {
          log.push(`outer caught ${(e as Error).message}`);
          return 'outer done';
        }
      });
      expect(sync(g.switch())).toBe('deep');
      expect(sync(g.throw(new SomeError('boom')))).toBe('outer done');
      expect(log).toEqual(['innermost finally', 'middle caught boom', 'outer caught rethrown']);
    });

    it('G18: a greenlet that catches its GreenletExit lives on until killed again (test_kill, resurrected)', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        try {
          yield* main.switch('started');
        } catch (e) {
          if (!(e instanceof mod.GreenletExit)) throw e;
          yield* main.switch('still alive');
        }
        yield* main.switch('not reached');
      });
      sync(g.switch());
      expect(sync(g.throw())).toBe('still alive');
      expect(g.active).toBe(true);
      expect(sync(g.throw())).toBeInstanceOf(mod.GreenletExit);
      expect(g.dead).toBe(true);
    });

    it('G18: an error that escapes kills the target and is thrown into its parent', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        yield* main.switch();
      });
      sync(g.switch());
      const err = new SomeError();
      expect(catchError(() => sync(g.throw(err)))).toBe(err);
      expect(stateOf(g)).toBe('dead=true active=false run=none');
      expect(mod.getcurrent()).toBe(main);
    });

    it('G19: throwing into an unstarted greenlet kills it without running run; a GreenletExit comes back as a value', () => {
      const { mod, main } = env;
      let called = false;
      const g = new mod.Greenlet(() => {
        called = true;
      });
      const events = recordTrace(mod, { main, g });
      const exit = new mod.GreenletExit('early');
      expect(sync(g.throw(exit))).toBe(exit);
      expect(called).toBe(false);
      expect(stateOf(g)).toBe('dead=true active=false run=none');
      expect(events).toEqual(['throw:main->g', 'switch:g->main']);
    });

    it('G19/G13: a GreenletExit subclass thrown into an unstarted greenlet comes back as a value', () => {
      const { mod } = env;
      class Stop extends mod.GreenletExit {}
      const stop = new Stop();
      const g = new mod.Greenlet(() => 'never');
      expect(sync(g.throw(stop))).toBe(stop);
      expect(g.dead).toBe(true);
    });

    it('G19: any other error thrown into an unstarted greenlet goes to its parent as if run had thrown it', () => {
      const { mod, main } = env;
      let called = false;
      const g = new mod.Greenlet(() => {
        called = true;
      });
      const events = recordTrace(mod, { main, g });
      const err = new SomeError();
      expect(catchError(() => sync(g.throw(err)))).toBe(err);
      expect(called).toBe(false);
      expect(g.dead).toBe(true);
      expect(events).toEqual(['throw:main->g', 'throw:g->main']);
    });

    it('G19: the outcome of an unstarted greenlet killed by a throw goes to its suspended parent', () => {
      const { mod, main } = env;
      const parent = new mod.Greenlet(function* () {
        try {
          yield* main.switch('parent ready');
        } catch (e) {
          return ['parent caught', e];
        }
      });
      sync(parent.switch());
      const child = new mod.Greenlet(() => 'never', parent);
      const err = new SomeError();
      expect(sync(child.throw(err))).toEqual(['parent caught', err]);
      expect([child.dead, parent.dead]).toEqual([true, true]);
    });

    it('G18/H5: a throw into a greenlet suspended in the innermost sync comes out of that sync', () => {
      const { mod } = env;
      const err = new SomeError();
      const g = new mod.Greenlet(function (this: GreenletLike) {
        const self = this;
        const child = new mod.Greenlet(function* () {
          yield* self.throw(err); // self waits hard in the innermost sync
        });
        try {
          sync(child.switch());
        } catch (e) {
          return ['out of sync', e, child.dead];
        }
        return 'not thrown';
      });
      expect(sync(g.switch())).toEqual(['out of sync', err, false]);
    });

    it('G20: a non-exit error thrown at a dead greenlet comes out of the op when the caller is its first live ancestor', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(() => 'done');
      sync(g.switch());
      const events = recordTrace(mod, { main, g });
      const err = new SomeError();
      expect(catchError(() => sync(g.throw(err)))).toBe(err);
      expect(events).toEqual(['throw:main->main']);
      expect(mod.getcurrent()).toBe(main);
    });

    it('G20: a throw at a dead greenlet goes to its suspended ancestor, at its pending op', () => {
      const { mod, main } = env;
      const parent = new mod.Greenlet(function* () {
        try {
          yield* main.switch();
        } catch (e) {
          yield* main.switch(['parent caught', e]);
        }
      });
      sync(parent.switch());
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch());
      dead.parent = parent;
      const events = recordTrace(mod, { main, parent, dead });
      const err = new SomeError();
      expect(sync(dead.throw(err))).toEqual(['parent caught', err]);
      expect(events).toEqual(['throw:main->parent', 'switch:parent->main']);
    });

    it('G20: a GreenletExit thrown at a dead greenlet goes as a value where a switch would', () => {
      const { mod, main } = env;
      const parent = new mod.Greenlet(function* () {
        const got = yield* main.switch();
        yield* main.switch(['parent got', got]);
      });
      sync(parent.switch());
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch());
      dead.parent = parent;
      const exit = new mod.GreenletExit();
      const events = recordTrace(mod, { main, parent, dead });
      expect(sync(dead.throw(exit))).toEqual(['parent got', exit]);
      expect(events).toEqual(['switch:main->parent', 'switch:parent->main']);
    });

    it('G20: a GreenletExit thrown at a dead greenlet whose first live ancestor is unstarted starts it with the exit', () => {
      const { mod } = env;
      let got: unknown[] = [];
      const unstarted = new mod.Greenlet((...args: unknown[]) => {
        got = args;
        return 'started';
      });
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch());
      dead.parent = unstarted;
      const exit = new mod.GreenletExit();
      expect(sync(dead.throw(exit))).toBe('started');
      expect(got.length).toBe(1);
      expect(got[0]).toBe(exit);
      expect(unstarted.dead).toBe(true);
    });

    it('G20: a throw at a dead greenlet whose first live ancestor is unstarted kills that ancestor', () => {
      const { mod } = env;
      let called = false;
      const unstarted = new mod.Greenlet(() => {
        called = true;
      });
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch());
      dead.parent = unstarted;
      const err = new SomeError();
      expect(catchError(() => sync(dead.throw(err)))).toBe(err);
      expect(called).toBe(false);
      expect(unstarted.dead).toBe(true);
    });

    it('G20: a throw at a dead greenlet whose first live ancestor has no run gives TypeError "run" in the caller', () => {
      const { mod } = env;
      const noRun = new mod.Greenlet();
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch());
      dead.parent = noRun;
      const e = catchError(() => sync(dead.throw(new SomeError())));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain('run');
      expect(stateOf(noRun)).toBe('dead=false active=false run=none');
    });

    it('G21: getcurrent().throw(e) throws e out of the op at once, in main and in a greenlet; traced as a self-throw', () => {
      const { mod, main } = env;
      const events = recordTrace(mod, { main });
      const err = new SomeError();
      expect(catchError(() => sync(main.throw(err)))).toBe(err);
      expect(catchError(() => sync(mod.getcurrent().throw()))).toBeInstanceOf(mod.GreenletExit);
      expect(events).toEqual(['throw:main->main', 'throw:main->main']);
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        try {
          yield* this.throw('inside');
        } catch (e) {
          return ['caught', e, mod.getcurrent() === this];
        }
      });
      expect(sync(g.switch())).toEqual(['caught', 'inside', true]);
    });

    it('G22: main.throw(e) from another greenlet makes main\'s pending op throw e', () => {
      const { mod, main } = env;
      const err = new SomeError();
      const g = new mod.Greenlet(function* () {
        yield* main.throw(err);
        return 'not reached';
      });
      expect(catchError(() => sync(g.switch()))).toBe(err);
      expect(stateOf(g)).toBe('dead=false active=true run=none');
      expect(mod.getcurrent()).toBe(main);
    });

    it('G22: a GreenletExit thrown into main is thrown at its pending op; main does not die', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* () {
        yield* main.throw();
      });
      expect(catchError(() => sync(g.switch()))).toBeInstanceOf(mod.GreenletExit);
      expect([main.dead, main.active]).toEqual([false, true]);
      expect(mod.getcurrent()).toBe(main);
    });

    it('G23: test_throw_goes_to_original_parent: the outcome goes up the target\'s parent chain', () => {
      const { mod, main } = env;
      const f1 = function* () {
        try {
          yield* main.switch('f1 ready to catch');
        } catch (e) {
          if (e instanceof RangeError) return 'caught';
          throw e;
        }
        return 'normal exit';
      };
      const f2 = function* () {
        yield* main.switch('from f2');
      };
      // Unstarted g2 and g1: the error kills both.
      let g1 = new mod.Greenlet(f1);
      let g2 = new mod.Greenlet(f2, g1);
      expect(() => sync(g2.throw(new RangeError()))).toThrow(RangeError);
      expect([g1.dead, g2.dead]).toEqual([true, true]);
      // g1 waiting to catch, g2 unstarted.
      g1 = new mod.Greenlet(f1);
      g2 = new mod.Greenlet(f2, g1);
      expect(sync(g1.switch())).toBe('f1 ready to catch');
      expect(sync(g2.throw(new RangeError()))).toBe('caught');
      expect([g1.dead, g2.dead]).toEqual([true, true]);
      // Both started.
      g1 = new mod.Greenlet(f1);
      g2 = new mod.Greenlet(f2, g1);
      expect(sync(g1.switch())).toBe('f1 ready to catch');
      expect(sync(g2.switch())).toBe('from f2');
      expect(sync(g2.throw(new RangeError()))).toBe('caught');
      expect([g1.dead, g2.dead]).toEqual([true, true]);
    });

    it('G23: the thrower is not the receiver: its throw op completes only when control comes back to it', () => {
      const { mod, main } = env;
      const log: unknown[] = [];
      const target = new mod.Greenlet(function* () {
        yield* main.switch();
      });
      sync(target.switch()); // target's parent is main
      const thrower = new mod.Greenlet(function* () {
        const back = yield* target.throw(new SomeError('at target'));
        log.push(['thrower resumed with', back]);
        return 'thrower done';
      });
      const e = catchError(() => sync(thrower.switch()));
      expect(e).toBeInstanceOf(SomeError);
      expect(target.dead).toBe(true);
      expect(log).toEqual([]);
      expect(stateOf(thrower)).toBe('dead=false active=true run=none');
      expect(sync(thrower.switch('later'))).toBe('thrower done');
      expect(log).toEqual([['thrower resumed with', 'later']]);
    });

    it('G18: a target that catches the error and switches back gives the thrower that value', () => {
      const { mod, main } = env;
      const target = new mod.Greenlet(function* () {
        try {
          yield* main.switch();
        } catch (e) {
          yield* main.switch(['handled', (e as Error).message]);
        }
      });
      sync(target.switch());
      expect(sync(target.throw(new SomeError('x')))).toEqual(['handled', 'x']);
      expect(target.dead).toBe(false);
    });

    it('creating_executing_greenlets.rst: a caught error, an escaping one and a GreenletExit returned, not raised', () => {
      const { mod, main } = env;
      class MyException extends Error {}
      const out: string[] = [];
      const run = function* () {
        try {
          yield* main.switch();
        } catch (e) {
          if (!(e instanceof MyException)) throw e;
          out.push('Caught exception in greenlet.');
        }
      };
      let glet = new mod.Greenlet(run);
      sync(glet.switch());
      sync(glet.throw(new MyException()));
      expect(out).toEqual(['Caught exception in greenlet.']);
      glet = new mod.Greenlet(run);
      sync(glet.switch());
      expect(() => sync(glet.throw(new RangeError()))).toThrow(RangeError);
      glet = new mod.Greenlet(run);
      sync(glet.switch());
      const exit = new mod.GreenletExit();
      expect(sync(glet.throw(exit))).toBe(exit);
      // G17: a class is delivered as it is, not instantiated; uncaught, it is an ordinary error.
      glet = new mod.Greenlet(run);
      sync(glet.switch());
      expect(catchError(() => sync(glet.throw(mod.GreenletExit)))).toBe(mod.GreenletExit);
    });
  });
};
