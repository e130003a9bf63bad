/**
 * Random greenlet programs as data, and the fixed interpreter that runs one on any `GreenletModule` and writes
 * down everything observable: the tracer's events, what each switch, throw and parent change gave or threw, how
 * each greenlet started and ended, and the final state of every greenlet.
 *
 * A program is a few greenlets, each with a parent, maybe a `run`, and a script of actions, plus main's script.
 * Bodies switch softly (`yield*`); main uses `sync` at the top level, so no hard suspension ever nests (no H6).
 *
 * Invariants:
 * - Every program terminates: scripts are finite and each action runs at most once; when every script is done,
 *   every started greenlet has died and control is back in main.
 * - The interpreter uses only the module's members and `sync`; it removes its tracer when done.
 * - A body rethrows `GreenletExit` (so a throw kills it) and fatal `ProgramError`s; it logs and goes on after any
 *   other error.
 */
import fc from 'fast-check';
import { sync } from '@greenstackless/greenlet';
import type { GreenletLike, GreenletModule, Op } from '@greenstackless/greenlet';
import { Namer, ProgramError } from './trace.js';

/** One action. Indices are taken modulo the number of greenlets plus one, the last one being main. */
export type GreenletAction =
  | { op: 'switch'; g: number; nargs: number }
  | { op: 'throw'; g: number; error: 'none' | 'exit' | 'error' | 'fatal' }
  | { op: 'parent'; g: number; p: number }
  | { op: 'current' }
  | { op: 'forget'; g: number }
  | { op: 'hold'; g: number }
  | { op: 'runHeld' }
  | { op: 'setRun'; g: number; set: boolean };

export interface GreenletSpec {
  /** The constructor's parent: an index as above (main when it names main or a greenlet not made yet). */
  parent: number;
  /** The greenlet's `run`: a generator body (soft switches), a plain body (hard ones, through `sync`), or none. */
  body: 'generator' | 'plain' | 'none';
  script: GreenletAction[];
  /** How `run` ends after its script: a return, or a fatal `ProgramError`. */
  end: 'return' | 'raise';
}

export interface GreenletProgram {
  greenlets: GreenletSpec[];
  main: GreenletAction[];
  /** The tracer throws at its event of this index (G32), or never if negative. */
  traceThrowAt: number;
}

const index = fc.integer({ min: 0, max: 4 });

