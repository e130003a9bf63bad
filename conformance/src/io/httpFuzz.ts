/**
 * Fuzzing the HTTP server (docs/io.md W2): random and mutated request heads over real sockets. Every reply must be
 * a valid response or a close, never a crash or a hang; and the same heads sent to node:http (llhttp) must be
 * accepted or refused alike, except for the differences that W2 makes on purpose, each named here and in
 * packages/io/docs/http-differences.md.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from 'vitest';
import fc from 'fast-check';
import type { HttpContext } from './http.js';
import { HOST, RawPeer, readResponses } from './httpClient.js';

const seeds = [
  'GET / HTTP/1.1\r\nHost: a\r\n\r\n',
  'POST /x?y=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc',
  'PUT /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
  'GET /a HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n',
  'DELETE /d HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: two words\r\n\r\n',
];
const special = fc.constantFrom('\r', '\n', '\r\n', ' ', '\t', ':', '\x00', '\x7f', '\xff', 'HTTP/1.1', ',', ';',
  '0', 'Content-Length: 5\r\n', 'Transfer-Encoding: chunked\r\n', 'Connection: close\r\n', 'Host: b\r\n');

/** A seed request with random edits: insertions, deletions, overwrites. */
const mutated = fc.tuple(
  fc.constantFrom(...seeds),
  fc.array(fc.tuple(fc.nat(), fc.nat(2), fc.oneof(special, fc.string({ maxLength: 3 }))), { minLength: 1, maxLength: 4 }),
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
const randomBytes = fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b).toString('latin1'));

interface Outcome {
  /** Statuses of the whole replies, in order. */
  statuses: number[];
  /** Why the bytes after them are not a valid response, or null. */
  error: string | null;
}

/** Sends `text`, half-closes, and reads until the server closes (bounded). */
async function exchange(port: number, text: string): Promise<Outcome> {
  const peer = await RawPeer.connect(port);
  peer.write(text);
  peer.socket.end();
  await peer.untilClosedByServer(5000);
  const { replies, error } = readResponses(peer.received, [], true);
  peer.socket.destroy();
  return { statuses: replies.map((r) => r.status), error };
}

/** The first verdict on a request: accepted (2xx), refused (an error status), or closed without a reply. */
function verdict(outcome: Outcome): 'accepted' | 'refused' {
  return outcome.statuses.length > 0 && outcome.statuses[0] < 400 ? 'accepted' : 'refused';
}

/** The methods llhttp knows: it refuses any other token, W2 accepts every token. */
const LLHTTP_METHODS = new Set(http.METHODS);

/**
 * The differences from llhttp that W2 makes on purpose (packages/io/docs/http-differences.md): the name of the
 * one that explains why serveHttp's verdict on `text` (`ours`) differs from node:http's, or null when none does.
 */
export function explainDifference(text: string, ours: 'accepted' | 'refused'): string | null {
  const headEnd = text.search(/\r?\n\r?\n/);
  const head = headEnd < 0 ? text : text.slice(0, headEnd + (text.slice(headEnd).match(/^\r?\n\r?\n/)![0].length));
  const requestLine = head.split(/\r?\n/)[0];
  const lines = head.split(/\r?\n/).slice(1).filter((l) => l !== '');
  const names = lines.map((l) => l.slice(0, Math.max(0, l.indexOf(':'))).toLowerCase());
  const [method, target, version] = requestLine.split(' ');
  if (ours === 'accepted') {
    if (!LLHTTP_METHODS.has(method)) return 'method-not-known-to-llhttp';
    if (target[0] !== '/' && target !== '*' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return 'target-form';
    if (version === 'HTTP/1.1' && !names.includes('host')) return 'host-required-by-node';
    if (/(^|[^\r])\n/.test(head)) return 'bare-lf';
    if (names.filter((n) => n === 'content-length').length > 1) return 'repeated-content-length';
    if (version === 'HTTP/1.0' && names.includes('transfer-encoding')) return 'chunked-in-http-1.0';
    return null;
  }
  if (requestLine.split(' ').length === 2) return 'no-version-http-0.9';
  if (/^HTTP\/[02-9]\.[0-9]$/.test(version ?? '')) return 'version';
  if (/ {2}/.test(requestLine)) return 'request-line-whitespace';
  if (names.includes('transfer-encoding')) return 'transfer-encoding-not-chunked';
  return null;
}

export function httpFuzzTests(ctx: HttpContext): void {
  test('W2: fuzz: random and mutated requests get valid replies or a close, never a crash or a hang', async () => {
    const heard: unknown[] = [];
    const port = await ctx.start(function* (req, res) {
      if (req.method === 'POST' || req.method === 'PUT') yield* req.body({ limit: 100 });
      res.end(`ok ${req.target}`);
    }, { onError: (error) => heard.push(error), headersTimeout: 2000 });
    await fc.assert(fc.asyncProperty(fc.oneof(mutated, randomBytes), async (text) => {
      const outcome = await exchange(port, text);
      expect(outcome.error, JSON.stringify(text)).toBe(null);
      for (const status of outcome.statuses) expect([200, 400, 413, 431, 501, 505]).toContain(status);
    }), { numRuns: 120 });
    expect(heard).toEqual([]);
    const after = await exchange(port, 'GET /still HTTP/1.1\r\n\r\n');
    expect(after.statuses).toEqual([200]);
  }, 60_000);

  test('W2: differential fuzz against node:http: every disagreement is a documented difference', async () => {
    // Both reply at once, before any body: the verdict is on the head alone.
    const ours = await ctx.start((req, res) => {
      res.end('ok');
    }, { headersTimeout: 2000 });
    const node = http.createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => node.listen(0, HOST, resolve));
    const nodePort = (node.address() as AddressInfo).port;
    const unexplained: string[] = [];
    const explained = new Map<string, number>();
    try {
      await fc.assert(fc.asyncProperty(mutated, async (text) => {
        const [a, b] = await Promise.all([exchange(ours, text), exchange(nodePort, text)]);
        const mine = verdict(a);
        if (mine === verdict(b)) return;
        const reason = explainDifference(text, mine);
        if (reason === null) unexplained.push(`${mine} by serveHttp: ${JSON.stringify(text)}`);
        else explained.set(reason, (explained.get(reason) ?? 0) + 1);
      }), { numRuns: 300 });
    } finally {
      node.closeAllConnections();
      await new Promise((resolve) => node.close(resolve));
    }
    expect(unexplained).toEqual([]);
  }, 60_000);
}
