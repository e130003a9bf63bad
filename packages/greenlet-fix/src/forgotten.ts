/**
 * H8, forgotten ops: every op this module makes in a body must be run before that body's next op of this module
 * starts, and before the body ends.
 *
 * Invariants:
 * - From its creation until its iterator is first obtained, an op is its owner's `_lastMade` (the newest one) or
 *   in its `_unrun` list (older ones, oldest first). The usual op is run right after it is made: one slot write.
 * - Main's code is not a body (H8): ops made there have no owner and are never listed.
 * - A forgotten op is reported once: reporting takes the oldest one off the list.
 */
import { GreenletError } from '@greenstackless/greenlet';
import type { FixGreenlet } from './greenlet.js';
import type { TransferOp } from './transfer.js';

/** Records a new op of `owner` (not main) as not yet run. */
export function noteMade(owner: FixGreenlet, op: TransferOp): void {
  const previous = owner._lastMade;
  if (previous !== null) {
    if (owner._unrun === null) owner._unrun = [previous];
    else owner._unrun.push(previous);
  }
  owner._lastMade = op;
}

/** Records that `op`'s iterator has been obtained: it counts as run, by whichever greenlet. */
export function noteRun(owner: FixGreenlet, op: TransferOp): void {
  if (owner._lastMade === op) owner._lastMade = null;
  else if (owner._unrun !== null) {
    const i = owner._unrun.indexOf(op);
    if (i >= 0) owner._unrun.splice(i, 1);
  }
}

/**
 * The error for `g`'s oldest forgotten op, or null if it has none; that op will not be reported again. `cause`
 * is given when the error replaces the result or the error a body ended with.
 */
export function takeForgotten(g: FixGreenlet, cause?: { cause: unknown }): GreenletError | null {
  let op: TransferOp;
  const list = g._unrun;
  if (list !== null && list.length !== 0) op = list.shift()!; // the oldest; the others are reported later
  else if (g._lastMade !== null) {
    op = g._lastMade;
    g._lastMade = null;
  } else return null;
  return new GreenletError(
    `the op ${op.describe()} made in ${g} was never run: run ops with yield*, yield or sync() (H8)`,
    cause,
  );
}
