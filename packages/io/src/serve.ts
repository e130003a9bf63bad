/**
 * `serve`: a tasklet per connection running the handler (K7), the plain loop of Go's `conn.serve` and gevent's
 * StreamServer without the loop: one connection, one handler call.
 *
 * Invariants:
 * - Every connection's tasklet is a hub tasklet (I14) and ends with its Conn ended or destroyed: ended when the
 *   handler returns, destroyed when it throws (after onError heard of it) or is killed.
 * - Nothing a handler does stops the server; only the Listener's close() does.
 */
import net from 'node:net';
import type { Op } from '@greenstackless/greenlet';
import type { Conn, ConnOptions } from './conn.js';
import { getHub } from './hub.js';
import { type Listener, ListenerImpl, listenOn } from './net.js';
import type { Hub } from './types.js';

// Every hub has serve as a member for its own instance (docs/io.md §2; hub.ts implements it).
declare module './types.js' {
  interface Hub {
    serve: typeof serve;
  }
}

export type ConnHandler = (conn: Conn) => Generator<unknown, void, unknown> | void;

export interface ServeOptions extends ConnOptions {
  /** The address to listen on when `where` is a port. */
  host?: string;
  /** Hears an error a handler threw (default: console.error with the peer's address). */
  onError?: (error: unknown, conn: Conn) => void;
}

/** `serve(where, handler, options)` on `hub`'s instance (K7). */
export function serveOn(
  hub: Hub,
  where: number | net.Server | Listener,
  handler: ConnHandler,
  options?: ServeOptions,
): Op<Listener> {
  if (typeof handler !== 'function') {
    throw new TypeError(`serve(where, handler): handler must be a function, not ${typeof handler}`);
  }
  if (typeof where !== 'number' && !(where instanceof net.Server) && !(where instanceof ListenerImpl)) {
    throw new TypeError('serve(where, handler): where must be a port number, a net.Server or a Listener');
  }
  const onError = options?.onError ?? reportError;
  if (typeof onError !== 'function') throw new TypeError('serve: the onError option must be a function');
  return serveBody(hub, where, handler, onError, options);
}

function* serveBody(
  hub: Hub,
  where: number | net.Server | Listener,
  handler: ConnHandler,
  onError: (error: unknown, conn: Conn) => void,
  options: ServeOptions | undefined,
): Generator<unknown, Listener, unknown> {
  let listener: ListenerImpl;
  if (typeof where === 'number') listener = (yield* listenOn(hub, where, options?.host, options)) as ListenerImpl;
  else if (where instanceof ListenerImpl) listener = where;
  else listener = new ListenerImpl(where as net.Server, hub, options);
  if (listener.handler !== null) throw new TypeError('serve: this listener is already served');
  listener.handler = (conn) => {
    hub.spawn(serveConnection, conn, handler, onError);
  };
  for (const conn of listener.queue.splice(0)) listener.handler(conn);
  return listener;
}

/** One connection's tasklet: the handler, then end() on return, or onError and destroy on a throw (K7). */
function* serveConnection(
  conn: Conn,
  handler: ConnHandler,
  onError: (error: unknown, conn: Conn) => void,
): Generator<unknown, void, unknown> {
  try {
    const body = handler(conn);
    if (body !== undefined && body !== null && typeof (body as Generator).next === 'function') yield body;
  } catch (error) {
    if (!(error instanceof conn.hub.stackless.TaskletExit)) {
      try {
        onError(error, conn);
      } catch (inHandler) {
        reportError(inHandler, conn);
      }
    }
    conn.close(); // thrown or killed: the socket is destroyed
    return;
  }
  if (conn.closed) return;
  try {
    yield conn.end();
  } catch {
    conn.close(); // the peer went away (or the tasklet was killed) while the last bytes left: nothing to report
  }
}

/**
 * The default onError: console.error with the peer's address. A reset or broken pipe of the connection itself
 * (its socket's own error, thrown on through the handler) is the peer's doing, not the handler's, and is not
 * printed; an onError option hears it like any other error.
 */
function reportError(error: unknown, conn: Conn): void {
  if (error === conn.failure && PEER_GONE.has((error as NodeJS.ErrnoException).code ?? '')) return;
  console.error(`serve: the handler of the connection from ${conn.remote} threw:`, error);
}

const PEER_GONE = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/** `serve` on the default hub (K7). */
export function serve(
  where: number | net.Server | Listener,
  handler: ConnHandler,
  options?: ServeOptions,
): Op<Listener> {
  return serveOn(getHub(), where, handler, options);
}
