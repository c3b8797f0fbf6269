// Public reports in full (the reported person, the incident, the chronology,
// the reporter sealed), the reviewer's claim and decision, and tickets: one
// tracking number and history per submission, whatever its kind.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('tickets')
    .addColumn('ticket', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('report', 'registration', 'normalization')`),
    )
    .addColumn('subject_id', 'bigint', (c) => c.notNull())
    /** SHA-256 of the tracking token: the token itself is only ever in the submitter's hands. */
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('tickets_subject')
    .on('tickets')
    .columns(['kind', 'subject_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('ticket_events')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('ticket', 'text', (c) => c.notNull().references('tickets.ticket'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ticket_events_ticket')
    .on('ticket_events')
    .columns(['ticket', 'id'])
    .execute();

  // Spent proof-of-work solutions, until their challenge would have expired anyway.
  await db.schema
    .createTable('challenge_uses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();

  const reportColumns: [string, string][] = [
    ['reported_phone', 'text'],
    ['reported_socials', 'text'],
    ['reported_website', 'text'],
    ['incident_date', 'text'],
    ['incident_time', 'text'],
    ['amount', 'bigint'],
    ['platform', 'text'],
    ['location_details', 'text'],
    ['city', 'text'],
    ['chronology', 'text'],
    // name, e-mail and phone of the reporter, as one AES-GCM sealed JSON value
    ['reporter_sealed', 'text'],
    // keyed hashes: match a reporter or a client without keeping them readable
    ['reporter_email_hash', 'text'],
    ['client_hash', 'text'],
    ['lang', 'text'],
    ['flag_reasons', 'text'],
    ['claimed_by', 'bigint'],
    ['claimed_until', t.timestamp],
    ['decided_by', 'bigint'],
    ['decided_at', t.timestamp],
    ['decision_reason', 'text'],
    ['decision_note', 'text'],
  ];
  for (const [name, type] of reportColumns) {
    await db.schema.alterTable('reports').addColumn(name, sql.raw(type)).execute();
  }
  await db.schema
    .alterTable('reports')
    .addColumn('flagged', t.flag, (c) => c.notNull().defaultTo(t.falseValue))
    .execute();
  await db.schema
    .createIndex('reports_queue')
    .on('reports')
    .columns(['status', 'created_at'])
    .execute();
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
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('reports_client').execute();
  await db.schema.dropIndex('reports_reporter').execute();
  await db.schema.dropIndex('reports_queue').execute();
  await db.schema.dropTable('challenge_uses').execute();
  await db.schema.dropTable('ticket_events').execute();
  await db.schema.dropTable('tickets').execute();
}
