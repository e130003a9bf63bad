/**
 * The small integers of an instance, in one module so that every module that tests them can take them as its own
 * constants (`const { DONE } = codesModule;`): V8 reads an exported or imported binding through a cell and checks
 * it for the hole at every use, but folds a module's own constants into compiled code. The modules that own each
 * concept re-export their group. Every module of the package takes its imports that way, for the same reason
 * (about 5 instructions a use; see the greenlet package's opcodes.ts for what it saved there).
 */

// The phases of an op (opbase.ts): they only move forward, FRESH -> CLAIMED (iterator taken) -> RUNNING (first
// next) -> SUSPENDED (the greenlet switch is out) -> DONE, or from any of them to DONE.
export const FRESH = 0;
export const CLAIMED = 1;
export const RUNNING = 2;
export const SUSPENDED = 3;
export const DONE = 4;

// The kinds of a channel action (channelops.ts).
export const RECEIVE = 0;
export const SEND = 1;
export const SEND_EXCEPTION = 2;
export const SEND_THROW = 3;

// Where a tasklet is (runqueue.ts): paused, new or dead (OUT), in the ring, or blocked on a channel.
export const OUT = 0;
export const RING = 1;
export const CHANNEL = 2;

// Which callback runs (callbacks.ts, S20): none, the schedule callback or the error handler, the channel callback.
export const NONE = 0;
export const IN_SCHEDULER = 1;
export const IN_CHANNEL = 2;
