// A real `cekrek serve` process (bin/cekrek.js, as `npm start` runs it) on a
// free loopback port, with its output kept, and an operator who signs in to
// it over HTTP like a browser: cookie, CSRF token and a real TOTP code.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { totpCode } from '../../src/operators/totp.ts';
import { freePort } from './redis.ts';

const cli = join(import.meta.dirname, '..', '..', 'bin', 'cekrek.js');

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export class AppProcess {
  readonly port: number;
  readonly child: ChildProcess;
  /** Everything the process wrote (its JSON log lines and any error). */
  output = '';
  readonly exited: Promise<Exit>;

  private constructor(port: number, child: ChildProcess) {
    this.port = port;
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = once(child, 'exit').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  /** Starts `cekrek serve` with only PATH and `env`, and waits until /healthz answers. */
  static async start(env: Record<string, string>, timeoutMs = 45_000): Promise<AppProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, [cli, 'serve'], {
      env: { PATH: process.env.PATH, ...env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(port, child);
    await app.#untilHealthy(timeoutMs);
    return app;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  fetch(path: string, init?: RequestInit): Promise<Response> {
    return fetch(this.url(path), init);
  }

  /** SIGTERM, as an orchestrator stops a machine; resolves with how it exited. */
  terminate(): Promise<Exit> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** For clean-up after a failed test: gone, one way or the other. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async #untilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`cekrek serve exited: ${this.output}`);
      const ok = await this.fetch('/healthz').then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await this.kill();
    throw new Error(`cekrek serve did not start: ${this.output}`);
  }
}

/** An operator's browser, minus the pages: the session cookie and the CSRF token, over fetch. */
export class HttpOperator {
  #cookie: string | undefined;
  #csrf: string | undefined;

  constructor(readonly app: AppProcess) {}

  async request(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.#cookie) headers.cookie = `cekrek_session=${this.#cookie}`;
    if (this.#csrf) headers['x-csrf-token'] = this.#csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.app.fetch(path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const match = /^cekrek_session=([^;]*)/.exec(line);
      if (match) this.#cookie = match[1] || undefined;
    }
    return response;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Signs in for the first time, enrolling TOTP with a code of the real clock. */
  async signInEnrolling(email: string, password: string): Promise<this> {
    const first = await this.json<{ csrfToken: string; enrollment?: { secret: string } }>(
      'POST',
      '/api/v1/admin/session',
      { email, password },
    );
    if (!first.enrollment) throw new Error(`expected TOTP enrolment for ${email}`);
    this.#csrf = first.csrfToken;
    const code = await totpCode(first.enrollment.secret, new Date());
    const enrolled = await this.json<{ csrfToken?: string }>('POST', '/api/v1/admin/totp', {
      code,
    });
    if (enrolled?.csrfToken) this.#csrf = enrolled.csrfToken;
    const session = await this.json<{ stage: string; csrfToken: string }>(
      'GET',
      '/api/v1/admin/session',
    );
    if (session.stage !== 'full') throw new Error(`session of ${email} is ${session.stage}`);
    this.#csrf = session.csrfToken;
    return this;
  }
}
