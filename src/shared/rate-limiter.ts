// Fixed-window rate limits per client: in memory for one process, or in Redis
// so several processes share the count. One limiter serves the check's fast
// path (src/http/fast-check.ts) and the Fastify hooks, so a page check and an API check
// count against the same budget. The in-memory limiter answers synchronously:
// the hot path need not wait a turn of the event loop.
import type { Redis } from 'ioredis';

export interface Verdict {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
}

export interface RateLimiter {
  readonly limit: number;
  hit(client: string): Verdict | Promise<Verdict>;
}

interface Window {
  count: number;
  resetAt: number;
}

/** Most clients tracked at once in memory; beyond it the oldest windows are dropped. */
const maxTrackedClients = 100_000;

export class MemoryRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();

  constructor(limit: number, windowMs: number, now: () => number = Date.now) {
    this.limit = limit;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  hit(client: string): Verdict {
    const now = this.#now();
    let window = this.#windows.get(client);
    if (!window || window.resetAt <= now) {
      if (!window && this.#windows.size >= maxTrackedClients) this.#forgetExpired(now);
      window = { count: 0, resetAt: now + this.#windowMs };
      this.#windows.delete(client);
      this.#windows.set(client, window);
    }
    window.count += 1;
    return verdictOf(this.limit, window.count, window.resetAt - now);
  }

  /** Drops expired windows; if that is not enough, the oldest ones (Map keeps insertion order). */
  #forgetExpired(now: number) {
    for (const [client, window] of this.#windows) {
      if (window.resetAt <= now) this.#windows.delete(client);
    }
    let excess = this.#windows.size - maxTrackedClients + 1;
    for (const client of this.#windows.keys()) {
      if (excess-- <= 0) break;
      this.#windows.delete(client);
    }
  }
}

/** INCR and set the expiry of a new window in one step, so a crash never leaves a counter without one. */
const hitScript = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly #redis: Redis;
  readonly #windowMs: number;
  readonly #prefix: string;
  readonly #onError: (error: unknown) => void;

  constructor(options: {
    redis: Redis;
    limit: number;
    windowMs: number;
    name: string;
    onError: (error: unknown) => void;
  }) {
    this.limit = options.limit;
    this.#redis = options.redis;
    this.#windowMs = options.windowMs;
    this.#prefix = `cekrek-rl:${options.name}:`;
    this.#onError = options.onError;
  }

  async hit(client: string): Promise<Verdict> {
    try {
      const [count, ttl] = (await this.#redis.eval(
        hitScript,
        1,
        this.#prefix + client,
        String(this.#windowMs),
      )) as [number, number];
      return verdictOf(this.limit, count, ttl);
    } catch (error) {
      // Redis down must not take the check down with it: let the request through, loudly.
      this.#onError(error);
      return { allowed: true, limit: this.limit, remaining: this.limit, resetSeconds: 1 };
    }
  }
}

function verdictOf(limit: number, count: number, msLeft: number): Verdict {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

/** The headers every limited route answers with; `Retry-After` only once the limit is reached. */
export function rateLimitHeaders(verdict: Verdict): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ratelimit-limit': String(verdict.limit),
    'x-ratelimit-remaining': String(verdict.remaining),
    'x-ratelimit-reset': String(verdict.resetSeconds),
  };
  if (!verdict.allowed) headers['retry-after'] = String(verdict.resetSeconds);
  return headers;
}

export function createRateLimiter(options: {
  name: string;
  limit: number;
  windowMs: number;
  redis: Redis | undefined;
  onError: (error: unknown) => void;
}): RateLimiter | undefined {
  if (options.limit <= 0) return undefined;
  return options.redis
    ? new RedisRateLimiter({ ...options, redis: options.redis })
    : new MemoryRateLimiter(options.limit, options.windowMs);
}
