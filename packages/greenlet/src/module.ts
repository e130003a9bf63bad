/**
 * `getcurrent` and `native`: the native implementation as the injectable GreenletModule
 * (packages/greenlet/README.md).
 */
import { GreenletError, GreenletExit } from './errors.js';
import { Greenlet } from './greenlet.js';
import * as runtime from './runtime.js';
import { gettrace, settrace } from './trace.js';
import type { GreenletModule } from './types.js';

// The runtime as the module's own constant: an imported binding is read through a cell and checked for the hole
// at every use (see opcodes.ts), and layers above call getcurrent() at every op.
const rt = runtime.rt;

/**
 * The running greenlet: inside a started `run`, that greenlet (G28); at the top level and in every event-loop
 * callback, the main greenlet (G27).
 *
 * @example
 * ```ts
 * import { getcurrent } from '@greenstackless/greenlet';
 * String(getcurrent()); // => 'Greenlet#main'
 * ```
 */
export function getcurrent(): Greenlet {
  return rt.current;
}

/** This implementation as a GreenletModule, to give to `createStackless` (packages/greenlet/README.md). */
export const native: GreenletModule = Object.freeze({
  Greenlet,
  getcurrent,
  GreenletExit,
  GreenletError,
  settrace,
  gettrace,
}) as unknown as GreenletModule;
