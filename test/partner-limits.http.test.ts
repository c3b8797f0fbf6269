// Limits and metering per partner key, through the whole app on both
// databases: the RateLimit fields on keyed answers (the check's fast path and
// Fastify alike), 429 with Retry-After past `perMinute`, `perDay` counted per
// account in bulk, a keyed check free of the client's limit, an invalid key
// never taken for anonymous, usage and the day's allowance kept across a
// restart, and the per-key
// counts shared between two processes through Redis.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { createTestDatabase, dialects, describeOn } from './support/databases.ts';
import { TestRedis } from './support/redis.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };
const policy = /^"minute";q=(\d+);w=60$/;
const remainingField = /^"minute";r=(\d+);t=(\d+)$/;

let partnerSeq = 0;

/** A new partner with these limits and one key of these scopes: the key. */
async function keyFor(
  runtime: TestRuntime,
  limits: { perMinute?: number; perDay?: number },
  scopes: ('check' | 'reports')[] = ['check'],
): Promise<string> {
  const partners = runtime.services.partners;
  const partner = await partners.createPartner(
    {
      name: `Mitra ${++partnerSeq}`,
      kind: 'bank',
      contactEmail: `api${partnerSeq}@mitra.test`,
      ...limits,
    },
    actor,
  );
  return (await partners.issueKey(partner.id, { label: 'uji', scopes }, actor)).secret;
}

async function listen(runtime: TestRuntime): Promise<string> {
  await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

async function get(url: string, key?: string): Promise<Answer> {
  const response = await fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** Requests one after another on a single kept-alive connection, counting the sockets used. */
class KeptConnection {
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  readonly #seen = new Set<object>();

  constructor(readonly base: string) {}

  get sockets(): number {
    return this.#seen.size;
  }

  get(url: string, key: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const request = http.get(
        url,
        { agent: this.#agent, headers: { authorization: `Bearer ${key}` } },
        (response) => {
          this.#seen.add(response.socket);
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (piece: string) => (body += piece));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      request.on('error', reject);
    });
  }

  close(): void {
    this.#agent.destroy();
  }
}

function codeOf(answer: Answer): string {
  return (JSON.parse(answer.body) as { code: string }).code;
}

function remainingOf(answer: Answer): number {
  const match = remainingField.exec(answer.headers.get('ratelimit') ?? '');
  if (!match) throw new Error(`no RateLimit field: ${answer.headers.get('ratelimit')}`);
  return Number(match[1]);
}

async function usageOf(base: string, key: string) {
  const me = await get(`${base}/api/v1/partner`, key);
  expect(me.status, me.body).toBe(200);
  return (JSON.parse(me.body) as { usage: { today: Record<string, number> } }).usage.today;
}

function accounts(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) => ({
    provider: '014',
    number: String(7000000000 + from + i),
  }));
}

