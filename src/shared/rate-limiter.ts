// Fixed-window rate limits per client: in memory for one process, or in Redis
// so several processes share the count. One limiter serves the check's fast
// path (src/accounts/check.fast-path.http.ts) and the Fastify hooks, so a page check and an API check
// count against the same budget. The in-memory limiter answers synchronously:
// the hot path need not wait a turn of the event loop. So does the Redis one
// while Redis is down: it counts in memory then, per process, until it is back.
import type { Redis } from 'ioredis';
import { lazyRequire } from './lazy-require.ts';

export interface Verdict {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the window resets (at least 1). */
  readonly resetSeconds: number;
}

export interface RateLimiter {
  readonly limit: number;
  /** Counts one request and answers whether it was within the limit. */
  hit(client: string): Verdict | Promise<Verdict>;
  /**
   * Whether one more would be within the limit, without counting it: the
   * submissions count only what was accepted, so a refused one costs nothing.
   */
  peek(client: string): Verdict | Promise<Verdict>;
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

  peek(client: string): Verdict {
    const now = this.#now();
    const window = this.#windows.get(client);
    if (!window || window.resetAt <= now) return verdictOf(this.limit, 1, this.#windowMs);
    return verdictOf(this.limit, window.count + 1, window.resetAt - now);
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

/** The count so far and the window's time left, counting nothing: `{ 0, window }` for a new client. */
const peekScript = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

/** Consecutive failed commands after which the shared store counts as down. */
const failuresToOpen = 3;
/** How often, while the store is down but its connection is up, a probe tries it again. */
const probeIntervalMs = 1000;
/** The Redis client, loaded only by a process given a `REDIS_URL`. */
const redisClient = lazyRequire<typeof import('ioredis')>('ioredis');

/** The probe's key: a real counter, so a Redis that answers PING but refuses writes stays down. */
const probeKey = 'cekrek-rl:probe';

/** Where a limiter's outage notices go (pino's shape; shared code knows no Fastify). */
export interface StoreLog {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

/**
 * Redis as the store of counts that every limiter of a process shares, behind
 * a circuit breaker. `available` is the breaker: while false, limiters count
 * in memory at once, without touching Redis, so an outage costs no request
 * any wait. It turns false when the connection is lost or after a few failed
 * commands in a row, and true again when ioredis has reconnected (it retries
 * in the background) or a probe succeeds. One warning per outage, one notice
 * when it ends.
 */
export class SharedCountStore {
  readonly redis: Redis;
  /** Whether limiters use Redis now: the one thing the hot path reads. */
  available = false;
  #log: StoreLog | undefined;
  #failures = 0;
  #outageSince: number | undefined;
  #probe: NodeJS.Timeout | undefined;
  #closing = false;
  #lastError: Error | undefined;

  constructor(redis: Redis) {
    this.redis = redis;
  }

  /**
   * A store on a Redis client set to fail fast: no queue of commands waiting
   * for a connection, no retries, short timeouts. ioredis keeps reconnecting
   * in the background.
   */
  static fromUrl(url: string): SharedCountStore {
    return new SharedCountStore(
      new (redisClient().Redis)(url, {
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 2000,
        commandTimeout: 500,
      }),
    );
  }

  /** Connects, and waits for the first answer: connected, or down and announced. */
  async start(log: StoreLog): Promise<void> {
    this.#log = log;
    this.redis.on('ready', () => this.#restore());
    this.redis.on('close', () => this.#lose(this.#lastError ?? new Error('connection closed')));
    // Connection errors come with a close (which opens the breaker) and repeat
    // on every reconnection attempt: kept for the warning, never printed each time.
    this.redis.on('error', (error: Error) => (this.#lastError = error));
    await this.redis.connect().catch((error: unknown) => this.#lose(error));
  }

  succeeded(): void {
    this.#failures = 0;
  }

  failed(error: unknown): void {
    this.#failures += 1;
    if (this.#failures >= failuresToOpen) this.#lose(error);
  }

  close(): void {
    this.#closing = true;
    this.available = false;
    this.#stopProbing();
    this.redis.disconnect();
  }

  #lose(error: unknown): void {
    if (this.#closing) return;
    this.available = false;
    this.#startProbing();
    if (this.#outageSince !== undefined) return;
    this.#outageSince = Date.now();
    this.#log?.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      'rate limit store unavailable: counting per process',
    );
  }

  #restore(): void {
    if (this.#closing) return;
    this.#failures = 0;
    this.#lastError = undefined;
    this.available = true;
    this.#stopProbing();
    if (this.#outageSince === undefined) return;
    const outageSeconds = Math.round((Date.now() - this.#outageSince) / 1000);
    this.#outageSince = undefined;
    this.#log?.info({ outageSeconds }, 'rate limit store back: counting shared again');
  }

  /**
   * While the connection is down, ioredis reconnects by itself and 'ready'
   * restores; the probe covers a connection that stays up while commands
   * fail (a hung or read-only server).
   */
  #startProbing(): void {
    if (this.#probe) return;
    this.#probe = setInterval(() => void this.#tryOnce(), probeIntervalMs);
    this.#probe.unref();
  }

  #stopProbing(): void {
    clearInterval(this.#probe);
    this.#probe = undefined;
  }

  async #tryOnce(): Promise<void> {
    if (this.redis.status !== 'ready') return;
    try {
      await this.redis.eval(hitScript, 1, probeKey, String(probeIntervalMs));
      this.#restore();
    } catch {
      // Still down: the next tick tries again.
    }
  }
}

/**
 * Counts in Redis while the shared store is available, in this process's
 * memory while it is not: an outage loosens the limit to one per process,
 * never to none.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly limit: number;
  readonly #store: SharedCountStore;
  readonly #fallback: MemoryRateLimiter;
  readonly #windowMs: number;
  readonly #prefix: string;

  constructor(options: { store: SharedCountStore; limit: number; windowMs: number; name: string }) {
    this.limit = options.limit;
    this.#store = options.store;
    this.#fallback = new MemoryRateLimiter(options.limit, options.windowMs);
    this.#windowMs = options.windowMs;
    this.#prefix = `cekrek-rl:${options.name}:`;
  }

  hit(client: string): Verdict | Promise<Verdict> {
    if (!this.#store.available) return this.#fallback.hit(client);
    return this.#sharedHit(client);
  }

  /**
   * A peek and the later hit are two commands, not one: a burst of requests
   * all peeking before any is counted can slip a few past the limit. That is
   * accepted: the limit is a budget for people, and the per-e-mail limit and
   * the burst flags catch abuse.
   */
  peek(client: string): Verdict | Promise<Verdict> {
    if (!this.#store.available) return this.#fallback.peek(client);
    return this.#shared(client, peekScript, 1, () => this.#fallback.peek(client));
  }

  async #sharedHit(client: string): Promise<Verdict> {
    return this.#shared(client, hitScript, 0, () => this.#fallback.hit(client));
  }

  /** Runs a script on the client's counter; `ahead` is what the verdict adds to the count (1 for a peek). */
  async #shared(
    client: string,
    script: string,
    ahead: number,
    fallback: () => Verdict,
  ): Promise<Verdict> {
    try {
      const [count, ttl] = (await this.#store.redis.eval(
        script,
        1,
        this.#prefix + client,
        String(this.#windowMs),
      )) as [number, number];
      this.#store.succeeded();
      return verdictOf(this.limit, count + ahead, ttl);
    } catch (error) {
      this.#store.failed(error);
      return fallback();
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
  store: SharedCountStore | undefined;
}): RateLimiter | undefined {
  if (options.limit <= 0) return undefined;
  return options.store
    ? new RedisRateLimiter({ ...options, store: options.store })
    : new MemoryRateLimiter(options.limit, options.windowMs);
}

/**
 * Allowances whose size each caller brings: a partner's key is limited by its
 * partner's `perMinute` and `perDay`, which differ between partners and may
 * change at any time. `take` counts `amount` only when all of it fits, so a
 * bulk call that would overrun the day is refused whole and costs nothing.
 */
export interface AllowanceLimiter {
  take(client: string, limit: number, amount?: number): Verdict | Promise<Verdict>;
  /**
   * Starts a client's current window at `count` unless it is already being
   * counted here (a limiter in memory, after a restart, learns what was used
   * before it); absent where the count outlives the process anyway.
   */
  seed?(client: string, count: number): void;
}

export interface AllowanceWindow {
  readonly windowMs: number;
  /**
   * Windows start at multiples of `windowMs` since the epoch (a day's window
   * is the UTC day) rather than at a client's first request.
   */
  readonly aligned?: boolean;
}

/** Milliseconds from `now` to the end of an aligned window. */
function alignedMsLeft(now: number, windowMs: number): number {
  return (Math.floor(now / windowMs) + 1) * windowMs - now;
}

export class MemoryAllowanceLimiter implements AllowanceLimiter {
  readonly #window: AllowanceWindow;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();

  constructor(window: AllowanceWindow, now: () => number = Date.now) {
    this.#window = window;
    this.#now = now;
  }

  take(client: string, limit: number, amount = 1): Verdict {
    const now = this.#now();
    let window = this.#windows.get(client);
    if (!window || window.resetAt <= now) {
      if (!window && this.#windows.size >= maxTrackedClients) this.#forgetExpired(now);
      const msLeft = this.#window.aligned
        ? alignedMsLeft(now, this.#window.windowMs)
        : this.#window.windowMs;
      window = { count: 0, resetAt: now + msLeft };
      this.#windows.delete(client);
      this.#windows.set(client, window);
    }
    const fits = window.count + amount <= limit;
    if (fits) window.count += amount;
    return takenVerdict(fits, limit, window.count, window.resetAt - now);
  }

  seed(client: string, count: number): void {
    const now = this.#now();
    const current = this.#windows.get(client);
    if (count <= 0 || (current && current.resetAt > now)) return;
    const msLeft = this.#window.aligned
      ? alignedMsLeft(now, this.#window.windowMs)
      : this.#window.windowMs;
    this.#windows.set(client, { count, resetAt: now + msLeft });
  }

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

/**
 * Adds ARGV[2] to the counter only when the sum stays within ARGV[3]; a new
 * counter expires ARGV[1] ms later. Answers `{ taken, count, ttl }`.
 */
const takeScript = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[2])
local taken = 0
if count + amount <= tonumber(ARGV[3]) then
  count = redis.call('INCRBY', KEYS[1], amount)
  taken = 1
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
if ttl < 0 then ttl = tonumber(ARGV[1]) end
return { taken, count, ttl }
`;

/** Allowances counted in Redis behind the store's breaker, in memory while it is open. */
export class RedisAllowanceLimiter implements AllowanceLimiter {
  readonly #store: SharedCountStore;
  readonly #fallback: MemoryAllowanceLimiter;
  readonly #window: AllowanceWindow;
  readonly #prefix: string;

  constructor(options: AllowanceWindow & { store: SharedCountStore; name: string }) {
    this.#store = options.store;
    this.#window = { windowMs: options.windowMs, aligned: options.aligned ?? false };
    this.#fallback = new MemoryAllowanceLimiter(this.#window);
    this.#prefix = `cekrek-rl:${options.name}:`;
  }

  take(client: string, limit: number, amount = 1): Verdict | Promise<Verdict> {
    if (!this.#store.available) return this.#fallback.take(client, limit, amount);
    return this.#sharedTake(client, limit, amount);
  }

  async #sharedTake(client: string, limit: number, amount: number): Promise<Verdict> {
    const { windowMs, aligned } = this.#window;
    const now = Date.now();
    // An aligned window's counter is named by its window, so the next one starts at zero on time.
    const key = aligned
      ? `${this.#prefix}${client}:${Math.floor(now / windowMs)}`
      : this.#prefix + client;
    const msLeft = aligned ? alignedMsLeft(now, windowMs) : windowMs;
    try {
      const [taken, count, ttl] = (await this.#store.redis.eval(
        takeScript,
        1,
        key,
        String(msLeft),
        String(amount),
        String(limit),
      )) as [number, number, number];
      this.#store.succeeded();
      return takenVerdict(taken === 1, limit, count, ttl);
    } catch (error) {
      this.#store.failed(error);
      return this.#fallback.take(client, limit, amount);
    }
  }
}

function takenVerdict(taken: boolean, limit: number, count: number, msLeft: number): Verdict {
  return {
    allowed: taken,
    limit,
    remaining: Math.max(0, limit - count),
    resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

export function createAllowanceLimiter(
  options: AllowanceWindow & { name: string; store: SharedCountStore | undefined },
): AllowanceLimiter {
  return options.store
    ? new RedisAllowanceLimiter({ ...options, store: options.store })
    : new MemoryAllowanceLimiter(options);
}

/**
 * The IETF RateLimit fields of a keyed answer (draft-ietf-httpapi-ratelimit-headers),
 * for the key's per-minute allowance; `Retry-After` once it is used up.
 */
export function keyRateLimitHeaders(verdict: Verdict): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-policy': `"minute";q=${verdict.limit};w=60`,
    ratelimit: `"minute";r=${verdict.remaining};t=${verdict.resetSeconds}`,
  };
  if (!verdict.allowed) headers['retry-after'] = String(verdict.resetSeconds);
  return headers;
}
