/**
 * The HTTP suite (docs/io.md §3, W1-W5): `httpSuite(name, make)` checks `serveHttp` on one hub, with raw `node:net`
 * peers for the parser, limits and error paths and node:http's client for ordinary traffic.
 *
 * Invariants:
 * - Every server listens on 127.0.0.1, port 0; every peer, agent and server a test opens is closed in afterEach,
 *   and every wait has a time bound.
 * - Tests use only the public API of `@greenstackless/io` and `greenstackless`.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { Stackless } from 'greenstackless';
import { HttpError, type Hub, type HttpHandler, type HttpOptions, type HttpRequest, type Listener } from '@greenstackless/io';
import { header, HOST, RawPeer, readResponses } from './httpClient.js';
import { httpFuzzTests } from './httpFuzz.js';

export interface HttpSuiteSubject {
  stackless: Stackless;
  hub: Hub;
}

const LIMIT = 20_000; // ms, each test

export interface HttpContext {
  subject(): HttpSuiteSubject;
  /** Starts serveHttp on a free port of 127.0.0.1; closed after the test. */
  start(handler: HttpHandler, options?: HttpOptions): Promise<number>;
  /** A node:http agent closed after the test. */
  agent(options?: http.AgentOptions): http.Agent;
}

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  socketPort: number;
}

/** One request with node:http's client. */
export function request(port: number, options: http.RequestOptions & { body?: string | Array<string | Buffer> } = {}):
  Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, agent: false, ...options }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders,
        body: Buffer.concat(chunks).toString(), socketPort: req.socket?.localPort ?? -1,
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('the request timed out')));
    const body = options.body;
    if (Array.isArray(body)) for (const part of body) req.write(part);
    else if (body !== undefined) req.write(body);
    req.end();
  });
}

export function httpSuite(name: string, make: () => HttpSuiteSubject): void {
  describe(`io http: ${name}`, () => {
    let subject: HttpSuiteSubject;
    const listeners: Listener[] = [];
    const agents: http.Agent[] = [];

    beforeEach(() => {
      subject = make();
    });

    afterEach(async () => {
      RawPeer.closeAll();
      for (const agent of agents.splice(0)) agent.destroy();
      for (const listener of listeners.splice(0)) {
        await Promise.race([
          subject.hub.promise(listener.close()),
          new Promise((resolve) => setTimeout(resolve, 5000)),
        ]);
      }
    });

    const ctx: HttpContext = {
      subject: () => subject,
      async start(handler, options) {
        const listener = await subject.hub.promise(subject.hub.serveHttp(0, handler, { host: HOST, ...options }));
        listeners.push(listener);
        return listener.address.port;
      },
      agent(options) {
        const agent = new http.Agent({ keepAlive: true, ...options });
        agents.push(agent);
        return agent;
      },
    };

    keepAliveTests(ctx);
    errorTests(ctx);
    bodyTests(ctx);
    responseTests(ctx);
    badClientTests(ctx);
    httpFuzzTests(ctx);
  });
}

const hello: HttpHandler = (req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`${req.method} ${req.target}`);
};

