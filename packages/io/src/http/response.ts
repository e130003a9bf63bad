/**
 * `HttpResponse` (docs/io.md W4): the handler's status and headers, then a head built as one string and written
 * with the first bytes of the body in one write.
 *
 * Invariants:
 * - Besides the handler's own headers the head carries exactly `date` (cached per second), `connection`
 *   (`keep-alive` or `close`, as decided) and `content-length` or `transfer-encoding` (W4); a handler that set
 *   `date` or `content-length` keeps its own.
 * - `headersSent` and `finished` only go from false to true. Bytes reach the socket only through the Conn's
 *   writes, in call order, and never after `finished`.
 * - `write` and `end` hand their bytes to the Conn when they are called, so a plain (non-generator) handler that
 *   calls `res.end(x)` replies; the op they return only waits while the socket is over its high-water mark.
 * - The body sent matches the framing the head announced: a body longer than the handler's `content-length`
 *   throws before anything is written; a shorter one closes the connection after the response.
 * - HEAD replies and statuses without a body (1xx, 204, 304) send no body bytes; HEAD's head still announces the
 *   length the body would have.
 */
import { STATUS_CODES } from 'node:http';
import type { Op } from '@greenstackless/greenlet';
import type { Conn } from '../conn.js';
import type { HttpRequest } from './request.js';

const OP_BRAND = Symbol.for('@greenstackless/op');

/** An op that is already done, for the calls that have nothing to write; shared, so it may run many times. */
const DONE_RESULT: IteratorResult<unknown, void> = { done: true, value: undefined };
const DONE_ITERATOR: Iterator<unknown, void, unknown> = { next: () => DONE_RESULT };
const DONE: Op<void> = { [OP_BRAND]: true, [Symbol.iterator]: () => DONE_ITERATOR } as Op<void>;

const CHUNKED_END = '0\r\n\r\n';
const CRLF: Buffer = Buffer.from('\r\n');
/** Below this many bytes a Uint8Array body is copied behind the head so that both leave in one write. */
const COPY_LIMIT = 16 * 1024;

/** tchar of RFC 9110: what a header name may hold. */
const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may not hold: controls other than HT (CR and LF above all, against response splitting),
 * and bytes past ASCII, since the head goes out in the same write as a UTF-8 body. */
const BAD_VALUE = /[^\t\x20-\x7e]/;
/** Header names already checked, so a handler's usual names are checked once (bounded). */
const knownNames = new Set<string>();

// The `date` header, computed once per second (W4); the timer that clears it does not keep the process alive.
let cachedDate = '';
function clearDate(): void {
  cachedDate = '';
}
export function httpDate(): string {
  if (cachedDate === '') {
    const now = Date.now();
    cachedDate = new Date(now).toUTCString();
    setTimeout(clearDate, 1000 - (now % 1000)).unref();
  }
  return cachedDate;
}

