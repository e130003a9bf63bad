// The same program on three stacks: Stackless on native greenlets, Stackless on greenlets that are themselves
// tasklets of another Stackless instance (greenlet-fix), and one level higher still. Every layer meets the same
// contract, so the program prints the same lines on each; only the speed differs.
import { native, sync } from '@greenstackless/greenlet';
import { createGreenlet } from '@greenstackless/greenlet-fix';
import { createStackless, type Stackless } from 'greenstackless';

function program(sl: Stackless): string[] {
  const log: string[] = [];
  const ch = sl.channel<number>();
  sl.tasklet(function* () {
    for (let i = 1; i <= 3; i++) yield* ch.send(i * i);
    log.push('sender done');
  }).setup();
  sl.tasklet(function* () {
    for (;;) log.push(`got ${yield* ch.receive()}`);
  }).setup();
  const result = sync(sl.run());
  log.push(`run() gave ${result}, receiver blocked: ${ch.balance === -1}`);
  return log;
}

const stacks: Array<[string, () => Stackless]> = [
  ['S/native', () => createStackless(native)],
  ['S/fix/S/native', () => createStackless(createGreenlet(createStackless(native)))],
  ['S/fix/S/fix/S/native', () => createStackless(createGreenlet(createStackless(createGreenlet(createStackless(native)))))],
];
for (const [name, make] of stacks) {
  console.log(`${name}: ${program(make()).join('; ')}`);
}
