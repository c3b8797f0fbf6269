// Seller registrations in full: the sealed NIK and its keyed hash, the sealed
// contact, the business, the registrar's claim and decision, the re-check
// after a verified report, the retention of documents, and the public id of
// the seller page. Columns are added to the table 0001 created, so rows
// written before (demo sellers) stay valid.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const columns: [string, string][] = [
    // random and unguessable: the seller page's address (/penjual/{public_id})
    ['public_id', 'text'],
    // phone and e-mail as one AES-GCM sealed JSON value, bound to the row by its public id
    ['contact_sealed', 'text'],
    ['email_hash', 'text'],
    // the NIK sealed (SecretBox purpose "nik") and as a keyed hash ("nik-index") for matching
    ['nik_sealed', 'text'],
    ['nik_hash', 'text'],
    ['business_type', 'text'],
    ['business_type_other', 'text'],
    ['lang', 'text'],
    ['client_hash', 'text'],
    ['flag_reasons', 'text'],
    ['claimed_by', 'bigint'],
    ['claimed_until', t.timestamp],
    ['decided_by', 'bigint'],
    ['decision_reason', 'text'],
    ['decision_note', 'text'],
    // the re-check of an approved registration after a verified report
    ['rechecked_at', t.timestamp],
    ['rechecked_by', 'bigint'],
    ['recheck_reason', 'text'],
    ['recheck_note', 'text'],
    ['documents_erased_at', t.timestamp],
  ];
  for (const [name, type] of columns) {
    await db.schema.alterTable('seller_registrations').addColumn(name, sql.raw(type)).execute();
  }
  await db.schema
    .alterTable('seller_registrations')
    .addColumn('flagged', t.flag, (c) => c.notNull().defaultTo(t.falseValue))
    .execute();
  await db.schema
    .createIndex('seller_registrations_public_id')
    .on('seller_registrations')
    .column('public_id')
    .unique()
    .execute();
  await db.schema
    .createIndex('seller_registrations_queue')
    .on('seller_registrations')
    .columns(['status', 'created_at'])
    .execute();
  // One registration at a time per account: pending or approved (checked
  // first, so this only settles two submissions racing each other).
  await db.schema
    .createIndex('seller_registrations_active')
    .on('seller_registrations')
    .column('account_id')
    .unique()
    .where(sql<boolean>`status in ('submitted', 'in_review', 'approved')`)
    .execute();
  await db.schema
    .createIndex('seller_registrations_nik')
    .on('seller_registrations')
    .column('nik_hash')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('seller_registrations_nik').execute();
  await db.schema.dropIndex('seller_registrations_active').execute();
  await db.schema.dropIndex('seller_registrations_queue').execute();
  await db.schema.dropIndex('seller_registrations_public_id').execute();
}
