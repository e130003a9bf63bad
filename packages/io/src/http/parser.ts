/**
 * The HTTP/1.x request parser (docs/io.md W2, W3): pure functions over bytes, no I/O, no state beyond the chunked
 * decoder's own.
 *
 * Invariants:
 * - Every refusal is an `HttpError` whose `status` is the reply the server sends (400, 431, 501, 505) and
 *   whose message says first, in plain words, what was wrong. Nothing else is ever thrown, for any input.
 * - Every loop advances over its input: the work is linear in the bytes given, whatever they are.
 * - A head is decoded once as latin1 (one native call) and scanned with charCodeAt; names and values are slices
 *   of that string. So header values are latin1, as node:http gives them.
 */

import { HttpError } from './errors.js';

/** The parsed head of one request. `contentLength` is -1 when there is none; `chunked` excludes it. */
export interface RequestHead {
  method: string;
  target: string;
  version: '1.0' | '1.1';
  headers: Array<[name: string, value: string]>;
  keepAlive: boolean;
  contentLength: number;
  chunked: boolean;
  expectContinue: boolean;
}

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;

/** tchar of RFC 9110 §5.6.2: the bytes of a method and of a header name. */
const TOKEN = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) TOKEN[c] = 1;
for (const ch of '"(),/:;<=>?@[\\]{}') TOKEN[ch.charCodeAt(0)] = 0;

/** Bytes allowed inside a header value (field-content plus SP and HT; obs-text allowed). */
const VALUE = new Uint8Array(256);
VALUE[HT] = 1;
for (let c = 0x20; c < 0x7f; c++) VALUE[c] = 1;
for (let c = 0x80; c < 0x100; c++) VALUE[c] = 1;

/** Bytes of a request-target: visible ASCII only (RFC 9112 §3.2, RFC 3986). */
const TARGET = new Uint8Array(256);
for (let c = 0x21; c < 0x7f; c++) TARGET[c] = 1;

/** Index of the first byte of `buf[start, end)` that is not CR or LF: empty lines before a request line are
 * ignored (RFC 9112 §2.2), so a client's stray CRLF after a body does not count as a request. */
export function skipEmptyLines(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end && (buf[i] === CR || buf[i] === LF)) i++;
  return i;
}

/**
 * Index just past the empty line that ends a head (`\r\n\r\n`, `\n\n`, `\n\r\n`), searching for it from `from`
 * (a line feed at `from` or later), or -1 when `buf[from, end)` holds none yet. A caller that gets -1 resumes
 * at `end - 2` when more bytes arrive, so a head that trickles in costs linear time.
 */
export function findHeadEnd(buf: Uint8Array, from: number, end: number): number {
  for (let i = from; i < end; i++) {
    if (buf[i] !== LF) continue;
    const next = buf[i + 1];
    if (next === LF) return i + 2 <= end ? i + 2 : -1;
    if (next === CR && i + 2 < end && buf[i + 2] === LF) return i + 3;
  }
  return -1;
}

/**
 * Parses the head in `buf[start, end)`, which runs from the request line through the empty line that ends it
 * (as `findHeadEnd` finds it). Throws `HttpError`.
 */
export function parseHead(buf: Buffer, start: number, end: number): RequestHead {
  return parseHeadString((buf as Latin1Buffer).latin1Slice(start, end));
}

/** Node's undocumented but stable fast path behind `toString('latin1', …)`, without the argument checks. */
interface Latin1Buffer extends Buffer { latin1Slice(start: number, end: number): string }

function bad(message: string): never {
  throw new HttpError(400, message);
}

