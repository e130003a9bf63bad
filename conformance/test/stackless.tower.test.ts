// Runs the Stackless behaviour suite on greenstackless over greenlet-fix over greenstackless over native. A fresh
// tower per test, made at the test's top level (S1, F1).
import { native } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createStackless } from 'greenstackless';
import { stacklessSuite } from '../src/index.js';

stacklessSuite('stackless(fix(stackless(native)))', () => createStackless(createGreenlet(createStackless(native))));
