// On PostgreSQL, reports.account_id stops being a declared foreign key. The
// check ran row by row (a locking lookup of the account for every report)
// and took a sixth of a million-row import. Accounts are never deleted, and
// every report is written with the id its account got or was found with in
// the same transaction; SQLite, whose check is a plain rowid lookup, keeps it.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!columnTypes(db).isPostgres) return;
  await sql`alter table reports drop constraint if exists reports_account_id_fkey`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!columnTypes(db).isPostgres) return;
  await sql`alter table reports add constraint reports_account_id_fkey
            foreign key (account_id) references accounts (id)`.execute(db);
}
