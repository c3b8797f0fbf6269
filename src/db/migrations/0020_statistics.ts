// Monthly statistics, precomputed: the public figures (/api/v1/statistics,
// /statistik, /data-terbuka) are read from these rows only, never by scanning
// the reports per request. One row per month, measure and dimension (a
// category code, a provider kind, or '' for none); the month's median loss is
// computed when the month is rebuilt and stored, since medians cannot be summed.
// The time indexes let a rebuild read one month of each table by range.
import { type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('statistics_monthly')
    // 'YYYY-MM', UTC
    .addColumn('month', 'text', (c) => c.notNull())
    // e.g. 'reports_verified', 'verified_by_category', 'normalizations_granted'
    .addColumn('measure', 'text', (c) => c.notNull())
    // a category code or a provider kind; '' when the measure has no dimension
    .addColumn('dimension', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    // the reported losses (IDR) of the counted reports that gave an amount
    .addColumn('amount_count', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('amount_total', 'bigint', (c) => c.notNull().defaultTo(0))
    // the month's median amount, null when fewer than 5 amounts were given
    .addColumn('amount_median', 'bigint')
    .addPrimaryKeyConstraint('statistics_monthly_pk', ['month', 'measure', 'dimension'])
    .execute();

  // One row: when the aggregates were last rebuilt, from when changes are looked for, the totals.
  await db.schema
    .createTable('statistics_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('rebuilt_at', t.timestamp, (c) => c.notNull())
    // the next rebuild looks at what changed from this time on
    .addColumn('watermark', t.timestamp, (c) => c.notNull())
    .addColumn('listed_accounts', 'bigint', (c) => c.notNull())
    .addColumn('verified_sellers', 'bigint', (c) => c.notNull())
    .execute();

  const timeIndexes: [string, string, string][] = [
    ['reports_created_at', 'reports', 'created_at'],
    ['reports_verified_at', 'reports', 'verified_at'],
    ['reports_decided_at', 'reports', 'decided_at'],
    ['normalization_requests_created_at', 'normalization_requests', 'created_at'],
    ['normalization_requests_decided_at', 'normalization_requests', 'decided_at'],
    ['seller_registrations_created_at', 'seller_registrations', 'created_at'],
    ['seller_registrations_decided_at', 'seller_registrations', 'decided_at'],
  ];
  for (const [name, table, column] of timeIndexes) {
    await db.schema.createIndex(name).ifNotExists().on(table).column(column).execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    'reports_created_at',
    'reports_verified_at',
    'reports_decided_at',
    'normalization_requests_created_at',
    'normalization_requests_decided_at',
    'seller_registrations_created_at',
    'seller_registrations_decided_at',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
  await db.schema.dropTable('statistics_state').execute();
  await db.schema.dropTable('statistics_monthly').execute();
}
