/**
 * `listen`, `accept` and `connect` (docs/io.md §2, K7): the listening side queues accepted connections as Conns for
 * `accept`, or hands each to a server loop (`serve`); the connecting side waits for the socket to connect.
 *
 * Invariants:
 * - Every accepted socket becomes a Conn at once, so its errors are kept (K6) even while it waits in the queue.
 * - While a handler is set (`serve`), connections go to it and the queue stays empty; otherwise they queue and
 *   each waiting acceptor is woken in turn to take the first of the queue.
 * - A closed listener queues nothing: the Conns still queued are closed, and waiting acceptors throw
 *   ConnClosedError.
 */
import net from 'node:net';
import { GreenletError } from '@greenstackless/greenlet';
import type { Op } from '@greenstackless/greenlet';
import { Conn, type ConnOptions } from './conn.js';
import { ConnClosedError } from './errors.js';
import { defaultHub } from './registry.js';
import type { Hub, Resume, WaitOptions } from './types.js';

const OP_BRAND = Symbol.for('@greenstackless/op');

// Every hub has the socket functions as members for its own instance (docs/io.md §2; hub.ts implements them).
declare module './types.js' {
  interface Hub {
    connect: typeof connect;
    listen: typeof listen;
  }
}

export interface Listener extends Disposable {
  /** The next connection, waiting for one when none is queued. */
  accept(options?: WaitOptions): Op<Conn>;
  /** Stops accepting; completes when the server has closed (after its connections have ended, as Node does). */
  close(): Op<void>;
  readonly address: net.AddressInfo;
  readonly server: net.Server;
}

export class ListenerImpl implements Listener {
  readonly server: net.Server;
  readonly hub: Hub;
  readonly options: ConnOptions | undefined;
  /** Accepted connections no tasklet has taken yet. */
  readonly queue: Conn[] = [];
  /** The resumes of tasklets waiting in accept(), oldest first. */
  readonly acceptors: Array<Resume<undefined>> = [];
  /** When set (by serve), each new connection goes here instead of the queue. */
  handler: ((conn: Conn) => void) | null = null;
  /** Set once close() or dispose ran: the error accept() throws. */
  closedBy: Error | null = null;
  /** hub.wait's register for accept(), made once per listener. */
  readonly registerAccept: (resume: Resume<undefined>) => () => void;
  private readonly onConnection: (socket: net.Socket) => void;
  private readonly onError: (error: Error) => void;

  constructor(server: net.Server, hub: Hub, options: ConnOptions | undefined) {
    this.server = server;
    this.hub = hub;
    this.options = options;
    this.onConnection = (socket) => {
      const conn = new Conn(socket, this.hub, this.options);
      if (this.handler !== null) {
        this.handler(conn);
        return;
      }
      if (this.closedBy !== null) {
        conn.close();
        return;
      }
      this.queue.push(conn);
      if (this.acceptors.length !== 0) this.acceptors.shift()!.resolve(undefined);
    };
    // An accept error (EMFILE, ...) goes to waiting acceptors; a server without an 'error' listener would throw.
    this.onError = (error) => {
      if (this.acceptors.length === 0 && this.handler !== null) {
        console.error(`the server on ${describeAddress(this.server)} failed to accept a connection:`, error);
      }
      for (const a of this.acceptors.splice(0)) a.reject(error);
    };
    this.registerAccept = (resume) => this.register(resume);
    server.on('connection', this.onConnection);
    server.on('error', this.onError);
  }

  get address(): net.AddressInfo {
    const address = this.server.address();
    if (address === null || typeof address === 'string') {
      throw new TypeError(`the server is not listening on a TCP port (its address is ${String(address)})`);
    }
    return address;
  }

  accept(options?: WaitOptions): Op<Conn> {
    return new AcceptOp(this, options);
  }

  /** Takes the first queued connection, or null. */
  take(): Conn | null {
    return this.queue.length === 0 ? null : this.queue.shift()!;
  }

  close(): Op<void> {
    return closeListener(this);
  }

