// The SQL of operator links (who changed whose account, for the four-eyes
// rule) and of operator changes waiting for a second admin.
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import { isOperatorChangeAction, type OperatorChangeAction } from '../audit/audit.service.ts';
import {
  toDate,
  toOptionalDate,
  type OperatorChangeKind,
  type OperatorChangeRequestsTable,
  type OperatorChangeStatus,
} from '../db/schema.ts';
import { isRole, type Role } from './policy.ts';

export interface OperatorLink {
  /** The operator whose account was changed. */
  readonly operatorId: number;
  /** Who made, requested or approved the change. */
  readonly byOperatorId: number;
  readonly action: OperatorChangeAction;
  readonly at: Date;
}

export async function insertOperatorLinks(db: Executor, links: readonly OperatorLink[]) {
  if (links.length === 0) return;
  await db
    .insertInto('operator_links')
    .values(
      links.map((l) => ({
        operator_id: l.operatorId,
        by_operator_id: l.byOperatorId,
        action: l.action,
        at: l.at,
      })),
    )
    .execute();
}

/** The latest link between two operators, either way round, made after `after`. */
export async function findLinkBetween(
  db: Executor,
  first: number,
  second: number,
  after: Date,
): Promise<OperatorLink | undefined> {
  const row = await db
    .selectFrom('operator_links')
    .select(['operator_id', 'by_operator_id', 'action', 'at'])
    .where((eb) =>
      eb.or([
        eb.and([eb('operator_id', '=', first), eb('by_operator_id', '=', second)]),
        eb.and([eb('operator_id', '=', second), eb('by_operator_id', '=', first)]),
      ]),
    )
    .where('at', '>', after)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || !isOperatorChangeAction(row.action)) return undefined;
  return {
    operatorId: Number(row.operator_id),
    byOperatorId: Number(row.by_operator_id),
    action: row.action,
    at: toDate(row.at),
  };
}

export interface ChangeRequestRecord {
  readonly id: number;
  readonly kind: OperatorChangeKind;
  readonly operatorId: number | null;
  readonly email: string | null;
  readonly roles: readonly Role[] | null;
  readonly status: OperatorChangeStatus;
  readonly requestedBy: number;
  readonly requestedAt: Date;
  readonly decidedBy: number | null;
  readonly decidedAt: Date | null;
  readonly reason: string | null;
}

function rolesOf(json: string | null): Role[] | null {
  if (json === null) return null;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((r): r is Role => isRole(String(r))) : [];
}

function rowToRequest(row: Selectable<OperatorChangeRequestsTable>): ChangeRequestRecord {
  return {
    id: Number(row.id),
    kind: row.kind,
    operatorId: row.operator_id === null ? null : Number(row.operator_id),
    email: row.email,
    roles: rolesOf(row.roles),
    status: row.status,
    requestedBy: Number(row.requested_by),
    requestedAt: toDate(row.requested_at),
    decidedBy: row.decided_by === null ? null : Number(row.decided_by),
    decidedAt: toOptionalDate(row.decided_at),
    reason: row.decision_reason,
  };
}

/** One pending request per change and operator (or e-mail, for a new operator). */
export function targetKey(
  kind: OperatorChangeKind,
  target: { operatorId?: number | undefined; email?: string | undefined },
): string {
  return kind === 'create' ? `create:${target.email ?? ''}` : `${kind}:${target.operatorId ?? ''}`;
}

export async function insertChangeRequest(
  db: Executor,
  values: {
    kind: OperatorChangeKind;
    operatorId: number | null;
    email: string | null;
    roles: readonly Role[] | null;
    requestedBy: number;
    at: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('operator_change_requests')
    .values({
      kind: values.kind,
      operator_id: values.operatorId,
      email: values.email,
      roles: values.roles === null ? null : JSON.stringify(values.roles),
      target_key: targetKey(values.kind, {
        operatorId: values.operatorId ?? undefined,
        email: values.email ?? undefined,
      }),
      status: 'pending',
      requested_by: values.requestedBy,
      requested_at: values.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findChangeRequest(
  db: Executor,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<ChangeRequestRecord | undefined> {
  let query = db.selectFrom('operator_change_requests').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? rowToRequest(row) : undefined;
}

export async function hasPendingChange(db: Executor, key: string): Promise<boolean> {
  const row = await db
    .selectFrom('operator_change_requests')
    .select('id')
    .where('target_key', '=', key)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return row !== undefined;
}

/** Newest first. */
export async function listChangeRequests(
  db: Executor,
  statuses: readonly OperatorChangeStatus[],
  limit: number,
): Promise<ChangeRequestRecord[]> {
  const rows = await db
    .selectFrom('operator_change_requests')
    .selectAll()
    .where('status', 'in', statuses)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToRequest);
}

export async function countPendingChanges(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('operator_change_requests')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Decides a pending request; false if it was no longer pending. */
export async function decideChangeRequest(
  db: Executor,
  id: number,
  decision: {
    status: 'approved' | 'rejected';
    by: number;
    at: Date;
    reason: string | null;
    operatorId: number | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('operator_change_requests')
    .set({
      status: decision.status,
      decided_by: decision.by,
      decided_at: decision.at,
      decision_reason: decision.reason,
      ...(decision.operatorId === null ? {} : { operator_id: decision.operatorId }),
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
