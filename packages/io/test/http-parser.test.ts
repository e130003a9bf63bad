// The request parser on its own (docs/io.md W2, W3): one test per rule, then fuzzing with fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ChunkedDecoder, findHeadEnd, parseHead, skipEmptyLines, type RequestHead,
} from '../src/http/parser.js';
import { HttpError } from '../src/http/errors.js';

function parse(text: string): RequestHead {
  const buf = Buffer.from(text, 'latin1');
  const start = skipEmptyLines(buf, 0, buf.length);
  const end = findHeadEnd(buf, start, buf.length);
  if (end < 0) throw new Error('test input has no complete head');
  return parseHead(buf, start, end);
}

function refusal(text: string): HttpError {
  try {
    parse(text);
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error(`the parser accepted ${JSON.stringify(text)}`);
}

describe('W2: request line', () => {
  it('W2: parses method, target, version and headers in order, names lower-cased, values trimmed', () => {
    const head = parse('POST /a/b?c=1 HTTP/1.1\r\nHost: x\r\nX-Two:  a b \t\r\nx-empty:\r\n\r\n');
    expect(head).toEqual({
      method: 'POST', target: '/a/b?c=1', version: '1.1',
      headers: [['host', 'x'], ['x-two', 'a b'], ['x-empty', '']],
      keepAlive: true, contentLength: -1, chunked: false, expectContinue: false,
    });
  });

  it('W2: a bare LF is accepted as a line end', () => {
    const head = parse('GET / HTTP/1.0\nA: 1\n\n');
    expect([head.method, head.target, head.version, head.headers]).toEqual(['GET', '/', '1.0', [['a', '1']]]);
  });

  it('W2: empty lines before the request line are skipped', () => {
    expect(parse('\r\n\r\nGET /x HTTP/1.1\r\n\r\n').target).toBe('/x');
  });

  it('W2: any token is a method, as sent; a non-token is 400', () => {
    expect(parse("M-SEARCH! * HTTP/1.1\r\n\r\n").method).toBe('M-SEARCH!');
    expect(parse('get / HTTP/1.1\r\n\r\n').method).toBe('get');
    for (const line of ['GE(T / HTTP/1.1', ' GET / HTTP/1.1', 'G@T / HTTP/1.1']) {
      const error = refusal(`${line}\r\n\r\n`);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^malformed request line: the method/);
    }
  });

  it('W2: the request line has exactly one space between its three parts', () => {
    for (const line of ['GET  / HTTP/1.1', 'GET / HTTP/1.1 ', 'GET /  HTTP/1.1', 'GET\t/ HTTP/1.1', 'GET /']) {
      expect(refusal(`${line}\r\n\r\n`).status).toBe(400);
    }
    expect(refusal('GET /\r\n\r\n').message).toBe('malformed request line: the HTTP version is missing (W2)');
  });

  it('W2: a target holding a control character or non-ASCII byte is 400', () => {
    expect(refusal('GET /a\x01b HTTP/1.1\r\n\r\n').message)
      .toBe('malformed request line: the request target holds a byte that is not visible ASCII (W2)');
    expect(refusal('GET /\xe9 HTTP/1.1\r\n\r\n').status).toBe(400);
  });

  it('W2: a version other than HTTP/1.0 and HTTP/1.1 is 505; a malformed one is 400', () => {
    for (const version of ['HTTP/2.0', 'HTTP/1.2', 'HTTP/0.9']) {
      const error = refusal(`GET / ${version}\r\n\r\n`);
      expect(error.status).toBe(505);
      expect(error.message).toBe(`HTTP version ${version} is not supported: only HTTP/1.0 and HTTP/1.1 are (W2)`);
    }
    for (const version of ['HTTP/1', 'http/1.1', 'HTTP/1.1x', 'HTTP/11.0', 'HTTP/1.1\r\r']) {
      expect(refusal(`GET / ${version}\r\n\r\n`).status).toBe(400);
    }
  });
});

