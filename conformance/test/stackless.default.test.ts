// Runs the Stackless behaviour suite on greenstackless' default instance `stackless` (createStackless(native),
// made when the package loads). The instance is shared by every test; the suite checks that each leaves it clean.
// The tests that need two instances (S3) get a second one from createStackless(native).
import { native } from '@greenstackless/greenlet';
import { createStackless, stackless } from 'greenstackless';
import { stacklessSuite } from '../src/index.js';

stacklessSuite('default instance', () => stackless, () => createStackless(native));
