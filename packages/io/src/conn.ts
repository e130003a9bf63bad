/**
 * `Conn`: a socket read and written by tasklets with ops (docs/io.md §2, K1-K6).
 *
 * Invariants:
 * - The socket flows: every chunk goes into `buffer` as it comes (K1). It is paused while more than
 *   `highWaterMark` bytes are buffered, and resumed once reads bring the buffer below half, or when a read has to
 *   wait for more (K2).
 * - At most one tasklet waits to read (`reader`) and one to write (`writer`); a second that would wait gets
 *   StacklessError before anything changes (K5). The hub's teardown clears the slot whatever ends the wait, so a
 *   killed or timed-out reader leaves the buffered bytes and the socket as they were (K6).
 * - `failure` is sticky: the socket's error, once one came (K6); every later op throws it. `closedBy` records a
 *   `close()`; every later op throws ConnClosedError.
 * - An op whose outcome is ready never switches: its first `next()` is done. Ops are small objects of a few
 *   classes; nothing creates a closure or a generator per op. The socket's listeners are shared functions that
 *   find their Conn through a symbol property; 'drain' and 'finish' are added once a write first has to wait.
 */
import type { Op } from '@greenstackless/greenlet';
import { describeValue, GreenletError } from '@greenstackless/greenlet';
import net from 'node:net';
import { StacklessError } from 'greenstackless';
import { ConnClosedError, UnexpectedEOFError } from './errors.js';
import { defaultHub, hubCore } from './registry.js';
import { IMMEDIATE, type HubCore } from './pump.js';
import type { Hub, WaitOptions } from './types.js';
import { BY_RESUME, NEXT, REJECTED, RESOLVED, WaitOp } from './wait.js';
import { NEWLINE, ReadBuffer } from './readbuffer.js';

export interface ConnOptions {
  /** Default 65536: pause the socket above it, resume below half (K2). */
  readHighWaterMark?: number;
  /** Default 65536: a longer line throws LineTooLongError (K2). */
  lineLimit?: number;
  /** Default true. */
  noDelay?: boolean;
}

const OP_BRAND = Symbol.for('@greenstackless/op');
const CONN = Symbol('Conn');

/** Conn.flags. */
const PAUSED = 1;
const CORKED = 2;
const READING = 4;
const EOF = 8;

/** A ConnOp's `deadline` before the op starts. */
const NOT_STARTED = -2;

/** What a waiting writer waits for. */
const DRAIN = 1;
const FINISH = 2;

/** A read op's attempt found too few bytes: it waits for more. */
const NEED: unique symbol = Symbol('need');

interface SocketWithConn extends net.Socket {
  [CONN]: Conn;
}

export class Conn implements Disposable {
  readonly socket: net.Socket;
  readonly core: HubCore;
  /** The bytes received and not yet read (K1). */
  readonly buffer = new ReadBuffer();
  /** The options' limits, one shared object for the defaults. */
  readonly limits: ConnLimits;

  /** The socket's error (K6), or null. */
  failure: Error | null = null;
  /** Set by close(): the ConnClosedError every later op throws. */
  closedBy: ConnClosedError | null = null;
  /** EOF, PAUSED, CORKED and READING: one field for four flags, so an idle connection holds a little less. */
  private flags = 0;

  /** The wait op of the last read that waited, made again only while it is still in use. */
  private readWait: WaitOp<undefined> | null = null;
  /** The writing side's wait source, made when a write first has to wait. */
  writeSide: WriteSide | null = null;

  /**
   * The peer's address and port, read while the socket is connected: Node forgets them once the socket closes.
   * `remote` joins them when asked, so an idle connection holds no string of its own.
   */
  private readonly remoteAddress: string | undefined;
  private readonly remotePort: number | undefined;

  /** The pump (its number) in which this Conn last wrote, or -1. */
  private wrotePump = -1;

