// The check counts on both databases: what one process counted survives a
// flush and a restart; two processes' counts add up (and a pair one saw is
// not counted again by the other after both flushed); a day's counts stay in
// the 30-day window and leave it after; the early warning lists the accounts
// over the threshold without a verified report, fastest rising first, with
// their reports waiting for review.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { CheckCounts } from '../src/statistics/check-counts.ts';
import type { SketchShape } from '../src/statistics/check-sketch.ts';
import {
  createTestDatabase,
  describeOn,
  dialects,
  type TestDatabase,
} from './support/databases.ts';
import { seedReports } from './support/factories.ts';

const shape: SketchShape = { counters: 1 << 14, filterBits: 1 << 16 };
const hour = 3_600_000;
const day = 24 * hour;

for (const dialect of dialects) {
  describeOn(dialect)(`the check counts on ${dialect}`, () => {
    let testDatabase: TestDatabase;
    const opened: CheckCounts[] = [];

    beforeAll(async () => {
      testDatabase = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      for (const counts of opened) await counts.close();
      await testDatabase?.close();
    });

    /** One app process's counts over the shared database. */
    function appProcess(clock: ManualClock): CheckCounts {
      const counts = new CheckCounts({
        database: testDatabase.database,
        clock,
        enabled: true,
        flushMs: 3_600_000,
        shape,
        topAccounts: 50,
      });
      opened.push(counts);
      return counts;
    }

    function countClients(counts: CheckCounts, key: string, from: number, to: number) {
      for (let i = from; i < to; i++) counts.count(key, `192.0.2.${i}`);
    }

    it('keeps what a process counted across a flush and a restart', async () => {
      const clock = new ManualClock('2026-04-10T08:00:00Z');
      const first = appProcess(clock);
      countClients(first, '014:7000000001', 0, 12);
      countClients(first, '014:7000000001', 0, 12);
      expect(first.bucket('014:7000000001')).toBe('10+');
      await first.close();

      const restarted = appProcess(clock);
      expect(restarted.bucket('014:7000000001')).toBe('none');
      await restarted.flush();
      expect(restarted.bucket('014:7000000001')).toBe('10+');
      expect(restarted.bucket('014:7000000002')).toBe('none');
    });

    it("adds two processes' counts, and neither counts again a pair the other saw", async () => {
      const clock = new ManualClock('2026-04-11T08:00:00Z');
      const a = appProcess(clock);
      const b = appProcess(clock);
      await a.flush();
      await b.flush();
      countClients(a, '014:7000000003', 0, 5);
      countClients(b, '014:7000000003', 5, 10);
      await a.flush();
      await b.flush();
      // a read back before b added: a second flush brings b's counts.
      expect(a.bucket('014:7000000003')).toBe('1+');
      await a.flush();
      expect(a.bucket('014:7000000003')).toBe('10+');
      expect(b.bucket('014:7000000003')).toBe('10+');

      countClients(a, '014:7000000006', 0, 5);
      countClients(b, '014:7000000006', 5, 9);
      await a.flush();
      await b.flush();
      await a.flush();
      expect(a.bucket('014:7000000006')).toBe('1+');
      // The clients b saw: a, having read b's pairs back, does not count them again.
      countClients(a, '014:7000000006', 5, 9);
      await a.flush();
      await b.flush();
      expect(a.bucket('014:7000000006')).toBe('1+');
      expect(b.bucket('014:7000000006')).toBe('1+');
      const rows = await testDatabase.database.db
        .selectFrom('check_count_days')
        .select('day')
        .where('day', '=', '2026-04-11')
        .execute();
      expect(rows).toHaveLength(1);
    });

    it('counts a day for 30 days, then forgets it', async () => {
      const clock = new ManualClock('2026-05-01T10:00:00Z');
      const counts = appProcess(clock);
      await counts.flush();
      countClients(counts, '014:7000000005', 0, 10);
      await counts.flush();
      clock.advance(day);
      await counts.flush();
      expect(counts.bucket('014:7000000005')).toBe('10+');
      clock.advance(28 * day);
      await counts.flush();
      expect(counts.bucket('014:7000000005')).toBe('10+');
      clock.advance(day);
      await counts.flush();
      expect(counts.bucket('014:7000000005')).toBe('none');
    });

    it('warns of accounts without verified reports over the threshold, fastest rising first', async () => {
      await seedReports(testDatabase.database, [
        { provider: '014', number: '7100000004', status: 'verified' },
        { provider: '014', number: '7100000001', status: 'submitted' },
      ]);
      const now = new Date('2026-06-10T12:30:00Z');
      const clock = new ManualClock(new Date(now.getTime() - 30 * hour));
      const counts = appProcess(clock);
      await counts.flush();
      // The 24 hours before: the steady one already had 20 clients.
      countClients(counts, '014:7100000002', 0, 20);
      await counts.flush();
      clock.set(new Date(now.getTime() - hour));
      await counts.flush();
      countClients(counts, '014:7100000001', 0, 30); // new: 30 against 0
      countClients(counts, '014:7100000002', 100, 125); // 25 against 20
      countClients(counts, '014:7100000003', 0, 5); // under the threshold
      countClients(counts, '014:7100000004', 0, 40); // reported and verified
      await counts.flush();
      clock.set(now);

      const warnings = await counts.earlyWarnings(20);
      expect(warnings.minClients).toBe(20);
      // An account's first client in 30 days is not counted here (it spares the top-K the long tail).
      expect(warnings.accounts.map((a) => [a.key, a.recent, a.previous])).toEqual([
        ['014:7100000001', 29, 0],
        ['014:7100000002', 25, 19],
      ]);
      const [rising] = warnings.accounts;
      expect(rising!.pendingReports).toHaveLength(1);
      expect(rising!.pendingReports[0]!.status).toBe('submitted');
      expect(warnings.accounts[1]!.pendingReports).toEqual([]);

      expect((await counts.earlyWarnings(26)).accounts.map((a) => a.key)).toEqual([
        '014:7100000001',
      ]);
    });

    it('counts nothing when switched off', async () => {
      const clock = new ManualClock('2026-07-01T08:00:00Z');
      const off = new CheckCounts({
        database: testDatabase.database,
        clock,
        enabled: false,
        shape,
      });
      countClients(off, '014:7200000001', 0, 20);
      expect(off.bucket('014:7200000001')).toBe('none');
      await off.close();
      const stored = await testDatabase.database.db
        .selectFrom('check_count_days')
        .select('day')
        .where('day', '=', '2026-07-01')
        .execute();
      expect(stored).toEqual([]);
    });
  });
}
