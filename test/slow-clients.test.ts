// Slow clients cannot hold the server: over real sockets, connections that
// never finish their headers and connections that trickle a body are closed
// by the server at their deadline (with a 408 problem where nothing was
// answered yet), while checks over fresh connections keep answering. A cut
// upload leaves no staged file and no record.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOn, dialects } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const headersTimeoutMs = 2000;
const bodyTimeoutMs = 2000;
const uploadBodyTimeoutMs = 3500;
/** Room for a busy, shared two-core machine juggling 600 sockets and the checks. */
const marginMs = 10_000;
const trickleEveryMs = 500;
const boundary = '----cekrekSlowBoundary';

interface Slow {
  readonly kind: string;
  /** When the server's clock for this connection started, as near as the client knows. */
  readonly startedAt: number;
  readonly deadlineMs: number;
  readonly closedAt: number;
  readonly answer: string;
}

/** Opens a connection, writes `first`, then `drip()` every so often until the server closes it. */
function slowClient(
  port: number,
  kind: string,
  deadlineMs: number,
  first: string | Buffer,
  drip?: () => string | Buffer,
): Promise<Slow> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let startedAt = 0;
    let answer = '';
    let dripping: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      startedAt = performance.now();
      socket.write(first);
      if (drip) {
        dripping = setInterval(() => {
          if (socket.writable) socket.write(drip());
        }, trickleEveryMs);
      }
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    // A reset is how a server may close a connection with unread bytes in it.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(dripping);
      resolve({ kind, startedAt, deadlineMs, closedAt: performance.now(), answer });
    });
    socket.setTimeout(deadlineMs + 30_000, () => {
      socket.destroy();
      reject(new Error(`${kind}: the server never closed the connection`));
    });
  });
}

const byteAt = (text: string) => {
  let i = 0;
  return () => text[i++ % text.length]!;
};