  constructor(socket: net.Socket, hub?: Hub, options?: ConnOptions) {
    if (!(socket instanceof net.Socket)) {
      throw new TypeError(`new Conn(socket): socket must be a net.Socket, not ${socket === null ? 'null' : typeof socket}`);
    }
    if ((socket as SocketWithConn)[CONN] !== undefined) {
      throw new TypeError(`new Conn(socket): this socket already has a Conn, ${String((socket as SocketWithConn)[CONN])}`);
    }
    this.socket = socket;
    this.limits = limitsOf(options);
    this.core = hubCore(hub ?? defaultHub());
    this.remoteAddress = socket.remoteAddress;
    this.remotePort = socket.remotePort;
    (socket as SocketWithConn)[CONN] = this;
    socket.allowHalfOpen = true; // K3: writes still work after the peer's FIN
    if (options?.noDelay !== false && typeof socket.setNoDelay === 'function') socket.setNoDelay(true);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('error', onError);
    socket.on('close', onClose);
    // 'drain' and 'finish' are listened to once a write first waits (WriteSide): an idle connection holds less.
    if (socket.destroyed || socket.readableEnded) this.eof = true; // its 'end' will not come again
  }

  /** The next line without its `\n` (and a `\r` before it) unless `keepEnd`; `null` after EOF (K1, K3). */
  readLine(options?: { keepEnd?: boolean; encoding?: BufferEncoding } & WaitOptions): Op<string | null> {
    return new ReadLineOp(this, options);
  }

  /** The bytes up to and including `delimiter`; at EOF the rest, then `null` (K1, K3). */
  readUntil(delimiter: string | Uint8Array, options?: { limit?: number } & WaitOptions): Op<Buffer | null> {
    const limit = options?.limit ?? this.limits.lineLimit;
    if (!(Number.isInteger(limit) && limit >= 1)) {
      throw new TypeError(`readUntil(delimiter, { limit }): limit must be an integer >= 1, not ${describeValue(limit)}`);
    }
    return new ReadUntilOp(this, this.delimiter(delimiter), limit, options);
  }

  /** What is buffered, at most `max` bytes, waiting only when nothing is; `null` after EOF (K1, K3). */
  read(max?: number, options?: WaitOptions): Op<Buffer | null> {
    if (max !== undefined && !(max >= 1 && Number.isFinite(max))) {
      throw new TypeError(`read(max): max must be a number of bytes >= 1, not ${describeValue(max)}`);
    }
    return new ReadOp(this, max === undefined ? Infinity : Math.floor(max), options);
  }

  /** Exactly `n` bytes, or UnexpectedEOFError when the peer ends first (K1). */
  readExactly(n: number, options?: WaitOptions): Op<Buffer> {
    if (!Number.isInteger(n) || n < 0) {
      throw new TypeError(`readExactly(n): n must be an integer >= 0, not ${describeValue(n)}`);
    }
    return new ReadExactlyOp(this, n, options);
  }

  /** Hands `data` to the socket; switches only when its buffer is over its high-water mark (K4). */
  write(data: string | Uint8Array, options?: WaitOptions): Op<void> {
    checkData('write', data);
    return new WriteOp(this, data, WRITE, options);
  }

  /** Waits until the socket's buffer is below its high-water mark (K4). */
  flush(options?: WaitOptions): Op<void> {
    return new WriteOp(this, undefined, FLUSH, options);
  }

  /** Writes `data` if given, half-closes and waits until everything is handed to the system (K4). */
  end(data?: string | Uint8Array, options?: WaitOptions): Op<void> {
    if (data !== undefined) checkData('end', data);
    return new WriteOp(this, data, END, options);
  }

