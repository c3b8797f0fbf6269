import { describe, expect, it } from 'vitest';
import { keyRateLimitHeaders, MemoryAllowanceLimiter, MemoryRateLimiter } from './rate-limiter.ts';

describe('MemoryRateLimiter.peek', () => {
  it('tells whether one more is allowed without counting it', () => {
    let now = 0;
    const limiter = new MemoryRateLimiter(2, 60_000, () => now);
    for (let i = 0; i < 5; i++) expect(limiter.peek('c')).toMatchObject({ allowed: true });
    limiter.hit('c');
    expect(limiter.peek('c')).toMatchObject({ allowed: true, remaining: 0 });
    limiter.hit('c');
    expect(limiter.peek('c')).toMatchObject({ allowed: false, resetSeconds: 60 });
    expect(limiter.peek('other')).toMatchObject({ allowed: true, remaining: 1 });
    now = 30_000;
    expect(limiter.peek('c')).toMatchObject({ allowed: false, resetSeconds: 30 });
    now = 60_000;
    expect(limiter.peek('c')).toMatchObject({ allowed: true });
  });
});

describe('MemoryAllowanceLimiter', () => {
  it('takes an amount only when all of it fits, each caller bringing its limit', () => {
    let now = 0;
    const limiter = new MemoryAllowanceLimiter({ windowMs: 60_000 }, () => now);
    expect(limiter.take('k', 5, 3)).toMatchObject({ allowed: true, limit: 5, remaining: 2 });
    expect(limiter.take('k', 5, 3)).toMatchObject({ allowed: false, remaining: 2 });
    expect(limiter.take('k', 5, 2)).toMatchObject({ allowed: true, remaining: 0 });
    // Another key, another limit; a raised limit takes effect at once.
    expect(limiter.take('j', 1)).toMatchObject({ allowed: true, limit: 1, remaining: 0 });
    expect(limiter.take('k', 6)).toMatchObject({ allowed: true, limit: 6, remaining: 0 });
    now = 60_000;
    expect(limiter.take('k', 5, 5)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('ends an aligned day window at midnight UTC', () => {
    const day = 86_400_000;
    let now = Date.UTC(2026, 11, 5, 23, 59, 30);
    const limiter = new MemoryAllowanceLimiter({ windowMs: day, aligned: true }, () => now);
    expect(limiter.take('k', 2, 2)).toMatchObject({ allowed: true, resetSeconds: 30 });
    expect(limiter.take('k', 2)).toMatchObject({ allowed: false, resetSeconds: 30 });
    now = Date.UTC(2026, 11, 6, 0, 0, 1);
    expect(limiter.take('k', 2)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('answers in the IETF RateLimit fields, with Retry-After once refused', () => {
    const verdict = { allowed: false, limit: 600, remaining: 0, resetSeconds: 42 };
    expect(keyRateLimitHeaders(verdict)).toEqual({
      'ratelimit-policy': '"minute";q=600;w=60',
      ratelimit: '"minute";r=0;t=42',
      'retry-after': '42',
    });
  });
});
