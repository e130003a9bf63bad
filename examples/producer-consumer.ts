// Three producers feed one consumer through a channel, and the last producer to finish closes it. The main
// tasklet is the consumer: it iterates the channel from plain code, each step a hard receive, until the channel
// is closed and empty.
import { channel, tasklet } from 'greenstackless';

const jobs = channel<string>();
// A sender whose item is taken goes on at once instead of handing control to the receiver, so the last producer
// closes the channel before the consumer asks for another item.
jobs.preference = 1;

let producing = 0;
function* producer(name: string, count: number) {
  producing++;
  for (let i = 1; i <= count; i++) yield* jobs.send(`${name}-${i}`);
  console.log(`${name} done`);
  if (--producing === 0) jobs.close(); // nobody will send again
}

tasklet(producer).setup('apples', 3);
tasklet(producer).setup('pears', 2);
tasklet(producer).setup('plums', 4);

let consumed = 0;
for (const item of jobs) {
  consumed++;
  console.log(`consumed ${item}`);
}
console.log(`${consumed} items; channel closed: ${jobs.closed}`);

