/**
 * The greenlet behaviour suite: docs/greenlet.md (G1-G33) and docs/switching.md (H1-H10), and greenlet's own test
 * suite and documentation examples ported, as vitest blocks parameterized by an implementation.
 *
 * Invariants:
 * - `make` is called lazily, once per test (in `beforeEach`), inside the test's top level: greenlet-fix modules
 *   and towers must be made in their instance's main.
 * - Tests use only the module's members, the native `sync` and the public types; never internals.
 * - Every test removes its tracer and leaves no greenlet hard-suspended in a pending `sync`.
 *
 * Ported from python-greenlet/greenlet: test_greenlet.py, test_throw.py, test_generator.py,
 * test_generator_nested.py, test_tracing.py and the examples of docs/ (each topic file says what it took and what
 * it skipped). Skipped whole: test_gc, test_leaks, test_weakref, test_greenlet_trash, test_stack_saved, test_cpp,
 * test_extension_interface, test_contextvars, test_interpreter_shutdown, test_version (GC, refcounts, C internals,
 * threads, pickling: M6, M7; contextvars have no JavaScript counterpart).
 */
import { describe } from 'vitest';
import type { GreenletModule } from '@greenstackless/greenlet';
import { switching } from './switching.js';
import { runAttribute } from './run-attribute.js';
import { death } from './death.js';
import { throwing } from './throw.js';
import { parent } from './parent.js';
import { mainGreenlet } from './main-greenlet.js';
import { tracing } from './tracing.js';
import { ops } from './ops.js';
import { hardSync } from './sync.js';
import { forgottenAndPlain } from './forgotten-and-plain.js';
import { stack } from './stack.js';
import { generators } from './generators.js';
import { guiExample } from './gui-example.js';
import { robustness } from './robustness.js';

const topics = [
  switching, runAttribute, death, throwing, parent, mainGreenlet, tracing, // §1: G1-G33
  ops, hardSync, forgottenAndPlain, stack, // §2: H1-H10 (stack: G15, H10)
  generators, guiExample, // the documentation's examples
  robustness, // hostile values and stack overflow
];

/**
 * Registers the greenlet behaviour suite for one implementation.
 *
 * @param name what the `describe` block is called, e.g. `'native'` or `'fix(stackless(native))'`.
 * @param make gives the module under test; called once per test, at the test's top level.
 *
 * @example
 * ```ts
 * import { native } from '@greenstackless/greenlet';
 * import { greenletSuite } from '@greenstackless/conformance';
 * greenletSuite('native', () => native);
 * ```
 */
export function greenletSuite(name: string, make: () => GreenletModule): void {
  describe(`greenlet suite: ${name}`, () => {
    for (const topic of topics) topic(make);
  });
}
