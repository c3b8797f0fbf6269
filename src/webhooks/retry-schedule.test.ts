// The retry schedule of api.md, with its jitter, and the receiver's ten seconds.
import { describe, expect, it } from 'vitest';
import { deliveryTimeoutMs, nextDelayMs, retryScheduleMs } from './webhooks.worker.ts';

const minute = 60_000;
const hour = 60 * minute;

describe('the retry schedule', () => {
  it('waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then gives up', () => {
    expect(retryScheduleMs).toEqual([
      5_000,
      5 * minute,
      30 * minute,
      2 * hour,
      5 * hour,
      10 * hour,
      10 * hour,
    ]);
    const middle = () => 0.5;
    expect(retryScheduleMs.map((_, i) => nextDelayMs(i + 1, middle))).toEqual(retryScheduleMs);
    expect(nextDelayMs(retryScheduleMs.length + 1, middle)).toBeNull();
  });

  it('spreads each wait by up to a fifth either way, so failed deliveries do not retry in step', () => {
    for (const [i, base] of retryScheduleMs.entries()) {
      expect(nextDelayMs(i + 1, () => 0)).toBe(Math.round(base * 0.8));
      expect(nextDelayMs(i + 1, () => 1)).toBe(Math.round(base * 1.2));
    }
    const waits = Array.from({ length: 200 }, () => nextDelayMs(1));
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(4_000);
      expect(wait).toBeLessThanOrEqual(6_000);
    }
    expect(new Set(waits).size).toBeGreaterThan(50);
  });

  it('gives a receiver ten seconds to answer', () => {
    expect(deliveryTimeoutMs).toBe(10_000);
  });
});
