// Runs the socket suite on the default instance's hub.
import { stackless } from 'greenstackless';
import { getHub } from '@greenstackless/io';
import { netSuite } from '../src/index.js';

netSuite('default instance', () => ({ stackless, hub: getHub(stackless) }));
