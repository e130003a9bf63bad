export { createGreenlet } from './create.js';
export type { FixGreenletModule, FixTraceFn } from './create.js';
export { FixGreenlet } from './greenlet.js';
export { greenletFix, Greenlet, getcurrent, settrace, gettrace } from './default.js';
export { GreenletExit, GreenletError } from '@greenstackless/greenlet';
