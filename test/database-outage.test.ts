// A database outage seen from outside: every route that needs the database
// answers 503 `unavailable` with Retry-After (or an error page), never 500;
// the check stops saying "clear" once it cannot hear changes, and catches up
// with what it missed before saying it again. PostgreSQL is cut through a
// proxy in front of the machine's server (which every other test keeps
// using); SQLite is locked, or its change log made unreadable, by another
// connection.
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openSqlite } from '../src/db/database.ts';
import { isDatabaseUnavailable } from '../src/db/unavailable.ts';
import { ManualClock, systemClock } from '../src/shared/clock.ts';
import { createJobWorker } from '../src/jobs/jobs.service.ts';
import { accountChangeChannel } from '../src/accounts/accounts.repository.ts';
import { PostgresChangeFeed, type ChangeListener } from '../src/accounts/change-feed.ts';
import { t as message } from '../src/shared/messages.ts';
import { createTestDatabase, describeOn, type TestDatabase } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { PageClient } from './support/backoffice.ts';
import { CuttableProxy } from './support/tcp-proxy.ts';

const staleAfterMs = 300;

/** What both kinds of answer (inject and fetch) are reduced to. */
interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

function fromInject(response: LightMyRequestResponse): Answer {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    headers[name] = value === undefined ? undefined : String(value);
  }
  return { status: response.statusCode, headers, body: response.body };
}

async function fromFetch(response: Response): Promise<Answer> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return { status: response.status, headers, body: await response.text() };
}

/** A problem body `unavailable` with Retry-After: the API's answer to an outage. */
function expectUnavailableProblem(answer: Answer, what: string) {
  expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBe(503);
  expect(answer.headers['content-type'], what).toMatch(/^application\/problem\+json/);
  expect(JSON.parse(answer.body), what).toMatchObject({ status: 503, code: 'unavailable' });
  expect(answer.headers['retry-after'], what).toBe('5');
}

/** An HTML error page with Retry-After, in the language asked for. */
function expectUnavailablePage(answer: Answer, what: string, lang: 'id' | 'en' = 'id') {
  expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBe(503);
  expect(answer.headers['content-type'], what).toMatch(/^text\/html/);
  expect(answer.headers['retry-after'], what).toBe('5');
  expect(answer.body, what).toContain(message(lang, 'problem.unavailable.title'));
}

async function reportForm(number: string) {
  return multipart({ ...validReportFields, number, reporterEmail: `r${number}@example.id` }, [
    { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
  ]);
}

async function submit(runtime: TestRuntime, number: string): Promise<Answer> {
  const form = await reportForm(number);
  return fromInject(
    await runtime.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: form.payload,
      headers: form.headers,
    }),
  );
}

async function get(runtime: TestRuntime, url: string, headers: Record<string, string> = {}) {
  return fromInject(await runtime.app.inject({ method: 'GET', url, headers }));
}

/** The check's status word, or the HTTP status when it did not answer 200. */
async function checkStatusOverHttp(base: string, path: string): Promise<string> {
  const response = await fetch(`${base}${path}`);
  if (response.status !== 200) return String(response.status);
  return ((await response.json()) as { status: string }).status;
}

function logsWith(runtime: TestRuntime, msg: string) {
  return runtime.logs.filter((line) => line.msg === msg);
}

