// The greenlet API (README, Reference).
export { OP_BRAND } from './types.js';
export type { Op, Body, TraceEvent, TraceFn, GreenletLike, GreenletModule } from './types.js';
export { GreenletExit, GreenletError } from './errors.js';
export { Greenlet } from './greenlet.js';
export { getcurrent, native } from './module.js';
export { settrace, gettrace } from './trace.js';
export { sync, unwind } from './trampoline.js';

// Helpers for the layers above (README, Reference, "For layers"): not part of the greenlet API.
export { RUNS_NOW } from './types.js';
export { isGenerator, isOp } from './trampoline.js';
export { describeValue, isInstance, messageOf } from './values.js';
export { asyncBodyError, isAsyncFunction, isThenable, thenableBodyError } from './bodies.js';
export { reportUnrunAtExit } from './exit.js';
export type { UnrunSource } from './exit.js';
