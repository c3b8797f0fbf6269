import { describe, expect, it } from 'vitest';
import { CurrentDay } from './usage-days.ts';

describe('CurrentDay', () => {
  it('names the UTC day of each time, across midnight and back', () => {
    const day = new CurrentDay();
    expect(day.of(new Date('2026-03-01T23:59:59.999Z'))).toBe('2026-03-01');
    expect(day.of(new Date('2026-03-02T00:00:00.000Z'))).toBe('2026-03-02');
    expect(day.of(new Date('2026-03-02T16:59:00+07:00'))).toBe('2026-03-02');
    expect(day.of(new Date('2026-03-01T12:00:00Z'))).toBe('2026-03-01');
  });
});
