import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from './rate-limiter.ts';

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
