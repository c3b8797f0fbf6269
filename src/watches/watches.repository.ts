// The SQL of watches: the hashes a partner watches, the provider codes it
// watches whole, who watches a changed account, and the deliveries an event
// leaves in the outbox (webhook_deliveries) for the delivery worker.
import { sql, type RawBuilder } from 'kysely';
import type { DialectName, Executor } from '../db/database.ts';
import { bulkRows, chunks } from '../db/bulk-rows.ts';
import type { PartnerKind } from '../db/schema.ts';

function hashRows(dialect: DialectName, hashes: readonly string[]) {
  return bulkRows(
    dialect,
    'r',
    { key_hash: 'text' },
    hashes.map((h) => ({ key_hash: h })),
  );
}

/** Adds the hashes (distinct, lower-case) the partner does not watch yet; returns how many. */
export async function insertWatches(
  db: Executor,
  dialect: DialectName,
  partnerId: number,
  hashes: readonly string[],
  now: Date,
): Promise<number> {
  let added = 0;
  for (const chunk of chunks(hashes)) {
    const result = await sql<{ key_hash: string }>`
      insert into partner_watches (partner_id, key_hash, created_at)
      select ${partnerId}, r.key_hash, ${now}
      from ${hashRows(dialect, chunk)}
      where true
      on conflict (partner_id, key_hash) do nothing
      returning key_hash`.execute(db);
    added += result.rows.length;
  }
  return added;
}

/** Removes those of the hashes the partner watches; returns how many. */
export async function deleteWatches(
  db: Executor,
  dialect: DialectName,
  partnerId: number,
  hashes: readonly string[],
): Promise<number> {
  let removed = 0;
  for (const chunk of chunks(hashes)) {
    const result = await sql<{ key_hash: string }>`
      delete from partner_watches
      where partner_id = ${partnerId}
        and key_hash in (select r.key_hash from ${hashRows(dialect, chunk)})
      returning key_hash`.execute(db);
    removed += result.rows.length;
  }
  return removed;
}

/** The partner's hashes after `after` (null: from the first), in key order, at most `limit`. */
export async function watchedHashes(
  db: Executor,
  partnerId: number,
  after: string | null,
  limit: number,
): Promise<string[]> {
  let query = db
    .selectFrom('partner_watches')
    .select('key_hash')
    .where('partner_id', '=', partnerId)
    .orderBy('key_hash')
    .limit(limit);
  if (after !== null) query = query.where('key_hash', '>', after);
  return (await query.execute()).map((row) => row.key_hash);
}