/** `s` is a head decoded as latin1, through its empty line. */
export function parseHeadString(s: string): RequestHead {
  const n = s.length;
  // Request line: method SP request-target SP HTTP-version (RFC 9112 §3).
  let i = 0;
  let c = 0;
  while (i < n && TOKEN[(c = s.charCodeAt(i))] === 1) i++;
  if (i === 0) bad(`malformed request line: the method is empty or not a token (W2)`);
  if (c !== SP) bad(`malformed request line: the method is not a token followed by one space (W2)`);
  const method = i === 3 && s.charCodeAt(0) === 71 && s.charCodeAt(1) === 69 && s.charCodeAt(2) === 84
    ? 'GET' : s.slice(0, i);
  const targetStart = ++i;
  while (i < n && TARGET[(c = s.charCodeAt(i))] === 1) i++;
  if (i === targetStart) bad(`malformed request line: the request target is empty (W2)`);
  if (c !== SP) {
    bad(c === CR || c === LF
      ? `malformed request line: the HTTP version is missing (W2)`
      : `malformed request line: the request target holds a byte that is not visible ASCII (W2)`);
  }
  const target = i - targetStart === 1 && s.charCodeAt(targetStart) === 47 ? '/' : s.slice(targetStart, i);
  const versionStart = ++i;
  let version: '1.0' | '1.1';
  if (s.startsWith('HTTP/1.1', versionStart)) version = '1.1';
  else if (s.startsWith('HTTP/1.0', versionStart)) version = '1.0';
  else if (s.startsWith('HTTP/', versionStart) && isDigit(s.charCodeAt(versionStart + 5))
    && s.charCodeAt(versionStart + 6) === 46 && isDigit(s.charCodeAt(versionStart + 7))) {
    throw new HttpError(505, `HTTP version ${s.slice(versionStart, versionStart + 8)} is not supported: `
      + `only HTTP/1.0 and HTTP/1.1 are (W2)`);
  } else {
    bad(`malformed request line: the HTTP version is not HTTP/1.0 or HTTP/1.1 (W2)`);
  }
  i = lineEnd(s, versionStart + 8);
  if (i < 0) bad(`malformed request line: it does not end with CRLF (W2)`);

  const headers: Array<[string, string]> = [];
  let contentLength = -1;
  let transferEncoding: string | undefined;
  let connection: string | undefined;
  let expectContinue = false;
  // Header lines: field-name ":" OWS field-value OWS (RFC 9112 §5), until the empty line.
  for (;;) {
    c = s.charCodeAt(i);
    if (c === LF) break;
    if (c === CR) { if (s.charCodeAt(i + 1) === LF) break; bad(`malformed header line: a CR not followed by LF (W2)`); }
    if (c === SP || c === HT) bad(`header line folded onto the previous one (obs-fold is refused) (W2)`);
    const nameStart = i;
    let upper = false;
    while (TOKEN[(c = s.charCodeAt(i))] === 1) {
      if (c >= 65 && c <= 90) upper = true;
      i++;
    }
    if (c !== 58) {
      if (i === nameStart) bad(`malformed header line: the name is empty or not a token (W2)`);
      bad(c === SP || c === HT
        ? `malformed header line: whitespace between the name and the colon (W2)`
        : `malformed header line: the name is not a token followed by a colon (W2)`);
    }
    if (i === nameStart) bad(`malformed header line: the name is empty (W2)`);
    let name = s.slice(nameStart, i);
    if (upper) name = name.toLowerCase();
    i++;
    while ((c = s.charCodeAt(i)) === SP || c === HT) i++;
    const valueStart = i;
    let valueEnd = i;
    while (VALUE[(c = s.charCodeAt(i))] === 1) {
      i++;
      if (c !== SP && c !== HT) valueEnd = i;
    }
    if (c !== CR && c !== LF) bad(`control character in the value of header '${name}' (W2)`);
    i = lineEnd(s, i);
    if (i < 0) bad(`malformed header '${name}': a CR not followed by LF (W2)`);
    const value = valueEnd === valueStart ? '' : s.slice(valueStart, valueEnd);
    headers.push([name, value]);
    switch (name.length) {
      case 6:
        // RFC 9110 §10.1.1: an HTTP/1.0 client's expectation is ignored.
        if (name === 'expect' && version === '1.1' && value.length === 12 && value.toLowerCase() === '100-continue') {
          expectContinue = true;
        }
        break;
      case 10:
        if (name === 'connection') connection = connection === undefined ? value : `${connection}, ${value}`;
        break;
      case 14:
        if (name === 'content-length') {
          const length = parseContentLength(value);
          if (contentLength >= 0 && length !== contentLength) {
            bad(`request smuggling refused: differing content-length headers ${contentLength} and ${length} (W2)`);
          }
          contentLength = length;
        }
        break;
      case 17:
        if (name === 'transfer-encoding') {
          transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        }
        break;
    }
  }
  if (lineEnd(s, i) !== n) bad(`bytes after the end of the head (W2)`);

  let chunked = false;
  let keepAlive = version === '1.1';
  if (connection !== undefined) keepAlive = connectionKeepsAlive(connection, keepAlive);
  if (transferEncoding !== undefined) {
    if (contentLength >= 0) bad(`request smuggling refused: both content-length and transfer-encoding (W2)`);
    if (transferEncoding.length !== 7 || transferEncoding.toLowerCase() !== 'chunked') {
      throw new HttpError(501, `transfer-encoding '${transferEncoding}' is not implemented: only chunked is (W2)`);
    }
    chunked = true;
    // RFC 9112 §6.1: an HTTP/1.0 message with transfer-encoding has faulty framing; close after it.
    if (version === '1.0') keepAlive = false;
  }
  return { method, target, version, headers, keepAlive, contentLength, chunked, expectContinue };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Index after the line end (CRLF or bare LF) at `i`, or -1 when there is none. */
function lineEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === LF) return i + 1;
  if (c === CR && s.charCodeAt(i + 1) === LF) return i + 2;
  return -1;
}

function parseContentLength(value: string): number {
  const n = value.length;
  if (n === 0) bad(`request smuggling refused: an empty content-length (W2)`);
  if (n > 15) bad(`request smuggling refused: content-length '${value.slice(0, 32)}' is too large (W2)`);
  let length = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) bad(`request smuggling refused: content-length '${value}' is not a decimal number (W2)`);
    length = length * 10 + (c - 48);
  }
  return length;
}

