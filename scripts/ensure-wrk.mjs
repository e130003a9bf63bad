#!/usr/bin/env node
// Runs before `pnpm bench`: the io family's HTTP rows need Debian's `wrk`. Where it is missing and the system's
// package manager can be used without a prompt (apt-get as root, or through `sudo -n`), it installs it; otherwise it
// says how, and the bench marks those rows skipped. It never fails the bench.
import { spawnSync } from 'node:child_process';

const has = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
const run = (argv) => spawnSync(argv[0], argv.slice(1), { stdio: 'inherit' }).status === 0;

if (!has('wrk')) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = root ? [] : has('sudo') && run(['sudo', '-n', 'true']) ? ['sudo', '-n'] : null;
  if (process.platform === 'linux' && has('apt-get') && prefix !== null) {
    console.log('bench: installing wrk for the HTTP rows (apt-get install -y wrk)');
    const ok = run([...prefix, 'apt-get', 'update', '-qq']) && run([...prefix, 'apt-get', 'install', '-y', '-qq', 'wrk']);
    if (!ok) console.log('bench: could not install wrk; the HTTP rows will be skipped');
  } else {
    console.log('bench: wrk is missing (Debian/Ubuntu: apt-get install -y wrk); the HTTP rows will be skipped');
  }
}
