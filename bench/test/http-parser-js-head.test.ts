/**
 * The io family's row "serveHttp hello world, head parsed by http-parser-js" measures only the parser: serveHttp
 * with http-parser-js behind its internal `parseHead` option replies to the same traffic exactly as serveHttp with
 * its own parser, and the handler sees the same request (W1, W2, W4).
 *
 * Invariants: both servers listen on 127.0.0.1, port 0, and are closed after each test with their agents and
 * sockets; every wait has a time bound.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { hub, type HttpHandler, type HttpOptions, type Listener } from '@greenstackless/io';
import { parseHeadWithHttpParserJs } from '../src/http-parser-js-head.js';

const HOST = '127.0.0.1';
const LIMIT = 20_000; // ms, each test
const BODY = 'Hello, World!\n';

const listeners: Listener[] = [];
const agents: http.Agent[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const agent of agents.splice(0)) agent.destroy();
  for (const listener of listeners.splice(0)) {
    await Promise.race([hub.promise(listener.close()), new Promise((resolve) => setTimeout(resolve, 5000))]);
  }
});

/** What a handler sees of a request. */
interface Seen {
  method: string;
  target: string;
  version: string;
  headers: unknown;
  keepAlive: boolean;
  contentLength: number;
  chunked: boolean;
  expectContinue: boolean;
}

/** The bench's hello world (io-http-server.ts), recording each request it serves in `seen`. */
function hello(seen: Seen[]): HttpHandler {
  return (req, res) => {
    const { method, target, version, keepAlive, contentLength, chunked, expectContinue } = req;
    seen.push({ method, target, version, headers: req.headers.map((h) => [...h]), keepAlive, contentLength, chunked,
      expectContinue });
    res.setHeader('content-type', 'text/plain');
    res.setHeader('content-length', 14);
    res.end(BODY);
  };
}

async function start(handler: HttpHandler, parseHead?: HttpOptions['parseHead']): Promise<number> {
  const listener = await hub.promise(hub.serveHttp(0, handler, { host: HOST, parseHead }));
  listeners.push(listener);
  return listener.address.port;
}

interface Reply {
  status: number;
  rawHeaders: string[];
  body: string;
  localPort: number;
}

/** One request with node:http's client over `agent`. */
function request(port: number, agent: http.Agent, options: http.RequestOptions & { body?: string[] }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    // The same host header for both servers, whatever their ports.
    const headers = { host: 'hello.test', ...options.headers };
    const req = http.request({ host: HOST, port, agent, ...options, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode!, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks).toString(),
        localPort: req.socket?.localPort ?? -1,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('the request timed out')));
    for (const part of options.body ?? []) req.write(part);
    req.end();
  });
}

/** Requests of hello world traffic and a little more: query strings, mixed-case names, bodies by length, chunked. */
const TRAFFIC: Array<http.RequestOptions & { body?: string[] }> = [
  { path: '/' },
  { path: '/' },
  { path: '/a/b?x=1&y=%20', headers: { 'X-Mixed-Case': 'Value ', accept: '*/*' } },
  { path: '/post', method: 'POST', headers: { 'content-length': '5' }, body: ['hello'] },
  { path: '/chunked', method: 'PUT', body: ['one', 'two'] },
  { path: '/' },
];

/** The traffic over one keep-alive connection: the replies, and the requests as the handler saw them. */
async function exchange(parseHead?: HttpOptions['parseHead']): Promise<{ replies: Reply[]; seen: Seen[] }> {
  const seen: Seen[] = [];
  const port = await start(hello(seen), parseHead);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  const replies: Reply[] = [];
  for (const options of TRAFFIC) replies.push(await request(port, agent, options));
  return { replies, seen };
}

/** The bytes a raw client gets for `head` until the server closes the connection. */
function rawReply(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: HOST, port });
    sockets.push(socket);
    let text = '';
    socket.setTimeout(5000, () => socket.destroy(new Error(`no close from the server after ${JSON.stringify(head)}`)));
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(head, 'latin1');
  });
}

