// The SQL of public reports: filing one, the reviewer's queue, claims and
// decisions. Rows are mapped to domain types here and go no further.
import { sql } from 'kysely';
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
import { joinedAccount, parseStringList } from '../db/row-values.ts';
import { toDate, type ReportStatus } from '../db/schema.ts';

export interface NewReportRow {
  readonly accountId: number;
  readonly category: string;
  readonly holderName: string;
  readonly reportedPhone: string | null;
  readonly reportedSocials: string | null;
  readonly reportedWebsite: string | null;
  readonly incidentDate: string;
  readonly incidentTime: string | null;
  readonly amount: number | null;
  readonly platform: string;
  readonly locationDetails: string | null;
  readonly city: string | null;
  readonly chronology: string;
  readonly reporterSealed: string;
  readonly reporterEmailHash: string;
  readonly clientHash: string;
  readonly lang: string;
  readonly flagReasons: readonly string[];
  /** The partner whose key filed it; null for the public. */
  readonly partnerId: number | null;
  readonly at: Date;
}

export async function insertReport(db: Executor, row: NewReportRow): Promise<number> {
  const inserted = await db
    .insertInto('reports')
    .values({
      account_id: row.accountId,
      status: 'submitted',
      category: row.category,
      source: 'public',
      holder_name: row.holderName,
      reported_phone: row.reportedPhone,
      reported_socials: row.reportedSocials,
      reported_website: row.reportedWebsite,
      incident_date: row.incidentDate,
      incident_time: row.incidentTime,
      amount: row.amount,
      platform: row.platform,
      location_details: row.locationDetails,
      city: row.city,
      chronology: row.chronology,
      reporter_sealed: row.reporterSealed,
      reporter_email_hash: row.reporterEmailHash,
      client_hash: row.clientHash,
      lang: row.lang,
      ...flagColumns(row.flagReasons),
      partner_id: row.partnerId,
      reported_at: row.at,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

const openStatuses: ReportStatus[] = ['submitted', 'in_review'];

/** Whether this reporter already has a report on the account that is not decided yet. */
export async function hasOpenReport(
  db: Executor,
  accountId: number,
  reporterEmailHash: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('reports')
    .select('id')
    .where('account_id', '=', accountId)
    .where('reporter_email_hash', '=', reporterEmailHash)
    .where('status', 'in', openStatuses)
    .executeTakeFirst();
  return row !== undefined;
}

/** Reports on the account since `since` from this client or this reporter, for the burst flag. */
export async function recentReportsFrom(
  db: Executor,
  accountId: number,
  since: Date,
  who: { clientHash: string; reporterEmailHash: string },
): Promise<{ id: number; sameClient: boolean; sameReporter: boolean; flagged: boolean }[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'client_hash', 'reporter_email_hash', 'flagged'])
    .where('account_id', '=', accountId)
    .where('source', '=', 'public')
    .where('created_at', '>=', since)
    .where((eb) =>
      eb.or([
        eb('client_hash', '=', who.clientHash),
        eb('reporter_email_hash', '=', who.reporterEmailHash),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    sameClient: r.client_hash === who.clientHash,
    sameReporter: r.reporter_email_hash === who.reporterEmailHash,
    flagged: Boolean(r.flagged),
  }));
}

export async function flagReports(
  db: Executor,
  ids: readonly number[],
  reason: string,
  at: Date,
): Promise<void> {
  if (!ids.length) return;
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'flag_reasons'])
    .where('id', 'in', ids)
    .execute();
  for (const row of rows) {
    const reasons = new Set(parseStringList(row.flag_reasons));
    reasons.add(reason);
    await db
      .updateTable('reports')
      .set({ flagged: true, flag_reasons: JSON.stringify([...reasons]), updated_at: at })
      .where('id', '=', row.id)
      .execute();
  }
}

// ---------------------------------------------------------------------------
// The reviewer's side

