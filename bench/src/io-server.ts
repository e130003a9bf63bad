/**
 * The server process of the `io` family's socket rows: `io-server.ts <variant>` listens on 127.0.0.1, port 0,
 * tells the parent its port over IPC, and answers the parent's messages. One fresh process per variant, pinned to
 * one core by the parent (io-procs.ts).
 *
 * Variants:
 * - `net-echo`: a node:net line echo server with callbacks (the baseline of the echo row);
 * - `serve-echo`: `serve` on the default hub, a tasklet per connection echoing lines with readLine/write; an idle
 *   connection's tasklet waits in readLine (K8);
 * - `http`: node:http with a plain handler and no keep-alive timeout (the baseline of the heap row).
 *
 * Messages: `{ heap: true }` answers `{ heap: bytes }` (heapUsed after two full collections) and
 * `{ connections: true }` answers `{ connections: n }`.
 */
import http from 'node:http';
import net from 'node:net';

const variant = process.argv[2];
const HOST = '127.0.0.1';

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('io-server: run node with --expose-gc');
  collect();
  collect();
}

/** node:net line echo with callbacks: each complete line goes back as it is. */
function netEcho(): net.Server {
  return net.createServer((socket) => {
    socket.setNoDelay(true);
    let pending: Buffer | null = null;
    socket.on('data', (chunk: Buffer) => {
      let data = pending === null ? chunk : Buffer.concat([pending, chunk]);
      let from = 0;
      for (let at = data.indexOf(10); at >= 0; at = data.indexOf(10, from)) {
        socket.write(data.subarray(from, at + 1));
        from = at + 1;
      }
      pending = from === data.length ? null : data.subarray(from);
    });
    socket.on('error', () => socket.destroy());
  });
}

function httpIdle(): http.Server {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 14 });
    res.end('Hello, world!\n');
  });
  server.keepAliveTimeout = 0; // idle connections stay open while they are measured
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  return server;
}

let connections = 0;

async function main(): Promise<void> {
  let server: net.Server;
  if (variant === 'net-echo') server = netEcho();
  else if (variant === 'http') server = httpIdle();
  else if (variant === 'serve-echo') {
    const io = await import('@greenstackless/io');
    const listener = await io.hub.promise(io.serve(0, echoHandler, { host: HOST }));
    server = listener.server;
  } else {
    throw new Error(`io-server: unknown variant '${variant}'`);
  }
  server.on('connection', () => connections++);
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, HOST, 1024, resolve));
  const port = (server.address() as net.AddressInfo).port;
  process.on('message', (m: { heap?: boolean; connections?: boolean }) => {
    if (m.heap === true) {
      gc();
      process.send!({ heap: process.memoryUsage().heapUsed });
    } else if (m.connections === true) {
      process.send!({ connections });
    }
  });
  process.send!({ port });
  process.on('disconnect', () => process.exit(0));
}

function* echoHandler(conn: import('@greenstackless/io').Conn): Generator<unknown, void, unknown> {
  for (;;) {
    const line = yield* conn.readLine();
    if (line === null) return;
    yield* conn.write(line + '\n');
  }
}

await main();