  /**
   * Destroys the socket; a waiting reader or writer throws ConnClosedError whose cause is `error` (K6). Works
   * from any tasklet or callback; a second call does nothing.
   */
  close(error?: Error): void {
    if (this.closedBy !== null) return;
    this.closedBy = new ConnClosedError(
      `the connection to ${this.remote} is closed`,
      error === undefined ? undefined : { cause: error },
    );
    this.socket.destroy();
    this.wakeAll(this.closedBy);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * The waiting reader's wait op (K5), or null: `readWait` while it is attached (READING). Its `extra` names what
   * it reads, for hub.waiting().
   */
  get reader(): WaitOp | null {
    return (this.flags & READING) !== 0 ? this.readWait : null;
  }

  /** True once the peer's FIN came, or the socket closed without an error (K3). */
  get eof(): boolean {
    return (this.flags & EOF) !== 0;
  }

  set eof(on: boolean) {
    this.flags = on ? this.flags | EOF : this.flags & ~EOF;
  }

  /** The socket is paused by the read backpressure (K2). */
  get paused(): boolean {
    return (this.flags & PAUSED) !== 0;
  }

  set paused(on: boolean) {
    this.flags = on ? this.flags | PAUSED : this.flags & ~PAUSED;
  }

  /** Set while the socket is corked for the running pump (I6). */
  get corked(): boolean {
    return (this.flags & CORKED) !== 0;
  }

  set corked(on: boolean) {
    this.flags = on ? this.flags | CORKED : this.flags & ~CORKED;
  }

  /** The hub whose instance runs this Conn's waits. */
  get hub(): Hub {
    return this.core.hub!;
  }

  get highWaterMark(): number {
    return this.limits.highWaterMark;
  }

  get lineLimit(): number {
    return this.limits.lineLimit;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  get closed(): boolean {
    return this.closedBy !== null || this.socket.destroyed;
  }

  /** "address:port" of the peer, for messages. */
  get remote(): string {
    return this.remoteAddress === undefined ? 'an unconnected socket' : `${this.remoteAddress}:${this.remotePort}`;
  }

  toString(): string {
    return `Conn(${this.remote})`;
  }

  /** The error a new op throws at once, or null (K6). */
  refusal(): Error | null {
    return this.failure ?? this.closedBy;
  }

  /** A read has to wait: the K5 check, then the socket flows again if the backpressure paused it (K2). */
  waitRead(what: string, options: WaitOptions | undefined): WaitOp<undefined> {
    if (this.reader !== null) {
      throw new StacklessError(`Conn is already being read by ${String(this.reader.tasklet)} (K5)`);
    }
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    // One reader at a time (K5): the wait op of the last read is done, and serves again.
    const last = this.readWait;
    if (last !== null && last.reusable()) return last.reuse(what, options);
    return (this.readWait = new WaitOp<undefined>(this.core, NEXT, this, what, options));
  }

  /** A write, flush or end has to wait for 'drain' or 'finish'. */
  waitWrite(what: string, waitsFor: number, options: WaitOptions | undefined): Op<undefined> {
    let side = this.writeSide;
    if (side === null) {
      side = this.writeSide = new WriteSide(this);
      this.socket.on('drain', onDrain);
      this.socket.on('finish', onFinish);
    }
    side.what = what;
    side.waitsFor = waitsFor;
    return new WaitOp<undefined>(this.core, NEXT, side, undefined, options);
  }

  /** The waiting writer's wait op, or null. */
  get writer(): WaitOp | null {
    return this.writeSide === null ? null : this.writeSide.op;
  }

  /** K5 for writers, before a write changes anything. */
  checkWriter(): void {
    const writer = this.writer;
    if (writer !== null) {
      throw new StacklessError(`Conn is already being written by ${String(writer.tasklet)} (K5)`);
    }
  }

  /** After a take: the socket flows again once the buffer is below half its high-water mark (K2). */
  taken(): void {
    if (this.paused && this.buffer.length < this.limits.highWaterMark / 2) {
      this.paused = false;
      this.socket.resume();
    }
  }

  /** Wakes the waiting reader and writer with `error`. */
  wakeAll(error: Error): void {
    if (this.reader !== null) this.reader.decide(REJECTED, error, BY_RESUME, IMMEDIATE);
    const writer = this.writer;
    if (writer !== null) writer.decide(REJECTED, error, BY_RESUME, IMMEDIATE);
  }

  /** Wakes the waiting reader to look at the buffer again. */
  wakeReader(): void {
    this.reader!.decide(RESOLVED, undefined, BY_RESUME, IMMEDIATE);
  }

  /**
   * I6: the writes a Conn makes during one pump leave together when it ends. The first goes out at once (a
   * connection that answers once a turn pays nothing for corking); a second in the same pump corks the socket
   * until the pump ends.
   */
  corkForPump(): void {
    const core = this.core;
    if (this.corked || !core.pumping) return;
    if (this.wrotePump !== core.pumps) {
      this.wrotePump = core.pumps;
      return;
    }
    this.corked = true;
    this.socket.cork();
    core.deferToPumpEnd(this);
  }

  /** The pump in which the socket was corked has ended (I6). */
  atPumpEnd(): void {
    this.corked = false;
    this.socket.uncork();
  }

  // The wait source of reads (wait.ts): the hub attaches the waiting read's op and detaches it at its teardown.
  attach(op: WaitOp): void {
    this.readWait = op as WaitOp<undefined>;
    this.flags |= READING;
  }

  detach(_op: WaitOp): void {
    this.flags &= ~READING;
  }

  describe(op: WaitOp): string {
    return `${op.extra as string} on ${this.remote}`;
  }

  private delimiter(delimiter: string | Uint8Array): Buffer {
    if (typeof delimiter === 'string') {
      let cache = lastDelimiter;
      if (cache === null || delimiter !== cache.text) {
        cache = lastDelimiter = { text: delimiter, bytes: Buffer.from(delimiter) };
      }
      if (cache.bytes.length === 0) throw new TypeError('readUntil(delimiter): the delimiter is empty');
      return cache.bytes;
    }
    if (!(delimiter instanceof Uint8Array)) {
      throw new TypeError(`readUntil(delimiter): the delimiter must be a string or a Uint8Array, not ${typeof delimiter}`);
    }
    if (delimiter.length === 0) throw new TypeError('readUntil(delimiter): the delimiter is empty');
    return Buffer.isBuffer(delimiter) ? delimiter : Buffer.from(delimiter.buffer, delimiter.byteOffset, delimiter.length);
  }
}

/** A Conn's read limits (K2). */
interface ConnLimits {
  readonly highWaterMark: number;
  readonly lineLimit: number;
}

interface DelimCache {
  readonly text: string;
  readonly bytes: Buffer;
}

/** The last string delimiter of any readUntil and its bytes, so that a loop of readUntil encodes it once. */
let lastDelimiter: DelimCache | null = null;

const DEFAULT_LIMITS: ConnLimits = { highWaterMark: 65536, lineLimit: 65536 };

function limitsOf(options: ConnOptions | undefined): ConnLimits {
  const highWaterMark = options?.readHighWaterMark ?? 65536;
  const lineLimit = options?.lineLimit ?? 65536;
  checkSize('readHighWaterMark', highWaterMark);
  checkSize('lineLimit', lineLimit);
  if (highWaterMark === 65536 && lineLimit === 65536) return DEFAULT_LIMITS;
  return { highWaterMark, lineLimit };
}

function checkSize(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new TypeError(`ConnOptions.${name} must be an integer >= 1, not ${describeValue(value)}`);
  }
}

function checkData(method: string, data: unknown): void {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError(`${method}(data): data must be a string or a Uint8Array, not ${data === null ? 'null' : typeof data}`);
  }
}

