export { greenletSuite } from './greenlet/index.js';
export { stacklessSuite } from './stackless/index.js';
