// A partner's CSV import arrives as a stream: it is kept in sealed chunks as
// it is read (never whole in memory, never in plaintext at rest), under an
// upload id that the import row names once the whole body is in. Chunks whose
// upload never became an import (the client went away, the process died) are
// swept after an hour. The old `body` column stays for imports queued before.
import { type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('import_chunks')
    .addColumn('upload_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    // SecretBox-sealed bytes of the body, in order
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('import_chunks_pk', ['upload_id', 'seq'])
    .execute();
  await db.schema.alterTable('partner_imports').addColumn('upload_id', 'text').execute();
  await db.schema
    .createIndex('partner_imports_upload')
    .on('partner_imports')
    .column('upload_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('partner_imports_upload').execute();
  await db.schema.alterTable('partner_imports').dropColumn('upload_id').execute();
  await db.schema.dropTable('import_chunks').execute();
}
