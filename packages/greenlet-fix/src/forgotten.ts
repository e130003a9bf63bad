/**
 * H8, forgotten ops: every op this module makes in a body must be run before that body's next op of this module
 * starts, and before the body ends.
 *
 * Invariants:
 * - Ops are numbered, not linked (`op.seq`): storing a new op into an old greenlet costs a write barrier
 *   (docs/v8.md#write-barriers); integers cost none.
 * - From its creation until its iterator is first obtained, an op made by a body is its owner's newest one
 *   (`_pendingSeq`, described by `_lastMade`) or on its `_unrun` list of (number, description) pairs, oldest first,
 *   all older than the newest. The usual op is run right after it is made: two integer writes.
 * - Main's code is not a body (H8): its ops are listed too, and reported at main's next op of this module (which
 *   main runs with `sync`), or as warnings at exit.
 * - A forgotten op is reported once: reporting takes the oldest one off.
 */
import { GreenletError, reportUnrunAtExit } from '@greenstackless/greenlet';
import * as codesModule from './codes.js';
import type { GreenletFields, ModuleState } from './state.js';

const { SWITCH, THROW } = codesModule;

/** What H8 reads of an op (transfer.ts: `TransferOp`): its number, and its kind and target for the message. */
export interface MadeOp {
  readonly seq: number;
  readonly kind: number;
  readonly target: GreenletFields;
}

/** Records a new op of `owner` (not main) as not yet run. */
export function noteMade(owner: GreenletFields, op: MadeOp): void {
  if (owner._pendingSeq !== 0) (owner._unrun ??= []).push(owner._pendingSeq, owner._lastMade);
  owner._pendingSeq = op.seq;
  owner._lastMade = (op.kind === THROW ? THROW : SWITCH) + 2 * serialCode(op.target);
}

/** Records that `op`'s iterator has been obtained: it counts as run, by whichever greenlet. */
export function noteRun(owner: GreenletFields, op: MadeOp): void {
  if (owner._pendingSeq === op.seq) {
    owner._pendingSeq = 0;
    return;
  }
  const list = owner._unrun;
  if (list === null) return;
  for (let i = 0; i < list.length; i += 2) {
    if (list[i] !== op.seq) continue;
    list.splice(i, 2);
    if (list.length === 0) owner._unrun = null;
    return;
  }
}

/** True if `g` left an op unrun (H8). */
export function hasForgotten(g: GreenletFields): boolean {
  return g._pendingSeq !== 0 || g._unrun !== null;
}

/**
 * The error for `g`'s oldest forgotten op, or null if it has none; that op will not be reported again. `cause`
 * is given when the error replaces the result or the error a body ended with.
 */
export function takeForgotten(g: GreenletFields, cause?: { cause: unknown }): GreenletError | null {
  let made: number;
  const list = g._unrun;
  if (list !== null) {
    made = list[1]; // the oldest; the others are reported later
    list.splice(0, 2);
    if (list.length === 0) g._unrun = null;
  } else if (g._pendingSeq !== 0) {
    made = g._lastMade;
    g._pendingSeq = 0;
  } else return null;
  return new GreenletError(forgottenText(describeMade(made), g), cause);
}

function forgottenText(op: string, g: GreenletFields): string {
  return `the op ${op} made in ${g} was never run: run ops with yield*, yield or sync() (H8)`;
}

/** The modules whose main may have left ops unrun, for the warnings at exit (H8); weak, as modules are dropped. */
const modules = new Set<WeakRef<ModuleState>>();
let pruneAt = 64;

/** Registers a new module for the warnings at exit. */
export function watchMain(mod: ModuleState): void {
  modules.add(new WeakRef(mod));
  if (modules.size < pruneAt) return;
  for (const ref of modules) if (ref.deref() === undefined) modules.delete(ref);
  pruneAt = 2 * modules.size + 64;
}

/** The texts of every op the main of a live module made and never ran; they are not reported again. */
function takeAllInMains(): string[] {
  const texts: string[] = [];
  for (const ref of modules) {
    const main = ref.deref()?.main;
    if (main === undefined) continue;
    for (let e = takeForgotten(main); e !== null; e = takeForgotten(main)) texts.push(e.message);
  }
  return texts;
}
reportUnrunAtExit(takeAllInMains);

/** A greenlet's serial as a number: 0 for main (`Greenlet#main`). */
function serialCode(g: GreenletFields): number {
  return typeof g._serial === 'number' ? g._serial : 0;
}

/** `Greenlet#3.switch()` from an op's packed description: its kind + 2 x its target's serial code. */
function describeMade(made: number): string {
  const code = Math.floor(made / 2);
  return `Greenlet#${code === 0 ? 'main' : code}.${made % 2 === SWITCH ? 'switch' : 'throw'}()`;
}
