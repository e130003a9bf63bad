/**
 * No stack growth (docs/greenlet.md G15, docs/switching.md H3, H10): values and errors pass 100000 dead or
 * unstarted ancestors, 100000 greenlets die into each other, 100000 nested generator frames and 100000 switches,
 * all within the default JavaScript stack (about 11000 plain frames on Node 20), so any recursion per greenlet or
 * frame would overflow.
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike, GreenletModule } from '@greenstackless/greenlet';
import { useModule, SomeError, catchError, type Topic } from './common.js';

const N = 100_000;

/** N greenlets, each the parent of the next (the first's parent is the current greenlet); returns them in order. */
function chain(mod: GreenletModule, run: ((...args: any[]) => unknown) | null): GreenletLike[] {
  const chain: GreenletLike[] = [];
  let parent: GreenletLike | null = null;
  for (let i = 0; i < N; i++) {
    const g: GreenletLike = new mod.Greenlet(run as any, parent);
    chain.push(g);
    parent = g;
  }
  return chain;
}

/**
 * N dead greenlets, each the parent of the next. Parents are assigned from the leaf end, so each cycle check
 * walks a chain of two.
 */
function deadChain(mod: GreenletModule): GreenletLike[] {
  const gs: GreenletLike[] = [];
  for (let i = 0; i < N; i++) {
    const g = new mod.Greenlet(() => undefined);
    sync(g.switch());
    gs.push(g);
  }
  for (let i = N - 1; i > 0; i--) gs[i].parent = gs[i - 1];
  return gs;
}

export const stack: Topic = (make) => {
  describe('no stack growth (G15, H3, H10)', () => {
    const env = useModule(make);

    it('G15: a value passes 100000 unstarted ancestors, each started as run(value)', () => {
      const { mod } = env;
      const gs = chain(mod, (v: number) => v + 1);
      const leaf = new mod.Greenlet(() => 0, gs[N - 1]);
      expect(sync(leaf.switch())).toBe(N);
      expect(gs[0].dead && gs[N - 1].dead).toBe(true);
    });

    it('G15: 100000 suspended greenlets each die into the next', () => {
      const { mod, main } = env;
      const gs = chain(mod, function* () {
        const v = (yield* main.switch()) as number;
        return v + 1;
      });
      for (const g of gs) sync(g.switch());
      expect(sync(gs[N - 1].switch(0))).toBe(N);
      expect(gs.every((g) => g.dead)).toBe(true);
    });

    it('G15: an error passes 100000 unstarted ancestors, killing them without calling run', () => {
      const { mod } = env;
      let calls = 0;
      const gs = chain(mod, () => {
        calls++;
      });
      const err = new SomeError();
      const leaf = new mod.Greenlet(() => {
        throw err;
      }, gs[N - 1]);
      expect(catchError(() => sync(leaf.switch()))).toBe(err);
      expect(calls).toBe(0);
      expect(gs[0].dead && gs[N >> 1].dead && gs[N - 1].dead).toBe(true);
    });

    it('G15: a value passes 100000 unstarted ancestors without run as a chain of TypeErrors', () => {
      const { mod } = env;
      const gs = chain(mod, null);
      const leaf = new mod.Greenlet(() => 'value', gs[N - 1]);
      let e = catchError(() => sync(leaf.switch()));
      let depth = 0;
      while (e instanceof TypeError) {
        depth++;
        e = e.cause;
      }
      expect(depth).toBe(N);
      expect(e).toBe('value');
      expect(gs[0].dead || gs[0].active).toBe(false);
    });

    it('G15/G16: values, errors and switches pass 100000 dead ancestors', () => {
      const { mod } = env;
      const gs = deadChain(mod);
      const leafward = gs[N - 1];
      // A death walks the dead chain to main.
      expect(sync(new mod.Greenlet(() => 'v', leafward).switch())).toBe('v');
      const err = new SomeError();
      expect(catchError(() => sync(new mod.Greenlet(() => {
        throw err;
      }, leafward).switch()))).toBe(err);
      // A switch and a throw to the dead leaf walk it too, back to main, the caller.
      expect(sync(leafward.switch('self'))).toBe('self');
      expect(catchError(() => sync(leafward.throw(err)))).toBe(err);
      const exit = new mod.GreenletExit();
      expect(sync(leafward.throw(exit))).toBe(exit);
    });

    it('H3/H10: 100000 nested yield frames: a switch from the innermost, a resume, a throw to the innermost', () => {
      const { mod, main } = env;
      const deep = function* (n: number): Generator<unknown, number, unknown> {
        if (n === 0) {
          try {
            return (yield* main.switch('bottom')) as number;
          } catch (e) {
            if (e === 'caught at the bottom') return -N;
            throw e;
          }
        }
        return ((yield deep(n - 1)) as number) + 1;
      };
      const g = new mod.Greenlet(() => deep(N));
      expect(sync(g.switch())).toBe('bottom');
      expect(sync(g.switch(0))).toBe(N);
      const h = new mod.Greenlet(() => deep(N));
      sync(h.switch());
      expect(sync(h.throw('caught at the bottom'))).toBe(0);
    });

    it('H10: 100000 switches back and forth between two greenlets', () => {
      const { mod } = env;
      const ping = new mod.Greenlet(function* () {
        let count = 0;
        while (count < N) count = (yield* pong.switch(count + 1)) as number;
        return count;
      });
      const pong = new mod.Greenlet(function* (first: number) {
        let count = first;
        for (;;) count = (yield* ping.switch(count + 1)) as number;
      });
      expect(sync(ping.switch())).toBeGreaterThanOrEqual(N);
      expect(ping.dead).toBe(true);
    });
  });
};
