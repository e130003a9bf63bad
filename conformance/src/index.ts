export { greenletSuite } from './greenlet/index.js';
export { stacklessSuite } from './stackless/index.js';
export { netSuite } from './io/net.js';
export { ioSuite } from './io/hub.js';
export { httpSuite } from './io/http.js';
