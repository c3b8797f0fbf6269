// The SQL of accounts: find-or-create, the public summary and its refresh,
// change notification for other processes, and the hot-path lookup.
import { sql, type RawBuilder } from 'kysely';
import type { Database, DialectName, Executor } from '../db/database.ts';
import { bulkRows, chunks, dialectOf } from '../db/bulk-rows.ts';
import { toOptionalDate, type NormalizationStatus } from '../db/schema.ts';
import { maskName, type AccountSummary } from './check.ts';
import { keyHash, type ListedHash, type RangeStatus } from './range.ts';
import type { AccountRef } from '../shared/account-number.ts';

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

/** What a range line needs of a listed account. */
interface RangeRow {
  key_hash: string;
  verified_count: number;
  dispute_since: unknown;
  normalized_at: unknown;
  seller_verified_at: unknown;
}

/** The listed accounts whose key hash lies in [from, to), in hash order. */
export type RangeRowsLookup = (from: string, to: string) => ListedHash[] | Promise<ListedHash[]>;

/** The check's status (statusOf), with a clear verified seller named as such. */
function rangeStatusOf(row: RangeRow): RangeStatus {
  if (row.dispute_since !== null) return 'disputed';
  if (Number(row.verified_count) > 0) return 'reported';
  if (row.normalized_at !== null) return 'normalized';
  // refreshSummaries sets the seller's time, business and name from one row: the time says it all.
  return 'verified_seller';
}

function rangeRowsToListed(rows: readonly RangeRow[]): ListedHash[] {
  return rows.map((row) => ({
    keyHash: row.key_hash,
    verifiedCount: Number(row.verified_count),
    status: rangeStatusOf(row),
  }));
}

/** What makes an account listed (the public sees something about it), as SQL text. */
const listedCondition =
  'verified_count > 0 OR dispute_since IS NOT NULL OR normalized_at IS NOT NULL OR ' +
  'seller_verified_at IS NOT NULL';

/** A bucket of the private lookup: the listed accounts whose key hash lies in a range. */
const rangeSql =
  'SELECT key_hash, verified_count, dispute_since, normalized_at, seller_verified_at ' +
  `FROM accounts WHERE key_hash >= $1 AND key_hash < $2 AND (${listedCondition}) ` +
  'ORDER BY key_hash';

/**
 * One bucket of the private lookup: a range scan of the key_hash index, by
 * a prepared statement per dialect like the check's (Kysely re-prepares).
 */
