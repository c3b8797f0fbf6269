// The SQL of the check counts (migration 0021): a day's sketch is read,
// added to and written back in one transaction (the row locked on
// PostgreSQL), so that processes flushing at once each add their own; an
// hour's top accounts are added to and trimmed back to the top K.
import { sql } from 'kysely';
import type { Database, Executor } from '../db/database.ts';

export interface StoredDay {
  readonly counts: Uint8Array;
  readonly pairs: Uint8Array;
}

/** The bytes of a typed array, as the database stores them. */
export function bytesOf(array: Uint16Array | Uint32Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

/** A stored day, or undefined when no process counted anything that day. */
export async function readDay(db: Executor, day: string): Promise<StoredDay | undefined> {
  return db
    .selectFrom('check_count_days')
    .select(['counts', 'pairs'])
    .where('day', '=', day)
    .executeTakeFirst();
}

/** The stored counts of the days given (those that have a row). */
export async function readCountsOfDays(
  db: Executor,
  days: readonly string[],
): Promise<Uint8Array[]> {
  if (days.length === 0) return [];
  const rows = await db
    .selectFrom('check_count_days')
    .select('counts')
    .where('day', 'in', days)
    .execute();
  return rows.map((row) => row.counts);
}

/**
 * Adds a process's counts to the day's row and ORs its pairs in; returns
 * the day as every process has counted it so far.
 */
export async function addToDay(
  database: Database,
  day: string,
  merge: (stored: StoredDay | undefined) => StoredDay,
  at: Date,
): Promise<StoredDay> {
  return database.db.transaction().execute(async (trx) => {
    let read = trx
      .selectFrom('check_count_days')
      .select(['counts', 'pairs'])
      .where('day', '=', day);
    if (database.dialect === 'postgres') read = read.forUpdate();
    const stored = await read.executeTakeFirst();
    const merged = merge(stored);
    const values = {
      counts: Buffer.from(merged.counts),
      pairs: Buffer.from(merged.pairs),
      updated_at: at.toISOString(),
    };
    if (stored) {
      await trx.updateTable('check_count_days').set(values).where('day', '=', day).execute();
      return merged;
    }
    const inserted = await trx
      .insertInto('check_count_days')
      .values({ day, ...values })
      .onConflict((oc) => oc.column('day').doNothing())
      .executeTakeFirst();
    // Another process inserted the day's first row meanwhile: add to it instead.
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
      throw new DayRowRace();
    }
    return merged;
  });
}

/** Two processes created the same day's row at once; the loser adds again. */
export class DayRowRace extends Error {
  constructor() {
    super('check count day row created by another process');
  }
}

/** Adds an hour's top accounts and keeps only the `keep` most counted of that hour. */
export async function addToHour(
  db: Executor,
  hour: number,
  entries: readonly { key: string; count: number }[],
  keep: number,
): Promise<void> {
  if (entries.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < entries.length; i += 500) {
      const batch = entries.slice(i, i + 500);
      await trx
        .insertInto('check_count_hours')
        .values(batch.map((e) => ({ hour, account_key: e.key, clients: e.count })))
        .onConflict((oc) =>
          oc
            .columns(['hour', 'account_key'])
            .doUpdateSet({ clients: sql<number>`check_count_hours.clients + excluded.clients` }),
        )
        .execute();
    }
    await trx
      .deleteFrom('check_count_hours')
      .where('hour', '=', hour)
      .where(
        'account_key',
        'not in',
        trx
          .selectFrom('check_count_hours')
          .select('account_key')
          .where('hour', '=', hour)
          .orderBy('clients', 'desc')
          .orderBy('account_key')
          .limit(keep),
      )
      .execute();
  });
}

/** Forgets the days and hours no figure reads any more. */
export async function pruneCounts(db: Executor, beforeDay: string, beforeHour: number) {
  await db.deleteFrom('check_count_days').where('day', '<', beforeDay).execute();
  await db.deleteFrom('check_count_hours').where('hour', '<', beforeHour).execute();
}

export interface RisingRow {
  readonly key: string;
  readonly recent: number;
  readonly previous: number;
}

/**
 * Accounts without a verified report that at least `minClients` clients
 * checked in [middle, end), against [start, middle): the fastest rising first.
 */
export async function risingAccounts(
  db: Executor,
  hours: { start: number; middle: number; end: number },
  minClients: number,
  limit: number,
): Promise<RisingRow[]> {
  const recent = sql<number>`sum(case when h.hour >= ${hours.middle} then h.clients else 0 end)`;
  const previous = sql<number>`sum(case when h.hour < ${hours.middle} then h.clients else 0 end)`;
  const rows = await db
    .selectFrom('check_count_hours as h')
    .leftJoin('accounts as a', 'a.key', 'h.account_key')
    .select(['h.account_key as key', recent.as('recent'), previous.as('previous')])
    .where('h.hour', '>=', hours.start)
    .where('h.hour', '<', hours.end)
    .where((eb) => eb.or([eb('a.id', 'is', null), eb('a.verified_count', '=', 0)]))
    .groupBy('h.account_key')
    .having(recent, '>=', minClients)
    .orderBy(sql`${recent} - ${previous}`, 'desc')
    .orderBy(recent, 'desc')
    .orderBy('h.account_key')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    key: row.key,
    recent: Number(row.recent),
    previous: Number(row.previous),
  }));
}

export interface PendingReportRow {
  readonly accountKey: string;
  readonly id: number;
  readonly status: 'submitted' | 'in_review';
  readonly createdAt: Date;
}

/** The reports not decided yet of the accounts given, oldest first. */
export async function pendingReportsOf(
  db: Executor,
  keys: readonly string[],
): Promise<PendingReportRow[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('accounts as a', 'a.id', 'r.account_id')
    .select(['a.key', 'r.id', 'r.status', 'r.created_at'])
    .where('a.key', 'in', keys)
    .where('r.status', 'in', ['submitted', 'in_review'])
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();
  return rows.map((row) => ({
    accountKey: row.key,
    id: Number(row.id),
    status: row.status as 'submitted' | 'in_review',
    createdAt: new Date(row.created_at),
  }));
}
