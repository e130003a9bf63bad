// Runs the hub suite on the default instance and its hub; hubs with options get fresh native instances.
import { createStackless, stackless } from 'greenstackless';
import { hub } from '@greenstackless/io';
import { ioSuite } from '../src/index.js';

ioSuite('default instance', () => ({ stackless, hub }), () => createStackless(), { nativeTasklets: true });
