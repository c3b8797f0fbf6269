// The HTTP contract of api.md through inject: shapes, codes, statuses, headers.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkBodySchema } from '../src/accounts/check.schema.ts';
import { problemSchema } from '../src/http/problems.ts';
import { categoryCodes } from '../src/shared/categories.ts';
import { dialects, describeOn } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { seedDispute, seedReports } from './support/factories.ts';

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; body: string },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = problemSchema.parse(JSON.parse(response.body));
  expect(problem).toMatchObject({ type: 'about:blank', status, code });
  expect(problem.title.length).toBeGreaterThan(0);
  return problem;
}

for (const dialect of dialects) {
  describeOn(dialect)(`check API on ${dialect}`, () => {
    let runtime: TestRuntime;
    beforeAll(async () => {
      runtime = await startTestRuntime(dialect);
      const changed = await seedReports(runtime.database, [
        {
          provider: '014',
          number: '1234567890',
          category: 'online_shopping_fraud',
          reportedAt: '2026-01-02T03:04:05Z',
        },
        {
          provider: '014',
          number: '1234567890',
          category: 'online_shopping_fraud',
          reportedAt: '2026-01-20T00:00:00Z',
        },
        {
          provider: '014',
          number: '1234567890',
          category: 'investment_fraud',
          reportedAt: '2026-02-03T04:05:06Z',
        },
        { provider: '014', number: '1234567890', category: 'narcotics', status: 'submitted' },
        { provider: 'ovo', number: '081234567890', category: 'online_gambling' },
      ]);
      changed.push(
        ...(await seedDispute(runtime.database, 'ovo', '081234567890', '2026-03-01T00:00:00Z')),
      );
      runtime.checks.changed(changed);
    });
    afterAll(async () => {
      await runtime.close();
    });

    const get = (url: string, headers: Record<string, string> = {}) =>
      runtime.app.inject({ method: 'GET', url, headers });

    it('answers a reported account exactly as api.md says', async () => {
      const response = await get('/api/v1/accounts/014/1234567890');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = checkBodySchema.parse(response.json());
      expect(body).toEqual({
        account: {
          provider: '014',
          providerName: 'Bank Central Asia',
          number: '1234567890',
          key: '014:1234567890',
          unusualLength: false,
        },
        status: 'reported',
        reports: {
          verified: 3,
          byCategory: { online_shopping_fraud: 2, investment_fraud: 1 },
          firstReportedAt: '2026-01-02T03:04:05.000Z',
          lastReportedAt: '2026-02-03T04:05:06.000Z',
        },
        verifiedSeller: null,
        dispute: null,
        normalizedAt: null,
        demo: false,
        // This check counted: its client is the first in the last 30 days.
        checks: { last30Days: '1+' },
      });
    });

    it('treats every written form and alias as the same account', async () => {
      for (const url of [
        '/api/v1/accounts/bca/1234567890',
        '/api/v1/accounts/BCA/123-456-7890',
        '/api/v1/accounts/014/123.456.7890',
        '/api/v1/accounts/014/123%20456%207890',
      ]) {
        const response = await get(url);
        expect(response.statusCode, url).toBe(200);
        expect(response.json(), url).toMatchObject({
          account: { key: '014:1234567890' },
          status: 'reported',
        });
      }
    });

    it('shows the dispute mark while a normalization is pending', async () => {
      for (const number of ['081234567890', '+62 812 3456 7890', '6281234567890']) {
        const response = await get(`/api/v1/accounts/ovo/${encodeURIComponent(number)}`);
        expect(response.json()).toMatchObject({
          account: { key: 'ovo:6281234567890', provider: 'ovo', providerName: 'OVO' },
          status: 'disputed',
          dispute: { since: '2026-03-01T00:00:00.000Z' },
          reports: { verified: 1, byCategory: { online_gambling: 1 } },
        });
      }
    });

    it('answers clear for an account nobody reported, with an unusual-length hint', async () => {
      const response = await get('/api/v1/accounts/014/99999999999');
      const body = checkBodySchema.parse(response.json());
      expect(body).toMatchObject({
        account: { key: '014:99999999999', unusualLength: true },
        status: 'clear',
        reports: { verified: 0, byCategory: {}, firstReportedAt: null, lastReportedAt: null },
      });
    });

    it('never counts unverified reports', async () => {
      await seedReports(runtime.database, [
        { provider: '009', number: '7777777777', status: 'submitted' },
        { provider: '009', number: '7777777777', status: 'rejected' },
      ]).then((keys) => runtime.checks.changed(keys));
      expect((await get('/api/v1/accounts/009/7777777777')).json()).toMatchObject({
        status: 'clear',
        reports: { verified: 0 },
      });
    });

    it('refuses an unknown provider with invalid_provider', async () => {
      for (const provider of ['999', 'nosuchbank', '...', '%3Cscript%3E', "014'%20OR%20'1"]) {
        const problem = expectProblem(
          await get(`/api/v1/accounts/${provider}/1234567890`),
          400,
          'invalid_provider',
        );
        expect(problem.errors?.[0]?.field).toBe('provider');
      }
    });

    it('refuses a bad number with invalid_account_number, naming the field', async () => {
      for (const number of [
        '12',
        '1'.repeat(21),
        '12ab',
        '%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6',
        '..%2F..%2Fetc%2Fpasswd',
        '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
        "1'%20OR%20'1'%3D'1",
        '1'.repeat(3000),
      ]) {
        const problem = expectProblem(
          await get(`/api/v1/accounts/014/${number}`),
          400,
          'invalid_account_number',
        );
        expect(problem.errors?.[0]?.field).toBe('number');
      }
      expectProblem(await get('/api/v1/accounts/ovo/021-555-1234'), 400, 'invalid_account_number');
    });

    it('speaks Indonesian by default and English on request', async () => {
      const id = expectProblem(await get('/api/v1/accounts/014/12'), 400, 'invalid_account_number');
      const en = expectProblem(
        await get('/api/v1/accounts/014/12', { 'accept-language': 'en-US,en;q=0.9' }),
        400,
        'invalid_account_number',
      );
      expect(id.title).toBe('Nomor rekening tidak valid');
      expect(en.title).toBe('Invalid account number');
      expect(en.errors?.[0]?.message).toMatch(/at least 5 digits/);
    });

    it('answers unknown routes, huge URLs and wrong methods with problems', async () => {
      expectProblem(await get('/api/v1/nope'), 404, 'not_found');
      expectProblem(await get('/api/v1/accounts/014'), 404, 'not_found');
      expectProblem(await get(`/api/v1/accounts/014/1?q=${'x'.repeat(5000)}`), 414, 'uri_too_long');
      expectProblem(
        await runtime.app.inject({ method: 'DELETE', url: '/api/v1/accounts/014/1234567890' }),
        404,
        'not_found',
      );
    });

    it('puts X-Request-Id on every response, keeping a sane one from the client', async () => {
      const mine = await get('/api/v1/accounts/014/1234567890', {
        'x-request-id': 'partner-abc-123',
      });
      expect(mine.headers['x-request-id']).toBe('partner-abc-123');
      const hostile = await get('/api/v1/providers', { 'x-request-id': '<script>' });
      expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect((await get('/api/v1/nope')).headers['x-request-id']).toBeTruthy();
    });

    it('lists providers with their kinds and lengths', async () => {
      const response = await get('/api/v1/providers');
      expect(response.statusCode).toBe(200);
      const { providers } = response.json<{ providers: Record<string, unknown>[] }>();
      expect(providers).toContainEqual({
        code: '014',
        name: 'Bank Central Asia',
        shortName: 'BCA',
        kind: 'bank',
        aliases: expect.arrayContaining(['bca']) as unknown,
        numberLength: { min: 10, max: 10 },
      });
      expect(
        providers
          .filter((p) => p.kind === 'ewallet')
          .map((p) => p.code)
          .sort(),
      ).toEqual(['dana', 'gopay', 'linkaja', 'ovo', 'shopeepay']);
    });

    it('lists categories in the request language', async () => {
      const id = (await get('/api/v1/categories')).json<{
        categories: { code: string; name: string }[];
      }>();
      const en = (await get('/api/v1/categories', { 'accept-language': 'en' })).json<{
        categories: { code: string; name: string }[];
      }>();
      expect(id.categories.map((c) => c.code)).toEqual([...categoryCodes]);
      expect(id.categories[0]).toEqual({
        code: 'online_shopping_fraud',
        name: 'Penipuan transaksi online',
      });
      expect(en.categories[0]).toEqual({
        code: 'online_shopping_fraud',
        name: 'Online shopping fraud',
      });
    });

    it('reports health and readiness', async () => {
      expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
      expect((await get('/readyz')).json()).toEqual({ status: 'ready', checkFilter: 'warm' });
    });

    it('serves the OpenAPI 3.1 document generated from the routes, and its docs', async () => {
      const response = await get('/api/v1/openapi.json');
      expect(response.statusCode).toBe(200);
      const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/accounts/{provider}/{number}',
          '/api/v1/providers',
          '/api/v1/categories',
          '/healthz',
          '/readyz',
        ]),
      );
      expect(JSON.stringify(doc)).toContain('unusualLength');
      const docs = await get('/docs');
      expect([200, 302]).toContain(docs.statusCode);
    });

    it('refuses oversized and mistyped bodies with problems', async () => {
      // No public write exists yet on this route set; the limits apply app-wide.
      const big = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/accounts/014/1234567890',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ x: 'y'.repeat(2 * 1024 * 1024) }),
      });
      expect([404, 413]).toContain(big.statusCode);
      expect(big.headers['content-type']).toContain('application/problem+json');
    });

    it('never answers 500 to bad input, and logs no checked number', async () => {
      const inputs = [
        '%00',
        '%ff%fe',
        '..%2f..%2f',
        '%E2%80%AE1234567',
        '0x1F',
        '-1',
        '1e10',
        'null',
        '[]',
        '{}',
        '%20',
        '++62812',
      ];
      for (const provider of ['014', 'ovo', 'x']) {
        for (const number of inputs) {
          const response = await get(`/api/v1/accounts/${provider}/${number}`);
          expect(response.statusCode, `${provider}/${number}`).toBeLessThan(500);
        }
      }
      const logged = JSON.stringify(runtime.logs);
      expect(logged).not.toContain('1234567890');
      expect(logged).toContain('/api/v1/accounts/:provider/:number');
    });
  });
}
