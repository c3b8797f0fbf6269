// Signed checkpoints of the audit chain (audit.checkpoints.ts), append-only
// like the log itself: the keying checkpoint (where keyed hashing began) and
// every checkpoint taken since.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  await db.schema
    .createTable('audit_checkpoints')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('keying', 'checkpoint')`))
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_checkpoints_kind_seq')
    .on('audit_checkpoints')
    .columns(['kind', 'seq'])
    .execute();
  if (t.isPostgres) {
    // The function created with the audit log raises for any table it guards.
    await sql`create trigger audit_checkpoints_no_change before update or delete on audit_checkpoints
      for each row execute function cekrek_audit_append_only()`.execute(db);
    await sql`create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
      for each statement execute function cekrek_audit_append_only()`.execute(db);
    await sql`revoke update, delete, truncate on audit_checkpoints from public`.execute(db);
    await sql`
      do $$ begin
        if exists (select 1 from pg_roles where rolname = 'cekrek_app') then
          grant select, insert on audit_checkpoints to cekrek_app;
          grant usage, select on all sequences in schema public to cekrek_app;
          revoke update, delete, truncate on audit_checkpoints from cekrek_app;
        end if;
      end $$`.execute(db);
  } else {
    await sql`create trigger audit_checkpoints_no_update before update on audit_checkpoints
      begin select raise(abort, 'audit_checkpoints is append-only'); end`.execute(db);
    await sql`create trigger audit_checkpoints_no_delete before delete on audit_checkpoints
      begin select raise(abort, 'audit_checkpoints is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_checkpoints').ifExists().execute();
}
