// The database suite runs every test on both dialects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
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

export const dialects: readonly DialectName[] = inject('postgres')
  ? ['sqlite', 'postgres']
  : ['sqlite'];

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
