/**
 * Processes for the `io` family's socket rows: a server pinned to core 0 and a load generator pinned to core 1
 * (`taskset`), a fresh server per variant, and `wrk` for the HTTP rows (io-http.ts).
 *
 * Invariants:
 * - Every process started here is killed by `stop()` (or when the parent's IPC channel closes), also when a
 *   measurement fails: callers stop in `finally`.
 * - Without `taskset` the processes run unpinned and `pinning()` says so; without `wrk` the HTTP rows are not
 *   available and say how to install it, never faked.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { NotAvailable } from './api.js';

export const SERVER_SCRIPT = fileURLToPath(new URL('./io-server.ts', import.meta.url));
export const LOAD_SCRIPT = fileURLToPath(new URL('./io-load.ts', import.meta.url));

function has(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
}

const hasTaskset = has('taskset');

/** How the processes are pinned, for notes. */
export function pinning(): string {
  return hasTaskset ? 'server on core 0, load on core 1 (taskset)' : 'unpinned: taskset is missing';
}

/** Throws NotAvailable when `wrk` is missing (the HTTP rows). */
export function requireWrk(): void {
  if (!has('wrk')) throw new NotAvailable('wrk is missing: apt-get install -y wrk');
}

/** A node process running `script` (TypeScript, through tsx) on `core`, with an IPC channel. */
export class Proc {
  readonly child: ChildProcess;
  private readonly inbox: unknown[] = [];
  private readonly waiters: Array<() => void> = [];
  private exited: string | null = null;

  constructor(core: number, script: string, args: string[]) {
    const node = [process.execPath, '--expose-gc', '--conditions=@greenstackless/source', '--import', 'tsx', script, ...args];
    const [cmd, ...rest] = hasTaskset ? ['taskset', '-c', String(core), ...node] : node;
    this.child = spawn(cmd!, rest, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m) => {
      this.inbox.push(m);
      this.poke();
    });
    this.child.on('exit', (code, signal) => {
      this.exited = `exited (${signal ?? code})`;
      this.poke();
    });
  }

  /** The next message that has `key`, waiting up to `ms`. */
  async receive<T>(key: string, ms = 120_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const at = this.inbox.findIndex((m) => typeof m === 'object' && m !== null && key in m);
      if (at >= 0) return this.inbox.splice(at, 1)[0] as T;
      if (this.exited !== null) throw new Error(`${this.describe()} ${this.exited} before sending '${key}'`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.describe()} sent no '${key}' within ${ms} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(message: object): void {
    this.child.send(message);
  }

  /** Ends the process and waits for its exit. */
  async stop(): Promise<void> {
    if (this.exited !== null) return;
    const gone = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await gone;
  }

  private describe(): string {
    return `process ${this.child.spawnargs.slice(-3).join(' ')}`;
  }

  private poke(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Starts `io-server.ts <variant>` on core 0 and gives it with its port. */
export async function startServer(variant: string): Promise<{ server: Proc; port: number }> {
  const server = new Proc(0, SERVER_SCRIPT, [variant]);
  try {
    const { port } = await server.receive<{ port: number }>('port');
    return { server, port };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

export function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