export interface QueueFilter {
  readonly status?: ReportStatus | undefined;
  readonly category?: string | undefined;
  readonly provider?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  readonly flagged?: boolean | undefined;
  /** Filed by the public (no key), or by any partner. */
  readonly source?: 'public' | 'partner' | undefined;
  /** Filed by this partner. */
  readonly partnerId?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

export interface QueueItem extends QueueState {
  readonly id: number;
  readonly status: ReportStatus;
  readonly category: string;
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
  readonly accountId: number;
  readonly holderName: string | null;
  readonly amount: number | null;
  /** Reports on the same account, in any state, this one included. */
  readonly accountReports: number;
  /** The partner that filed it; null for the public. */
  readonly partner: ReportPartner | null;
}

/** The partner a report came from, as a reviewer sees it. */
export interface ReportPartner {
  readonly id: number;
  readonly name: string;
}

function partnerOf(row: {
  partner_id: number | string | null;
  partner_name: string | null;
}): ReportPartner | null {
  if (row.partner_id === null) return null;
  return { id: Number(row.partner_id), name: row.partner_name ?? '' };
}

/**
 * Public reports for review, oldest first, with reports on the same account
 * next to each other (ordered by the account's oldest matching report).
 */
export async function findQueue(db: Executor, filter: QueueFilter): Promise<QueueItem[]> {
  let query = db
    .selectFrom('reports as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .leftJoin('partners as p', 'p.id', 'r.partner_id')
    .where('r.source', '=', 'public');
  if (filter.source === 'public') query = query.where('r.partner_id', 'is', null);
  if (filter.source === 'partner') query = query.where('r.partner_id', 'is not', null);
  if (filter.partnerId !== undefined) query = query.where('r.partner_id', '=', filter.partnerId);
  if (filter.status) query = query.where('r.status', '=', filter.status);
  else query = query.where('r.status', 'in', openStatuses);
  if (filter.category) query = query.where('r.category', '=', filter.category);
  if (filter.provider) query = query.where('a.provider', '=', filter.provider);
  if (filter.from) query = query.where('r.created_at', '>=', filter.from);
  if (filter.to) query = query.where('r.created_at', '<', filter.to);
  if (filter.flagged !== undefined) query = query.where('r.flagged', '=', filter.flagged);
  const rows = await query
    .select([
      'r.id',
      'r.status',
      'r.category',
      'r.holder_name',
      'r.amount',
      'r.flagged',
      'r.flag_reasons',
      'r.created_at',
      'r.claimed_by',
      'r.claimed_until',
      'a.id as account_id',
      'a.provider',
      'a.number',
      'a.key',
      'r.partner_id',
      'p.name as partner_name',
    ])
    .select((eb) => [
      eb.fn
        .min('r.created_at')
        .over((o) => o.partitionBy('r.account_id'))
        .as('group_start'),
      eb
        .selectFrom('reports as o')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('o.account_id', '=', 'r.account_id')
        .as('account_reports'),
    ])
    .orderBy('group_start', 'asc')
    .orderBy('r.account_id', 'asc')
    .orderBy('r.created_at', 'asc')
    .orderBy('r.id', 'asc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    status: r.status,
    category: r.category,
    provider: r.provider,
    number: r.number,
    accountKey: r.key,
    accountId: Number(r.account_id),
    holderName: r.holder_name,
    amount: r.amount === null ? null : Number(r.amount),
    ...queueStateOf(r),
    accountReports: Number(r.account_reports ?? 0),
    partner: partnerOf(r),
  }));
}

export interface ReportRecord extends ReviewState {
  readonly id: number;
  readonly ticket: string | null;
  readonly accountId: number;
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
  readonly status: ReportStatus;
  readonly source: string;
  readonly category: string;
  readonly holderName: string | null;
  readonly reportedPhone: string | null;
  readonly reportedSocials: string | null;
  readonly reportedWebsite: string | null;
  readonly incidentDate: string | null;
  readonly incidentTime: string | null;
  readonly amount: number | null;
  readonly platform: string | null;
  readonly locationDetails: string | null;
  readonly city: string | null;
  readonly chronology: string | null;
  readonly reporterSealed: string | null;
  readonly lang: string | null;
  /** The partner that filed or imported it; null for the public. */
  readonly partner: ReportPartner | null;
}

