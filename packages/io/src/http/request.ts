/**
 * `HttpRequest` (docs/io.md §3): a parsed head, and its body read on demand from the connection (W3).
 *
 * Invariants:
 * - The body is read only through `body()` or `drain()`, from the connection's `HttpInput`, and never past its
 *   end: what follows it stays pending for the next request.
 * - `bodyState` only moves forward: UNREAD → DONE (read whole, or there is none) or UNREAD → BROKEN (refused past
 *   its limit, or the client failed mid-body). A BROKEN body leaves the connection unusable for another request.
 */
import type { Op } from '@greenstackless/greenlet';
import type { Conn } from '../conn.js';
import type { WaitOptions } from '../types.js';
import { HttpError } from './errors.js';
import type { HttpInput } from './input.js';
import { ChunkedDecoder, type RequestHead } from './parser.js';

/** The default limit of `body()` and of the unread body the server drains before the next request (W3). */
export const BODY_LIMIT = 1024 * 1024;

const UNREAD = 0;
const DONE = 1;
const BROKEN = 2;

const EMPTY: Buffer = Buffer.alloc(0);
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';

/** What the request needs of its response: whether its head went out (100-continue is pointless after it). */
export interface ResponseState {
  readonly headersSent: boolean;
}

export class HttpRequest {
  readonly method: string;
  readonly target: string;
  readonly version: '1.0' | '1.1';
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>;
  readonly keepAlive: boolean;
  readonly conn: Conn;

  /** -1 when the request has no content-length. */
  readonly contentLength: number;
  readonly chunked: boolean;
  readonly expectContinue: boolean;
  /** Set by the server once the response exists. */
  response: ResponseState | null = null;
  private readonly input: HttpInput;
  private bodyState: number;
  private bodyBytes: Buffer | null = null;
  private bodyError: unknown = null;
  private continueSent = false;

  constructor(head: RequestHead, input: HttpInput) {
    this.method = head.method;
    this.target = head.target;
    this.version = head.version;
    this.headers = head.headers;
    this.keepAlive = head.keepAlive;
    this.conn = input.conn;
    this.contentLength = head.contentLength;
    this.chunked = head.chunked;
    this.expectContinue = head.expectContinue;
    this.input = input;
    this.bodyState = head.chunked || head.contentLength > 0 ? UNREAD : DONE;
  }

  /** The first value of the header `name`, matched case-insensitively. */
  header(name: string): string | undefined {
    const lower = name.toLowerCase();
    const headers = this.headers;
    for (let i = 0; i < headers.length; i++) if (headers[i][0] === lower) return headers[i][1];
    return undefined;
  }

  /** The whole body (W3); past `limit` (default 1 MiB) it throws HttpError 413 and the connection closes. */
  body(options?: { limit?: number } & WaitOptions): Op<Buffer> {
    const limit = options?.limit ?? BODY_LIMIT;
    if (!(Number.isInteger(limit) && limit >= 0)) {
      throw new TypeError(`body({ limit }): limit must be an integer >= 0, not ${String(limit)}`);
    }
    return this.readBody(limit, options);
  }

  /** True while a body remains unread. */
  get bodyPending(): boolean {
    return this.bodyState === UNREAD;
  }

  /** The connection can serve another request after this one as far as the body is concerned. */
  get bodyReusable(): boolean {
    if (this.bodyState === BROKEN) return false;
    if (this.bodyState === DONE) return true;
    // An unread body is drained unless it is too long, or the client waits for a 100 Continue it never got.
    if (this.expectContinue && !this.continueSent) return false;
    return this.chunked || this.contentLength <= BODY_LIMIT;
  }

  private *readBody(limit: number, wait: WaitOptions | undefined): Generator<unknown, Buffer, unknown> {
    if (this.bodyBytes !== null) return this.bodyBytes;
    if (this.bodyState === BROKEN) throw this.bodyError;
    if (this.bodyState === DONE) return (this.bodyBytes = EMPTY);
    if (!this.chunked && this.contentLength > limit) {
      this.break(tooLarge(limit, this.contentLength));
      throw this.bodyError;
    }
    if (this.expectContinue && !this.continueSent && this.response?.headersSent !== true) {
      this.continueSent = true;
      yield* this.conn.write(CONTINUE); // W3: the client waits for it before it sends the body
    }
    try {
      const body = this.chunked
        ? yield* this.readChunked(limit, wait, true)
        : yield* this.readLength(wait, true);
      this.bodyState = DONE;
      return (this.bodyBytes = body!);
    } catch (error) {
      this.break(error);
      throw error;
    }
  }

  /**
   * Reads and drops a body the handler left unread, before the next request (W3). False when the connection
   * cannot go on: the body is over the limit, or the client failed.
   */
  *drain(wait: WaitOptions | undefined): Generator<unknown, boolean, unknown> {
    if (!this.bodyReusable) return false;
    if (this.bodyState === DONE) return true;
    try {
      if (this.chunked) yield* this.readChunked(BODY_LIMIT, wait, false);
      else yield* this.readLength(wait, false);
    } catch (error) {
      this.break(error);
      return false;
    }
    this.bodyState = DONE;
    return true;
  }

  private break(error: unknown): void {
    this.bodyState = BROKEN;
    this.bodyError = error;
  }

  private *readLength(wait: WaitOptions | undefined, keep: boolean): Generator<unknown, Buffer | null, unknown> {
    const input = this.input;
    const length = this.contentLength;
    const have = Math.min(input.pending, length);
    if (have === length) return keep ? input.take(length) : (input.skip(length), null);
    const first = input.take(have);
    const rest = yield* readExactly(this.conn, length - have, wait);
    if (!keep) return null;
    return have === 0 ? rest : Buffer.concat([first, rest], length);
  }

  private *readChunked(limit: number, wait: WaitOptions | undefined, keep: boolean): Generator<unknown, Buffer | null, unknown> {
    const input = this.input;
    const decoder = new ChunkedDecoder();
    const out: Buffer[] = [];
    for (;;) {
      input.pos = decoder.decode(input.buf, input.pos, input.end, out);
      if (decoder.size > limit) throw tooLarge(limit, -1);
      if (!keep) out.length = 0;
      if (decoder.done) break;
      const chunk = yield* this.conn.read(undefined, wait);
      if (chunk === null) throw endedEarly();
      input.append(chunk);
    }
    if (!keep) return null;
    return out.length === 1 ? out[0] : Buffer.concat(out, decoder.size);
  }
}

function* readExactly(conn: Conn, n: number, wait: WaitOptions | undefined): Generator<unknown, Buffer, unknown> {
  try {
    return yield* conn.readExactly(n, wait);
  } catch (error) {
    if (error instanceof Error && error.name === 'UnexpectedEOFError') throw endedEarly();
    throw error;
  }
}

function tooLarge(limit: number, length: number): HttpError {
  return new HttpError(413, length >= 0
    ? `the request body of ${length} bytes is larger than the limit of ${limit} bytes (W3)`
    : `the request body is larger than the limit of ${limit} bytes (W3)`);
}

function endedEarly(): HttpError {
  return new HttpError(400, 'the client ended the connection before the end of the request body (W3)');
}
