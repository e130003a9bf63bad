/**
 * The flag arguments of Stackless (T9, C3, S12): booleans, or numbers where not 0 is true.
 */

/** A boolean, or a number (not 0 is true); anything else throws TypeError with `text`. */
export function checkIntegerFlag(value: unknown, text: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && !Number.isNaN(value)) return value !== 0;
  throw new TypeError(text);
}
