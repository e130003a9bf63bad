/**
 * The schedule callback, the channel callback and the error handler (S16-S21): validation and calls.
 *
 * Invariant: while one of them runs, the instance's `inCallback` is not NONE, so that every op of the instance
 * and `insert`/`remove`/`bind`/`setup` refuse to run (S20); it is restored when the call returns or throws.
 */
import * as greenletModule from '@greenstackless/greenlet';
import * as errorsModule from './errors.js';
import type { Channel, Tasklet } from './types.js';

/** Which callback runs (S20): none, the schedule callback or the error handler, the channel callback. */
export const NONE = 0;
export const IN_SCHEDULER = 1;
export const IN_CHANNEL = 2;

// Imported names as the module's own constants (docs/v8.md#modules-and-variables).
const { messageOf } = greenletModule;
const { MSG, StacklessError } = errorsModule;
type StacklessError = errorsModule.StacklessError;

/** What the calls read and write of the instance (the Scheduler, scheduler.ts). */
export interface CallbackState {
  /** NONE, IN_SCHEDULER or IN_CHANNEL. */
  inCallback: number;
  /** What an error handler threw (S21), for the tasklet's end. */
  handlerError: unknown;
}

/** S16: a function, or null/undefined to remove; anything else throws TypeError with `text`. */
export function checkCallback(cb: unknown, text: string): Function | null {
  if (cb === null || cb === undefined) return null;
  if (typeof cb !== 'function') throw new TypeError(text);
  return cb;
}

/** S20: the error for an op, or a queue change, attempted inside a callback. */
export function recursiveCall(s: CallbackState, what: string): StacklessError {
  if (s.inCallback === IN_CHANNEL) {
    return new StacklessError(`${what} cannot run inside the channel callback: ${MSG.recursiveChannel}`);
  }
  return new StacklessError(
    `${what} cannot run inside the schedule callback or the error handler: ${MSG.recursiveScheduler}`,
  );
}

/** S17, S18: calls the schedule callback; an error it throws becomes a process warning and is dropped. */
export function callScheduleCallback(s: CallbackState, cb: Function, prev: Tasklet, next: Tasklet): void {
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
  s: CallbackState, cb: Function, ch: Channel, t: Tasklet, sending: boolean, willblock: boolean,
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
export function callErrorHandler(s: CallbackState, h: Function, error: unknown, t: Tasklet): boolean {
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
