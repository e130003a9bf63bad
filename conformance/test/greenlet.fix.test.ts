// Runs the greenlet behaviour suite on greenlet-fix over greenstackless' default instance: a fresh module per test
// (createGreenlet(), F1), made at the test's top level, which is that instance's main tasklet.
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { greenletSuite } from '../src/index.js';

greenletSuite('fix(stackless(native))', () => createGreenlet());
