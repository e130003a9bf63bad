// 10,000 tasklets stand in a ring, each with a channel of its own. A token goes round the ring three times: each
// tasklet receives it, adds one and sends it to its neighbour. The main tasklet puts the token in and takes it out.
import { sync } from '@greenstackless/greenlet';
import { channel, getruncount, tasklet, type Channel } from 'greenstackless';

const SIZE = 10_000;
const LAPS = 3;

function* relay(input: Channel<number>, out: Channel<number>) {
  for (;;) {
    const token = yield* input.receive();
    yield* out.send(token + 1);
  }
}

const first = channel<number>();
let input = first;
for (let i = 0; i < SIZE; i++) {
  const out = channel<number>();
  tasklet(relay).setup(input, out);
  input = out;
}
const last = input;
console.log(`${SIZE} tasklets, ${getruncount()} runnable with main`);

let token = 0;
for (let lap = 1; lap <= LAPS; lap++) {
  sync(first.send(token)); // blocks main until the first relay takes it
  token = sync(last.receive()); // blocks main until the token has gone round
  console.log(`lap ${lap}: token ${token}`);
}
