/**
 * Client-side helpers of the socket and HTTP suites: a raw `node:net` peer that records every byte and event, and a
 * reader of HTTP/1.1 responses strict enough to tell a valid reply from garbage.
 *
 * Invariants:
 * - Every peer is in `open` until it closes; `closeAll()` destroys what is left, so a test leaves no socket.
 * - `until(check, ms)` never waits longer than `ms`: it rejects with a message naming what it waited for.
 */
import net from 'node:net';

export const HOST = '127.0.0.1';

export class RawPeer {
  static readonly open = new Set<RawPeer>();
  readonly socket: net.Socket;
  received = Buffer.alloc(0);
  ended = false;
  closed = false;
  error: Error | null = null;
  private waiters: Array<() => void> = [];

  constructor(socket: net.Socket) {
    this.socket = socket;
    RawPeer.open.add(this);
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.poke();
    });
    socket.on('end', () => {
      this.ended = true;
      this.poke();
    });
    socket.on('error', (error) => {
      this.error = error;
    });
    socket.on('close', () => {
      this.closed = true;
      RawPeer.open.delete(this);
      this.poke();
    });
  }

  static connect(port: number): Promise<RawPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: HOST, allowHalfOpen: true });
      const peer = new RawPeer(socket);
      socket.once('connect', () => resolve(peer));
      socket.once('error', reject);
    });
  }

  static closeAll(): void {
    for (const peer of RawPeer.open) peer.socket.destroy();
    RawPeer.open.clear();
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  }

  /** What arrived so far, decoded (latin1 by default: one character a byte). */
  text(encoding: BufferEncoding = 'latin1'): string {
    return this.received.toString(encoding);
  }

  /** Resolves once `check()` holds, checked after each event; rejects after `ms`. */
  until(check: () => boolean, what: string, ms = 5000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== again);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}; received ${JSON.stringify(this.text())}`));
      }, ms);
      const again = (): void => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else {
          this.waiters.push(again);
        }
      };
      this.waiters.push(again);
    });
  }

  /** Waits until the server has closed its side (FIN or reset). */
  untilClosedByServer(ms = 5000): Promise<void> {
    return this.until(() => this.ended || this.closed, 'the server to close the connection', ms);
  }

  /** Waits until `n` whole responses have arrived (see `readResponses`). */
  async responses(n: number, headOnly: boolean[] = [], ms = 5000): Promise<HttpReply[]> {
    await this.until(() => readResponses(this.received, headOnly, this.ended).replies.length >= n,
      `${n} responses`, ms);
    return readResponses(this.received, headOnly, this.ended).replies;
  }

  private poke(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export interface HttpReply {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** How the body was framed. */
  framing: 'none' | 'length' | 'chunked' | 'close';
}

export function header(reply: HttpReply, name: string): string | undefined {
  return reply.headers.find(([n]) => n === name)?.[1];
}

/**
 * Reads the whole responses at the start of `bytes`. `headOnly[i]` marks a reply to HEAD. `ended`: the server
 * closed, so a body without framing runs to the end. `error` says why the bytes after the last whole reply are not
 * (the start of) a valid one; `rest` is their count.
 */
export function readResponses(bytes: Buffer, headOnly: boolean[], ended: boolean):
  { replies: HttpReply[]; rest: number; error: string | null } {
  const replies: HttpReply[] = [];
  let pos = 0;
  for (;;) {
    if (pos === bytes.length) return { replies, rest: 0, error: null };
    const headEnd = bytes.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) {
      const partial = bytes.subarray(pos).toString('latin1');
      const plausible = partial.startsWith('HTTP/1.1 ') || 'HTTP/1.1 '.startsWith(partial);
      return { replies, rest: bytes.length - pos, error: plausible && !ended ? null : `not a response: ${JSON.stringify(partial.slice(0, 80))}` };
    }
    const lines = bytes.subarray(pos, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.1 ([1-9][0-9]{2}) ([^\r\n]*)$/.exec(lines[0]);
    if (m === null) return { replies, rest: bytes.length - pos, error: `bad status line ${JSON.stringify(lines[0])}` };
    const headers: Array<[string, string]> = [];
    for (const line of lines.slice(1)) {
      const h = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ?(.*)$/.exec(line);
      if (h === null) return { replies, rest: bytes.length - pos, error: `bad header line ${JSON.stringify(line)}` };
      headers.push([h[1].toLowerCase(), h[2]]);
    }
    const status = Number(m[1]);
    const bodyStart = headEnd + 4;
    const cl = headers.find(([n]) => n === 'content-length')?.[1];
    const te = headers.find(([n]) => n === 'transfer-encoding')?.[1];
    let body: Buffer;
    let framing: HttpReply['framing'];
    let next: number;
    if (headOnly[replies.length] === true || status < 200 || status === 204 || status === 304) {
      body = Buffer.alloc(0);
      framing = 'none';
      next = bodyStart;
    } else if (te !== undefined) {
      if (te !== 'chunked') return { replies, rest: bytes.length - pos, error: `transfer-encoding ${te}` };
      const chunks: Buffer[] = [];
      let at = bodyStart;
      let complete = false;
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', at);
        if (lineEnd < 0) break;
        const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
        if (!Number.isFinite(size)) return { replies, rest: bytes.length - pos, error: 'bad chunk size' };
        if (size === 0) {
          if (bytes.length >= lineEnd + 4) {
            complete = true;
            at = lineEnd + 4;
          }
          break;
        }
        if (bytes.length < lineEnd + 2 + size + 2) break;
        chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      if (!complete) return { replies, rest: bytes.length - pos, error: ended ? 'chunked body cut short' : null };
      body = Buffer.concat(chunks);
      framing = 'chunked';
      next = at;
    } else if (cl !== undefined) {
      const length = Number(cl);
      if (bytes.length < bodyStart + length) {
        return { replies, rest: bytes.length - pos, error: ended ? 'body shorter than content-length' : null };
      }
      body = bytes.subarray(bodyStart, bodyStart + length);
      framing = 'length';
      next = bodyStart + length;
    } else {
      if (!ended) return { replies, rest: bytes.length - pos, error: null };
      body = bytes.subarray(bodyStart);
      framing = 'close';
      next = bytes.length;
    }
    replies.push({ status, reason: m[2], headers, body, framing });
    pos = next;
  }
}
