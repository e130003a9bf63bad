export { greenletSuite } from './greenlet/index.js';
export { stacklessSuite } from './stackless/index.js';
export { ioSuite } from './io/hub.js';
