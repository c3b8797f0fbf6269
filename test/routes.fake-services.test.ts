// Routes against services of the test's choosing: the server (errors,
// languages, headers, the sign-in guard) is the real one, and a single
// feature's plugin is registered on it with fakes. What the route does with
// an answer, a refusal or an outage is tested without a database.
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { buildServer } from '../src/server/app.ts';
import { accountsRoutes } from '../src/accounts/accounts.routes.ts';
import { ticketsRoutes } from '../src/tickets/tickets.routes.ts';
import type { CheckAnswer } from '../src/accounts/check.service.ts';
import type { CheckResult } from '../src/accounts/check.ts';
import { emptySummary } from '../src/accounts/check.ts';
import { serializeCheck } from '../src/accounts/check.schema.ts';
import type { AccountRef } from '../src/shared/account-number.ts';
import { unavailableError } from '../src/db/unavailable.ts';
import type { TrackedTicket } from '../src/tickets/tickets.service.ts';
import type { ServerCore } from '../src/server/app.ts';
import { MemoryRateLimiter, type RateLimiter } from '../src/shared/rate-limiter.ts';

const config = loadConfig({ CEKREK_DEMO: 'off', LOG_LEVEL: 'silent', CHECK_RATE_LIMIT: '0' });

/** Nothing on these routes signs anyone in: a guard that is called fails the test. */
const unusedGuard = {
  sessions: new Proxy({}, { get: () => () => expect.fail('no session expected') }),
  audit: new Proxy({}, { get: () => () => expect.fail('no audit expected') }),
} as unknown as Pick<ServerCore, 'sessions' | 'audit'>;

const neverChecked = { check: () => expect.fail('the fast path is not used by inject') };

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serverWith(register: (server: FastifyInstance) => PromiseLike<unknown>) {
  app = await buildServer({
    config,
    checks: neverChecked as unknown as ServerCore['checks'],
    checkLimiter: undefined,
    ...unusedGuard,
    logger: false,
  });
  await register(app);
  await app.ready();
  return app;
}

function answerFor(account: AccountRef, verified: number): CheckAnswer {
  const result: CheckResult = {
    account,
    status: verified > 0 ? 'reported' : 'clear',
    summary: {
      ...emptySummary,
      verifiedCount: verified,
      categoryCounts: verified > 0 ? { phishing: verified } : {},
    },
  };
  return { result, json: serializeCheck(result) };
}

describe('the check API against a fake check', () => {
  it('answers what the check says, for the account the path names', async () => {
    const asked: string[] = [];
    const server = await serverWith((s) =>
      s.register(accountsRoutes, {
        checks: {
          check: (account) => {
            asked.push(account.key);
            return answerFor(account, 3);
          },
        },
        checkLimiter: undefined,
      }),
    );
    const response = await server.inject('/api/v1/accounts/bca/1234-5678-90');
    expect(response.statusCode).toBe(200);
    expect(asked).toEqual(['014:1234567890']);
    const body = response.json<{ status: string; reports: { verified: number } }>();
    expect(body.status).toBe('reported');
    expect(body.reports.verified).toBe(3);
  });

  it('answers a check that is not sure with 503 unavailable and Retry-After, never clear', async () => {
    const server = await serverWith((s) =>
      s.register(accountsRoutes, {
        checks: {
          check: () => {
            throw unavailableError();
          },
        },
        checkLimiter: undefined,
      }),
    );
    const response = await server.inject('/api/v1/accounts/014/1234567890');
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.json<{ code: string }>().code).toBe('unavailable');
  });

  it('refuses an account it cannot read before asking the check', async () => {
    const server = await serverWith((s) =>
      s.register(accountsRoutes, { checks: neverChecked, checkLimiter: undefined }),
    );
    const response = await server.inject({
      url: '/api/v1/accounts/no-such-bank/1234567890',
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
});

describe('ticket tracking against a fake ticket store', () => {
  const tracked: TrackedTicket = {
    ticket: 'LAP-ABCD-EFGH',
    kind: 'report',
    status: 'in_review',
    lang: 'id',
    history: [
      { status: 'submitted', at: new Date('2026-12-01T02:00:00Z'), note: null },
      { status: 'in_review', at: new Date('2026-12-02T03:00:00Z'), note: null },
    ],
  };

  async function tracking(renewalLimiter?: RateLimiter) {
    const calls: [string, string][] = [];
    const renewals: [string, string, string][] = [];
    const server = await serverWith((s) =>
      s.register(ticketsRoutes, {
        tickets: {
          track: (ticket, token) => {
            calls.push([ticket, token]);
            return Promise.resolve(token === 'right' ? tracked : undefined);
          },
          renewCode: (ticket, email, client) => {
            renewals.push([ticket, email, client]);
            return Promise.resolve();
          },
        },
        renewalLimiter,
        reviewDays: { report: 5, registration: 3, normalization: 14 },
      }),
    );
    return { server, calls, renewals };
  }

  it('answers the ticket and its history to the holder of its code, uncached', async () => {
    const { server, calls } = await tracking();
    const response = await server.inject({
      url: '/api/v1/tickets/LAP-ABCD-EFGH',
      headers: { 'x-tracking-token': 'right' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(calls).toEqual([['LAP-ABCD-EFGH', 'right']]);
    expect(response.json()).toEqual({
      ticket: 'LAP-ABCD-EFGH',
      kind: 'report',
      status: 'in_review',
      history: [
        { status: 'submitted', at: '2026-12-01T02:00:00.000Z', note: null },
        { status: 'in_review', at: '2026-12-02T03:00:00.000Z', note: null },
      ],
      // Still undecided: a decision usually comes the report's review days after filing.
      expectedBy: '2026-12-06T02:00:00.000Z',
    });
  });

  it('answers a wrong code and a missing one as not found, in the asker’s language', async () => {
    const { server } = await tracking();
    for (const headers of [{ 'x-tracking-token': 'wrong' }, {}]) {
      const response = await server.inject({
        url: '/api/v1/tickets/LAP-ABCD-EFGH',
        headers: { ...headers, 'accept-language': 'en' },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json<{ code: string; title: string }>()).toMatchObject({
        code: 'not_found',
      });
    }
  });

  it('asks for a new code and answers 202 whatever the outcome, within the client’s allowance', async () => {
    const { server, renewals } = await tracking(new MemoryRateLimiter(2, 3_600_000));
    const ask = (email: string) =>
      server.inject({
        method: 'POST',
        url: '/api/v1/tickets/LAP-ABCD-EFGH/code',
        payload: { email },
      });
    const first = await ask('pelapor@example.id');
    const second = await ask('someone-else@example.id');
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(first.body).toBe(second.body);
    expect(renewals.map(([ticket, email]) => [ticket, email])).toEqual([
      ['LAP-ABCD-EFGH', 'pelapor@example.id'],
      ['LAP-ABCD-EFGH', 'someone-else@example.id'],
    ]);
    const third = await ask('pelapor@example.id');
    expect(third.statusCode).toBe(429);
    expect(third.json<{ code: string }>().code).toBe('rate_limited');
    expect(renewals).toHaveLength(2);
  });
});
