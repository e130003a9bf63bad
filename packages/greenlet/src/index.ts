export { OP_BRAND } from './types.js';
export type { Op, Body, TraceEvent, TraceFn, GreenletLike, GreenletModule } from './types.js';
export { GreenletExit, GreenletError } from './errors.js';
export { Greenlet } from './greenlet.js';
export { getcurrent, native } from './module.js';
export { settrace, gettrace } from './trace.js';
export { isGenerator, isOp, sync, unwind } from './trampoline.js';
export { asyncBodyError, isAsyncFunction, isThenable, thenableBodyError } from './bodies.js';
