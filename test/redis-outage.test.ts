// A Redis outage costs the shared count and nothing else: with Redis gone the
// limits fall back to per-process counts at once (no wait per request, one
// warning per outage), and once it is back two processes share the count again.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeOn, dialects } from './support/databases.ts';
import { TestRedis } from './support/redis.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const checkLimit = 5;
const signInLimit = 3;
const fallbackMessage = 'rate limit store unavailable: counting per process';
const restoredMessage = 'rate limit store back: counting shared again';

let clients = 0;
/** A client address of its own (TRUST_PROXY=loopback believes X-Forwarded-For). */
const freshClient = () => {
  clients += 1;
  return `198.51.${Math.floor(clients / 250)}.${(clients % 250) + 1}`;
};

function baseOf(runtime: TestRuntime): string {
  return `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
}

async function timed(url: string, init: RequestInit) {
  const started = performance.now();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return { status: response.status, headers: response.headers, ms: performance.now() - started };
}

/** A plain check over HTTP: the fast path, as partners call it. */
const check = (runtime: TestRuntime, client: string) =>
  timed(`${baseOf(runtime)}/api/v1/accounts/014/1234567890`, {
    headers: { 'x-forwarded-for': client },
  });

const signIn = (runtime: TestRuntime, client: string) =>
  timed(`${baseOf(runtime)}/api/v1/admin/session`, {
    method: 'POST',
    headers: { 'x-forwarded-for': client, 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'nobody@cekrek.example', password: 'wrong', totp: '000000' }),
  });

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[values.length >> 1]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

function linesSaying(runtime: TestRuntime, message: string) {
  return runtime.logs.filter((line) => line.msg === message);
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const dialect of dialects) {
  describeOn(dialect)(`rate limits through a Redis that goes away, on ${dialect}`, () => {
    let redis: TestRedis;
    let a: TestRuntime;
    let b: TestRuntime;
    const upMs: number[] = [];

    beforeAll(async () => {
      redis = await TestRedis.start();
      const env = {
        REDIS_URL: redis.url,
        CHECK_RATE_LIMIT: String(checkLimit),
        SIGN_IN_RATE_LIMIT: String(signInLimit),
        TRUST_PROXY: 'loopback',
      };
      a = await startTestRuntime(dialect, { env });
      b = await startTestRuntime(dialect, { env, database: a.testDatabase });
      await a.app.listen({ port: 0, host: '127.0.0.1' });
      await b.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await redis?.kill();
    });

    it('shares one count between two processes while Redis is up', async () => {
      const client = freshClient();
      for (let i = 0; i < checkLimit; i++) {
        const answer = await check(i % 2 === 0 ? a : b, client);
        expect(answer.status).toBe(200);
        upMs.push(answer.ms);
      }
      expect((await check(b, client)).status).toBe(429);
      expect((await check(a, client)).status).toBe(429);
      for (let i = 0; i < 50; i++) upMs.push((await check(a, freshClient())).ms);
    });

    it('answers checks at once while Redis is down, from a per-process count', async () => {
      await redis.kill();
      const downMs: number[] = [];
      for (let i = 0; i < 100; i++) {
        const answer = await check(a, freshClient());
        expect(answer.status).toBe(200);
        downMs.push(answer.ms);
      }
      console.info(
        `check latency on ${dialect}: Redis up median ${round(median(upMs))} ms, max ` +
          `${round(Math.max(...upMs))} ms; Redis down median ${round(median(downMs))} ms, ` +
          `max ${round(Math.max(...downMs))} ms (${downMs.length} checks)`,
      );
      // Without the breaker each of these waited on a reconnection attempt, 2 s and more.
      for (const ms of downMs) expect(ms).toBeLessThan(1000);
      expect(median(downMs)).toBeLessThan(Math.max(100, 3 * median(upMs)));

      // Still a limit, counted by each process on its own.
      const client = freshClient();
      for (let i = 0; i < checkLimit; i++) expect((await check(a, client)).status).toBe(200);
      const refused = await check(a, client);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await check(b, client)).status).toBe(200);
    });

    it('keeps the sign-in limit while Redis is down, without waiting on it', async () => {
      const client = freshClient();
      for (let i = 0; i < signInLimit; i++) {
        const answer = await signIn(a, client);
        expect(answer.status).toBe(401);
        expect(answer.ms).toBeLessThan(2000);
      }
      const refused = await signIn(a, client);
      expect(refused.status).toBe(429);
      expect(refused.ms).toBeLessThan(500);
    });

    it('warns once per process for the whole outage, never per request', () => {
      expect(linesSaying(a, fallbackMessage)).toHaveLength(1);
      expect(linesSaying(b, fallbackMessage)).toHaveLength(1);
      expect(linesSaying(a, fallbackMessage)[0]).toMatchObject({ level: 40 });
      expect(JSON.stringify(a.logs)).not.toContain(redis.url);
    });

    it('shares the count again once Redis is back on the same port', async () => {
      await redis.restart();
      await until(
        () => linesSaying(a, restoredMessage).length + linesSaying(b, restoredMessage).length === 2,
        15_000,
      );
      const client = freshClient();
      for (let i = 0; i < checkLimit; i++) {
        expect((await check(i % 2 === 0 ? a : b, client)).status).toBe(200);
      }
      expect((await check(b, client)).status).toBe(429);
      expect((await check(a, client)).status).toBe(429);
      expect(linesSaying(a, fallbackMessage)).toHaveLength(1);
      expect(linesSaying(a, restoredMessage)[0]).toMatchObject({ level: 30 });
    });
  });
}
