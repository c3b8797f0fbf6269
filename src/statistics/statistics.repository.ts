// The SQL of the statistics: counting one month of each table by time range
// (the indexes of migration 0020 make each a range scan, whatever the size of
// the tables), replacing a month's aggregate rows, and reading them back.
// Demo data (reports.source = 'demo', accounts.demo) is never counted.
import { sql } from 'kysely';
import type { Executor } from '../db/database.ts';
import { toDate } from '../db/schema.ts';

/** The measures stored per month; `dimension` is '' unless the measure says otherwise. */
export const measures = [
  'reports_submitted',
  'reports_verified',
  'reports_rejected',
  /** dimension: the category code */
  'verified_by_category',
  /** dimension: 'bank' or 'ewallet' */
  'verified_by_provider_kind',
  'normalizations_submitted',
  'normalizations_granted',
  'normalizations_denied',
  'registrations_submitted',
  'registrations_approved',
] as const;

export type Measure = (typeof measures)[number];

export interface AggregateRow {
  readonly month: string;
  readonly measure: Measure;
  readonly dimension: string;
  readonly count: number;
  readonly amountCount: number;
  readonly amountTotal: number;
  readonly amountMedian: number | null;
}

export interface MonthBounds {
  readonly start: Date;
  readonly end: Date;
}

/** Reports whose verification stands (a later normalization does not undo that it was verified). */
const verifiedStatuses = ['verified', 'normalized'] as const;

const num = (value: unknown): number => Number(value ?? 0);

/**
 * The status as an expression, which no index serves: SQLite would otherwise
 * read a month through the (status, created_at) index, that is every report
 * of the status, rather than the month's range of the time index.
 */
const statusOf = (column: 'status' | 'reports.status') => sql<string>`${sql.ref(column)} || ''`;

export async function countSubmittedReports(db: Executor, b: MonthBounds): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('created_at', '>=', b.start)
    .where('created_at', '<', b.end)
    .where('source', '<>', 'demo')
    .executeTakeFirst();
  return num(row?.n);
}

export async function countRejectedReports(db: Executor, b: MonthBounds): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('decided_at', '>=', b.start)
    .where('decided_at', '<', b.end)
    .where(statusOf('status'), '=', 'rejected')
    .where('source', '<>', 'demo')
    .executeTakeFirst();
  return num(row?.n);
}

export interface CategoryCount {
  readonly category: string;
  readonly count: number;
  readonly amountCount: number;
  readonly amountTotal: number;
}

/** The month's verified reports by category, with the amounts of those that gave one. */
export async function countVerifiedByCategory(
  db: Executor,
  b: MonthBounds,
): Promise<CategoryCount[]> {
  const rows = await db
    .selectFrom('reports')
    .select((eb) => [
      'category',
      eb.fn.countAll().as('n'),
      eb.fn.count('amount').as('amounts'),
      eb.fn.sum('amount').as('total'),
    ])
    .where('verified_at', '>=', b.start)
    .where('verified_at', '<', b.end)
    .where(statusOf('status'), 'in', verifiedStatuses)
    .where('source', '<>', 'demo')
    .groupBy('category')
    .execute();
  return rows.map((r) => ({
    category: r.category,
    count: num(r.n),
    amountCount: num(r.amounts),
    amountTotal: num(r.total),
  }));
}

/** The month's verified reports by the reported account's provider code. */
export async function countVerifiedByProvider(
  db: Executor,
  b: MonthBounds,
): Promise<{ provider: string; count: number }[]> {
  const rows = await db
    .selectFrom('reports')
    .innerJoin('accounts', 'accounts.id', 'reports.account_id')
    .select((eb) => ['accounts.provider', eb.fn.countAll().as('n')])
    .where('reports.verified_at', '>=', b.start)
    .where('reports.verified_at', '<', b.end)
    .where(statusOf('reports.status'), 'in', verifiedStatuses)
    .where('reports.source', '<>', 'demo')
    .groupBy('accounts.provider')
    .execute();
  return rows.map((r) => ({ provider: r.provider, count: num(r.n) }));
}

