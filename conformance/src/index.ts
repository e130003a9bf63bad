export { greenletSuite } from './greenlet/index.js';
