// Operators, their roles and sessions, and the append-only, hash-chained
// audit log with its head (the last sequence number and hash).
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

const genesis = '0'.repeat(64);

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('operators')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('must_change_password', t.flag, (c) => c.notNull().defaultTo(t.falseValue))
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enrolled_at', t.timestamp)
    .addColumn('totp_last_step', 'bigint')
    .addColumn('failed_sign_ins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', t.timestamp)
    .addColumn('disabled_at', t.timestamp)
    .addColumn('last_sign_in_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('operator_roles')
    .addColumn('operator_id', 'bigint', (c) => c.notNull().references('operators.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('operator_roles_pk', ['operator_id', 'role'])
    .execute();

  await db.schema
    .createTable('operator_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'bigint', (c) => c.notNull().references('operators.id'))
    .addColumn('stage', 'text', (c) =>
      c.notNull().check(sql`stage in ('enrollment', 'password', 'full')`),
    )
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema
    .createIndex('operator_sessions_operator')
    .on('operator_sessions')
    .column('operator_id')
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .addColumn('actor_type', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  for (const [name, columns] of [
    ['audit_log_action', ['action', 'seq']],
    ['audit_log_actor', ['actor_id', 'seq']],
    ['audit_log_subject', ['subject_type', 'subject_id', 'seq']],
    ['audit_log_at', ['at']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('audit_log')
      .columns([...columns])
      .execute();
  }

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', 'bigint', (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into audit_head (id, last_seq, last_hash) values (1, 0, ${genesis})`.execute(db);

  // Append-only, whoever asks: rows can be added, never changed or removed.
  if (t.isPostgres) {
    await sql`
      create function cekrek_audit_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only';
      end $$`.execute(db);
    await sql`create trigger audit_log_no_change before update or delete on audit_log
      for each row execute function cekrek_audit_append_only()`.execute(db);
    await sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function cekrek_audit_append_only()`.execute(db);
    await sql`revoke update, delete, truncate on audit_log from public`.execute(db);
    // The two-role setup (README): the application's role may read and append only.
    await sql`
      do $$ begin
        if exists (select 1 from pg_roles where rolname = 'cekrek_app') then
          grant select, insert, update, delete on all tables in schema public to cekrek_app;
          grant usage, select on all sequences in schema public to cekrek_app;
          revoke update, delete, truncate on audit_log from cekrek_app;
        end if;
      end $$`.execute(db);
  } else {
    await sql`create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);
  for (const table of [
    'audit_head',
    'audit_log',
    'operator_sessions',
    'operator_roles',
    'operators',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  if (t.isPostgres) await sql`drop function if exists cekrek_audit_append_only()`.execute(db);
}