/**
 * The median of the month's verified amounts, of `amountCount` of them: the
 * middle one, or the mean of the two middle ones (rounded to the rupiah).
 */
export async function medianVerifiedAmount(
  db: Executor,
  b: MonthBounds,
  amountCount: number,
): Promise<number | null> {
  if (amountCount === 0) return null;
  const middle = await db
    .selectFrom('reports')
    .select('amount')
    .where('verified_at', '>=', b.start)
    .where('verified_at', '<', b.end)
    .where(statusOf('status'), 'in', verifiedStatuses)
    .where('source', '<>', 'demo')
    .where('amount', 'is not', null)
    .orderBy('amount')
    .limit(amountCount % 2 === 1 ? 1 : 2)
    .offset(Math.floor((amountCount - 1) / 2))
    .execute();
  const values = middle.map((r) => num(r.amount));
  if (values.length === 0) return null;
  return Math.round(values.reduce((a, v) => a + v, 0) / values.length);
}

type DecidedTable = 'normalization_requests' | 'seller_registrations';

/** Requests of the table filed in the month, on real (not demo) accounts. */
export async function countFiled(db: Executor, table: DecidedTable, b: MonthBounds) {
  const row = await db
    .selectFrom(table)
    .innerJoin('accounts', 'accounts.id', `${table}.account_id`)
    .select((eb) => eb.fn.countAll().as('n'))
    .where(`${table}.created_at`, '>=', b.start)
    .where(`${table}.created_at`, '<', b.end)
    .where('accounts.demo', '=', false)
    .executeTakeFirst();
  return num(row?.n);
}

/** Requests of the table decided in the month, by their status now. */
export async function countDecided(
  db: Executor,
  table: DecidedTable,
  b: MonthBounds,
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom(table)
    .innerJoin('accounts', 'accounts.id', `${table}.account_id`)
    .select((eb) => [`${table}.status`, eb.fn.countAll().as('n')])
    .where(`${table}.decided_at`, '>=', b.start)
    .where(`${table}.decided_at`, '<', b.end)
    .where('accounts.demo', '=', false)
    .groupBy(`${table}.status`)
    .execute();
  return new Map(rows.map((r) => [String(r.status), num(r.n)]));
}

/** The earliest time any counted record was filed or decided; null when there is none. */
export async function earliestRecord(db: Executor): Promise<Date | null> {
  const [reports, normalizations, registrations] = await Promise.all([
    db
      .selectFrom('reports')
      .select((eb) => [eb.fn.min('created_at').as('a'), eb.fn.min('verified_at').as('b')])
      .where('source', '<>', 'demo')
      .executeTakeFirst(),
    db
      .selectFrom('normalization_requests')
      .select((eb) => eb.fn.min('created_at').as('a'))
      .executeTakeFirst(),
    db
      .selectFrom('seller_registrations')
      .select((eb) => eb.fn.min('created_at').as('a'))
      .executeTakeFirst(),
  ]);
  const times = [reports?.a, reports?.b, normalizations?.a, registrations?.a]
    .filter((v): v is Date | string => v != null)
    .map((v) => toDate(v).getTime());
  return times.length === 0 ? null : new Date(Math.min(...times));
}

/**
 * The earliest month a change from `since` on touched: what was filed from
 * then on, and the verification times of those (an import files today
 * reports verified long ago). Decisions from then on fall in months from
 * `since` on, which the caller rebuilds anyway.
 */
export async function earliestChangedSince(db: Executor, since: Date): Promise<Date | null> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.min('verified_at').as('a'))
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return row?.a == null ? null : toDate(row.a);
}

/** The time columns the figures are counted by, each indexed (migration 0020). */
const countedTimes = [
  ['reports', 'created_at'],
  ['reports', 'verified_at'],
  ['reports', 'decided_at'],
  ['normalization_requests', 'created_at'],
  ['normalization_requests', 'decided_at'],
  ['seller_registrations', 'created_at'],
  ['seller_registrations', 'decided_at'],
  // A revoked seller leaves the sellers' total; the table is small.
  ['seller_registrations', 'rechecked_at'],
] as const;