const statusLines: string[] = [];
function statusLine(status: number): string {
  let line = statusLines[status];
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}\r\n`;
    statusLines[status] = line;
  }
  return line;
}

/** A status whose response never has a body (RFC 9110 §6.4.1). */
function bodyless(status: number): boolean {
  return status < 200 || status === 204 || status === 304;
}

const NO_FRAMING = 0;
const LENGTH = 1;
const CHUNKED = 2;
/** An HTTP/1.0 client without content-length: the body runs until the server closes. */
const UNTIL_CLOSE = 3;

export class HttpResponse {
  /** The status of the reply; 200 unless the handler sets it before the head is sent. */
  status = 200;
  headersSent = false;
  /** `end()` was called. */
  finished = false;
  /** The connection stays open after this response: the request's wish, less what the response decides. */
  keepAlive: boolean;
  private readonly conn: Conn;
  private readonly request: HttpRequest;
  /** The handler's headers: lower-cased name, name as given, value; repeated. */
  private readonly fields: string[] = [];
  /** The handler's content-length, or -1. */
  private declared = -1;
  private hasDate = false;
  private hasConnection = false;
  private framing = NO_FRAMING;
  /** Body bytes the handler has given so far. */
  private sent = 0;
  /** No body bytes go out: a HEAD request, or a status without a body. */
  private silent = false;

  constructor(request: HttpRequest, conn: Conn) {
    this.request = request;
    this.conn = conn;
    this.keepAlive = request.keepAlive;
  }

  /** Sets a header of the reply, replacing one of the same name (case-insensitively). */
  setHeader(name: string, value: string | number): this {
    if (this.headersSent) {
      throw new Error(`setHeader('${name}'): the head of the response was already sent (W4)`);
    }
    if (!knownNames.has(name)) {
      if (typeof name !== 'string' || !NAME.test(name)) {
        throw new TypeError(`setHeader(name): '${String(name)}' is not a valid header name (a token)`);
      }
      if (knownNames.size < 1000) knownNames.add(name);
    }
    const number = typeof value === 'number';
    const text = number ? String(value) : value;
    if (typeof text !== 'string' || (!number && BAD_VALUE.test(text)) || (number && !Number.isFinite(value))) {
      throw new TypeError(`setHeader('${name}', value): the value is not a string or number of visible ASCII `
        + `characters, spaces and tabs (CR and LF would split the response)`);
    }
    const lower = name.toLowerCase();
    switch (lower) {
      case 'content-length':
        if (!/^[0-9]{1,15}$/.test(text)) {
          throw new TypeError(`setHeader('content-length', ${JSON.stringify(text)}): not a decimal number of bytes`);
        }
        this.declared = Number(text);
        break;
      case 'transfer-encoding':
        throw new TypeError(`setHeader('transfer-encoding'): the server sets it; leave content-length unset to `
          + `reply in chunks (W4)`);
      case 'connection':
        this.hasConnection = true;
        if (/(^|,)\s*close\s*(,|$)/i.test(text)) this.keepAlive = false;
        break;
      case 'date':
        this.hasDate = true;
        break;
    }
    const fields = this.fields;
    for (let i = 0; i < fields.length; i += 3) {
      if (fields[i] === lower) {
        fields[i + 1] = name;
        fields[i + 2] = text;
        return this;
      }
    }
    fields.push(lower, name, text);
    return this;
  }

  /** Sends the head if it was not sent, then `chunk` (W4). The first write replies in chunks unless the handler
   * set content-length. */
  write(chunk: string | Uint8Array): Op<void> {
    this.checkOpen('write');
    const length = byteLength(chunk, 'write');
    if (!this.headersSent) {
      const head = this.head(-1);
      return this.send(head, chunk, length);
    }
    return this.send('', chunk, length);
  }

  /** Sends what is left: the head (with content-length when nothing was written), `chunk`, the chunked end. */
  end(chunk?: string | Uint8Array): Op<void> {
    this.checkOpen('end');
    const length = chunk === undefined ? 0 : byteLength(chunk, 'end');
    if (!this.headersSent) {
      const head = this.head(length);
      this.finished = true;
      return this.send(head, chunk, length);
    }
    this.finished = true;
    if (this.framing === CHUNKED && !this.silent) {
      if (length === 0) return this.push(CHUNKED_END);
      return this.sendParts(chunkPrefix(length), chunk!, '\r\n0\r\n\r\n');
    }
    return this.send('', chunk, length);
  }

  /** The reply's framing is complete and the connection may serve another request. */
  get reusable(): boolean {
    if (!this.keepAlive || !this.finished) return false;
    if (this.silent) return true;
    if (this.framing === LENGTH) return this.sent === this.declared;
    return this.framing !== UNTIL_CLOSE;
  }

  private checkOpen(method: string): void {
    if (this.finished) {
      throw new Error(`${method}(): the response to ${this.request.method} ${this.request.target} has ended (W4)`);
    }
  }

  /**
   * Builds the head; `length` is the whole body's length when `end()` sends it at once, or -1 for a first
   * `write()`. Marks the head sent: from here on the framing is fixed.
   */
  private head(length: number): string {
    const status = this.status;
    if (!(Number.isInteger(status) && status >= 100 && status <= 999)) {
      throw new RangeError(`the response status must be an integer from 100 to 999, not ${String(status)}`);
    }
    const request = this.request;
    if (this.keepAlive && !request.bodyReusable) this.keepAlive = false;
    let head = statusLine(status);
    const fields = this.fields;
    for (let i = 0; i < fields.length; i += 3) head += fields[i + 1] + ': ' + fields[i + 2] + '\r\n';
    if (!this.hasDate) head += 'date: ' + httpDate() + '\r\n';
    if (bodyless(status)) {
      this.silent = true;
      this.framing = this.declared >= 0 ? LENGTH : NO_FRAMING;
    } else {
      this.silent = request.method === 'HEAD';
      if (this.declared >= 0) {
        this.framing = LENGTH;
        if (length > this.declared) throw this.overLength(length);
      } else if (length >= 0) {
        this.framing = LENGTH;
        this.declared = length;
        head += 'content-length: ' + length + '\r\n';
      } else if (request.version === '1.1') {
        this.framing = CHUNKED;
        head += 'transfer-encoding: chunked\r\n';
      } else {
        this.framing = UNTIL_CLOSE;
        this.keepAlive = false;
      }
    }
    if (this.hasConnection) head += '\r\n';
    else head += this.keepAlive ? 'connection: keep-alive\r\n\r\n' : 'connection: close\r\n\r\n';
    this.headersSent = true;
    return head;
  }

  private overLength(length: number): Error {
    return new Error(`the response body has ${length} bytes but content-length says ${this.declared} (W4)`);
  }

  /** Writes `head` (may be empty) and `chunk` framed as the head said, in as few writes as it can. */
  private send(head: string, chunk: string | Uint8Array | undefined, length: number): Op<void> {
    if (this.silent || length === 0) {
      if (length !== 0 && this.framing === LENGTH) this.count(length);
      return head === '' ? DONE : this.push(head);
    }
    switch (this.framing) {
      case LENGTH:
        this.count(length);
        break;
      case CHUNKED:
        return this.sendParts(head + chunkPrefix(length), chunk!, '\r\n');
    }
    if (typeof chunk === 'string') return this.push(head + chunk);
    if (head === '') return this.push(chunk!);
    return this.sendParts(head, chunk!, '');
  }

  private count(length: number): void {
    if (this.sent + length > this.declared) throw this.overLength(this.sent + length);
    this.sent += length;
  }

  /** `before`, `chunk`, `after` in one write when they are short or text, else in three. */
  private sendParts(before: string, chunk: string | Uint8Array, after: string): Op<void> {
    if (typeof chunk === 'string') return this.push(before + chunk + after);
    if (chunk.length <= COPY_LIMIT) {
      const size = Buffer.byteLength(before, 'latin1');
      const bytes = Buffer.allocUnsafe(size + chunk.length + after.length);
      bytes.write(before, 0, 'latin1');
      bytes.set(chunk, size);
      if (after.length !== 0) bytes.write(after, size + chunk.length, 'latin1');
      return this.push(bytes);
    }
    if (before !== '') this.push(before);
    if (after === '') return this.push(chunk);
    this.push(chunk);
    return this.push(after === '\r\n' ? CRLF : after);
  }

  /**
   * Hands `data` to the Conn now (K4's write, stepped here rather than by the handler), and gives an op that
   * waits for the socket to drain when it is over its high-water mark, else a done op.
   */
  private push(data: string | Uint8Array): Op<void> {
    const step = this.conn.write(data)[Symbol.iterator]().next();
    return step.done === true ? DONE : this.conn.flush();
  }
}

function chunkPrefix(length: number): string {
  return length.toString(16) + '\r\n';
}

function byteLength(chunk: string | Uint8Array, method: string): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return chunk.length;
  throw new TypeError(`${method}(chunk): chunk must be a string or a Uint8Array, not ${chunk === null ? 'null' : typeof chunk}`);
}