describe('W2: header lines', () => {
  it('W2: obs-fold is 400', () => {
    const error = refusal('GET / HTTP/1.1\r\nA: 1\r\n 2\r\n\r\n');
    expect(error.status).toBe(400);
    expect(error.message).toBe('header line folded onto the previous one (obs-fold is refused) (W2)');
    expect(refusal('GET / HTTP/1.1\r\n\tA: 1\r\n\r\n').status).toBe(400);
  });

  it('W2: whitespace before the colon is 400', () => {
    expect(refusal('GET / HTTP/1.1\r\nHost : x\r\n\r\n').message)
      .toBe('malformed header line: whitespace between the name and the colon (W2)');
  });

  it('W2: a name that is empty or not a token, or a line without a colon, is 400', () => {
    for (const line of [': x', 'A(b): x', 'no colon', 'Ä: x']) {
      const error = refusal(`GET / HTTP/1.1\r\n${line}\r\n\r\n`);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^malformed header line/);
    }
  });

  it('W2: control characters in a value are 400; HT and obs-text are allowed', () => {
    for (const ch of ['\x00', '\x07', '\x1f', '\x7f', '\r']) {
      expect(refusal(`GET / HTTP/1.1\r\nA: x${ch}y\r\n\r\n`).status).toBe(400);
    }
    expect(refusal('GET / HTTP/1.1\r\nA: x\x00\r\n\r\n').message).toBe("control character in the value of header 'a' (W2)");
    expect(parse('GET / HTTP/1.1\r\nA: x\ty\xe9\r\n\r\n').headers).toEqual([['a', 'x\ty\xe9']]);
  });
});

describe('W1: keep-alive decision', () => {
  const cases: Array<[string, string, boolean]> = [
    ['1.1', '', true],
    ['1.1', 'Connection: close\r\n', false],
    ['1.1', 'Connection: Keep-Alive, CLOSE\r\n', false],
    ['1.1', 'Connection: upgrade\r\n', true],
    ['1.0', '', false],
    ['1.0', 'Connection: keep-alive\r\n', true],
    ['1.0', 'Connection: foo,  Keep-Alive \r\n', true],
    ['1.0', 'Connection: keep-alive\r\nConnection: close\r\n', false],
  ];
  for (const [version, header, keepAlive] of cases) {
    it(`W1: HTTP/${version} with ${JSON.stringify(header)} keeps alive: ${keepAlive}`, () => {
      expect(parse(`GET / HTTP/${version}\r\n${header}\r\n`).keepAlive).toBe(keepAlive);
    });
  }
});

describe('W2: framing and smuggling', () => {
  it('W2: content-length is read; equal repeated values are accepted', () => {
    expect(parse('POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n').contentLength).toBe(12);
    expect(parse('POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n').contentLength).toBe(5);
    expect(parse('POST / HTTP/1.1\r\n\r\n').contentLength).toBe(-1);
  });

  it('W2: differing content-lengths are 400', () => {
    const error = refusal('POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n');
    expect(error.status).toBe(400);
    expect(error.message).toBe('request smuggling refused: differing content-length headers 5 and 6 (W2)');
  });

  it('W2: a non-decimal or huge content-length is 400', () => {
    for (const value of ['-1', '+5', '0x10', '5, 5', '1e3', '', '5 5', '1234567890123456']) {
      const error = refusal(`POST / HTTP/1.1\r\nContent-Length: ${value}\r\n\r\n`);
      expect(error.status).toBe(400);
      expect(error.message).toMatch(/^request smuggling refused/);
    }
  });

  it('W2: content-length with transfer-encoding is 400', () => {
    const error = refusal('POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n');
    expect([error.status, error.message])
      .toEqual([400, 'request smuggling refused: both content-length and transfer-encoding (W2)']);
  });

  it('W2: transfer-encoding chunked is read; any other coding is 501', () => {
    expect(parse('POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n').chunked).toBe(true);
    for (const value of ['gzip', 'gzip, chunked', 'chunked, chunked', 'identity', 'chunked;q=1']) {
      const error = refusal(`POST / HTTP/1.1\r\nTransfer-Encoding: ${value}\r\n\r\n`);
      expect(error.status).toBe(501);
      expect(error.message).toBe(`transfer-encoding '${value}' is not implemented: only chunked is (W2)`);
    }
    expect(refusal('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n').status)
      .toBe(501);
  });

  it('W2: HTTP/1.0 with transfer-encoding closes after the request (RFC 9112 6.1)', () => {
    const head = parse('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n');
    expect([head.chunked, head.keepAlive]).toEqual([true, false]);
  });

  it('W3: Expect: 100-continue is noticed, case-insensitively, in HTTP/1.1 only', () => {
    expect(parse('POST / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n').expectContinue).toBe(true);
    expect(parse('POST / HTTP/1.1\r\nExpect: 200-ok\r\n\r\n').expectContinue).toBe(false);
    expect(parse('POST / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n').expectContinue).toBe(false);
  });
});

