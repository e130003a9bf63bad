/**
 * When run ends (docs/greenlet.md G11-G14) and switching to a dead greenlet (G16), with test_greenlet.py's
 * test_parent_return_failure, test_falling_off_end_switches_to_unstarted_parent_{raises_error,works},
 * test_switch_to_dead_greenlet_reparent and docs/switching.rst ("Switching To Dead Greenlets") ported.
 * The 100000-ancestor cases of G15 are in stack.ts.
 *
 * Skipped: test_dealloc_switch_args_not_lost and the other GC-driven deaths (M6).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, recordTrace, stateOf, type Topic } from './common.js';

export const death: Topic = (make) => {
  describe('when run ends (G11-G14)', () => {
    const env = useModule(make);

    it('G11: the return value goes to the parent exactly', () => {
      const { mod } = env;
      const value = { result: true };
      const g = new mod.Greenlet(function* () {
        return value;
      });
      expect(sync(g.switch())).toBe(value);
      expect(stateOf(g)).toBe('dead=true active=false run=none');
      const arr = [1, 2];
      expect(sync(new mod.Greenlet(() => arr).switch())).toBe(arr);
      expect(sync(new mod.Greenlet(() => undefined).switch())).toBe(undefined);
    });

    it('G11: the return value reaches a suspended parent at its pending switch', () => {
      const { mod, main } = env;
      const parent = new mod.Greenlet(function* () {
        const child = new mod.Greenlet(() => 'from child');
        const got = yield* child.switch();
        yield* main.switch(['parent got', got]);
      });
      expect(sync(parent.switch())).toEqual(['parent got', 'from child']);
    });

    it('G12: an error thrown out of run is thrown into the parent at its pending op', () => {
      const { mod, main } = env;
      const err = new SomeError('out of run');
      const g = new mod.Greenlet(function* () {
        throw err;
      });
      expect(catchError(() => sync(g.switch()))).toBe(err);
      expect(g.dead).toBe(true);
      expect(mod.getcurrent()).toBe(main);
      const thrownString = new mod.Greenlet(() => {
        throw 'a string';
      });
      expect(catchError(() => sync(thrownString.switch()))).toBe('a string');
    });

    it('G13: an uncaught GreenletExit, subclasses included, reaches the parent as the value', () => {
      const { mod } = env;
      const exit = new mod.GreenletExit('bye');
      const g = new mod.Greenlet(function* () {
        throw exit;
      });
      expect(sync(g.switch())).toBe(exit);
      expect(g.dead).toBe(true);
      class MyExit extends mod.GreenletExit {}
      const mine = new MyExit();
      expect(sync(new mod.Greenlet(() => {
        throw mine;
      }).switch())).toBe(mine);
    });

    it('G14: dead ancestors are skipped without trace events', () => {
      const { mod, main } = env;
      const p1 = new mod.Greenlet(() => 'p1');
      const p2 = new mod.Greenlet(() => 'p2', p1);
      sync(p1.switch());
      sync(p2.switch());
      expect([p1.dead, p2.dead]).toEqual([true, true]);
      const child = new mod.Greenlet(() => 'child', p2);
      const events = recordTrace(mod, { main, p1, p2, child });
      expect(sync(child.switch())).toBe('child');
      expect(events).toEqual(['switch:main->child', 'switch:child->main']);
    });

    it('G14: an unstarted parent with a value starts as run(value) with one argument (test_falling_off_end_..._works)', () => {
      const { mod } = env;
      let count = -1;
      const parent = new mod.Greenlet((...args: unknown[]) => {
        count = args.length;
        return [args[0], 24];
      });
      const child = new mod.Greenlet(() => 42, parent);
      expect(sync(child.switch())).toEqual([42, 24]);
      expect(count).toBe(1);
      expect([parent.dead, child.dead]).toEqual([true, true]);
    });

    it('G14: an unstarted parent gets undefined as its one argument when the child returns nothing', () => {
      const { mod } = env;
      let got: unknown[] = [];
      const parent = new mod.Greenlet((...args: unknown[]) => {
        got = args;
        return 'parent done';
      });
      const child = new mod.Greenlet(() => {}, parent);
      expect(sync(child.switch())).toBe('parent done');
      expect(got).toEqual([undefined]);
      expect(got.length).toBe(1);
    });

    it('G14: an unstarted parent whose run throws passes the error on up (test_falling_off_end_..._raises_error)', () => {
      const { mod } = env;
      const parent = new mod.Greenlet(() => {
        throw new SomeError('parent ran');
      });
      const child = new mod.Greenlet(() => 42, parent);
      const e = catchError(() => sync(child.switch()));
      expect(e).toBeInstanceOf(SomeError);
      expect((e as Error).message).toBe('parent ran');
      expect([parent.dead, child.dead]).toEqual([true, true]);
    });

    it('G14: an unstarted parent without run stays unstarted; a TypeError "run" with the value as cause goes on up', () => {
      const { mod, main } = env;
      const parent = new mod.Greenlet();
      const value = { v: 1 };
      const child = new mod.Greenlet(() => value, parent);
      const events = recordTrace(mod, { main, parent, child });
      const e = catchError(() => sync(child.switch()));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain('run');
      expect((e as Error).cause).toBe(value);
      expect(stateOf(parent)).toBe('dead=false active=false run=none');
      expect(child.dead).toBe(true);
      expect(mod.getcurrent()).toBe(main);
      expect(events[0]).toBe('switch:main->child');
      expect(events[events.length - 1]).toMatch(/^throw:.*->main$/);
    });

    it('G14: test_parent_return_failure: a child dying into a parent without run gives TypeError to main', () => {
      const { mod } = env;
      const g1 = new mod.Greenlet();
      const g2 = new mod.Greenlet(() => undefined, g1);
      expect(() => sync(g2.switch())).toThrow(TypeError);
      expect(g1.dead).toBe(false);
    });

    it('G14: an error dying into a parent without run becomes the cause of the TypeError "run"', () => {
      const { mod } = env;
      const parent = new mod.Greenlet();
      const err = new SomeError();
      const child = new mod.Greenlet(() => {
        throw err;
      }, parent);
      const e = catchError(() => sync(child.switch()));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain('run');
      expect((e as Error).cause).toBe(err);
      expect(stateOf(parent)).toBe('dead=false active=false run=none');
    });

    it('G14: an error reaching an unstarted parent kills it without calling run, and goes on up', () => {
      const { mod, main } = env;
      let called = false;
      const parent = new mod.Greenlet(() => {
        called = true;
      });
      const err = new SomeError();
      const child = new mod.Greenlet(() => {
        throw err;
      }, parent);
      const events = recordTrace(mod, { main, parent, child });
      expect(catchError(() => sync(child.switch()))).toBe(err);
      expect(called).toBe(false);
      expect(stateOf(parent)).toBe('dead=true active=false run=none');
      expect(events).toEqual(['switch:main->child', 'throw:child->parent', 'throw:parent->main']);
    });

    it('G14: a GreenletExit reaching an unstarted parent starts it with the exit as its argument', () => {
      const { mod } = env;
      let got: unknown;
      const parent = new mod.Greenlet((x: unknown) => {
        got = x;
        return 'parent done';
      });
      const exit = new mod.GreenletExit();
      const child = new mod.Greenlet(() => {
        throw exit;
      }, parent);
      expect(sync(child.switch())).toBe('parent done');
      expect(got).toBe(exit);
    });
  });

  describe('switching to a dead greenlet (G16)', () => {
    const env = useModule(make);

    it('G16: switching to a dead greenlet goes to its first live ancestor, the caller: the value at once', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(() => 'done');
      sync(g.switch());
      const events = recordTrace(mod, { main, g });
      expect(sync(g.switch())).toBe(undefined);
      expect(sync(g.switch(7))).toBe(7);
      expect(sync(g.switch(7, 8))).toEqual([7, 8]);
      expect(events).toEqual(['switch:main->main', 'switch:main->main', 'switch:main->main']);
    });

    it('G16: docs/switching.rst: outer switches to its dead inner and gets its own value back', () => {
      const { mod } = env;
      const out: string[] = [];
      const outer = new mod.Greenlet(function* () {
        out.push('Entering outer and spawning inner.');
        const inner = new mod.Greenlet(() => {
          out.push('Entering inner.');
          return 42;
        });
        out.push(`Got from inner value: ${yield* inner.switch()}`);
        out.push(`Got from inner value: ${yield* inner.switch()}`);
        return inner;
      });
      const inner = sync<GreenletLike>(outer.switch());
      expect(out).toEqual([
        'Entering outer and spawning inner.',
        'Entering inner.',
        'Got from inner value: 42',
        'Got from inner value: undefined',
      ]);
      // inner and its parent outer are both dead: main gets its own switch back.
      expect(sync(inner.switch())).toBe(undefined);
      expect(sync(inner.switch('m'))).toBe('m');
    });

    it('G16: a suspended ancestor resumes with the value; the trace names it as the target', () => {
      const { mod, main } = env;
      const child = new mod.Greenlet(() => 'child');
      sync(child.switch());
      const parent2 = new mod.Greenlet(function* () {
        return ['parent2 resumed with', yield* main.switch('waiting')];
      });
      sync(parent2.switch());
      child.parent = parent2;
      const events = recordTrace(mod, { main, parent2, child });
      expect(sync(child.switch('a', 'b'))).toEqual(['parent2 resumed with', ['a', 'b']]);
      expect(events).toEqual(['switch:main->parent2', 'switch:parent2->main']);
    });

    it('G16: an unstarted ancestor starts as run(...args) (test_switch_to_dead_greenlet_reparent)', () => {
      const { mod } = env;
      const seen: unknown[] = [];
      const neverStarted = new mod.Greenlet((...args: unknown[]) => {
        seen.push(['parent', ...args]);
      });
      const child = new mod.Greenlet(() => {
        seen.push('child');
      });
      sync(child.switch());
      expect(seen).toEqual(['child']);
      child.parent = neverStarted;
      expect(sync(child.switch(1, 2))).toBe(undefined);
      expect(seen).toEqual(['child', ['parent', 1, 2]]);
      expect(neverStarted.dead).toBe(true);
    });

    it('G16: one array argument redirected to an unstarted ancestor starts it with that array as its one argument', () => {
      const { mod } = env;
      const arr = [1, 2];
      let got: unknown[] = [];
      const neverStarted = new mod.Greenlet((...args: unknown[]) => {
        got = args;
        return 'ancestor done';
      });
      const child = new mod.Greenlet(() => undefined);
      sync(child.switch());
      child.parent = neverStarted;
      expect(sync(child.switch(arr))).toBe('ancestor done');
      expect(got.length).toBe(1);
      expect(got[0]).toBe(arr);
    });

    it('G16: an unstarted ancestor without run gives TypeError "run" in the caller, changing nothing', () => {
      const { mod, main } = env;
      const noRun = new mod.Greenlet();
      const child = new mod.Greenlet(() => 'x');
      sync(child.switch());
      child.parent = noRun;
      const events = recordTrace(mod, { main, noRun, child });
      const e = catchError(() => sync(child.switch(1)));
      expect(e).toBeInstanceOf(TypeError);
      expect((e as Error).message).toContain('run');
      expect(events).toEqual([]);
      expect(stateOf(noRun)).toBe('dead=false active=false run=none');
    });

    it('G16: the parents at the time of the switch decide where it goes', () => {
      const { mod, main } = env;
      const a = new mod.Greenlet(function* () {
        for (;;) yield* main.switch('a');
      });
      const b = new mod.Greenlet(function* () {
        for (;;) yield* main.switch('b');
      });
      sync(a.switch());
      sync(b.switch());
      const dead = new mod.Greenlet(() => undefined);
      sync(dead.switch());
      dead.parent = a;
      expect(sync(dead.switch())).toBe('a');
      dead.parent = b;
      expect(sync(dead.switch())).toBe('b');
    });
  });
};
