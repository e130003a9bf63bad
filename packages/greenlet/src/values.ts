/**
 * Safe views of user values, for every package and layer: what a value is, in words for a message, and whether it
 * is an instance of a class.
 *
 * Invariant: nothing here throws, whatever the value: a revoked Proxy, an object whose `toString` or getters throw,
 * `Object.create(null)`, a symbol. Anything may be thrown, yielded, sent or passed as an argument, and the code that
 * reports it must not fail in its place (S18, H4, G12).
 */

/**
 * A short description of any value for error messages: primitives by kind and value, greenlets, tasklets and other
 * objects with a `toString` of their own class by that, other objects by class.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 *
 * @example
 * ```ts
 * import { describeValue } from '@greenstackless/greenlet';
 * describeValue(42); // => 'the number 42'
 * describeValue(Object.create(null)); // => 'an object'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
    case 'number':
      return `the number ${Object.is(value, -0) ? '-0' : String(value)}`;
    case 'bigint':
    case 'boolean':
      return `the ${typeof value} ${String(value)}`;
    case 'symbol':
      return `the symbol ${String(value)}`;
    case 'function':
      return `the function ${attempt(() => String((value as Function).name || '(anonymous)'), '(unnamed)')}`;
    default:
      return attempt(() => describeObject(value as object), 'an object');
  }
}

function describeObject(value: object): string {
  if (value instanceof Promise) return 'a Promise';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const proto = Object.getPrototypeOf(value);
  const ctor = proto === null ? undefined : Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  const name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
  const own = Object.prototype.hasOwnProperty.call(value, 'toString');
  if (!own && proto !== Object.prototype && proto !== null && typeof (value as any).toString === 'function') {
    const text = attempt(() => String(value), '');
    if (text !== '' && !text.startsWith('[object ')) return text;
  }
  return name !== '' ? `an object of class ${name}` : 'an object';
}

/**
 * The text of an error for a message or warning: an `Error`'s `message`, another value's `String()`, or, when
 * reading either throws, `describeValue`'s words.
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 *
 * @example
 * ```ts
 * import { messageOf } from '@greenstackless/greenlet';
 * messageOf(new Error('boom')); // => 'boom'
 * messageOf(Object.create(null)); // => 'an object'
 * ```
 */
export function messageOf(error: unknown): string {
  return attempt(() => (isInstance(error, Error) ? String((error as Error).message) : String(error)), () =>
    describeValue(error),
  );
}

/**
 * `value instanceof cls`, or false where `instanceof` would throw (a revoked Proxy, a throwing prototype trap).
 *
 * For layers: not part of the greenlet API (README, Reference, "For layers").
 *
 * @example
 * ```ts
 * import { isInstance, GreenletExit } from '@greenstackless/greenlet';
 * const { proxy, revoke } = Proxy.revocable({}, {}); revoke();
 * isInstance(proxy, GreenletExit); // => false, where `proxy instanceof GreenletExit` throws TypeError
 * ```
 */
export function isInstance<T>(value: unknown, cls: abstract new (...args: any[]) => T): value is T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return value instanceof cls;
  } catch {
    return false;
  }
}

function attempt(f: () => string, fallback: string | (() => string)): string {
  try {
    return f();
  } catch {
    return typeof fallback === 'string' ? fallback : fallback();
  }
}
