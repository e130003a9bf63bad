/**
 * `serveHttp` (docs/io.md §3): HTTP/1.1 on `serve`, one tasklet per connection running one plain loop (Go's
 * `conn.serve`): read a head, parse it, call the handler, finish the response and the body, decide keep-alive,
 * give the others a turn when the next request is already here, repeat.
 *
 * Invariants:
 * - Requests of a connection are handled one at a time, in order (W1); replies leave in the same order.
 * - Every refusal of W2 and W3 is answered with its status and `connection: close`, then the connection ends
 *   (half-closed by `serve`, so the reply is delivered). A handler error before the head is a 500 and close;
 *   after the head the socket is destroyed (W4). Nothing a client or a handler does stops the server.
 * - Every connection is in its server's `connections` set; one waiting for a head (or draining an unread body)
 *   has the sweep tick at which it began. The sweep, armed only while the set is not empty and unref'd, closes
 *   those that have waited longer than headersTimeout (W5). Nothing here keeps the process alive.
 * - The hot path (a head already whole, a handler that ends at once) creates no closure and no generator: the
 *   per-connection generator runs every request.
 */
import type net from 'node:net';
import type { Op } from '@greenstackless/greenlet';
import type { Conn, ConnOptions } from '../conn.js';
import { TimeoutError } from '../errors.js';
import { defaultHub } from '../registry.js';
import type { Listener } from '../net.js';
import { serveOn } from '../serve.js';
import type { Hub, WaitOptions } from '../types.js';
import { HttpError } from './errors.js';
import { HttpInput } from './input.js';
import { findHeadEnd, parseHead, skipEmptyLines, type RequestHead } from './parser.js';
import { HttpRequest } from './request.js';
import { HttpResponse, httpDate } from './response.js';

export { HttpError } from './errors.js';
export { HttpRequest } from './request.js';
export { HttpResponse } from './response.js';

declare module '../types.js' {
  interface Hub {
    serveHttp: typeof serveHttp;
  }
}

export type HttpHandler = (req: HttpRequest, res: HttpResponse) => Generator<unknown, void, unknown> | void;

export interface HttpOptions extends ConnOptions {
  /** The address to listen on when `where` is a port. */
  host?: string;
  /** The longest request head, in bytes (default 32 KiB); a longer one gets 431 (W2). */
  headLimit?: number;
  /** ms a connection may wait for a whole head, idle time included (default 60 s); then it closes (W5). */
  headersTimeout?: number;
  /** Hears a handler's error (default: console.error); `req` is null when there was no request yet. */
  onError?: (error: unknown, req: HttpRequest | null) => void;
  /**
   * @internal Parses the head in `buf[start, end)`, from the request line through its empty line, or throws the
   * `HttpError` to reply (default: the package's parser). For the benchmark that swaps in another parser.
   */
  parseHead?: (buf: Buffer, start: number, end: number) => RequestHead;
}

const DEFAULT_HEAD_LIMIT = 32 * 1024;
const DEFAULT_HEADERS_TIMEOUT = 60_000;

/** One serveHttp server: its handler, limits and the connections waiting for a head. */
class HttpServer {
  readonly hub: Hub;
  readonly handler: HttpHandler;
  readonly headLimit: number;
  readonly headersTimeout: number;
  readonly onError: (error: unknown, req: HttpRequest | null) => void;
  readonly parseHead: (buf: Buffer, start: number, end: number) => RequestHead;
  readonly connections = new Set<HttpInput>();
  /** Sweeps so far: the clock of `HttpInput.since`. */
  ticks = 0;
  /** ms between sweeps, and how many ticks a wait may last. */
  private readonly period: number;
  private readonly patience: number;
  private sweeper: NodeJS.Timeout | null = null;
  private readonly sweep = (): void => this.closeStalled();
  /** Bound once per server: `serve`'s handler. */
  readonly serveConnection = (conn: Conn): Generator<unknown, void, unknown> => connectionLoop(this, conn);

