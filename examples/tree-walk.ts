// Walking trees with greenlets: the "same fringe" problem. Two trees have the same fringe when their leaves, read
// left to right, are the same, whatever their shapes. A walker greenlet per tree descends recursively (each level
// a nested frame, `yield walk(child)`) and switches each leaf to the comparer, which stops at the first
// difference without walking the rest of either tree.
import { Greenlet, getcurrent, sync } from '@greenstackless/greenlet';

type Tree = string | Tree[];

const DONE = Symbol('done');

function* walk(tree: Tree, consumer: Greenlet): Generator<unknown, void, unknown> {
  if (typeof tree === 'string') {
    yield* consumer.switch(tree); // hand over one leaf; resumed when the next one is wanted
    return;
  }
  for (const child of tree) yield walk(child, consumer);
}

function walker(tree: Tree): Greenlet {
  const consumer = getcurrent();
  return new Greenlet(function* () {
    yield walk(tree, consumer);
    return DONE; // the walker's end goes to its parent, the consumer
  });
}

function sameFringe(a: Tree, b: Tree): boolean {
  const wa = walker(a);
  const wb = walker(b);
  for (;;) {
    const x = sync(wa.switch());
    const y = sync(wb.switch());
    if (x !== y) {
      console.log(`  first difference: ${String(x)} against ${String(y)}`);
      // Stop both walkers: a GreenletExit thrown in unwinds each one (its finally blocks run), and its end comes
      // back here as a value.
      sync(wa.throw());
      sync(wb.throw());
      console.log(`  walkers dead: ${wa.dead && wb.dead}`);
      return false;
    }
    if (x === DONE) return true;
  }
}

function fringe(tree: Tree): string[] {
  const w = walker(tree);
  const leaves: string[] = [];
  for (let leaf = sync(w.switch()); leaf !== DONE; leaf = sync(w.switch())) leaves.push(leaf as string);
  return leaves;
}

const left: Tree = [['a', 'b'], ['c', ['d', 'e']]];
const right: Tree = ['a', [['b', 'c', 'd'], 'e']];
const other: Tree = ['a', ['b', 'x'], ['d', 'e']];

// A deep tree: 10,000 levels of nesting are 10,000 nested frames of one greenlet, not 10,000 JavaScript stack
// frames.
let deep: Tree = 'z';
for (let i = 0; i < 10_000; i++) deep = [deep];

console.log(`fringe of left:  ${fringe(left).join(' ')}`);
console.log(`fringe of right: ${fringe(right).join(' ')}`);
console.log(`left and right: ${sameFringe(left, right)}`);
console.log('left and other:');
console.log(`  ${sameFringe(left, other)}`);
console.log(`deep tree, 10000 levels: ${fringe(deep).join(' ')}`);
