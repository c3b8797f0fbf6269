import { describe, expect, it } from 'vitest';
import { parseReportedAt, shown } from './import.csv.ts';
import { accountsToRefresh } from './import.service.ts';

describe('reported_at', () => {
  it.each([
    ['2026-01-02', '2026-01-02T00:00:00.000Z', true],
    ['2024-02-29', '2024-02-29T00:00:00.000Z', true],
    ['2000-02-29', '2000-02-29T00:00:00.000Z', true],
    ['2026-12-31', '2026-12-31T00:00:00.000Z', true],
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z', false],
    ['2026-01-02t03:04:05z', '2026-01-02T03:04:05.000Z', false],
    ['2026-01-02 03:04:05Z', '2026-01-02T03:04:05.000Z', false],
    ['2026-01-02T10:04:05+07:00', '2026-01-02T03:04:05.000Z', false],
    ['2026-01-02T00:30:00-01:30', '2026-01-02T02:00:00.000Z', false],
    ['2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.500Z', false],
    ['2026-01-02T03:04:05.123456789Z', '2026-01-02T03:04:05.123Z', false],
  ])('%s is %s', (input, expected, dateOnly) => {
    const parsed = parseReportedAt(input);
    expect(parsed && new Date(parsed.time).toISOString()).toBe(expected);
    expect(parsed?.dateOnly).toBe(dateOnly);
  });

  it.each([
    '2026-02-29',
    '2100-02-29',
    '2026-04-31',
    '2026-01-32',
    '0095-01-01',
    '2026-13-01',
    '2026-00-10',
    '2026-1-2',
    '02/01/2026',
    '2026-01-02T03:04:05',
    '2026-01-02T03:04Z',
    '2026-01-02T24:00:00Z',
    '2026-01-02T03:60:00Z',
    '2026-01-02T03:04:60Z',
    '2026-01-02T03:04:05+24:00',
    '2026-01-02T03:04:05+0700',
    '２０２６-01-02',
    'yesterday',
    '',
  ])('%j is refused', (input) => {
    expect(parseReportedAt(input)).toBeUndefined();
  });
});

describe('values in messages', () => {
  it('are quoted, cut short and free of control characters', () => {
    expect(shown('abc')).toBe('"abc"');
    expect(shown('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`);
    expect(shown('a\u001b[31mb\u202ec')).toBe('"a\\u001b[31mb\\u202ec"');
  });
});

describe('accounts to refresh after a batch', () => {
  it('lists accounts that existed, and new ones that got fewer reports than counted', () => {
    const created = new Map([
      [10, { key: 'k10', reports: 2 }],
      [11, { key: 'k11', reports: 2 }],
      [12, { key: 'k12', reports: 1 }],
    ]);
    // 10 got both reports; 11 only one; 12 none; 5 existed before.
    expect(accountsToRefresh([10, 5, 10, 11, 5], created).sort((a, b) => a - b)).toEqual([
      5, 11, 12,
    ]);
  });
});
