// The SQL of accounts: find-or-create, the public summary and its refresh,
// change notification for other processes, and the hot-path lookup.
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { Database, DialectName } from '../db/database.ts';
import { toOptionalDate, type DB, type NormalizationStatus } from '../db/schema.ts';
import { maskName, type AccountSummary } from './check.ts';
import type { AccountRef } from './account-number.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

/** PostgreSQL channel that carries changed account keys, newline separated. */
export const accountChangeChannel = 'cekrek_account_changed';
/** NOTIFY payloads must stay under 8000 bytes. */
const notifyPayloadLimit = 7000;

export const pendingNormalizationStatuses: readonly NormalizationStatus[] = [
  'submitted',
  'in_review',
  'mediation',
  'proposed',
];

interface SummaryRow {
  verified_count: number;
  category_counts: string;
  first_reported_at: Date | string | null;
  last_reported_at: Date | string | null;
  dispute_since: Date | string | null;
  normalized_at: Date | string | null;
  seller_business_name: string | null;
  seller_holder_name: string | null;
  seller_verified_at: Date | string | null;
  demo: boolean | number;
}

const summaryColumns = [
  'verified_count',
  'category_counts',
  'first_reported_at',
  'last_reported_at',
  'dispute_since',
  'normalized_at',
  'seller_business_name',
  'seller_holder_name',
  'seller_verified_at',
  'demo',
] as const;

function parseCategoryCounts(json: string): Record<string, number> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return parsed as Record<string, number>;
}

export function summaryRowToSummary(row: SummaryRow): AccountSummary {
  const sellerVerifiedAt = toOptionalDate(row.seller_verified_at);
  return {
    verifiedCount: row.verified_count,
    categoryCounts: parseCategoryCounts(row.category_counts),
    firstReportedAt: toOptionalDate(row.first_reported_at),
    lastReportedAt: toOptionalDate(row.last_reported_at),
    disputeSince: toOptionalDate(row.dispute_since),
    normalizedAt: toOptionalDate(row.normalized_at),
    verifiedSeller:
      sellerVerifiedAt && row.seller_business_name && row.seller_holder_name
        ? {
            businessName: row.seller_business_name,
            holderName: maskName(row.seller_holder_name),
            verifiedAt: sellerVerifiedAt,
          }
        : null,
    demo: Boolean(row.demo),
  };
}

/** A lookup by key that skips the query builder: the check's hot path. */
export type SummaryLookup = (
  key: string,
) => SummaryRow | undefined | Promise<SummaryRow | undefined>;

const lookupSql = `SELECT ${summaryColumns.join(', ')} FROM accounts WHERE key = `;

export function preparedSummaryLookup(database: Database): SummaryLookup {
  if (database.dialect === 'sqlite') {
    const statement = database.sqlite.prepare<[string], SummaryRow>(`${lookupSql}?`);
    return (key) => statement.get(key);
  }
  const pool = database.pool;
  const text = `${lookupSql}$1`;
  return async (key) => {
    const result = await pool.query<SummaryRow>({ name: 'cekrek_check', text, values: [key] });
    return result.rows[0];
  };
}

export async function findSummary(db: Executor, key: string): Promise<AccountSummary | undefined> {
  const row = await db
    .selectFrom('accounts')
    .select(summaryColumns)
    .where('key', '=', key)
    .executeTakeFirst();
  return row ? summaryRowToSummary(row) : undefined;
}

/** Keys of every account the public sees something about, in id order. */
export async function* listedAccountKeys(db: Executor, pageSize = 50_000): AsyncGenerator<string> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('accounts')
      .select(['id', 'key'])
      .where('id', '>', after)
      .where((eb) =>
        eb.or([
          eb('verified_count', '>', 0),
          eb('dispute_since', 'is not', null),
          eb('normalized_at', 'is not', null),
          eb('seller_verified_at', 'is not', null),
        ]),
      )
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield row.key;
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = last.id;
  }
}

