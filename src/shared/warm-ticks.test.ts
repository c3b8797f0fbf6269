import { describe, expect, it } from 'vitest';
import { warmTickQueue } from './warm-ticks.ts';

describe('tick queue warm-up', () => {
  it('runs every tick it queues before it resolves', async () => {
    expect(await warmTickQueue(3, 10)).toBe(30);
  });
});
