/**
 * The socket suite (docs/io.md §2, K1-K7): `netSuite(name, make)` checks Conn, listen, accept, connect and serve on
 * one hub against raw `node:net` peers that control every byte.
 *
 * Invariants:
 * - Every server listens on 127.0.0.1, port 0; every socket and server a test opens is closed by the test's end
 *   (the `peers` list is swept in afterEach), and every test has a time bound.
 * - Tests use only the public API of `@greenstackless/io` and `greenstackless`.
 */
import net from 'node:net';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { Stackless } from 'greenstackless';
import { StacklessError } from 'greenstackless';
import { sync } from '@greenstackless/greenlet';
import {
  Conn,
  ConnClosedError,
  LineTooLongError,
  TimeoutError,
  UnexpectedEOFError,
  type Hub,
  type Listener,
} from '@greenstackless/io';
import { RawPeer } from './httpClient.js';

export interface NetSuiteSubject {
  stackless: Stackless;
  hub: Hub;
}

const HOST = '127.0.0.1';
const LIMIT = 20_000; // ms, each test

/** Reads a line with a hard switch, as plain code in a tasklet would (I11). */
function syncRead(conn: Conn): string | null {
  return sync(conn.readLine());
}

/** Registers the sweep of every peer and server a test opened. */
function useCleanup(): { peers: net.Socket[]; servers: net.Server[]; conns: Conn[] } {
  const opened = { peers: [] as net.Socket[], servers: [] as net.Server[], conns: [] as Conn[] };
  afterEach(async () => {
    for (const s of opened.peers.splice(0)) s.destroy();
    for (const c of opened.conns.splice(0)) c.close();
    await Promise.all(
      opened.servers.splice(0).map((server) => new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
      })),
    );
  });
  return opened;
}

/**
 * Registers the socket suite for one hub.
 *
 * @example
 * ```ts
 * import { stackless } from 'greenstackless';
 * import { getHub } from '@greenstackless/io';
 * netSuite('default instance', () => ({ stackless, hub: getHub(stackless) }));
 * ```
 */
