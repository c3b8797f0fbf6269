import { describe, expect, it } from 'vitest';
import { isoWeekOf, lastIsoWeeks, visibleQueues } from './dashboard.figures.service.ts';
import { durationText } from './dashboard.figures.views.tsx';

describe('ISO weeks in Western Indonesian Time', () => {
  it('start on Monday 00:00 WIB', () => {
    // Sunday 8 March 2026, 23:30 WIB, and Monday 9 March, 00:30 WIB.
    expect(isoWeekOf(new Date('2026-03-08T16:30:00Z')).id).toBe('2026-W10');
    const monday = isoWeekOf(new Date('2026-03-08T17:30:00Z'));
    expect(monday.id).toBe('2026-W11');
    expect(monday.start.toISOString()).toBe('2026-03-08T17:00:00.000Z');
    expect(monday.end.toISOString()).toBe('2026-03-15T17:00:00.000Z');
  });

  it('belong to the year of their Thursday', () => {
    // Thursday 1 January 2026: week 1 began on Monday 29 December 2025.
    expect(isoWeekOf(new Date('2025-12-29T05:00:00Z')).id).toBe('2026-W01');
    // Friday 1 January 2027 is in the last week of 2026, its 53rd.
    expect(isoWeekOf(new Date('2027-01-01T05:00:00Z')).id).toBe('2026-W53');
    expect(isoWeekOf(new Date('2027-01-04T05:00:00Z')).id).toBe('2027-W01');
  });

  it('are counted back across a year', () => {
    const weeks = lastIsoWeeks(new Date('2026-01-14T05:00:00Z'), 8).map((w) => w.id);
    expect(weeks).toEqual([
      '2025-W48',
      '2025-W49',
      '2025-W50',
      '2025-W51',
      '2025-W52',
      '2026-W01',
      '2026-W02',
      '2026-W03',
    ]);
  });
});

describe('the figures', () => {
  it('go to the roles that work each queue, every queue to admins', () => {
    expect(visibleQueues(['reviewer'])).toEqual(['reports']);
    expect(visibleQueues(['registrar', 'mediator'])).toEqual(['registrations', 'normalizations']);
    expect(visibleQueues(['admin'])).toEqual(['reports', 'registrations', 'normalizations']);
  });

  it('say durations in their two largest units', () => {
    const minute = 60_000;
    expect(durationText('id', 30_000)).toBe('kurang dari 1 menit');
    expect(durationText('id', 45 * minute)).toBe('45 menit');
    expect(durationText('id', 125 * minute)).toBe('2 jam 5 menit');
    expect(durationText('en', 60 * minute)).toBe('1 hour');
    expect(durationText('en', (2 * 24 + 4) * 60 * minute + 7 * minute)).toBe('2 days 4 hours');
  });
});
