// An HTTP server that streams its reply in chunks, and a client in the same program, with @greenstackless/io:
// `serveHttp` runs a tasklet per connection; the handler writes a line, sleeps, writes the next, in plain
// sequential code, and each write leaves as one chunk of a `transfer-encoding: chunked` reply. The client is a
// tasklet on a raw connection, so the chunks are seen as they come. Everything is closed, and the program exits.
import { connect, hub, serveHttp } from '@greenstackless/io';
import type { HttpRequest, HttpResponse } from '@greenstackless/io';

/** GET /countdown?from=n: n lines, 20 ms apart, then "liftoff". */
function* countdown(req: HttpRequest, res: HttpResponse): Generator<unknown, void, unknown> {
  const from = Number(new URL(req.target, 'http://localhost').searchParams.get('from') ?? '3');
  res.setHeader('content-type', 'text/plain; charset=utf-8');
  for (let i = from; i > 0; i--) {
    yield* res.write(`${i}...\n`); // the first write sends the head: no content-length, so chunked (W4)
    yield* hub.sleep(20);
  }
  yield* res.end('liftoff 🚀\n'); // the last chunk and the end of the chunked body
}

function* client(port: number): Generator<unknown, string[], unknown> {
  const seen: string[] = [];
  const conn = yield* connect(port, '127.0.0.1');
  yield* conn.write('GET /countdown?from=3 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  for (let line = yield* conn.readLine(); line !== ''; line = yield* conn.readLine()) {
    if (!line!.startsWith('date:')) seen.push(`head  ${line}`); // the date changes; the rest does not
  }
  for (;;) {
    const size = parseInt((yield* conn.readLine())!, 16); // a chunk: its size in hex, the bytes, CRLF
    if (size === 0) break;
    const chunk = yield* conn.readExactly(size + 2);
    seen.push(`chunk ${size} bytes: ${JSON.stringify(chunk.subarray(0, size).toString())}`);
  }
  yield* conn.readLine(); // the empty line that ends the chunked body
  seen.push(`then ${(yield* conn.read()) === null ? 'the server closed the connection' : 'more bytes?'}`);
  conn.close();
  return seen;
}

const seen = await hub.main(function* () {
  const listener = yield* serveHttp(0, countdown, { host: '127.0.0.1' });
  const lines = yield* hub.await(hub.spawn(client, listener.address.port).result);
  yield* listener.close(); // completes once the server has closed
  return lines;
});

for (const line of seen) console.log(line);
console.log('server closed');
