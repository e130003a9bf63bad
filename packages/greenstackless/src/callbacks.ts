/**
 * The schedule callback, the channel callback and the error handler (S16-S21): validation and calls.
 *
 * Invariant: while one of them runs, the scheduler's `inCallback` is not NONE, so that every op of the instance
 * and `insert`/`remove`/`bind`/`setup` refuse to run (S20); it is restored when the call returns or throws.
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as errorsModule from './errors.js';
import type { Scheduler } from './scheduler.js';
import type { TaskletImpl } from './tasklet.js';
import type { ChannelImpl } from './channel.js';
import * as codesModule from './codes.js';

export { NONE, IN_SCHEDULER, IN_CHANNEL } from './codes.js';

// Imported names as the module's own constants, which V8 folds into compiled code (see codes.ts).
const { NONE, IN_SCHEDULER, IN_CHANNEL } = codesModule;
const { messageOf } = greenletModule;
const { MSG, StacklessError } = errorsModule;
type StacklessError = errorsModule.StacklessError;

/** S16: a function, or null/undefined to remove; anything else throws TypeError with `text`. */
export function checkCallback(cb: unknown, text: string): Function | null {
  if (cb === null || cb === undefined) return null;
  if (typeof cb !== 'function') throw new TypeError(text);
  return cb;
}

/** S20: the error for an op, or a queue change, attempted inside a callback. */
export function recursiveCall(s: Scheduler, what: string): StacklessError {
  if (s.inCallback === IN_CHANNEL) {
    return new StacklessError(`${what} cannot run inside the channel callback: ${MSG.recursiveChannel}`);
  }
  return new StacklessError(
    `${what} cannot run inside the schedule callback or the error handler: ${MSG.recursiveScheduler}`,
  );
}

/** S17, S18: calls the schedule callback; an error it throws becomes a process warning and is dropped. */
export function callScheduleCallback(s: Scheduler, cb: Function, prev: TaskletImpl, next: TaskletImpl): void {
  s.inCallback = IN_SCHEDULER;
  try {
    cb(prev, next);
  } catch (error) {
    // Any value may be thrown: its text is read safely, so the switch goes on whatever it is (S18).
    process.emitWarning(`Error in scheduling callback (${prev} -> ${next}): ${messageOf(error)}`);
  } finally {
    s.inCallback = NONE;
  }
}

/** S19: calls the channel callback; what it throws comes out (the caller restores its tempval). */
export function callChannelCallback(
  s: Scheduler, cb: Function, ch: ChannelImpl, t: TaskletImpl, sending: boolean, willblock: boolean,
): void {
  s.inCallback = IN_CHANNEL;
  try {
    cb(ch, t, sending, willblock);
  } finally {
    s.inCallback = NONE;
  }
}

/**
 * S21: gives the error handler `error`, escaping the dying non-main `t`. Returns true if the handler dropped it;
 * if the handler throws, its error is stored in `s.handlerError` and false is returned.
 */
export function callErrorHandler(s: Scheduler, h: Function, error: unknown, t: TaskletImpl): boolean {
  s.inCallback = IN_SCHEDULER;
  try {
    h(error, t);
    return true;
  } catch (replacement) {
    s.handlerError = replacement;
    return false;
  } finally {
    s.inCallback = NONE;
  }
}