// ---- the socket's listeners, shared by every Conn ----

function onData(this: net.Socket, chunk: Buffer): void {
  const conn = (this as SocketWithConn)[CONN];
  conn.buffer.push(chunk);
  // Paused even when a read waits: more chunks may come in this turn before it runs. If it still needs more, its
  // next wait resumes the socket (K2).
  if (!conn.paused && conn.buffer.length > conn.limits.highWaterMark) {
    conn.paused = true;
    this.pause();
  }
  if (conn.reader !== null) conn.wakeReader();
}

function onEnd(this: net.Socket): void {
  const conn = (this as SocketWithConn)[CONN];
  conn.eof = true;
  if (conn.reader !== null) conn.wakeReader();
}

function onError(this: net.Socket, error: Error): void {
  const conn = (this as SocketWithConn)[CONN];
  if (conn.failure === null && conn.closedBy === null) conn.failure = error;
  this.destroy();
  conn.wakeAll(conn.failure ?? error);
}

function onClose(this: net.Socket): void {
  const conn = (this as SocketWithConn)[CONN];
  conn.eof = true; // nothing more can arrive
  if (conn.reader !== null) conn.wakeReader();
  const writer = conn.writer;
  if (writer !== null) {
    const error = conn.refusal() ??
      new ConnClosedError(`the connection to ${conn.remote} closed before its writes were sent`);
    writer.decide(REJECTED, error, BY_RESUME, IMMEDIATE);
  }
}

