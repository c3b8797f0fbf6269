import { describe, expect, it } from 'vitest';
import { toAccountRef } from '../shared/account-number.ts';
import { checkBuckets, emptySummary, type CheckResult } from './check.ts';
import { serializeCheck, toCheckBody } from './check.schema.ts';
import { providers } from '../shared/providers.ts';

function clear(provider: string, number: string): CheckResult {
  return { account: toAccountRef(provider, number), status: 'clear', summary: emptySummary };
}

describe('the check body as JSON', () => {
  it('is byte for byte JSON.stringify of the body for every provider, clear or not', () => {
    for (const provider of providers.all) {
      const numbers =
        provider.kind === 'bank' ? ['1234567890', '12345'] : ['081234567890', '0812-3456-7890'];
      for (const number of numbers) {
        const result = clear(provider.code, number);
        expect(serializeCheck(result)).toBe(JSON.stringify(toCheckBody(result)));
      }
    }
    const reported: CheckResult = {
      ...clear('014', '1234567890'),
      status: 'reported',
      summary: {
        ...emptySummary,
        verifiedCount: 2,
        categoryCounts: { investment_fraud: 2 },
        firstReportedAt: new Date('2026-01-02T03:04:05Z'),
        lastReportedAt: new Date('2026-02-03T04:05:06Z'),
      },
    };
    expect(serializeCheck(reported)).toBe(JSON.stringify(toCheckBody(reported)));
    const demo: CheckResult = {
      ...clear('014', '1234567890'),
      summary: { ...emptySummary, demo: true },
    };
    expect(serializeCheck(demo)).toBe(JSON.stringify(toCheckBody(demo)));
  });

  it('carries the checked-by bucket, byte for byte, clear or not', () => {
    const reported: CheckResult = {
      ...clear('014', '1234567890'),
      status: 'reported',
      summary: { ...emptySummary, verifiedCount: 1, categoryCounts: { investment_fraud: 1 } },
    };
    for (const bucket of checkBuckets) {
      for (const result of [clear('ovo', '081234567890'), reported]) {
        const json = serializeCheck(result, bucket);
        expect(json).toBe(JSON.stringify(toCheckBody(result, bucket)));
        expect(JSON.parse(json)).toMatchObject({ checks: { last30Days: bucket } });
      }
    }
  });
});
