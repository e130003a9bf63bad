// Runs the socket suite on greenstackless over greenlet-fix over greenstackless over native: a fresh tower and
// hub per test, made at the test's top level (S1, F1, I1).
import { native } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createHub } from '@greenstackless/io';
import { createStackless } from 'greenstackless';
import { netSuite } from '../src/index.js';

netSuite('stackless(fix(stackless(native)))', () => {
  const stackless = createStackless(createGreenlet(createStackless(native)));
  return { stackless, hub: createHub(stackless) };
});
