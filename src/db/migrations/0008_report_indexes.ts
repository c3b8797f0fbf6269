// Leaner indexes on reports, for the bulk import: every imported row paid for
// an index that repeated reports_status_created, and for two indexes on the
// reporter's and the client's hashes that an imported report never has. The
// hash indexes now hold only the reports that have one (public submissions).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reports_queue').execute();
  await db.schema.dropIndex('reports_reporter').execute();
  await db.schema.dropIndex('reports_client').execute();
  await db.schema
    .createIndex('reports_reporter')
    .on('reports')
    .columns(['reporter_email_hash', 'account_id'])
    .where(sql.ref('reporter_email_hash'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('reports_client')
    .on('reports')
    .columns(['client_hash', 'account_id'])
    .where(sql.ref('client_hash'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reports_client').execute();
  await db.schema.dropIndex('reports_reporter').execute();
  await db.schema
    .createIndex('reports_reporter')
    .on('reports')
    .columns(['reporter_email_hash', 'account_id'])
    .execute();
  await db.schema
    .createIndex('reports_client')
    .on('reports')
    .columns(['client_hash', 'account_id'])
    .execute();
  await db.schema
    .createIndex('reports_queue')
    .on('reports')
    .columns(['status', 'created_at'])
    .execute();
}
