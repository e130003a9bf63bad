// The concurrent prime sieve: a generator tasklet sends 2, 3, 4, … down a chain of filter tasklets, one per prime
// found so far; each filter passes on the numbers its prime does not divide. Whatever leaves the end of the chain
// is the next prime, and a new filter for it joins the chain.
import { sync } from '@greenstackless/greenlet';
import { channel, tasklet, type Channel } from 'greenstackless';

function* generate(out: Channel<number>) {
  for (let n = 2; ; n++) yield* out.send(n);
}

function* filter(input: Channel<number>, out: Channel<number>, prime: number) {
  for (;;) {
    const n = yield* input.receive();
    if (n % prime !== 0) yield* out.send(n);
  }
}

const COUNT = 100;
let source = channel<number>();
tasklet(generate).setup(source);

const primes: number[] = [];
while (primes.length < COUNT) {
  const prime = sync(source.receive()); // main takes the next number out of the chain: a prime
  primes.push(prime);
  const next = channel<number>();
  tasklet(filter).setup(source, next, prime);
  source = next;
}
for (let i = 0; i < primes.length; i += 10) console.log(primes.slice(i, i + 10).join(' '));
// The generator and the filters stay blocked on their channels: nothing kills a tasklet behind your back, and a
// blocked tasklet keeps no event-loop handle, so the program ends here.
