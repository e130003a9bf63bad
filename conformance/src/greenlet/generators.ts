/**
 * Generators built from greenlets, greenlet's documentation example (README: "we can recreate generators"),
 * with test_generator.py (test_generator) and test_generator_nested.py (test_layered_genlets,
 * test_permutations, test_genlet_simple, test_genlet_bad, test_nested_genlets) ported.
 *
 * A genlet is a greenlet whose body yields values with `yield* Yield(value)`: a switch to its parent, the greenlet
 * that asked for the next value. Values are pulled softly with `yield* pull(genlet)` from a body, or with a plain
 * `for...of` loop, whose `next()` runs the same pull through `sync` (a hard switch from plain code).
 *
 * Skipped: the leak checks (GC, M6); keyword arguments (M5).
 */
import { describe, it, expect } from 'vitest';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike, GreenletModule, Op } from '@greenstackless/greenlet';
import { useModule, type Topic } from './common.js';

interface Genlet {
  greenlet: GreenletLike;
  /** The genlet that yielded past this one with a level above 1: the next pull resumes it directly. */
  child: Genlet | null;
}

/** The genlet machinery of test_generator_nested.py, on one module. */
class GenletKit {
  private readonly genlets = new Map<GreenletLike, Genlet>();
  constructor(private readonly mod: GreenletModule) {}

  /** Makes a genlet factory from a body: `define(fn)(...args)` is a new genlet that will run `fn(...args)`. */
  define(fn: (...args: any[]) => Generator<unknown, unknown, unknown> | void) {
    return (...args: unknown[]): Genlet => {
      // A plain body returning a generator object runs it as the rest of the body (H9).
      const genlet: Genlet = { greenlet: new this.mod.Greenlet(() => fn(...args)), child: null };
      this.genlets.set(genlet.greenlet, genlet);
      return genlet;
    };
  }

  /** Python's `Yield(value, level)`: makes the op that hands `value` to the genlet `level` levels up. */
  Yield(value: unknown, level = 1): Op<unknown> {
    let g = this.mod.getcurrent();
    while (level !== 0) {
      const genlet = this.genlets.get(g);
      if (!genlet) throw new RangeError('yield outside a genlet');
      if (level > 1) this.genlets.get(g.parent!)!.child = genlet;
      g = g.parent!;
      level--;
    }
    return g.switch(value);
  }

  /** Python's `__next__`, softly: resumes the genlet (or its innermost child) and gives its next value. */
  *pull(genlet: Genlet): Generator<unknown, IteratorResult<unknown, undefined>, unknown> {
    let result: unknown;
    if (genlet.child) {
      let child = genlet.child;
      while (child.child) {
        const tmp = child;
        child = child.child;
        tmp.child = null;
      }
      result = yield* child.greenlet.switch();
    } else {
      genlet.greenlet.parent = this.mod.getcurrent();
      result = yield* genlet.greenlet.switch();
    }
    return genlet.greenlet.active ? { done: false, value: result } : { done: true, value: undefined };
  }

  /** A plain iterable over the genlet: each `next()` is a hard switch, `sync(pull(genlet))`. */
  iterate(genlet: Genlet): Iterable<unknown> {
    return { [Symbol.iterator]: () => ({ next: () => sync(this.pull(genlet)) }) };
  }
}