export async function countWatches(db: Executor, partnerId: number): Promise<number> {
  const row = await db
    .selectFrom('partner_watches')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('partner_id', '=', partnerId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The provider codes the partner watches whole, sorted. */
export async function watchedProviders(db: Executor, partnerId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('partner_provider_watches')
    .select('provider')
    .where('partner_id', '=', partnerId)
    .orderBy('provider')
    .execute();
  return rows.map((row) => row.provider);
}

/** What deciding a provider watch needs of a partner, read under a lock on PostgreSQL. */
export async function partnerHoldings(
  db: Executor,
  partnerId: number,
  forUpdate: boolean,
): Promise<{ kind: PartnerKind; providerCodes: string[] } | undefined> {
  let query = db
    .selectFrom('partners')
    .select(['kind', 'provider_codes'])
    .where('id', '=', partnerId);
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const codes: unknown = JSON.parse(row.provider_codes);
  return {
    kind: row.kind,
    providerCodes: Array.isArray(codes)
      ? codes.filter((c): c is string => typeof c === 'string')
      : [],
  };
}

/** Makes the partner's provider watches exactly `codes`. */
export async function replaceProviderWatches(
  db: Executor,
  partnerId: number,
  codes: readonly string[],
  now: Date,
): Promise<void> {
  let removal = db.deleteFrom('partner_provider_watches').where('partner_id', '=', partnerId);
  if (codes.length > 0) removal = removal.where('provider', 'not in', codes);
  await removal.execute();
  if (codes.length === 0) return;
  await db
    .insertInto('partner_provider_watches')
    .values(codes.map((provider) => ({ provider, partner_id: partnerId, created_at: now })))
    .onConflict((oc) => oc.columns(['provider', 'partner_id']).doNothing())
    .execute();
}

/** A changed account and a partner that watches it (by its hash, its provider, or both). */
export interface Watcher {
  readonly accountId: number;
  readonly partnerId: number;
}

/**
 * Who watches these accounts (at most one chunk of them), as one statement.
 * Each account is one probe of the key_hash index of partner_watches (the
 * stored hashes are lower-case, the accounts' upper-case: the lower-casing
 * is on the account's side, so the index serves) and one of the provider
 * watches' key. On PostgreSQL the lateral subquery with its UNION is planned
 * per account (never pulled up into a join), so however many hashes are
 * watched the planner cannot turn the match into a hash join over them all.
 */
export function watchersQuery(
  dialect: DialectName,
  accountIds: readonly number[],
): RawBuilder<{ account_id: number; partner_id: number }> {
  const ids = bulkRows(
    dialect,
    'r',
    { id: 'bigint' },
    accountIds.map((id) => ({ id })),
  );
  return dialect === 'postgres'
    ? sql`
        select a.id as account_id, w.partner_id
        from ${ids}
        join accounts a on a.id = r.id
        cross join lateral (
          select pw.partner_id from partner_watches pw
          where pw.key_hash = (lower(a.key_hash) collate "default")
          union
          select pp.partner_id from partner_provider_watches pp
          where pp.provider = a.provider
        ) w`
    : sql`
        with c as (select a.id, a.key_hash, a.provider from ${ids} join accounts a on a.id = r.id)
        select c.id as account_id, pw.partner_id
        from c join partner_watches pw on pw.key_hash = lower(c.key_hash)
        union
        select c.id, pp.partner_id
        from c join partner_provider_watches pp on pp.provider = c.provider`;
}

/** Whether anyone watches anything (the first row of either table decides). */
export async function anyWatches(db: Executor): Promise<boolean> {
  const result = await sql<{ watched: boolean | number }>`
    select (exists (select 1 from partner_watches)
            or exists (select 1 from partner_provider_watches)) as watched`.execute(db);
  return Boolean(Number(result.rows[0]?.watched ?? 0));
}

/** Who watches these accounts: one statement per chunk. */
export async function watchersOf(
  db: Executor,
  dialect: DialectName,
  accountIds: readonly number[],
): Promise<Watcher[]> {
  const watchers: Watcher[] = [];
  for (const chunk of chunks(accountIds)) {
    const found = await watchersQuery(dialect, chunk).execute(db);
    for (const row of found.rows) {
      watchers.push({ accountId: Number(row.account_id), partnerId: Number(row.partner_id) });
    }
  }
  return watchers;
}

/** A partner's endpoint that is neither deleted nor disabled, with the events it takes. */
export interface LiveEndpoint {
  readonly id: number;
  readonly partnerId: number;
  /** The stored JSON array, read by the caller (an unreadable one takes nothing). */
  readonly events: string;
}

export async function liveEndpointsOf(
  db: Executor,
  partnerIds: readonly number[],
): Promise<LiveEndpoint[]> {
  if (partnerIds.length === 0) return [];
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'partner_id', 'events'])
    .where('partner_id', 'in', partnerIds)
    .where('deleted_at', 'is', null)
    .where('disabled_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: Number(row.id),
    partnerId: Number(row.partner_id),
    events: row.events,
  }));
}

/** One event for one endpoint, due at once. */
export interface NewDelivery {
  readonly messageId: string;
  readonly endpointId: number;
  readonly eventType: string;
  readonly body: string;
}

/** Inserts the deliveries, pending and due `now`: a few statements however many. */
export async function insertDeliveries(
  db: Executor,
  dialect: DialectName,
  deliveries: readonly NewDelivery[],
  now: Date,
): Promise<void> {
  // Bodies are a few hundred bytes each: a chunk stays a couple of megabytes.
  for (const chunk of chunks(deliveries, 5_000)) {
    const rows = bulkRows(
      dialect,
      'r',
      { message_id: 'text', endpoint_id: 'bigint', event_type: 'text', body: 'text' },
      chunk.map((d) => ({
        message_id: d.messageId,
        endpoint_id: d.endpointId,
        event_type: d.eventType,
        body: d.body,
      })),
    );
    await sql`
      insert into webhook_deliveries
        (message_id, endpoint_id, event_type, body, state, attempts, next_attempt_at, created_at)
      select r.message_id, r.endpoint_id, r.event_type, r.body, 'pending', 0, ${now}, ${now}
      from ${rows}`.execute(db);
  }
}
