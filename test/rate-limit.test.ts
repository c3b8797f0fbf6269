// CHECK_RATE_LIMIT: checks per minute per client, in memory or shared through Redis.
import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createRuntime, type Runtime } from '../src/main.ts';
import { createTestDatabase, type TestDatabase } from './support/databases.ts';
import { isCi } from './support/postgres.ts';

const redisUrl = 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<boolean> {
  const client = new Redis(redisUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
  });
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A client address of its own per test, so counters never carry over between runs. */
const freshClient = () => `198.51.100.${randomInt(1, 254)}, 10.0.0.${randomInt(1, 254)}`;

describe('check rate limit', () => {
  let t: TestDatabase;
  const runtimes: Runtime[] = [];
  async function start(env: Record<string, string>) {
    const config = loadConfig({
      ...t.env,
      CEKREK_DEMO: 'off',
      LOG_LEVEL: 'silent',
      TRUST_PROXY: 'loopback',
      ...env,
    });
    const runtime = await createRuntime(config, { logger: false });
    runtimes.push(runtime);
    return runtime;
  }
  const check = (runtime: Runtime, client: string) =>
    runtime.app.inject({
      url: '/api/v1/accounts/014/1234567890',
      headers: { 'x-forwarded-for': client },
    });

  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close();
    await t.close();
  });

  it('answers 429 rate_limited with Retry-After past the limit, per client', async () => {
    const runtime = await start({ CHECK_RATE_LIMIT: '3' });
    const client = freshClient();
    for (let i = 0; i < 3; i++) expect((await check(runtime, client)).statusCode).toBe(200);
    const limited = await check(runtime, client);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect((await check(runtime, freshClient())).statusCode).toBe(200);
  });

  it('counts bad requests too, so probing is limited', async () => {
    const runtime = await start({ CHECK_RATE_LIMIT: '2' });
    const client = freshClient();
    const bad = () =>
      runtime.app.inject({ url: '/api/v1/accounts/999/1', headers: { 'x-forwarded-for': client } });
    expect((await bad()).statusCode).toBe(400);
    expect((await bad()).statusCode).toBe(400);
    expect((await bad()).statusCode).toBe(429);
  });

  it('is off with 0', async () => {
    const runtime = await start({ CHECK_RATE_LIMIT: '0' });
    const client = freshClient();
    for (let i = 0; i < 200; i++) expect((await check(runtime, client)).statusCode).toBe(200);
  });

  it('is shared through Redis by several processes', async () => {
    const reachable = await redisReachable();
    if (!reachable && !isCi) {
      console.warn(
        `⚠ Redis at ${redisUrl} is unreachable: the shared rate limit is not tested here.`,
      );
      return;
    }
    expect(reachable).toBe(true);
    const a = await start({ CHECK_RATE_LIMIT: '3', REDIS_URL: redisUrl });
    const b = await start({ CHECK_RATE_LIMIT: '3', REDIS_URL: redisUrl });
    const client = freshClient();
    expect((await check(a, client)).statusCode).toBe(200);
    expect((await check(b, client)).statusCode).toBe(200);
    expect((await check(a, client)).statusCode).toBe(200);
    expect((await check(b, client)).statusCode).toBe(429);
    expect((await check(a, client)).statusCode).toBe(429);
  });
});
