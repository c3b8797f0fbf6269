// The private lookup (docs/api.md "Private lookup") answers the listed
// accounts whose key's SHA-256 starts with 5 given hex characters. Each
// account keeps that hash, indexed, so a bucket is one range scan of the
// index rather than a hash of the whole list. Existing rows are filled here:
// PostgreSQL hashes them itself; SQLite has no SHA-256, so this process does,
// a batch at a time. The column sorts bytewise on PostgreSQL too ("C"), as
// the range bounds assume.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

const batchSize = 10_000;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').toUpperCase();
}

async function fillSqlite(db: Kysely<unknown>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = await sql<{ id: number; key: string }>`
      select id, key from accounts where id > ${after} order by id limit ${batchSize}`.execute(db);
    const last = rows.rows.at(-1);
    if (!last) return;
    const hashes = JSON.stringify(rows.rows.map((r) => [r.id, sha256Hex(r.key)]));
    await sql`
      update accounts set key_hash = h.value ->> '$[1]'
      from json_each(${hashes}) as h
      where accounts.id = h.value ->> '$[0]'`.execute(db);
    after = last.id;
  }
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const { isPostgres } = columnTypes(db);
  await db.schema
    .alterTable('accounts')
    .addColumn('key_hash', 'text', (col) => (isPostgres ? col.modifyEnd(sql`collate "C"`) : col))
    .execute();
  if (isPostgres) {
    await sql`update accounts set key_hash = upper(encode(sha256(convert_to(key, 'UTF8')), 'hex'))`.execute(
      db,
    );
  } else {
    await fillSqlite(db);
  }
  await db.schema.createIndex('accounts_key_hash').on('accounts').column('key_hash').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('accounts_key_hash').execute();
  await db.schema.alterTable('accounts').dropColumn('key_hash').execute();
}