  constructor(hub: Hub, handler: HttpHandler, headLimit: number, headersTimeout: number,
    onError: (error: unknown, req: HttpRequest | null) => void,
    parse: (buf: Buffer, start: number, end: number) => RequestHead) {
    this.hub = hub;
    this.handler = handler;
    this.headLimit = headLimit;
    this.headersTimeout = headersTimeout;
    this.onError = onError;
    this.parseHead = parse;
    this.period = Math.max(5, Math.min(1000, headersTimeout / 4));
    this.patience = Math.ceil(headersTimeout / this.period);
  }

  track(input: HttpInput): void {
    this.connections.add(input);
    if (this.sweeper === null && this.headersTimeout !== Infinity) {
      this.sweeper = setInterval(this.sweep, this.period);
      this.sweeper.unref();
    }
  }

  untrack(input: HttpInput): void {
    this.connections.delete(input);
    if (this.connections.size === 0 && this.sweeper !== null) {
      clearInterval(this.sweeper);
      this.sweeper = null;
    }
  }

  /** W5: closes the connections that have waited for a head longer than headersTimeout (by up to a period). */
  private closeStalled(): void {
    const now = ++this.ticks;
    for (const input of this.connections) {
      if (input.since >= 0 && now - input.since > this.patience) {
        input.conn.close(new TimeoutError(
          `no complete request from ${input.conn.remote} within headersTimeout (${this.headersTimeout} ms) (W5)`));
      }
    }
  }
}

/** The loop of one connection (W1-W5). */
function* connectionLoop(server: HttpServer, conn: Conn): Generator<unknown, void, unknown> {
  const input = new HttpInput(conn);
  const stackless = server.hub.stackless;
  // One description for every wait of this connection for a head (I10), not one made per wait.
  const waitHead: WaitOptions = { description: `HTTP request head from ${conn.remote}` };
  server.track(input);
  try {
    for (;;) {
      // Read a head (W2): the pending bytes, then more from the connection until the empty line.
      input.since = -1;
      let headEnd = -1;
      let searched = 0;
      for (;;) {
        input.pos = skipEmptyLines(input.buf, input.pos, input.end);
        const pending = input.end - input.pos;
        if (pending > 0) {
          headEnd = findHeadEnd(input.buf, input.pos + (searched > 2 ? searched - 2 : 0), input.end);
          if (headEnd >= 0) break;
          searched = pending;
          if (pending > server.headLimit) break;
        }
        if (input.since < 0) input.since = server.ticks;
        let chunk: Buffer | null;
        try {
          chunk = yield* conn.read(undefined, waitHead);
        } catch (error) {
          if (error instanceof stackless.TaskletExit) throw error;
          return; // closed by the headersTimeout sweep, reset by the peer: the connection is over (W5)
        }
        if (chunk === null) return; // the client closed between requests, or mid-head: nothing to answer
        input.append(chunk);
      }
      if (headEnd < 0 || headEnd - input.pos > server.headLimit) {
        yield* refuse(conn, new HttpError(431,
          `the request head is longer than the limit of ${server.headLimit} bytes (W2)`));
        return;
      }
      let head: RequestHead;
      try {
        head = server.parseHead(input.buf, input.pos, headEnd);
      } catch (error) {
        yield* refuse(conn, error as HttpError);
        return;
      }
      input.pos = headEnd;
      input.since = -1;

      const req = new HttpRequest(head, input);
      const res = new HttpResponse(req, conn);
      req.response = res;
      try {
        const body = server.handler(req, res);
        if (body !== undefined && body !== null) {
          if (typeof (body as Generator).next === 'function') yield body;
          else if (typeof (body as unknown as PromiseLike<void>).then === 'function') throw asyncHandler();
        }
        if (!res.finished) yield res.end();
      } catch (error) {
        if (error instanceof stackless.TaskletExit) throw error;
        yield* handlerFailed(server, conn, req, res, error);
        return;
      }
      if (!res.reusable) return;
      // K4 for handlers that did not wait for their writes: a client that sends requests without reading the
      // replies stalls here, not in our memory.
      if (conn.socket.writableNeedDrain) {
        try {
          yield* conn.flush();
        } catch (error) {
          if (error instanceof stackless.TaskletExit) throw error;
          return; // the client went away
        }
      }
      // W3: a body the handler left unread is read and dropped (within the limit) before the next request.
      if (req.bodyPending) {
        input.since = server.ticks;
        if (!(yield* req.drain(undefined))) return;
      }
      // W1: the next request is already here; let the other connections have their turn first.
      if (input.end > input.pos || conn.buffered > 0) yield stackless.schedule();
    }
  } finally {
    server.untrack(input);
  }
}

