/**
 * The programs family's programs compute what they claim and check it: the sieves find the first primes, the rings
 * bring the token back after every hop, the pipelines sum the odd squares, on the default instance, on a tower and
 * with async/await; every case runs twice, as tinybench runs it many times.
 */
import { describe, expect, it } from 'vitest';
import * as greenletPackage from '@greenstackless/greenlet';
import * as fix from '@greenstackless/greenlet-fix';
import * as stacklessPackage from 'greenstackless';
import type { GreenletApi, GreenletModule, StacklessLike } from '../src/api.js';
import type { Case } from '../src/measure.js';
import {
  firstPrimes,
  greenletRingProgram,
  oddSquareSum,
  pipelineAsyncProgram,
  pipelineProgram,
  ringAsyncProgram,
  ringProgram,
  sieveAsyncProgram,
  sieveProgram,
} from '../src/programs.js';

const g = greenletPackage as unknown as GreenletApi;
const st = stacklessPackage.stackless as unknown as StacklessLike;

async function runTwice(c: Case): Promise<void> {
  expect(c.ops).toBe(1);
  await c.run();
  await c.run();
}

describe('bench programs', () => {
  it('the reference results: the first primes by trial division, the sum of the odd squares by a loop', () => {
    expect(firstPrimes(10)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect(firstPrimes(1_000).at(-1)).toBe(7_919);
    expect(oddSquareSum(5)).toBe(1 + 9 + 25);
  });

  it('the prime sieves find the first 100 primes, with tasklets and with async/await', async () => {
    await runTwice(sieveProgram(g, st, 100));
    await runTwice(sieveAsyncProgram(100));
  });

  it('the token rings bring the token back after size x laps hops and leave main alone in the run queue', async () => {
    await runTwice(ringProgram(g, st, 50, 3));
    expect(st.runcount).toBe(1);
    await runTwice(ringAsyncProgram(50, 3));
  });

  it('the greenlet token ring runs on native greenlets and on greenlet-fix', async () => {
    await runTwice(greenletRingProgram(g, greenletPackage.native, 50, 3));
    await runTwice(greenletRingProgram(g, fix.createGreenlet() as GreenletModule, 50, 3));
  });

  it('the pipelines sum the odd squares, on the default instance, on S/fix/S/native and with async/await', async () => {
    await runTwice(pipelineProgram(g, st, 200));
    expect(st.runcount).toBe(1);
    const { createStackless } = stacklessPackage;
    const tower = createStackless(fix.createGreenlet(createStackless(greenletPackage.native)));
    await runTwice(pipelineProgram(g, tower as unknown as StacklessLike, 200));
    await runTwice(pipelineAsyncProgram(200));
  });
});
