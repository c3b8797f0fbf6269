// Demonstration data for a fresh embedded installation: one account in every
// state the result page knows, each clearly marked as demo (accounts.demo,
// reports.source = 'demo') so nobody mistakes it for real reports.
import type { Database } from '../db/database.ts';
import type { ReportStatus } from '../db/schema.ts';
import { toAccountRef } from '../shared/account-number.ts';
import { ensureAccounts, refreshSummaries } from './accounts.repository.ts';
import { maskName } from './check.ts';
import type { CategoryCode } from '../shared/categories.ts';

export interface DemoAccount {
  readonly provider: string;
  readonly number: string;
  readonly shows: string;
}

const day = 24 * 60 * 60 * 1000;

interface DemoReport {
  category: CategoryCode;
  daysAgo: number;
  status: ReportStatus;
}

interface DemoSpec extends DemoAccount {
  reports: DemoReport[];
  seller?: { businessName: string; holderName: string; daysAgo: number };
  normalization?: { status: 'submitted' | 'granted'; daysAgo: number };
}

const specs: DemoSpec[] = [
  {
    provider: '014',
    number: '0000000001',
    shows: 'reported',
    reports: [
      { category: 'online_shopping_fraud', daysAgo: 200, status: 'verified' },
      { category: 'online_shopping_fraud', daysAgo: 45, status: 'verified' },
      { category: 'investment_fraud', daysAgo: 12, status: 'verified' },
    ],
  },
  {
    provider: '008',
    number: '0000000000002',
    shows: 'disputed',
    reports: [{ category: 'online_shopping_fraud', daysAgo: 60, status: 'verified' }],
    normalization: { status: 'submitted', daysAgo: 3 },
  },
  {
    provider: '002',
    number: '000000000000003',
    shows: 'normalized',
    reports: [{ category: 'arisan_fraud', daysAgo: 120, status: 'normalized' }],
    normalization: { status: 'granted', daysAgo: 30 },
  },
  {
    provider: '009',
    number: '0000000004',
    shows: 'verified seller',
    reports: [],
    seller: {
      businessName: 'Toko Contoh Sejahtera (DEMO)',
      holderName: 'Budi Santoso',
      daysAgo: 90,
    },
  },
  {
    provider: 'dana',
    number: '0812-0000-0005',
    shows: 'reported e-wallet',
    reports: [{ category: 'online_gambling', daysAgo: 5, status: 'verified' }],
  },
];

export const demoAccounts: readonly DemoAccount[] = specs.map(({ provider, number, shows }) => ({
  provider,
  number,
  shows,
}));

/**
 * Seeds the demo set into an empty database; does nothing otherwise. Returns
 * whether it seeded. `seal` seals a personal value as every write path does.
 */
export async function seedDemoData(
  database: Database,
  now: Date,
  seal: (value: string) => string,
): Promise<boolean> {
  return database.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('accounts').select('id').limit(1).executeTakeFirst();
    const seeded = await trx
      .selectFrom('meta')
      .select('value')
      .where('key', '=', 'demo_seeded_at')
      .executeTakeFirst();
    if (existing || seeded) return false;

    const refs = specs.map((s) => toAccountRef(s.provider, s.number));
    const ids = await ensureAccounts(trx, refs, now, { demo: true });
    const ago = (days: number) => new Date(now.getTime() - days * day);
    for (const [index, spec] of specs.entries()) {
      const accountId = ids.get(refs[index]!.key)!;
      for (const [n, report] of spec.reports.entries()) {
        await trx
          .insertInto('reports')
          .values({
            account_id: accountId,
            status: report.status,
            category: report.category,
            source: 'demo',
            source_id: `demo-${index}-${n}`,
            reported_at: ago(report.daysAgo),
            verified_at: report.status === 'submitted' ? null : ago(report.daysAgo - 1),
            created_at: ago(report.daysAgo),
            updated_at: ago(report.daysAgo),
          })
          .execute();
      }
      if (spec.seller) {
        await trx
          .insertInto('seller_registrations')
          .values({
            account_id: accountId,
            status: 'approved',
            business_name: spec.seller.businessName,
            holder_name: seal(spec.seller.holderName),
            holder_name_masked: maskName(spec.seller.holderName),
            decided_at: ago(spec.seller.daysAgo),
            created_at: ago(spec.seller.daysAgo + 2),
            updated_at: ago(spec.seller.daysAgo),
          })
          .execute();
      }
      if (spec.normalization) {
        const { status, daysAgo } = spec.normalization;
        await trx
          .insertInto('normalization_requests')
          .values({
            account_id: accountId,
            status,
            channel: 'online',
            decided_at: status === 'granted' ? ago(daysAgo) : null,
            created_at: ago(status === 'granted' ? daysAgo + 14 : daysAgo),
            updated_at: ago(daysAgo),
          })
          .execute();
      }
    }
    await refreshSummaries(trx, database.dialect, [...ids.values()], now);
    await trx
      .insertInto('meta')
      .values({ key: 'demo_seeded_at', value: now.toISOString() })
      .execute();
    return true;
  });
}
