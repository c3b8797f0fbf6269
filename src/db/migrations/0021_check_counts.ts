// How many distinct clients checked an account (src/statistics/check-counts.ts):
// one row per UTC day holding the day's count-min sketch and pair filter as
// bytes, each process adding what it counted and OR-ing what it saw; and per
// hour the accounts checked by the most distinct clients (space-saving top-K,
// merged by adding), for the operators' early warning.
import { type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const bytes = t.isPostgres ? 'bytea' : 'blob';

  await db.schema
    .createTable('check_count_days')
    // 'YYYY-MM-DD', UTC
    .addColumn('day', 'text', (c) => c.primaryKey())
    // depth × width 16-bit counters, little-endian
    .addColumn('counts', bytes, (c) => c.notNull())
    // the day's (account, client) pair filter, 32-bit words, little-endian
    .addColumn('pairs', bytes, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('check_count_hours')
    // hours since 1970-01-01T00:00Z
    .addColumn('hour', 'integer', (c) => c.notNull())
    .addColumn('account_key', 'text', (c) => c.notNull())
    // distinct clients new to the account that day, counted in this hour (an upper bound)
    .addColumn('clients', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('check_count_hours_pk', ['hour', 'account_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('check_count_hours').execute();
  await db.schema.dropTable('check_count_days').execute();
}