describe('W2: finding the end of a head', () => {
  it('W2: finds CRLFCRLF, LFLF and LFCRLF; -1 until the empty line is complete', () => {
    const text = 'GET / HTTP/1.1\r\nA: 1\r\n\r\nrest';
    const buf = Buffer.from(text);
    expect(findHeadEnd(buf, 0, buf.length)).toBe(text.indexOf('rest'));
    for (let end = 0; end < text.indexOf('rest'); end++) expect(findHeadEnd(buf, 0, end)).toBe(-1);
    expect(findHeadEnd(Buffer.from('GET / HTTP/1.0\n\nx'), 0, 17)).toBe(16);
    expect(findHeadEnd(Buffer.from('GET / HTTP/1.0\n\r\nx'), 0, 18)).toBe(17);
  });

  it('W2: resuming at end - 2 finds a head delivered one byte at a time', () => {
    const text = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n';
    const buf = Buffer.from(text);
    let from = 0;
    let found = -1;
    for (let end = 1; end <= buf.length && found < 0; end++) {
      found = findHeadEnd(buf, from, end);
      if (found < 0) from = Math.max(0, end - 2);
    }
    expect(found).toBe(buf.length);
  });

  it('W2: skipEmptyLines skips CR and LF only', () => {
    expect(skipEmptyLines(Buffer.from('\r\n\nGET'), 0, 6)).toBe(3);
    expect(skipEmptyLines(Buffer.from('\r\n'), 0, 2)).toBe(2);
  });
});

function decodeChunked(pieces: string[]): { body: string; rest: string; done: boolean } {
  const decoder = new ChunkedDecoder();
  const out: Buffer[] = [];
  let rest = '';
  for (const piece of pieces) {
    const buf = Buffer.from(piece, 'latin1');
    const stop = decoder.decode(buf, 0, buf.length, out);
    rest += buf.subarray(stop).toString('latin1');
  }
  return { body: Buffer.concat(out).toString('latin1'), rest, done: decoder.done };
}

describe('W3: chunked bodies', () => {
  const wire = '5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nTrailer: x\r\n\r\nNEXT';

  it('W3: decodes chunks, skips extensions and trailers, stops at the end of the body', () => {
    expect(decodeChunked([wire])).toEqual({ body: 'hello 0123456789', rest: 'NEXT', done: true });
  });

  it('W3: gives the same result fed one byte at a time', () => {
    expect(decodeChunked([...wire])).toEqual({ body: 'hello 0123456789', rest: 'NEXT', done: true });
  });

  it('W3: bare LF line ends are accepted', () => {
    expect(decodeChunked(['3\nabc\n0\n\n'])).toEqual({ body: 'abc', rest: '', done: true });
  });

  it('W3: is not done until the final empty line', () => {
    expect(decodeChunked(['3\r\nabc\r\n0\r\n']).done).toBe(false);
    expect(decodeChunked(['3\r\nabc\r\n0\r\nX: y\r\n']).done).toBe(false);
  });

  it('W3: malformed framing is 400', () => {
    for (const body of ['x\r\n', '\r\n', '3\r\nabcd\r\n', '3\r\nabc\rX', '3 \r\n', '5;a\x01\r\n',
      'fffffffffffffff\r\n', '0\r\nX: \x00\r\n\r\n', '0\r\n\rX']) {
      let error: unknown;
      try {
        decodeChunked([body]);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(body)).toBeInstanceOf(HttpError);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).message).toMatch(/^malformed chunked body: /);
    }
  });
});

