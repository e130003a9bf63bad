/**
 * The Stackless behaviour suite: `stacklessSuite(name, make)` registers vitest blocks that check an
 * implementation of the `Stackless` interface (packages/greenstackless/README.md) against docs/stackless.md, one
 * topic per module.
 *
 * Invariants:
 * - `make()` runs in `beforeEach` (never at import time) at the test's top level, which is the main tasklet; it
 *   may give a shared instance or a fresh one. Every test leaves the instance clean (harness.ts checks it).
 * - Tests use only the instance's members, the error classes exported by `greenstackless`, and `sync` from
 *   `@greenstackless/greenlet`. Test names cite the rule they check.
 */
import { describe } from 'vitest';
import type { Stackless } from 'greenstackless';
import { useInstance } from './harness.js';
import { atomicTests } from './atomic.js';
import { bindTests } from './bind.js';
import { callbackTests } from './callbacks.js';
import { channelTests } from './channel.js';
import { channelExceptionTests } from './channelExceptions.js';
import { deadlockTests } from './deadlock.js';
import { hardSoftTests } from './hardsoft.js';
import { instanceTests } from './instances.js';
import { iterationTests } from './iteration.js';
import { lifecycleTests } from './lifecycle.js';
import { misuseTests } from './misuse.js';
import { preemptionTests } from './preemption.js';
import { preferenceTests } from './preference.js';
import { robustnessTests } from './robustness.js';
import { runQueueTests } from './runqueue.js';
import { scheduleTests } from './schedule.js';
import { throwTests } from './throw.js';
import { watchdogTests } from './watchdog.js';

/**
 * Registers the Stackless behaviour suite for one implementation.
 *
 * @param name - the implementation's name, shown as the outer `describe`.
 * @param make - gives the instance for one test; called at the top level of each test.
 * @param makeOther - when `make` gives a shared instance, gives a second, distinct one for the tests that need
 *   two (S3); without it, those tests are skipped with a reason.
 * @example
 * ```ts
 * import { stackless } from 'greenstackless';
 * import { stacklessSuite } from '@greenstackless/conformance';
 * stacklessSuite('default instance', () => stackless);
 * ```
 */
export function stacklessSuite(name: string, make: () => Stackless, makeOther?: () => Stackless): void {
  describe(`stackless: ${name}`, () => {
    const ctx = useInstance(make);
    describe('tasklet lifecycle and attributes', () => lifecycleTests(ctx));
    describe('bind and setup', () => bindTests(ctx));
    describe('insert, remove, run, switch', () => runQueueTests(ctx));
    describe('schedule and scheduleRemove', () => scheduleTests(ctx));
    describe('kill, throw, raiseException', () => throwTests(ctx));
    describe('channels: send and receive', () => channelTests(ctx));
    describe('channels: preference and scheduleAll', () => preferenceTests(ctx));
    describe('channels: exceptions and sequences', () => channelExceptionTests(ctx));
    describe('channels: iteration, close and open', () => iterationTests(ctx));
    describe('deadlock', () => deadlockTests(ctx));
    describe('soft and hard switching in tasklets', () => hardSoftTests(ctx));
    describe('run() and the watchdog', () => watchdogTests(ctx));
    describe('preemption', () => preemptionTests(ctx));
    describe('atomic, switchTrap, blockTrap', () => atomicTests(ctx));
    describe('callbacks and the error handler', () => callbackTests(ctx));
    describe('instances', () => instanceTests(ctx, make, makeOther));
    describe('misuse', () => misuseTests(ctx));
    describe('robustness: hostile values, other instances, stack overflow', () => robustnessTests(ctx, make, makeOther));
  });
}
