// The tables the check reads: accounts with their public summary, and the
// reports, seller registrations and normalization requests it is derived from.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

const reportStatuses = ['submitted', 'in_review', 'verified', 'rejected', 'normalized'];
const reportSources = ['public', 'import', 'partner', 'demo'];
const registrationStatuses = ['submitted', 'in_review', 'approved', 'rejected', 'revoked'];
const normalizationStatuses = [
  'submitted',
  'in_review',
  'mediation',
  'proposed',
  'granted',
  'denied',
];

function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('accounts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('demo', t.flag, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('verified_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('category_counts', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('first_reported_at', t.timestamp)
    .addColumn('last_reported_at', t.timestamp)
    .addColumn('dispute_since', t.timestamp)
    .addColumn('normalized_at', t.timestamp)
    .addColumn('seller_business_name', 'text')
    .addColumn('seller_holder_name', 'text')
    .addColumn('seller_verified_at', t.timestamp)
    .execute();

  await db.schema
    .createTable('reports')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('ticket', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', reportStatuses)))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(oneOf('source', reportSources)))
    .addColumn('source_id', 'text')
    .addColumn('holder_name', 'text')
    .addColumn('reported_at', t.timestamp, (c) => c.notNull())
    .addColumn('verified_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reports_account_status')
    .on('reports')
    .columns(['account_id', 'status'])
    .execute();
  await db.schema
    .createIndex('reports_source_id')
    .on('reports')
    .columns(['source', 'source_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('reports_status_created')
    .on('reports')
    .columns(['status', 'created_at'])
    .execute();

  await db.schema
    .createTable('seller_registrations')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('ticket', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', registrationStatuses)))
    .addColumn('business_name', 'text', (c) => c.notNull())
    .addColumn('holder_name', 'text', (c) => c.notNull())
    .addColumn('decided_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('seller_registrations_account')
    .on('seller_registrations')
    .columns(['account_id', 'status'])
    .execute();

  await db.schema
    .createTable('normalization_requests')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
    .addColumn('ticket', 'text', (c) => c.unique())
    .addColumn('status', 'text', (c) => c.notNull().check(oneOf('status', normalizationStatuses)))
    .addColumn('channel', 'text', (c) =>
      c.notNull().check(oneOf('channel', ['online', 'service_desk'])),
    )
    .addColumn('decided_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('normalization_requests_account')
    .on('normalization_requests')
    .columns(['account_id', 'status'])
    .execute();

  if (!t.isPostgres) {
    // PostgreSQL tells other processes of changes with LISTEN/NOTIFY; SQLite
    // has no such channel, so writers append here and readers follow `seq`.
    await db.schema
      .createTable('account_changes')
      .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('changed_at', t.timestamp, (c) => c.notNull())
      .execute();
  }

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'meta',
    'account_changes',
    'normalization_requests',
    'seller_registrations',
    'reports',
    'accounts',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
