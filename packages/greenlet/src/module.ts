/**
 * `getcurrent` and `native`: the native implementation as the injectable GreenletModule
 * (packages/greenlet/README.md).
 *
 * Invariant: `native` is frozen, and its members are this package's own exports.
 */
import { GreenletError, GreenletExit } from './errors.js';
import { Greenlet } from './greenlet.js';
import * as runtime from './runtime.js';
import { gettrace, settrace } from './trace.js';
import type { GreenletModule } from './types.js';

// Own constant, not an imported binding: layers call getcurrent() at every op (docs/v8.md#imported-bindings).
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
