export { OP_BRAND } from './types.js';
export type { Op, Body, TraceEvent, TraceFn, GreenletLike, GreenletModule } from './types.js';
export { GreenletExit, GreenletError } from './errors.js';
