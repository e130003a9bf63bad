/**
 * The part of js-csp 1.0.1 (which ships no types) that the peers family uses: its default export is the
 * CommonJS module object. Names and signatures from js-csp's README and doc/basic.md.
 */
declare module 'js-csp' {
  export interface CspChannel {
    close(): void;
  }
  export interface Csp {
    CLOSED: unknown;
    chan(): CspChannel;
    go<A extends unknown[]>(body: (...args: A) => Generator<unknown, unknown, unknown>, args?: A): CspChannel;
    put(ch: CspChannel, value: unknown): unknown;
    take(ch: CspChannel): unknown;
    takeAsync(ch: CspChannel, callback: (value: unknown) => void): void;
  }
  const csp: Csp;
  export default csp;
}
