import { describe, expect, it } from 'vitest';
import { waitInWords, withWait } from './wait.ts';

describe('waitInWords', () => {
  it('says less than a minute under sixty seconds', () => {
    expect(waitInWords(0, 'id')).toBe('kurang dari satu menit lagi');
    expect(waitInWords(59, 'id')).toBe('kurang dari satu menit lagi');
    expect(waitInWords(59, 'en')).toBe('in less than a minute');
  });

  it('says minutes, rounded up so nobody comes back too early', () => {
    expect(waitInWords(60, 'id')).toBe('sekitar 1 menit lagi');
    expect(waitInWords(61, 'id')).toBe('sekitar 2 menit lagi');
    expect(waitInWords(2400, 'id')).toBe('sekitar 40 menit lagi');
    expect(waitInWords(3396, 'id')).toBe('sekitar 57 menit lagi');
    expect(waitInWords(60, 'en')).toBe('in about 1 minute');
    expect(waitInWords(2400, 'en')).toBe('in about 40 minutes');
  });

  it('says hours from an hour on', () => {
    expect(waitInWords(3600, 'id')).toBe('sekitar 1 jam lagi');
    expect(waitInWords(5000, 'id')).toBe('sekitar 1 jam lagi');
    expect(waitInWords(86_400, 'id')).toBe('sekitar 24 jam lagi');
    expect(waitInWords(3600, 'en')).toBe('in about 1 hour');
    expect(waitInWords(7200, 'en')).toBe('in about 2 hours');
  });
});

describe('withWait', () => {
  it('adds the wait in words to params that carry seconds, and leaves others alone', () => {
    expect(withWait('id', { seconds: 2400 })).toEqual({
      seconds: 2400,
      wait: 'sekitar 40 menit lagi',
    });
    expect(withWait('id', { requestId: 'r1' })).toEqual({ requestId: 'r1' });
  });
});
