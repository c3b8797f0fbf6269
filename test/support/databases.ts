// The database suite runs every test on both dialects. Without a reachable
// PostgreSQL (and without CI=true, where global-setup fails the run) its half
// is registered and skipped, so the runner's summary counts what did not run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import { openDatabase, type Database, type DialectName } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createTestPostgres } from './postgres.ts';

export interface TestDatabase {
  readonly database: Database;
  /** The environment a cekrek process needs to open this same database. */
  readonly env: Record<string, string>;
  readonly dataDir: string;
  close(): Promise<void>;
}

export const dialects: readonly DialectName[] = ['sqlite', 'postgres'];

export function dialectReachable(dialect: DialectName): boolean {
  if (dialect === 'sqlite') return true;
  const probed = inject('postgres');
  // Unprobed would read as unreachable and skip even under CI=true: say so instead.
  if (probed === undefined) {
    throw new Error(
      'PostgreSQL was not probed: a suite over both databases belongs to the db, http or browser tier, whose global setup probes it (test/support/tiers.ts)',
    );
  }
  return probed;
}

/**
 * `describe` for one dialect's suite: skipped, and counted as skipped, when
 * that database is unreachable. Every suite over `dialects` is declared with
 * it: `for (const dialect of dialects) describeOn(dialect)(title, body)`.
 */
export function describeOn(dialect: DialectName) {
  return describe.skipIf(!dialectReachable(dialect));
}

/** `describe.each(dialects)` with each dialect's suite skipped when unreachable; `%s` is the dialect. */
export function describeEachDialect(title: string, body: (dialect: DialectName) => void): void {
  for (const dialect of dialects) {
    describeOn(dialect)(title.replaceAll('%s', dialect), () => body(dialect));
  }
}

export function tempDir(prefix = 'cekrek-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh, migrated database of the dialect, with its own DATA_DIR. */
export async function createTestDatabase(
  dialect: DialectName,
  options: { migrate?: boolean } = {},
): Promise<TestDatabase> {
  const dataDir = tempDir();
  if (dialect === 'sqlite') {
    const file = join(dataDir, 'cekrek.db');
    const database = openDatabase({ kind: 'sqlite', file });
    if (options.migrate ?? true) await migrateToLatest(database.db);
    return {
      database,
      dataDir,
      env: { DATA_DIR: dataDir },
      async close() {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  if (!dialectReachable('postgres')) {
    throw new Error(
      'PostgreSQL is unreachable: declare the suite with describeOn(dialect) so it is skipped',
    );
  }
  const pg = await createTestPostgres();
  const database = openDatabase({ kind: 'postgres', url: pg.url, poolSize: 4 });
  if (options.migrate ?? true) await migrateToLatest(database.db);
  return {
    database,
    dataDir,
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: pg.url,
      CEKREK_SECRET_KEY: 'test-secret-key-000000000000000000000',
    },
    async close() {
      await database.close();
      await pg.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
