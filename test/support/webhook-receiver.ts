// A real webhook receiver on loopback (node:http), as a partner would run
// one: it records every request (path, headers, body) and answers as its
// test tells it, per path: a status, a redirect, a slow answer or none at all.
import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

/** How a path answers: a status, or a function of how many times it was called (from 1). */
export type Behaviour =
  | number
  | 'hang'
  | { redirect: string }
  | { status: number; delayMs: number }
  | ((call: number) => number | 'hang');

export class WebhookReceiver {
  readonly received: Received[] = [];
  readonly #behaviours = new Map<string, Behaviour>();
  readonly #calls = new Map<string, number>();
  readonly #hanging = new Set<ServerResponse>();
  readonly #server: Server;
  #port = 0;

  constructor() {
    this.#server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '/';
        this.received.push({
          path,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
        });
        const call = (this.#calls.get(path) ?? 0) + 1;
        this.#calls.set(path, call);
        this.#answer(path, call, response);
      });
    });
    this.#server.keepAliveTimeout = 60_000;
  }

  async start(): Promise<this> {
    this.#server.listen(0, '127.0.0.1');
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  /** `http://127.0.0.1:<port><path>`. */
  url(path: string): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  get port(): number {
    return this.#port;
  }

  on(path: string, behaviour: Behaviour): void {
    this.#behaviours.set(path, behaviour);
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `count` requests reached `path` (or any path when undefined). */
  async until(count: number, path?: string, timeoutMs = 10_000): Promise<Received[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = path === undefined ? this.received : this.at(path);
      if (got.length >= count) return got;
      if (Date.now() > deadline) {
        throw new Error(`${path ?? 'receiver'}: ${got.length} of ${count} requests arrived`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    for (const response of this.#hanging) response.destroy();
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }

  #answer(path: string, call: number, response: ServerResponse): void {
    let behaviour: Behaviour = this.#behaviours.get(path) ?? 204;
    if (typeof behaviour === 'function') behaviour = behaviour(call);
    if (behaviour === 'hang') {
      this.#hanging.add(response);
      response.on('close', () => this.#hanging.delete(response));
      return;
    }
    if (typeof behaviour === 'number') {
      response.writeHead(behaviour, { 'content-type': 'text/plain' }).end('answer body');
      return;
    }
    if ('redirect' in behaviour) {
      response.writeHead(302, { location: behaviour.redirect }).end();
      return;
    }
    const { status, delayMs } = behaviour;
    setTimeout(() => response.writeHead(status).end(), delayMs);
  }
}

export async function startReceiver(): Promise<WebhookReceiver> {
  return new WebhookReceiver().start();
}
