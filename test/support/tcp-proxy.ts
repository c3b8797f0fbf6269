// A TCP proxy in front of the machine's PostgreSQL that a test can cut, so
// that one runtime loses its database while the server (and every other
// test) keeps it. Modes for new connections: `open` forwards, `refuse` resets
// them at once, `blackhole` accepts and never answers (a dead host behind a
// firewall). `cut` destroys every live connection first; `freeze` keeps them
// open but carries no byte either way (a network partition).
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

type Mode = 'open' | 'refuse' | 'blackhole';

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
}

export class CuttableProxy {
  readonly #server: Server;
  readonly #target: { host: string; port: number };
  readonly #links = new Set<Link>();
  readonly #held = new Set<Socket>();
  #mode: Mode = 'open';
  #frozen = false;

  private constructor(target: { host: string; port: number }) {
    this.#server = createServer((socket) => this.#accept(socket));
    this.#target = target;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to the database `url` names. */
  static async before(url: string): Promise<CuttableProxy> {
    const parsed = new URL(url);
    const proxy = new CuttableProxy({ host: parsed.hostname, port: Number(parsed.port || 5432) });
    await new Promise<void>((resolve) => proxy.#server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** The same database URL, through this proxy. */
  urlFor(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  #accept(socket: Socket): void {
    socket.on('error', () => undefined);
    if (this.#mode === 'refuse') {
      socket.resetAndDestroy();
      return;
    }
    if (this.#mode === 'blackhole' || this.#frozen) {
      this.#held.add(socket);
      socket.on('close', () => this.#held.delete(socket));
      return;
    }
    const upstream = connect(this.#target.port, this.#target.host);
    const link = { client: socket, upstream };
    this.#links.add(link);
    const drop = () => {
      this.#links.delete(link);
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', drop);
    socket.on('close', drop);
    upstream.on('close', drop);
    socket.pipe(upstream);
    upstream.pipe(socket);
  }

  /** Every live connection is destroyed; new ones are refused or blackholed. */
  cut(mode: 'refuse' | 'blackhole' = 'blackhole'): void {
    this.#mode = mode;
    for (const link of [...this.#links]) {
      link.client.destroy();
      link.upstream.destroy();
    }
  }

  /** Live connections stay open but carry nothing; new ones are blackholed. */
  freeze(): void {
    this.#frozen = true;
    for (const { client, upstream } of this.#links) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      client.pause();
      upstream.pause();
    }
  }

  /** New connections are forwarded again; frozen ones carry what they held back. */
  restore(): void {
    this.#mode = 'open';
    if (this.#frozen) {
      this.#frozen = false;
      for (const { client, upstream } of this.#links) {
        client.pipe(upstream);
        upstream.pipe(client);
      }
    }
    for (const socket of this.#held) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut('refuse');
    for (const socket of this.#held) socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