function multipartHead(port: number, contentLength: number): string {
  return (
    `POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n` +
    `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
    `Content-Length: ${contentLength}\r\n\r\n`
  );
}

/** A report's fields and one whole evidence file, then the start of a second that never ends. */
function uploadStart(): string {
  const field = (name: string, value: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const pdf = '%PDF-1.4\n% a transfer receipt\n%%EOF\n';
  return (
    field('provider', '014') +
    field('number', '1234567890') +
    field('holderName', 'Budi') +
    `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\n` +
    `Content-Type: application/pdf\r\n\r\n${pdf}\r\n` +
    `--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="b.pdf"\r\n` +
    `Content-Type: application/pdf\r\n\r\n%PDF-1.4\n`
  );
}

/**
 * The clients' connect calls, in groups of 50 a few milliseconds apart:
 * 600 at once in one tick of this very process would overflow the listen
 * backlog, and the kernel would hold some handshakes back for a second.
 */
async function openSlowClients(port: number): Promise<Promise<Slow>[]> {
  const opening: (() => Promise<Slow>)[] = [];
  const times = (n: number, open: () => Promise<Slow>) => {
    for (let i = 0; i < n; i++) opening.push(open);
  };
  // Never finishing the headers: a cut request line, cut headers, headers dripped forever.
  times(100, () =>
    slowClient(port, 'request line', headersTimeoutMs, 'GET /api/v1/accounts/014/12345'),
  );
  times(100, () =>
    slowClient(
      port,
      'headers',
      headersTimeoutMs,
      `POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; bou`,
    ),
  );
  times(100, () =>
    slowClient(
      port,
      'dripped headers',
      headersTimeoutMs,
      'GET /api/v1/providers HTTP/1.1\r\nHost: 127.0.0.1\r\n',
      byteAt('X-Slow: still coming\r\n'),
    ),
  );
  // Whole headers, then a body a byte at a time.
  times(100, () =>
    slowClient(
      port,
      'upload',
      uploadBodyTimeoutMs,
      multipartHead(port, 1_000_000) + uploadStart(),
      byteAt('0123456789'),
    ),
  );
  times(100, () =>
    slowClient(
      port,
      'json',
      bodyTimeoutMs,
      'POST /api/v1/admin/session HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{"email":"',
      byteAt('a'),
    ),
  );
  times(50, () =>
    slowClient(
      port,
      'form',
      bodyTimeoutMs,
      'POST /admin/masuk HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n',
      () => '1\r\na\r\n',
    ),
  );
  // The check's fast path answers at once; the body it does not need still has a deadline.
  times(50, () =>
    slowClient(
      port,
      'check with a body',
      bodyTimeoutMs,
      'GET /api/v1/accounts/014/1234567890 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n',
      byteAt('x'),
    ),
  );
  const clients: Promise<Slow>[] = [];
  for (const [i, open] of opening.entries()) {
    if (i > 0 && i % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    clients.push(open());
  }
  return clients;
}

/** A check over a connection of its own, as a new visitor would make it. */
function freshCheck(port: number): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get(
      { host: '127.0.0.1', port, path: '/api/v1/accounts/014/1234567890', agent: false },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }),
        );
      },
    );
    request.on('error', reject);
  });
}

/** Open files this process may hold: 600 slow clients are 1,200 sockets here, both ends. */
function openFileLimit(): number {
  if (!existsSync('/proc/self/limits')) return Infinity;
  const line = readFileSync('/proc/self/limits', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  return Number(line?.split(/\s+/)[3] ?? Infinity);
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round = (ms: number) => Math.round(ms);

for (const dialect of dialects) {
  describeOn(dialect)(`slow clients on ${dialect}`, () => {
    let runtime: TestRuntime;
    let port: number;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        env: {
          HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
          HTTP_BODY_TIMEOUT_MS: String(bodyTimeoutMs),
          UPLOAD_BODY_TIMEOUT_MS: String(uploadBodyTimeoutMs),
          SIGN_IN_RATE_LIMIT: '0',
        },
      });
      await runtime.app.listen({ port: 0, host: '127.0.0.1' });
      port = (runtime.app.server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      await runtime?.close();
    });

    it('closes 300 stalled headers and 300 trickled bodies at their deadlines while checks answer', async () => {
      expect(openFileLimit()).toBeGreaterThan(2000);
      const clients = await openSlowClients(port);
      expect(clients).toHaveLength(600);

      const checks: { status: number; ms: number }[] = [];
      let done = false;
      const checking = (async () => {
        while (!done) {
          checks.push(await freshCheck(port));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      const slow = await Promise.all(clients);
      done = true;
      await checking;

      for (const client of slow) {
        const heldMs = client.closedAt - client.startedAt;
        expect(heldMs, client.kind).toBeGreaterThan(client.deadlineMs * 0.75);
        expect(heldMs, client.kind).toBeLessThan(client.deadlineMs + marginMs);
      }
      // Nothing answered yet: a 408 problem. The fast path had answered its check already.
      for (const client of slow.filter((c) => c.kind !== 'check with a body')) {
        if (client.answer === '') continue; // a reset may beat the answer to the client
        expect(client.answer, client.kind).toMatch(/^HTTP\/1\.1 408 /);
        expect(client.answer).toContain('"code":"request_timeout"');
      }
      const answered = slow.filter((c) => c.answer.startsWith('HTTP/1.1 408 ')).length;
      expect(answered).toBeGreaterThan(300);
      for (const client of slow.filter((c) => c.kind === 'check with a body')) {
        expect(client.answer).toMatch(/^HTTP\/1\.1 200 /);
      }

      expect(checks.length).toBeGreaterThanOrEqual(3);
      for (const check of checks) expect(check.status).toBe(200);
      // Generous: the machine is shared; held connections must not make a check wait on them.
      for (const check of checks) expect(check.ms).toBeLessThan(10_000);
      const held = (kind: string) =>
        slow.filter((c) => c.kind === kind).map((c) => c.closedAt - c.startedAt);
      console.info(
        `slow clients on ${dialect}: ` +
          [...new Set(slow.map((c) => c.kind))]
            .map(
              (kind) =>
                `${kind} closed after ${round(median(held(kind)))}–${round(Math.max(...held(kind)))} ms`,
            )
            .join('; ') +
          `; ${answered} answered 408; ${checks.length} checks meanwhile, median ${round(median(checks.map((c) => c.ms)))} ms, ` +
          `max ${round(Math.max(...checks.map((c) => c.ms)))} ms`,
      );

      // The cut uploads left nothing behind: no staged file (their deletion
      // runs once the server has seen the cut, so it may trail the close a
      // little), no report.
      const filesDir = join(runtime.testDatabase.dataDir, 'files');
      const staged = () =>
        existsSync(filesDir)
          ? readdirSync(filesDir, { recursive: true, withFileTypes: true })
              .filter((e) => e.isFile())
              .map((e) => e.name)
          : [];
      const settledBy = Date.now() + 10_000;
      while (staged().length > 0 && Date.now() < settledBy) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(staged()).toEqual([]);
      const reports = await runtime.database.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(reports.n)).toBe(0);
      expect(runtime.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    }, 60_000);
  });
}

/** Requests over one kept-alive connection of its own. */
function keptAliveCheck(port: number, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/api/v1/accounts/014/1234567890', agent }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    }).on('error', reject);
  });
}

// Connection handling happens before any request reaches a service: the
// database plays no part, so one dialect is enough here.
describe('the connection cap and the keep-alive timeout', () => {
  let runtime: TestRuntime;
  let port: number;
  const cap = 20;

  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', {
      env: {
        HTTP_HEADERS_TIMEOUT_MS: '1500',
        HTTP_MAX_CONNECTIONS: String(cap),
        HTTP_KEEPALIVE_TIMEOUT_MS: '3000',
      },
    });
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    port = (runtime.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('closes connections past the cap at once, serves those it holds, and frees slots at the deadline', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await keptAliveCheck(port, agent)).toBe(200);
      const stalled = [];
      for (let i = 1; i < cap; i++) {
        stalled.push(slowClient(port, 'stalled', 1500, 'GET /api/v1/providers HTTP/1.1\r\n'));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      // Full: a new connection is closed unanswered, one already held is served.
      await expect(freshCheck(port)).rejects.toThrow();
      await expect(freshCheck(port)).rejects.toThrow();
      expect(await keptAliveCheck(port, agent)).toBe(200);
      const warnings = runtime.logs.filter(
        (line) => line.msg === 'connection limit reached: new connections closed',
      );
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ level: 40, maxConnections: cap });

      await Promise.all(stalled);
      expect((await freshCheck(port)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('closes an idle kept-alive connection after HTTP_KEEPALIVE_TIMEOUT_MS', async () => {
    const idle = await slowClient(
      port,
      'kept alive',
      3000,
      'GET /api/v1/providers HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    );
    expect(idle.answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(idle.answer).toContain('Keep-Alive: timeout=3');
    expect(idle.closedAt - idle.startedAt).toBeGreaterThan(3000 * 0.75);
    expect(idle.closedAt - idle.startedAt).toBeLessThan(3000 + marginMs);
  });
});

describe('the idle timeout', () => {
  let runtime: TestRuntime;
  let port: number;

  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', {
      env: { HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_IDLE_TIMEOUT_MS: '500' },
    });
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    port = (runtime.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('closes a connection that goes silent long before its headers deadline', async () => {
    const silent = await slowClient(port, 'silent', 500, 'GET /api/v1/providers HTTP/1.1\r\n');
    expect(silent.closedAt - silent.startedAt).toBeGreaterThan(500 * 0.75);
    expect(silent.closedAt - silent.startedAt).toBeLessThan(500 + marginMs);
  });
});
