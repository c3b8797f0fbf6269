// Reports from partners: a report remembers the partner that filed or
// imported it; a keyed filing may carry an Idempotency-Key, whose first answer
// is kept (sealed: it holds a tracking code) so a retry gets it back; and a
// CSV sent over the API waits in partner_imports for the job that loads it,
// with the counts and bad lines the partner reads back.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .alterTable('reports')
    .addColumn('partner_id', 'bigint', (c) => c.references('partners.id'))
    .execute();
  await db.schema.createIndex('reports_partner').on('reports').column('partner_id').execute();
  // the partner import that loaded it: its count survives a restart of the import
  await db.schema.alterTable('reports').addColumn('import_id', 'bigint').execute();
  await db.schema.createIndex('reports_import').on('reports').column('import_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    // SHA-256 of the normalized fields and each file's SHA-256
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    // the first answer, SecretBox-sealed JSON
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['partner_id', 'idempotency_key'])
    .execute();
  await db.schema
    .createIndex('idempotency_keys_created')
    .on('idempotency_keys')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('partner_imports')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    .addColumn('key_id', 'bigint', (c) => c.notNull().references('partner_keys.id'))
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed')`),
    )
    // the CSV as sent, until it is loaded
    .addColumn('body', 'text')
    .addColumn('rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON array of { line, message }
    .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('partner_imports_partner')
    .on('partner_imports')
    .column('partner_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('partner_imports').execute();
  await db.schema.dropTable('idempotency_keys').execute();
  await db.schema.dropIndex('reports_import').execute();
  await db.schema.alterTable('reports').dropColumn('import_id').execute();
  await db.schema.dropIndex('reports_partner').execute();
  await db.schema.alterTable('reports').dropColumn('partner_id').execute();
}
