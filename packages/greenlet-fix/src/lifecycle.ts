/**
 * The life of a greenlet in its tasklet: the start (§1.2), `run`, and the death walk to the parent (§1.3, F4, F5).
 *
 * `greenletBody(g)` is the function of `g`'s tasklet. It takes the start delivery, runs `run` (its generator in a
 * `BodyFrame`), and at the end hands the result or error to the first live ancestor with a directed tasklet
 * switch, as a transfer op does. The dying tasklet never ends in the Stackless sense (F5: no error handler, no
 * `W`): the receiver unbinds it on arrival.
 *
 * Invariants:
 * - Every greenlet that gets control does so in its own tasklet: a greenlet started with an error pending
 *   (G14, G19) is started for real and dies at once, so the tracer always runs in the target's tasklet (G31).
 * - The walk skips dead ancestors and, with a `TypeError` "run", unstarted ones that have no `run` (G14); it is a
 *   loop (G15, H10). Main ends every chain.
 * - A death is never trapped (F3): the switch trap is lifted for the switch and put back by the receiver.
 * - Until the end is handed over, the body holds its outcome in two locals: `failed`, and the value or error.
 */
import {
  GreenletError, GreenletExit, isInstance, isThenable, messageOf, OP_BRAND, thenableBodyError, unwind,
} from '@greenstackless/greenlet';
import * as codesModule from './codes.js';
import { takeForgotten } from './forgotten.js';
import { BodyFrame } from './frame.js';
import { arrive, clearDelivery, isDead, start, unstart } from './state.js';
import type { GreenletFields } from './state.js';

// Imported names as the module's own constants, which V8 folds (docs/v8.md#modules-and-variables).
const { DEAD, ERROR, START, START_ERROR, UNSTARTED, VALUE } = codesModule;

const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype;

/** The function of the tasklet behind `g`, from its start to its death. */
export function* greenletBody(g: GreenletFields): Generator<unknown, void, unknown> {
  let failed = false;
  let outcome: unknown;
  try {
    const r = callRun(g, takeStart(g));
    if (isGenerator(r)) outcome = yield new BodyFrame(r as Generator<unknown, unknown, unknown>);
    else if (isFrame(r)) outcome = yield r; // H9: an op or a generator object runs as the rest of the body
    else if (isThenable(r)) throw thenableBodyError(String(g)); // H9: g dies with the refusal
    else outcome = r;
  } catch (e) {
    failed = true;
    outcome = e;
  }
  // H8: a forgotten op of this module replaces the outcome, which becomes its cause. The instance reports its own
  // at its next op in this tasklet, which never ends: one that does nothing (T15) makes its report g's end.
  const forgotten = takeForgotten(g, { cause: outcome });
  if (forgotten !== null) {
    failed = true;
    outcome = forgotten;
  } else {
    try {
      yield g._tasklet!.switch();
    } catch (e) {
      failed = true;
      outcome = e;
    }
  }
  g._state = DEAD;
  g._run = undefined; // a greenlet that started with an error never called it
  if (failed && isInstance(outcome, GreenletExit)) failed = false; // G13

  // §1.3, G25: the receiver is the first live ancestor, by the parents at the time of death. G14: an unstarted one
  // without run stays unstarted, and a TypeError "run" goes on up from it.
  let r = liveAncestor(g);
  while (r._state === UNSTARTED && r._run === undefined) {
    outcome = new TypeError(`${r} has no run to start with what ${g} delivered (G14)`, { cause: outcome });
    failed = true;
    r = liveAncestor(r);
  }
  const fresh = r._state === UNSTARTED;
  if (!deliverEnd(r, fresh, failed, outcome)) {
    yield unwind(notWaitingEnd(g, r, outcome)); // F9, H7: unwind never comes back here
    return;
  }
  const trap = handOver(g, r);
  try {
    yield r._tasklet!.switch();
  } catch (refusal) {
    // The switch was refused (H6): the delivery is taken back and the error goes to the innermost sync (H7).
    takeBack(r, fresh, trap);
    yield unwind(refusedEnd(g, r, refusal, outcome));
  }
}

