// The public statistics on both databases: a seeded set of reports,
// normalizations and registrations, rebuilt into the monthly aggregates and
// read through GET /api/v1/statistics, /statistik and the open data files.
// Suppression below 5 (4 → null, 5 → 5), months and categories summed,
// medians, the incremental rebuild, the period's validation, caching, the
// CSV read back by a CSV parser with the exact values, the JSON equal to the API.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureAccounts, refreshSummaries } from '../src/accounts/accounts.repository.ts';
import type { Database } from '../src/db/database.ts';
import type { ReportStatus } from '../src/db/schema.ts';
import { toAccountRef } from '../src/shared/account-number.ts';
import { ManualClock } from '../src/shared/clock.ts';
import type { Statistics } from '../src/statistics/statistics.service.ts';
import { describeEachDialect } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

interface ReportRow {
  provider: string;
  number: string;
  category: string;
  status: ReportStatus;
  createdAt: string;
  verifiedAt?: string;
  decidedAt?: string;
  amount?: number;
  source?: 'public' | 'demo' | 'import';
}

let serial = 0;

async function insertReports(database: Database, rows: readonly ReportRow[]): Promise<void> {
  const now = new Date();
  await database.db.transaction().execute(async (trx) => {
    const refs = rows.map((r) => toAccountRef(r.provider, r.number));
    const ids = await ensureAccounts(trx, refs, now, {
      demo: rows.some((r) => r.source === 'demo'),
    });
    for (const [i, r] of rows.entries()) {
      serial += 1;
      await trx
        .insertInto('reports')
        .values({
          account_id: ids.get(refs[i]!.key)!,
          status: r.status,
          category: r.category,
          source: r.source ?? 'public',
          source_id: r.source === 'public' || !r.source ? null : `s-${serial}`,
          holder_name: null,
          reported_at: new Date(r.createdAt),
          created_at: new Date(r.createdAt),
          updated_at: new Date(r.createdAt),
          verified_at: r.verifiedAt ? new Date(r.verifiedAt) : null,
          decided_at: r.decidedAt ? new Date(r.decidedAt) : null,
          amount: r.amount ?? null,
        })
        .execute();
    }
    await refreshSummaries(trx, database.dialect, [...ids.values()], now);
  });
}

