// Runs the HTTP suite on the default instance and its hub (docs/io.md §3).
import { stackless } from 'greenstackless';
import { hub } from '@greenstackless/io';
import { httpSuite } from '../src/index.js';

httpSuite('default instance', () => ({ stackless, hub }));
