// Two tasklets play ping-pong over two rendezvous channels: each send waits until the other side receives.
// The main tasklet serves, then runs the scheduler until nothing is runnable.
import { sync } from '@greenstackless/greenlet';
import { channel, run, tasklet } from 'greenstackless';

const toPing = channel<number>();
const toPong = channel<number>();
const ROUNDS = 5;

tasklet(function* () {
  for (;;) {
    const n = yield* toPing.receive();
    console.log(`ping ${n}`);
    if (n === ROUNDS) return; // the last ball: stop here, so pong is left waiting and run() ends
    yield* toPong.send(n);
  }
}).setup();

const pong = tasklet(function* () {
  for (;;) {
    const n = yield* toPong.receive();
    console.log(`pong ${n}`);
    yield* toPing.send(n + 1);
  }
}).setup();

sync(toPing.send(1)); // main serves: it waits here until ping takes the ball
const ended = sync(run()); // runs ping and pong until neither can go on
console.log(`run() gave ${ended}; pong is blocked: ${pong.blocked}`);
sync(pong.kill()); // TaskletExit is thrown at pong's receive; uncaught, it ends pong silently
console.log(`pong is alive: ${pong.alive}`);
