/**
 * The load process of the `io` family's socket rows, pinned to the other core by the parent (io-procs.ts):
 * `io-load.ts <mode> <port> <connections> [ms]`.
 *
 * Modes:
 * - `echo`: each connection sends a line and waits for its echo before it sends the next (one line in flight per
 *   connection) for `ms`; the process reports `{ lines, ms }`;
 * - `idle-line`: each connection sends one line, waits for its echo, then stays idle; reports `{ ready: n }`;
 * - `idle-http`: each connection sends one keep-alive GET, reads the whole 14-byte response, then stays idle.
 * Idle connections stay open until the parent disconnects. Connections open 100 at a time (the backlog).
 */
import net from 'node:net';

const [mode, portText, countText, msText] = process.argv.slice(2);
const port = Number(portText);
const count = Number(countText);
const ms = Number(msText ?? 0);
const HOST = '127.0.0.1';
const LINE = Buffer.from('the quick brown fox jumps over the lazy dog\n');
const GET = Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
const sockets: net.Socket[] = [];

function open(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: HOST });
    socket.setNoDelay(true);
    socket.once('error', reject);
    socket.once('connect', () => resolve(socket));
  });
}

/** Sends `request` and resolves once `done(bytes so far)` holds. */
function exchange(socket: net.Socket, request: Buffer, done: (received: number, last: Buffer) => boolean): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (done(received, chunk)) {
        socket.off('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
    socket.write(request);
  });
}

async function openAll(): Promise<void> {
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, count - i) }, open));
    sockets.push(...batch);
  }
}

async function echo(): Promise<void> {
  await openAll();
  let lines = 0;
  let running = true;
  const t0 = performance.now();
  for (const socket of sockets) {
    // One line in flight: the next line leaves when the echo of the last one is complete.
    let pending = 0;
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.length;
      while (pending >= LINE.length) {
        pending -= LINE.length;
        lines++;
        if (running) socket.write(LINE);
      }
    });
    socket.write(LINE);
  }
  await new Promise((resolve) => setTimeout(resolve, ms));
  running = false;
  const elapsed = performance.now() - t0;
  process.send!({ lines, ms: elapsed });
}

async function idle(request: Buffer, done: (received: number, last: Buffer) => boolean): Promise<void> {
  await openAll();
  await Promise.all(sockets.map((s) => exchange(s, request, done)));
  process.send!({ ready: sockets.length });
}

process.on('disconnect', () => {
  for (const s of sockets) s.destroy();
  process.exit(0);
});

if (mode === 'echo') await echo();
else if (mode === 'idle-line') await idle(LINE, (received) => received >= LINE.length);
else if (mode === 'idle-http') await idle(GET, (_, last) => last.toString('latin1').endsWith('Hello, world!\n'));
else throw new Error(`io-load: unknown mode '${String(mode)}'`);