function keepAliveTests(ctx: HttpContext): void {
  test('W1: keep-alive: three requests on one connection are answered in order on that connection', async () => {
    const remotes: string[] = [];
    const port = await ctx.start((req, res) => {
      remotes.push(req.conn.remote);
      res.end(`you asked for ${req.target}`);
    });
    const agent = ctx.agent({ maxSockets: 1 });
    const results = [];
    for (const path of ['/a', '/b', '/c']) results.push(await request(port, { path, agent }));
    expect(results.map((r) => r.body)).toEqual(['you asked for /a', 'you asked for /b', 'you asked for /c']);
    expect(results.map((r) => r.headers.connection)).toEqual(['keep-alive', 'keep-alive', 'keep-alive']);
    expect(new Set(remotes).size).toBe(1);
  }, LIMIT);

  test('W1: pipelined requests sent in one write are answered in order', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /3 HTTP/1.1\r\n\r\n');
    const replies = await peer.responses(3);
    expect(replies.map((r) => r.body.toString())).toEqual(['GET /1', 'POST /2', 'GET /3']);
    expect(peer.ended).toBe(false);
  }, LIMIT);

  test('W1: a pipelining client does not starve the others: schedule() between buffered requests', async () => {
    const { stackless } = ctx.subject();
    const log: string[] = [];
    const port = await ctx.start((req, res) => {
      log.push(req.target);
      if (req.target === '/1') {
        stackless.tasklet(function* () {
          for (let i = 0; i < 4; i++) {
            log.push('other');
            yield* stackless.schedule();
          }
        }).setup();
      }
      res.end('ok');
    });
    const peer = await RawPeer.connect(port);
    peer.write([1, 2, 3, 4].map((i) => `GET /${i} HTTP/1.1\r\n\r\n`).join(''));
    await peer.responses(4);
    expect(log.slice(0, 7)).toEqual(['/1', 'other', '/2', 'other', '/3', 'other', '/4']);
  }, LIMIT);

  test('W1: HTTP/1.1 with Connection: close gets connection: close and the server closes', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('GET /x HTTP/1.1\r\nConnection: close\r\n\r\n');
    await peer.untilClosedByServer();
    const { replies, error } = readResponses(peer.received, [], true);
    expect(error).toBe(null);
    expect(replies.map((r) => [r.status, header(r, 'connection'), r.body.toString()]))
      .toEqual([[200, 'close', 'GET /x']]);
  }, LIMIT);

  test('W1: HTTP/1.0 closes after the reply unless it asks for keep-alive', async () => {
    const port = await ctx.start(hello);
    const plain = await RawPeer.connect(port);
    plain.write('GET /a HTTP/1.0\r\n\r\n');
    await plain.untilClosedByServer();
    expect(header(readResponses(plain.received, [], true).replies[0], 'connection')).toBe('close');

    const kept = await RawPeer.connect(port);
    kept.write('GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const [first] = await kept.responses(1);
    expect(header(first, 'connection')).toBe('keep-alive');
    kept.write('GET /c HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const replies = await kept.responses(2);
    expect(replies[1].body.toString()).toBe('GET /c');
    expect(kept.ended).toBe(false);
  }, LIMIT);

  test('W1: empty lines before a request line are ignored', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('GET /a HTTP/1.1\r\n\r\n\r\n\r\nGET /b HTTP/1.1\r\n\r\n');
    expect((await peer.responses(2)).map((r) => r.body.toString())).toEqual(['GET /a', 'GET /b']);
  }, LIMIT);

  test('W1: the request object: method, target, version, headers in order, header() by any case', async () => {
    let seen: HttpRequest | null = null;
    const port = await ctx.start((req, res) => {
      seen = req;
      res.end();
    });
    const peer = await RawPeer.connect(port);
    peer.write('PATCH /p?q=1 HTTP/1.1\r\nX-One: 1\r\nx-two:   two  \r\nX-One: again\r\n\r\n');
    await peer.responses(1);
    const req = seen! as HttpRequest;
    expect([req.method, req.target, req.version, req.keepAlive]).toEqual(['PATCH', '/p?q=1', '1.1', true]);
    expect(req.headers).toEqual([['x-one', '1'], ['x-two', 'two'], ['x-one', 'again']]);
    expect([req.header('X-ONE'), req.header('x-two'), req.header('missing')]).toEqual(['1', 'two', undefined]);
  }, LIMIT);

  test('W1, K4: a pipelining client that does not read its replies stalls its connection, not our memory', async () => {
    let most = 0;
    let served = 0;
    const big = Buffer.alloc(64 * 1024, 'x');
    const port = await ctx.start((req, res) => {
      most = Math.max(most, req.conn.socket.writableLength);
      served++;
      res.end(big); // a plain handler: it does not wait for the write
    });
    const peer = await RawPeer.connect(port);
    peer.socket.pause();
    peer.write('GET / HTTP/1.1\r\n\r\n'.repeat(300));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(served).toBeLessThan(300);
    peer.socket.resume();
    const replies = await peer.responses(300, [], 15_000);
    expect(replies.every((r) => r.body.length === big.length)).toBe(true);
    expect(most).toBeLessThan(1024 * 1024);
  }, LIMIT);

  test('W1: serveHttp takes a net.Server that listens, or a Listener, as well as a port', async () => {
    const { hub } = ctx.subject();
    const server = net.createServer({ allowHalfOpen: true });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    const fromServer = await hub.promise(hub.serveHttp(server, hello));
    expect(fromServer.server).toBe(server);
    const listener = await hub.promise(hub.listen(0, HOST));
    const fromListener = await hub.promise(hub.serveHttp(listener, hello));
    expect(fromListener).toBe(listener);
    try {
      expect((await request(fromServer.address.port, { path: '/s' })).body).toBe('GET /s');
      expect((await request(fromListener.address.port, { path: '/l' })).body).toBe('GET /l');
    } finally {
      await hub.promise(fromServer.close());
      await hub.promise(fromListener.close());
    }
  }, LIMIT);

  test('W1: 200 concurrent connections are served, their handlers overlapping', async () => {
    const { hub } = ctx.subject();
    let inside = 0;
    let most = 0;
    const port = await ctx.start(function* (req, res) {
      inside++;
      most = Math.max(most, inside);
      yield* hub.sleep(20);
      inside--;
      res.end(`reply to ${req.target}`);
    });
    const agent = ctx.agent({ maxSockets: 200 });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => request(port, { path: `/${i}`, agent })));
    expect(results.map((r) => r.body)).toEqual(Array.from({ length: 200 }, (_, i) => `reply to /${i}`));
    expect(most).toBeGreaterThan(20);
  }, LIMIT);
}

