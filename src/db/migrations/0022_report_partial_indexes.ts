// Three more indexes on reports hold only the rows that have a value: an
// imported report has no partner, no partner import and no decision, and
// each of these indexes stored a NULL entry for every one of them (written
// by the import, read by nothing: every query of these columns asks for a
// value, which the partial index answers).
import { sql, type Kysely } from 'kysely';

const partial = [
  { name: 'reports_partner', column: 'partner_id' },
  { name: 'reports_import', column: 'import_id' },
  { name: 'reports_decided_at', column: 'decided_at' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const { name, column } of partial) {
    await db.schema.dropIndex(name).execute();
    await db.schema
      .createIndex(name)
      .on('reports')
      .column(column)
      .where(sql.ref(column), 'is not', null)
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const { name, column } of partial) {
    await db.schema.dropIndex(name).execute();
    await db.schema.createIndex(name).on('reports').column(column).execute();
  }
}
