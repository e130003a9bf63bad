// Differential testing: random programs, run on two stacks that must behave the same, compared trace for trace.
// A failing program shrinks to a minimal one (programs are data read by a fixed interpreter). DIFF_RUNS raises
// the number of programs per property (default 200): DIFF_RUNS=10000 npx vitest run conformance/test/differential.test.ts
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { native } from '@greenstackless/greenlet';
import { createStackless } from 'greenstackless';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import {
  diffRuns,
  greenletProgram,
  runGreenletProgram,
  runStacklessProgram,
  stacklessProgram,
} from '../src/differential/index.js';

/** Room for DIFF_RUNS programs: a few ms each on the deepest tower. */
const TIMEOUT = Math.max(60_000, diffRuns() * 10);

describe('differential: Stackless programs on stackless(native) and stackless(fix(stackless(native)))', () => {
  it('the interpreter records who ran, what each action gave, and the final states', () => {
    const trace = runStacklessProgram(createStackless(native), {
      channels: 1,
      tasklets: [
        { body: 'generator', script: [{ op: 'send', ch: 0, value: 7 }] },
        { body: 'plain', script: [{ op: 'receive', ch: 0 }] },
      ],
      main: [],
      timeout: 0,
      soft: false,
    });
    // T0's send blocks (C5); T1's receive takes the value from the blocked sender and, preference -1, the
    // receiving caller continues (C6); T0 resumes when T1 ends (T20).
    expect(trace).toEqual([
      'switch main -> T0',
      'T0 starts',
      'switch T0 -> T1',
      'T1 starts',
      'T1.0 receive(C0) = 7',
      'T1 ends',
      'switch T1 -> T0',
      'T0.0 send(C0, 7) = undefined',
      'T0 ends',
      'switch T0 -> main',
      'main run() = null',
      'current main, runcount 1',
      'T0: alive=false paused=false blocked=false scheduled=false tempval=undefined next=null prev=null',
      'T1: alive=false paused=false blocked=false scheduled=false tempval=undefined next=null prev=null',
      'C0: balance=0 closing=false closed=false preference=-1 queue=[]',
    ]);
  });

  it('random programs give the same trace on both stacks (and on stackless(fix(stackless(fix(stackless(native))))))', () => {
    fc.assert(
      fc.property(stacklessProgram, (program) => {
        const flat = runStacklessProgram(createStackless(native), program);
        const tower = runStacklessProgram(createStackless(createGreenlet(createStackless(native))), program);
        expect(tower).toEqual(flat);
        const high = createStackless(createGreenlet(createStackless(createGreenlet(createStackless(native)))));
        expect(runStacklessProgram(high, program)).toEqual(flat);
      }),
      { numRuns: diffRuns() },
    );
  }, TIMEOUT);
});

describe('differential: greenlet programs on native and fix(stackless(native))', () => {
  it('the interpreter records the tracer, each action, each start and end, and the final states', () => {
    const trace = runGreenletProgram(native, {
      greenlets: [{ parent: 1, body: 'generator', script: [{ op: 'switch', g: 1, nargs: 2 }], end: 'return' }],
      main: [{ op: 'switch', g: 0, nargs: 1 }, { op: 'switch', g: 0, nargs: 0 }, { op: 'switch', g: 0, nargs: 0 }],
      traceThrowAt: -1,
    });
    expect(trace).toEqual([
      'trace switch main -> G0',
      'G0 starts with ["main.0.0"]',
      'trace switch G0 -> main',
      'main.0 switch(G0, 1 args) = ["G0.0.0", "G0.0.1"]',
      'trace switch main -> G0',
      'G0.0 switch(main, 2 args) = undefined',
      'G0 ends by return',
      'trace switch G0 -> main',
      'main.1 switch(G0, 0 args) = "result of G0"',
      'trace switch main -> main', // G16: G0 is dead, its parent main is the caller
      'main.2 switch(G0, 0 args) = undefined',
      'current main',
      'G0: dead=true active=false run=none parent=main',
    ]);
  });

  it('random programs give the same trace on both modules (and on fix(stackless(fix(stackless(native)))))', () => {
    fc.assert(
      fc.property(greenletProgram, (program) => {
        const expected = runGreenletProgram(native, program);
        const actual = runGreenletProgram(createGreenlet(createStackless(native)), program);
        expect(actual).toEqual(expected);
        const tower = createGreenlet(createStackless(createGreenlet(createStackless(native))));
        expect(runGreenletProgram(tower, program)).toEqual(expected);
      }),
      { numRuns: diffRuns() },
    );
  }, TIMEOUT);
});
