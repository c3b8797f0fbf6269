// Watched accounts. A partner watches accounts by the SHA-256 of their
// canonical key (it never hands over its customers' numbers), or, for a bank
// or e-wallet, every account of the provider codes an admin assigned to it.
// Each change of a watched account leaves one delivery per subscribed
// endpoint in the outbox (webhook_deliveries), in the transaction of the
// change: no change without its event, no event without its change. The
// delivery worker sends them.
//
// Watches are the partner's own doing: counted as its keyed requests, not
// audited as an operator's changes are.
import type { Database, DialectName, Executor } from '../db/database.ts';
import { chunks } from '../db/bulk-rows.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { changedAccounts } from '../accounts/accounts.service.ts';
import {
  decodeCursor,
  encodeCursor,
  maxHashesPerCall,
  parseHashes,
  watchPageSize,
} from './watch-input.ts';
import { eventBody, newMessageId, takesEvent, type AccountEventType } from './watch-events.ts';
import {
  anyWatches,
  countWatches,
  deleteWatches,
  insertDeliveries,
  insertWatches,
  liveEndpointsOf,
  partnerHoldings,
  replaceProviderWatches,
  watchedHashes,
  watchedProviders,
  watchersOf,
  type LiveEndpoint,
  type NewDelivery,
} from './watches.repository.ts';

export { accountEventTypes, sellerEvent, type AccountEventType } from './watch-events.ts';
export { maxHashesPerCall, watchPageSize };

export interface WatchesDeps {
  readonly database: Database;
  readonly clock: Clock;
}

export interface WatchPage {
  readonly hashes: readonly string[];
  /** The next page's cursor; null after the last page. */
  readonly nextCursor: string | null;
}

export interface ProviderWatch {
  /** The provider codes an admin assigned to the partner. */
  readonly providerCodes: readonly string[];
  /** Whether every account of those codes is watched. */
  readonly watching: boolean;
}

/** What the back office shows of a partner's watches. */
export interface WatchSummary {
  readonly hashes: number;
  /** The provider codes watched whole (none: the partner does not watch its providers). */
  readonly providerCodes: readonly string[];
}

const providerKinds: ReadonlySet<string> = new Set(['bank', 'ewallet']);

export class WatchesService {
  readonly #d: WatchesDeps;

  constructor(deps: WatchesDeps) {
    this.#d = deps;
  }

  /** Watches the hashes (up to 10,000, either case); counts those that were watched already. */
  async add(
    partnerId: number,
    values: readonly unknown[],
  ): Promise<{ added: number; alreadyWatched: number }> {
    const hashes = parseHashes(values);
    const { database, clock } = this.#d;
    const added = await database.db
      .transaction()
      .execute((trx) => insertWatches(trx, database.dialect, partnerId, hashes, clock.now()));
    return { added, alreadyWatched: hashes.length - added };
  }

  /** Stops watching the hashes; counts those that were watched. */
  async remove(partnerId: number, values: readonly unknown[]): Promise<{ removed: number }> {
    const hashes = parseHashes(values);
    const { database } = this.#d;
    const removed = await database.db
      .transaction()
      .execute((trx) => deleteWatches(trx, database.dialect, partnerId, hashes));
    return { removed };
  }

