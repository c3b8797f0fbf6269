import { describe, expect, it } from 'vitest';
import { addMonths, monthBounds, monthSpan, monthsBetween, parseMonth } from './months.ts';
import { parsePeriod } from './period.ts';

const fallback = { from: '2025-04', to: '2026-03' };

describe('months', () => {
  it('parses YYYY-MM from 2000 on only', () => {
    expect(parseMonth('2026-01')).toBe('2026-01');
    for (const bad of ['2026-1', '2026-13', '2026-00', '1999-12', '2026-01-01', ' 2026-01']) {
      expect(parseMonth(bad), bad).toBeUndefined();
    }
  });

  it('counts and lists months across years', () => {
    expect(monthsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthSpan('2016-04', '2026-03')).toBe(120);
    expect(addMonths('2026-03', -11)).toBe('2025-04');
    expect(monthBounds('2025-12')).toEqual({
      start: new Date('2025-12-01T00:00:00Z'),
      end: new Date('2026-01-01T00:00:00Z'),
    });
  });
});

describe('parsePeriod', () => {
  it('defaults to the last 12 months, or the 12 months up to `to`', () => {
    expect(parsePeriod({}, fallback)).toEqual({ ok: true, period: fallback });
    expect(parsePeriod({ to: '2025-12' }, fallback)).toEqual({
      ok: true,
      period: { from: '2025-01', to: '2025-12' },
    });
    expect(parsePeriod({ from: '2026-02', to: '' }, fallback)).toEqual({
      ok: true,
      period: { from: '2026-02', to: '2026-03' },
    });
  });

  it('names the field at fault', () => {
    expect(parsePeriod({ from: '2026-13' }, fallback)).toEqual({
      ok: false,
      errors: [{ field: 'from', reason: 'statistics.month_invalid' }],
    });
    expect(parsePeriod({ from: '2026-03', to: '2026-02' }, fallback)).toEqual({
      ok: false,
      errors: [{ field: 'from', reason: 'statistics.period_reversed' }],
    });
    expect(parsePeriod({ from: '2016-03', to: '2026-03' }, fallback)).toEqual({
      ok: false,
      errors: [{ field: 'from', reason: 'statistics.period_too_long' }],
    });
  });
});
