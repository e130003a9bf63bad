/**
 * Robustness: any value may be thrown, yielded, passed or thrown by the tracer, and describing it never fails
 * (G12, G17, G32, H4, G8, G26); a stack overflow inside nested syncs unwinds as an error and leaves every greenlet
 * dead or resumable (H10, H5).
 */
import { describe, expect, it } from 'vitest';
import { GreenletError, sync } from '@greenstackless/greenlet';
import type { GreenletLike } from '@greenstackless/greenlet';
import { hostileValues, revokedProxy } from '../hostile.js';
import { catchError, useModule, type Topic } from './common.js';

/** The module still switches: a greenlet ping-pongs with main and returns. */
function switchesNormally(mod: { Greenlet: new (run?: any) => GreenletLike; getcurrent(): GreenletLike }): void {
  const main = mod.getcurrent();
  const g = new mod.Greenlet(function* (x: number) {
    const y = (yield* main.switch(x + 1)) as number;
    return y * 2;
  });
  expect(sync(g.switch(1))).toBe(2);
  expect(sync(g.switch(10))).toBe(20);
  expect(g.dead).toBe(true);
  expect(mod.getcurrent()).toBe(main);
}

export const robustness: Topic = (make) => {
  describe('robustness: hostile values and stack overflow', () => {
    const env = useModule(make);

    it('G12: a revoked Proxy (or any hostile value) thrown out of run reaches the parent as itself', () => {
      const { mod } = env;
      for (const [name, bad] of [['a revoked Proxy', revokedProxy()] as [string, unknown], ...hostileValues()]) {
        const g = new mod.Greenlet(function* () {
          yield* mod.getcurrent().parent!.switch('ready');
          throw bad;
        });
        expect(sync(g.switch()), name).toBe('ready');
        const caught = catchError(() => sync(g.switch()));
        expect(Object.is(caught, bad), name).toBe(true);
        expect(g.dead, name).toBe(true);
      }
      switchesNormally(mod);
    });

    it('G17/G18: throw() delivers a hostile value itself, caught or killing the target', () => {
      const { mod } = env;
      for (const [name, bad] of hostileValues()) {
        if (bad === undefined) continue; // G17: throw(undefined) is a GreenletExit
        const caughtInside: unknown[] = [];
        const g = new mod.Greenlet(function* () {
          try {
            yield* mod.getcurrent().parent!.switch();
          } catch (e) {
            caughtInside.push(e);
          }
          yield* mod.getcurrent().parent!.switch('after');
        });
        sync(g.switch());
        expect(sync(g.throw(bad)), name).toBe('after');
        expect(Object.is(caughtInside[0], bad), name).toBe(true);
        const k = new mod.Greenlet(function* () {
          yield* mod.getcurrent().parent!.switch();
        });
        sync(k.switch());
        expect(Object.is(catchError(() => sync(k.throw(bad))), bad), name).toBe(true);
        expect(k.dead).toBe(true);
      }
      switchesNormally(mod);
    });

    it('H4: a body that yields a hostile value gets a TypeError with a readable message at that yield', () => {
      const { mod } = env;
      for (const [name, bad] of hostileValues()) {
        const g = new mod.Greenlet(function* () {
          try {
            yield bad;
            return 'no error';
          } catch (e) {
            return e instanceof TypeError && e.message.length > 0 ? 'TypeError' : `other: ${String(e)}`;
          }
        });
        expect(sync(g.switch()), name).toBe('TypeError');
      }
      switchesNormally(mod);
    });

    it('G8/G26/G29: hostile run, parent and tracer values throw TypeError with a readable message', () => {
      const { mod } = env;
      for (const [name, bad] of hostileValues()) {
        if (bad === null || bad === undefined) continue;
        const isFunction = typeof bad === 'function';
        for (const [text, attempt] of [
          ['run must be a function', () => new mod.Greenlet(bad as any)],
          ['Expected any type of greenlet', () => new mod.Greenlet(null, bad)],
          [
            'Expected any type of greenlet',
            () => {
              new mod.Greenlet().parent = bad as any;
            },
          ],
          [
            'run must be a function',
            () => {
              new mod.Greenlet().run = bad as any;
            },
          ],
          ['settrace needs a function', () => mod.settrace(bad as any)],
        ] as const) {
          let e: unknown;
          try {
            attempt();
            continue; // a function is a valid run and tracer
          } catch (error) {
            e = error;
          }
          // The module's own TypeError, saying what is wrong, never one from describing the value (G8, G26, G29);
          // an async function is a function but no body (H9).
          const refusedAsBody = text === 'run must be a function' && name.startsWith('an async');
          expect(e, name).toBeInstanceOf(TypeError);
          expect((e as TypeError).message, name).toContain(refusedAsBody ? 'bodies are generator functions' : text);
        }
        if (isFunction) mod.settrace(null);
      }
      expect(mod.gettrace()).toBe(null);
      switchesNormally(mod);
    });

    it('G32: a tracer that throws a hostile value: it replaces the delivery, at a start and at a resume', () => {
      const { mod } = env;
      for (const [name, bad] of hostileValues()) {
        // At a start: run is never called, the greenlet dies, and the value goes to its parent.
        let ran = false;
        const g = new mod.Greenlet(() => {
          ran = true;
        });
        mod.settrace(() => {
          throw bad;
        });
        expect(Object.is(catchError(() => sync(g.switch())), bad), name).toBe(true);
        expect(mod.gettrace()).toBe(null);
        expect(ran).toBe(false);
        expect(g.dead).toBe(true);
        // At a resume: thrown at the target's pending op.
        const caught: unknown[] = [];
        const h = new mod.Greenlet(function* () {
          try {
            yield* mod.getcurrent().parent!.switch();
          } catch (e) {
            caught.push(e);
          }
          return 'done';
        });
        sync(h.switch());
        let n = 0;
        mod.settrace(() => {
          if (n++ === 0) throw bad;
        });
        expect(sync(h.switch()), name).toBe('done');
        expect(Object.is(caught[0], bad), name).toBe(true);
        mod.settrace(null);
      }
      switchesNormally(mod);
    });

    it('H10/H5: a stack overflow in nested syncs unwinds as RangeError; every started greenlet is dead', () => {
      const { mod } = env;
      const made: GreenletLike[] = [];
      const body = (d: number): number => {
        const g = new mod.Greenlet(body);
        made.push(g);
        return sync(g.switch(d + 1)) as number;
      };
      const caught = catchError(() => sync(new mod.Greenlet(body).switch(1)));
      let root = caught;
      while (root instanceof GreenletError && root.cause !== undefined) root = root.cause;
      expect(root).toBeInstanceOf(RangeError);
      expect(made.length).toBeGreaterThan(10);
      const torn = made.filter((g) => !g.dead && g.run === undefined);
      expect(torn.map(String)).toEqual([]);
      // The innermost greenlet never started: it is unstarted and can still run.
      const last = made[made.length - 1];
      expect(last.dead).toBe(false);
      expect(last.run).toBe(body);
      last.run = (x: number) => x * 2;
      expect(sync(last.switch(5))).toBe(10);
      expect(mod.getcurrent().parent).toBe(null);
      switchesNormally(mod);
    }, 60_000);
  });
};
