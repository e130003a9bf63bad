// Runs the Stackless behaviour suite on createStackless(native): a fresh instance per test, made at the test's
// top level, which is native main (S1).
import { native } from '@greenstackless/greenlet';
import { createStackless } from 'greenstackless';
import { stacklessSuite } from '../src/index.js';

stacklessSuite('createStackless(native)', () => createStackless(native));
