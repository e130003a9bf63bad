/**
 * `getcurrent` and main (docs/greenlet.md G27-G28) and the names of greenlets (docs/README.md N1; toString and the
 * inspect hook in packages/greenlet/README.md), with docs/greenlet.rst ("The Main greenlet", am_i_main) and
 * TestMainGreenlet.test_main_greenlet_is_greenlet ported.
 *
 * Skipped: TestRepr's Python repr texts (N1 names greenlets `Greenlet#3` / `Greenlet#main` instead), main
 * greenlets of other threads (M7).
 */
import { inspect } from 'node:util';
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { useModule, type Topic } from './common.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export const mainGreenlet: Topic = (make) => {
  describe('getcurrent and main (G27-G28)', () => {
    const env = useModule(make);

    it('G27: main has no parent and no run, is never dead and always active', () => {
      const { mod, main } = env;
      expect(mod.getcurrent()).toBe(main);
      expect(mod.getcurrent()).toBe(mod.getcurrent());
      expect(main.parent).toBe(null);
      expect(main.run).toBe(undefined);
      expect([main.dead, main.active]).toEqual([false, true]);
      const g = new mod.Greenlet(function* () {
        return [main.dead, main.active];
      });
      expect(sync(g.switch())).toEqual([false, true]);
    });

    it('G27: docs/greenlet.rst am_i_main: only main has a null parent', () => {
      const { mod } = env;
      const amIMain = () => mod.getcurrent().parent === null;
      expect(amIMain()).toBe(true);
      expect(sync(new mod.Greenlet(amIMain).switch())).toBe(false);
    });

    it('G27: event-loop callbacks run in main', async () => {
      const { mod, main } = env;
      const seen: unknown[] = [];
      await Promise.resolve().then(() => seen.push(mod.getcurrent()));
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          seen.push(mod.getcurrent());
          resolve();
        }, 0),
      );
      expect(seen.length).toBe(2);
      expect(seen[0]).toBe(main);
      expect(seen[1]).toBe(main);
    });

    it('G27: a callback can start and switch greenlets through sync', async () => {
      const { mod, main } = env;
      const g = new mod.Greenlet(function* (x: number) {
        const y = (yield* main.switch(x + 1)) as number;
        return y * 2;
      });
      const results = await new Promise<unknown[]>((resolve) =>
        setTimeout(() => resolve([sync(g.switch(1)), sync(g.switch(5))]), 0),
      );
      expect(results).toEqual([2, 10]);
      expect(g.dead).toBe(true);
    });

    it('G28: inside a started run, getcurrent() is that greenlet, at every depth of nested frames', () => {
      const { mod } = env;
      const nested = function* (): Generator<unknown, unknown, unknown> {
        return mod.getcurrent();
      };
      const g = new mod.Greenlet(function* (this: GreenletLike) {
        const direct = mod.getcurrent();
        const viaFrame: unknown = yield nested();
        const viaDelegation = yield* nested();
        return [direct === this, viaFrame === this, viaDelegation === this];
      });
      expect(sync(g.switch())).toEqual([true, true, true]);
      expect(mod.getcurrent()).toBe(env.main);
    });

    it('API: every greenlet of the module, main included, is an instance of its Greenlet', () => {
      const { mod, main } = env;
      expect(main).toBeInstanceOf(mod.Greenlet);
      expect(new mod.Greenlet()).toBeInstanceOf(mod.Greenlet);
      const g = new mod.Greenlet(() => mod.getcurrent());
      expect(sync(g.switch())).toBeInstanceOf(mod.Greenlet);
    });

    it('API: a subclass passing its body to super works like a greenlet', () => {
      const { mod } = env;
      class Worker extends mod.Greenlet {
        label = 'worker';
        constructor() {
          super(function* (this: Worker, n: number) {
            return `${this.label} ${n}`;
          });
        }
      }
      const w = new Worker();
      expect(w).toBeInstanceOf(mod.Greenlet);
      expect(sync(w.switch(3))).toBe('worker 3');
      expect(w.dead).toBe(true);
    });

    it('test_instance_dict: a greenlet carries the properties code puts on it', () => {
      const { mod } = env;
      const g = new mod.Greenlet(() => {
        (mod.getcurrent() as GreenletLike & { test?: number }).test = 42;
      });
      expect((g as GreenletLike & { test?: number }).test).toBe(undefined);
      sync(g.switch());
      expect((g as GreenletLike & { test?: number }).test).toBe(42);
    });

    it('API: toString and the inspect hook give Greenlet#main and Greenlet#<serial>', () => {
      const { mod, main } = env;
      expect(String(main)).toBe('Greenlet#main');
      const a = new mod.Greenlet();
      const b = new mod.Greenlet();
      expect(String(a)).toMatch(/^Greenlet#\d+$/);
      expect(String(b)).toMatch(/^Greenlet#\d+$/);
      expect(String(a)).not.toBe(String(b));
      const inspect = (g: unknown) => (g as Record<symbol, () => string>)[INSPECT]();
      expect(inspect(main)).toBe('Greenlet#main <running>');
      expect(inspect(a)).toBe(`${a} <unstarted, no run, parent Greenlet#main>`);
    });

    it('API: util.inspect shows a greenlet\'s state and parent, and an op in one line', () => {
      const { mod, main } = env;
      const seen: string[] = [];
      const g = new mod.Greenlet(function* () {
        seen.push(inspect(mod.getcurrent()));
        yield* main.switch();
      });
      expect(inspect(g)).toBe(`${g} <unstarted, parent Greenlet#main>`);
      const op = g.switch();
      expect(inspect(op)).toBe(`<op ${g}.switch() made in Greenlet#main, not run>`);
      sync(op);
      expect(seen).toEqual([`${g} <running, parent Greenlet#main>`]);
      expect(inspect(op)).toBe(`<op ${g}.switch() made in Greenlet#main, run>`);
      expect(inspect(g)).toBe(`${g} <suspended, parent Greenlet#main>`);
      const kill = g.throw();
      expect(inspect(kill)).toBe(`<op ${g}.throw() made in Greenlet#main, not run>`);
      expect(sync(kill)).toBeInstanceOf(mod.GreenletExit); // G13: the GreenletExit comes back as g's result
      expect(inspect(g)).toBe(`${g} <dead>`);
    });
  });
};
