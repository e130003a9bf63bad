/**
 * The numbers of a native op: its kind and its state. They live in their own module so that every module that
 * tests them can take them as its own constants: V8 reads an exported or imported binding through a cell and
 * checks it for the hole at every use, but folds a module's own constants into compiled code. So each user writes
 * `const { FRESH, ... } = opcodes;` after `import * as opcodes from './opcodes.js'`.
 *
 * Invariants:
 * - A kind is below 4: an op is described as its kind plus its target's tag, 4 * (serial + 1) (ops.ts).
 * - A state only moves forward: FRESH -> ITERATING -> YIELDED -> DONE, or FRESH -> DONE (ops.ts).
 */

/** `g.switch(x)`: one argument, the payload itself. */
export const SWITCH_ONE = 0;
/** `g.switch()` or `g.switch(x, y, ...)`: the payload is the array of arguments. */
export const SWITCH_MANY = 1;
/** `g.throw(error)`. */
export const THROW = 2;
/** `unwind(error)` (H7 for layers). */
export const UNWIND = 3;

/** Made, not started. */
export const FRESH = 0;
/** Started by `yield*` ([Symbol.iterator]), not yet yielded to the trampoline. */
export const ITERATING = 1;
/** Yielded to the trampoline by `yield*`'s first next(). */
export const YIELDED = 2;
/** Started and handed over (or run): it may not run again (H1). */
export const DONE = 3;
