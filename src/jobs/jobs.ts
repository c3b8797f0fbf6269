// Job kinds, their payload types, and how a change enqueues one.
import type { Executor } from '../db/database.ts';
import { insertJob } from './jobs.repository.ts';

/**
 * The payload type of every job kind. Each feature adds its own kinds by
 * declaration merging, so enqueue and the handler agree on the payload:
 *
 *   declare module '../jobs/jobs.ts' {
 *     interface JobPayloads { 'mail.send': MailMessage }
 *   }
 *
 * A kind's name is stored with each job: rename one only with a migration.
 */
export interface JobPayloads {
  /** Deletes finished jobs past their retention. */
  'jobs.prune': Record<string, never>;
}

export type JobKind = Extract<keyof JobPayloads, string>;

export interface JobRequest<K extends JobKind> {
  readonly kind: K;
  readonly payload: JobPayloads[K];
  /** Not before this time; as soon as possible by default. */
  readonly runAt?: Date;
  /** While a job with this key is pending, enqueueing another is a no-op. */
  readonly dedupeKey?: string;
  readonly maxAttempts?: number;
}

/** With the default backoff, twelve attempts spread over about eight hours. */
export const defaultMaxAttempts = 12;

/**
 * Writes a job in the caller's transaction, so it exists exactly when the
 * change that causes it commits. `at` is the time of that change. Returns the
 * job's id, or null when `dedupeKey` matched a pending job.
 */
export async function enqueue<K extends JobKind>(
  executor: Executor,
  job: JobRequest<K>,
  at: Date,
): Promise<number | null> {
  return insertJob(executor, {
    kind: job.kind,
    payload: job.payload,
    runAt: job.runAt ?? at,
    createdAt: at,
    maxAttempts: job.maxAttempts ?? defaultMaxAttempts,
    dedupeKey: job.dedupeKey ?? null,
  });
}

/**
 * Thrown by a handler when trying again cannot help: the job fails at once.
 * `reason` is stored with the job, so it must be fixed text, never data.
 */
export class PermanentJobError extends Error {
  readonly reason: string;
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, options);
    this.name = 'PermanentJobError';
    this.reason = reason;
  }
}

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
  /** Spread of the random factor: 0.2 gives ×0.8 to ×1.2. */
  readonly jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 30_000, capMs: 2 * 3_600_000, jitter: 0.2 };

/**
 * Delay before the next try after the `attempt`-th failed: base·2^(attempt−1),
 * jittered so jobs that failed together (an SMTP outage) do not return
 * together, and capped.
 */
export function retryDelayMs(
  attempt: number,
  policy: BackoffPolicy = defaultBackoff,
  random: () => number = Math.random,
): number {
  const exponential = policy.baseMs * 2 ** Math.max(0, attempt - 1);
  const factor = 1 - policy.jitter + 2 * policy.jitter * random();
  return Math.round(Math.min(policy.capMs, exponential * factor));
}

/**
 * What a failure is stored and logged as: the error's class and codes only.
 * Messages are left out because they can carry personal data (an SMTP
 * server echoing a recipient) or secrets (a connection string).
 */
export function describeJobError(error: unknown): string {
  if (error instanceof PermanentJobError) {
    const cause = error.cause === undefined ? '' : ` (${describeJobError(error.cause)})`;
    return `${error.reason}${cause}`.slice(0, 200);
  }
  if (!(error instanceof Error)) return 'non-error thrown';
  const details = error as Error & { code?: unknown; responseCode?: unknown };
  const parts = [error.name];
  if (typeof details.code === 'string' || typeof details.code === 'number') {
    parts.push(String(details.code));
  }
  if (typeof details.responseCode === 'number') parts.push(`reply ${details.responseCode}`);
  return parts
    .join(' ')
    .replace(/[^\w .:-]/g, '')
    .slice(0, 120);
}
