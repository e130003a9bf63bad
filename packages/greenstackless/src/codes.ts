/**
 * The small integers that several modules test on hot paths: each takes them as its own constants
 * (`const { DONE } = codesModule;`), which V8 folds, where an imported or exported binding is read through a cell
 * ([docs/v8.md](../../../docs/v8.md#modules-and-variables)). Codes that one module uses live in that module.
 */

// The states of an op (op.ts; docs/design.md "Ops"): they only move forward, FRESH -> CLAIMED (iterator taken) ->
// RUNNING (first step) -> SUSPENDED (its switch is out) -> DONE, or from any of them to DONE.
export const FRESH = 0;
export const CLAIMED = 1;
export const RUNNING = 2;
export const SUSPENDED = 3;
export const DONE = 4;

// Where a tasklet is (ring.ts): paused, new or dead (OUT), in the ring, or blocked on a channel.
export const OUT = 0;
export const RING = 1;
export const CHANNEL = 2;
