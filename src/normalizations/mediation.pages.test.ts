import { describe, expect, it } from 'vitest';
import { parseLocalTime } from './mediation.form.ts';

describe('parseLocalTime', () => {
  it('reads a time typed in Western Indonesian Time', () => {
    expect(parseLocalTime('2026-03-10T14:30')?.toISOString()).toBe('2026-03-10T07:30:00.000Z');
  });

  it('refuses a day that is not on the calendar instead of moving it into the next month', () => {
    expect(parseLocalTime('2026-02-30T10:00')).toBeNull();
    expect(parseLocalTime('2026-04-31T10:00')).toBeNull();
    expect(parseLocalTime('2026-03-10T25:00')).toBeNull();
  });
});
