// Generators made of greenlets, after the example in greenlet's documentation. A Genlet runs its body in a
// greenlet of its own; `emit(value)` switches the value to whoever asked for the next item and waits there until
// asked again. Unlike a generator's `yield`, `emit` works from any frame of the body, however deep.
import { Greenlet, getcurrent, sync, type Op } from '@greenstackless/greenlet';

class Genlet<T> extends Greenlet implements Iterable<T> {
  constructor(body: (...args: any[]) => Generator<unknown, void, unknown>, ...args: unknown[]) {
    super(() => body(...args)); // a plain body that returns a generator object runs it as the rest of the body
  }

  // A greenlet has a throw() of its own, so the iterator is a separate object.
  [Symbol.iterator](): Iterator<T, undefined> {
    return { next: () => this.step() };
  }

  private step(): IteratorResult<T, undefined> {
    this.parent = getcurrent(); // the asker receives the next item, or the genlet's end
    const value = sync(this.switch<T>());
    return this.dead ? { done: true, value: undefined } : { done: false, value };
  }
}

/** Sends `value` out of the innermost genlet that the current greenlet runs in. */
function emit(value: unknown): Op<unknown> {
  let g: Greenlet | null = getcurrent();
  while (!(g instanceof Genlet)) {
    if (g === null) throw new Error('emit() outside a genlet');
    g = g.parent;
  }
  return g.parent!.switch(value);
}

function* countdown(n: number) {
  for (; n > 0; n--) yield* emit(n);
}

// Nested frames: `yield flatten(item)` runs the sub-generator inside the same greenlet, and its emits leave
// from there.
function* flatten(list: unknown[]): Generator<unknown, void, unknown> {
  for (const item of list) {
    if (Array.isArray(item)) yield flatten(item);
    else yield* emit(item);
  }
}

// A genlet that reads another one: the inner genlet's parent is the outer one while it runs.
function* evens(source: Iterable<number>) {
  for (const n of source) if (n % 2 === 0) yield* emit(n);
}

console.log([...new Genlet<number>(countdown, 5)].join(' '));
console.log([...new Genlet<string | number>(flatten, [1, [2, [3, ['four']], 5], [[6]]])].join(' '));
console.log([...new Genlet<number>(evens, new Genlet<number>(countdown, 10))].join(' '));
