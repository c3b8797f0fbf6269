// The accounts repository on both databases: summaries follow the reports,
// registrations and normalization requests they are computed from.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toAccountRef } from '../src/shared/account-number.ts';
import {
  ensureAccounts,
  findSummary,
  listedKeysOf,
  preparedSummaryLookup,
  refreshSummaries,
  summaryRowToSummary,
} from '../src/accounts/accounts.repository.ts';
import { statusOf } from '../src/accounts/check.ts';
import type { ReportStatus } from '../src/db/schema.ts';
import { pendingMigrations } from '../src/db/migrate.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

const now = new Date('2026-06-01T10:00:00.000Z');

for (const dialect of dialects) {
  describeOn(dialect)(`accounts repository on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await t.close();
    });

    async function account(provider: string, number: string): Promise<number> {
      const ref = toAccountRef(provider, number);
      const ids = await ensureAccounts(t.database.db, [ref], now);
      return ids.get(ref.key)!;
    }

    async function report(accountId: number, status: ReportStatus, category: string, at: string) {
      await t.database.db
        .insertInto('reports')
        .values({
          account_id: accountId,
          status,
          category,
          source: 'public',
          reported_at: new Date(at),
          created_at: new Date(at),
          updated_at: new Date(at),
        })
        .execute();
    }

    async function refresh(...ids: number[]) {
      return t.database.db
        .transaction()
        .execute((trx) => refreshSummaries(trx, t.database.dialect, ids, now));
    }

    it('has run every migration', async () => {
      expect(await pendingMigrations(t.database.db)).toEqual([]);
    });

    it('creates an account once and returns the same id', async () => {
      const ref = toAccountRef('014', '1111111111');
      const first = await ensureAccounts(t.database.db, [ref, ref], now);
      const second = await ensureAccounts(t.database.db, [ref], now);
      expect(first.get(ref.key)).toBeGreaterThan(0);
      expect(second.get(ref.key)).toBe(first.get(ref.key));
    });

    it('counts only verified reports, by category, with first and last dates', async () => {
      const id = await account('014', '2222222222');
      await report(id, 'verified', 'online_shopping_fraud', '2026-01-02T03:04:05Z');
      await report(id, 'verified', 'online_shopping_fraud', '2026-03-01T00:00:00Z');
      await report(id, 'verified', 'investment_fraud', '2026-02-03T04:05:06Z');
      await report(id, 'submitted', 'narcotics', '2026-04-01T00:00:00Z');
      await report(id, 'rejected', 'narcotics', '2026-04-01T00:00:00Z');
      await report(id, 'normalized', 'terrorism', '2025-01-01T00:00:00Z');
      expect(await refresh(id)).toEqual(['014:2222222222']);

      const summary = await findSummary(t.database.db, '014:2222222222');
      expect(summary).toMatchObject({
        verifiedCount: 3,
        categoryCounts: { online_shopping_fraud: 2, investment_fraud: 1 },
        firstReportedAt: new Date('2026-01-02T03:04:05Z'),
        lastReportedAt: new Date('2026-03-01T00:00:00Z'),
        disputeSince: null,
        normalizedAt: null,
        verifiedSeller: null,
      });
      expect(statusOf(summary!)).toBe('reported');
    });

    it('marks a dispute while a normalization is pending, then normalized when granted', async () => {
      const id = await account('008', '3333333333333');
      await report(id, 'verified', 'online_shopping_fraud', '2026-01-02T00:00:00Z');
      const request = await t.database.db
        .insertInto('normalization_requests')
        .values({
          account_id: id,
          status: 'submitted',
          channel: 'online',
          created_at: new Date('2026-05-01T00:00:00Z'),
          updated_at: new Date('2026-05-01T00:00:00Z'),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await refresh(id);
      let summary = await findSummary(t.database.db, '008:3333333333333');
      expect(summary?.disputeSince).toEqual(new Date('2026-05-01T00:00:00Z'));
      expect(statusOf(summary!)).toBe('disputed');

      await t.database.db
        .updateTable('reports')
        .set({ status: 'normalized' })
        .where('account_id', '=', id)
        .execute();
      await t.database.db
        .updateTable('normalization_requests')
        .set({ status: 'granted', decided_at: new Date('2026-05-10T00:00:00Z') })
        .where('id', '=', request.id)
        .execute();
      await refresh(id);
      summary = await findSummary(t.database.db, '008:3333333333333');
      expect(summary).toMatchObject({
        verifiedCount: 0,
        categoryCounts: {},
        disputeSince: null,
        normalizedAt: new Date('2026-05-10T00:00:00Z'),
      });
      expect(statusOf(summary!)).toBe('normalized');

      // A later verified report counts as usual.
      await report(id, 'verified', 'extortion', '2026-05-20T00:00:00Z');
      await refresh(id);
      summary = await findSummary(t.database.db, '008:3333333333333');
      expect(statusOf(summary!)).toBe('reported');
      expect(summary?.categoryCounts).toEqual({ extortion: 1 });
    });

    it('shows the approved seller with a masked name', async () => {
      const id = await account('ovo', '0812-1111-2222');
      await t.database.db
        .insertInto('seller_registrations')
        .values({
          account_id: id,
          status: 'approved',
          business_name: 'Toko Maju',
          holder_name: 'Siti Rahmawati',
          holder_name_masked: 'S*** R********',
          decided_at: new Date('2026-04-04T00:00:00Z'),
          created_at: now,
          updated_at: now,
        })
        .execute();
      await refresh(id);
      const summary = await findSummary(t.database.db, 'ovo:6281211112222');
      expect(summary?.verifiedSeller).toEqual({
        businessName: 'Toko Maju',
        holderName: 'S*** R********',
        verifiedAt: new Date('2026-04-04T00:00:00Z'),
      });
      expect(statusOf(summary!)).toBe('clear');
    });

    it('lists the keys of listed accounts only, across pages', async () => {
      const quiet = await account('009', '4444444444');
      await report(quiet, 'submitted', 'other_crime', '2026-01-01T00:00:00Z');
      await refresh(quiet);
      const keys: string[] = [];
      for await (const key of listedKeysOf(t.database, 1)()) keys.push(key);
      expect(keys).toEqual(
        expect.arrayContaining(['014:2222222222', '008:3333333333333', 'ovo:6281211112222']),
      );
      expect(keys).not.toContain('009:4444444444');
      expect(keys).not.toContain('014:1111111111');
    });

    it('answers the prepared lookup like the query builder', async () => {
      const lookup = preparedSummaryLookup(t.database);
      const row = await lookup('014:2222222222');
      expect(summaryRowToSummary(row!)).toEqual(await findSummary(t.database.db, '014:2222222222'));
      expect(await lookup('014:0000000000')).toBeUndefined();
      expect(await lookup("014:1' OR '1'='1")).toBeUndefined();
    });

    it('keeps hostile text as data', async () => {
      const id = await account('014', '5555555555');
      const hostile = `Robert'); DROP TABLE accounts;-- <script>alert(1)</script>`;
      await t.database.db
        .insertInto('seller_registrations')
        .values({
          account_id: id,
          status: 'approved',
          business_name: hostile,
          holder_name: hostile,
          holder_name_masked: hostile,
          decided_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await refresh(id);
      const summary = await findSummary(t.database.db, '014:5555555555');
      expect(summary?.verifiedSeller?.businessName).toBe(hostile);
    });
  });
}