export function netSuite(name: string, make: () => NetSuiteSubject): void {
  describe(`io sockets: ${name}`, () => {
    const opened = useCleanup();

    /** A raw client connected to `port`. */
    function rawClient(port: number): Promise<RawPeer> {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ port, host: HOST, allowHalfOpen: true });
        opened.peers.push(socket);
        socket.once('error', reject);
        socket.once('connect', () => {
          socket.off('error', reject);
          resolve(new RawPeer(socket));
        });
      });
    }

    /** A raw server whose accepted sockets come out of `next()`. */
    async function rawServer(): Promise<{ port: number; next(): Promise<RawPeer> }> {
      const queue: RawPeer[] = [];
      const waiting: Array<(p: RawPeer) => void> = [];
      const server = net.createServer({ allowHalfOpen: true }, (socket) => {
        opened.peers.push(socket);
        const peer = new RawPeer(socket);
        const w = waiting.shift();
        if (w !== undefined) w(peer);
        else queue.push(peer);
      });
      opened.servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
      const port = (server.address() as net.AddressInfo).port;
      return {
        port,
        next: () => {
          const p = queue.shift();
          return p !== undefined ? Promise.resolve(p) : new Promise((resolve) => waiting.push(resolve));
        },
      };
    }

    /** The hub, a listener on 127.0.0.1:0, and the Conn of the one raw client that connects to it. */
    async function pair(
      hub: Hub,
      options?: { readHighWaterMark?: number; lineLimit?: number },
    ): Promise<{ listener: Listener; conn: Conn; peer: RawPeer }> {
      const listener = await hub.promise(hub.listen(0, HOST, options));
      opened.servers.push(listener.server);
      const peerP = rawClient(listener.address.port);
      const conn = await hub.promise(listener.accept({ timeout: 5000 }));
      opened.conns.push(conn);
      const peer = await peerP;
      return { listener, conn, peer };
    }

    /** Resolves after `ms` on the event loop. */
    const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    test('K1: readLine gives lines without their end, decoded whole across chunks; a last line without \\n, then null', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const lines = hub.promise(function* () {
        const got: Array<string | null> = [];
        for (let i = 0; i < 5; i++) got.push(yield* conn.readLine());
        return got;
      }());
      const bytes = Buffer.from('héllo\r\nwörld ✓\nkeep\r\nlast');
      for (let i = 0; i < bytes.length; i++) {
        peer.socket.write(bytes.subarray(i, i + 1));
        if (i % 5 === 0) await delay(1);
      }
      peer.socket.end();
      expect(await lines).toEqual(['héllo', 'wörld ✓', 'keep', 'last', null]);
      conn.close();
    }, LIMIT);

    test('K1: keepEnd, readUntil, read(max) and readExactly', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.write('a\r\nHEAD\r\n\r\nBODY0123456789');
      const got = await hub.promise(function* () {
        const line = yield* conn.readLine({ keepEnd: true });
        const head = (yield* conn.readUntil('\r\n\r\n'))!.toString();
        const four = (yield* conn.readExactly(4)).toString();
        const some = (yield* conn.read(3))!.toString();
        const rest = (yield* conn.read())!.toString();
        return [line, head, four, some, rest];
      }());
      expect(got).toEqual(['a\r\n', 'HEAD\r\n\r\n', 'BODY', '012', '3456789']);
      expect(conn.buffered).toBe(0);
      conn.close();
    }, LIMIT);

    test('K1: a read whose bytes are buffered finishes without a switch (its first step is done)', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.write('one\ntwo\n');
      await hub.promise(function* () {
        yield* conn.readExactly(1); // waits until the bytes are there
      }());
      const op = conn.readLine();
      const it = op[Symbol.iterator]();
      const step = it.next();
      expect([step.done, step.value]).toEqual([true, 'ne']);
      expect(conn.buffered).toBe(4);
      conn.close();
    }, LIMIT);

    test('K2: 10 MB through a slow reader: the socket pauses, the buffer stays bounded, every byte in order', async () => {
      const { hub } = make();
      const hwm = 16 * 1024;
      const { conn, peer } = await pair(hub, { readHighWaterMark: hwm });
      const total = 10 * 1024 * 1024;
      const pattern = Buffer.alloc(total);
      for (let i = 0; i < total; i++) pattern[i] = (i * 7 + (i >> 13)) & 0xff;
      let clientWaitedForDrain = 0;
      const sending = (async () => {
        for (let at = 0; at < total; at += 256 * 1024) {
          if (!peer.socket.write(pattern.subarray(at, Math.min(total, at + 256 * 1024)))) {
            clientWaitedForDrain++;
            await new Promise((resolve) => peer.socket.once('drain', resolve));
          }
        }
        peer.socket.end();
      })();
      const result = await hub.promise(function* () {
        let at = 0;
        let mismatch = -1;
        let maxBuffered = 0;
        let reads = 0;
        for (;;) {
          const chunk = yield* conn.read(4096);
          if (chunk === null) break;
          maxBuffered = Math.max(maxBuffered, conn.buffered + chunk.length);
          if (mismatch < 0 && !chunk.equals(pattern.subarray(at, at + chunk.length))) mismatch = at;
          at += chunk.length;
          if (++reads % 64 === 0) yield* hub.sleep(0); // slow: one event-loop turn every 256 KiB
        }
        return { at, mismatch, maxBuffered };
      }());
      await sending;
      expect(result.mismatch).toBe(-1);
      expect(result.at).toBe(total);
      // Paused above the mark: at most the mark and one more socket chunk (64 KiB) are ever buffered.
      expect(result.maxBuffered).toBeLessThanOrEqual(hwm + 65536);
      expect(clientWaitedForDrain).toBeGreaterThan(0);
      conn.close();
    }, 60_000);

    test('K2: readExactly(n) for n far above the high-water mark still completes', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub, { readHighWaterMark: 1024 });
      const data = Buffer.alloc(300_000, 'z');
      peer.socket.write(data);
      const got = await hub.promise(conn.readExactly(300_000));
      expect(got.equals(data)).toBe(true);
      conn.close();
    }, LIMIT);

    test('K2: a line longer than lineLimit throws LineTooLongError and its bytes stay buffered', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub, { lineLimit: 10 });
      peer.socket.write('0123456789ABCDEF');
      const outcome = await hub.promise(function* () {
        try {
          yield* conn.readLine();
          return 'no error';
        } catch (error) {
          return error;
        }
      }());
      expect(outcome).toBeInstanceOf(LineTooLongError);
      expect((outcome as Error).name).toBe('LineTooLongError');
      expect(conn.buffered).toBeGreaterThanOrEqual(11);
      peer.socket.write('\n');
      const rest = await hub.promise(function* () {
        const x = yield* conn.readUntil('\n', { limit: 100 });
        return x!.toString();
      }());
      expect(rest).toBe('0123456789ABCDEF\n');
      conn.close();
    }, LIMIT);

    test('K3: after the peer\'s FIN the buffered bytes come first, then null; writes still work (half-open)', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.end('last words\nno newline');
      const got = await hub.promise(function* () {
        const out: Array<string | null> = [];
        out.push(yield* conn.readLine(), yield* conn.readLine(), yield* conn.readLine());
        out.push((yield* conn.read()) === null ? 'read: null' : 'read: data');
        out.push((yield* conn.readUntil('x')) === null ? 'readUntil: null' : 'readUntil: data');
        out.push(String(conn.eof));
        yield* conn.write('still here\n');
        yield* conn.end('bye\n');
        return out;
      }());
      expect(got).toEqual(['last words', 'no newline', null, 'read: null', 'readUntil: null', 'true']);
      await peer.until(() => peer.ended, 'the end of its input', LIMIT);
      expect(peer.text('utf8')).toBe('still here\nbye\n');
      conn.close();
    }, LIMIT);

    test('K1, K3: readExactly throws UnexpectedEOFError when the peer ends first', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.end('abc');
      const error = await hub.promise(function* () {
        try {
          yield* conn.readExactly(5);
        } catch (e) {
          return e;
        }
      }());
      expect(error).toBeInstanceOf(UnexpectedEOFError);
      expect((error as Error).name).toBe('UnexpectedEOFError');
      expect(conn.buffered).toBe(3);
      conn.close();
    }, LIMIT);

    test('K4: a small write does not switch; past the high-water mark write waits for drain; every byte arrives', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const small = conn.write('hi\n')[Symbol.iterator]();
      const step = small.next();
      expect(step.done).toBe(true); // handed to the socket, no switch
      peer.socket.pause(); // the peer reads nothing for now
      const chunk = Buffer.alloc(256 * 1024, 'w');
      const count = 32; // 8 MiB: more than the kernel's buffers hold
      const task = hub.spawn(function* () {
        for (let i = 0; i < count; i++) yield* conn.write(chunk);
        yield* conn.end();
      });
      await delay(100);
      // The writer waits for the drain while the peer reads nothing.
      expect(hub.waiting().map((w) => w.tasklet)).toContain(task.tasklet);
      expect(hub.waiting().find((w) => w.tasklet === task.tasklet)!.description).toMatch(/^write on /);
      peer.socket.resume();
      await task.result;
      await peer.until(() => peer.ended, 'the end of its input', LIMIT);
      expect(peer.received.length).toBe(3 + count * chunk.length);
    }, LIMIT);

    test('K4: a write or end on a closed Conn throws ConnClosedError', async () => {
      const { hub } = make();
      const { conn } = await pair(hub);
      conn.close();
      expect(conn.closed).toBe(true);
      const errors = await hub.promise(function* () {
        const out: unknown[] = [];
        try {
          yield* conn.write('x');
        } catch (e) {
          out.push(e);
        }
        try {
          yield* conn.end();
        } catch (e) {
          out.push(e);
        }
        return out;
      }());
      expect(errors).toHaveLength(2);
      for (const e of errors) {
        expect(e).toBeInstanceOf(ConnClosedError);
        expect((e as Error).name).toBe('ConnClosedError');
      }
    }, LIMIT);

    test('K5: a second reader gets StacklessError "Conn is already being read by Tasklet#n" and changes nothing', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const first = hub.spawn(function* () {
        return yield* conn.readLine();
      });
      await delay(20);
      const second = await hub.promise(function* () {
        try {
          yield* conn.readLine();
          return null;
        } catch (e) {
          return e;
        }
      }());
      expect(second).toBeInstanceOf(StacklessError);
      expect((second as Error).message).toContain(`Conn is already being read by ${String(first.tasklet)}`);
      peer.socket.write('for the first\n');
      expect(await first.result).toBe('for the first');
      conn.close();
    }, LIMIT);

    test('K5: a second writer that would wait gets StacklessError "Conn is already being written by Tasklet#n"', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.pause();
      const big = Buffer.alloc(4 * 1024 * 1024, 'b');
      const first = hub.spawn(function* () {
        yield* conn.write(big);
      });
      await delay(20);
      const second = await hub.promise(function* () {
        try {
          yield* conn.write('more');
          return null;
        } catch (e) {
          return e;
        }
      }());
      expect(second).toBeInstanceOf(StacklessError);
      expect((second as Error).message).toContain(`Conn is already being written by ${String(first.tasklet)}`);
      peer.socket.resume();
      await first.result;
      await peer.until(() => peer.received.length >= big.length, 'all of the big write', LIMIT);
      expect(peer.received.length).toBe(big.length); // 'more' was never written
      conn.close();
    }, LIMIT);

    test('K6: close(error) from another tasklet wakes the reader with ConnClosedError whose cause is the error', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const reader = hub.spawn(function* () {
        try {
          yield* conn.readLine();
          return null;
        } catch (e) {
          return e;
        }
      });
      const why = new Error('shutting down');
      await delay(20);
      await hub.promise(function* () {
        conn.close(why);
      }());
      const error = await reader.result;
      expect(error).toBeInstanceOf(ConnClosedError);
      expect((error as Error).cause).toBe(why);
      expect(conn.closed).toBe(true);
      expect(conn.socket.destroyed).toBe(true);
      await peer.until(() => peer.ended, 'the end of its input', LIMIT);
      // Every later op throws too.
      const later = await hub.promise(function* () {
        try {
          yield* conn.read();
        } catch (e) {
          return e;
        }
      }());
      expect(later).toBeInstanceOf(ConnClosedError);
    }, LIMIT);

    test('K6: a reset mid-stream is kept and thrown by every later op; a connection beside it is unharmed', async () => {
      const { hub } = make();
      const listener = await hub.promise(hub.listen(0, HOST));
      opened.servers.push(listener.server);
      const bad = await rawClient(listener.address.port);
      const badConn = await hub.promise(listener.accept({ timeout: 5000 }));
      const good = await rawClient(listener.address.port);
      const goodConn = await hub.promise(listener.accept({ timeout: 5000 }));
      const badReader = hub.spawn(function* () {
        const first = yield* badConn.readLine();
        try {
          yield* badConn.readLine();
          return [first, null];
        } catch (e) {
          return [first, e];
        }
      });
      const echo = hub.spawn(function* () {
        for (;;) {
          const line = yield* goodConn.readLine();
          if (line === null) break;
          yield* goodConn.write(`echo ${line}\n`);
        }
        yield* goodConn.end();
      });
      bad.socket.write('partial line arrives\nthen half of anoth');
      good.socket.write('one\n');
      await delay(20);
      bad.socket.resetAndDestroy();
      good.socket.write('two\n');
      const [first, error] = (await badReader.result) as [string, NodeJS.ErrnoException];
      expect(first).toBe('partial line arrives');
      expect(error).toBeInstanceOf(Error);
      expect(error.code).toBe('ECONNRESET');
      const again = await hub.promise(function* () {
        try {
          yield* badConn.write('x');
        } catch (e) {
          return e;
        }
      }());
      expect(again).toBe(error);
      expect(badConn.closed).toBe(true);
      good.socket.end('three\n');
      await echo.result;
      await good.until(() => good.ended, 'the end of its input', LIMIT);
      expect(good.text('utf8')).toBe('echo one\necho two\necho three\n');
      listener.server.close();
    }, LIMIT);

    test('K6: a killed waiting reader leaves the buffered bytes and the socket as they were', async () => {
      const { hub, stackless } = make();
      const { conn, peer } = await pair(hub);
      const reader = hub.spawn(function* () {
        return yield* conn.readLine();
      });
      reader.result.catch(() => {});
      peer.socket.write('half a li');
      await delay(30);
      expect(conn.buffered).toBe(9);
      await hub.promise(function* () {
        yield* reader.tasklet.kill();
      }());
      await expect(reader.result).rejects.toBeInstanceOf(stackless.TaskletExit);
      expect(conn.buffered).toBe(9);
      expect(conn.closed).toBe(false);
      peer.socket.write('ne\n');
      expect(await hub.promise(conn.readLine())).toBe('half a line');
      conn.close();
    }, LIMIT);

    test('K6: a timed-out read throws TimeoutError and keeps the bytes for the next read', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.write('abc');
      const error = await hub.promise(function* () {
        try {
          yield* conn.readLine({ timeout: 30 });
        } catch (e) {
          return e;
        }
      }());
      expect(error).toBeInstanceOf(TimeoutError);
      expect(conn.buffered).toBe(3);
      peer.socket.write('def\n');
      expect(await hub.promise(conn.readLine({ timeout: 5000 }))).toBe('abcdef');
      conn.close();
    }, LIMIT);

    test('K6: a read\'s timeout counts from its first wait: a peer that trickles bytes cannot hold it', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const trickle = setInterval(() => peer.socket.write('x'), 10);
      try {
        const started = performance.now();
        const error = await hub.promise(function* () {
          try {
            yield* conn.readLine({ timeout: 100 });
          } catch (e) {
            return e;
          }
        }());
        const took = performance.now() - started;
        expect(error).toBeInstanceOf(TimeoutError);
        expect(took).toBeLessThan(2000);
        expect(conn.buffered).toBeGreaterThan(0); // the bytes stay for the next read
      } finally {
        clearInterval(trickle);
      }
      conn.close();
    }, LIMIT);

    test('K7: listen on port 0 tells its port; accept gives connections in order; close stops accepting', async () => {
      const { hub } = make();
      const listener = await hub.promise(hub.listen(0, HOST));
      opened.servers.push(listener.server);
      expect(listener.address.port).toBeGreaterThan(0);
      expect(listener.address.address).toBe(HOST);
      const a = await rawClient(listener.address.port);
      a.socket.write('I am a\n');
      const b = await rawClient(listener.address.port);
      b.socket.write('I am b\n');
      const got = await hub.promise(function* () {
        const ca = yield* listener.accept();
        const cb = yield* listener.accept();
        const out = [yield* ca.readLine(), yield* cb.readLine()];
        ca.close();
        cb.close();
        return out;
      }());
      expect(got).toEqual(['I am a', 'I am b']);
      const acceptor = hub.spawn(function* () {
        try {
          yield* listener.accept();
          return null;
        } catch (e) {
          return e;
        }
      });
      await delay(10);
      await hub.promise(listener.close());
      expect(listener.server.listening).toBe(false);
      expect(await acceptor.result).toBeInstanceOf(ConnClosedError);
    }, LIMIT);

    test('K7: connect gives a Conn to a server; reads and writes go both ways', async () => {
      const { hub } = make();
      const raw = await rawServer();
      const connP = hub.promise(hub.connect(raw.port, HOST, { timeout: 5000 }));
      const peer = await raw.next();
      const conn = await connP;
      expect(conn.remote).toBe(`${HOST}:${raw.port}`);
      peer.socket.write('hello client\n');
      const line = await hub.promise(function* () {
        const l = yield* conn.readLine();
        yield* conn.write('hello server\n');
        yield* conn.end();
        return l;
      }());
      expect(line).toBe('hello client');
      await peer.until(() => peer.ended, 'the end of its input', LIMIT);
      expect(peer.text('utf8')).toBe('hello server\n');
      conn.close();
    }, LIMIT);

    test('K7: connect to a closed port throws the socket error', async () => {
      const { hub } = make();
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
      const port = (server.address() as net.AddressInfo).port;
      await new Promise((resolve) => server.close(resolve));
      await expect(hub.promise(hub.connect(port, HOST))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }, LIMIT);

    test('K7: serve ends the Conn when the handler returns, and serves 200 concurrent connections', async () => {
      const { hub } = make();
      const listener = await hub.promise(hub.serve(0, function* (conn) {
        for (;;) {
          const line = yield* conn.readLine();
          if (line === null) return;
          yield* conn.write(`${line.toUpperCase()}\n`);
        }
      }, { host: HOST }));
      opened.servers.push(listener.server);
      const n = 200;
      const peers = await Promise.all(Array.from({ length: n }, () => rawClient(listener.address.port)));
      for (let i = 0; i < n; i++) peers[i].socket.write(`client ${i} a\n`);
      await Promise.all(peers.map((p) => p.until(() => p.text('utf8').endsWith('A\n'), 'its echo', LIMIT)));
      for (let i = 0; i < n; i++) peers[i].socket.end(`client ${i} b\n`);
      await Promise.all(peers.map((p) => p.until(() => p.ended, 'the end of its input', LIMIT)));
      for (let i = 0; i < n; i++) expect(peers[i].text('utf8')).toBe(`CLIENT ${i} A\nCLIENT ${i} B\n`);
      await hub.promise(listener.close());
    }, 30_000);

    test('K7: a handler that throws is reported with its Conn and its socket destroyed; the server serves on', async () => {
      const { hub } = make();
      const reported: Array<[unknown, Conn, boolean]> = [];
      const listener = await hub.promise(hub.serve(0, function* (conn) {
        const line = yield* conn.readLine();
        if (line === 'fail') throw new Error('handler failed');
        yield* conn.write(`ok ${line}\n`);
      }, { host: HOST, onError: (error, conn) => reported.push([error, conn, conn.closed]) }));
      opened.servers.push(listener.server);
      const bad = await rawClient(listener.address.port);
      bad.socket.write('fail\n');
      await bad.until(() => bad.ended, 'the end of its input', LIMIT);
      expect(bad.text('utf8')).toBe('');
      expect(reported).toHaveLength(1);
      const [error, conn, closedWhenReported] = reported[0];
      expect((error as Error).message).toBe('handler failed');
      expect(conn.remote).toBe(`${HOST}:${bad.socket.localPort}`);
      expect(closedWhenReported).toBe(false); // reported first, then destroyed
      expect(conn.socket.destroyed).toBe(true);
      const good = await rawClient(listener.address.port);
      good.socket.write('fine\n');
      await good.until(() => good.ended, 'the end of its input', LIMIT);
      expect(good.text('utf8')).toBe('ok fine\n');
      good.socket.end(); // the server closes once its connections have ended both ways
      await hub.promise(listener.close());
    }, LIMIT);

    test('K7: the default onError prints a handler\'s error with the peer\'s address, not a peer\'s reset', async () => {
      const { hub } = make();
      const printed: unknown[][] = [];
      const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
        printed.push(args);
      });
      try {
        const listener = await hub.promise(hub.serve(0, function* (conn) {
          const line = yield* conn.readLine();
          if (line === 'fail') throw new Error('handler failed');
        }, { host: HOST }));
        opened.servers.push(listener.server);
        const bad = await rawClient(listener.address.port);
        bad.socket.write('fail\n');
        await bad.until(() => bad.ended, 'the end of its input', LIMIT);
        const resetter = await rawClient(listener.address.port);
        await delay(20);
        resetter.socket.resetAndDestroy();
        await delay(50);
        expect(printed).toHaveLength(1);
        expect(String(printed[0][0])).toContain(`${HOST}:${bad.socket.localPort}`);
        expect((printed[0][1] as Error).message).toBe('handler failed');
        bad.socket.end();
        await hub.promise(listener.close());
      } finally {
        spy.mockRestore();
      }
    }, LIMIT);

    test('K7: a killed handler\'s socket is destroyed, without a report', async () => {
      const { hub, stackless } = make();
      const reported: unknown[] = [];
      let handlerTasklet: { kill(): unknown } | null = null;
      let served: Conn | null = null;
      const listener = await hub.promise(hub.serve(0, function* (conn) {
        handlerTasklet = stackless.current as any;
        served = conn;
        yield* conn.readLine();
      }, { host: HOST, onError: (error) => reported.push(error) }));
      opened.servers.push(listener.server);
      const peer = await rawClient(listener.address.port);
      await delay(30);
      expect(handlerTasklet).not.toBeNull();
      await hub.promise(function* () {
        yield* (handlerTasklet as any).kill();
      }());
      await peer.until(() => peer.ended, 'the end of its input', LIMIT);
      expect(served!.socket.destroyed).toBe(true);
      expect(reported).toEqual([]);
      await hub.promise(listener.close());
    }, LIMIT);

    test('I6: writes made during a pump are corked until the pump ends, then leave together', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const corked = await hub.promise(function* () {
        yield* conn.write('one\n');
        yield* conn.write('two\n');
        return conn.socket.writableCorked;
      }());
      expect(corked).toBe(1); // inside the pump
      expect(conn.socket.writableCorked).toBe(0); // uncorked when it ended
      await peer.until(() => peer.text('utf8') === 'one\ntwo\n', 'the two lines', LIMIT);
      conn.close();
    }, LIMIT);

    test('I10: a waiting read is listed by hub.waiting() as "readLine on address:port"', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const reader = hub.spawn(function* () {
        return yield* conn.readLine();
      });
      await delay(20);
      const entry = hub.waiting().find((w) => w.tasklet === reader.tasklet);
      expect(entry?.description).toBe(`readLine on ${conn.remote}`);
      expect(conn.remote).toBe(`${HOST}:${peer.socket.localPort}`);
      peer.socket.write('x\n');
      expect(await reader.result).toBe('x');
      conn.close();
    }, LIMIT);

    test('I11: a buffered line is read with sync() from plain code in a tasklet, without a switch', async () => {
      const { hub, stackless } = make();
      const { conn, peer } = await pair(hub);
      peer.socket.write('first\nsecond\n');
      await hub.promise(conn.readExactly(1));
      const got = await hub.promise(function* () {
        const t = stackless.current;
        const line = syncRead(conn); // a plain function, a hard switch if it had to wait
        return [line, stackless.current === t];
      }());
      expect(got).toEqual(['irst', true]);
      conn.close();
    }, LIMIT);

    test('K5: reads are checked before anything changes: bad arguments throw TypeError', async () => {
      const { hub } = make();
      const { conn } = await pair(hub);
      expect(() => conn.read(0)).toThrow(TypeError);
      expect(() => conn.readExactly(-1)).toThrow(TypeError);
      expect(() => conn.readExactly(1.5)).toThrow(TypeError);
      expect(() => conn.readUntil('')).toThrow(TypeError);
      expect(() => conn.readUntil('\n', { limit: 0 })).toThrow(TypeError);
      expect(() => new Conn(conn.socket, hub)).toThrow(/already has a Conn/);
      expect(() => new Conn({} as net.Socket, hub)).toThrow(/must be a net.Socket/);
      expect(() => conn.write(42 as unknown as string)).toThrow(/data must be a string or a Uint8Array/);
      expect(() => hub.connect(-1)).toThrow(TypeError);
      expect(() => hub.listen(70000)).toThrow(TypeError);
      expect(() => hub.serve(0, 'no' as never)).toThrow(TypeError);
      expect(conn.closed).toBe(false);
      conn.close();
    }, LIMIT);

    test('K6: an aborted signal ends a waiting read with its reason; the Conn stays usable', async () => {
      const { hub } = make();
      const { conn, peer } = await pair(hub);
      const controller = new AbortController();
      const reader = hub.spawn(function* () {
        try {
          return yield* conn.readLine({ signal: controller.signal });
        } catch (e) {
          return e;
        }
      });
      await delay(10);
      const why = new Error('no longer needed');
      controller.abort(why);
      expect(await reader.result).toBe(why);
      peer.socket.write('later\n');
      expect(await hub.promise(conn.readLine())).toBe('later');
      conn[Symbol.dispose]();
      expect(conn.closed).toBe(true);
    }, LIMIT);

    test('K7: accept waits with a timeout; serve takes over a listener and its queued connections', async () => {
      const { hub } = make();
      const listener = await hub.promise(hub.listen(0, HOST));
      opened.servers.push(listener.server);
      const timedOut = await hub.promise(function* () {
        try {
          yield* listener.accept({ timeout: 20 });
        } catch (e) {
          return e;
        }
      }());
      expect(timedOut).toBeInstanceOf(TimeoutError);
      const early = await rawClient(listener.address.port);
      early.socket.write('queued\n');
      await delay(20);
      const same = await hub.promise(hub.serve(listener, function* (conn) {
        const line = yield* conn.readLine();
        yield* conn.write(`served ${line}\n`);
      }));
      expect(same).toBe(listener);
      await early.until(() => early.ended, 'the end of its input', LIMIT);
      expect(early.text('utf8')).toBe('served queued\n');
      const late = await rawClient(listener.address.port);
      late.socket.write('late\n');
      await late.until(() => late.ended, 'the end of its input', LIMIT);
      expect(late.text('utf8')).toBe('served late\n');
      early.socket.end();
      late.socket.end();
      await hub.promise(listener.close());
    }, LIMIT);

    test('K7: serve takes a net.Server that already listens', async () => {
      const { hub } = make();
      const server = net.createServer({ allowHalfOpen: true });
      opened.servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
      const listener = await hub.promise(hub.serve(server, function* (conn) {
        yield* conn.write(`hello ${conn.remote.split(':')[0]}\n`);
      }));
      expect(listener.server).toBe(server);
      const peer = await rawClient(listener.address.port);
      await peer.until(() => peer.ended, 'the end of its input', LIMIT);
      expect(peer.text('utf8')).toBe(`hello ${HOST}\n`);
      peer.socket.end();
      await hub.promise(listener.close());
    }, LIMIT);

    test('K7: close() stops accepting: a new connection is refused, the open one is still served', async () => {
      const { hub } = make();
      const listener = await hub.promise(hub.serve(0, function* (conn) {
        const line = yield* conn.readLine();
        yield* conn.write(`bye ${line}\n`);
      }, { host: HOST }));
      opened.servers.push(listener.server);
      const port = listener.address.port;
      const open = await rawClient(port);
      await delay(20);
      const closing = hub.promise(listener.close());
      await expect(rawClient(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      open.socket.write('last\n');
      await open.until(() => open.ended, 'the end of its input', LIMIT);
      expect(open.text('utf8')).toBe('bye last\n');
      open.socket.end();
      await closing; // the server closes once its last connection has ended
      expect(listener.server.listening).toBe(false);
    }, LIMIT);
  });
}
