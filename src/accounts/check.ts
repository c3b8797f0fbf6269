// What the check knows of an account, and how its public status follows.
import type { AccountRef } from '../shared/account-number.ts';
import { cleanLine } from '../shared/text-input.ts';

export type AccountStatus = 'clear' | 'reported' | 'disputed' | 'normalized';

export interface VerifiedSeller {
  readonly businessName: string;
  /** Masked: "B*** S*****". The full name never leaves the system. */
  readonly holderName: string;
  readonly verifiedAt: Date;
}

export interface AccountSummary {
  readonly verifiedCount: number;
  readonly categoryCounts: Readonly<Record<string, number>>;
  readonly firstReportedAt: Date | null;
  readonly lastReportedAt: Date | null;
  readonly disputeSince: Date | null;
  readonly normalizedAt: Date | null;
  readonly verifiedSeller: VerifiedSeller | null;
  readonly demo: boolean;
}

/**
 * How many distinct clients checked an account in the last 30 days, in coarse
 * steps: fine enough to warn, too coarse to follow one person's interest.
 */
export const checkBuckets = ['none', '1+', '10+', '100+', '1000+'] as const;
export type CheckBucket = (typeof checkBuckets)[number];

/** Counts checks per account and client (statistics/check-counts.ts), or nothing when off. */
export interface CheckCounter {
  count(key: string, client: string): void;
  bucket(key: string): CheckBucket;
}

export const notCounting: CheckCounter = Object.freeze({
  count: () => undefined,
  bucket: () => 'none' as const,
});

export interface CheckResult {
  readonly account: AccountRef;
  readonly status: AccountStatus;
  readonly summary: AccountSummary;
}

export const emptySummary: AccountSummary = Object.freeze({
  verifiedCount: 0,
  categoryCounts: Object.freeze({}),
  firstReportedAt: null,
  lastReportedAt: null,
  disputeSince: null,
  normalizedAt: null,
  verifiedSeller: null,
  demo: false,
});

/** api.md: disputed while a request is open; else reported; else normalized; else clear. */
export function statusOf(summary: AccountSummary): AccountStatus {
  if (summary.disputeSince) return 'disputed';
  if (summary.verifiedCount > 0) return 'reported';
  if (summary.normalizedAt) return 'normalized';
  return 'clear';
}

/** "Budi Santoso" → "B*** S******": enough to recognise, not enough to learn the name. */
export function maskName(name: string): string {
  // Cleaned again: a name stored before the input rules may hold invisible characters.
  return cleanLine(name)
    .split(' ')
    .filter(Boolean)
    .map((word) => {
      const letters = [...word];
      return letters[0] + '*'.repeat(Math.max(letters.length - 1, 1));
    })
    .join(' ');
}