function onDrain(this: net.Socket): void {
  (this as SocketWithConn)[CONN].writeSide?.came(DRAIN);
}

function onFinish(this: net.Socket): void {
  (this as SocketWithConn)[CONN].writeSide?.came(FINISH);
}

/** The wait source of a Conn's writes: at most one waiting writer (K5), waiting for 'drain' or 'finish'. */
class WriteSide {
  readonly conn: Conn;
  op: WaitOp | null = null;
  what = 'write';
  waitsFor = 0;

  constructor(conn: Conn) {
    this.conn = conn;
  }

  came(event: number): void {
    if (this.op !== null && this.waitsFor === event) this.op.decide(RESOLVED, undefined, BY_RESUME, IMMEDIATE);
  }

  attach(op: WaitOp): void {
    this.op = op;
  }

  detach(_op: WaitOp): void {
    this.op = null;
    this.waitsFor = 0;
  }

  describe(): string {
    return `${this.what} on ${this.conn.remote}`;
  }
}

// ---- ops ----

/**
 * The base of Conn's ops: the op protocol (brand, H1) and the iterator result, which is the op itself. A step
 * either finishes (`done`, `value` the result) or gives the hub's wait op to run and is stepped again with its
 * outcome.
 */
abstract class ConnOp<T> {
  done = false;
  value: unknown = undefined;
  /**
   * NOT_STARTED before the op starts (H1), then -1 until it first waits with a timeout, then when that timeout
   * passes (performance.now()). One field for both: an idle connection's read op is small.
   */
  private deadline = NOT_STARTED;
  /** The read's wait op while it waits (stepped by `next` and `throw`), or null. */
  private inner: WaitOp<undefined> | null = null;
  readonly conn: Conn;
  readonly options: WaitOptions | undefined;