// Fuzzing: random and mutated heads. The parser gives a head or throws its own error, never anything else, and
// always returns (a loop that did not advance would time the test out).
const seeds = [
  'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'POST /x?y=1 HTTP/1.0\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\n',
  'PUT /u HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n',
  'GET / HTTP/1.1\nA:\n\n',
];
const special = fc.constantFrom('\r', '\n', ' ', '\t', ':', '\x00', '\x7f', '\xff', 'HTTP/1.1', ',', ';', '0');

/** A seed head with random edits: insertions of special or random bytes, deletions, replacements. */
const mutatedHead = fc.tuple(
  fc.constantFrom(...seeds),
  fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.oneof(special, fc.string({ maxLength: 4 }))), { maxLength: 6 }),
).map(([seed, edits]) => {
  let s = seed;
  for (const [at, kind, text] of edits) {
    const i = at % (s.length + 1);
    if (kind === 0) s = s.slice(0, i) + text + s.slice(i);
    else if (kind === 1) s = s.slice(0, i) + s.slice(i + 1);
    else s = s.slice(0, i) + text + s.slice(i + text.length);
  }
  return s;
});

function parseAny(bytes: Buffer): void {
  const start = skipEmptyLines(bytes, 0, bytes.length);
  let end = findHeadEnd(bytes, start, bytes.length);
  if (end < 0) end = bytes.length;
  try {
    const head = parseHead(bytes, start, end);
    expect(typeof head.method).toBe('string');
    expect(head.headers.every(([name]) => name === name.toLowerCase())).toBe(true);
    expect(head.chunked && head.contentLength >= 0).toBe(false);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    expect([400, 431, 501, 505]).toContain(error.status);
  }
}

describe('W2: fuzzing the parser', () => {
  it('W2: random bytes give a head or an HttpError, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => parseAny(Buffer.from(bytes))),
      { numRuns: 3000 });
  });

  it('W2: mutated heads give a head or an HttpError, nothing else', () => {
    fc.assert(fc.property(mutatedHead, (text) => parseAny(Buffer.from(text, 'latin1'))), { numRuns: 5000 });
  });

  it('W2: generated valid heads parse back to what was generated', () => {
    const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
    const value = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/);
    const header = fc.tuple(token, value).filter(([name]) => !/^(content-length|transfer-encoding)$/i.test(name));
    fc.assert(fc.property(token, fc.stringMatching(/^\/[\x21-\x7e]{0,30}$/), fc.constantFrom('1.0', '1.1'),
      fc.array(header, { maxLength: 8 }), fc.constantFrom('\r\n', '\n'),
      (method, target, version, headers, eol) => {
        const text = `${method} ${target} HTTP/${version}${eol}`
          + headers.map(([n, v]) => `${n}:${' '.repeat(v.length % 3)}${v}${eol}`).join('') + eol;
        const head = parse(text);
        expect([head.method, head.target, head.version]).toEqual([method, target, version]);
        expect(head.headers).toEqual(headers.map(([n, v]) => [n.toLowerCase(), v]));
      }), { numRuns: 2000 });
  });

  it('W3: the chunked decoder on random bytes decodes or throws HttpError, fed whole or in pieces', () => {
    const chunkedish = fc.array(fc.oneof(fc.constantFrom('\r\n', '\n', '0', 'a', ';', 'F', '\r', ':', ' '),
      fc.string({ maxLength: 3 })), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(chunkedish, fc.nat(10), (text, cut) => {
      const results: string[] = [];
      for (const pieces of [[text], [text.slice(0, cut), text.slice(cut)]]) {
        try {
          const r = decodeChunked(pieces);
          results.push(`${r.done}:${r.body}:${r.rest}`);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          results.push(`error ${error.status}`);
        }
      }
      expect(results[1]).toBe(results[0]);
    }), { numRuns: 3000 });
  });
});
