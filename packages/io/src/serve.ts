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
import { defaultHub, hubTasks } from './registry.js';
import { FRAME_BODY, FRAME_FRESH, TaskImpl } from './tasks.js';
import { type Listener, ListenerImpl, listenOn } from './net.js';
import type { Hub } from './types.js';
import type { TaskRegistry } from './tasks.js';

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
  const tasks = hubTasks(hub);
  const config: ServeConfig = { handler, onError };
  listener.handler = (conn) => {
    tasks.start(new ServeTask(tasks, config, conn));
  };
  for (const conn of listener.queue.splice(0)) listener.handler(conn);
  return listener;
}

/** The phase of a connection task while its Conn's end() runs (after FRAME_BODY). */
const ENDING = 3;

/** What every connection task of one `serve` shares. */
interface ServeConfig {
  readonly handler: ConnHandler;
  readonly onError: (error: unknown, conn: Conn) => void;
}

/**
 * One connection's tasklet and its frame: the handler, then end() on return, or onError and destroy on a throw
 * (K7). A state machine instead of a generator: an idle connection holds no frame of its own but this task.
 */
class ServeTask extends TaskImpl<void> {
  // `body` is the server's ServeConfig, `args` the connection; `phase` FRAME_BODY while the handler runs, ENDING
  // while end() runs: no fields of its own, so a connection's task is as small as any task.
  constructor(tasks: TaskRegistry, config: ServeConfig, conn: Conn) {
    super(tasks, config, conn);
  }

  override next(): IteratorResult<unknown, undefined> {
    if (this.phase === FRAME_FRESH) return this.begin();
    if (this.phase === FRAME_BODY) return this.handlerReturned();
    return this.bodyEnded(true, undefined); // end() has completed
  }

  override throw(error: unknown): IteratorResult<unknown, undefined> {
    if (this.phase === FRAME_BODY) return this.handlerThrew(error);
    (this.args as Conn).close(); // the peer went away (or the tasklet was killed) while the last bytes left: nothing to report
    return this.bodyEnded(true, undefined);
  }

  protected override begin(): IteratorResult<unknown, undefined> {
    this.phase = FRAME_BODY;
    let body: unknown;
    try {
      body = (this.body as ServeConfig).handler.call(undefined, this.args as Conn);
    } catch (error) {
      return this.handlerThrew(error);
    }
    if (body !== undefined && body !== null && typeof (body as Generator).next === 'function') {
      return { done: false, value: body };
    }
    return this.handlerReturned();
  }

  private handlerReturned(): IteratorResult<unknown, undefined> {
    const conn = this.args as Conn;
    if (conn.closed) return this.bodyEnded(true, undefined);
    this.phase = ENDING;
    return { done: false, value: conn.end() };
  }

  private handlerThrew(error: unknown): IteratorResult<unknown, undefined> {
    const conn = this.args as Conn;
    if (!(error instanceof conn.hub.stackless.TaskletExit)) {
      try {
        (this.body as ServeConfig).onError(error, conn);
      } catch (inHandler) {
        reportError(inHandler, conn);
      }
    }
    conn.close(); // thrown or killed: the socket is destroyed
    return this.bodyEnded(true, undefined);
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
  return serveOn(defaultHub(), where, handler, options);
}
