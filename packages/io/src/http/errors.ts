/**
 * The error of the HTTP server (docs/io.md W2, W3): a request it refuses. `status` is the reply the server sends
 * (400, 413, 431, 501, 505) before it closes the connection.
 */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
  }
}
Object.defineProperty(HttpError.prototype, 'name', { value: 'HttpError', writable: true, configurable: true });