/** The keep-alive decision (W1): a `close` option closes; `keep-alive` keeps an HTTP/1.0 connection. */
function connectionKeepsAlive(value: string, keepAlive: boolean): boolean {
  const options = value.toLowerCase();
  let start = 0;
  let close = false;
  let keep = false;
  while (start <= options.length) {
    let stop = options.indexOf(',', start);
    if (stop < 0) stop = options.length;
    const option = options.slice(start, stop).trim();
    if (option === 'close') close = true;
    else if (option === 'keep-alive') keep = true;
    start = stop + 1;
  }
  if (close) return false;
  return keep || keepAlive;
}

const enum Chunk {
  Size, Extension, SizeLF, Data, DataCR, DataLF, TrailerStart, TrailerLine, TrailerLF, Done,
}

/** Longest chunk-size line (size and extensions) and trailer section the decoder accepts. */
const SIZE_LINE_LIMIT = 4096;
const TRAILER_LIMIT = 32 * 1024;

/**
 * Decoder of a chunked body (RFC 9112 §7.1), a state machine fed any slices of the bytes after the head. Trailer
 * fields are read and dropped. Bare LF is accepted as a line end, as in heads.
 */
export class ChunkedDecoder {
  private state = Chunk.Size;
  private remaining = 0;
  private digits = 0;
  private lineBytes = 0;
  /** The decoded bytes so far. */
  size = 0;

  get done(): boolean {
    return this.state === Chunk.Done;
  }

  /**
   * Decodes from `buf[start, end)`, pushing views of the data into `out`, and returns the index where it stopped:
   * `end`, or the first byte after the body once `done`. Throws `HttpError` (400) on malformed framing.
   */
  decode(buf: Buffer, start: number, end: number, out: Buffer[]): number {
    let i = start;
    while (i < end) {
      const c = buf[i];
      switch (this.state) {
        case Chunk.Size: {
          const digit = hexValue(c);
          if (digit >= 0) {
            if (++this.digits > 13) bad(`malformed chunked body: the chunk size is too large (W3)`);
            this.remaining = this.remaining * 16 + digit;
            i++;
            break;
          }
          if (this.digits === 0) bad(`malformed chunked body: a chunk size is not a hexadecimal number (W3)`);
          if (c === CR) this.state = Chunk.SizeLF;
          else if (c === LF) { this.sizeLineEnded(); i++; break; }
          else if (c === 59) this.state = Chunk.Extension; // ';'
          else bad(`malformed chunked body: a chunk size is not a hexadecimal number (W3)`);
          i++;
          this.lineBytes = this.digits + 1;
          break;
        }
        case Chunk.Extension:
          if (c === LF) { this.sizeLineEnded(); i++; break; }
          if (c === CR) this.state = Chunk.SizeLF;
          else if (VALUE[c] !== 1) bad(`malformed chunked body: control character in a chunk extension (W3)`);
          if (++this.lineBytes > SIZE_LINE_LIMIT) bad(`malformed chunked body: a chunk extension is too long (W3)`);
          i++;
          break;
        case Chunk.SizeLF:
          if (c !== LF) bad(`malformed chunked body: a chunk size line does not end with CRLF (W3)`);
          this.sizeLineEnded();
          i++;
          break;
        case Chunk.Data: {
          const take = Math.min(this.remaining, end - i);
          out.push(buf.subarray(i, i + take));
          this.size += take;
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = Chunk.DataCR;
          break;
        }
        case Chunk.DataCR:
          if (c === CR) this.state = Chunk.DataLF;
          else if (c === LF) this.state = Chunk.Size;
          else bad(`malformed chunked body: chunk data is longer than its size (W3)`);
          i++;
          break;
        case Chunk.DataLF:
          if (c !== LF) bad(`malformed chunked body: chunk data is not followed by CRLF (W3)`);
          this.state = Chunk.Size;
          i++;
          break;
        case Chunk.TrailerStart:
          if (c === LF) { this.state = Chunk.Done; return i + 1; }
          this.state = c === CR ? Chunk.TrailerLF : Chunk.TrailerLine;
          this.trailerByte(c);
          i++;
          break;
        case Chunk.TrailerLine:
          if (c === LF) this.state = Chunk.TrailerStart;
          else this.trailerByte(c);
          i++;
          break;
        case Chunk.TrailerLF:
          if (c !== LF) bad(`malformed chunked body: the trailer section does not end with CRLF (W3)`);
          this.state = Chunk.Done;
          return i + 1;
        case Chunk.Done:
          return i;
      }
    }
    return i;
  }

  private sizeLineEnded(): void {
    this.digits = 0;
    this.lineBytes = 0;
    this.state = this.remaining === 0 ? Chunk.TrailerStart : Chunk.Data;
  }

  private trailerByte(c: number): void {
    if (VALUE[c] !== 1 && c !== CR) bad(`malformed chunked body: control character in a trailer field (W3)`);
    if (++this.lineBytes > TRAILER_LIMIT) bad(`malformed chunked body: the trailer section is too long (W3)`);
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
