/**
 * The default module: `createGreenlet()` on greenstackless' default instance, made when the package loads, in
 * that instance's main tasklet (F1). Its members are the package's named exports.
 *
 * Invariant: the package is loaded at a program's top level (native main, the default instance's main tasklet);
 * loaded from inside a tasklet, `createGreenlet()` throws F1's `GreenletError`.
 */
import { createGreenlet } from './create.js';
import type { FixGreenlet } from './greenlet.js';

/**
 * `createGreenlet()` on greenstackless' default instance: the module whose members are exported by name.
 *
 * @example
 * ```ts
 * import { createStackless } from 'greenstackless';
 * import { greenletFix } from '@greenstackless/greenlet-fix';
 * const tower = createStackless(greenletFix); // Stackless on greenlets on the default instance's tasklets
 * ```
 */
export const greenletFix = createGreenlet();

/**
 * The default module's greenlet class.
 *
 * @example
 * ```ts
 * import { sync } from '@greenstackless/greenlet';
 * import { Greenlet } from '@greenstackless/greenlet-fix';
 * sync(new Greenlet((a: number, b: number) => a + b).switch(1, 2)); // 3
 * ```
 */
export const Greenlet = greenletFix.Greenlet;
export type Greenlet = FixGreenlet;

/**
 * The running greenlet of the default module: main at the top level, a stand-in in a tasklet it did not make (F7).
 *
 * @example
 * ```ts
 * import { getcurrent } from '@greenstackless/greenlet-fix';
 * getcurrent().parent; // null: main
 * ```
 */
export const getcurrent = greenletFix.getcurrent;

/**
 * Installs the default module's tracer, called for each delivery of control; returns the previous one or null
 * (G29-G33).
 *
 * @example
 * ```ts
 * import { settrace } from '@greenstackless/greenlet-fix';
 * settrace((event, origin, target) => console.log(`${event} ${origin} -> ${target}`));
 * settrace(null);
 * ```
 */
export const settrace = greenletFix.settrace;

/**
 * The default module's tracer, or null (G29).
 *
 * @example
 * ```ts
 * import { gettrace } from '@greenstackless/greenlet-fix';
 * gettrace(); // null until settrace(fn)
 * ```
 */
export const gettrace = greenletFix.gettrace;