async function bulk(base: string, key: string, count: number, from = 0): Promise<Answer> {
  const response = await fetch(`${base}/api/v1/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ accounts: accounts(count, from) }),
  });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

for (const dialect of dialects) {
  describeOn(dialect)(`limits per partner key on ${dialect}`, () => {
    let runtime: TestRuntime;
    let base: string;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { env: { CHECK_RATE_LIMIT: '2' } });
      base = await listen(runtime);
    });
    afterAll(() => runtime?.close());

    const check = (n = 1234567890) => `${base}/api/v1/accounts/014/${n}`;

    it('answers every keyed request with the RateLimit fields of the key’s minute', async () => {
      const key = await keyFor(runtime, { perMinute: 50 });
      // The fast path (a plain URL), Fastify (a query string), the bulk check and /partner.
      const answers = [
        await get(check(), key),
        await get(`${check()}?lang=en`, key),
        await bulk(base, key, 2),
        await get(`${base}/api/v1/partner`, key),
      ];
      for (const [index, answer] of answers.entries()) {
        expect(answer.status, answer.body).toBe(200);
        expect(answer.headers.get('ratelimit-policy')).toMatch(policy);
        expect(policy.exec(answer.headers.get('ratelimit-policy')!)![1]).toBe('50');
        expect(remainingOf(answer)).toBe(50 - index - 1);
        const reset = Number(remainingField.exec(answer.headers.get('ratelimit')!)![2]);
        expect(reset).toBeGreaterThanOrEqual(1);
        expect(reset).toBeLessThanOrEqual(60);
        // The keyed answer is not limited per client: no client fields.
        expect(answer.headers.get('x-ratelimit-limit')).toBeNull();
      }
    });

    it('refuses past perMinute with 429 rate_limited and Retry-After, on both paths', async () => {
      const key = await keyFor(runtime, { perMinute: 3 });
      const allowed = [await get(check(), key), await get(`${check()}?lang=id`, key)];
      allowed.push(await get(check(1234567891), key));
      expect(allowed.map((a) => a.status)).toEqual([200, 200, 200]);
      for (const url of [check(), `${check()}?lang=en`, `${base}/api/v1/partner`]) {
        const refused = await get(url, key);
        expect(refused.status, url).toBe(429);
        expect(codeOf(refused)).toBe('rate_limited');
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        expect(remainingOf(refused)).toBe(0);
        expect(refused.headers.get('ratelimit-policy')).toBe('"minute";q=3;w=60');
      }
    });

    it('counts perDay per account in bulk, refusing a call that does not fit whole', async () => {
      const key = await keyFor(runtime, { perMinute: 100, perDay: 5 });
      expect((await bulk(base, key, 3)).status).toBe(200);
      const tooMany = await bulk(base, key, 3, 10);
      expect(tooMany.status, tooMany.body).toBe(429);
      expect(codeOf(tooMany)).toBe('rate_limited');
      const untilMidnight = Math.ceil((Date.UTC(...nextUtcDay()) - Date.now()) / 1000);
      expect(Math.abs(Number(tooMany.headers.get('retry-after')) - untilMidnight)).toBeLessThan(5);
      // The refused call cost nothing: two more fit, one by the single check.
      expect((await get(check(), key)).status).toBe(200);
      expect((await bulk(base, key, 1, 20)).status).toBe(200);
      const over = await get(`${check()}?lang=en`, key);
      expect(over.status).toBe(429);
      expect((await get(check(), key)).status).toBe(429);
      expect((await usageOf(base, key)).checks).toBe(5);
    });

    it('limits a keyed check by its key, not by the client’s CHECK_RATE_LIMIT', async () => {
      const key = await keyFor(runtime, { perMinute: 100 });
      const anonymous = [await get(check()), await get(check()), await get(check())];
      expect(anonymous.map((a) => a.status)).toEqual([200, 200, 429]);
      for (let i = 0; i < 5; i++) {
        expect((await get(check(), key)).status).toBe(200);
        expect((await get(`${check()}?lang=en`, key)).status).toBe(200);
      }
      expect((await usageOf(base, key)).checks).toBe(10);
    });

    it('answers an invalid key on the check 401 invalid_api_key, never as anonymous', async () => {
      const bad = 'ckr_live_' + 'A'.repeat(36);
      for (const url of [check(), `${check()}?lang=en`]) {
        const refused = await get(url, bad);
        expect(refused.status, url).toBe(401);
        expect(codeOf(refused)).toBe('invalid_api_key');
        expect(refused.headers.get('www-authenticate')).toContain('Bearer');
        const empty = await fetch(url, { headers: { authorization: '' } });
        expect(empty.status).toBe(401);
      }
      const reportsOnly = await keyFor(runtime, {}, ['reports']);
      const wrongScope = await get(check(), reportsOnly);
      expect(wrongScope.status).toBe(403);
      expect(codeOf(wrongScope)).toBe('insufficient_scope');
      expect(wrongScope.headers.get('ratelimit')).toMatch(remainingField);
    });
    it('fails a revoked key at once on the fast path, though it was proven before', async () => {
      const partners = runtime.services.partners;
      const partner = await partners.createPartner(
        { name: 'Mitra dicabut', kind: 'bank', contactEmail: 'cabut@mitra.test' },
        actor,
      );
      const issued = await partners.issueKey(partner.id, { label: 'x', scopes: ['check'] }, actor);
      expect((await get(check(), issued.secret)).status).toBe(200);
      expect((await get(check(), issued.secret)).status).toBe(200);
      await partners.revokeKey(partner.id, issued.key.id, actor);
      const refused = await get(check(), issued.secret);
      expect(refused.status).toBe(401);
      expect(codeOf(refused)).toBe('invalid_api_key');
    });

    it('proves a key again on a kept-alive connection when the header, the keys or the clock change', async () => {
      const partners = runtime.services.partners;
      const partner = await partners.createPartner(
        { name: 'Mitra koneksi', kind: 'bank', contactEmail: 'koneksi@mitra.test' },
        actor,
      );
      const issue = (expiresAt?: Date) =>
        partners.issueKey(partner.id, { label: 'k', scopes: ['check'], expiresAt }, actor);
      const [kept, other] = [await issue(), await issue()];
      const soonGone = await issue(new Date(Date.now() + 1500));
      const connection = new KeptConnection(base);
      try {
        const status = async (key: string) => (await connection.get(check(), key)).status;
        expect(await status(kept.secret)).toBe(200);
        expect(await status('ckr_live_' + 'B'.repeat(36))).toBe(401);
        expect(await status(other.secret)).toBe(200);
        expect(await status(kept.secret)).toBe(200);
        expect(await status(soonGone.secret)).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 1600));
        expect(await status(soonGone.secret)).toBe(401);
        expect(await status(kept.secret)).toBe(200);
        await partners.revokeKey(partner.id, kept.key.id, actor);
        expect(await status(kept.secret)).toBe(401);
        expect(await status(other.secret)).toBe(200);
        expect(connection.sockets).toBe(1);
      } finally {
        connection.close();
      }
    });
  });

  describeOn(dialect)(`partner usage across a restart on ${dialect}`, () => {
    it('keeps the counts when the runtime stops and another starts on the database', async () => {
      const database = await createTestDatabase(dialect, { migrate: false });
      try {
        const first = await startTestRuntime(dialect, { database });
        const key = await keyFor(first, { perMinute: 100, perDay: 9 });
        const base = await listen(first);
        for (let i = 0; i < 3; i++) await get(`${base}/api/v1/accounts/014/1234567890`, key);
        expect((await bulk(base, key, 4)).status).toBe(200);
        await first.close();

        const second = await startTestRuntime(dialect, { database });
        try {
          const later = await listen(second);
          const usage = await usageOf(later, key);
          // The four above plus this one; 3 single and 4 bulk accounts.
          expect(usage).toMatchObject({ requests: 5, checks: 7 });
          // The day's allowance goes on from those 7 (counted in memory, without Redis).
          const refused = await bulk(later, key, 3);
          expect(refused.status).toBe(429);
          expect(codeOf(refused)).toBe('rate_limited');
          expect((await bulk(later, key, 2)).status).toBe(200);
        } finally {
          await second.close();
        }
      } finally {
        await database.close();
      }
    });
  });

  describeOn(dialect)(`per-key limits shared through Redis on ${dialect}`, () => {
    let redis: TestRedis;
    let a: TestRuntime;
    let b: TestRuntime;

    beforeAll(async () => {
      redis = await TestRedis.start();
      const env = { REDIS_URL: redis.url };
      a = await startTestRuntime(dialect, { env });
      b = await startTestRuntime(dialect, { env, database: a.testDatabase });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await redis?.kill();
    });

    it('counts a key’s requests and accounts once, whichever process answers', async () => {
      const key = await keyFor(a, { perMinute: 4, perDay: 6 });
      await b.services.partners.reload();
      const [baseA, baseB] = [await listen(a), await listen(b)];
      const check = '/api/v1/accounts/014/1234567890';
      expect((await get(baseA + check, key)).status).toBe(200);
      expect((await get(baseB + check, key)).status).toBe(200);
      expect((await bulk(baseA, key, 3)).status).toBe(200);
      // Five accounts of six used: a two-account call fits on neither process.
      const tooMany = await bulk(baseB, key, 2);
      expect(tooMany.status).toBe(429);
      expect(remainingOf(tooMany)).toBe(0);
      // The minute's four requests are used up: the fifth is refused on either.
      const refused = await get(baseB + check, key);
      expect(refused.status).toBe(429);
      expect(remainingOf(refused)).toBe(0);
    });
  });
}

/** The next UTC midnight as Date.UTC's arguments. */
function nextUtcDay(): [number, number, number] {
  const now = new Date();
  return [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1];
}
