// The check's filter and cache stay correct when other processes write: a
// second connection on SQLite (an import, the command line), a second app
// instance on PostgreSQL (LISTEN/NOTIFY).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createRuntime, type Runtime } from '../src/main.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';
import { seedDispute, seedReports } from './support/factories.ts';

async function runtimeOn(t: TestDatabase): Promise<Runtime> {
  const config = loadConfig({
    ...t.env,
    CEKREK_DEMO: 'off',
    CHECK_RATE_LIMIT: '0',
    LOG_LEVEL: 'silent',
  });
  return createRuntime(config, { logger: false });
}

async function statusOf(runtime: Runtime, provider: string, number: string) {
  const response = await runtime.app.inject(`/api/v1/accounts/${provider}/${number}`);
  return response.json<{ status: string; reports: { verified: number } }>();
}

for (const dialect of dialects) {
  describeOn(dialect)(`check cache on ${dialect}`, () => {
    let t: TestDatabase;
    let first: Runtime;
    let second: Runtime;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      first = await runtimeOn(t);
      second = await runtimeOn(t);
    });
    afterAll(async () => {
      await first?.close();
      await second?.close();
      await t?.close();
    });

    it('shows a report written by another connection at once, in every instance', async () => {
      expect((await statusOf(first, '014', '1000000001')).status).toBe('clear');
      expect((await statusOf(second, '014', '1000000001')).status).toBe('clear');
      await seedReports(t.database, [{ provider: '014', number: '1000000001' }]);
      for (const runtime of [first, second]) {
        await expect
          .poll(async () => (await statusOf(runtime, '014', '1000000001')).status, {
            timeout: 3000,
          })
          .toBe('reported');
      }
    });

    it('replaces a cached answer when the account changes', async () => {
      await seedReports(t.database, [{ provider: '008', number: '2000000000002' }]);
      await expect
        .poll(async () => (await statusOf(second, '008', '2000000000002')).status, {
          timeout: 3000,
        })
        .toBe('reported');
      // Cached now in both; a dispute opened elsewhere must replace it.
      expect((await statusOf(first, '008', '2000000000002')).status).toBe('reported');
      await seedDispute(t.database, '008', '2000000000002', '2026-02-01T00:00:00Z');
      for (const runtime of [first, second]) {
        await expect
          .poll(async () => (await statusOf(runtime, '008', '2000000000002')).status, {
            timeout: 3000,
          })
          .toBe('disputed');
      }
    });

    it('shows a change made through one instance in the other', async () => {
      await seedReports(second.database, [{ provider: 'dana', number: '081300000003' }]).then(
        (keys) => second.checks.changed(keys),
      );
      expect((await statusOf(second, 'dana', '081300000003')).status).toBe('reported');
      await expect
        .poll(async () => (await statusOf(first, 'dana', '081300000003')).reports.verified, {
          timeout: 3000,
        })
        .toBe(1);
      await seedReports(first.database, [
        { provider: 'dana', number: '081300000003', category: 'extortion' },
      ]).then((keys) => first.checks.changed(keys));
      expect((await statusOf(first, 'dana', '081300000003')).reports.verified).toBe(2);
      await expect
        .poll(async () => (await statusOf(second, 'dana', '081300000003')).reports.verified, {
          timeout: 3000,
        })
        .toBe(2);
    });

    it('rebuilds from the database when changes may have been missed', async () => {
      await seedReports(t.database, [{ provider: '009', number: '3000000003' }]);
      await first.checks.rebuild();
      expect((await statusOf(first, '009', '3000000003')).status).toBe('reported');
    });
  });
}
