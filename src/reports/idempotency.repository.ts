// The SQL of idempotent keyed filings: the first answer to a partner's
// Idempotency-Key, looked up by a retry, pruned once old enough.
import type { Executor } from '../db/database.ts';
import { toDate } from '../db/schema.ts';

export interface StoredAnswer {
  readonly fingerprint: string;
  /** Sealed JSON of the answer. */
  readonly answer: string;
  readonly createdAt: Date;
}

export async function findStoredAnswer(
  db: Executor,
  partnerId: number,
  key: string,
): Promise<StoredAnswer | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'answer', 'created_at'])
    .where('partner_id', '=', partnerId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return (
    row && { fingerprint: row.fingerprint, answer: row.answer, createdAt: toDate(row.created_at) }
  );
}

/** Fails with a unique violation when the partner used the key already. */
export async function insertStoredAnswer(
  db: Executor,
  row: { partnerId: number; key: string; fingerprint: string; answer: string; at: Date },
): Promise<void> {
  await db
    .insertInto('idempotency_keys')
    .values({
      partner_id: row.partnerId,
      idempotency_key: row.key,
      fingerprint: row.fingerprint,
      answer: row.answer,
      created_at: row.at,
    })
    .execute();
}

/** Deletes the answers stored before `before`. */
export async function pruneStoredAnswers(db: Executor, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