function many(n: number, make: (i: number) => ReportRow): ReportRow[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

async function insertRequests(
  database: Database,
  table: 'normalization_requests' | 'seller_registrations',
  rows: readonly { status: string; createdAt: string; decidedAt?: string }[],
): Promise<void> {
  const now = new Date();
  await database.db.transaction().execute(async (trx) => {
    for (const r of rows) {
      serial += 1;
      const ref = toAccountRef('014', String(9_000_000_000 + serial));
      const id = (await ensureAccounts(trx, [ref], now)).get(ref.key)!;
      const common = {
        account_id: id,
        created_at: new Date(r.createdAt),
        updated_at: new Date(r.createdAt),
        decided_at: r.decidedAt ? new Date(r.decidedAt) : null,
      };
      if (table === 'normalization_requests') {
        await trx
          .insertInto('normalization_requests')
          .values({ ...common, status: r.status as 'granted', channel: 'online' })
          .execute();
      } else {
        await trx
          .insertInto('seller_registrations')
          .values({
            ...common,
            status: r.status as 'approved',
            business_name: 'Toko',
            holder_name: 'sealed',
          })
          .execute();
      }
    }
  });
}

/** Jan: 7 shopping (bank, with amounts), 4 investment (e-wallet, with amounts), 5 rejected. */
const janShoppingAmounts = [100_000, 250_000, 300_000, 400_000, 500_000, 1_000_000, 2_000_000];
const janInvestmentAmounts = [50_000, 60_000, 70_000, 5_000_000];

const seed: ReportRow[] = [
  ...many(7, (i) => ({
    provider: '014',
    number: String(1_000_000_000 + i),
    category: 'online_shopping_fraud',
    status: 'verified',
    createdAt: '2026-01-05T08:00:00Z',
    verifiedAt: '2026-01-10T08:00:00Z',
    decidedAt: '2026-01-10T08:00:00Z',
    amount: janShoppingAmounts[i],
  })),
  ...many(4, (i) => ({
    provider: 'dana',
    number: `08120000${String(1000 + i)}`,
    category: 'investment_fraud',
    status: i === 0 ? 'normalized' : 'verified',
    createdAt: '2026-01-06T08:00:00Z',
    verifiedAt: '2026-01-20T08:00:00Z',
    decidedAt: '2026-01-20T08:00:00Z',
    amount: janInvestmentAmounts[i],
  })),
  ...many(5, (i) => ({
    provider: '008',
    number: String(2_000_000_000 + i),
    category: 'other_crime',
    status: 'rejected',
    createdAt: '2026-01-07T08:00:00Z',
    decidedAt: '2026-01-31T23:59:59Z',
  })),
  // Feb: 4 shopping on a bank (suppressed), 5 phishing on an e-wallet, 4 amounts in all
  ...many(4, (i) => ({
    provider: '014',
    number: String(3_000_000_000 + i),
    category: 'online_shopping_fraud',
    status: 'verified',
    createdAt: '2026-02-01T00:00:00Z',
    verifiedAt: '2026-02-02T08:00:00Z',
    amount: 10_000 * (i + 1),
  })),
  ...many(5, (i) => ({
    provider: 'ovo',
    number: `08130000${String(2000 + i)}`,
    category: 'social_engineering',
    status: 'verified',
    createdAt: '2026-02-03T08:00:00Z',
    verifiedAt: '2026-02-28T23:00:00Z',
  })),
  // pending: counted as received only
  ...many(2, (i) => ({
    provider: '014',
    number: String(4_000_000_000 + i),
    category: 'online_shopping_fraud',
    status: 'submitted',
    createdAt: '2026-02-10T08:00:00Z',
  })),
  // demo data never counts
  ...many(6, (i) => ({
    provider: '014',
    number: String(5_000_000_000 + i),
    category: 'online_shopping_fraud',
    status: 'verified',
    createdAt: '2026-01-05T08:00:00Z',
    verifiedAt: '2026-01-05T08:00:00Z',
    amount: 1,
    source: 'demo',
  })),
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor((sorted.length - 1) / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid]! + sorted[mid + 1]!) / 2);
}