/**
 * Whether anything a figure counts changed from `since` on: one probe of an
 * index per column, so an idle system's rebuild reads nothing more.
 */
export async function changedSince(db: Executor, since: Date): Promise<boolean> {
  for (const [table, column] of countedTimes) {
    const row = await db
      .selectFrom(table)
      .select(sql<number>`1`.as('one'))
      .where(column, '>=', since)
      .limit(1)
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}

export async function countTotals(
  db: Executor,
): Promise<{ listedAccounts: number; verifiedSellers: number }> {
  const row = await db
    .selectFrom('accounts')
    .select([
      sql<number>`sum(case when verified_count > 0 then 1 else 0 end)`.as('listed'),
      sql<number>`sum(case when seller_verified_at is not null then 1 else 0 end)`.as('sellers'),
    ])
    .where('demo', '=', false)
    .executeTakeFirst();
  return { listedAccounts: num(row?.listed), verifiedSellers: num(row?.sellers) };
}

/** Replaces the stored rows of one month with `rows`, in the caller's transaction. */
export async function replaceMonth(
  db: Executor,
  month: string,
  rows: readonly AggregateRow[],
): Promise<void> {
  await db.deleteFrom('statistics_monthly').where('month', '=', month).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('statistics_monthly')
    .values(
      rows.map((r) => ({
        month: r.month,
        measure: r.measure,
        dimension: r.dimension,
        count: r.count,
        amount_count: r.amountCount,
        amount_total: r.amountTotal,
        amount_median: r.amountMedian,
      })),
    )
    .execute();
}

/** Removes the months outside [first, last] (after a full rebuild). */
export async function deleteMonthsOutside(db: Executor, first: string, last: string) {
  await db
    .deleteFrom('statistics_monthly')
    .where((eb) => eb.or([eb('month', '<', first), eb('month', '>', last)]))
    .execute();
}

export interface StoredState {
  readonly rebuiltAt: Date;
  readonly watermark: Date;
  readonly listedAccounts: number;
  readonly verifiedSellers: number;
}

export async function readState(db: Executor): Promise<StoredState | null> {
  const row = await db
    .selectFrom('statistics_state')
    .selectAll()
    .where('id', '=', 1)
    .executeTakeFirst();
  if (!row) return null;
  return {
    rebuiltAt: toDate(row.rebuilt_at),
    watermark: toDate(row.watermark),
    listedAccounts: num(row.listed_accounts),
    verifiedSellers: num(row.verified_sellers),
  };
}

export async function writeState(db: Executor, state: StoredState): Promise<void> {
  const values = {
    rebuilt_at: state.rebuiltAt,
    watermark: state.watermark,
    listed_accounts: state.listedAccounts,
    verified_sellers: state.verifiedSellers,
  };
  await db
    .insertInto('statistics_state')
    .values({ id: 1, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
}

/** The stored rows of the months from `first` to `last` (both 'YYYY-MM'). */
export async function readMonths(db: Executor, first: string, last: string) {
  const rows = await db
    .selectFrom('statistics_monthly')
    .selectAll()
    .where('month', '>=', first)
    .where('month', '<=', last)
    .execute();
  return rows.map((r): AggregateRow => ({
    month: r.month,
    measure: r.measure as Measure,
    dimension: r.dimension,
    count: num(r.count),
    amountCount: num(r.amount_count),
    amountTotal: num(r.amount_total),
    amountMedian: r.amount_median == null ? null : num(r.amount_median),
  }));
}

/** The first month with a stored figure; null when there is none. */
export async function firstStoredMonth(db: Executor): Promise<string | null> {
  const row = await db
    .selectFrom('statistics_monthly')
    .select((eb) => eb.fn.min('month').as('first'))
    .executeTakeFirst();
  return row?.first ?? null;
}
