/**
 * What a body may be (G10, H9): a generator function or a plain function. An `async` function or an async
 * generator function is refused where it is given, and a plain body that returns a thenable when it returns: its
 * code after an `await` would run in whatever greenlet the event loop is in, outside any greenlet's control.
 *
 * greenstackless uses these for tasklet functions, so that both layers refuse the same bodies in the same words.
 *
 * Invariant: the tests never throw, whatever they are given (a revoked Proxy, a throwing getter).
 */

/**
 * True for an `async` function or an async generator function (their prototypes' toStringTag; one read). A function
 * whose tag cannot be read (a revoked Proxy) is not recognisably async.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function isAsyncFunction(fn: Function): boolean {
  try {
    const tag = (fn as any)[Symbol.toStringTag];
    return tag === 'AsyncFunction' || tag === 'AsyncGeneratorFunction';
  } catch {
    return false;
  }
}

/**
 * True for an object or function with a callable `then`: what `await` would wait for. A value whose `then` cannot be
 * read (a revoked Proxy, a throwing getter) is no thenable: it is given as the result, as it is.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function isThenable(x: unknown): boolean {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  try {
    return typeof (x as any).then === 'function';
  } catch {
    return false;
  }
}

const RULE = 'bodies are generator functions or plain functions, and promises are awaited with @greenstackless/io';

/**
 * The TypeError for an async body; `what` says what it was given as:
 * `the function of Tasklet#2`.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function asyncBodyError(what: string, fn: Function): TypeError {
  const kind = (fn as any)[Symbol.toStringTag] === 'AsyncGeneratorFunction' ? 'an async generator' : 'an async';
  const name = fn.name ? ` ${fn.name}` : '';
  return new TypeError(`${what} cannot be ${kind} function${name}: ${RULE} (H9)`);
}

/**
 * The TypeError for a plain body that returned a thenable; `who` names it.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 */
export function thenableBodyError(who: string): TypeError {
  return new TypeError(
    `the body of ${who} returned a promise (a thenable) instead of its result: ${RULE}; ` +
      'to return a thenable as a value, wrap it (H9)',
  );
}