describeEachDialect('statistics on %s', (dialect) => {
  let runtime: TestRuntime;
  const clock = new ManualClock('2026-03-15T10:00:00Z');

  async function get(url: string, headers: Record<string, string> = {}) {
    return runtime.app.inject({ method: 'GET', url, headers });
  }

  async function statistics(query: string): Promise<Statistics> {
    const response = await get(`/api/v1/statistics${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Statistics>();
  }

  beforeAll(async () => {
    runtime = await startTestRuntime(dialect, { clock });
    const database = runtime.database;
    await insertReports(
      database,
      seed.filter((r) => r.source !== 'demo'),
    );
    await insertReports(
      database,
      seed.filter((r) => r.source === 'demo'),
    );
    await insertRequests(database, 'normalization_requests', [
      ...Array.from({ length: 5 }, () => ({
        status: 'submitted',
        createdAt: '2026-01-03T00:00:00Z',
      })),
      ...Array.from({ length: 5 }, () => ({
        status: 'granted',
        createdAt: '2025-12-20T00:00:00Z',
        decidedAt: '2026-02-10T00:00:00Z',
      })),
      ...Array.from({ length: 2 }, () => ({
        status: 'denied',
        createdAt: '2025-12-20T00:00:00Z',
        decidedAt: '2026-02-11T00:00:00Z',
      })),
    ]);
    await insertRequests(database, 'seller_registrations', [
      ...Array.from({ length: 6 }, () => ({
        status: 'submitted',
        createdAt: '2026-01-04T00:00:00Z',
      })),
      ...Array.from({ length: 4 }, () => ({
        status: 'approved',
        createdAt: '2025-12-04T00:00:00Z',
        decidedAt: '2026-01-04T00:00:00Z',
      })),
      {
        status: 'revoked',
        createdAt: '2025-12-04T00:00:00Z',
        decidedAt: '2026-01-05T00:00:00Z',
      },
    ]);
    const outcome = await runtime.services.statistics.rebuild({ full: true });
    expect(outcome.full).toBe(true);
  });
  afterAll(async () => {
    await runtime?.close();
  });

  it('sums months and categories, suppressing every cell below 5', async () => {
    const body = await statistics('?from=2026-01&to=2026-03');
    expect(body.months.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    const [jan, feb, mar] = body.months;
    expect(jan!.reports).toEqual({ submitted: 16, verified: 11, rejected: 5 });
    expect(jan!.verifiedByCategory.online_shopping_fraud).toBe(7);
    expect(jan!.verifiedByCategory.investment_fraud).toBeNull(); // 4
    expect(jan!.verifiedByCategory.other_crime).toBeNull(); // rejected ones are not verified
    expect(jan!.verifiedByProviderKind).toEqual({ bank: 7, ewallet: null });
    const janAmounts = [...janShoppingAmounts, ...janInvestmentAmounts];
    expect(jan!.reportedLossIdr).toEqual({
      total: janAmounts.reduce((a, v) => a + v, 0),
      median: median(janAmounts),
    });
    expect(jan!.normalizations).toEqual({ submitted: 5, granted: null, denied: null });
    expect(jan!.registrations).toEqual({ submitted: 6, approved: 5 });

    expect(feb!.reports).toEqual({ submitted: 11, verified: 9, rejected: null });
    expect(feb!.verifiedByCategory.online_shopping_fraud).toBeNull(); // 4 → null
    expect(feb!.verifiedByCategory.social_engineering).toBe(5); // 5 → 5
    expect(feb!.verifiedByProviderKind).toEqual({ bank: null, ewallet: 5 });
    expect(feb!.reportedLossIdr).toEqual({ total: null, median: null }); // 4 amounts
    expect(feb!.normalizations).toEqual({ submitted: null, granted: 5, denied: null });
    expect(feb!.registrations).toEqual({ submitted: null, approved: null });

    expect(Object.values(mar!.verifiedByCategory).every((v) => v === null)).toBe(true);
    expect(mar!.reports).toEqual({ submitted: null, verified: null, rejected: null });
    // 7 + 3 + 4 + 5 accounts listed (the normalized one and the demo ones are not); no sellers
    expect(body.totals).toEqual({ listedAccounts: 19, verifiedSellers: null });
    expect(new Date(body.generatedAt).toISOString()).toBe(body.generatedAt);
  });

  it('answers the last 12 months by default, cacheable, with 304 on its ETag', async () => {
    const response = await get('/api/v1/statistics');
    expect(response.statusCode).toBe(200);
    const body = response.json<Statistics>();
    expect(body.months).toHaveLength(12);
    expect(body.months[0]!.month).toBe('2025-04');
    expect(body.months[11]!.month).toBe('2026-03');
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const etag = String(response.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/api/v1/statistics', { 'if-none-match': etag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('refuses bad months, a reversed period and one over 120 months', async () => {
    for (const query of [
      '?from=2026-13',
      '?to=26-01',
      '?from=2026-1&to=2026-03',
      '?from=2026-03&to=2026-01',
      '?from=2000-01&to=2026-01',
      '?from=1999-12&to=2000-01',
    ]) {
      const response = await get(`/api/v1/statistics${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json<{ code: string }>().code).toBe('validation_failed');
    }
    expect((await get('/api/v1/statistics?from=2016-04&to=2026-03')).statusCode).toBe(200);
  });

  it('rebuilds only what changed since the last run, backdated imports included', async () => {
    clock.advance(60_000);
    await insertReports(runtime.database, [
      // verified today: March
      ...many(5, (i) => ({
        provider: '014',
        number: String(6_000_000_000 + i),
        category: 'extortion',
        status: 'verified' as const,
        createdAt: clock.now().toISOString(),
        verifiedAt: clock.now().toISOString(),
      })),
      // imported today, verified in February: the fifth shopping report of February
      {
        provider: '014',
        number: '7000000000',
        category: 'online_shopping_fraud',
        status: 'verified',
        source: 'import',
        createdAt: clock.now().toISOString(),
        verifiedAt: '2026-02-15T00:00:00Z',
        amount: 50_000,
      },
    ]);
    clock.advance(60_000);
    const outcome = await runtime.services.statistics.rebuild();
    expect(outcome.full).toBe(false);
    expect(outcome.months).toBe(2); // February and March
    const [, feb, mar] = (await statistics('?from=2026-01&to=2026-03')).months;
    expect(feb!.verifiedByCategory.online_shopping_fraud).toBe(5);
    expect(feb!.reportedLossIdr).toEqual({
      total: 10_000 + 20_000 + 30_000 + 40_000 + 50_000,
      median: 30_000,
    });
    expect(mar!.verifiedByCategory.extortion).toBe(5);
    expect(mar!.reports.verified).toBe(5);
  });

  it('reads no month when nothing counted changed, and sees a revoked seller after', async () => {
    clock.advance(10 * 60_000);
    await runtime.services.statistics.rebuild();
    clock.advance(10 * 60_000);
    const idle = await runtime.services.statistics.rebuild();
    expect(idle).toMatchObject({ full: false, months: 0 });
    const rebuiltAt = await runtime.services.statistics.rebuiltAt();
    expect(rebuiltAt?.toISOString()).toBe(clock.now().toISOString());

    await runtime.database.db
      .updateTable('seller_registrations')
      .set({ status: 'revoked', rechecked_at: clock.now().toISOString() })
      .where('status', '=', 'approved')
      .execute();
    clock.advance(60_000);
    const after = await runtime.services.statistics.rebuild();
    expect(after).toMatchObject({ full: false, months: 1 });
  });

  it('gives the same figures as CSV (read back by a CSV parser) and JSON', async () => {
    const api = await get('/api/v1/statistics?from=2026-01&to=2026-03');
    const json = await get('/data-terbuka/statistik.json?from=2026-01&to=2026-03');
    expect(json.statusCode).toBe(200);
    expect(json.json()).toEqual(api.json());

    const csv = await get('/data-terbuka/statistik.csv?from=2026-01&to=2026-03');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(
      'attachment; filename="cekrek-statistik-2026-01-2026-03.csv"',
    );
    expect(csv.body.includes('\r\n')).toBe(true);
    const records = parse(csv.body, { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(3 * 14);
    const row = (month: string, category: string) =>
      records.find((r) => r.month === month && r.category === category);
    expect(row('2026-01', 'online_shopping_fraud')).toEqual({
      month: '2026-01',
      category: 'online_shopping_fraud',
      category_name: 'Penipuan transaksi online',
      verified_reports: '7',
      reported_loss_idr: String(janShoppingAmounts.reduce((a, v) => a + v, 0)),
      month_reports_submitted: '16',
      month_reports_verified: '11',
      month_reports_rejected: '5',
      month_reported_loss_median_idr: String(
        median([...janShoppingAmounts, ...janInvestmentAmounts]),
      ),
    });
    expect(row('2026-01', 'investment_fraud')!.verified_reports).toBe('');
    expect(row('2026-01', 'investment_fraud')!.reported_loss_idr).toBe('');
    // A name with a comma comes back whole: quoted as RFC 4180 says.
    expect(row('2026-02', 'social_engineering')!.category_name).toBe(
      'Penipuan berkedok hadiah, lowongan, asmara, phishing',
    );
    expect(row('2026-02', 'social_engineering')!.verified_reports).toBe('5');
    const etag = String(csv.headers.etag);
    const again = await get('/data-terbuka/statistik.csv?from=2026-01&to=2026-03', {
      'if-none-match': etag,
    });
    expect(again.statusCode).toBe(304);
  });

  it('shows the pages, in Indonesian and English, with the method and the licence', async () => {
    const page = await get('/statistik?from=2026-01&to=2026-03');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Statistik</h1>');
    expect(page.body).toContain('diverifikasi atau diputuskan saja');
    expect(page.body).toContain('role="img"');
    expect(page.body).toContain('<td>—</td>');
    expect(page.body).not.toMatch(/style=/);
    const english = await get('/statistik?lang=en');
    expect(english.body).toContain('<h1>Statistics</h1>');
    const bad = await get('/statistik?from=2026-13');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('TTTT-BB');

    const open = await get('/data-terbuka');
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('CC BY 4.0');
    expect(open.body).toContain('https://creativecommons.org/licenses/by/4.0/deed.id');
    expect(open.body).toContain('<code>verified_reports</code>');
    expect(open.body).toContain('/data-terbuka/statistik.csv?from=2025-12&amp;to=2026-03');
    // linked from every public page
    const home = await get('/tentang');
    expect(home.body).toContain('href="/statistik"');
    expect(home.body).toContain('href="/data-terbuka"');
  });
});
