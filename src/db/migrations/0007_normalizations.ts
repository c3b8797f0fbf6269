// Normalization requests in full: the owner's identity (the NIK sealed and as
// a keyed hash, the contact sealed), the statement, who entered a service-desk
// request, the decision deadline, the four-eyes proposal and confirmation;
// the reports a request disputes (fixed when it is filed), mediation sessions
// between owner and reporter, and information requests to either side.
// Columns are added to the table 0001 created, so rows written before (demo
// data) stay valid.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  const columns: [string, string][] = [
    ['holder_name', 'text'],
    // the NIK sealed (SecretBox purpose "nik") and as a keyed hash ("nik-index") for matching
    ['nik_sealed', 'text'],
    ['nik_hash', 'text'],
    // phone and e-mail as one AES-GCM sealed JSON value
    ['contact_sealed', 'text'],
    ['statement', 'text'],
    ['lang', 'text'],
    // the operator who entered a service-desk request on the owner's behalf
    ['entered_by', 'bigint'],
    // the date by which a decision is promised (NORMALIZATION_DECISION_DAYS after filing)
    ['due_at', t.timestamp],
    ['handled_by', 'bigint'],
    ['proposed_decision', 'text'],
    ['proposed_by', 'bigint'],
    ['proposed_at', t.timestamp],
    ['proposal_reason', 'text'],
    ['confirmed_by', 'bigint'],
    ['decision_reason', 'text'],
  ];
  for (const [name, type] of columns) {
    await db.schema.alterTable('normalization_requests').addColumn(name, sql.raw(type)).execute();
  }
  await db.schema
    .createIndex('normalization_requests_queue')
    .on('normalization_requests')
    .columns(['status', 'due_at'])
    .execute();
  await db.schema
    .createIndex('normalization_requests_nik')
    .on('normalization_requests')
    .columns(['nik_hash'])
    .execute();

  // The verified reports a request disputes, as they stood when it was filed:
  // a report verified later is not part of it, and counts as usual.
  await db.schema
    .createTable('normalization_reports')
    .addColumn('normalization_id', 'bigint', (c) =>
      c.notNull().references('normalization_requests.id'),
    )
    .addColumn('report_id', 'bigint', (c) => c.notNull().references('reports.id'))
    .addPrimaryKeyConstraint('normalization_reports_pk', ['normalization_id', 'report_id'])
    .execute();
  await db.schema
    .createIndex('normalization_reports_report')
    .on('normalization_reports')
    .columns(['report_id'])
    .execute();

  await db.schema
    .createTable('mediation_sessions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('normalization_id', 'bigint', (c) =>
      c.notNull().references('normalization_requests.id'),
    )
    .addColumn('scheduled_at', t.timestamp, (c) => c.notNull())
    .addColumn('place', 'text')
    .addColumn('video_link', 'text')
    .addColumn('note', 'text')
    .addColumn('scheduled_by', 'bigint', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('outcome', 'text', (c) =>
      c.check(
        sql`outcome is null or outcome in ('owner_upheld', 'reporter_upheld', 'no_agreement', 'not_held')`,
      ),
    )
    .addColumn('outcome_note', 'text')
    .addColumn('recorded_by', 'bigint')
    .addColumn('recorded_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('mediation_sessions_normalization')
    .on('mediation_sessions')
    .columns(['normalization_id'])
    .execute();

  await db.schema
    .createTable('information_requests')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('normalization_id', 'bigint', (c) =>
      c.notNull().references('normalization_requests.id'),
    )
    .addColumn('party', 'text', (c) => c.notNull().check(sql`party in ('owner', 'reporter')`))
    // for a reporter: the report whose ticket they answer on
    .addColumn('report_id', 'bigint', (c) => c.references('reports.id'))
    .addColumn('question', 'text', (c) => c.notNull())
    .addColumn('asked_by', 'bigint', (c) => c.notNull())
    .addColumn('asked_at', t.timestamp, (c) => c.notNull())
    .addColumn('due_at', t.timestamp, (c) => c.notNull())
    .addColumn('answered_at', t.timestamp)
    .addColumn('answer', 'text')
    // JSON array of the ids of the files that came with the answer
    .addColumn('answer_files', 'text')
    .execute();
  await db.schema
    .createIndex('information_requests_normalization')
    .on('information_requests')
    .columns(['normalization_id'])
    .execute();
  await db.schema
    .createIndex('information_requests_report')
    .on('information_requests')
    .columns(['report_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('information_requests').ifExists().execute();
  await db.schema.dropTable('mediation_sessions').ifExists().execute();
  await db.schema.dropTable('normalization_reports').ifExists().execute();
  await db.schema.dropIndex('normalization_requests_nik').ifExists().execute();
  await db.schema.dropIndex('normalization_requests_queue').ifExists().execute();
}
