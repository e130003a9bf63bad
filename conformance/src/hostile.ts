/**
 * Hostile values for the robustness tests: values that break careless code when it describes them, tests their
 * class, or reads a property. Each has a name for test titles.
 *
 * Invariant: every call makes fresh values, so a test may revoke, throw or keep them freely.
 */

/** A thrown marker, so a test can tell a hostile value's own error from one the packages made. */
export class HostileError extends Error {
  constructor(message = 'hostile value') {
    super(message);
    this.name = 'HostileError';
  }
}

/** A revoked Proxy: `typeof` works; `instanceof`, property reads, `String()` and `Array.isArray` all throw. */
export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** About twenty values that careless code mishandles, by name. */
export function hostileValues(): [string, unknown][] {
  const throwingToString = {
    toString(): string {
      throw new HostileError('toString');
    },
  };
  const throwingGetters = new Proxy(
    {},
    {
      get(): never {
        throw new HostileError('get');
      },
      getPrototypeOf(): never {
        throw new HostileError('getPrototypeOf');
      },
    },
  );
  class Odd {
    toString(): string {
      throw new HostileError('class toString');
    }
  }
  return [
    ['a revoked Proxy', revokedProxy()],
    ['an object whose toString throws', throwingToString],
    ['a Proxy whose traps throw', throwingGetters],
    ['an instance whose class toString throws', new Odd()],
    ['Object.create(null)', Object.create(null)],
    ['NaN', NaN],
    ['-0', -0],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a huge number', 1e308],
    ['2**53', 2 ** 53],
    ['a bigint', 10n ** 30n],
    ['a symbol', Symbol('hostile')],
    ['a function', function hostile() {}],
    ['an async function', async function hostileAsync() {}],
    ['an async generator function', async function* hostileAsyncGen() {}],
    ['a string', 'hostile'],
    ['an empty array', []],
    ['a resolved promise', Promise.resolve(1)],
    ['null', null],
    ['undefined', undefined],
  ];
}
