// The SQLite change log after a large import: entries older than the
// retention are pruned in bounded batches (a prune reads a few thousand rows
// by key, never the whole log), until none is left, without a rebuild and
// without touching the entries still within the retention.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  SqliteChangeFeed,
  sqliteLogBoundsSql,
  type ChangeListener,
} from '../src/accounts/change-feed.ts';
import { createTestDatabase, describeOn, type TestDatabase } from './support/databases.ts';

let testDatabase: TestDatabase;

beforeAll(async () => {
  testDatabase = await createTestDatabase('sqlite');
});
afterAll(() => testDatabase?.close());

describeOn('sqlite')('the SQLite change log', () => {
  it('prunes twelve thousand old entries in bounded batches and keeps the recent ones', async () => {
    const { database } = testDatabase;
    if (database.dialect !== 'sqlite') throw new Error('sqlite only');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
    const recent = new Date().toISOString();
    const insert = database.sqlite.prepare(
      'INSERT INTO account_changes (key, changed_at) VALUES (?, ?)',
    );
    database.sqlite.transaction(() => {
      for (let i = 0; i < 12_000; i++) insert.run(`014:${1_000_000_000 + i}`, old);
      for (let i = 0; i < 10; i++) insert.run(`014:${2_000_000_000 + i}`, recent);
    })();
    const rebuilds: number[] = [];
    const listener: ChangeListener = {
      changed: () => undefined,
      interrupted: () => undefined,
      resumed: () => undefined,
      rebuild: () => {
        rebuilds.push(Date.now());
        return Promise.resolve();
      },
    };
    const feed = new SqliteChangeFeed(database.sqlite, { info() {}, warn() {} });
    await feed.start(listener);
    const count = () =>
      (database.sqlite.prepare('SELECT count(*) AS n FROM account_changes').get() as { n: number })
        .n;
    // Sampled between the feed's ticks: each prune leaves the log part way down.
    const seen = new Set<number>();
    const deadline = Date.now() + 10_000;
    while (count() > 10 && Date.now() < deadline) {
      seen.add(count());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(count()).toBe(10);
    expect([...seen].some((n) => n > 10 && n < 12_010)).toBe(true);
    await feed.close();
    const kept = database.sqlite
      .prepare('SELECT key FROM account_changes ORDER BY seq')
      .pluck()
      .all() as string[];
    expect(kept).toEqual(Array.from({ length: 10 }, (_, i) => `014:${2_000_000_000 + i}`));
    expect(rebuilds).toEqual([]);
  });

  it('reads the bounds of the log from the ends of its key, never by a scan', () => {
    const { database } = testDatabase;
    if (database.dialect !== 'sqlite') throw new Error('sqlite only');
    const plan = database.sqlite.prepare(`EXPLAIN QUERY PLAN ${sqliteLogBoundsSql}`).all() as {
      detail: string;
    }[];
    const details = plan.map((row) => row.detail);
    expect(details.some((detail) => detail.startsWith('SCAN account_changes'))).toBe(false);
    expect(details.filter((detail) => detail.includes('SEARCH account_changes'))).toHaveLength(2);
  });
});