describeOn('postgres')('a PostgreSQL outage', () => {
  const clock = new ManualClock('2026-03-01T05:00:00Z');
  let t: TestDatabase;
  let proxy: CuttableProxy;
  let runtime: TestRuntime;
  let base: string;
  let admin: AdminClient;
  let tracked: { ticket: string; trackingToken: string };

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    // Listed before the app starts: its filter has them.
    await seedReports(t.database, [
      { provider: '014', number: '1110000001' },
      { provider: '014', number: '1110000002' },
    ]);
    proxy = await CuttableProxy.before(t.env.DATABASE_URL!);
    runtime = await startTestRuntime('postgres', {
      database: t,
      clock,
      env: {
        DATABASE_URL: proxy.urlFor(t.env.DATABASE_URL!),
        CHECK_STALE_AFTER_MS: String(staleAfterMs),
        DATABASE_CONNECT_TIMEOUT_MS: '1000',
        DATABASE_QUERY_TIMEOUT_MS: '2000',
      },
    });
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
    await createOperator(runtime, 'admin@cekrek.example', ['admin']);
    ({ client: admin } = await signedIn(runtime, clock, 'admin@cekrek.example'));
    const filed = await submit(runtime, '1110000009');
    expect(filed.status, filed.body).toBe(201);
    tracked = JSON.parse(filed.body) as typeof tracked;
  });
  afterAll(async () => {
    proxy?.restore();
    await runtime?.close();
    await proxy?.close();
    await t?.close();
  });

  it('answers 503 unavailable with Retry-After on every route that needs the database, never 500', async () => {
    // Cached before the cut: a warning, still answered from memory.
    expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/1110000001')).toBe('reported');

    const signInPage = new PageClient(runtime.app);
    expect((await signInPage.get('/admin/masuk')).statusCode).toBe(200);

    proxy.cut('blackhole');
    await expect.poll(() => runtime.checks.freshness.trusted, { timeout: 15_000 }).toBe(false);
    // A report the app cannot hear of: written straight to the database while its feed is cut.
    await seedReports(t.database, [{ provider: '014', number: '1110000003' }]);

    const session = { cookie: `cekrek_session=${admin.cookie}` };
    const reportPage = await reportForm('1110000012');
    const started = Date.now();
    const [
      submission,
      trackingApi,
      trackingPage,
      adminApi,
      adminPage,
      listedUncached,
      reportedMeanwhile,
      clear,
      clearPage,
      readyz,
      reportFormPost,
      signInPost,
    ] = await Promise.all([
      submit(runtime, '1110000010'),
      get(runtime, `/api/v1/tickets/${tracked.ticket}`, {
        'x-tracking-token': tracked.trackingToken,
      }),
      get(
        runtime,
        `/lacak?tiket=${tracked.ticket}&token=${encodeURIComponent(tracked.trackingToken)}`,
      ),
      get(runtime, '/api/v1/admin/dashboard', session),
      get(runtime, '/admin', { ...session, accept: 'text/html', 'accept-language': 'en' }),
      get(runtime, '/api/v1/accounts/014/1110000002'),
      get(runtime, '/api/v1/accounts/014/1110000003'),
      get(runtime, '/api/v1/accounts/014/1119999999'),
      get(runtime, '/rekening/014/1119999999', { accept: 'text/html' }),
      get(runtime, '/readyz'),
      runtime.app
        .inject({
          method: 'POST',
          url: '/lapor',
          payload: reportPage.payload,
          headers: { ...reportPage.headers, accept: 'text/html' },
        })
        .then(fromInject),
      signInPage
        .post('/admin/masuk', { email: 'admin@cekrek.example', password: 'x'.repeat(12) })
        .then(fromInject),
    ]);
    // Nothing waits for a connection longer than DATABASE_CONNECT_TIMEOUT_MS (generous bound).
    expect(Date.now() - started).toBeLessThan(20_000);

    expectUnavailableProblem(submission, 'submission');
    expectUnavailableProblem(trackingApi, 'tracking API');
    expectUnavailablePage(trackingPage, 'tracking page');
    expectUnavailableProblem(adminApi, 'admin API');
    expectUnavailablePage(adminPage, 'back-office page', 'en');
    expectUnavailableProblem(listedUncached, 'check of a listed account not in the cache');
    expectUnavailableProblem(reportedMeanwhile, 'check of an account reported meanwhile');
    expectUnavailableProblem(clear, 'check of a clear account');
    expectUnavailablePage(reportFormPost, 'report form (no JavaScript)');
    // The sign-in form again, saying why.
    expect(signInPost.status).toBe(503);
    expect(signInPost.headers['retry-after']).toBe('5');
    expect(signInPost.body).toContain(message('id', 'problem.unavailable.detail', { seconds: 5 }));
    expect(readyz.status).toBe(503);
    expect(JSON.parse(readyz.body)).toEqual({
      status: 'unavailable',
      reason: 'database_unreachable',
    });

    // The result page says it cannot check, never "no reports".
    expect(clearPage.status).toBe(503);
    expect(clearPage.headers['retry-after']).toBe('5');
    expect(clearPage.body).toContain(message('id', 'result.unavailable.heading'));
    expect(clearPage.body).not.toContain(message('id', 'result.status.clear'));

    // What needs no database keeps answering.
    expect((await get(runtime, '/api/v1/providers')).status).toBe(200);
    expect((await get(runtime, '/healthz')).status).toBe(200);
    expect((await get(runtime, '/', { accept: 'text/html' })).status).toBe(200);
    expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/1110000001')).toBe('reported');

    // The cause is logged once, not as a failure with a stack per request.
    expect(logsWith(runtime, 'request failed')).toEqual([]);
    expect(logsWith(runtime, 'database unavailable: answering 503').length).toBeGreaterThan(0);
    expect(logsWith(runtime, 'database unavailable: answering 503').length).toBeLessThanOrEqual(2);
    expect(logsWith(runtime, 'job worker could not poll').length).toBeLessThanOrEqual(1);
  });

  it('answers identically on the fast path and the route while it refuses', async () => {
    for (const path of ['/api/v1/accounts/014/1119999999', '/api/v1/accounts/014/1110000002']) {
      const headers = { 'x-request-id': 'outage-compare', 'accept-language': 'en' };
      const fast = await fromFetch(await fetch(`${base}${path}`, { headers }));
      const route = await get(runtime, path, headers);
      expectUnavailableProblem(fast, `fast path ${path}`);
      expect(fast.body).toBe(route.body);
      for (const name of [
        'content-type',
        'content-length',
        'retry-after',
        'x-content-type-options',
        'x-request-id',
      ]) {
        expect(fast.headers[name], name).toBe(route.headers[name]);
      }
    }
    expect(logsWith(runtime, 'request failed')).toEqual([]);
  });

  it('catches up with what it missed before answering "clear" again', async () => {
    proxy.restore();
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          const status = await checkStatusOverHttp(base, '/api/v1/accounts/014/1110000003');
          seen.push(status);
          return status;
        },
        { timeout: 30_000, interval: 20 },
      )
      .toBe('reported');
    // Refused, then the truth: never the "clear" it would have said from memory.
    expect(seen).not.toContain('clear');
    await expect
      .poll(async () => (await get(runtime, '/readyz')).status, { timeout: 30_000 })
      .toBe(200);
    expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/1119999999')).toBe('clear');
    expect(
      (await get(runtime, '/api/v1/admin/dashboard', { cookie: `cekrek_session=${admin.cookie}` }))
        .status,
    ).toBe(200);

    // The jobs worker survived, and polls again once woken by new work.
    expect((await submit(runtime, '1110000011')).status).toBe(201);
    await expect
      .poll(() => logsWith(runtime, 'job worker polls again').length, { timeout: 30_000 })
      .toBeGreaterThan(0);
  });

  it('notices a network that stops carrying bytes without closing, and answers in bounded time', async () => {
    expect(runtime.checks.freshness.trusted).toBe(true);
    proxy.freeze();
    // Only the feed's heartbeat can tell: the connection is still open.
    await expect.poll(() => runtime.checks.freshness.trusted, { timeout: 15_000 }).toBe(false);
    expectUnavailableProblem(
      await get(runtime, '/api/v1/accounts/014/1119999998'),
      'check of a clear account',
    );
    const started = Date.now();
    expectUnavailableProblem(
      await get(runtime, `/api/v1/tickets/${tracked.ticket}`, {
        'x-tracking-token': tracked.trackingToken,
      }),
      'tracking API on a frozen connection',
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    proxy.restore();
    await expect.poll(() => runtime.checks.freshness.trusted, { timeout: 30_000 }).toBe(true);
    expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/1119999998')).toBe('clear');
  });

  it('answers 503 at once when connections are refused rather than left unanswered', async () => {
    proxy.cut('refuse');
    try {
      const started = Date.now();
      expectUnavailableProblem(
        await get(runtime, `/api/v1/tickets/${tracked.ticket}`, {
          'x-tracking-token': tracked.trackingToken,
        }),
        'tracking API',
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await get(runtime, '/readyz')).status).toBe(503);
    } finally {
      proxy.restore();
    }
    await expect
      .poll(async () => (await get(runtime, '/readyz')).status, { timeout: 30_000 })
      .toBe(200);
  });
});