  /** One page of the partner's hashes in hash order, after the cursor's. */
  async list(partnerId: number, cursor: string | undefined): Promise<WatchPage> {
    const after = cursor === undefined || cursor === '' ? null : decodeCursor(cursor);
    const rows = await watchedHashes(this.#d.database.db, partnerId, after, watchPageSize + 1);
    const hashes = rows.slice(0, watchPageSize);
    const last = hashes.at(-1);
    return {
      hashes,
      nextCursor: rows.length > watchPageSize && last ? encodeCursor(last) : null,
    };
  }

  /** How many hashes the partner watches, and the provider codes it watches whole. */
  async summary(partnerId: number): Promise<WatchSummary> {
    const db = this.#d.database.db;
    const [hashes, providerCodes] = await Promise.all([
      countWatches(db, partnerId),
      watchedProviders(db, partnerId),
    ]);
    return { hashes, providerCodes };
  }

  /** Whether the partner watches every account of its provider codes. */
  async providerWatch(partnerId: number): Promise<ProviderWatch> {
    const db = this.#d.database.db;
    const holdings = await partnerHoldings(db, partnerId, false);
    if (!holdings) throw new AppError('not_found');
    const watched = await watchedProviders(db, partnerId);
    return { providerCodes: holdings.providerCodes, watching: watched.length > 0 };
  }

  /**
   * A bank or e-wallet watches (or stops watching) every account of the
   * provider codes an admin assigned to it: `403 not_provider_partner` for
   * another kind, `409 no_provider_codes` when it has none to watch.
   */
  async setProviderWatch(partnerId: number, watch: boolean): Promise<ProviderWatch> {
    const { database, clock } = this.#d;
    return database.db.transaction().execute(async (trx) => {
      // Locked, so an admin's change of the codes comes wholly before or after.
      const holdings = await partnerHoldings(trx, partnerId, database.dialect === 'postgres');
      if (!holdings) throw new AppError('not_found');
      if (!providerKinds.has(holdings.kind)) throw new AppError('not_provider_partner');
      const codes = holdings.providerCodes;
      if (watch && codes.length === 0) throw new AppError('no_provider_codes');
      await replaceProviderWatches(trx, partnerId, watch ? codes : [], clock.now());
      return { providerCodes: codes, watching: watch };
    });
  }
}

/**
 * Keeps a partner's provider watches in step with the codes an admin just
 * gave it, in the admin's transaction: a partner that watches its providers
 * watches exactly its codes (codes taken away stop being watched, codes
 * added are watched too); one that does not, still does not.
 */
export async function syncProviderWatches(
  trx: Executor,
  partnerId: number,
  providerCodes: readonly string[],
  now: Date,
): Promise<void> {
  if ((await watchedProviders(trx, partnerId)).length === 0) return;
  await replaceProviderWatches(trx, partnerId, providerCodes, now);
}

function endpointsByPartner(
  endpoints: readonly LiveEndpoint[],
  type: AccountEventType,
): Map<number, number[]> {
  const byPartner = new Map<number, number[]>();
  for (const endpoint of endpoints) {
    if (!takesEvent(endpoint.events, type)) continue;
    const ids = byPartner.get(endpoint.partnerId) ?? [];
    ids.push(endpoint.id);
    byPartner.set(endpoint.partnerId, ids);
  }
  return byPartner;
}

/**
 * Leaves `type` for the delivery worker: one pending delivery per changed
 * account and live endpoint subscribed to `type` of every partner watching
 * the account (by its hash or its provider). Call it in the transaction of
 * the change, right after refreshSummaries: the body tells the account as it
 * now stands. While nobody watches anything it costs one trivial query;
 * otherwise, per chunk of accounts, one indexed query finds the watchers,
 * and, only when there are some, one reads their endpoints, one the
 * accounts, and a few insert the deliveries. Returns how many it left.
 */
export async function enqueueAccountEvents(
  trx: Executor,
  dialect: DialectName,
  type: AccountEventType,
  accountIds: readonly number[],
  now: Date,
): Promise<number> {
  if (accountIds.length === 0 || !(await anyWatches(trx))) return 0;
  let enqueued = 0;
  for (const chunk of chunks([...new Set(accountIds)])) {
    const watchers = await watchersOf(trx, dialect, chunk);
    if (watchers.length === 0) continue;
    const partners = [...new Set(watchers.map((w) => w.partnerId))];
    const endpoints = endpointsByPartner(await liveEndpointsOf(trx, partners), type);
    const served = watchers.filter((w) => endpoints.has(w.partnerId));
    if (served.length === 0) continue;
    const read = await changedAccounts(
      trx,
      served.map((w) => w.accountId),
    );
    const accounts = new Map(read.map((a) => [a.id, a]));
    const bodies = new Map<number, string>();
    const deliveries: NewDelivery[] = [];
    for (const watcher of served) {
      const account = accounts.get(watcher.accountId);
      if (!account) continue;
      let body = bodies.get(account.id);
      if (body === undefined) {
        body = eventBody(type, account, now);
        bodies.set(account.id, body);
      }
      for (const endpointId of endpoints.get(watcher.partnerId) ?? []) {
        deliveries.push({ messageId: newMessageId(), endpointId, eventType: type, body });
      }
    }
    await insertDeliveries(trx, dialect, deliveries, now);
    enqueued += deliveries.length;
  }
  return enqueued;
}
