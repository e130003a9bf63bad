/**
 * The flag arguments of Stackless (T9): booleans, or numbers where not 0 is true.
 */

/** A boolean, or a number (not 0 is true); anything else throws TypeError `who: text` (the text is built then). */
export function checkIntegerFlag(value: unknown, who: object, text: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0; // NaN too: any number other than 0 is true (T9)
  throw new TypeError(`${String(who)}: ${text}`);
}
