/**
 * The life of a greenlet in its tasklet: the start (§1.2), `run`, and the death walk to the parent (§1.3, F4, F5).
 *
 * `greenletBody(g)` is the function of `g`'s tasklet. It consumes the start delivery, runs `run` (its generator
 * as a nested frame), and at the end hands the result or error to the first live ancestor with a directed
 * tasklet switch, exactly like a transfer op. The dying tasklet never ends in the Stackless sense (F5: no error
 * handler, no `W`): the receiver unbinds it on arrival.
 *
 * Invariants:
 * - Every greenlet that gets control does so in its own tasklet: a greenlet started with an error pending
 *   (G14, G19) is started for real and dies at once, so the tracer always runs in the target's tasklet (G31).
 * - The walk skips dead ancestors and, with a `TypeError` "run", unstarted ones that have no `run` (G14); it is a
 *   loop (G15, H10). Main ends every chain.
 * - A death is never trapped (F3): the switch trap is lifted for the switch and put back by the receiver.
 */
import {
  GreenletError, GreenletExit, isInstance, isThenable, messageOf, OP_BRAND, thenableBodyError, unwind,
} from '@greenstackless/greenlet';
import type { Body } from '@greenstackless/greenlet';
import type { Tasklet } from 'greenstackless';
import * as codesModule from './codes.js';
import { type FixGreenlet, isDead } from './greenlet.js';
import { takeForgotten } from './forgotten.js';
import { BodyFrame } from './frame.js';
import { arrive, clearDelivery } from './transfer.js';

// The codes as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { DEAD, ERROR, START, START_ERROR, STARTED, UNSTARTED, VALUE } = codesModule;

const GeneratorPrototype = Object.getPrototypeOf(function* () {}).prototype;

/** H9: a plain body that returns an op or a generator object runs it as the rest of the body. */
function isFrame(r: unknown): boolean {
  if (r === null || (typeof r !== 'object' && typeof r !== 'function')) return false;
  try {
    return (r as any)[OP_BRAND] === true || GeneratorPrototype.isPrototypeOf(r);
  } catch {
    return false; // a revoked Proxy, or a throwing trap: a plain value (values.ts of the greenlet package)
  }
}

/** The function of the tasklet behind `g`, from its start to its death. */
export function* greenletBody(g: FixGreenlet): Generator<unknown, void, unknown> {
  const mod = g._mod;
  arrive(mod, g);
  let failed = g._dKind === START_ERROR;
  let outcome = g._dValue;
  const origin = g._dOrigin!;
  clearDelivery(g);
  const run = g._run as Body; // read in the caller before anything else (G9); the start makes it undefined
  g._run = undefined;
  // G31, G32: the tracer sees the start before run; if it throws, run is never called and g dies with that.
  if (mod.tracer !== null && mod.trace(failed ? 'throw' : 'switch', origin, g)) {
    failed = true;
    outcome = mod.takeTraceError();
  }
  if (!failed) {
    try {
      let r = run.apply(g, outcome as unknown[]); // G3, G10: `this` is the greenlet
      // The body's generator runs in a BodyFrame, which runs its switches inside itself (frame.ts).
      if (isGenerator(r)) r = yield new BodyFrame(r as Generator<unknown, unknown, unknown>);
      else if (isFrame(r)) r = yield r;
      else if (isThenable(r)) throw thenableBodyError(String(g)); // H9: g dies with the refusal
      outcome = r;
    } catch (e) {
      failed = true;
      outcome = e;
    }
  }
  // H8: a forgotten op replaces the result or the error, which becomes its cause.
  const forgotten = takeForgotten(g, { cause: outcome });
  const t = g._tasklet!;
  if (forgotten !== null) {
    failed = true;
    outcome = forgotten;
  } else {
    // The instance reports its own forgotten ops at its next op in this tasklet, which never ends: run one that
    // does nothing (the current tasklet's switch, T15), so that its report is this greenlet's end.
    try {
      yield t.switch();
    } catch (e) {
      failed = true;
      outcome = e;
    }
  }
  g._state = DEAD;
  if (failed && isInstance(outcome, GreenletExit)) failed = false; // G13

  // §1.3: the receiver is the first ancestor that is not dead, by the parents at the time of death (G25).
  let r = g._parent!;
  for (;;) {
    while (isDead(r)) r = r._parent!;
    if (r._state !== UNSTARTED || r._run !== undefined) break;
    // G14: an unstarted receiver without run stays unstarted, and a TypeError "run" goes on up from it.
    outcome = new TypeError(`${r} has no run to start with what ${g} delivered (G14)`, { cause: outcome });
    failed = true;
    r = r._parent!;
  }
  let to: Tasklet;
  const fresh = r._state === UNSTARTED;
  if (fresh) {
    // G14: an unstarted receiver starts as run(v), or with the error pending.
    to = new mod.sl.Tasklet(greenletBody, [r]);
    r._tasklet = to;
    r._state = STARTED;
    mod.byTasklet.set(to, r);
    r._dKind = failed ? START_ERROR : START;
    r._dValue = failed ? outcome : [outcome];
  } else if (!r._waiting) {
    // F9: a death whose receiver is not waiting in a transfer of this module is handled as H7.
    yield unwind(
      new GreenletError(
        `${g} ended, but its parent ${r} is not waiting in a greenlet switch, so nothing can receive its end (F9, H7)`,
        { cause: outcome },
      ),
    );
    return; // never reached: unwind leaves this greenlet suspended for good
  } else {
    to = r._tasklet!;
    r._dKind = failed ? ERROR : VALUE;
    r._dValue = outcome;
  }
  r._dOrigin = g;
  r._dFrom = t;
  const sl = mod.sl;
  const trap = sl.switchTrap(0);
  if (trap !== 0) sl.switchTrap(-trap);
  r._dTrap = trap;
  t.setAtomic(true);
  try {
    yield to.switch();
  } catch (refusal) {
    // The switch was refused (H6): undo the delivery and hand the GreenletError to the innermost sync (H7).
    clearDelivery(r);
    r._dFrom = null;
    r._dTrap = 0;
    if (trap !== 0) sl.switchTrap(trap);
    if (fresh) {
      mod.byTasklet.delete(to);
      r._tasklet = null;
      r._state = UNSTARTED;
    }
    yield unwind(
      new GreenletError(`${g} ended, but its end cannot be delivered to ${r}: ${messageOf(refusal)} (H7)`, {
        cause: outcome,
      }),
    );
  }
}

function isGenerator(r: unknown): boolean {
  try {
    return GeneratorPrototype.isPrototypeOf(r);
  } catch {
    return false;
  }
}
