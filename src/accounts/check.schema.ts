// The public shape of a check (api.md) and the one function that fills it.
// It is an output whitelist: only what is listed here ever leaves.
import { z } from 'zod';
import type { CheckResult } from './check.ts';
import { categoryCodes } from './categories.ts';
import { providers } from './providers.ts';

const time = z.iso.datetime().describe('RFC 3339, UTC');

export const checkBodySchema = z
  .object({
    account: z.object({
      provider: z.string().describe('Bank code ("014") or e-wallet slug ("ovo").'),
      providerName: z.string(),
      number: z.string().describe('Normalized: digits only; e-wallets as 62….'),
      key: z.string().describe('"{provider}:{number}", the canonical key.'),
      unusualLength: z
        .boolean()
        .describe('The number has a length this bank does not usually issue (a hint only).'),
    }),
    status: z.enum(['clear', 'reported', 'disputed', 'normalized']),
    reports: z.object({
      verified: z.number().int().describe('Verified reports; nothing else counts.'),
      byCategory: z.partialRecord(z.enum(categoryCodes), z.number().int()),
      firstReportedAt: time.nullable(),
      lastReportedAt: time.nullable(),
    }),
    verifiedSeller: z
      .object({
        businessName: z.string(),
        holderName: z.string().describe('Masked, e.g. "B*** S*****".'),
        verifiedAt: time,
      })
      .nullable(),
    dispute: z.object({ since: time }).nullable(),
    normalizedAt: time.nullable(),
    demo: z.boolean().describe('True for the demonstration data of a fresh installation.'),
  })
  .meta({ id: 'Check' });

export type CheckBody = z.infer<typeof checkBodySchema>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toCheckBody(result: CheckResult): CheckBody {
  const { account, summary } = result;
  return {
    account: {
      provider: account.provider.code,
      providerName: account.provider.name,
      number: account.number,
      key: account.key,
      unusualLength: account.unusualLength,
    },
    status: result.status,
    reports: {
      verified: summary.verifiedCount,
      byCategory: { ...summary.categoryCounts },
      firstReportedAt: iso(summary.firstReportedAt),
      lastReportedAt: iso(summary.lastReportedAt),
    },
    verifiedSeller: summary.verifiedSeller
      ? {
          businessName: summary.verifiedSeller.businessName,
          holderName: summary.verifiedSeller.holderName,
          verifiedAt: summary.verifiedSeller.verifiedAt.toISOString(),
        }
      : null,
    dispute: summary.disputeSince ? { since: summary.disputeSince.toISOString() } : null,
    normalizedAt: iso(summary.normalizedAt),
    demo: summary.demo,
  };
}

export const serializeCheck = (result: CheckResult): string => JSON.stringify(toCheckBody(result));

export const providerSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    shortName: z.string(),
    kind: z.enum(['bank', 'ewallet']),
    aliases: z.array(z.string()),
    numberLength: z.object({ min: z.number().int(), max: z.number().int() }).nullable(),
  })
  .meta({ id: 'Provider' });

export const providersBody = {
  providers: providers.all.map((p) => ({
    code: p.code,
    name: p.name,
    shortName: p.shortName,
    kind: p.kind,
    aliases: [...p.aliases],
    numberLength: p.numberLength ? { ...p.numberLength } : null,
  })),
};
