// The SQL of seller registrations: filing one, the registrar's queue, claims,
// decisions and re-checks, the flags a verified report raises, the seller
// page's lookup, and the retention rule's erasure. Rows are mapped to domain
// types here and go no further.
import { sql, type ExpressionBuilder } from 'kysely';
import type { Executor } from '../db/database.ts';
import {
  changedOne,
  claimableBy,
  claimColumns,
  decisionColumns,
  flagColumns,
  queueStateOf,
  reviewStateOf,
  unclaimed,
  type DecisionRow,
  type QueueState,
  type ReviewState,
} from '../db/review-columns.ts';
import { joinedAccount, optionalNumber, parseStringList } from '../db/row-values.ts';
import {
  toDate,
  toOptionalDate,
  type DB,
  type RegistrationStatus,
  type ReportStatus,
} from '../db/schema.ts';

export const pendingStatuses: readonly RegistrationStatus[] = ['submitted', 'in_review'];

export interface NewRegistrationRow {
  readonly accountId: number;
  readonly publicId: string;
  /** Sealed (shared/personal-data.ts). */
  readonly holderName: string;
  /** What the check shows of a verified seller: initials and stars. */
  readonly holderNameMasked: string;
  readonly businessName: string;
  readonly businessType: string;
  readonly businessTypeOther: string | null;
  readonly contactSealed: string;
  readonly emailHash: string;
  readonly nikSealed: string;
  readonly nikHash: string;
  readonly clientHash: string;
  readonly lang: string;
  readonly flagReasons: readonly string[];
  readonly at: Date;
}