/** An upper bound of the listed accounts, to size the filter. */
export async function countAccounts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Returns the ids of the accounts, creating those that do not exist yet. */
export async function ensureAccounts(
  db: Executor,
  refs: readonly AccountRef[],
  now: Date,
  options: { demo?: boolean } = {},
): Promise<Map<string, number>> {
  const unique = [...new Map(refs.map((r) => [r.key, r])).values()];
  const ids = new Map<string, number>();
  for (let i = 0; i < unique.length; i += 1000) {
    const chunk = unique.slice(i, i + 1000);
    await db
      .insertInto('accounts')
      .values(
        chunk.map((r) => ({
          provider: r.provider.code,
          number: r.number,
          key: r.key,
          demo: options.demo ?? false,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const rows = await db
      .selectFrom('accounts')
      .select(['id', 'key'])
      .where(
        'key',
        'in',
        chunk.map((r) => r.key),
      )
      .execute();
    for (const row of rows) ids.set(row.key, row.id);
  }
  return ids;
}

function categoryCountsJson(eb: ExpressionBuilder<DB, 'accounts'>, dialect: DialectName) {
  const counts = eb
    .selectFrom('reports')
    .select(['reports.category', (e) => e.fn.countAll().as('n')])
    .whereRef('reports.account_id', '=', 'accounts.id')
    .where('reports.status', '=', 'verified')
    .groupBy('reports.category');
  return dialect === 'postgres'
    ? sql<string>`(select coalesce(jsonb_object_agg(c.category, c.n)::text, '{}') from (${counts}) c)`
    : sql<string>`(select coalesce(json_group_object(c.category, c.n), '{}') from (${counts}) c)`;
}

/**
 * Recomputes the public summary of these accounts from their reports,
 * registrations and normalization requests, and tells other processes.
 * Call it in the transaction that changed them. Returns the changed keys.
 */
export async function refreshSummaries(
  db: Executor,
  dialect: DialectName,
  accountIds: readonly number[],
  now: Date,
): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < accountIds.length; i += 2000) {
    const chunk = accountIds.slice(i, i + 2000);
    const updated = await db
      .updateTable('accounts')
      .set((eb) => {
        const verifiedReports = eb
          .selectFrom('reports')
          .whereRef('reports.account_id', '=', 'accounts.id')
          .where('reports.status', '=', 'verified');
        const requests = eb
          .selectFrom('normalization_requests')
          .whereRef('normalization_requests.account_id', '=', 'accounts.id');
        const approvedSeller = eb
          .selectFrom('seller_registrations')
          .whereRef('seller_registrations.account_id', '=', 'accounts.id')
          .where('seller_registrations.status', '=', 'approved')
          .orderBy('seller_registrations.decided_at', 'desc')
          .limit(1);
        return {
          verified_count: verifiedReports.select((e) => e.fn.countAll<number>().as('n')),
          category_counts: categoryCountsJson(eb, dialect),
          first_reported_at: verifiedReports.select((e) => e.fn.min('reports.reported_at').as('v')),
          last_reported_at: verifiedReports.select((e) => e.fn.max('reports.reported_at').as('v')),
          dispute_since: requests
            .where('normalization_requests.status', 'in', pendingNormalizationStatuses)
            .select((e) => e.fn.min('normalization_requests.created_at').as('v')),
          normalized_at: requests
            .where('normalization_requests.status', '=', 'granted')
            .select((e) => e.fn.max('normalization_requests.decided_at').as('v')),
          seller_business_name: approvedSeller.select('seller_registrations.business_name'),
          seller_holder_name: approvedSeller.select('seller_registrations.holder_name'),
          seller_verified_at: approvedSeller.select('seller_registrations.decided_at'),
          updated_at: now,
        };
      })
      .where('id', 'in', chunk)
      .returning('key')
      .execute();
    for (const row of updated) keys.push(row.key);
  }
  await announceChanges(db, dialect, keys, now);
  return keys;
}

/**
 * Tells every other process that these accounts changed, on commit: NOTIFY on
 * PostgreSQL, the account_changes log on SQLite (read by whoever sees
 * PRAGMA data_version move).
 */
export async function announceChanges(
  db: Executor,
  dialect: DialectName,
  keys: readonly string[],
  now: Date,
): Promise<void> {
  if (keys.length === 0) return;
  if (dialect === 'postgres') {
    for (const payload of chunkPayloads(keys)) {
      await sql`select pg_notify(${accountChangeChannel}, ${payload})`.execute(db);
    }
    return;
  }
  for (let i = 0; i < keys.length; i += 5000) {
    await db
      .insertInto('account_changes')
      .values(keys.slice(i, i + 5000).map((key) => ({ key, changed_at: now })))
      .execute();
  }
}

function chunkPayloads(keys: readonly string[]): string[] {
  const payloads: string[] = [];
  let current = '';
  for (const key of keys) {
    if (current.length + key.length + 1 > notifyPayloadLimit) {
      payloads.push(current);
      current = '';
    }
    current = current ? `${current}\n${key}` : key;
  }
  if (current) payloads.push(current);
  return payloads;
}

/** SQLite: changes after `seq`, oldest first. */
export async function accountChangesSince(
  db: Executor,
  seq: number,
  limit: number,
): Promise<{ seq: number; key: string }[]> {
  return db
    .selectFrom('account_changes')
    .select(['seq', 'key'])
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function latestAccountChange(db: Executor): Promise<{ first: number; last: number }> {
  const row = await db
    .selectFrom('account_changes')
    .select((eb) => [eb.fn.min('seq').as('first'), eb.fn.max('seq').as('last')])
    .executeTakeFirstOrThrow();
  return { first: Number(row.first ?? 0), last: Number(row.last ?? 0) };
}

export async function pruneAccountChanges(db: Executor, olderThan: Date): Promise<void> {
  await db.deleteFrom('account_changes').where('changed_at', '<', olderThan).execute();
}
