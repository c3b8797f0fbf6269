// The SQL of durable jobs: insert in the caller's transaction, claim with a
// lease, finish, retry, fail, prune.
import type { Selectable, Updateable } from 'kysely';
import type { DialectName, Executor } from '../db/database.ts';
import { toDate, toOptionalDate, type JobsTable } from '../db/schema.ts';

export interface NewJob {
  readonly kind: string;
  readonly payload: unknown;
  readonly runAt: Date;
  readonly createdAt: Date;
  readonly maxAttempts: number;
  readonly dedupeKey: string | null;
}

/** A job this worker holds the lease of. */
export interface ClaimedJob {
  readonly id: number;
  readonly kind: string;
  /** Parsed JSON, not yet validated: the kind's schema does that. */
  readonly payload: unknown;
  readonly dedupeKey: string | null;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly runAt: Date;
  readonly lockedUntil: Date;
}

export interface JobState {
  readonly id: number;
  readonly kind: string;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: Date;
  readonly lastError: string | null;
  readonly lockedBy: string | null;
  readonly doneAt: Date | null;
  readonly failedAt: Date | null;
}

function parsePayload(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    // An unreadable payload fails the kind's validation like any wrong one.
    return undefined;
  }
}

function rowToClaimedJob(row: Selectable<JobsTable>): ClaimedJob {
  return {
    id: Number(row.id),
    kind: row.kind,
    payload: parsePayload(row.payload),
    dedupeKey: row.dedupe_key,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: toDate(row.run_at),
    lockedUntil: toDate(row.locked_until ?? row.run_at),
  };
}

function rowToJobState(row: Selectable<JobsTable>): JobState {
  return {
    id: Number(row.id),
    kind: row.kind,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: toDate(row.run_at),
    lastError: row.last_error,
    lockedBy: row.locked_by,
    doneAt: toOptionalDate(row.done_at),
    failedAt: toOptionalDate(row.failed_at),
  };
}

/** The new job's id, or null when a pending job already has its dedupe key. */
export async function insertJob(db: Executor, job: NewJob): Promise<number | null> {
  const insert = db.insertInto('jobs').values({
    kind: job.kind,
    payload: JSON.stringify(job.payload),
    dedupe_key: job.dedupeKey,
    run_at: job.runAt,
    max_attempts: job.maxAttempts,
    created_at: job.createdAt,
  });
  const row = await (
    job.dedupeKey === null
      ? insert
      : insert.onConflict((conflict) =>
          conflict
            .column('dedupe_key')
            .where('done_at', 'is', null)
            .where('failed_at', 'is', null)
            .doNothing(),
        )
  )
    .returning('id')
    .executeTakeFirst();
  return row === undefined ? null : Number(row.id);
}

export interface ClaimRequest {
  readonly kinds: readonly string[];
  readonly workerId: string;
  readonly now: Date;
  readonly lockedUntil: Date;
}

/**
 * Takes the lease of the next due job of one of `kinds`, counting an attempt.
 * A job whose lease expired (its worker died) is due again. On PostgreSQL
 * SKIP LOCKED lets concurrent workers pass over each other's candidates
 * instead of claiming the same row; on SQLite the single UPDATE statement is
 * atomic, since SQLite admits one writer at a time.
 */
export async function claimNextJob(
  db: Executor,
  dialect: DialectName,
  request: ClaimRequest,
): Promise<ClaimedJob | undefined> {
  if (request.kinds.length === 0) return undefined;
  const due = db
    .selectFrom('jobs')
    .select('id')
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('run_at', '<=', request.now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', request.now)]))
    .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
    .where('kind', 'in', [...request.kinds])
    .orderBy('run_at')
    .orderBy('id')
    .limit(1);
  const candidate = dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
  const row = await db
    .updateTable('jobs')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      locked_by: request.workerId,
      locked_until: request.lockedUntil,
    }))
    .where('id', '=', candidate)
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? undefined : rowToClaimedJob(row);
}

interface Holder {
  readonly id: number;
  readonly workerId: string;
}

/**
 * Ends this worker's lease on a job with the given changes; false when the
 * worker no longer held the lease (another took the job over).
 */
async function settleLeasedJob(
  db: Executor,
  job: Holder,
  changes: Pick<
    Updateable<JobsTable>,
    'done_at' | 'failed_at' | 'run_at' | 'payload' | 'last_error'
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ ...changes, locked_by: null, locked_until: null })
    .where('id', '=', job.id)
    .where('locked_by', '=', job.workerId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Marks a job done. Its payload is cleared: it may hold personal data (a
 * recipient's address) that has no use once the work is done.
 */
export function completeJob(db: Executor, job: Holder, now: Date): Promise<boolean> {
  return settleLeasedJob(db, job, { done_at: now, payload: '{}', last_error: null });
}

export function rescheduleJob(
  db: Executor,
  job: Holder,
  runAt: Date,
  error: string,
): Promise<boolean> {
  return settleLeasedJob(db, job, { run_at: runAt, last_error: error });
}

/** Marks a job failed for good; its payload is cleared like a done job's. */
export function failJob(db: Executor, job: Holder, now: Date, error: string): Promise<boolean> {
  return settleLeasedJob(db, job, { failed_at: now, payload: '{}', last_error: error });
}

export interface AbandonedJob {
  readonly id: number;
  readonly kind: string;
}

/**
 * Fails jobs whose worker died during their last attempt: the lease ran out
 * and no attempt is left, so no worker will claim them again.
 */
export async function failAbandonedJobs(db: Executor, now: Date): Promise<AbandonedJob[]> {
  const rows = await db
    .updateTable('jobs')
    .set({
      failed_at: now,
      payload: '{}',
      last_error: 'lease expired during the last attempt',
      locked_by: null,
      locked_until: null,
    })
    .where('done_at', 'is', null)
    .where('failed_at', 'is', null)
    .where('locked_until', '<=', now)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .returning(['id', 'kind'])
    .execute();
  return rows.map((row) => ({ id: Number(row.id), kind: row.kind }));
}

export async function pruneFinishedJobs(
  db: Executor,
  cutoffs: { readonly doneBefore: Date; readonly failedBefore: Date },
): Promise<number> {
  const done = await db
    .deleteFrom('jobs')
    .where('done_at', '<', cutoffs.doneBefore)
    .executeTakeFirst();
  const failed = await db
    .deleteFrom('jobs')
    .where('failed_at', '<', cutoffs.failedBefore)
    .executeTakeFirst();
  return Number(done.numDeletedRows + failed.numDeletedRows);
}

/** One job's state, for operators and tests. */
export async function findJob(db: Executor, id: number): Promise<JobState | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : rowToJobState(row);
}

export async function listJobs(db: Executor, kind?: string): Promise<JobState[]> {
  let query = db.selectFrom('jobs').selectAll().orderBy('id');
  if (kind !== undefined) query = query.where('kind', '=', kind);
  return (await query.execute()).map(rowToJobState);
}