export async function insertRegistration(db: Executor, row: NewRegistrationRow): Promise<number> {
  const inserted = await db
    .insertInto('seller_registrations')
    .values({
      account_id: row.accountId,
      status: 'submitted',
      public_id: row.publicId,
      holder_name: row.holderName,
      holder_name_masked: row.holderNameMasked,
      business_name: row.businessName,
      business_type: row.businessType,
      business_type_other: row.businessTypeOther,
      contact_sealed: row.contactSealed,
      email_hash: row.emailHash,
      nik_sealed: row.nikSealed,
      nik_hash: row.nikHash,
      client_hash: row.clientHash,
      lang: row.lang,
      ...flagColumns(row.flagReasons),
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function setRegistrationTicket(db: Executor, id: number, ticket: string) {
  await db.updateTable('seller_registrations').set({ ticket }).where('id', '=', id).execute();
}

/** Whether the account is a verified seller already, or has a registration in progress. */
export async function hasActiveRegistration(db: Executor, accountId: number): Promise<boolean> {
  const row = await db
    .selectFrom('seller_registrations')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', 'in', [...pendingStatuses, 'approved'])
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether a registration with this NIK was rejected or revoked before. */
export async function nikTurnedDownBefore(db: Executor, nikHash: string): Promise<boolean> {
  const row = await db
    .selectFrom('seller_registrations')
    .select('id')
    .where('nik_hash', '=', nikHash)
    .where('status', 'in', ['rejected', 'revoked'])
    .executeTakeFirst();
  return row !== undefined;
}

export async function verifiedReportCount(db: Executor, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId)
    .where('status', '=', 'verified')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------
// Records

export interface RegistrationRecord extends ReviewState {
  readonly id: number;
  readonly publicId: string | null;
  readonly ticket: string | null;
  readonly accountId: number;
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
  readonly status: RegistrationStatus;
  readonly holderName: string;
  readonly businessName: string;
  readonly businessType: string | null;
  readonly businessTypeOther: string | null;
  readonly contactSealed: string | null;
  readonly nikSealed: string | null;
  readonly lang: string | null;
  readonly recheckedAt: Date | null;
  readonly recheckedBy: number | null;
  readonly recheckReason: string | null;
  readonly recheckNote: string | null;
  readonly documentsErasedAt: Date | null;
}

function baseQuery(db: Executor) {
  return db
    .selectFrom('seller_registrations as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .selectAll('r')
    .select(['a.provider', 'a.number', 'a.key']);
}

type RecordRow = NonNullable<Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirst']>>>;

function rowToRecord(r: RecordRow): RegistrationRecord {
  return {
    id: Number(r.id),
    publicId: r.public_id,
    ticket: r.ticket,
    ...joinedAccount(r),
    status: r.status,
    holderName: r.holder_name,
    businessName: r.business_name,
    businessType: r.business_type,
    businessTypeOther: r.business_type_other,
    contactSealed: r.contact_sealed,
    nikSealed: r.nik_sealed,
    lang: r.lang,
    ...reviewStateOf(r),
    recheckedAt: toOptionalDate(r.rechecked_at),
    recheckedBy: optionalNumber(r.rechecked_by),
    recheckReason: r.recheck_reason,
    recheckNote: r.recheck_note,
    documentsErasedAt: toOptionalDate(r.documents_erased_at),
  };
}

export async function findRegistration(
  db: Executor,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<RegistrationRecord | undefined> {
  let query = baseQuery(db).where('r.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('r');
  const row = await query.executeTakeFirst();
  return row && rowToRecord(row);
}

export async function findRegistrationByPublicId(
  db: Executor,
  publicId: string,
): Promise<RegistrationRecord | undefined> {
  const row = await baseQuery(db).where('r.public_id', '=', publicId).executeTakeFirst();
  return row && rowToRecord(row);
}

export async function findRegistrationByTicket(
  db: Executor,
  ticket: string,
): Promise<RegistrationRecord | undefined> {
  const row = await baseQuery(db).where('r.ticket', '=', ticket).executeTakeFirst();
  return row && rowToRecord(row);
}

/** The account's approved registration, the latest if ever more than one (its seller page). */
export async function findApprovedRegistrationOfAccount(
  db: Executor,
  accountKey: string,
): Promise<RegistrationRecord | undefined> {
  const row = await baseQuery(db)
    .where('a.key', '=', accountKey)
    .where('r.status', '=', 'approved')
    .orderBy('r.decided_at', 'desc')
    .orderBy('r.id', 'desc')
    .executeTakeFirst();
  return row && rowToRecord(row);
}

// ---------------------------------------------------------------------------
// The registrar's queue

export interface RegistrationQueueFilter {
  /** A status; none = what waits for a registrar (pending, and approved ones to re-check). */
  readonly status?: RegistrationStatus | undefined;
  readonly flagged?: boolean | undefined;
  readonly limit: number;
  readonly offset: number;
}

export interface RegistrationQueueItem extends QueueState {
  readonly id: number;
  readonly status: RegistrationStatus;
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
  readonly holderName: string;
  readonly businessName: string;
  readonly businessType: string | null;
  /** Verified reports on the account now. */
  readonly verifiedReports: number;
}

/**
 * Registrations for the registrar, flagged first, then oldest first. By
 * default the open ones: pending, and approved ones a verified report put
 * back in the queue.
 */
export async function findRegistrationQueue(
  db: Executor,
  filter: RegistrationQueueFilter,
): Promise<RegistrationQueueItem[]> {
  let query = db
    .selectFrom('seller_registrations as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id');
  if (filter.status) {
    query = query.where('r.status', '=', filter.status);
  } else {
    query = query.where((eb) =>
      eb.or([
        eb('r.status', 'in', pendingStatuses),
        eb.and([eb('r.status', '=', 'approved'), eb('r.flagged', '=', true)]),
      ]),
    );
  }
  if (filter.flagged !== undefined) query = query.where('r.flagged', '=', filter.flagged);
  const rows = await query
    .select([
      'r.id',
      'r.status',
      'r.holder_name',
      'r.business_name',
      'r.business_type',
      'r.flagged',
      'r.flag_reasons',
      'r.created_at',
      'r.claimed_by',
      'r.claimed_until',
      'a.provider',
      'a.number',
      'a.key',
      'a.verified_count',
    ])
    .orderBy('r.flagged', 'desc')
    .orderBy('r.created_at', 'asc')
    .orderBy('r.id', 'asc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status,
    provider: r.provider,
    number: r.number,
    accountKey: r.key,
    holderName: r.holder_name,
    businessName: r.business_name,
    businessType: r.business_type,
    ...queueStateOf(r),
    verifiedReports: Number(r.verified_count),
  }));
}

/** Counts for the queue's header. */
export async function countOpenRegistrations(db: Executor) {
  const row = await db
    .selectFrom('seller_registrations')
    .select([
      sql<number>`sum(case when status = 'submitted' then 1 else 0 end)`.as('submitted'),
      sql<number>`sum(case when status = 'in_review' then 1 else 0 end)`.as('in_review'),
      sql<number>`sum(case when status = 'approved' and flagged = ${true} then 1 else 0 end)`.as(
        'recheck',
      ),
    ])
    .executeTakeFirst();
  return {
    submitted: Number(row?.submitted ?? 0),
    inReview: Number(row?.in_review ?? 0),
    recheck: Number(row?.recheck ?? 0),
  };
}

export interface AccountReport {
  readonly id: number;
  readonly status: ReportStatus;
  readonly category: string;
  readonly source: string;
  readonly createdAt: Date;
}

/** The account's reports in every state, newest first: its history for the registrar. */
export async function findAccountReports(
  db: Executor,
  accountId: number,
): Promise<AccountReport[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'status', 'category', 'source', 'created_at'])
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(100)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status,
    category: r.category,
    source: r.source,
    createdAt: toDate(r.created_at),
  }));
}

// ---------------------------------------------------------------------------
// Claims, decisions, re-checks

/** The rows a registrar may work on: pending, or approved and flagged for a re-check. */
function workable(eb: ExpressionBuilder<DB, 'seller_registrations'>) {
  return eb.or([
    eb('status', 'in', pendingStatuses),
    eb.and([eb('status', '=', 'approved'), eb('flagged', '=', true)]),
  ]);
}

