/**
 * H8, forgotten ops: every op this module makes in a body must be run before that body's next op of this module
 * starts, and before the body ends.
 *
 * Invariants:
 * - An op is in its owner's `_unrun` list from its creation until its iterator is first obtained.
 * - Main's code is not a body (H8): ops made there have no owner and are never listed.
 * - A forgotten op is reported once: reporting takes the oldest one off the list.
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
 * The error for `g`'s oldest forgotten op, or null if it has none; that op will not be reported again. `cause`
 * is given when the error replaces the result or the error a body ended with.
 */
export function takeForgotten(g: FixGreenlet, cause?: { cause: unknown }): GreenletError | null {
  const list = g._unrun;
  if (list === null || list.length === 0) return null;
  const op = list.shift()!; // the oldest; any others are reported at the next check
  return new GreenletError(
    `the op ${op.describe()} made in ${g} was never run: run ops with yield*, yield or sync() (H8)`,
    cause,
  );
}
