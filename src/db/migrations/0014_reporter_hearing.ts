// Reporters are heard before a normalization is granted: a question put to a
// reporter may be the dispute notice (the reporter told of the dispute, with
// a time to answer), and a mediator may record, per disputed report, why its
// reporter cannot be asked (no contact, a report from an import).
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .alterTable('information_requests')
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('question'))
    .execute();
  await db.schema
    .createTable('reporter_excuses')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('normalization_id', 'bigint', (c) =>
      c.notNull().references('normalization_requests.id'),
    )
    .addColumn('report_id', 'bigint', (c) => c.notNull().references('reports.id'))
    .addColumn('reason', 'text', (c) =>
      c.notNull().check(sql`reason in ('no_contact', 'imported_report', 'other')`),
    )
    // sealed: the mediator's words may name people
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'bigint', (c) => c.notNull())
    .addColumn('recorded_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('reporter_excuses_report')
    .on('reporter_excuses')
    .columns(['normalization_id', 'report_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('reporter_excuses').ifExists().execute();
  await db.schema.alterTable('information_requests').dropColumn('purpose').execute();
}
