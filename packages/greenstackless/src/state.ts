/**
 * A tasklet's life states (T6), kept in its `state` field. Where it waits is its `link` (runqueue.ts).
 *
 * - NOT_ALIVE: new, bound, unbound or dead; no frames.
 * - BOUND: alive and never run: `bind(fn, args)` prepared the call; its greenlet has not started.
 * - STARTED: alive, its greenlet started (main is made STARTED).
 */
export const NOT_ALIVE = 0;
export const BOUND = 1;
export const STARTED = 2;
