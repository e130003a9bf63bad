// Runs the HTTP suite on greenstackless over greenlet-fix over greenstackless over native: one tower and hub for
// the file, made at its top level (S1, F1, I1).
import { native } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createHub } from '@greenstackless/io';
import { createStackless } from 'greenstackless';
import { httpSuite } from '../src/index.js';

const stackless = createStackless(createGreenlet(createStackless(native)));
const hub = createHub(stackless);
httpSuite('stackless(fix(stackless(native)))', () => ({ stackless, hub }));
