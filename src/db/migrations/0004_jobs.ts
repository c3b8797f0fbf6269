// Durable background jobs (mail, webhooks, maintenance), written in the
// transaction of the change that causes them and run by the worker loop.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

const pending = sql<boolean>`${sql.ref('done_at')} is null and ${sql.ref('failed_at')} is null`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('jobs')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    // At most one pending job per key (recurring maintenance, coalesced work).
    .addColumn('dedupe_key', 'text')
    .addColumn('run_at', t.timestamp, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', t.timestamp)
    .addColumn('done_at', t.timestamp)
    .addColumn('failed_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();

  // Claiming reads only pending jobs, the few among many finished ones.
  await db.schema
    .createIndex('jobs_due')
    .on('jobs')
    .columns(['run_at', 'id'])
    .where(pending)
    .execute();
  await db.schema
    .createIndex('jobs_pending_key')
    .on('jobs')
    .column('dedupe_key')
    .unique()
    .where(pending)
    .execute();
  // Pruning finds old finished jobs without scanning pending ones.
  await db.schema.createIndex('jobs_done').on('jobs').column('done_at').execute();
  await db.schema.createIndex('jobs_failed').on('jobs').column('failed_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('jobs').ifExists().execute();
}