/** fast-check arbitrary of one action. */
export const greenletAction: fc.Arbitrary<GreenletAction> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('switch' as const), g: index, nargs: fc.integer({ min: 0, max: 2 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('throw' as const),
      g: index,
      error: fc.constantFrom('none' as const, 'exit' as const, 'error' as const, 'fatal' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('parent' as const), g: index, p: index }) },
  { weight: 1, arbitrary: fc.constant({ op: 'current' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('forget' as const), g: index }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('hold' as const), g: index }) },
  { weight: 1, arbitrary: fc.constant({ op: 'runHeld' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setRun' as const), g: index, set: fc.boolean() }) },
);

/**
 * fast-check arbitrary of a whole program: 1-4 greenlets (generator, plain or no bodies) with scripts of up to 5
 * actions, main up to 6, and maybe a tracer that throws.
 */
export const greenletProgram: fc.Arbitrary<GreenletProgram> = fc.record({
  greenlets: fc.array(
    fc.record({
      parent: index,
      body: fc.oneof(
        { weight: 4, arbitrary: fc.constant('generator' as const) },
        { weight: 1, arbitrary: fc.constant('plain' as const) },
        { weight: 1, arbitrary: fc.constant('none' as const) },
      ),
      script: fc.array(greenletAction, { maxLength: 5 }),
      end: fc.constantFrom('return' as const, 'raise' as const),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  main: fc.array(greenletAction, { minLength: 1, maxLength: 6 }),
  traceThrowAt: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) }),
});

/**
 * Runs `program` on `mod` from the module's main greenlet (the top level) and returns the trace.
 *
 * @example
 * ```ts
 * const trace = runGreenletProgram(native, { main: [{ op: 'switch', g: 0, nargs: 1 }],
 *   greenlets: [{ parent: 1, hasRun: true, script: [], end: 'return' }] });
 * ```
 */
export function runGreenletProgram(mod: GreenletModule, program: GreenletProgram): string[] {
  const log: string[] = [];
  const names = new Namer();
  const main = mod.getcurrent();
  names.add(main, 'main');
  const greenlets: GreenletLike[] = [];
  const n = program.greenlets.length;
  const target = (g: number): GreenletLike => (g % (n + 1) === n ? main : greenlets[g % (n + 1)]);
  let serial = 0;

  // `hold` makes a switch op and keeps it; `runHeld` runs the oldest op its script holds (H8: an op may run after
  // newer ones were made, and the one reported must be one that never ran).
  const op = (who: string, j: number, a: GreenletAction, held: Op<unknown>[]): Op<unknown> | null => {
    switch (a.op) {
      case 'runHeld':
        return held.shift() ?? null;
      case 'switch': {
        const args: unknown[] = [];
        for (let k = 0; k < a.nargs; k++) args.push(`${who}.${j}.${k}`);
        return target(a.g).switch(...args);
      }
      case 'throw':
        if (a.error === 'none') return target(a.g).throw();
        if (a.error === 'exit') return target(a.g).throw(new mod.GreenletExit(`X${++serial}`));
        return target(a.g).throw(new ProgramError(`E${++serial}`, a.error === 'fatal'));
      default:
        return null;
    }
  };
  // The actions that are no ops; `forget` makes an op and drops it (H8).
  const plain = (who: string, j: number, a: GreenletAction, held: Op<unknown>[]): unknown => {
    switch (a.op) {
      case 'hold':
        held.push(target(a.g).switch(`${who}.${j}.held`));
        return held.length;
      case 'runHeld':
        return 'nothing held';
      case 'parent':
        target(a.g).parent = target(a.p);
        return target(a.g).parent;
      case 'current':
        return mod.getcurrent();
      case 'forget':
        target(a.g).switch('forgotten');
        return undefined;
      case 'setRun':
        target(a.g).run = a.set ? makeRun(target(a.g)) : null;
        return target(a.g).run === undefined ? 'none' : 'set';
      default:
        throw new Error('not a plain action');
    }
  };
  const label = (a: GreenletAction): string => {
    switch (a.op) {
      case 'switch':
        return `switch(${names.value(target(a.g))}, ${a.nargs} args)`;
      case 'throw':
        return `throw(${names.value(target(a.g))}, ${a.error})`;
      case 'parent':
        return `parent(${names.value(target(a.g))} := ${names.value(target(a.p))})`;
      case 'forget':
        return `forget(${names.value(target(a.g))})`;
      case 'hold':
        return `hold(${names.value(target(a.g))})`;
      case 'setRun':
        return `setRun(${names.value(target(a.g))}, ${a.set})`;
      default:
        return a.op;
    }
  };

  // A greenlet's script, as a generator body (soft switches) or a plain one (hard switches through sync).
  const starting = (i: number, args: unknown[]): GreenletSpec => {
    const spec = program.greenlets[i];
    log.push(`G${i} starts with ${names.value(args)}`);
    return spec;
  };
  const ending = (i: number, spec: GreenletSpec): unknown => {
    log.push(`G${i} ends by ${spec.end}`);
    if (spec.end === 'raise') throw new ProgramError(`end of G${i}`, true);
    return `result of G${i}`;
  };
  const caught = (i: number, j: number, a: GreenletAction, e: unknown): void => {
    log.push(`G${i}.${j} ${label(a)} ! ${names.error(e)}`);
    if (e instanceof mod.GreenletExit || (e instanceof ProgramError && e.fatal)) throw e;
  };
  const generatorRun = (i: number) =>
    function* (...args: unknown[]): Generator<unknown, unknown, unknown> {
      const spec = starting(i, args);
      const held: Op<unknown>[] = [];
      for (let j = 0; j < spec.script.length; j++) {
        const a = spec.script[j];
        try {
          const o = op(`G${i}`, j, a, held);
          const r = o === null ? plain(`G${i}`, j, a, held) : yield* o;
          log.push(`G${i}.${j} ${label(a)} = ${names.value(r)}`);
        } catch (e) {
          caught(i, j, a, e);
        }
      }
      return ending(i, spec);
    };
  const plainRun = (i: number) =>
    function (...args: unknown[]): unknown {
      const spec = starting(i, args);
      const held: Op<unknown>[] = [];
      for (let j = 0; j < spec.script.length; j++) {
        const a = spec.script[j];
        try {
          const o = op(`G${i}`, j, a, held);
          const r = o === null ? plain(`G${i}`, j, a, held) : sync(o);
          log.push(`G${i}.${j} ${label(a)} = ${names.value(r)}`);
        } catch (e) {
          caught(i, j, a, e);
        }
      }
      return ending(i, spec);
    };
  // setRun gives a greenlet a generator body over its own script (main's, if it is main: G8 refuses it anyway).
  const makeRun = (g: GreenletLike) => generatorRun(Math.max(0, greenlets.indexOf(g)));
  for (let i = 0; i < n; i++) {
    const spec = program.greenlets[i];
    const parent = spec.parent % (n + 1) < i ? greenlets[spec.parent % (n + 1)] : main;
    const run = spec.body === 'generator' ? generatorRun(i) : spec.body === 'plain' ? plainRun(i) : null;
    const g = new mod.Greenlet(run, parent);
    greenlets.push(g);
    names.add(g, `G${i}`);
  }

  let events = 0;
  mod.settrace((event, origin, target) => {
    log.push(`trace ${event} ${names.value(origin)} -> ${names.value(target)}`);
    if (events++ === program.traceThrowAt) throw new ProgramError(`tracer at event ${program.traceThrowAt}`, false);
  });
  const mainHeld: Op<unknown>[] = [];
  try {
    for (let j = 0; j < program.main.length; j++) {
      const a = program.main[j];
      try {
        const o = op('main', j, a, mainHeld);
        const r = o === null ? plain('main', j, a, mainHeld) : sync(o);
        log.push(`main.${j} ${label(a)} = ${names.value(r)}`);
      } catch (e) {
        log.push(`main.${j} ${label(a)} ! ${names.error(e)}`);
      }
    }
  } finally {
    mod.settrace(null);
  }
  // H8: each of main's syncs reports the oldest op main made and left unrun, until none is left.
  for (let k = 0; k <= program.main.length; k++) {
    try {
      if (sync(main.switch('flush')) === 'flush') break;
    } catch (e) {
      log.push(`main flush ! ${names.error(e)}`);
    }
  }
  log.push(`current ${names.value(mod.getcurrent())}`);
  for (const g of greenlets) {
    log.push(
      `${names.value(g)}: dead=${g.dead} active=${g.active} run=${g.run === undefined ? 'none' : 'set'} ` +
        `parent=${names.value(g.parent)}`,
    );
  }
  return log;
}
