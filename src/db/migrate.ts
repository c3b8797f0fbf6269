// Versioned migrations, applied in name order. `cekrek migrate` runs them and
// `cekrek serve` runs them on start; /readyz reports whether they are current.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001_accounts.ts';
import * as m0002 from './migrations/0002_operators_audit.ts';
import * as m0003 from './migrations/0003_files.ts';
import * as m0004 from './migrations/0004_jobs.ts';
import * as m0005 from './migrations/0005_reports.ts';
import * as m0006 from './migrations/0006_registrations.ts';
import * as m0007 from './migrations/0007_normalizations.ts';
import * as m0008 from './migrations/0008_report_indexes.ts';
import * as m0009 from './migrations/0009_reports_account_check.ts';
import * as m0010 from './migrations/0010_operator_changes.ts';
import * as m0011 from './migrations/0011_audit_checkpoints.ts';
import * as m0012 from './migrations/0012_personal_data.ts';
import * as m0013 from './migrations/0013_ticket_contact.ts';
import * as m0014 from './migrations/0014_reporter_hearing.ts';
import * as m0015 from './migrations/0015_account_key_hash.ts';
import * as m0016 from './migrations/0016_partners.ts';
import * as m0017 from './migrations/0017_partner_reports.ts';
import * as m0018 from './migrations/0018_webhooks.ts';
import * as m0019 from './migrations/0019_import_chunks.ts';
import * as m0020 from './migrations/0020_statistics.ts';
import * as m0021 from './migrations/0021_check_counts.ts';
import * as m0022 from './migrations/0022_report_partial_indexes.ts';

export const migrations: Readonly<Record<string, Migration>> = {
  '0001_accounts': m0001,
  '0002_operators_audit': m0002,
  '0003_files': m0003,
  '0004_jobs': m0004,
  '0005_reports': m0005,
  '0006_registrations': m0006,
  '0007_normalizations': m0007,
  '0008_report_indexes': m0008,
  '0009_reports_account_check': m0009,
  '0010_operator_changes': m0010,
  '0011_audit_checkpoints': m0011,
  '0012_personal_data': m0012,
  '0013_ticket_contact': m0013,
  '0014_reporter_hearing': m0014,
  '0015_account_key_hash': m0015,
  '0016_partners': m0016,
  '0017_partner_reports': m0017,
  '0018_webhooks': m0018,
  '0019_import_chunks': m0019,
  '0020_statistics': m0020,
  '0021_check_counts': m0021,
  '0022_report_partial_indexes': m0022,
};

const provider: MigrationProvider = { getMigrations: () => Promise.resolve({ ...migrations }) };

function migratorFor<T>(db: Kysely<T>): Migrator {
  return new Migrator({
    db: db as Kysely<unknown>,
    provider,
    migrationTableName: 'schema_migrations',
  });
}

/**
 * The `meta` key that says no personal value is stored in clear. Code that
 * creates a database seals every value it writes, so a database created from
 * nothing gets the marker at once and its first start has nothing to scan
 * (seal-personal-data.ts seals what older versions left).
 */
export const personalDataSealedMarker = 'personal_data_sealed';

const firstMigration = '0001_accounts';

export interface MigrationOutcome {
  readonly applied: readonly string[];
}

export async function migrateToLatest<T>(db: Kysely<T>): Promise<MigrationOutcome> {
  const { error, results } = await migratorFor(db).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  const applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (applied.includes(firstMigration)) {
    await sql`insert into meta (key, value) values (${personalDataSealedMarker}, ${new Date().toISOString()})
      on conflict (key) do nothing`.execute(db);
  }
  return { applied };
}

/** Migrations this code knows of that the database has not run. */
export async function pendingMigrations<T>(db: Kysely<T>): Promise<string[]> {
  const all = await migratorFor(db).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/**
 * Whether the database answers and runs the code's schema: 'current', or the
 * number of migrations still to run. Throws what the driver throws when the
 * database cannot be reached.
 */
export async function schemaState<T>(db: Kysely<T>): Promise<'current' | number> {
  await sql`select 1`.execute(db);
  const pending = await pendingMigrations(db);
  return pending.length === 0 ? 'current' : pending.length;
}
