/**
 * The numbers of a native op: its kind and its state. This module imports nothing, so that every user can take
 * them as its own constants at load time (`const { FRESH } = opcodes;`), which V8 folds (docs/v8.md#imported-bindings).
 *
 * Invariants:
 * - A kind is below 4: an op is described as its kind plus its target's tag, 4 * (serial + 1) (ops.ts).
 * - A state only moves forward: FRESH -> CLAIMED -> SUSPENDED -> DONE, or FRESH -> DONE (ops.ts).
 */

/** `g.switch(x)`: one argument, the payload itself. */
export const SWITCH_ONE = 0;
/** `g.switch()` or `g.switch(x, y, ...)`: the payload is the array of arguments. */
export const SWITCH_MANY = 1;
/** `g.throw(error)`. */
export const THROW = 2;
/** `unwind(error)` (H7 for layers). */
export const UNWIND = 3;

// The states of an op: the names and numbers every package shares (docs/design.md, "Ops"). The native op does not
// use RUNNING (2): its first step is the trampoline's, which never hands control to user code in between.

/** Made; nothing has taken its iterator. */
export const FRESH = 0;
/** Its iterator was taken by `yield*` ([Symbol.iterator]); its first `next()` has not run. */
export const CLAIMED = 1;
/** `yield*`'s first `next()` handed it to the trampoline; it waits for its resumption. */
export const SUSPENDED = 3;
/** Finished, refused, or handed to the trampoline by `yield op` or `sync`: it never runs again (H1). */
export const DONE = 4;