  /** Stops accepting; queued connections are closed and waiting acceptors throw ConnClosedError. */
  stop(): void {
    if (this.closedBy !== null) return;
    this.closedBy = new ConnClosedError(`the listener on ${describeAddress(this.server)} is closed`);
    this.handler = null;
    if (this.server.listening) this.server.close();
    for (const conn of this.queue.splice(0)) conn.close();
    for (const a of this.acceptors.splice(0)) a.reject(this.closedBy);
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  /** Registers a waiting acceptor; its teardown is one closure per wait, on a path far slower (a connection). */
  register(resume: Resume<undefined>): () => void {
    this.acceptors.push(resume);
    return () => {
      const at = this.acceptors.indexOf(resume);
      if (at >= 0) this.acceptors.splice(at, 1);
      // Woken and gone without taking (killed, timed out): the next acceptor takes the connection instead.
      else if (this.queue.length !== 0 && this.acceptors.length !== 0) this.acceptors.shift()!.resolve(undefined);
    };
  }
}

function describeAddress(server: net.Server): string {
  const a = server.address();
  if (a === null) return 'a closed server';
  if (typeof a === 'string') return a;
  return `${a.address}:${a.port}`;
}

function* closeListener(listener: ListenerImpl): Generator<unknown, void, unknown> {
  const server = listener.server;
  const wasListening = server.listening;
  const closed = wasListening ? listener.hub.once(server, 'close') : null;
  listener.stop();
  if (closed !== null) yield* closed;
}

/** `accept()`: a queued connection at once, else waits for one. */
class AcceptOp {
  done = false;
  value: unknown = undefined;
  private started = false;
  private readonly listener: ListenerImpl;
  private readonly options: WaitOptions | undefined;

  constructor(listener: ListenerImpl, options: WaitOptions | undefined) {
    this.listener = listener;
    this.options = options;
  }

  [Symbol.iterator](): this {
    if (this.started) throw new GreenletError('the op accept() has already run; an op runs at most once (H1)');
    this.started = true;
    return this;
  }

  next(): IteratorResult<unknown, Conn> {
    const l = this.listener;
    const conn = l.take();
    if (conn !== null) {
      this.done = true;
      this.value = conn;
      return this as IteratorResult<unknown, Conn>;
    }
    if (l.closedBy !== null) throw l.closedBy;
    if (l.handler !== null) throw new TypeError('accept() on a listener that serve() serves: its connections go to the handler');
    this.value = l.hub.wait(
      l.registerAccept,
      this.options ?? { description: `accept on ${describeAddress(l.server)}` },
    );
    return this as IteratorResult<unknown, Conn>;
  }

  throw(error: unknown): IteratorResult<unknown, Conn> {
    this.done = true;
    throw error;
  }
}
(AcceptOp.prototype as any)[OP_BRAND] = true;

/** `listen(port, host, options)` on `hub`'s instance: binds and gives the Listener (K7). */
export function listenOn(
  hub: Hub,
  port: number,
  host?: string,
  options?: ConnOptions & { backlog?: number },
): Op<Listener> {
  checkPort('listen', port);
  return listenBody(hub, port, host, options);
}

function* listenBody(
  hub: Hub,
  port: number,
  host: string | undefined,
  options: (ConnOptions & { backlog?: number }) | undefined,
): Generator<unknown, Listener, unknown> {
  const server = net.createServer({ allowHalfOpen: true });
  const listener = new ListenerImpl(server, hub, options);
  const listening = hub.once(server, 'listening', { description: `listen on ${host ?? '*'}:${port}` });
  server.listen({ port, host, backlog: options?.backlog });
  try {
    yield* listening;
  } catch (error) {
    listener.stop();
    throw error;
  }
  return listener;
}

/** `connect(port, host, options)` on `hub`'s instance: the Conn once connected (K7). */
export function connectOn(hub: Hub, port: number, host?: string, options?: ConnOptions & WaitOptions): Op<Conn> {
  checkPort('connect', port);
  return connectBody(hub, port, host ?? 'localhost', options);
}

function* connectBody(
  hub: Hub,
  port: number,
  host: string,
  options: (ConnOptions & WaitOptions) | undefined,
): Generator<unknown, Conn, unknown> {
  const socket = net.connect({ port, host, allowHalfOpen: true });
  const connected = hub.once(socket, 'connect', {
    timeout: options?.timeout,
    signal: options?.signal,
    unref: options?.unref,
    description: options?.description ?? `connect to ${host}:${port}`,
  });
  try {
    yield* connected;
  } catch (error) {
    socket.destroy();
    throw error;
  }
  return new Conn(socket, hub, options);
}

function checkPort(fn: string, port: unknown): void {
  if (!(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535)) {
    throw new TypeError(`${fn}(port): port must be an integer from 0 to 65535, not ${String(port)}`);
  }
}

/** `listen` on the default hub (K7). */
export function listen(port: number, host?: string, options?: ConnOptions & { backlog?: number }): Op<Listener> {
  return listenOn(defaultHub(), port, host, options);
}

/** `connect` on the default hub (K7). */
export function connect(port: number, host?: string, options?: ConnOptions & WaitOptions): Op<Conn> {
  return connectOn(defaultHub(), port, host, options);
}