  constructor(conn: Conn, options: WaitOptions | undefined) {
    this.conn = conn;
    this.options = options;
  }

  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    if (this.deadline !== NOT_STARTED) {
      throw new GreenletError(`the op ${this.describe()} has already run; an op runs at most once (H1)`);
    }
    this.deadline = -1;
    return this as unknown as Iterator<unknown, T, unknown>;
  }

  abstract describe(): string;
  /** One try: finish, or wait (`waitFor` a read's wait op, `wait` for a write's) and be stepped again. */
  protected abstract attempt(): IteratorResult<unknown, T>;

  next(): IteratorResult<unknown, T> {
    const inner = this.inner;
    if (inner !== null) {
      let r: IteratorResult<unknown, unknown>;
      try {
        r = inner.next();
      } catch (error) {
        this.inner = null;
        this.done = true;
        throw error;
      }
      if (!r.done) return this.wait(r.value);
      this.inner = null;
    }
    return this.attempt();
  }

  /** The wait ended with an error (timeout, signal, kill, close, a socket error): it comes out of the op. */
  throw(error: unknown): IteratorResult<unknown, T> {
    this.done = true;
    const inner = this.inner;
    if (inner !== null) {
      this.inner = null;
      inner.throw(error); // the wait's teardown, then the error (I2.5)
    }
    throw error;
  }

  protected finish(value: unknown): IteratorResult<unknown, T> {
    this.done = true;
    this.value = value;
    return this as unknown as IteratorResult<unknown, T>;
  }

  /**
   * The options of the op's next wait. A read may wait several times (once per chunk that does not complete it);
   * its `timeout` counts from the first wait, so a peer that trickles bytes cannot hold it forever.
   */
  protected waitOptions(): WaitOptions | undefined {
    const options = this.options;
    if (options === undefined || options.timeout === undefined) return options;
    const now = performance.now();
    if (this.deadline < 0) {
      this.deadline = now + options.timeout;
      return options;
    }
    return {
      timeout: Math.max(0, this.deadline - now),
      signal: options.signal,
      description: options.description,
      unref: options.unref,
    };
  }

  /**
   * A read waits in the Conn's wait op, stepped from here as `yield*` would: what it yields (the pause) comes out
   * of this op, so a read's wait adds no frame of the trampoline.
   */
  protected waitFor(op: WaitOp<undefined>): IteratorResult<unknown, T> {
    op[Symbol.iterator]();
    const r = op.next();
    if (r.done) return this.attempt(); // decided at once: look at the buffer again
    this.inner = op;
    return this.wait(r.value);
  }

  protected wait(op: unknown): IteratorResult<unknown, T> {
    this.value = op;
    return this as unknown as IteratorResult<unknown, T>;
  }
}
(ConnOp.prototype as any)[OP_BRAND] = true;

/** readLine (K1): `keepEnd` and `encoding` are read from the options when a line is taken. */
class ReadLineOp extends ConnOp<string | null> {
  declare readonly options: ({ keepEnd?: boolean; encoding?: BufferEncoding } & WaitOptions) | undefined;

  describe(): string {
    return `readLine() on ${this.conn.remote}`;
  }

  protected attempt(): IteratorResult<unknown, string | null> {
    const conn = this.conn;
    const refusal = conn.refusal();
    if (refusal !== null) throw refusal;
    const options = this.options;
    const line = options === undefined
      ? conn.buffer.takeLine(false, 'utf8', conn.limits.lineLimit, conn.eof)
      : conn.buffer.takeLine(options.keepEnd === true, options.encoding ?? 'utf8', conn.limits.lineLimit, conn.eof);
    if (line !== undefined) {
      conn.taken();
      return this.finish(line);
    }
    if (conn.eof) return this.finish(null);
    return this.waitFor(conn.waitRead('readLine', this.waitOptions()));
  }
}

class ReadUntilOp extends ConnOp<Buffer | null> {
  readonly delimiter: Buffer;
  readonly limit: number;

  constructor(conn: Conn, delimiter: Buffer, limit: number, options: WaitOptions | undefined) {
    super(conn, options);
    this.delimiter = delimiter;
    this.limit = limit;
  }

  describe(): string {
    return `readUntil() on ${this.conn.remote}`;
  }

  protected attempt(): IteratorResult<unknown, Buffer | null> {
    const conn = this.conn;
    const refusal = conn.refusal();
    if (refusal !== null) throw refusal;
    const bytes = conn.buffer.takeUntil(this.delimiter, this.limit, conn.eof);
    if (bytes !== undefined) {
      conn.taken();
      return this.finish(bytes);
    }
    if (conn.eof) return this.finish(null);
    return this.waitFor(conn.waitRead('readUntil', this.waitOptions()));
  }
}

