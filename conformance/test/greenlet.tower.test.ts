// Runs the greenlet behaviour suite on the top of a four-layer tower: greenlet-fix over greenstackless over
// greenlet-fix over greenstackless over native. A fresh tower per test, made at the test's top level (S1, F1).
import { native } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createStackless } from 'greenstackless';
import { greenletSuite } from '../src/index.js';

greenletSuite('fix(stackless(fix(stackless(native))))', () =>
  createGreenlet(createStackless(createGreenlet(createStackless(native)))),
);
