// The check's fast path (src/accounts/check.fast-path.http.ts) over real HTTP: which
// requests it answers itself, and that its answers equal the Fastify route's
// (status, body, headers), the shared rate limit included.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFastCheck } from '../src/accounts/check.fast-path.http.ts';
import { dialects, describeOn } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { seedDispute, seedReports } from './support/factories.ts';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function fetchText(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Headers that must be equal on both paths (date, connection and keep-alive may differ). */
const comparedHeaders = [
  'content-type',
  'content-length',
  'x-content-type-options',
  'x-request-id',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'retry-after',
];

const urls = [
  '/api/v1/accounts/014/1234567890',
  '/api/v1/accounts/bca/1234-567-890',
  '/api/v1/accounts/014/9999999999',
  '/api/v1/accounts/ovo/0812-3456-7890',
  '/api/v1/accounts/dana/6281234567890',
  '/api/v1/accounts/014/123',
  '/api/v1/accounts/999/1234567890',
  '/api/v1/accounts/014/12345abc',
  '/api/v1/accounts/014/1234567890/',
  '/api/v1/accounts/014/1234567890?lang=en',
  '/api/v1/accounts/014/12%2034567890',
  `/api/v1/accounts/014/${'1'.repeat(300)}`,
];

for (const dialect of dialects) {
  describeOn(dialect)(`the check's fast path on ${dialect}`, () => {
    let runtime: TestRuntime;
    let base: string;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { env: { CHECK_RATE_LIMIT: '1000' } });
      const changed = await seedReports(runtime.database, [
        { provider: '014', number: '1234567890', category: 'investment_fraud' },
        { provider: 'ovo', number: '081234567890', category: 'online_gambling' },
      ]);
      changed.push(
        ...(await seedDispute(runtime.database, 'ovo', '081234567890', '2026-03-01T00:00:00Z')),
      );
      runtime.checks.changed(changed);
      await runtime.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await runtime.close();
    });

    it('answers plain checks itself and hands everything else to Fastify', async () => {
      let handedOver: string[] = [];
      const server = createServer(
        withFastCheck(
          {
            checks: runtime.checks,
            limiter: undefined,
            trustProxy: false,
            logger: () => runtime.app.log,
          },
          (request, response) => {
            handedOver.push(request.url!);
            response.writeHead(599).end();
          },
        ),
      );
      const raw = await listen(server);
      try {
        for (const url of urls) await fetchText(raw + url);
        await fetchText(`${raw}/api/v1/accounts/014/1234567890`, { method: 'HEAD' });
        await fetchText(`${raw}/api/v1/providers`);
        expect(handedOver).toEqual([
          '/api/v1/accounts/014/123',
          '/api/v1/accounts/999/1234567890',
          '/api/v1/accounts/014/12345abc',
          '/api/v1/accounts/014/1234567890/',
          '/api/v1/accounts/014/1234567890?lang=en',
          '/api/v1/accounts/014/12%2034567890',
          `/api/v1/accounts/014/${'1'.repeat(300)}`,
          '/api/v1/accounts/014/1234567890',
          '/api/v1/providers',
        ]);
        handedOver = [];
        const direct = await fetchText(`${raw}/api/v1/accounts/014/1234567890`);
        expect(direct.status).toBe(200);
        expect(JSON.parse(direct.body)).toMatchObject({ status: 'reported' });
        expect(handedOver).toEqual([]);
      } finally {
        server.close();
      }
    });

    it.each(urls)('answers %s over HTTP exactly as the Fastify route does', async (url) => {
      const requestId = `parity-${Math.random().toString(36).slice(2)}`;
      const headers = { 'x-request-id': requestId, 'accept-language': 'en' };
      const viaHttp = await fetchText(base + url, { headers });
      const viaFastify = await runtime.app.inject({ url, headers });
      expect(viaHttp.status).toBe(viaFastify.statusCode);
      expect(viaHttp.body).toBe(viaFastify.body);
      for (const name of comparedHeaders) {
        const fastify = viaFastify.headers[name];
        let expected = fastify === undefined ? null : String(fastify);
        // Each request counts, so the second of the pair has one less remaining.
        if (name === 'x-ratelimit-remaining' && expected !== null) {
          expected = String(Number(expected) + 1);
        }
        expect(viaHttp.headers.get(name), `${url} ${name}`).toBe(expected);
      }
    });

    it('logs each check by its route pattern, never the account', async () => {
      const requestId = `logged-${Math.random().toString(36).slice(2)}`;
      await fetchText(`${base}/api/v1/accounts/014/5555566666`, {
        headers: { 'x-request-id': requestId },
      });
      const line = runtime.logs.find((l) => l.reqId === requestId);
      expect(line).toMatchObject({
        msg: 'request',
        method: 'GET',
        route: '/api/v1/accounts/:provider/:number',
        status: 200,
      });
      expect(JSON.stringify(runtime.logs)).not.toContain('5555566666');
    });
  });
}

describe('the fast path under the rate limit', () => {
  let runtime: TestRuntime;
  let base: string;

  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', { env: { CHECK_RATE_LIMIT: '3' } });
    await runtime.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('shares one budget with the Fastify routes, then answers the same 429 problem', async () => {
    expect((await fetchText(`${base}/api/v1/accounts/014/1234567890`)).status).toBe(200);
    // A bad number goes through Fastify, and counts too.
    expect((await fetchText(`${base}/api/v1/accounts/014/12ab`)).status).toBe(400);
    const page = await runtime.app.inject({
      url: '/rekening/014/1234567890',
      remoteAddress: '127.0.0.1',
    });
    expect(page.statusCode).toBe(200);
    const limited = await fetchText(`${base}/api/v1/accounts/014/1234567890`, {
      headers: { 'accept-language': 'en', 'x-request-id': 'limited-1' },
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    const viaFastify = await runtime.app.inject({
      url: '/api/v1/accounts/014/12ab',
      remoteAddress: '127.0.0.1',
      headers: { 'accept-language': 'en', 'x-request-id': 'limited-1' },
    });
    expect(viaFastify.statusCode).toBe(429);
    expect(JSON.parse(limited.body)).toEqual(viaFastify.json());
  });
});
