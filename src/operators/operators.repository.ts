// The SQL of operators, their roles and their sessions.
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import { toDate, toOptionalDate, type OperatorsTable, type SessionStage } from '../db/schema.ts';
import { isRole, type Role } from './policy.ts';

export interface OperatorRecord {
  readonly id: number;
  readonly email: string;
  readonly passwordHash: string;
  readonly mustChangePassword: boolean;
  readonly totpSecret: string | null;
  readonly totpEnrolledAt: Date | null;
  readonly totpLastStep: number | null;
  readonly failedSignIns: number;
  readonly lockedUntil: Date | null;
  readonly disabledAt: Date | null;
  readonly lastSignInAt: Date | null;
  readonly createdAt: Date;
  readonly roles: readonly Role[];
}

function rowToOperator(row: Selectable<OperatorsTable>, roles: readonly string[]): OperatorRecord {
  return {
    id: Number(row.id),
    email: row.email,
    passwordHash: row.password_hash,
    mustChangePassword: Boolean(row.must_change_password),
    totpSecret: row.totp_secret,
    totpEnrolledAt: toOptionalDate(row.totp_enrolled_at),
    totpLastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
    failedSignIns: row.failed_sign_ins,
    lockedUntil: toOptionalDate(row.locked_until),
    disabledAt: toOptionalDate(row.disabled_at),
    lastSignInAt: toOptionalDate(row.last_sign_in_at),
    createdAt: toDate(row.created_at),
    roles: roles.filter(isRole).sort(),
  };
}

async function rolesOf(db: Executor, ids: readonly number[]): Promise<Map<number, string[]>> {
  const byOperator = new Map<number, string[]>();
  if (ids.length === 0) return byOperator;
  const rows = await db
    .selectFrom('operator_roles')
    .select(['operator_id', 'role'])
    .where('operator_id', 'in', ids)
    .execute();
  for (const row of rows) {
    const id = Number(row.operator_id);
    byOperator.set(id, [...(byOperator.get(id) ?? []), row.role]);
  }
  return byOperator;
}

export async function findOperatorByEmail(
  db: Executor,
  email: string,
  options: { forUpdate?: boolean } = {},
): Promise<OperatorRecord | undefined> {
  let query = db.selectFrom('operators').selectAll().where('email', '=', email);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return rowToOperator(row, (await rolesOf(db, [Number(row.id)])).get(Number(row.id)) ?? []);
}

export async function findOperatorById(
  db: Executor,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<OperatorRecord | undefined> {
  let query = db.selectFrom('operators').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  return rowToOperator(row, (await rolesOf(db, [id])).get(id) ?? []);
}

export async function listOperators(db: Executor): Promise<OperatorRecord[]> {
  const rows = await db.selectFrom('operators').selectAll().orderBy('email').execute();
  const roles = await rolesOf(
    db,
    rows.map((r) => Number(r.id)),
  );
  return rows.map((row) => rowToOperator(row, roles.get(Number(row.id)) ?? []));
}

export async function insertOperator(
  db: Executor,
  values: {
    email: string;
    passwordHash: string;
    mustChangePassword: boolean;
    roles: readonly Role[];
  },
  now: Date,
): Promise<number> {
  const row = await db
    .insertInto('operators')
    .values({
      email: values.email,
      password_hash: values.passwordHash,
      must_change_password: values.mustChangePassword,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await replaceRoles(db, id, values.roles);
  return id;
}

export async function replaceRoles(db: Executor, operatorId: number, roles: readonly Role[]) {
  await db.deleteFrom('operator_roles').where('operator_id', '=', operatorId).execute();
  if (roles.length > 0) {
    await db
      .insertInto('operator_roles')
      .values(roles.map((role) => ({ operator_id: operatorId, role })))
      .execute();
  }
}

export type OperatorChanges = Partial<{
  password_hash: string;
  must_change_password: boolean;
  totp_secret: string | null;
  totp_enrolled_at: Date | null;
  totp_last_step: number | null;
  failed_sign_ins: number;
  locked_until: Date | null;
  disabled_at: Date | null;
  last_sign_in_at: Date;
}>;

export async function updateOperator(
  db: Executor,
  id: number,
  changes: OperatorChanges,
  now: Date,
) {
  await db
    .updateTable('operators')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export interface SessionRecord {
  readonly id: string;
  readonly operatorId: number;
  readonly stage: SessionStage;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

export async function insertSession(
  db: Executor,
  session: SessionRecord & { ip: string | null; userAgent: string | null },
) {
  await db
    .insertInto('operator_sessions')
    .values({
      id: session.id,
      operator_id: session.operatorId,
      stage: session.stage,
      created_at: session.createdAt,
      last_seen_at: session.lastSeenAt,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

export async function findSession(db: Executor, id: string): Promise<SessionRecord | undefined> {
  const row = await db
    .selectFrom('operator_sessions')
    .select(['id', 'operator_id', 'stage', 'created_at', 'last_seen_at', 'expires_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        operatorId: Number(row.operator_id),
        stage: row.stage,
        createdAt: toDate(row.created_at),
        lastSeenAt: toDate(row.last_seen_at),
        expiresAt: toDate(row.expires_at),
      }
    : undefined;
}

export async function touchSession(db: Executor, id: string, at: Date) {
  await db
    .updateTable('operator_sessions')
    .set({ last_seen_at: at })
    .where('id', '=', id)
    .execute();
}

export async function deleteSession(db: Executor, id: string) {
  await db.deleteFrom('operator_sessions').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Executor, operatorId: number): Promise<number> {
  const result = await db
    .deleteFrom('operator_sessions')
    .where('operator_id', '=', operatorId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteExpiredSessions(db: Executor, idleBefore: Date, now: Date) {
  await db
    .deleteFrom('operator_sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleBefore)]))
    .execute();
}
