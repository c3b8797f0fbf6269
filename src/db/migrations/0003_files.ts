// Uploaded files: one row per stored file. The bytes live encrypted on disk
// (DATA_DIR/files/<id>); the row says whose file it is, what it is, and its
// SHA-256, so a file on disk without a row is an orphan the sweeper removes.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

const mimes = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('files')
    // The random name the file is stored under, not a sequence: ids say nothing.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_kind', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'bigint')
    .addColumn('field', 'text', (c) => c.notNull())
    // The order the sender gave the files in, within their owner.
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mime', 'text', (c) =>
      c.notNull().check(sql`mime in (${sql.join(mimes.map((m) => sql.lit(m)))})`),
    )
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('original_name', 'text')
    .addColumn('sensitive', t.flag, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('files_owner')
    .on('files')
    .columns(['owner_kind', 'owner_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('files').ifExists().execute();
}
