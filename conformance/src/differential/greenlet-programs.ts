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
  | { op: 'forget'; g: number };

export interface GreenletSpec {
  /** The constructor's parent: an index as above (main when it names main or a greenlet not made yet). */
  parent: number;
  /** Whether the greenlet has a `run`. */
  hasRun: boolean;
  script: GreenletAction[];
  /** How `run` ends after its script: a return, or a fatal `ProgramError`. */
  end: 'return' | 'raise';
}

export interface GreenletProgram {
  greenlets: GreenletSpec[];
  main: GreenletAction[];
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
);

/** fast-check arbitrary of a whole program: 1-4 greenlets with scripts of up to 5 actions, main up to 6. */
export const greenletProgram: fc.Arbitrary<GreenletProgram> = fc.record({
  greenlets: fc.array(
    fc.record({
      parent: index,
      hasRun: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      script: fc.array(greenletAction, { maxLength: 5 }),
      end: fc.constantFrom('return' as const, 'raise' as const),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  main: fc.array(greenletAction, { minLength: 1, maxLength: 6 }),
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

  const op = (who: string, j: number, a: GreenletAction): Op<unknown> | null => {
    switch (a.op) {
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
  const plain = (a: GreenletAction): unknown => {
    switch (a.op) {
      case 'parent':
        target(a.g).parent = target(a.p);
        return target(a.g).parent;
      case 'current':
        return mod.getcurrent();
      case 'forget':
        target(a.g).switch('forgotten');
        return undefined;
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
      default:
        return a.op;
    }
  };

  const makeRun = (i: number) =>
    function* (...args: unknown[]): Generator<unknown, unknown, unknown> {
      const spec = program.greenlets[i];
      log.push(`G${i} starts with ${names.value(args)}`);
      for (let j = 0; j < spec.script.length; j++) {
        const a = spec.script[j];
        try {
          const o = op(`G${i}`, j, a);
          const r = o === null ? plain(a) : yield* o;
          log.push(`G${i}.${j} ${label(a)} = ${names.value(r)}`);
        } catch (e) {
          log.push(`G${i}.${j} ${label(a)} ! ${names.error(e)}`);
          if (e instanceof mod.GreenletExit || (e instanceof ProgramError && e.fatal)) throw e;
        }
      }
      log.push(`G${i} ends by ${spec.end}`);
      if (spec.end === 'raise') throw new ProgramError(`end of G${i}`, true);
      return `result of G${i}`;
    };
  for (let i = 0; i < n; i++) {
    const spec = program.greenlets[i];
    const parent = spec.parent % (n + 1) < i ? greenlets[spec.parent % (n + 1)] : main;
    const g = new mod.Greenlet(spec.hasRun ? makeRun(i) : null, parent);
    greenlets.push(g);
    names.add(g, `G${i}`);
  }

  mod.settrace((event, origin, target) => {
    log.push(`trace ${event} ${names.value(origin)} -> ${names.value(target)}`);
  });
  try {
    for (let j = 0; j < program.main.length; j++) {
      const a = program.main[j];
      try {
        const o = op('main', j, a);
        const r = o === null ? plain(a) : sync(o);
        log.push(`main.${j} ${label(a)} = ${names.value(r)}`);
      } catch (e) {
        log.push(`main.${j} ${label(a)} ! ${names.error(e)}`);
      }
    }
  } finally {
    mod.settrace(null);
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
