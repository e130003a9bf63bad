/**
 * States and values across a switch (docs/greenlet.md G1-G6), with greenlet's own switching tests and documentation
 * examples ported: test_greenlet.py (test_simple, test_two_children, test_two_recursive_children, test_exception,
 * test_send_exception), docs/greenlet.rst (the gr1/gr2 example), docs/switching.rst (passing objects).
 *
 * Skipped from test_greenlet.py: threads, dealloc/GC, refcounts, frames, __dict__, deepcopy, contextvars and the
 * C-level reentrancy scripts (M6, M7); keyword arguments (M5).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, SomeError, stateOf, type Topic } from './common.js';

export const switching: Topic = (make) => {
  describe('switching and values (G1-G6)', () => {
    const env = useModule(make);

    it('G1/G2: unstarted, running, suspended and dead states show in dead and active', () => {
      const { mod, main } = env;
      const seen: string[] = [];
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        seen.push(`running ${g.dead} ${g.active} ${mod.getcurrent() === g}`);
        yield* main.switch();
      });
      expect([g.dead, g.active]).toEqual([false, false]);
      sync(g.switch());
      expect(seen).toEqual(['running false true true']);
      expect([g.dead, g.active]).toEqual([false, true]);
      sync(g.switch());
      expect([g.dead, g.active]).toEqual([true, false]);
      expect([main.dead, main.active]).toEqual([false, true]);
    });

    it('G1/G2/G7: a greenlet suspended hard in a sync is active, not dead, without run', () => {
      const { mod } = env;
      let seen = '';
      const g: GreenletLike = new mod.Greenlet(() => {
        const child = new mod.Greenlet(() => stateOf(g)); // runs while g waits in its sync
        seen = sync<string>(child.switch());
        return 'g done';
      });
      expect(sync(g.switch())).toBe('g done');
      expect(seen).toBe('dead=false active=true run=none');
    });

    it('G3: the first switch calls run with the arguments exactly as given, this being the greenlet', () => {
      const { mod } = env;
      const arr = [1];
      let got: unknown[] = [];
      let self: unknown;
      const g = new mod.Greenlet(function (this: unknown, ...args: unknown[]) {
        got = args;
        self = this;
      });
      sync(g.switch(arr, undefined, null));
      expect(got.length).toBe(3);
      expect(got[0]).toBe(arr);
      expect(got[1]).toBe(undefined);
      expect(got[2]).toBe(null);
      expect(self).toBe(g);
    });

    it('G3: a start without arguments calls run with none', () => {
      const { mod } = env;
      let count = -1;
      const g = new mod.Greenlet((...args: unknown[]) => {
        count = args.length;
      });
      sync(g.switch());
      expect(count).toBe(0);
    });

    it('G3: an explicit undefined is an argument: run(undefined) gets one', () => {
      const { mod } = env;
      let count = -1;
      const g = new mod.Greenlet((...args: unknown[]) => {
        count = args.length;
      });
      sync(g.switch(undefined));
      expect(count).toBe(1);
    });

    it('G3, G4: one array argument is one argument: run gets the array itself, and a resume gives it as is', () => {
      const { mod } = env;
      const first = [1, 2];
      const second = ['a'];
      let args: unknown[] = [];
      const g = new mod.Greenlet(function* (...a: unknown[]) {
        args = a;
        return yield* mod.getcurrent().parent!.switch('started');
      });
      expect(sync(g.switch(first))).toBe('started');
      expect(args.length).toBe(1);
      expect(args[0]).toBe(first);
      expect(sync(g.switch(second))).toBe(second);
    });

    it('G4: a resumed switch gives undefined for none, the argument itself for one, a new array for several', () => {
      const { mod, main } = env;
      const arr = ['a'];
      const obj = { k: 1 };
      const got: unknown[] = [];
      const g = new mod.Greenlet(function* () {
        for (let i = 0; i < 6; i++) got.push(yield* main.switch());
      });
      sync(g.switch());
      sync(g.switch());
      sync(g.switch(arr));
      sync(g.switch(undefined));
      sync(g.switch(null));
      sync(g.switch(obj));
      sync(g.switch(arr, obj));
      expect(g.dead).toBe(true);
      expect(got[0]).toBe(undefined);
      expect(got[1]).toBe(arr); // not copied, not wrapped
      expect(got[2]).toBe(undefined);
      expect(got[3]).toBe(null);
      expect(got[4]).toBe(obj);
      expect(got[5]).toEqual([arr, obj]);
      expect(got[5]).not.toBe(arr);
      expect((got[5] as unknown[])[0]).toBe(arr);
    });

    it('G4: values come back to the switcher the same way', () => {
      const { mod } = env;
      const arr = [1, 2];
      const g = new mod.Greenlet(function* () {
        const p = mod.getcurrent().parent!;
        yield* p.switch();
        yield* p.switch(arr);
        yield* p.switch('x', 'y');
        yield* p.switch([]);
      });
      expect(sync(g.switch())).toBe(undefined);
      expect(sync(g.switch())).toBe(arr);
      expect(sync(g.switch())).toEqual(['x', 'y']);
      expect(sync(g.switch())).toEqual([]);
    });

    it('G5: getcurrent().switch(...) gives the value at once, in main and in a greenlet', () => {
      const { mod, main } = env;
      const arr = [3];
      expect(sync(main.switch())).toBe(undefined);
      expect(sync(main.switch(arr))).toBe(arr);
      expect(sync(main.switch(1, 2))).toEqual([1, 2]);
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        const a = yield* this.switch('self');
        const b: unknown = yield mod.getcurrent().switch(1, 2, 3);
        return [a, b];
      });
      expect(sync(g.switch())).toEqual(['self', [1, 2, 3]]);
    });

    it('G5: a self-switch is traced as switch from the greenlet to itself and changes nothing else', () => {
      const { mod, main } = env;
      const events: string[] = [];
      mod.settrace((e, o, t) => events.push(`${e}:${o === main ? 'main' : o}->${t === main ? 'main' : t}`));
      expect(sync(main.switch('v'))).toBe('v');
      expect(events).toEqual(['switch:main->main']);
      expect(mod.getcurrent()).toBe(main);
    });

    it('G6: the switcher stays suspended until something switches back to it', () => {
      const { mod, main } = env;
      const log: string[] = [];
      const a = new mod.Greenlet(function* () {
        log.push('a1');
        const v = yield* b.switch('to b');
        log.push(`a2 ${v}`);
        return 'a done';
      });
      const b = new mod.Greenlet(function* (x: string) {
        log.push(`b1 ${x}`);
        yield* main.switch('b to main');
        log.push('b2');
        yield* a.switch('b to a');
      });
      expect(sync(a.switch())).toBe('b to main');
      expect(log).toEqual(['a1', 'b1 to b']);
      expect(a.active && !a.dead).toBe(true);
      expect(sync(b.switch())).toBe('a done');
      expect(log).toEqual(['a1', 'b1 to b', 'b2', 'a2 b to a']);
      expect(stateOf(b)).toBe('dead=false active=true run=none');
    });

    it('test_simple: a child switches to its parent and back', () => {
      const { mod } = env;
      const lst: number[] = [];
      const g = new mod.Greenlet(function* () {
        lst.push(1);
        yield* mod.getcurrent().parent!.switch();
        lst.push(3);
      });
      lst.push(0);
      sync(g.switch());
      lst.push(2);
      sync(g.switch());
      lst.push(4);
      expect(lst).toEqual([0, 1, 2, 3, 4]);
    });

    it('test_two_children: two greenlets of one body run independently', () => {
      const { mod } = env;
      const lst: number[] = [];
      const f = function* () {
        lst.push(1);
        yield* mod.getcurrent().parent!.switch();
        lst.push(1, 1);
      };
      const g = new mod.Greenlet(f);
      const h = new mod.Greenlet(f);
      sync(g.switch());
      expect(lst.length).toBe(1);
      sync(h.switch());
      expect(lst.length).toBe(2);
      sync(h.switch());
      expect(lst.length).toBe(4);
      expect(h.dead).toBe(true);
      sync(g.switch());
      expect(lst.length).toBe(6);
      expect(g.dead).toBe(true);
    });

    it('test_two_recursive_children: a greenlet started inside another returns to it', () => {
      const { mod } = env;
      const lst: string[] = [];
      const inner = function* () {
        lst.push('b');
        yield* mod.getcurrent().parent!.switch();
      };
      const outer = new mod.Greenlet(function* () {
        lst.push('a');
        const child = new mod.Greenlet(inner);
        expect(child.parent).toBe(outer);
        yield* child.switch();
        lst.push('c');
      });
      sync(outer.switch());
      expect(lst).toEqual(['a', 'b', 'c']);
      expect(outer.dead).toBe(true);
    });

    it('test_exception: an error of a reparented child reaches the new parent, then main', () => {
      const { mod } = env;
      const seen: unknown[] = [];
      const fmain = function* (s: unknown[]) {
        try {
          yield* mod.getcurrent().parent!.switch();
        } catch (e) {
          s.push(e);
          throw e;
        }
        throw new SomeError();
      };
      const g1 = new mod.Greenlet(fmain);
      const g2 = new mod.Greenlet(fmain);
      sync(g1.switch(seen));
      sync(g2.switch(seen));
      g2.parent = g1;
      expect(seen).toEqual([]);
      // g2 throws SomeError into g1, which records it and rethrows it into main.
      expect(() => sync(g2.switch())).toThrow(SomeError);
      expect(seen.length).toBe(1);
      expect(seen[0]).toBeInstanceOf(SomeError);
      expect([g1.dead, g2.dead]).toEqual([true, true]);
      // Both dead: a switch to g2 comes back to main (G16).
      expect(sync(g2.switch())).toBe(undefined);
      expect(sync(g2.switch(25))).toBe(25);
      expect(seen.length).toBe(1);
    });

    it('test_send_exception: an error thrown out of a child goes to its suspended parent', () => {
      const { mod } = env;
      const seen: unknown[] = [];
      const g1 = new mod.Greenlet(function* () {
        try {
          yield* mod.getcurrent().parent!.switch();
        } catch (e) {
          seen.push(e);
          throw e;
        }
      });
      sync(g1.switch());
      const err = new RangeError('sent');
      const crasher = new mod.Greenlet((e: unknown) => {
        throw e;
      }, g1);
      expect(() => sync(crasher.switch(err))).toThrow(err);
      expect(seen).toEqual([err]);
      expect(g1.dead).toBe(true);
    });

    it('docs/greenlet.rst: gr1 and gr2 switch back and forth, gr2 is left suspended', () => {
      const { mod } = env;
      const out: string[] = [];
      const gr1 = new mod.Greenlet(function* () {
        out.push('[gr1] main  -> test1');
        yield* gr2.switch();
        out.push('[gr1] test1 <- test2');
        return 'test1 done';
      });
      const gr2 = new mod.Greenlet(function* () {
        out.push('[gr2] test1 -> test2');
        yield* gr1.switch();
        out.push('This is never printed.');
      });
      expect(sync(gr1.switch())).toBe('test1 done');
      expect(out).toEqual(['[gr1] main  -> test1', '[gr2] test1 -> test2', '[gr1] test1 <- test2']);
      expect(gr1.dead).toBe(true);
      expect(gr2.dead).toBe(false);
    });

    it('docs/switching.rst: objects passed across switches, several arguments as an array', () => {
      const { mod } = env;
      const out: unknown[] = [];
      const gr1 = new mod.Greenlet(function* (x: string, y: string) {
        for (;;) {
          const z = yield* gr2.switch(x + y);
          if (!z) break;
          out.push(z);
        }
      });
      const gr2 = new mod.Greenlet(function* (u: string) {
        out.push(u);
        yield* gr1.switch(42);
        yield* gr1.switch('how', 'are', 'you');
        yield* gr1.switch(null);
      });
      sync(gr1.switch('hello', ' world'));
      expect(out).toEqual(['hello world', 42, ['how', 'are', 'you']]);
      expect(gr1.dead).toBe(true);
      expect(gr2.dead).toBe(false);
    });
  });
};
