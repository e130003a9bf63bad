/**
 * H8, forgotten ops: every op this module makes in a body must be run before that body's next op of this module
 * starts, and before the body ends.
 *
 * Invariants:
 * - An op is in its owner's `_unrun` list from its creation until its iterator is first obtained.
 * - Main's code is not a body (H8): ops made there have no owner and are never listed.
 * - A forgotten op is reported once: reporting empties the list.
 */
import { GreenletError } from '@greenstackless/greenlet';
import type { FixGreenlet } from './greenlet.js';
import type { TransferOp } from './transfer.js';

/** Records a new op of `owner` (not main) as not yet run. */
export function noteMade(owner: FixGreenlet, op: TransferOp): void {
  const list = owner._unrun;
  if (list === null) owner._unrun = [op];
  else list.push(op);
}

/** Records that `op`'s iterator has been obtained: it counts as run, by whichever greenlet. */
export function noteRun(owner: FixGreenlet, op: TransferOp): void {
  const list = owner._unrun!;
  // Ops are nearly always run in the order they are made, right after: the last one is the usual case.
  if (list[list.length - 1] === op) list.pop();
  else {
    const i = list.indexOf(op);
    if (i >= 0) list.splice(i, 1);
  }
}

/**
 * The error for `g`'s forgotten ops, or null if it has none; the list is emptied (reported once). `cause` is
 * given when the error replaces the error a body ended with.
 */
export function takeForgotten(g: FixGreenlet, cause?: { cause: unknown }): GreenletError | null {
  const list = g._unrun;
  if (list === null || list.length === 0) return null;
  const op = list[0];
  const more = list.length > 1 ? ` (and ${list.length - 1} more)` : '';
  list.length = 0;
  return new GreenletError(
    `${op.describe()} was made in ${g} but never run${more}: run an op with yield*, yield or sync (H8)`,
    cause,
  );
}
