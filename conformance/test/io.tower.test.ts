// Runs the hub suite on greenstackless over greenlet-fix over greenstackless over native: a fresh tower and hub
// per test, made at the test's top level, in the tower's main greenlet (S1, F1, I1).
import { native } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createHub } from '@greenstackless/io';
import { createStackless } from 'greenstackless';
import { ioSuite } from '../src/index.js';

const tower = () => createStackless(createGreenlet(createStackless(native)));

ioSuite('stackless(fix(stackless(native)))', () => {
  const stackless = tower();
  return { stackless, hub: createHub(stackless) };
}, tower);