/** G31, G32: takes the start delivery; gives run's arguments, or throws the error `g` starts with. */
function takeStart(g: GreenletFields): unknown[] {
  const mod = g._mod;
  arrive(mod, g);
  const kind = g._dKind;
  const value = g._dValue;
  const origin = g._dOrigin!;
  clearDelivery(g);
  // The tracer sees the start before run; if it throws, run is never called and g dies with that.
  if (mod.tracer !== null && mod.trace(kind === START_ERROR ? 'throw' : 'switch', origin, g)) {
    throw mod.takeTraceError();
  }
  if (kind === START_ERROR) throw value;
  return value as unknown[];
}

/** G3, G10: calls `g`'s run with `this` the greenlet. Its run is taken at the start, whatever the start brings. */
function callRun(g: GreenletFields, args: unknown[]): unknown {
  const run = g._run!;
  g._run = undefined;
  return run.apply(g, args);
}

/** The first ancestor of `g` that is not dead (G16, G25); main ends every chain. */
function liveAncestor(g: GreenletFields): GreenletFields {
  let r = g._parent!;
  while (isDead(r)) r = r._parent!;
  return r;
}

/**
 * Writes an end into its receiver `r`: a start (G14: as run(v), or with the error pending) or a delivery. False,
 * and nothing written, if `r` is started and not waiting in a transfer of this module (F9).
 */
function deliverEnd(r: GreenletFields, fresh: boolean, failed: boolean, outcome: unknown): boolean {
  if (fresh) start(r, failed ? START_ERROR : START, failed ? outcome : [outcome]);
  else if (!r._waiting) return false;
  else {
    r._dKind = failed ? ERROR : VALUE;
    r._dValue = outcome;
  }
  return true;
}

/**
 * The rest of a death's delivery to `r`, before the switch: the origin, the tasklet to unbind on arrival, the
 * switch trap lifted (F3) and the dying tasklet atomic. Returns the trap, for `takeBack`.
 */
function handOver(g: GreenletFields, r: GreenletFields): number {
  r._dOrigin = g;
  r._dFrom = g._tasklet;
  const sl = g._mod.sl;
  const trap = sl.switchTrap(0);
  if (trap !== 0) sl.switchTrap(-trap);
  r._dTrap = trap;
  g._tasklet!.setAtomic(true);
  return trap;
}

/** Undoes a death's delivery to `r` that the instance refused: the start it made, the trap it lifted. */
function takeBack(r: GreenletFields, fresh: boolean, trap: number): void {
  if (fresh) unstart(r);
  else clearDelivery(r);
  r._dFrom = null;
  r._dTrap = 0;
  if (trap !== 0) r._mod.sl.switchTrap(trap);
}

function notWaitingEnd(g: GreenletFields, r: GreenletFields, outcome: unknown): GreenletError {
  return new GreenletError(
    `${g} ended, but its parent ${r} is not waiting in a greenlet switch, so nothing can receive its end (F9, H7)`,
    { cause: outcome },
  );
}

function refusedEnd(g: GreenletFields, r: GreenletFields, refusal: unknown, outcome: unknown): GreenletError {
  return new GreenletError(`${g} ended, but its end cannot be delivered to ${r}: ${messageOf(refusal)} (H7)`, {
    cause: outcome,
  });
}

/** H9: a plain body that returns an op or a generator object runs it as the rest of the body. */
function isFrame(r: unknown): boolean {
  if (r === null || (typeof r !== 'object' && typeof r !== 'function')) return false;
  try {
    return (r as any)[OP_BRAND] === true || GeneratorPrototype.isPrototypeOf(r);
  } catch {
    return false; // a revoked Proxy, or a throwing trap: a plain value (values.ts of the greenlet package)
  }
}

function isGenerator(r: unknown): boolean {
  try {
    return GeneratorPrototype.isPrototypeOf(r);
  } catch {
    return false;
  }
}
