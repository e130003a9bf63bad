/**
 * Forgotten ops (H8): the registry of the ops an instance made and has not run, by number.
 *
 * Invariants:
 * - An op is listed from its making (`list`) until it is claimed (`unlist`), by its serial (never 0) and a
 *   description, not by reference: storing a new op into the old scheduler would cost a write barrier per op
 *   ([docs/v8.md](../../../docs/v8.md#write-barriers)).
 * - The newest op is in the instance's slot (`newestSerial`, `newestMaker`, `newestSubject`, `newestMethod`); once
 *   a newer one is made, an older one still unrun moves to the list (`unrun`). The list is almost always empty,
 *   so the checks are O(1).
 * - Main's code is not a body: its ops are reported at main's next op of the instance, or at exit
 *   (`reportUnrunAtExit`); a non-main tasklet's at its next op or at its end.
 */
import * as greenletModule from '@greenstackless/greenlet';
import type { TaskletImpl } from './tasklet.js';

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { GreenletError, reportUnrunAtExit } = greenletModule;
type GreenletError = greenletModule.GreenletError;

/** An op made in a tasklet, not yet run and no longer the newest: on the instance's list. */
export interface Unrun {
  readonly serial: number;
  readonly maker: TaskletImpl;
  readonly subject: object | null;
  readonly method: string;
}

/** The registry's fields, kept on the instance (the Scheduler, scheduler.ts) so that an op reaches them in one load. */
export interface Registry {
  readonly main: TaskletImpl;
  readonly current: TaskletImpl;
  /** The last serial given. */
  opSerial: number;
  /** The slot: the newest unrun op's serial (0: none), maker and description. */
  newestSerial: number;
  newestMaker: TaskletImpl | null;
  newestSubject: object | null;
  newestMethod: string;
  /** The older unrun ops. */
  readonly unrun: Unrun[];
}

/** Serials stay small integers: they wrap around long before a listed op could meet its namesake. */
const MAX_SERIAL = 0x3fffffff;

/** Lists a new op of the current tasklet, described as `subject.method()`, and gives its serial. */
export function list(r: Registry, subject: object | null, method: string): number {
  // The newest unrun op waits in the slot; an older one that is still unrun moves to the list.
  if (r.newestSerial !== 0) spill(r);
  const serial = r.opSerial === MAX_SERIAL ? 1 : r.opSerial + 1;
  r.opSerial = serial;
  r.newestSerial = serial;
  r.newestMaker = r.current;
  r.newestSubject = subject;
  r.newestMethod = method;
  return serial;
}

/** Moves the op in the slot to the list. */
function spill(r: Registry): void {
  const entry = { serial: r.newestSerial, maker: r.newestMaker!, subject: r.newestSubject, method: r.newestMethod };
  // The slot is cleared first: if the stack runs out in push() (an op made deep in user recursion), the op is not
  // listed twice, which would report an op that ran.
  clearSlot(r);
  r.unrun.push(entry);
}

function clearSlot(r: Registry): void {
  r.newestSerial = 0;
  r.newestMaker = null;
  r.newestSubject = null;
}

/** Takes the op numbered `serial` off the slot or the list (the last entry moves into its place). */
export function unlist(r: Registry, serial: number): void {
  if (r.newestSerial === serial) {
    clearSlot(r);
    return;
  }
  const list = r.unrun;
  for (let i = list.length - 1; i >= 0; i--) {
    if (list[i].serial !== serial) continue;
    list[i] = list[list.length - 1];
    list.pop();
    return;
  }
}

/** The tasklet that made the unrun op numbered `serial`, from the slot or the list; null if not listed. */
export function makerOf(r: Registry, serial: number): TaskletImpl | null {
  if (serial === 0) return null;
  if (r.newestSerial === serial) return r.newestMaker;
  for (const entry of r.unrun) if (entry.serial === serial) return entry.maker;
  return null;
}

function describeUnrun(subject: object | null, method: string): string {
  return subject === null ? `${method}()` : `${String(subject)}.${method}()`;
}

/**
 * Takes all of `t`'s unrun ops off the slot and the list and gives the description of the earliest, or null
 * (reported once).
 */
export function takeForgotten(r: Registry, t: TaskletImpl): string | null {
  let found: Unrun | null = null;
  const list = r.unrun;
  for (let i = list.length - 1; i >= 0; i--) {
    const entry = list[i];
    if (entry.maker !== t) continue;
    if (found === null || entry.serial < found.serial) found = entry;
    list[i] = list[list.length - 1];
    list.pop();
  }
  if (found !== null) {
    if (r.newestMaker === t) clearSlot(r);
    return describeUnrun(found.subject, found.method);
  }
  if (r.newestSerial !== 0 && r.newestMaker === t) {
    const text = describeUnrun(r.newestSubject, r.newestMethod);
    clearSlot(r);
    return text;
  }
  return null;
}

/** At the start of an op in `cur`: throws if `cur` left an op of the instance unrun. */
export function checkForgotten(r: Registry, cur: TaskletImpl): void {
  const forgotten = takeForgotten(r, cur);
  if (forgotten !== null) throw forgottenError(forgotten, cur, undefined);
}

/** The error for the op described as `op`, made in `t` and never run. */
export function forgottenError(op: string, t: TaskletImpl, cause: unknown): GreenletError {
  return new GreenletError(forgottenText(op, t), cause === undefined ? undefined : { cause });
}

function forgottenText(op: string, t: TaskletImpl): string {
  return `the op ${op} made in ${t} was never run: run ops with yield*, yield or sync() (H8)`;
}

/**
 * The instances whose main may have left ops unrun, for the warnings at exit. Weak: an instance that is dropped
 * is collected, and with it whatever its main forgot.
 */
const instances = new Set<WeakRef<Registry>>();
let pruneAt = 64;

/** Registers a new instance for the warnings at exit. */
export function watchMain(r: Registry): void {
  instances.add(new WeakRef(r));
  if (instances.size < pruneAt) return;
  for (const ref of instances) if (ref.deref() === undefined) instances.delete(ref);
  pruneAt = 2 * instances.size + 64;
}

/** The texts of every op that the main of a live instance made and never ran; they are not reported again. */
function takeAllInMains(): string[] {
  const texts: string[] = [];
  for (const ref of instances) {
    const r = ref.deref();
    if (r === undefined) continue;
    const main = r.main;
    const mine = r.unrun.filter((entry) => entry.maker === main).sort((a, b) => a.serial - b.serial);
    for (const entry of mine) texts.push(forgottenText(describeUnrun(entry.subject, entry.method), main));
    const others = r.unrun.filter((entry) => entry.maker !== main);
    r.unrun.length = 0;
    r.unrun.push(...others);
    const newest = takeForgotten(r, main); // the slot, now that the list holds none of main's
    if (newest !== null) texts.push(forgottenText(newest, main));
  }
  return texts;
}
reportUnrunAtExit(takeAllInMains);