export async function findReport(
  db: Executor,
  id: number,
  options: { forUpdate?: boolean } = {},
): Promise<ReportRecord | undefined> {
  let query = db
    .selectFrom('reports as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .leftJoin('partners as p', 'p.id', 'r.partner_id')
    .selectAll('r')
    .select(['a.provider', 'a.number', 'a.key', 'p.name as partner_name'])
    .where('r.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('r');
  const r = await query.executeTakeFirst();
  if (!r) return undefined;
  return {
    id: Number(r.id),
    ticket: r.ticket,
    ...joinedAccount(r),
    status: r.status,
    source: r.source,
    category: r.category,
    holderName: r.holder_name,
    reportedPhone: r.reported_phone,
    reportedSocials: r.reported_socials,
    reportedWebsite: r.reported_website,
    incidentDate: r.incident_date,
    incidentTime: r.incident_time,
    amount: r.amount === null ? null : Number(r.amount),
    platform: r.platform,
    locationDetails: r.location_details,
    city: r.city,
    chronology: r.chronology,
    reporterSealed: r.reporter_sealed,
    lang: r.lang,
    partner: partnerOf(r),
    ...reviewStateOf(r),
  };
}

export interface SiblingReport {
  readonly id: number;
  readonly status: ReportStatus;
  readonly category: string;
  readonly source: string;
  readonly createdAt: Date;
}

/** The account's other reports, newest first. */
export async function findSiblingReports(
  db: Executor,
  accountId: number,
  exceptId: number,
): Promise<SiblingReport[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['id', 'status', 'category', 'source', 'created_at'])
    .where('account_id', '=', accountId)
    .where('id', '!=', exceptId)
    .orderBy('created_at', 'desc')
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

/**
 * Claims the report for this operator if it is open and not claimed by
 * someone else right now. One conditional UPDATE: two reviewers racing for
 * the same report cannot both win, on either database.
 */
export async function claimReport(
  db: Executor,
  id: number,
  operatorId: number,
  now: Date,
  until: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('reports')
    .set({ ...claimColumns(operatorId, until), status: 'in_review', updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', openStatuses)
    .where(claimableBy(operatorId, now))
    .executeTakeFirst();
  return changedOne(result);
}

/**
 * The oldest open report nobody holds, locked for this transaction. On
 * PostgreSQL `SKIP LOCKED` lets reviewers asking at the same moment each get
 * a different one instead of waiting on the same row; SQLite serializes
 * writers, so there the plain read is already exclusive.
 */
export async function lockNextUnclaimed(
  db: Executor,
  dialect: 'sqlite' | 'postgres',
  now: Date,
): Promise<number | undefined> {
  let query = db
    .selectFrom('reports')
    .select('id')
    .where('source', '=', 'public')
    .where('status', 'in', openStatuses)
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_until', '<', now)]))
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1);
  if (dialect === 'postgres') query = query.forUpdate().skipLocked();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : Number(row.id);
}

export async function releaseReport(db: Executor, id: number, operatorId: number, now: Date) {
  const result = await db
    .updateTable('reports')
    .set({ ...unclaimed, status: 'submitted', updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'in_review')
    .where('claimed_by', '=', operatorId)
    .executeTakeFirst();
  return changedOne(result);
}

export async function decideReport(
  db: Executor,
  id: number,
  decision: DecisionRow & { status: 'verified' | 'rejected' },
): Promise<boolean> {
  const result = await db
    .updateTable('reports')
    .set({
      status: decision.status,
      verified_at: decision.status === 'verified' ? decision.at : null,
      ...decisionColumns(decision),
    })
    .where('id', '=', id)
    .where('status', 'in', openStatuses)
    .executeTakeFirst();
  return changedOne(result);
}

/** Counts for the queue's header: open reports by state, flagged among them. */
export async function countOpenReports(db: Executor) {
  const row = await db
    .selectFrom('reports')
    .select([
      sql<number>`sum(case when status = 'submitted' then 1 else 0 end)`.as('submitted'),
      sql<number>`sum(case when status = 'in_review' then 1 else 0 end)`.as('in_review'),
    ])
    .where('source', '=', 'public')
    .executeTakeFirst();
  return { submitted: Number(row?.submitted ?? 0), inReview: Number(row?.in_review ?? 0) };
}
