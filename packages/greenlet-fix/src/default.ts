/**
 * The default module: `createGreenlet()` on greenstackless' default instance, made when the package loads, in
 * that instance's main tasklet (F1). Its members are the package's named exports.
 */
import { createGreenlet } from './create.js';
import type { FixGreenlet } from './greenlet.js';

/** `createGreenlet()` on greenstackless' default instance. */
export const greenletFix = createGreenlet();

/** The default module's greenlet class. */
export const Greenlet = greenletFix.Greenlet;
export type Greenlet = FixGreenlet;
/** The running greenlet of the default module (a stand-in in a tasklet it did not make, F7). */
export const getcurrent = greenletFix.getcurrent;
/** Installs the default module's tracer; returns the previous one or null (G29). */
export const settrace = greenletFix.settrace;
/** The default module's tracer, or null (G29). */
export const gettrace = greenletFix.gettrace;
