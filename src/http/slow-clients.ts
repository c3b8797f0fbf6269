// Slow clients cannot hold the server. Every connection is on a clock: the
// request line and headers must arrive within a deadline, a body within
// another counted from the end of the headers (a longer one for uploads), a
// connection with no traffic either way is closed, and one process holds at
// most so many connections. Node enforces the headers deadline and the
// whole-request backstop itself; body deadlines are per request, because an
// upload may take minutes where a JSON body never should.
import type { IncomingMessage, Server, ServerOptions, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { buildProblem, problemContentType } from './problems.ts';

/** A handler of node's own server, before Fastify: the fast path and the body deadline wrap one. */
export type RawHandler = (request: IncomingMessage, response: ServerResponse) => void;

export interface HttpLimits {
  /** Request line and headers, from their first byte. */
  readonly headersTimeoutMs: number;
  /** A request body (JSON, form), from the end of its headers. */
  readonly bodyTimeoutMs: number;
  /** A multipart upload's body, from the end of its headers. */
  readonly uploadBodyTimeoutMs: number;
  /** No byte either way for this long closes the connection. */
  readonly idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  readonly keepAliveTimeoutMs: number;
  /** Connections one process holds at once; more are closed as they arrive. */
  readonly maxConnections: number;
}

/** Node checks its deadlines on an interval: often enough to be at most a tenth late. */
function checkingIntervalFor(limits: HttpLimits): number {
  return Math.min(1000, Math.max(100, Math.floor(limits.headersTimeoutMs / 10)));
}

/** The longest a request may take to arrive: headers, then the longest body. */
export function requestTimeoutOf(limits: HttpLimits): number {
  return limits.headersTimeoutMs + Math.max(limits.bodyTimeoutMs, limits.uploadBodyTimeoutMs);
}

/** The deadlines node:http enforces itself, for createServer. */
export function serverTimeoutOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: requestTimeoutOf(limits),
    connectionsCheckingInterval: checkingIntervalFor(limits),
  };
}

/** Idle and keep-alive timeouts and the connection cap, which are properties of the server. */
export function limitConnections(
  server: Server,
  limits: HttpLimits,
  logger: () => FastifyBaseLogger,
): void {
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.setTimeout(limits.idleTimeoutMs);
  server.maxConnections = limits.maxConnections;
  warnWhenFull(server, limits.maxConnections, logger);
}

const fullWarningEveryMs = 60_000;

/** One warning a minute at most while connections are being turned away. */
function warnWhenFull(server: Server, maxConnections: number, logger: () => FastifyBaseLogger) {
  let refused = 0;
  let warnedAt = -Infinity;
  server.on('drop', () => {
    refused += 1;
    const now = Date.now();
    if (now - warnedAt < fullWarningEveryMs) return;
    logger().warn({ maxConnections, refused }, 'connection limit reached: new connections closed');
    warnedAt = now;
    refused = 0;
  });
}

/** The answer to a request that did not arrive in time; Indonesian, as nothing negotiated it. */
const timeoutAnswer = (() => {
  const body = JSON.stringify(buildProblem('id', 'request_timeout'));
  return (
    `HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: ${problemContentType}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
})();

/**
 * Closes a connection whose request ran out of time, first answering 408 when
 * nothing of an answer has been written on it (or the client would read a
 * second status line in the middle of a response).
 */
export function closeTimedOut(socket: Socket, answered: boolean): void {
  if (!answered && socket.writable) socket.write(timeoutAnswer);
  socket.destroy();
}

/** Node's own request deadline (headers or backstop), met by Fastify's clientError handler. */
export function isRequestTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_HTTP_REQUEST_TIMEOUT';
}

class BodyDeadline {
  readonly #request: IncomingMessage;
  readonly #response: ServerResponse;
  readonly #started = Date.now();
  readonly #uploadMs: number;
  #timer: NodeJS.Timeout;

  constructor(request: IncomingMessage, response: ServerResponse, limits: HttpLimits) {
    this.#request = request;
    this.#response = response;
    this.#uploadMs = limits.uploadBodyTimeoutMs;
    this.#timer = this.#arm(limits.bodyTimeoutMs);
    const cancel = () => clearTimeout(this.#timer);
    request.once('end', cancel);
    request.once('close', cancel);
  }

  extendForUpload(): void {
    clearTimeout(this.#timer);
    this.#timer = this.#arm(this.#uploadMs - (Date.now() - this.#started));
  }

  #arm(ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => this.#expire(), Math.max(0, ms));
    timer.unref();
    return timer;
  }

  #expire(): void {
    // Arrived in full and merely not read yet: that is the server's pace, not the client's.
    if (this.#request.complete) return;
    closeTimedOut(this.#request.socket, this.#response.headersSent);
  }
}

const bodyDeadlines = new WeakMap<IncomingMessage, BodyDeadline>();

function announcesBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

/**
 * Puts every request that announces a body on the body deadline before
 * anything else sees it, the check's fast path and requests refused before
 * their body is read included (Node reads and discards those bodies after the
 * answer, which a trickling client would otherwise stretch at will).
 */
export function withBodyDeadline(limits: HttpLimits, next: RawHandler): RawHandler {
  return (request, response) => {
    if (announcesBody(request)) {
      bodyDeadlines.set(request, new BodyDeadline(request, response, limits));
    }
    next(request, response);
  };
}

/** Gives this request's body the upload deadline instead: called by routes that read files. */
export function allowUploadTime(request: IncomingMessage): void {
  bodyDeadlines.get(request)?.extendForUpload();
}
