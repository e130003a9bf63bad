/**
 * Ops that main's top-level code made and never ran, reported as process warnings when the process is about to
 * exit (H8): main is no body, so nothing else would ever report them. Each package registers one source, which
 * gives (and forgets) the texts of its unreported ops.
 *
 * Invariant: the process listeners are installed once, with the first source; a text is reported once.
 */

/**
 * A package's source: the texts of the ops main made and never ran, each taken off so it is not reported again.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export type UnrunSource = () => string[];

const sources: UnrunSource[] = [];

/**
 * Registers `source`, whose texts are emitted as warnings (type `GreenletWarning`) when the event loop empties
 * (`beforeExit`), or written to stderr at `exit` if the process ends before that (`process.exit()`).
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function reportUnrunAtExit(source: UnrunSource): void {
  if (sources.length === 0 && typeof process === 'object' && process !== null && typeof process.on === 'function') {
    process.on('beforeExit', warnUnrun);
    process.on('exit', writeUnrun);
  }
  sources.push(source);
}

function collect(): string[] {
  const texts: string[] = [];
  for (const source of sources) texts.push(...source());
  return texts;
}

function warnUnrun(): void {
  for (const text of collect()) process.emitWarning(text, 'GreenletWarning');
}

/** At `exit` a warning would never be printed (Node emits it on a later tick): the text goes to stderr. */
function writeUnrun(): void {
  const texts = collect();
  if (texts.length === 0 || process.execArgv.includes('--no-warnings') || process.env.NODE_NO_WARNINGS === '1') {
    return;
  }
  for (const text of texts) process.stderr.write(`(node:${process.pid}) GreenletWarning: ${text}\n`);
}
