/**
 * The error classes of `@greenstackless/io` (docs/io.md §1) and the messages the hub gives. Misuse of the scheduler
 * itself is greenstackless' `StacklessError`; a deadlock at exit is its `DeadlockError` (I14).
 */

/** A wait whose `timeout` passed before anything else ended it (WaitOptions.timeout). */
export class TimeoutError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
  }
}
Object.defineProperty(TimeoutError.prototype, 'name', { value: 'TimeoutError', writable: true, configurable: true });

/** An op on a `Conn` that was closed, or a waiting read or write whose `Conn` was closed (K4, K6). */
export class ConnClosedError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
  }
}
Object.defineProperty(ConnClosedError.prototype, 'name', {
  value: 'ConnClosedError', writable: true, configurable: true,
});

/** The peer closed its side before `readExactly(n)` had its `n` bytes (K1). */
export class UnexpectedEOFError extends Error {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
  }
}
Object.defineProperty(UnexpectedEOFError.prototype, 'name', {
  value: 'UnexpectedEOFError', writable: true, configurable: true,
});

/** A line (or `readUntil` match) longer than its limit (K2). */
export class LineTooLongError extends RangeError {
  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
  }
}
Object.defineProperty(LineTooLongError.prototype, 'name', {
  value: 'LineTooLongError', writable: true, configurable: true,
});

/** Messages of the hub; tests compare them exactly. */
export const MSG = {
  mainCannotWait:
    'the main tasklet cannot wait for I/O: its caller is the event loop; run this code in a tasklet (hub.spawn, hub.main)',
  alreadyHasHub: 'this instance already has a hub',
  notTopLevel:
    'a hub needs an instance whose main tasklet is the greenlet that event-loop callbacks run in: call createHub ' +
    'at the top level of the program, in the instance\'s main tasklet (I1)',
} as const;

/** "Deadlock: N tasklets are alive and the event loop is empty" (I14). */
export function deadlockMessage(n: number): string {
  return n === 1
    ? 'Deadlock: 1 tasklet is alive and the event loop is empty'
    : `Deadlock: ${n} tasklets are alive and the event loop is empty`;
}
