/**
 * The server process of the `io` family's HTTP rows: `io-http-server.ts <variant>` serves a 14-byte hello world
 * on 127.0.0.1, port 0, over keep-alive, tells the parent its port over IPC and exits when the parent goes. Every
 * variant sets content-type and content-length (docs/io.md §4). One fresh process per variant, pinned by the
 * parent.
 *
 * Variants:
 * - `node-http`: node:http with a plain handler (the baseline);
 * - `serve-http`: `serveHttp` on the default instance;
 * - `serve-http-tower`: `serveHttp` on createStackless(createGreenlet(createStackless(native)));
 * - `serve-http-parser-js`: `serveHttp` on the default instance, the same handler, with only the head parser
 *   swapped for http-parser-js through serveHttp's internal `parseHead` option (http-parser-js-head.ts), for
 *   information: what our parser saves or costs.
 */
import http from 'node:http';
import type net from 'node:net';

const variant = process.argv[2];
const HOST = '127.0.0.1';
const BODY = 'Hello, World!\n';

type Io = typeof import('@greenstackless/io');

function nodeHttp(): http.Server {
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'text/plain');
    res.setHeader('content-length', 14);
    res.end(BODY);
  });
  server.keepAliveTimeout = 60_000;
  return server;
}

function hello(req: unknown, res: import('@greenstackless/io').HttpResponse): void {
  res.setHeader('content-type', 'text/plain');
  res.setHeader('content-length', 14);
  res.end(BODY);
}

async function serveHttp(io: Io, hub: import('@greenstackless/io').Hub,
  parseHead?: import('@greenstackless/io').HttpOptions['parseHead']): Promise<net.Server> {
  const listener = await hub.promise(hub.serveHttp(0, hello, { host: HOST, parseHead }));
  return listener.server;
}

async function tower(io: Io): Promise<net.Server> {
  const { native } = await import('@greenstackless/greenlet');
  const { createGreenlet } = await import('@greenstackless/greenlet-fix');
  const { createStackless } = await import('greenstackless');
  const stackless = createStackless(createGreenlet(createStackless(native)));
  return serveHttp(io, io.createHub(stackless));
}

async function httpParserJs(io: Io): Promise<net.Server> {
  const { parseHeadWithHttpParserJs } = await import('./http-parser-js-head.js');
  return serveHttp(io, io.hub, parseHeadWithHttpParserJs);
}

async function main(): Promise<void> {
  let server: net.Server;
  if (variant === 'node-http') {
    server = nodeHttp();
    await new Promise<void>((resolve) => server.listen(0, HOST, 1024, resolve));
  } else {
    const io = await import('@greenstackless/io');
    if (variant === 'serve-http') server = await serveHttp(io, io.hub);
    else if (variant === 'serve-http-tower') server = await tower(io);
    else if (variant === 'serve-http-parser-js') server = await httpParserJs(io);
    else throw new Error(`io-http-server: unknown variant '${variant}'`);
  }
  process.send!({ port: (server.address() as net.AddressInfo).port });
  process.on('disconnect', () => process.exit(0));
}

await main();