class ReadOp extends ConnOp<Buffer | null> {
  readonly max: number;

  constructor(conn: Conn, max: number, options: WaitOptions | undefined) {
    super(conn, options);
    this.max = max;
  }

  describe(): string {
    return `read() on ${this.conn.remote}`;
  }

  protected attempt(): IteratorResult<unknown, Buffer | null> {
    const conn = this.conn;
    const refusal = conn.refusal();
    if (refusal !== null) throw refusal;
    const bytes = conn.buffer.takeSome(this.max);
    if (bytes !== undefined) {
      conn.taken();
      return this.finish(bytes);
    }
    if (conn.eof) return this.finish(null);
    return this.waitFor(conn.waitRead('read', this.waitOptions()));
  }
}

class ReadExactlyOp extends ConnOp<Buffer> {
  readonly n: number;

  constructor(conn: Conn, n: number, options: WaitOptions | undefined) {
    super(conn, options);
    this.n = n;
  }

  describe(): string {
    return `readExactly() on ${this.conn.remote}`;
  }

  protected attempt(): IteratorResult<unknown, Buffer> {
    const conn = this.conn;
    const refusal = conn.refusal();
    if (refusal !== null) throw refusal;
    const bytes = conn.buffer.takeExactly(this.n);
    if (bytes !== undefined) {
      conn.taken();
      return this.finish(bytes);
    }
    if (conn.eof) {
      throw new UnexpectedEOFError(
        `the peer ${conn.remote} ended the connection after ${conn.buffer.length} of ${this.n} bytes (K1)`,
      );
    }
    return this.waitFor(conn.waitRead('readExactly', this.waitOptions()));
  }
}

const WRITE = 0;
const FLUSH = 1;
const END = 2;
const WRITE_NAMES = ['write', 'flush', 'end'];

/** write, flush and end (K4): hand over what there is, then wait for 'drain' or 'finish' if needed. */
class WriteOp extends ConnOp<void> {
  readonly data: string | Uint8Array | undefined;
  readonly kind: number;
  /** The data has been handed to the socket; a next step is the outcome of the wait. */
  private handed = false;

  constructor(conn: Conn, data: string | Uint8Array | undefined, kind: number, options: WaitOptions | undefined) {
    super(conn, options);
    this.data = data;
    this.kind = kind;
  }

  describe(): string {
    return `${WRITE_NAMES[this.kind]}() on ${this.conn.remote}`;
  }

  protected attempt(): IteratorResult<unknown, void> {
    if (this.handed) return this.finish(undefined); // the drain or finish came
    const conn = this.conn;
    const refusal = conn.refusal();
    if (refusal !== null) throw refusal;
    const socket = conn.socket;
    conn.checkWriter();
    this.handed = true;
    switch (this.kind) {
      case WRITE: {
        if (socket.writableEnded) {
          throw new ConnClosedError(`write() after end() on the connection to ${conn.remote} (K4)`);
        }
        if (socket.destroyed) throw new ConnClosedError(`the connection to ${conn.remote} is closed (K4)`);
        conn.corkForPump();
        if (socket.write(this.data!)) return this.finish(undefined);
        return this.wait(conn.waitWrite('write', DRAIN, this.options));
      }
      case FLUSH:
        if (!socket.writableNeedDrain) return this.finish(undefined);
        return this.wait(conn.waitWrite('flush', DRAIN, this.options));
      default: {
        if (socket.writableFinished) return this.finish(undefined);
        if (socket.destroyed) throw new ConnClosedError(`the connection to ${conn.remote} is closed (K4)`);
        if (!socket.writableEnded) {
          if (this.data !== undefined) socket.end(this.data);
          else socket.end();
        } else if (this.data !== undefined) {
          throw new ConnClosedError(`end(data) after end() on the connection to ${conn.remote} (K4)`);
        }
        return this.wait(conn.waitWrite('end', FINISH, this.options));
      }
    }
  }
}
