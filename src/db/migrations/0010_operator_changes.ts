// Who changed whose operator account, for the four-eyes rule (two operators
// who recently created, enabled, reset or re-roled each other's account are not
// two independent people), and operator changes waiting for a second admin.
// The links are filled from the audit log's earlier entries, so the rule holds
// from the moment the migration runs, not only for changes made after it.
import { sql, type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

/** The changes that link two operators: the same list as `linkingActions` in four-eyes.ts. */
const linkingActions = [
  'operator.created',
  'operator.enabled',
  'operator.password_reset',
  'operator.totp_reset',
  'operator.roles_changed',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('operator_links')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // the operator whose account was changed
    .addColumn('operator_id', 'bigint', (c) => c.notNull().references('operators.id'))
    // the operator who made, requested or approved the change
    .addColumn('by_operator_id', 'bigint', (c) => c.notNull().references('operators.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('operator_links_pair')
    .on('operator_links')
    .columns(['operator_id', 'by_operator_id', 'at'])
    .execute();

  await sql`
    insert into operator_links (operator_id, by_operator_id, action, at)
    select o.id, a.actor_id, a.action, a.at
    from audit_log a
    join operators o on cast(o.id as text) = a.subject_id
    where a.actor_type = 'operator' and a.actor_id is not null and a.actor_id <> o.id
      and a.subject_type = 'operator' and a.outcome = 'success'
      and a.action in (${sql.join(linkingActions)})
    order by a.seq`.execute(db);

  await db.schema
    .createTable('operator_change_requests')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('create', 'enable', 'roles', 'password_reset', 'totp_reset')`),
    )
    // the operator the change is for; for "create", the new operator once approved
    .addColumn('operator_id', 'bigint', (c) => c.references('operators.id'))
    // "create": the new operator's e-mail
    .addColumn('email', 'text')
    // "create" and "roles": JSON array of role names
    .addColumn('roles', 'text')
    // one pending request per change and operator (or e-mail): "roles:12", "create:a@b.id"
    .addColumn('target_key', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`),
    )
    .addColumn('requested_by', 'bigint', (c) => c.notNull().references('operators.id'))
    .addColumn('requested_at', t.timestamp, (c) => c.notNull())
    .addColumn('decided_by', 'bigint', (c) => c.references('operators.id'))
    .addColumn('decided_at', t.timestamp)
    .addColumn('decision_reason', 'text')
    .execute();
  await db.schema
    .createIndex('operator_change_requests_status')
    .on('operator_change_requests')
    .columns(['status', 'id'])
    .execute();
  await db.schema
    .createIndex('operator_change_requests_pending')
    .on('operator_change_requests')
    .column('target_key')
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();

  if (t.isPostgres) {
    // The two-role setup (README): the server's role may add links, never change or remove them.
    await sql`
      do $$ begin
        if exists (select 1 from pg_roles where rolname = 'cekrek_app') then
          revoke update, delete, truncate on operator_links from cekrek_app;
        end if;
      end $$`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('operator_change_requests').ifExists().execute();
  await db.schema.dropTable('operator_links').ifExists().execute();
}
