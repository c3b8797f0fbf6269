// The SQL of normalization requests: filing one with the reports it disputes,
// reading one, the mediator's queue and the four-eyes decision's updates.
// Mediation sessions and questions are in mediation.repository.ts. Rows are
// mapped to domain types here and go no further.
import type { Updateable } from 'kysely';
import { pendingNormalizationStatuses } from '../accounts/accounts.service.ts';
import type { Executor } from '../db/database.ts';
import { joinedAccount, optionalNumber } from '../db/row-values.ts';
import {
  toDate,
  toOptionalDate,
  type NormalizationRequestsTable,
  type NormalizationStatus,
  type SubmissionChannel,
} from '../db/schema.ts';

export type ProposedDecision = 'grant' | 'deny';

/** The account row, locked (FOR UPDATE on PostgreSQL) so two requests for it queue. */
export async function lockAccount(
  db: Executor,
  key: string,
  forUpdate: boolean,
): Promise<number | undefined> {
  let query = db.selectFrom('accounts').select('id').where('key', '=', key);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

export async function hasPendingNormalization(db: Executor, accountId: number): Promise<boolean> {
  const row = await db
    .selectFrom('normalization_requests')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', 'in', [...pendingNormalizationStatuses])
    .executeTakeFirst();
  return row !== undefined;
}

/** The account's reports that count in the check now. */
export async function verifiedReportIds(db: Executor, accountId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('reports')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'verified')
    .orderBy('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export interface NewNormalizationRow {
  readonly accountId: number;
  readonly channel: SubmissionChannel;
  readonly holderName: string;
  readonly nikHash: string;
  readonly statement: string;
  readonly lang: string;
  readonly enteredBy: number | null;
  readonly dueAt: Date;
  readonly at: Date;
}

export async function insertNormalization(db: Executor, row: NewNormalizationRow): Promise<number> {
  const inserted = await db
    .insertInto('normalization_requests')
    .values({
      account_id: row.accountId,
      status: 'submitted',
      channel: row.channel,
      holder_name: row.holderName,
      nik_hash: row.nikHash,
      statement: row.statement,
      lang: row.lang,
      entered_by: row.enteredBy,
      due_at: row.dueAt,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function linkReports(
  db: Executor,
  normalizationId: number,
  reportIds: readonly number[],
): Promise<void> {
  if (reportIds.length === 0) return;
  await db
    .insertInto('normalization_reports')
    .values(reportIds.map((report_id) => ({ normalization_id: normalizationId, report_id })))
    .execute();
}

export async function disputedReportIds(db: Executor, normalizationId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('normalization_reports')
    .select('report_id')
    .where('normalization_id', '=', normalizationId)
    .orderBy('report_id')
    .execute();
  return rows.map((r) => Number(r.report_id));
}

export async function updateNormalization(
  db: Executor,
  id: number,
  set: Updateable<NormalizationRequestsTable>,
  onlyIn?: readonly NormalizationStatus[],
): Promise<boolean> {
  let query = db.updateTable('normalization_requests').set(set).where('id', '=', id);
  if (onlyIn) query = query.where('status', 'in', [...onlyIn]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Granted: the disputed reports stop counting. They are kept, marked, never deleted. */
export async function markReportsNormalized(
  db: Executor,
  reportIds: readonly number[],
  at: Date,
): Promise<number> {
  if (reportIds.length === 0) return 0;
  const result = await db
    .updateTable('reports')
    .set({ status: 'normalized', updated_at: at })
    .where('id', 'in', [...reportIds])
    .where('status', '=', 'verified')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------
// Reading a request

export interface NormalizationRecord {
  readonly id: number;
  readonly ticket: string | null;
  readonly accountId: number;
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
  readonly status: NormalizationStatus;
  readonly channel: SubmissionChannel;
  readonly holderName: string | null;
  readonly nikSealed: string | null;
  readonly contactSealed: string | null;
  readonly statement: string | null;
  readonly lang: string | null;
  readonly enteredBy: number | null;
  readonly dueAt: Date | null;
  readonly handledBy: number | null;
  readonly proposedDecision: ProposedDecision | null;
  readonly proposedBy: number | null;
  readonly proposedAt: Date | null;
  readonly proposalReason: string | null;
  readonly confirmedBy: number | null;
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
  readonly createdAt: Date;
}

export async function findNormalization(
  db: Executor,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<NormalizationRecord | undefined> {
  let query = db
    .selectFrom('normalization_requests as n')
    .innerJoin('accounts as a', 'a.id', 'n.account_id')
    .selectAll('n')
    .select(['a.provider', 'a.number', 'a.key'])
    .where('n.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('n');
  const r = await query.executeTakeFirst();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    ticket: r.ticket,
    ...joinedAccount(r),
    status: r.status,
    channel: r.channel,
    holderName: r.holder_name,
    nikSealed: r.nik_sealed,
    contactSealed: r.contact_sealed,
    statement: r.statement,
    lang: r.lang,
    enteredBy: optionalNumber(r.entered_by),
    dueAt: toOptionalDate(r.due_at),
    handledBy: optionalNumber(r.handled_by),
    proposedDecision: r.proposed_decision,
    proposedBy: optionalNumber(r.proposed_by),
    proposedAt: toOptionalDate(r.proposed_at),
    proposalReason: r.proposal_reason,
    confirmedBy: optionalNumber(r.confirmed_by),
    decidedAt: toOptionalDate(r.decided_at),
    decisionReason: r.decision_reason,
    createdAt: toDate(r.created_at),
  };
}

/** Which normalization request a ticket belongs to, or which report. */
export async function ticketSubject(
  db: Executor,
  ticket: string,
): Promise<{ kind: string; subjectId: number } | undefined> {
  const row = await db
    .selectFrom('tickets')
    .select(['kind', 'subject_id'])
    .where('ticket', '=', ticket)
    .executeTakeFirst();
  return row && { kind: row.kind, subjectId: Number(row.subject_id) };
}

/** Operators' e-mail addresses by id, to name who did what on the mediator's page. */
export async function operatorLabels(
  db: Executor,
  ids: readonly (number | null)[],
): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db
    .selectFrom('operators')
    .select(['id', 'email'])
    .where('id', 'in', wanted)
    .execute();
  return new Map(rows.map((r) => [Number(r.id), r.email]));
}

// ---------------------------------------------------------------------------
// The mediator's queue

export interface QueueFilter {
  readonly statuses: readonly NormalizationStatus[];
  /** Only those past their deadline (and still open). */
  readonly overdueOnly: boolean;
  readonly now: Date;
  /** Rows without a stored deadline (written before it existed) are due this long after filing. */
  readonly decisionMs: number;
  readonly limit: number;
  readonly offset: number;
}

export interface QueueItem {
  readonly id: number;
  readonly ticket: string | null;
  readonly status: NormalizationStatus;
  readonly channel: SubmissionChannel;
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
  readonly holderName: string | null;
  readonly createdAt: Date;
  readonly dueAt: Date;
  readonly overdue: boolean;
  readonly proposedDecision: ProposedDecision | null;
  readonly proposedBy: number | null;
  readonly disputedReports: number;
  readonly openQuestions: number;
  readonly nextMediation: Date | null;
}

/** Requests by deadline, the most urgent first; overdue ones say so. */
export async function findQueue(db: Executor, filter: QueueFilter): Promise<QueueItem[]> {
  const lateFiled = new Date(filter.now.getTime() - filter.decisionMs);
  const pending = pendingNormalizationStatuses as readonly string[];
  let query = db
    .selectFrom('normalization_requests as n')
    .innerJoin('accounts as a', 'a.id', 'n.account_id')
    .where('n.status', 'in', [...filter.statuses]);
  if (filter.overdueOnly) {
    query = query
      .where('n.status', 'in', [...pendingNormalizationStatuses])
      .where((eb) =>
        eb.or([
          eb('n.due_at', '<', filter.now),
          eb.and([eb('n.due_at', 'is', null), eb('n.created_at', '<', lateFiled)]),
        ]),
      );
  }
  const rows = await query
    .select([
      'n.id',
      'n.ticket',
      'n.status',
      'n.channel',
      'n.holder_name',
      'n.created_at',
      'n.due_at',
      'n.proposed_decision',
      'n.proposed_by',
      'a.provider',
      'a.number',
      'a.key',
    ])
    .select((eb) => [
      eb
        .selectFrom('normalization_reports as l')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('l.normalization_id', '=', 'n.id')
        .as('disputed_reports'),
      eb
        .selectFrom('information_requests as q')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('q.normalization_id', '=', 'n.id')
        .where('q.answered_at', 'is', null)
        .as('open_questions'),
      eb
        .selectFrom('mediation_sessions as m')
        .select((m) => m.fn.min('m.scheduled_at').as('at'))
        .whereRef('m.normalization_id', '=', 'n.id')
        .where('m.outcome', 'is', null)
        .as('next_mediation'),
    ])
    .orderBy('n.created_at', 'asc')
    .orderBy('n.id', 'asc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return rows.map((r) => {
    const createdAt = toDate(r.created_at);
    const dueAt = toOptionalDate(r.due_at) ?? new Date(createdAt.getTime() + filter.decisionMs);
    return {
      id: Number(r.id),
      ticket: r.ticket,
      status: r.status,
      channel: r.channel,
      provider: r.provider,
      number: r.number,
      accountKey: r.key,
      holderName: r.holder_name,
      createdAt,
      dueAt,
      overdue: pending.includes(r.status) && dueAt < filter.now,
      proposedDecision: r.proposed_decision,
      proposedBy: optionalNumber(r.proposed_by),
      disputedReports: Number(r.disputed_reports ?? 0),
      openQuestions: Number(r.open_questions ?? 0),
      nextMediation: toOptionalDate(r.next_mediation),
    };
  });
}