describeOn('postgres')('background work through a PostgreSQL outage', () => {
  let t: TestDatabase;
  let proxy: CuttableProxy;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    proxy = await CuttableProxy.before(t.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await proxy?.close();
    await t?.close();
  });

  it('fails that transaction as unavailable, not the process', async () => {
    const database = openDatabase({
      kind: 'postgres',
      url: proxy.urlFor(t.env.DATABASE_URL!),
      connectTimeoutMs: 1000,
    });
    try {
      const outcome = database.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        // The connection dies while the transaction holds it between two statements.
        proxy.cut('refuse');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await sql`select 1`.execute(trx);
      });
      await expect(outcome).rejects.toSatisfy(isDatabaseUnavailable);
    } finally {
      proxy.restore();
      await database.close();
    }
  });

  it('says its listener may trust memory again only after a rebuild that began after LISTEN', async () => {
    const events: string[] = [];
    let failures = 1;
    const heard = (key: string) => events.includes(`changed ${key}`);
    const listener: ChangeListener = {
      changed: (keys) => events.push(`changed ${keys.join(',')}`),
      interrupted: () => events.push('interrupted'),
      resumed: () => events.push('resumed'),
      async rebuild() {
        events.push('rebuild');
        // Whatever is announced while the rebuild reads must reach the listener.
        const probe = `probe-${events.length}`;
        await sql`select pg_notify(${accountChangeChannel}, ${probe})`.execute(t.database.db);
        await expect.poll(() => heard(probe), { timeout: 5000 }).toBe(true);
        if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
      },
    };
    const quiet = { info: () => undefined, warn: () => undefined };
    const feed = new PostgresChangeFeed(proxy.urlFor(t.env.DATABASE_URL!), quiet, {
      connectTimeoutMs: 1000,
    });
    await feed.start(listener);
    try {
      proxy.cut('refuse');
      await expect.poll(() => events.includes('interrupted'), { timeout: 10_000 }).toBe(true);
      proxy.restore();
      await expect.poll(() => events.includes('resumed'), { timeout: 30_000 }).toBe(true);
      // The failed rebuild is tried again; only a successful one ends the interruption.
      expect(events.filter((e) => !e.startsWith('changed'))).toEqual([
        'interrupted',
        'rebuild',
        'rebuild',
        'resumed',
      ]);
    } finally {
      proxy.restore();
      await feed.close();
    }
  });

  it('keeps the jobs worker polling, less often, and says so once', async () => {
    const database = openDatabase({
      kind: 'postgres',
      url: proxy.urlFor(t.env.DATABASE_URL!),
      connectTimeoutMs: 1000,
    });
    const said: string[] = [];
    const logger = {
      info: (_obj: object, msg: string) => said.push(msg),
      warn: (_obj: object, msg: string) => said.push(msg),
      error: (_obj: object, msg: string) => said.push(msg),
    };
    const worker = createJobWorker({ database, clock: systemClock, logger, pollMs: 20 });
    try {
      worker.start();
      proxy.cut('refuse');
      await expect.poll(() => said.includes('job worker could not poll')).toBe(true);
      // Long enough for a worker without backoff to fail dozens of times.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      proxy.restore();
      await expect
        .poll(() => said.includes('job worker polls again'), { timeout: 30_000 })
        .toBe(true);
      expect(said.filter((msg) => msg === 'job worker could not poll')).toHaveLength(1);
    } finally {
      proxy.restore();
      await worker.stop();
      await database.close();
    }
  });
});