/**
 * Claims the registration for this registrar if it waits for one and no one
 * else holds it now: one conditional UPDATE, so two registrars racing for it
 * cannot both win. A pending one turns in_review; a re-check stays approved
 * (and keeps showing) while it is worked on.
 */
export async function claimRegistration(
  db: Executor,
  id: number,
  operatorId: number,
  now: Date,
  until: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('seller_registrations')
    .set({
      ...claimColumns(operatorId, until),
      status: sql<RegistrationStatus>`case when status = 'submitted' then 'in_review' else status end`,
      updated_at: now,
    })
    .where('id', '=', id)
    .where(workable)
    .where(claimableBy(operatorId, now))
    .executeTakeFirst();
  return changedOne(result);
}

export async function releaseRegistration(
  db: Executor,
  id: number,
  operatorId: number,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('seller_registrations')
    .set({
      ...unclaimed,
      status: sql<RegistrationStatus>`case when status = 'in_review' then 'submitted' else status end`,
      updated_at: now,
    })
    .where('id', '=', id)
    .where(workable)
    .where('claimed_by', '=', operatorId)
    .executeTakeFirst();
  return changedOne(result);
}

/** Approves or rejects a pending registration; false if it is no longer pending. */

export async function decideRegistration(
  db: Executor,
  id: number,
  status: 'approved' | 'rejected',
  decision: DecisionRow,
): Promise<boolean> {
  const result = await db
    .updateTable('seller_registrations')
    .set({ status, ...decisionColumns(decision) })
    .where('id', '=', id)
    .where('status', 'in', pendingStatuses)
    .executeTakeFirst();
  return changedOne(result);
}

/**
 * The outcome of a re-check of an approved registration: kept (the flag is
 * lowered, the verification date and so every link stays) or revoked.
 * Flag reasons stay as its history. False if it is no longer approved.
 */
export async function recheckRegistration(
  db: Executor,
  id: number,
  outcome: 'kept' | 'revoked',
  decision: DecisionRow,
): Promise<boolean> {
  const result = await db
    .updateTable('seller_registrations')
    .set({
      status: outcome === 'kept' ? 'approved' : 'revoked',
      flagged: false,
      rechecked_by: decision.operatorId,
      rechecked_at: decision.at,
      recheck_reason: decision.reason,
      recheck_note: decision.note,
      ...unclaimed,
      updated_at: decision.at,
    })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .executeTakeFirst();
  return changedOne(result);
}

export interface FlaggedRegistration {
  readonly id: number;
  readonly status: RegistrationStatus;
  readonly reason: string;
}

/**
 * Flags the account's approved registrations for a re-check (back in the
 * registrar's queue, claims dropped) and its pending ones as reported.
 * Returns those newly flagged with that reason.
 */
export async function flagRegistrationsOfAccount(
  db: Executor,
  accountId: number,
  at: Date,
): Promise<FlaggedRegistration[]> {
  const rows = await db
    .selectFrom('seller_registrations')
    .select(['id', 'status', 'flag_reasons'])
    .where('account_id', '=', accountId)
    .where('status', 'in', [...pendingStatuses, 'approved'])
    .execute();
  const flagged: FlaggedRegistration[] = [];
  for (const row of rows) {
    const reason = row.status === 'approved' ? 'reported_after_approval' : 'account_reported';
    const reasons = new Set(parseStringList(row.flag_reasons));
    reasons.add(reason);
    await db
      .updateTable('seller_registrations')
      .set({
        flagged: true,
        flag_reasons: JSON.stringify([...reasons]),
        ...(row.status === 'approved' ? unclaimed : {}),
        updated_at: at,
      })
      .where('id', '=', row.id)
      .execute();
    flagged.push({ id: Number(row.id), status: row.status, reason });
  }
  return flagged;
}

// ---------------------------------------------------------------------------
// Retention

/** Rejected registrations decided before `before` whose documents are still kept. */
export async function findExpiredRejected(
  db: Executor,
  before: Date,
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('seller_registrations')
    .select('id')
    .where('status', '=', 'rejected')
    .where('decided_at', '<', before)
    .where('documents_erased_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => Number(r.id));
}

/**
 * Deletes the registration's file rows and its sealed NIK and contact, if
 * it is still rejected and not erased yet. Returns the ids of the files
 * whose content is now to be deleted, or null if there was nothing to do.
 */
export async function eraseRegistrationDocuments(
  db: Executor,
  id: number,
  at: Date,
): Promise<string[] | null> {
  const marked = await db
    .updateTable('seller_registrations')
    .set({ nik_sealed: null, contact_sealed: null, documents_erased_at: at, updated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'rejected')
    .where('documents_erased_at', 'is', null)
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== 1) return null;
  const files = await db
    .deleteFrom('files')
    .where('owner_kind', '=', 'registration')
    .where('owner_id', '=', id)
    .returning('id')
    .execute();
  return files.map((f) => f.id);
}

/** A unique index refused the row (PostgreSQL 23505, SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
