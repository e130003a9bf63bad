// Runs the greenlet behaviour suite on the native implementation (a singleton module).
import { native } from '@greenstackless/greenlet';
import { greenletSuite } from '../src/index.js';

greenletSuite('native', () => native);
