/**
 * Tracing (G29-G33): one tracer for the native module, called once for each delivery of control.
 *
 * Invariant: `rt.tracing` is true exactly while the tracer runs, so no op can start inside it (G33).
 */
import type { Greenlet } from './greenlet.js';
import { rt } from './runtime.js';
import type { TraceEvent, TraceFn } from './types.js';
import { describeValue } from './values.js';

/**
 * Installs `fn` as the tracer (null or undefined removes it) and returns the previous one, or null (G29).
 *
 * @example
 * ```ts
 * import { settrace } from '@greenstackless/greenlet';
 * const events: string[] = [];
 * settrace((event, origin, target) => { events.push(`${event} ${origin} -> ${target}`); });
 * // ... switches are recorded ...
 * settrace(null);
 * ```
 */
export function settrace(fn: TraceFn | null | undefined): TraceFn | null {
  if (fn !== null && fn !== undefined && typeof fn !== 'function') {
    throw new TypeError(`settrace needs a function, null or undefined, not ${describeValue(fn)}`);
  }
  const previous = rt.tracer;
  rt.tracer = fn ?? null;
  return previous as TraceFn | null;
}

/** The installed tracer, or null (G29). */
export function gettrace(): TraceFn | null {
  return rt.tracer as TraceFn | null;
}

/** Set by `callTracer` when the tracer threw: the error that replaces the delivery (G32); see `takeTracerError`. */
let tracerError: unknown = undefined;

/** Takes what the tracer threw, so that the runtime keeps no reference to it once it is delivered (M6). */
export function takeTracerError(): unknown {
  const error = tracerError;
  tracerError = undefined;
  return error;
}

/**
 * Calls the tracer, which must be installed, for a delivery from `origin` to `target` (already current, G31).
 * Returns true if it threw; then tracing is removed and `takeTracerError()` gives what it threw (G32).
 */
export function callTracer(event: TraceEvent, origin: Greenlet, target: Greenlet): boolean {
  const tracer = rt.tracer!;
  rt.tracing = true;
  try {
    tracer(event, origin, target);
    return false;
  } catch (error) {
    rt.tracer = null;
    tracerError = error;
    return true;
  } finally {
    rt.tracing = false;
  }
}
