// A line-based chat server with @greenstackless/io and greenstackless: a tasklet per client reads its lines, a
// channel per room carries what happens in it, and the room's own tasklet broadcasts each event to its members.
// Scripted clients in the same program take turns, so the transcript is the same on every run.
//
// Protocol: the client sends its name, then the room to join, then lines to say; "/quit" leaves.
import { channel } from 'greenstackless';
import type { Channel } from 'greenstackless';
import { connect, hub, serve } from '@greenstackless/io';
import type { Conn } from '@greenstackless/io';

type RoomEvent =
  | { kind: 'join'; name: string; conn: Conn }
  | { kind: 'say'; name: string; text: string }
  | { kind: 'leave'; name: string }
  | { kind: 'stop' };

const rooms = new Map<string, Channel<RoomEvent>>();

/** A room's tasklet: takes its events one at a time from the channel and broadcasts them to the members. */
function* room(name: string, events: Channel<RoomEvent>): Generator<unknown, void, unknown> {
  const members = new Map<string, Conn>();
  for (;;) {
    const event = yield* events.receive();
    let line: string;
    switch (event.kind) {
      case 'join':
        members.set(event.name, event.conn);
        line = `* ${event.name} joined #${name} (${members.size} here)`;
        break;
      case 'say':
        line = `<${event.name}> ${event.text}`;
        break;
      case 'leave':
        members.delete(event.name);
        line = `* ${event.name} left #${name}`;
        break;
      case 'stop':
        return;
    }
    for (const conn of members.values()) yield* conn.write(`${line}\n`);
  }
}

/** The room's channel, starting its tasklet on first use. */
function roomChannel(name: string): Channel<RoomEvent> {
  let events = rooms.get(name);
  if (events === undefined) {
    events = channel<RoomEvent>();
    rooms.set(name, events);
    hub.spawn(room, name, events);
  }
  return events;
}

/** One client's tasklet on the server: its name, its room, then what it says, until "/quit" or EOF. */
function* chatter(conn: Conn): Generator<unknown, void, unknown> {
  const name = yield* conn.readLine();
  const roomName = yield* conn.readLine();
  if (name === null || roomName === null) return;
  const events = roomChannel(roomName);
  yield* events.send({ kind: 'join', name, conn });
  try {
    for (;;) {
      const text = yield* conn.readLine();
      if (text === null || text === '/quit') break;
      yield* events.send({ kind: 'say', name, text });
    }
  } finally {
    yield* events.send({ kind: 'leave', name });
  }
}

// --- the scripted clients ---------------------------------------------------------------------------------

interface Client {
  name: string;
  conn: Conn;
  transcript: string[];
}

/** Reads the client's lines into its transcript until `last` has come (or EOF, for null). */
function* readUntil(client: Client, last: string | null): Generator<unknown, void, unknown> {
  for (;;) {
    const line = yield* client.conn.readLine();
    if (line === null) return;
    client.transcript.push(line);
    if (line === last) return;
  }
}

function* join(port: number, name: string, roomName: string): Generator<unknown, Client, unknown> {
  const client: Client = { name, conn: yield* connect(port, '127.0.0.1'), transcript: [] };
  yield* client.conn.write(`${name}\n${roomName}\n`);
  // The room has seen the join once our own announcement comes back.
  for (;;) {
    const line = yield* client.conn.readLine();
    client.transcript.push(line!);
    if (line!.startsWith(`* ${name} joined`)) return client;
  }
}

function* say(client: Client, text: string): Generator<unknown, void, unknown> {
  yield* client.conn.write(`${text}\n`);
  yield* readUntil(client, `<${client.name}> ${text}`);
}

function* quit(client: Client): Generator<unknown, void, unknown> {
  yield* client.conn.write('/quit\n');
  yield* client.conn.end();
  yield* readUntil(client, null); // the rest of what was said to us, then the server's end
  client.conn.close();
}

const transcripts = await hub.main(function* () {
  const listener = yield* serve(0, chatter, { host: '127.0.0.1' });
  const { port } = listener.address;

  const ann = yield* join(port, 'ann', 'tea');
  const bob = yield* join(port, 'bob', 'tea');
  const cy = yield* join(port, 'cy', 'code');
  yield* say(ann, 'hi bob, tea?');
  yield* say(bob, 'yes please');
  yield* say(cy, 'is anyone in #code?');
  yield* quit(bob);
  yield* say(ann, 'bob left, more tea for me');
  yield* quit(ann);
  yield* quit(cy);

  yield* listener.close(); // every connection has ended, so the server closes
  for (const events of rooms.values()) yield* events.send({ kind: 'stop' });
  return [ann, bob, cy].map((c) => [`--- what ${c.name} saw`, ...c.transcript]);
});

for (const lines of transcripts) for (const line of lines) console.log(line);