function withoutDate(rawHeaders: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'date') kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

describe('serveHttp with the head parsed by http-parser-js (bench io)', () => {
  test('W1, W4: keep-alive hello world gets the same status, headers and body as with serveHttp\'s parser', async () => {
    const ours = await exchange();
    const theirs = await exchange(parseHeadWithHttpParserJs);
    for (const { replies } of [ours, theirs]) {
      expect(replies.map((r) => r.status)).toEqual(TRAFFIC.map(() => 200));
      expect(replies.map((r) => r.body)).toEqual(TRAFFIC.map(() => BODY));
      expect(new Set(replies.map((r) => r.localPort)).size).toBe(1); // one connection, kept alive throughout
      for (const reply of replies) {
        expect(withoutDate(reply.rawHeaders)).toEqual(
          ['content-type', 'text/plain', 'content-length', '14', 'connection', 'keep-alive']);
        expect(reply.rawHeaders[reply.rawHeaders.indexOf('date') + 1]).toMatch(/^\w{3}, \d\d \w{3} \d{4} [\d:]{8} GMT$/);
      }
    }
    const names = (r: Reply): string[] => r.rawHeaders.filter((_, i) => i % 2 === 0);
    expect(theirs.replies.map(names)).toEqual(ours.replies.map(names));
  }, LIMIT);

  test('W2: the handler sees the same request: method, target, version, headers, keep-alive and framing', async () => {
    const ours = await exchange();
    const theirs = await exchange(parseHeadWithHttpParserJs);
    expect(ours.seen).toHaveLength(TRAFFIC.length);
    expect(ours.seen[2]).toMatchObject({ method: 'GET', target: '/a/b?x=1&y=%20', version: '1.1', keepAlive: true });
    expect(ours.seen[2]!.headers).toContainEqual(['x-mixed-case', 'Value']);
    expect(ours.seen[3]).toMatchObject({ method: 'POST', contentLength: 5, chunked: false });
    expect(ours.seen[4]).toMatchObject({ method: 'PUT', contentLength: -1, chunked: true });
    expect(ours.seen[0]).toMatchObject({ contentLength: -1, chunked: false, expectContinue: false });
    expect(theirs.seen).toEqual(ours.seen);
  }, LIMIT);

  test('W2: a malformed head or an unsupported version gets the same refusal, then close', async () => {
    const heads = [
      'GET /\r\n\r\n', // no HTTP version
      'GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n', // a CR inside a header line
      'GET / HTTP/2.0\r\nHost: a\r\n\r\n',
    ];
    const refusals = async (parseHead?: HttpOptions['parseHead']): Promise<Array<[string, string]>> => {
      const port = await start(hello([]), parseHead);
      const replies: Array<[string, string]> = [];
      for (const head of heads) {
        const reply = await rawReply(port, head);
        expect(reply).toMatch(/\r\nconnection: close\r\n/);
        replies.push([reply.slice(0, reply.indexOf('\r\n')), reply.slice(reply.indexOf('\r\n\r\n') + 4)]);
      }
      return replies;
    };
    const ours = await refusals();
    const theirs = await refusals(parseHeadWithHttpParserJs);
    expect(ours.map(([status]) => status))
      .toEqual(['HTTP/1.1 400 Bad Request', 'HTTP/1.1 400 Bad Request', 'HTTP/1.1 505 HTTP Version Not Supported']);
    expect(theirs.map(([status]) => status)).toEqual(ours.map(([status]) => status));
    // The messages tell the parsers apart: the swap took effect.
    expect(ours[0]![1]).toBe('400 Bad Request: malformed request line: the HTTP version is missing (W2)\n');
    expect(theirs[0]![1]).toBe('400 Bad Request: malformed request head: http-parser-js refused it '
      + '(Parse Error) (W2)\n');
  }, LIMIT);
});
