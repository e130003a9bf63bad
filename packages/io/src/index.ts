// The public entry point of @greenstackless/io: re-exports only (docs/io.md). The hub: §1.
export { createHub, getHub, hub } from './hub.js';
export { TimeoutError, ConnClosedError, UnexpectedEOFError, LineTooLongError } from './errors.js';
export type {
  Hub, HubOptions, WaitOptions, Resume, Task, Subscription, WaitingEntry, StuckTasklet,
} from './types.js';
// Sockets: §2.
export { Conn } from './conn.js';
export type { ConnOptions } from './conn.js';
export { connect, listen } from './net.js';
export type { Listener } from './net.js';
export { serve } from './serve.js';
export type { ConnHandler, ServeOptions } from './serve.js';
// HTTP: §3.
export { serveHttp, HttpError } from './http/server.js';
export type { HttpHandler, HttpOptions, HttpRequest, HttpResponse } from './http/server.js';