/** A head the server must refuse with `status`, then close; the handler never runs. */
const refusals: Array<[string, string, number]> = [
  ['W2: a method that is not a token is 400', 'G(T / HTTP/1.1\r\n\r\n', 400],
  ['W2: two spaces in the request line are 400', 'GET  / HTTP/1.1\r\n\r\n', 400],
  ['W2: a control character in the target is 400', 'GET /a\x01 HTTP/1.1\r\n\r\n', 400],
  ['W2: a missing version is 400', 'GET /\r\n\r\n', 400],
  ['W2: HTTP/2.0 is 505', 'GET / HTTP/2.0\r\n\r\n', 505],
  ['W2: HTTP/1.2 is 505', 'GET / HTTP/1.2\r\n\r\n', 505],
  ['W2: obs-fold is 400', 'GET / HTTP/1.1\r\nA: 1\r\n  folded\r\n\r\n', 400],
  ['W2: whitespace before the colon is 400', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n', 400],
  ['W2: a header line without a colon is 400', 'GET / HTTP/1.1\r\nnonsense\r\n\r\n', 400],
  ['W2: a control character in a value is 400', 'GET / HTTP/1.1\r\nA: x\x7fy\r\n\r\n', 400],
  ['W2: a lone CR in a value is 400', 'GET / HTTP/1.1\r\nA: x\ry\r\n\r\n', 400],
  ['W2: content-length with transfer-encoding is 400 (smuggling)',
    'POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ['W2: differing content-lengths are 400 (smuggling)',
    'POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400],
  ['W2: a non-decimal content-length is 400 (smuggling)', 'POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc', 400],
  ['W2: a content-length list is 400 (smuggling)', 'POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc', 400],
  ['W2: transfer-encoding gzip is 501', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n', 501],
  ['W2: transfer-encoding gzip, chunked is 501', 'POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n', 501],
];

function errorTests(ctx: HttpContext): void {
  for (const [title, head, status] of refusals) {
    test(`${title}, with connection: close, and the connection closes`, async () => {
      let calls = 0;
      const port = await ctx.start((req, res) => {
        calls++;
        res.end('handled');
      });
      const peer = await RawPeer.connect(port);
      peer.write(head);
      await peer.untilClosedByServer();
      const { replies, error } = readResponses(peer.received, [], true);
      expect(error).toBe(null);
      expect(replies.length).toBe(1);
      expect(replies[0].status).toBe(status);
      expect(header(replies[0], 'connection')).toBe('close');
      expect(calls).toBe(0);
    }, LIMIT);
  }

  test('W2: a head longer than headLimit is 431 and close', async () => {
    const port = await ctx.start(hello, { headLimit: 1024 });
    const peer = await RawPeer.connect(port);
    peer.write(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(2000)}\r\n\r\n`);
    await peer.untilClosedByServer();
    const { replies } = readResponses(peer.received, [], true);
    expect([replies[0].status, header(replies[0], 'connection')]).toEqual([431, 'close']);
  }, LIMIT);

  test('W2: 431 as soon as headLimit bytes have come without the end of the head', async () => {
    const port = await ctx.start(hello, { headLimit: 1024 });
    const peer = await RawPeer.connect(port);
    peer.write(`GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(1100)}`); // no end of head yet, nor ever
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies[0].status).toBe(431);
  }, LIMIT);

  test('W2: a head just within headLimit is served', async () => {
    const head = `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(900)}\r\n\r\n`;
    const port = await ctx.start(hello, { headLimit: head.length });
    const peer = await RawPeer.connect(port);
    peer.write(head);
    expect((await peer.responses(1))[0].status).toBe(200);
  }, LIMIT);

  test('W2: a head that arrives a byte at a time is served', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    const head = 'GET /slow HTTP/1.1\r\nHost: a\r\n\r\n';
    for (const ch of head) {
      peer.write(ch);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect((await peer.responses(1))[0].body.toString()).toBe('GET /slow');
  }, LIMIT);

  test('W2: CL.TE smuggling: the request is refused and the smuggled request is never served', async () => {
    const targets: string[] = [];
    const port = await ctx.start((req, res) => {
      targets.push(req.target);
      res.end('ok');
    });
    const peer = await RawPeer.connect(port);
    peer.write('POST /a HTTP/1.1\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n'
      + '0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([400]);
    expect(targets).toEqual([]);
  }, LIMIT);

  test('W2: TE.CL smuggling with an obfuscated transfer-encoding is refused', async () => {
    const targets: string[] = [];
    const port = await ctx.start((req, res) => {
      targets.push(req.target);
      res.end('ok');
    });
    const peer = await RawPeer.connect(port);
    peer.write('POST /a HTTP/1.1\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nGET /smuggled HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([501]);
    expect(targets).toEqual([]);
  }, LIMIT);

  test('W2: the reply to a refused request says what was wrong, and earlier replies are kept', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('GET /ok HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nHost : a\r\n\r\nGET /never HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    const { replies } = readResponses(peer.received, [], true);
    expect(replies.map((r) => r.status)).toEqual([200, 400]);
    expect(replies[1].body.toString()).toContain('whitespace between the name and the colon');
  }, LIMIT);
}

function bodyTests(ctx: HttpContext): void {
  const echo: HttpHandler = function* (req, res) {
    const body = yield* req.body();
    res.end(`${body.length}:${body.toString()}`);
  };

  test('W3: a content-length body is read by body()', async () => {
    const port = await ctx.start(echo);
    const r = await request(port, { method: 'POST', headers: { 'content-length': 11 }, body: 'hello world' });
    expect(r.body).toBe('11:hello world');
  }, LIMIT);

  test('W3: a chunked body is read by body(), its trailers skipped', async () => {
    const port = await ctx.start(echo);
    const r = await request(port, { method: 'POST', body: ['abc', 'defgh', 'ij'] });
    expect(r.body).toBe('10:abcdefghij');
    const peer = await RawPeer.connect(port);
    peer.write('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=1\r\nabc\r\n0\r\nT: 1\r\n\r\nGET /n HTTP/1.1\r\n\r\n');
    const replies = await peer.responses(2);
    expect(replies.map((x) => x.body.toString())).toEqual(['3:abc', '0:']);
  }, LIMIT);

  test('W3: a body that arrives in pieces over time is read whole', async () => {
    const port = await ctx.start(echo);
    const peer = await RawPeer.connect(port);
    peer.write('POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\nab');
    await new Promise((resolve) => setTimeout(resolve, 20));
    peer.write('cd');
    await new Promise((resolve) => setTimeout(resolve, 20));
    peer.write('ef');
    expect((await peer.responses(1))[0].body.toString()).toBe('6:abcdef');
  }, LIMIT);

  test('W3: a body past the limit: body() throws HttpError 413, the reply is 413 and close', async () => {
    const caught: unknown[] = [];
    const port = await ctx.start(function* (req, res) {
      try {
        yield* req.body({ limit: 10 });
      } catch (error) {
        caught.push(error);
        throw error;
      }
      res.end('read');
    });
    for (const head of ['POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n0123456789a',
      'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n6\r\n6789ab\r\n0\r\n\r\n']) {
      const peer = await RawPeer.connect(port);
      peer.write(head);
      await peer.untilClosedByServer();
      const { replies } = readResponses(peer.received, [], true);
      expect([replies[0].status, header(replies[0], 'connection')]).toEqual([413, 'close']);
    }
    expect(caught.length).toBe(2);
    expect(caught[0]).toBeInstanceOf(HttpError);
    expect((caught[0] as HttpError).status).toBe(413);
    expect((caught[0] as Error).message).toBe('the request body of 11 bytes is larger than the limit of 10 bytes (W3)');
  }, LIMIT);

  test('W3: Expect: 100-continue gets 100 Continue when the handler first calls body()', async () => {
    const port = await ctx.start(echo);
    const peer = await RawPeer.connect(port);
    peer.write('POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    await peer.until(() => peer.text().includes('\r\n\r\n'), 'the interim reply');
    expect(peer.text()).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    peer.write('hello');
    const replies = await peer.responses(2);
    expect(replies.map((r) => [r.status, r.body.toString()])).toEqual([[100, ''], [200, '5:hello']]);
  }, LIMIT);

  test('W3: node:http client with Expect: 100-continue gets its reply', async () => {
    const port = await ctx.start(echo);
    const r = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: HOST, port, method: 'PUT', headers: { expect: '100-continue', 'content-length': 3 } });
      req.on('continue', () => req.end('abc'));
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.setTimeout(5000, () => req.destroy(new Error('timed out')));
    });
    expect(r).toBe('3:abc');
  }, LIMIT);

  test('W3: a handler that replies without reading an Expect: 100-continue body sends no 100, and closes', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('POST /x HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
    await peer.untilClosedByServer();
    const { replies } = readResponses(peer.received, [], true);
    expect(replies.map((r) => [r.status, header(r, 'connection')])).toEqual([[200, 'close']]);
  }, LIMIT);

  test('W3: bodies the handler did not read are skipped before the next request', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('POST /1 HTTP/1.1\r\nContent-Length: 22\r\n\r\nGET /fake HTTP/1.1\r\n\r\n'
      + 'POST /2 HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n16\r\nGET /fake HTTP/1.1\r\n\r\n\r\n0\r\n\r\n'
      + 'GET /3 HTTP/1.1\r\n\r\n');
    const replies = await peer.responses(3);
    expect(replies.map((r) => r.body.toString())).toEqual(['POST /1', 'POST /2', 'GET /3']);
  }, LIMIT);

  test('W3: an unread body longer than the drain limit closes the connection after the reply', async () => {
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write(`POST /big HTTP/1.1\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`);
    await peer.untilClosedByServer();
    const { replies } = readResponses(peer.received, [], true);
    expect(replies.map((r) => [r.status, header(r, 'connection')])).toEqual([[200, 'close']]);
  }, LIMIT);

  test('W3: body() twice gives the same bytes; a request without a body gives an empty buffer', async () => {
    const port = await ctx.start(function* (req, res) {
      const a = yield* req.body();
      const b = yield* req.body();
      res.end(`${a === b}:${a.length}`);
    });
    const peer = await RawPeer.connect(port);
    peer.write('POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET / HTTP/1.1\r\n\r\n');
    expect((await peer.responses(2)).map((r) => r.body.toString())).toEqual(['true:2', 'true:0']);
  }, LIMIT);

  test('W3: a malformed chunked body is 400 and close', async () => {
    const port = await ctx.start(echo);
    const peer = await RawPeer.connect(port);
    peer.write('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([400]);
  }, LIMIT);
}

function responseTests(ctx: HttpContext): void {
  test('W4: end(x) sends content-length; the head carries exactly date, connection and content-length', async () => {
    const port = await ctx.start((req, res) => {
      res.setHeader('X-Mine', 'yes');
      res.end('héllo');
    });
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    const [reply] = await peer.responses(1);
    expect(reply.headers.map(([n]) => n)).toEqual(['x-mine', 'date', 'content-length', 'connection']);
    expect(header(reply, 'content-length')).toBe('6');
    expect(header(reply, 'date')).toBe(new Date(Date.parse(header(reply, 'date')!)).toUTCString());
    expect(reply.body.toString()).toBe('héllo');
  }, LIMIT);

  test('W4: write() replies in chunks unless content-length is set', async () => {
    const port = await ctx.start(function* (req, res) {
      if (req.target === '/fixed') res.setHeader('content-length', 6);
      yield* res.write('abc');
      yield* res.write(Buffer.from('def'));
      yield* res.end();
    });
    const peer = await RawPeer.connect(port);
    peer.write('GET /chunked HTTP/1.1\r\n\r\nGET /fixed HTTP/1.1\r\n\r\n');
    const replies = await peer.responses(2);
    expect(replies.map((r) => [r.framing, r.body.toString(), header(r, 'transfer-encoding')]))
      .toEqual([['chunked', 'abcdef', 'chunked'], ['length', 'abcdef', undefined]]);
    const r = await request(port, { path: '/chunked' });
    expect([r.body, r.headers['transfer-encoding']]).toEqual(['abcdef', 'chunked']);
  }, LIMIT);

  test('W4: HEAD gets the content-length the body would have, and no body', async () => {
    const port = await ctx.start((req, res) => res.end('twelve bytes') as any);
    const peer = await RawPeer.connect(port);
    peer.write('HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n');
    const replies = await peer.responses(2, [true]);
    expect(replies.map((r) => [header(r, 'content-length'), r.body.toString()]))
      .toEqual([['12', ''], ['12', 'twelve bytes']]);
    expect(readResponses(peer.received, [true], false).rest).toBe(0);
  }, LIMIT);

  test('W4: 204 and 304 send no body and no framing header', async () => {
    const port = await ctx.start((req, res) => {
      res.status = req.target === '/204' ? 204 : 304;
      res.end('ignored');
    });
    const peer = await RawPeer.connect(port);
    peer.write('GET /204 HTTP/1.1\r\n\r\nGET /304 HTTP/1.1\r\n\r\n');
    const replies = await peer.responses(2);
    expect(replies.map((r) => [r.status, header(r, 'content-length'), header(r, 'transfer-encoding')]))
      .toEqual([[204, undefined, undefined], [304, undefined, undefined]]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readResponses(peer.received, [], false).rest).toBe(0);
  }, LIMIT);

  test('W4: a handler that returns without end() gets content-length: 0', async () => {
    const port = await ctx.start(() => undefined);
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    const [reply] = await peer.responses(1);
    expect([reply.status, header(reply, 'content-length'), reply.body.length]).toEqual([200, '0', 0]);
  }, LIMIT);

  test('W4: a handler error before the head: 500, close, and onError hears it with the request', async () => {
    const heard: Array<[unknown, string | undefined]> = [];
    const boom = new Error('boom');
    const port = await ctx.start(() => {
      throw boom;
    }, { onError: (error, req) => heard.push([error, req?.target]) });
    const peer = await RawPeer.connect(port);
    peer.write('GET /fail HTTP/1.1\r\n\r\nGET /never HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    const { replies } = readResponses(peer.received, [], true);
    expect(replies.map((r) => [r.status, header(r, 'connection')])).toEqual([[500, 'close']]);
    expect(heard).toEqual([[boom, '/fail']]);
  }, LIMIT);

  test('W4: a handler error after the head destroys the socket; onError hears it; the server goes on', async () => {
    const heard: unknown[] = [];
    const port = await ctx.start(function* (req, res) {
      if (req.target === '/ok') {
        res.end('fine');
        return;
      }
      yield* res.write('partial');
      throw new Error('after the head');
    }, { onError: (error) => heard.push((error as Error).message) });
    const peer = await RawPeer.connect(port);
    peer.write('GET /fail HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    const { replies } = readResponses(peer.received, [], true);
    expect(replies).toEqual([]); // whatever left before the close, never a whole response
    expect(heard).toEqual(['after the head']);
    expect((await request(port, { path: '/ok' })).body).toBe('fine');
  }, LIMIT);

  test('W4: without onError, a handler error goes to console.error with the request and the peer', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const port = await ctx.start(() => {
        throw new Error('unheard');
      });
      const peer = await RawPeer.connect(port);
      peer.write('GET /where HTTP/1.1\r\n\r\n');
      await peer.untilClosedByServer();
      expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([500]);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(String(spy.mock.calls[0]![0])).toMatch(/^serveHttp: the handler of GET \/where from 127\.0\.0\.1:\d+ threw:$/);
      expect((spy.mock.calls[0]![1] as Error).message).toBe('unheard');
    } finally {
      spy.mockRestore();
    }
  }, LIMIT);

  test('W4: a handler that returns a promise gets a 500 and onError hears a TypeError that says why', async () => {
    const heard: unknown[] = [];
    const port = await ctx.start((async () => undefined) as unknown as HttpHandler,
      { onError: (error) => heard.push(error) });
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([500]);
    expect(heard[0]).toBeInstanceOf(TypeError);
    expect((heard[0] as Error).message).toMatch(/^serveHttp: the handler returned a promise/);
  }, LIMIT);

  test('W4: a CR or LF in a header value throws TypeError in the handler (500), no response splitting', async () => {
    const heard: unknown[] = [];
    const port = await ctx.start((req, res) => {
      res.setHeader('x-evil', 'a\r\nset-cookie: x=1');
    }, { onError: (error) => heard.push(error) });
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([500]);
    expect(peer.text()).not.toContain('set-cookie');
    expect(heard[0]).toBeInstanceOf(TypeError);
  }, LIMIT);

  test('W4: HTTP/1.0 with write() and no content-length: no chunks, the close ends the body', async () => {
    const port = await ctx.start(function* (req, res) {
      yield* res.write('one ');
      yield* res.end('two');
    });
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    await peer.untilClosedByServer();
    const [reply] = readResponses(peer.received, [], true).replies;
    expect([reply.framing, reply.body.toString(), header(reply, 'connection')]).toEqual(['close', 'one two', 'close']);
  }, LIMIT);

  test('W4: a handler that sets connection: close keeps its header and the server closes', async () => {
    const port = await ctx.start((req, res) => {
      res.setHeader('Connection', 'close');
      res.end('bye');
    });
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    const [reply] = readResponses(peer.received, [], true).replies;
    expect(reply.headers.filter(([n]) => n === 'connection')).toEqual([['connection', 'close']]);
  }, LIMIT);

  test('W4: a body longer than the handler\'s content-length is refused before anything is sent', async () => {
    const heard: unknown[] = [];
    const port = await ctx.start((req, res) => {
      res.setHeader('content-length', 2);
      res.end('three');
    }, { onError: (error) => heard.push((error as Error).message) });
    const peer = await RawPeer.connect(port);
    peer.write('GET / HTTP/1.1\r\n\r\n');
    await peer.untilClosedByServer();
    expect(readResponses(peer.received, [], true).replies.map((r) => r.status)).toEqual([500]);
    expect(heard).toEqual(['the response body has 5 bytes but content-length says 2 (W4)']);
  }, LIMIT);
}

function badClientTests(ctx: HttpContext): void {
  test('W5: a client stalling mid-head is closed after headersTimeout; healthy clients are served meanwhile', async () => {
    const port = await ctx.start(hello, { headersTimeout: 300 });
    const stalled = await RawPeer.connect(port);
    stalled.write('GET /stall HTTP/1.1\r\nHost: a\r\n');
    const started = Date.now();
    const agent = ctx.agent();
    for (let i = 0; i < 5; i++) expect((await request(port, { path: `/ok${i}`, agent })).body).toBe(`GET /ok${i}`);
    await stalled.untilClosedByServer(5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(stalled.received.length).toBe(0);
  }, LIMIT);

  test('W5: a connection waiting for a head is one waiting tasklet, described by its peer (I10)', async () => {
    const { hub } = ctx.subject();
    const port = await ctx.start(hello);
    const peer = await RawPeer.connect(port);
    peer.write('GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\nHost');
    await peer.responses(1);
    const local = `127.0.0.1:${peer.socket.localPort}`;
    // The reply leaves when the pump ends (I6), by when the connection's tasklet waits for the rest of /b.
    const mine = hub.waiting().filter((w) => w.description.endsWith(local));
    expect(mine.map((w) => w.description)).toEqual([`HTTP request head from ${local}`]);
  }, LIMIT);

  test('W5: a reset in the middle of a body ends that connection only; onError hears nothing', async () => {
    const heard: unknown[] = [];
    const { hub } = ctx.subject();
    let readerFailed: unknown = null;
    const port = await ctx.start(function* (req, res) {
      if (req.target === '/upload') {
        try {
          yield* req.body();
        } catch (error) {
          readerFailed = error;
          throw error;
        }
      }
      res.end('ok');
    }, { onError: (error) => heard.push(error) });
    const victim = await RawPeer.connect(port);
    victim.write('POST /upload HTTP/1.1\r\nContent-Length: 100\r\n\r\npartial');
    await new Promise((resolve) => setTimeout(resolve, 50));
    victim.socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await request(port, { path: '/healthy' })).body).toBe('ok');
    await hub.promise(hub.sleep(10));
    expect(readerFailed).not.toBe(null);
    expect(heard).toEqual([]);
  }, LIMIT);

  test('W5: a client that closes mid-head or between requests costs nothing; the server goes on', async () => {
    const port = await ctx.start(hello);
    const half = await RawPeer.connect(port);
    half.write('GET /half HTTP/1.1\r\nHo');
    half.socket.end();
    await half.untilClosedByServer();
    expect(half.received.length).toBe(0);
    expect((await request(port, { path: '/after' })).body).toBe('GET /after');
  }, LIMIT);
}
