/**
 * The two error classes every greenlet module shares (packages/greenlet/README.md, Reference).
 *
 * Invariant: greenlet-fix and every tower throw these same classes; no layer defines its own.
 */

/** Thrown into a greenlet to kill it; uncaught, it is no error and reaches the parent as a value (G13). */
export class GreenletExit extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
Object.defineProperty(GreenletExit.prototype, 'name', { value: 'GreenletExit', configurable: true, writable: true });

/** Python's `greenlet.error`: a forbidden transfer (H6, H7), a forgotten op (H8), a cyclic parent chain (G26). */
export class GreenletError extends Error {
  constructor(message?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
Object.defineProperty(GreenletError.prototype, 'name', { value: 'GreenletError', configurable: true, writable: true });