describe('a SQLite database locked or unreadable', () => {
  let runtime: TestRuntime;
  let base: string;
  const clock = new ManualClock('2026-03-01T05:00:00Z');

  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', {
      clock,
      env: { CHECK_STALE_AFTER_MS: String(staleAfterMs) },
    });
    // The lock below would otherwise hold each write for the 10-second busy timeout.
    if (runtime.database.dialect === 'sqlite') runtime.database.sqlite.pragma('busy_timeout = 100');
    await seedReports(runtime.database, [{ provider: '014', number: '2220000001' }]).then((keys) =>
      runtime.checks.changed(keys),
    );
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('answers a write that another process holds the lock against with 503, and keeps checking', async () => {
    const other = openSqlite(join(runtime.testDatabase.dataDir, 'cekrek.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      expectUnavailableProblem(await submit(runtime, '2220000010'), 'submission');
      const signIn = await get(runtime, '/admin/masuk', { accept: 'text/html' });
      expect(signIn.status).toBe(200);
      // Reads go on (WAL): the check and its feed are not held up.
      expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/2220000001')).toBe('reported');
      expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/2229999999')).toBe('clear');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect((await submit(runtime, '2220000010')).status).toBe(201);
    expect(logsWith(runtime, 'request failed')).toEqual([]);
  });

  it('refuses "clear" while its change log cannot be read, and hears what it missed after', async () => {
    const other = openDatabase({
      kind: 'sqlite',
      file: join(runtime.testDatabase.dataDir, 'cekrek.db'),
    });
    try {
      await sql`alter table account_changes rename to account_changes_away`.execute(other.db);
      await expect.poll(() => runtime.checks.freshness.trusted, { timeout: 15_000 }).toBe(false);
      expectUnavailableProblem(
        fromInject(await runtime.app.inject('/api/v1/accounts/014/2229999999')),
        'check of a clear account',
      );
      expect(await checkStatusOverHttp(base, '/api/v1/accounts/014/2229999999')).toBe('503');
      expect((await get(runtime, '/readyz')).status).toBe(503);
      await sql`alter table account_changes_away rename to account_changes`.execute(other.db);
      await seedReports(other, [{ provider: '014', number: '2220000003' }]);
      const seen: string[] = [];
      await expect
        .poll(
          async () => {
            const status = await checkStatusOverHttp(base, '/api/v1/accounts/014/2220000003');
            seen.push(status);
            return status;
          },
          { timeout: 15_000, interval: 20 },
        )
        .toBe('reported');
      expect(seen).not.toContain('clear');
      expect(runtime.checks.freshness.trusted).toBe(true);
      expect((await get(runtime, '/readyz')).status).toBe(200);
    } finally {
      await other.close();
    }
  });
});
