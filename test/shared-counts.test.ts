// The shared count store's breaker against a real redis-server: down at
// start, hung (connection up, no answers), back again. While it is open a
// limiter answers synchronously from memory, still refusing past its limit.
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRateLimiter,
  SharedCountStore,
  type RateLimiter,
  type StoreLog,
  type Verdict,
} from '../src/shared/rate-limiter.ts';
import { freePort, TestRedis } from './support/redis.ts';

interface Line {
  readonly level: 'warn' | 'info';
  readonly details: object;
  readonly message: string;
}

function recordingLog(): StoreLog & { lines: Line[] } {
  const lines: Line[] = [];
  return {
    lines,
    warn: (details, message) => lines.push({ level: 'warn', details, message }),
    info: (details, message) => lines.push({ level: 'info', details, message }),
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every limiter of the runtime, as main.ts and app.ts create them. */
const limiterNames = ['check', 'sign-in', 'report', 'reporter', 'name-check'] as const;

function limitersOn(store: SharedCountStore, limit: number): RateLimiter[] {
  return limiterNames.map((name) =>
    createRateLimiter({ name, limit, windowMs: 60_000, store: store })!,
  );
}

describe('the shared count store', () => {
  let redis: TestRedis | undefined;
  let store: SharedCountStore | undefined;
  afterEach(async () => {
    store?.close();
    await redis?.kill();
    redis = undefined;
    store = undefined;
  });

  it('starts without Redis, counts in memory, and shares once Redis comes up', async () => {
    const port = await freePort();
    const log = recordingLog();
    store = SharedCountStore.fromUrl(`redis://127.0.0.1:${port}`);
    const started = performance.now();
    await store.start(log);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(store.available).toBe(false);
    expect(log.lines).toMatchObject([
      {
        level: 'warn',
        message: 'rate limit store unavailable: counting per process',
        details: { reason: expect.stringContaining('ECONNREFUSED') as unknown },
      },
    ]);

    for (const limiter of limitersOn(store, 2)) {
      const verdicts = [limiter.hit('c'), limiter.hit('c'), limiter.hit('c')];
      // Synchronous while the breaker is open: no promise, no wait.
      for (const verdict of verdicts) expect(verdict).not.toBeInstanceOf(Promise);
      expect((verdicts as Verdict[]).map((v) => v.allowed)).toEqual([true, true, false]);
    }
    expect(log.lines).toHaveLength(1);

    // ioredis reconnects in the background: the breaker closes on its own.
    redis = await TestRedis.start(port);
    await until(() => store!.available, 10_000);
    expect(log.lines.map((line) => line.level)).toEqual(['warn', 'info']);
    const [check] = limitersOn(store, 2);
    expect(check!.hit('c')).toBeInstanceOf(Promise);
    expect((await check!.hit('c')).remaining).toBe(0);
  });

  it('peeks at a shared count without counting, and sees what the other processes counted', async () => {
    redis = await TestRedis.start();
    store = SharedCountStore.fromUrl(redis.url);
    await store.start(recordingLog());
    expect(store.available).toBe(true);
    const [first, second] = [0, 1].map(() =>
      createRateLimiter({ name: 'peek', limit: 2, windowMs: 60_000, store })!,
    );
    for (let i = 0; i < 3; i++) expect((await first!.peek('p')).allowed).toBe(true);
    await first!.hit('p');
    await second!.hit('p');
    const full = await first!.peek('p');
    expect(full).toMatchObject({ allowed: false, remaining: 0 });
    expect(full.resetSeconds).toBeGreaterThan(0);
  });

  it('opens after a few commands hang, answers at once meanwhile, and closes when Redis answers', async () => {
    redis = await TestRedis.start();
    const log = recordingLog();
    store = SharedCountStore.fromUrl(redis.url);
    await store.start(log);
    expect(store.available).toBe(true);
    const limiters = limitersOn(store, 3);
    for (const limiter of limiters) expect((await limiter.hit('c')).remaining).toBe(2);

    redis.freeze();
    // The first few wait out the command timeout, then fall back to memory.
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const verdict = await limiters[0]!.hit(`hung-${i}`);
      expect(verdict.allowed).toBe(true);
      expect(performance.now() - started).toBeLessThan(2000);
    }
    expect(store.available).toBe(false);
    for (const limiter of limiters) {
      const verdicts = [1, 2, 3, 4].map(() => limiter.hit('during'));
      for (const verdict of verdicts) expect(verdict).not.toBeInstanceOf(Promise);
      expect((verdicts as Verdict[]).map((v) => v.allowed)).toEqual([true, true, true, false]);
    }
    expect(log.lines.filter((line) => line.level === 'warn')).toHaveLength(1);

    redis.thaw();
    await until(() => store!.available, 10_000);
    expect(log.lines.map((line) => line.level)).toEqual(['warn', 'info']);
    // The count kept in Redis from before the outage is the one used again.
    for (const limiter of limiters) expect((await limiter.hit('c')).remaining).toBe(1);
  });

  it('closes quietly: shutting down is not an outage', async () => {
    redis = await TestRedis.start();
    const log = recordingLog();
    store = SharedCountStore.fromUrl(redis.url);
    await store.start(log);
    store.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(log.lines).toEqual([]);
  });
});
