/**
 * `parent` (docs/greenlet.md G24-G26), with test_greenlet.py's test_parent_equals_None, TestGreenletSetParentErrors
 * (test_main_greenlet_parent_is_none, test_set_parent_wrong_types, test_trivial_cycle, test_trivial_cycle_main,
 * test_deeper_cycle) and docs/creating_executing_greenlets.rst ("Changing The Parent") ported.
 *
 * Skipped: test_threaded_reparent, test_unexpected_reparenting* (threads, M7); test_cannot_delete_parent* (no
 * `del` in JavaScript; `delete g.parent` on an accessor is outside the contract); greenlets of another module as
 * parents (a suite gets one module; the towers' own tests cover mixing modules).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, catchError, recordTrace, type Topic } from './common.js';

const MAIN_PARENT = 'cannot set the parent of a main greenlet';
const NOT_GREENLET = 'Expected any type of greenlet';
const CYCLE = 'cyclic parent chain';

export const parent: Topic = (make) => {
  describe('parent (G24-G26)', () => {
    const env = useModule(make);

    it('G24: parent is null only for main; undefined or null in the constructor mean getcurrent()', () => {
      const { mod, main } = env;
      expect(main.parent).toBe(null);
      expect(new mod.Greenlet().parent).toBe(main);
      expect(new mod.Greenlet(null, null).parent).toBe(main);
      expect(new mod.Greenlet(null, undefined).parent).toBe(main);
      const outer = new mod.Greenlet(function* (this: GreenletLike) {
        return [new mod.Greenlet().parent === this, new mod.Greenlet(null, null).parent === this];
      });
      expect(sync(outer.switch())).toEqual([true, true]);
      const explicit = new mod.Greenlet(null, outer);
      expect(explicit.parent).toBe(outer);
    });

    it('G25: creating_executing_greenlets.rst: a parent given or assigned later gets the child\'s result', () => {
      const { mod } = env;
      const out: unknown[] = [];
      const parentRun = (childResult: unknown) => {
        out.push(['In the parent.', childResult]);
      };
      const child = () => {
        out.push('In the child.');
        return 'child result';
      };
      let parentGlet = new mod.Greenlet(parentRun);
      let childGlet = new mod.Greenlet(child, parentGlet);
      sync(childGlet.switch());
      parentGlet = new mod.Greenlet(parentRun);
      childGlet = new mod.Greenlet(child);
      childGlet.parent = parentGlet;
      sync(childGlet.switch());
      const expected = ['In the child.', ['In the parent.', 'child result']];
      expect(out).toEqual([...expected, ...expected]);
    });

    it('G25: parent may be set on the running greenlet; the parent at the time of death receives the result', () => {
      const { mod, main } = env;
      const receiver = new mod.Greenlet(function* (v: unknown) {
        yield* main.switch(['receiver got', v]);
      });
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        this.parent = receiver;
        expect(this.parent).toBe(receiver);
        return 'g result';
      });
      expect(sync(g.switch())).toEqual(['receiver got', 'g result']);
    });

    it('G25: reparenting a suspended greenlet decides where its later death goes', () => {
      const { mod, main } = env;
      const receiver = new mod.Greenlet(function* () {
        const got = yield* main.switch('receiver waiting');
        yield* main.switch(['receiver got', got]);
      });
      sync(receiver.switch());
      const g = new mod.Greenlet(function* () {
        yield* main.switch();
        return 'g result';
      });
      sync(g.switch());
      g.parent = receiver;
      expect(sync(g.switch())).toEqual(['receiver got', 'g result']);
    });

    it('G26: a running greenlet cannot take its own child as parent', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        const child = new mod.Greenlet(null);
        const e = catchError(() => {
          this.parent = child;
        });
        return [e instanceof mod.GreenletError, (e as Error).message.includes(CYCLE), this.parent === main];
      });
      expect(sync(g.switch())).toEqual([true, true, true]);
    });

    it('G25: parent may be set on a suspended or dead greenlet', () => {
      const { mod, main } = env;
      const other = new mod.Greenlet(() => 'other');
      const g = new mod.Greenlet(function* () {
        yield* main.switch();
      });
      sync(g.switch());
      g.parent = other;
      expect(g.parent).toBe(other);
      g.parent = main;
      sync(g.switch());
      expect(g.dead).toBe(true);
      g.parent = other;
      expect(g.parent).toBe(other);
    });

    it('G26: every assignment to main\'s parent throws TypeError "cannot set the parent of a main greenlet"', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet();
      for (const value of [main, g, null, undefined, 42]) {
        const e = catchError(() => {
          main.parent = value as any;
        });
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toContain(MAIN_PARENT);
      }
      expect(main.parent).toBe(null);
    });

    it('G26: a parent that is not a greenlet throws TypeError "Expected any type of greenlet" (test_set_parent_wrong_types)', () => {
      const { mod, main } = env;
      const check = (g: GreenletLike) => {
        for (const value of [null, undefined, 1, '42', {}, { parent: null, dead: false }]) {
          const e = catchError(() => {
            g.parent = value as any;
          });
          expect(e).toBeInstanceOf(TypeError);
          expect((e as Error).message).toContain(NOT_GREENLET);
          expect(g.parent).toBe(main);
        }
      };
      const g = new mod.Greenlet(function* () {
        yield* main.switch();
      });
      check(g); // unstarted
      sync(g.switch());
      check(g); // suspended
      const running = new mod.Greenlet(function* (this: GreenletLike) {
        const e = catchError(() => {
          this.parent = 42 as any;
        });
        return [e instanceof TypeError, (e as Error).message.includes(NOT_GREENLET), this.parent === main];
      });
      expect(sync(running.switch())).toEqual([true, true, true]);
      sync(g.switch());
      check(g); // dead
    });

    it('G26: the constructor checks a parent that is not undefined or null the same way', () => {
      const { mod } = env;
      for (const value of [1, 'main', {}, []]) {
        const e = catchError(() => new mod.Greenlet(null, value));
        expect(e).toBeInstanceOf(TypeError);
        expect((e as Error).message).toContain(NOT_GREENLET);
      }
    });

    it('G26: a greenlet cannot be its own parent (test_trivial_cycle)', () => {
      const { mod, main } = env;
      const glet = new mod.Greenlet(() => undefined);
      const e = catchError(() => {
        glet.parent = glet;
      });
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect((e as Error).message).toContain(CYCLE);
      expect(glet.parent).toBe(main);
    });

    it('G26: a deeper cycle is refused and changes nothing (test_deeper_cycle)', () => {
      const { mod, main } = env;
      const g1 = new mod.Greenlet(() => undefined);
      const g2 = new mod.Greenlet(() => undefined);
      const g3 = new mod.Greenlet(() => undefined);
      g1.parent = g2;
      g2.parent = g3;
      const e = catchError(() => {
        g3.parent = g1;
      });
      expect(e).toBeInstanceOf(mod.GreenletError);
      expect((e as Error).message).toContain(CYCLE);
      expect([g1.parent, g2.parent, g3.parent]).toEqual([g2, g3, main]);
      // The chain still works: g1 dies into g2, which dies into g3, which dies into main.
      expect(sync(g1.switch())).toBe(undefined);
      expect([g1.dead, g2.dead, g3.dead]).toEqual([true, true, true]);
    });

    it('G26: the checks come in order: main first, then the type, then the cycle', () => {
      const { mod, main } = env;
      const e1 = catchError(() => {
        main.parent = 42 as any;
      });
      expect((e1 as Error).message).toContain(MAIN_PARENT);
      const g = new mod.Greenlet();
      const e2 = catchError(() => {
        g.parent = null as any;
      });
      expect(e2).toBeInstanceOf(TypeError);
      expect((e2 as Error).message).toContain(NOT_GREENLET);
    });

    it('G26: a failed assignment triggers no switch and no trace event', () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(() => undefined);
      const events = recordTrace(mod, { main, g });
      catchError(() => {
        g.parent = g;
      });
      catchError(() => {
        g.parent = 5 as any;
      });
      expect(events).toEqual([]);
      expect(mod.getcurrent()).toBe(main);
    });
  });
};
