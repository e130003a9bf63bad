/**
 * The `tempval` slot's carrier (T10): a pending error travels in a tasklet's `tempval` wrapped in a Carrier, so
 * that writing the slot discards it and copying the slot to another tasklet copies the error.
 *
 * Invariant: an op that resumes claims its caller's `tempval` (takes it and resets it to undefined); a claimed
 * Carrier is thrown, never given.
 */
import type { TaskletImpl } from './tasklet.js';

/** False until the first Carrier is made: until then no tempval can hold one, and claims skip the check. */
let carriersMade = false;

/** An opaque box for an error in a `tempval` (T10). */
export class Carrier {
  readonly error: unknown;
  constructor(error: unknown) {
    carriersMade = true;
    this.error = error;
  }
  toString(): string {
    return '[pending error]';
  }
}

/** Takes `t.tempval`, resets the slot, and gives the value or throws a carried error (T10, T11). */
export function claim(t: TaskletImpl): unknown {
  const v = t.tempval;
  t.tempval = undefined;
  // Most tempvals are primitives: the typeof test spares them the prototype walk of `instanceof`.
  if (carriersMade && typeof v === 'object' && v !== null && isCarrier(v)) throw (v as Carrier).error;
  return v;
}

/** `v instanceof Carrier`, false for any value on which `instanceof` throws (a revoked Proxy in a tempval). */
export function isCarrier(v: unknown): boolean {
  try {
    return v instanceof Carrier;
  } catch {
    return false;
  }
}
