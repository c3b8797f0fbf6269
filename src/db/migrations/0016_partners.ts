// Partners (banks, e-wallets, marketplaces, police tools) and their API keys.
// A key is stored only as a keyed hash with how it is shown (first 12 and last
// 4 characters); its usage is counted per key and day. `meta` holds a
// revision that moves with every key change, which SQLite processes poll so a
// revoked key stops working everywhere at once (PostgreSQL also notifies).
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('partners')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('bank', 'ewallet', 'marketplace', 'police', 'other')`),
    )
    .addColumn('contact_email', 'text', (c) => c.notNull())
    .addColumn('per_minute', 'integer', (c) => c.notNull())
    .addColumn('per_day', 'integer', (c) => c.notNull())
    // JSON array of the provider codes a bank or e-wallet holds
    .addColumn('provider_codes', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('partner_keys')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    .addColumn('label', 'text', (c) => c.notNull())
    // HMAC-SHA256 of the key with a key derived from CEKREK_SECRET_KEY
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    // the first 12 characters and the last 4
    .addColumn('shown', 'text', (c) => c.notNull())
    // JSON array of scopes
    .addColumn('scopes', 'text', (c) => c.notNull())
    // the key this one replaced when it was rolled
    .addColumn('rolled_from', 'bigint', (c) => c.references('partner_keys.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp)
    .addColumn('revoked_at', t.timestamp)
    .addColumn('last_used_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('partner_keys_partner')
    .on('partner_keys')
    .column('partner_id')
    .execute();

  await db.schema
    .createTable('partner_usage')
    .addColumn('key_id', 'bigint', (c) => c.notNull().references('partner_keys.id'))
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    // YYYY-MM-DD, UTC
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('checks', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reports', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refusals', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('partner_usage_pk', ['key_id', 'day'])
    .execute();
  await db.schema
    .createIndex('partner_usage_partner_day')
    .on('partner_usage')
    .columns(['partner_id', 'day'])
    .execute();
  await sql`insert into meta (key, value) values ('partner_keys.revision', '0')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('partner_usage').execute();
  await db.schema.dropTable('partner_keys').execute();
  await db.schema.dropTable('partners').execute();
  await sql`delete from meta where key = 'partner_keys.revision'`.execute(db);
}