export const generators: Topic = (make) => {
  describe('generators built from greenlets (docs, test_generator*.py)', () => {
    const env = useModule(make);

    it('test_generator: a genlet drives a plain for...of loop through sync', () => {
      const kit = new GenletKit(env.mod);
      const seen: number[] = [];
      const g = kit.define(function* (n: number) {
        for (let i = 0; i < n; i++) {
          seen.push(i);
          yield* kit.Yield(i);
        }
      });
      for (let round = 0; round < 3; round++) {
        for (const j of kit.iterate(g(5))) seen.push(j as number);
      }
      expect(seen).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
      expect(env.mod.getcurrent()).toBe(env.main);
    });

    it('test_generator: a body pulls from a genlet with yield*', () => {
      const { mod } = env;
      const kit = new GenletKit(mod);
      const g = kit.define(function* (n: number) {
        for (let i = 0; i < n; i++) yield* kit.Yield(i * i);
      });
      const consumer = new mod.Greenlet(function* () {
        const got: unknown[] = [];
        const source = g(4);
        for (;;) {
          const step = yield* kit.pull(source);
          if (step.done) break;
          got.push(step.value);
        }
        return got;
      });
      expect(sync(consumer.switch())).toEqual([0, 1, 4, 9]);
      expect(consumer.dead).toBe(true);
    });

    it('test_genlet_simple: a JS generator, a genlet, and a genlet yielding from a nested frame agree', () => {
      const kit = new GenletKit(env.mod);
      const g1 = function* (n: number, seen: number[]) {
        for (let i = 0; i < n; i++) {
          seen.push(i + 1);
          yield i;
        }
      };
      const g2 = kit.define(function* (n: number, seen: number[]) {
        for (let i = 0; i < n; i++) {
          seen.push(i + 1);
          yield* kit.Yield(i);
        }
      });
      const nested = function* (i: number) {
        yield* kit.Yield(i);
      };
      const g3 = kit.define(function* (n: number, seen: number[]) {
        for (let i = 0; i < n; i++) {
          seen.push(i + 1);
          yield nested(i); // Yield from a nested generator frame (H3)
        }
      });
      const expected = [1, 0, 2, 1, 3, 2, 4, 3, 5, 4];
      for (const source of [
        (seen: number[]) => g1(5, seen),
        (seen: number[]) => kit.iterate(g2(5, seen)),
        (seen: number[]) => kit.iterate(g3(5, seen)),
      ]) {
        const seen: number[] = [];
        for (let round = 0; round < 3; round++) {
          for (const j of source(seen)) seen.push(j as number);
        }
        expect(seen).toEqual([...expected, ...expected, ...expected]);
      }
    });

    it('test_genlet_bad: Yield outside a genlet fails before switching', () => {
      const kit = new GenletKit(env.mod);
      expect(() => kit.Yield(10)).toThrow('yield outside a genlet');
      expect(env.mod.getcurrent()).toBe(env.main);
    });

    it('test_nested_genlets: a recursive genlet pulls from its own kind', () => {
      const kit = new GenletKit(env.mod);
      const ax: (...args: unknown[]) => Genlet = kit.define(function* a(n: number): Generator<unknown, void, unknown> {
        if (n === 0) return;
        const inner = ax(n - 1);
        for (;;) {
          const step = yield* kit.pull(inner);
          if (step.done) break;
          yield* kit.Yield(step.value);
        }
        yield* kit.Yield(n);
      });
      expect([...kit.iterate(ax(5))]).toEqual([1, 2, 3, 4, 5]);
    });

    it('test_layered_genlets: Yield with level 2 passes the inner genlet\'s value to the outer consumer', () => {
      const kit = new GenletKit(env.mod);
      const gr1 = kit.define(function* (n: number) {
        for (let ii = 1; ii < n; ii++) {
          yield* kit.Yield(ii);
          yield* kit.Yield(ii * ii, 2);
        }
      });
      const gr2 = kit.define(function* (n: number, seen: unknown[]) {
        const inner = gr1(n);
        for (;;) {
          const step = yield* kit.pull(inner);
          if (step.done) break;
          seen.push(step.value);
        }
      });
      const seen: unknown[] = [];
      for (const ii of kit.iterate(gr2(5, seen))) seen.push(ii);
      expect(seen).toEqual([1, 1, 2, 4, 3, 9, 4, 16]);
    });

    it('test_permutations: recursive genlets, read in full and two at a time', () => {
      const kit = new GenletKit(env.mod);
      const perms: (...args: unknown[]) => Genlet = kit.define(function* (l: number[]): Generator<unknown, void, unknown> {
        if (l.length > 1) {
          for (const e of l) {
            const rest = perms(l.filter((x) => x !== e));
            for (;;) {
              const step = yield* kit.pull(rest);
              if (step.done) break;
              yield* kit.Yield([e, ...(step.value as number[])]);
            }
          }
        } else {
          yield* kit.Yield(l);
        }
      });
      const permutations = [...kit.iterate(perms([0, 1, 2, 3]))];
      expect(permutations.length).toBe(24);
      expect(permutations).toContainEqual([0, 1, 2, 3]);
      expect(permutations).toContainEqual([3, 2, 1, 0]);
      // zip(perms(range(4)), perms(range(3))): two genlets pulled alternately from plain code.
      const a = kit.iterate(perms([0, 1, 2, 3]))[Symbol.iterator]();
      const b = kit.iterate(perms([0, 1, 2]))[Symbol.iterator]();
      const res: unknown[] = [];
      for (;;) {
        const x = a.next();
        const y = b.next();
        if (x.done || y.done) break;
        res.push([x.value, y.value]);
      }
      expect(res).toEqual([
        [[0, 1, 2, 3], [0, 1, 2]],
        [[0, 1, 3, 2], [0, 2, 1]],
        [[0, 2, 1, 3], [1, 0, 2]],
        [[0, 2, 3, 1], [1, 2, 0]],
        [[0, 3, 1, 2], [2, 0, 1]],
        [[0, 3, 2, 1], [2, 1, 0]],
      ]);
    });
  });
};