/** A handler threw: a 500 (or the HttpError's status) before the head, else the socket is destroyed (W4). */
function* handlerFailed(server: HttpServer, conn: Conn, req: HttpRequest, res: HttpResponse,
  error: unknown): Generator<unknown, void, unknown> {
  // A client that went away mid-request (a reset, a close) is not the handler's fault; nothing to report.
  if (conn.closed) return;
  const refused = error instanceof HttpError;
  if (!refused) {
    try {
      server.onError(error, req);
    } catch (inOnError) {
      reportError(inOnError, req);
    }
  }
  if (res.headersSent) {
    conn.close(error instanceof Error ? error : undefined);
    return;
  }
  yield* refuse(conn, refused ? error : new HttpError(500, 'the server failed to handle the request'));
}

/** Replies `error.status` with its message and `connection: close`; `serve` then ends the connection. */
function* refuse(conn: Conn, error: HttpError): Generator<unknown, void, unknown> {
  const status = error.status;
  const text = `${status} ${reasons[status] ?? 'Error'}: ${error.message}\n`;
  const head = `HTTP/1.1 ${status} ${reasons[status] ?? 'Error'}\r\ncontent-type: text/plain; charset=utf-8\r\n`
    + `date: ${httpDate()}\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n`;
  try {
    yield* conn.write(head + text);
  } catch {
    conn.close(); // the client went away first
  }
}

function asyncHandler(): TypeError {
  return new TypeError('serveHttp: the handler returned a promise; a handler is a generator function (or a plain '
    + 'function) that waits with yield*, for example yield* hub.await(promise)');
}

const reasons: Record<number, string> = {
  400: 'Bad Request', 413: 'Content Too Large', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  501: 'Not Implemented', 505: 'HTTP Version Not Supported',
};

function reportError(error: unknown, req: HttpRequest | null): void {
  const what = req === null ? '' : ` of ${req.method} ${req.target} from ${req.conn.remote}`;
  console.error(`serveHttp: the handler${what} threw:`, error);
}

function checkOption(name: string, value: number, min: number): void {
  if (!(typeof value === 'number' && value >= min && (Number.isInteger(value) || value === Infinity))) {
    throw new TypeError(`serveHttp: the ${name} option must be an integer >= ${min}, not ${String(value)}`);
  }
}

/** `serveHttp(where, handler, options)` on `hub`'s instance (docs/io.md §3). */
export function serveHttpOn(hub: Hub, where: number | net.Server | Listener, handler: HttpHandler,
  options?: HttpOptions): Op<Listener> {
  if (typeof handler !== 'function') {
    throw new TypeError(`serveHttp(where, handler): handler must be a function, not ${typeof handler}`);
  }
  const headLimit = options?.headLimit ?? DEFAULT_HEAD_LIMIT;
  const headersTimeout = options?.headersTimeout ?? DEFAULT_HEADERS_TIMEOUT;
  checkOption('headLimit', headLimit, 1);
  checkOption('headersTimeout', headersTimeout, 1);
  const onError = options?.onError ?? reportError;
  if (typeof onError !== 'function') throw new TypeError('serveHttp: the onError option must be a function');
  const parse = options?.parseHead ?? parseHead;
  if (typeof parse !== 'function') throw new TypeError('serveHttp: the parseHead option must be a function');
  const server = new HttpServer(hub, handler, headLimit, headersTimeout, onError, parse);
  return serveOn(hub, where, server.serveConnection, {
    ...options,
    onError: (error) => reportError(error, null),
  });
}

/** `serveHttp` on the default hub (docs/io.md §3). */
export function serveHttp(where: number | net.Server | Listener, handler: HttpHandler,
  options?: HttpOptions): Op<Listener> {
  return serveHttpOn(defaultHub(), where, handler, options);
}
