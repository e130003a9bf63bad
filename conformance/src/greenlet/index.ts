/**
 * The greenlet behaviour suite: SEMANTICS.md §1 (G1-G33) and §2 (H1-H10), and greenlet's own test suite and
 * documentation examples ported, as vitest blocks parameterized by an implementation.
 *
 * Invariants:
 * - `make` is called lazily, once per test (in `beforeEach`), inside the test's top level: greenlet-fix modules
 *   and towers must be made in their instance's main.
 * - Tests use only the module's members, the native `sync` and the public types; never internals.
 * - Every test removes its tracer and leaves no greenlet hard-suspended in a pending `sync`.
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
import { softHard } from './soft-hard.js';
import { stack } from './stack.js';
import { generators } from './generators.js';

const topics = [switching, runAttribute, death, throwing, parent, mainGreenlet, tracing, softHard, generators, stack];

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
