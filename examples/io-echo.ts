// An echo server and its clients in one program, with @greenstackless/io: `serve` runs a tasklet per connection
// that reads lines and writes them back; each client is a tasklet that connects, sends its lines and reads the
// echoes, all in plain sequential code. Every socket and the server are closed, and the program exits by itself.
import { connect, hub, serve } from '@greenstackless/io';
import type { Conn } from '@greenstackless/io';

/** One connection, served by its own tasklet: a line in, the same line out, until the client ends. */
function* echo(conn: Conn): Generator<unknown, void, unknown> {
  let count = 0;
  for (;;) {
    const line = yield* conn.readLine();
    if (line === null) break; // the client ended its side (K3)
    count++;
    yield* conn.write(`${line}\n`);
  }
  yield* conn.write(`(${count} line${count === 1 ? '' : 's'})\n`); // half-open: the client still reads
  // serve() ends the connection when the handler returns
}

function* client(name: string, port: number, lines: string[]): Generator<unknown, string[], unknown> {
  const conn = yield* connect(port, '127.0.0.1');
  const got: string[] = [];
  for (const line of lines) {
    yield* conn.write(`${line}\n`);
    got.push((yield* conn.readLine())!); // one line in flight: wait for its echo
  }
  yield* conn.end(); // our FIN: the server's readLine gives null
  for (let last = yield* conn.readLine(); last !== null; last = yield* conn.readLine()) got.push(last);
  conn.close();
  return got.map((l) => `${name}: ${l}`);
}

const output = await hub.main(function* () {
  const listener = yield* serve(0, echo, { host: '127.0.0.1' });
  const { port } = listener.address;
  // Three clients at once, each in its own tasklet; results in the order the clients were started.
  const tasks = [
    hub.spawn(client, 'ann', port, ['hello', 'world']),
    hub.spawn(client, 'bob', port, ['one', 'two', 'three']),
    hub.spawn(client, 'cy', port, ['ünïcödé ✓']),
  ];
  const results: string[] = [];
  for (const task of tasks) results.push(...(yield* hub.await(task.result)));
  yield* listener.close(); // completes once the server has closed
  return results;
});

for (const line of output) console.log(line);
console.log('server closed');
