/**
 * serveHttp's head parser swapped for http-parser-js (the `io` family's row "serveHttp hello world, head parsed by
 * http-parser-js"): `parseHeadWithHttpParserJs` fits serveHttp's internal `parseHead` option. It feeds the head
 * to http-parser-js's HTTPParser in REQUEST mode and returns what that reports as the RequestHead serveHttp's own
 * parser returns, so the server around it, its handler and its replies stay the same.
 *
 * Invariants:
 * - One HTTPParser for the process, initialized for each head: serveHttp passes a whole head (through its empty
 *   line), so nothing carries over from one head to the next.
 * - Every refusal is an `HttpError`, as from serveHttp's parser: 505 for an HTTP version other than 1.0 and 1.1,
 *   400 for anything else http-parser-js refuses.
 * - Keep-alive, content-length and chunked framing are http-parser-js's decisions; header names are lower-cased,
 *   and `expect: 100-continue` is read from HTTP/1.1 requests, as serveHttp's parser does.
 */
import { HTTPParser } from 'http-parser-js';
import { HttpError, type HttpOptions } from '@greenstackless/io';

/** What serveHttp's parser returns for a head. */
export type RequestHead = ReturnType<NonNullable<HttpOptions['parseHead']>>;

/** What http-parser-js hands to its headers-complete callback. */
type HeaderInfo = Parameters<typeof parser[typeof HTTPParser.kOnHeadersComplete]>[0];

/** The framing http-parser-js decided, kept on the parser but not declared: null body bytes when chunked. */
interface Framing {
  body_bytes: number | null;
  isChunked: boolean;
}

const parser = new HTTPParser(HTTPParser.REQUEST);
const framing = parser as unknown as Framing;
let info: HeaderInfo | null = null;
let bodyBytes: number | null = null;
let chunked = false;

// Read at once: after a head without a body the parser initializes itself for the next request.
parser[HTTPParser.kOnHeadersComplete] = (headInfo: HeaderInfo): void => {
  info = headInfo;
  bodyBytes = framing.body_bytes;
  chunked = framing.isChunked;
};

/** Parses the head in `buf[start, end)` with http-parser-js. Throws `HttpError`. */
export function parseHeadWithHttpParserJs(buf: Buffer, start: number, end: number): RequestHead {
  info = null;
  parser.initialize(HTTPParser.REQUEST);
  const parsed = parser.execute(buf, start, end - start);
  if (parsed instanceof Error) {
    throw new HttpError(400, `malformed request head: http-parser-js refused it (${parsed.message}) (W2)`);
  }
  const head = info as HeaderInfo | null;
  if (head === null) throw new HttpError(400, `malformed request head: http-parser-js did not see its end (W2)`);
  let version: '1.0' | '1.1';
  if (head.versionMajor === 1 && head.versionMinor === 1) version = '1.1';
  else if (head.versionMajor === 1 && head.versionMinor === 0) version = '1.0';
  else {
    throw new HttpError(505, `HTTP version HTTP/${head.versionMajor}.${head.versionMinor} is not supported: `
      + `only HTTP/1.0 and HTTP/1.1 are (W2)`);
  }
  const raw = head.headers;
  const headers: Array<[string, string]> = [];
  let hasLength = false;
  let expectContinue = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    headers.push([name, value]);
    if (name === 'content-length') hasLength = true;
    else if (name === 'expect' && version === '1.1' && value.toLowerCase() === '100-continue') expectContinue = true;
  }
  let contentLength = -1;
  if (!chunked && hasLength) {
    contentLength = bodyBytes ?? -1;
    if (!Number.isSafeInteger(contentLength) || contentLength < 0) {
      throw new HttpError(400, `request smuggling refused: content-length is not a decimal number (W2)`);
    }
  }
  return {
    method: HTTPParser.methods[head.method]!,
    target: head.url,
    version,
    headers,
    keepAlive: head.shouldKeepAlive,
    contentLength,
    chunked,
    expectContinue,
  };
}