export function preparedRangeLookup(database: Database): RangeRowsLookup {
  if (database.dialect === 'sqlite') {
    const statement = database.sqlite.prepare<[string, string], RangeRow>(
      rangeSql.replace('$1', '?').replace('$2', '?'),
    );
    return (from, to) => rangeRowsToListed(statement.all(from, to));
  }
  const pool = database.pool;
  return async (from, to) => {
    const result = await pool.query<RangeRow>({
      name: 'cekrek_range',
      text: rangeSql,
      values: [from, to],
    });
    return rangeRowsToListed(result.rows);
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

/** Rows are read this many keys at a time: far under either database's bound on parameters. */
const keysPerRead = 1000;

/** The summary rows of those of the keys that have an account, in as few reads as fit. */
export async function summaryRowsOf(
  db: Executor,
  keys: readonly string[],
): Promise<(SummaryRow & { key: string })[]> {
  const rows: (SummaryRow & { key: string })[] = [];
  for (let start = 0; start < keys.length; start += keysPerRead) {
    const chunk = keys.slice(start, start + keysPerRead);
    rows.push(
      ...(await db
        .selectFrom('accounts')
        .select(['key', ...summaryColumns])
        .where('key', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/** An account as an event about it names it, with its summary as it now stands. */
export interface ChangedAccount {
  readonly id: number;
  readonly provider: string;
  readonly number: string;
  readonly key: string;
  readonly keyHash: string;
  readonly summary: AccountSummary;
}

/** The accounts with these ids (read after refreshSummaries, in the change's transaction): a statement per chunk. */
export async function changedAccounts(
  db: Executor,
  accountIds: readonly number[],
): Promise<ChangedAccount[]> {
  const accounts: ChangedAccount[] = [];
  const dialect = dialectOf(db);
  for (const chunk of chunks([...new Set(accountIds)])) {
    const ids = bulkRows(
      dialect,
      'r',
      { id: 'bigint' },
      chunk.map((id) => ({ id })),
    );
    const rows = await db
      .selectFrom('accounts')
      .select(['id', 'provider', 'number', 'key', 'key_hash', ...summaryColumns])
      .where(sql<boolean>`id in (select r.id from ${ids})`)
      .execute();
    for (const { id, provider, number, key, key_hash: keyHash, ...row } of rows) {
      const summary = summaryRowToSummary(row);
      accounts.push({ id: Number(id), provider, number, key, keyHash: keyHash ?? '', summary });
    }
  }
  return accounts;
}

/**
 * Keys of every account the public sees something about, in id order, for a
 * server's filter. Read in pages small enough that a page read on SQLite
 * (whose reads hold the event loop) costs a server tens of milliseconds
 * however large the table, and without the query builder: plain [id, key]
 * arrays (no row objects for the personal-data plugin to look through), by a
 * prepared statement on SQLite and a named query on PostgreSQL. On SQLite
 * this took the build of a million keys from about a second of CPU to a
 * third, and 60 MB off the resident memory.
 */
export function listedKeysOf(database: Database, pageSize = 10_000): () => AsyncIterable<string> {
  const text = `SELECT id, key FROM accounts WHERE id > $1 AND (${listedCondition}) ORDER BY id LIMIT $2`;
  const readPage = listedKeysPage(database, text, pageSize);
  return async function* () {
    let after = 0;
    for (;;) {
      const rows = await readPage(after);
      for (const row of rows) yield row[1];
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]![0];
    }
  };
}

type KeyRow = [id: number, key: string];

/** One page of listedKeysOf's statement after an id, as arrays. */
function listedKeysPage(
  database: Database,
  text: string,
  pageSize: number,
): (after: number) => KeyRow[] | Promise<KeyRow[]> {
  if (database.dialect === 'postgres') {
    const { pool } = database;
    return async (after) =>
      (
        await pool.query<KeyRow>({
          name: 'cekrek_listed_keys',
          text,
          values: [after, pageSize],
          rowMode: 'array',
        })
      ).rows;
  }
  const page = database.sqlite
    .prepare<[number, number], KeyRow>(text.replace('$1', '?').replace('$2', '?'))
    .raw();
  return (after) => page.all(after, pageSize);
}

/** An upper bound of the listed accounts, to size the filter. */
export async function countAccounts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Adds the ids of the accounts with these keys that exist to `ids`. */
async function findAccountIds(
  db: Executor,
  dialect: DialectName,
  keys: readonly string[],
  ids: Map<string, number>,
): Promise<void> {
  if (keys.length === 0) return;
  const rows = bulkRows(
    dialect,
    'r',
    { key: 'text' },
    keys.map((key) => ({ key })),
  );
  const found = await sql<{ id: number; key: string }>`
    select a.id, a.key from accounts a join ${rows} on a.key = r.key`.execute(db);
  for (const row of found.rows) ids.set(row.key, Number(row.id));
}

/** Returns the ids of the accounts, creating those that do not exist yet. */
export async function ensureAccounts(
  db: Executor,
  refs: readonly AccountRef[],
  now: Date,
  options: { demo?: boolean } = {},
): Promise<Map<string, number>> {
  const dialect = dialectOf(db);
  const unique = [...new Map(refs.map((r) => [r.key, r])).values()];
  const ids = new Map<string, number>();
  for (const chunk of chunks(unique)) {
    const rows = bulkRows(
      dialect,
      'r',
      { provider: 'text', number: 'text', key: 'text', key_hash: 'text' },
      chunk.map((r) => ({
        provider: r.provider.code,
        number: r.number,
        key: r.key,
        key_hash: keyHash(r.key),
      })),
    );
    const created = await sql<{ id: number; key: string }>`
      insert into accounts (provider, number, key, key_hash, demo, created_at, updated_at)
      select r.provider, r.number, r.key, r.key_hash, ${options.demo ?? false}, ${now}, ${now}
      from ${rows}
      where true
      on conflict (key) do nothing
      returning id, key`.execute(db);
    for (const row of created.rows) ids.set(row.key, Number(row.id));
    await findAccountIds(
      db,
      dialect,
      chunk.filter((r) => !ids.has(r.key)).map((r) => r.key),
      ids,
    );
  }
  return ids;
}

function jsonObjectAgg(dialect: DialectName, key: RawBuilder<unknown>, value: RawBuilder<unknown>) {
  return dialect === 'postgres'
    ? sql`jsonb_object_agg(${key}, ${value})::text`
    : sql`json_group_object(${key}, ${value})`;
}

/** The verified reports' summary: count, count by category, first and last report. */
function reportsSummary(dialect: DialectName) {
  return sql`(
    select cast(coalesce(sum(c.n), 0) as integer),
           coalesce(${jsonObjectAgg(dialect, sql`c.category`, sql`c.n`)}, '{}'),
           min(c.first_at), max(c.last_at)
    from (
      select category, count(*) as n, min(reported_at) as first_at, max(reported_at) as last_at
      from reports
      where reports.account_id = accounts.id and reports.status = 'verified'
      group by category
    ) c
  )`;
}

/** Since when a normalization request is pending, and when one was last granted. */
function normalizationSummary() {
  const pending = sql.join(pendingNormalizationStatuses.map((s) => sql.lit(s)));
  return sql`(
    select min(case when status in (${pending}) then created_at end),
           max(case when status = 'granted' then decided_at end)
    from normalization_requests
    where normalization_requests.account_id = accounts.id
  )`;
}

/** The latest approved seller registration. */
function sellerSummary() {
  return sql`(
    select business_name, holder_name_masked, decided_at
    from seller_registrations
    where seller_registrations.account_id = accounts.id and seller_registrations.status = 'approved'
    order by decided_at desc
    limit 1
  )`;
}

/**
 * Recomputes the public summary of these accounts from their reports,
 * registrations and normalization requests, and tells other processes.
 * Call it in the transaction that changed them. Returns the changed keys.
 *
 * One statement per chunk, with one subquery per source table assigning
 * several columns at once (row-value SET): an account costs three index
 * probes rather than one per column, which decides the speed of an import.
 */
export async function refreshSummaries(
  db: Executor,
  dialect: DialectName,
  accountIds: readonly number[],
  now: Date,
): Promise<string[]> {
  const keys: string[] = [];
  for (const chunk of chunks(accountIds)) {
    const ids = bulkRows(
      dialect,
      'r',
      { id: 'bigint' },
      chunk.map((id) => ({ id })),
    );
    const updated = await sql<{ key: string }>`
      update accounts set
        (verified_count, category_counts, first_reported_at, last_reported_at) = ${reportsSummary(dialect)},
        (dispute_since, normalized_at) = ${normalizationSummary()},
        (seller_business_name, seller_holder_name, seller_verified_at) = ${sellerSummary()},
        updated_at = ${now}
      where id in (select r.id from ${ids})
      returning key`.execute(db);
    for (const row of updated.rows) keys.push(row.key);
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
    const payloads = chunkPayloads(keys).map((payload) => ({ payload }));
    for (const chunk of chunks(payloads, 1000)) {
      const rows = bulkRows(dialect, 'r', { payload: 'text' }, chunk);
      await sql`select pg_notify(${accountChangeChannel}, r.payload) from ${rows}`.execute(db);
    }
    return;
  }
  for (const chunk of chunks(keys)) {
    const rows = bulkRows(
      dialect,
      'r',
      { key: 'text' },
      chunk.map((key) => ({ key })),
    );
    await sql`insert into account_changes (key, changed_at) select r.key, ${now} from ${rows}`.execute(
      db,
    );
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
