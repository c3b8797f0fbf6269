// The worker loop: claims due jobs one at a time under a lease, runs the
// handler registered for the kind, and records the outcome. Jobs are run at
// least once: a worker that dies mid-job loses its lease, and the job runs
// again elsewhere, so handlers must tolerate a repeat.
import { WakeablePause } from '../shared/wakeable-pause.ts';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import * as z from 'zod';
import type { Database, Executor } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import {
  claimNextJob,
  completeJob,
  failAbandonedJobs,
  failJob,
  pruneFinishedJobs,
  rescheduleJob,
  type ClaimedJob,
} from './jobs.repository.ts';
import {
  describeJobError,
  enqueue,
  PermanentJobError,
  retryDelayMs,
  type JobKind,
  type JobPayloads,
} from './jobs.ts';

/** The part of a pino logger the worker uses. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobContext {
  readonly id: number;
  readonly kind: JobKind;
  /** This attempt's number, from 1. */
  readonly attempt: number;
  readonly maxAttempts: number;
}

export interface JobHandler<K extends JobKind> {
  /** Checked when the job is claimed: a payload that fails it fails the job. */
  readonly payload: z.ZodType<JobPayloads[K]>;
  run(payload: JobPayloads[K], context: JobContext): Promise<void>;
}

export interface JobWorkerOptions {
  readonly database: Database;
  readonly clock: Clock;
  readonly logger: JobLogger;
  /** How often an idle worker looks for due jobs. */
  readonly pollMs?: number;
  /** How long a claim lasts; a handler must finish well within it. */
  readonly leaseMs?: number;
  /** Done jobs are deleted after this long; failed ones after three times as long. */
  readonly retentionMs?: number;
  /** How often the prune job runs; 0 leaves pruning to someone else. */
  readonly pruneEveryMs?: number;
  readonly retryDelayMs?: (attempt: number) => number;
  /** Names this worker in `locked_by`. */
  readonly workerId?: string;
}

const defaults = {
  pollMs: 1_000,
  leaseMs: 5 * 60_000,
  retentionMs: 30 * 24 * 3_600_000,
  pruneEveryMs: 6 * 3_600_000,
};
/** The longest wait between polls while the database keeps failing. */
const maxPollBackoffMs = 30_000;
/** How often an idle worker looks for jobs abandoned on their last attempt. */
const abandonedSweepEveryMs = 60_000;

type PreparedRun = (context: JobContext) => Promise<void>;
/** A handler with its payload type erased: undefined when the payload is invalid. */
type Preparer = (payload: unknown) => PreparedRun | undefined;

interface Recurrence {
  readonly everyMs: number;
  readonly payload: unknown;
}

function recurringKey(kind: string): string {
  return `recurring:${kind}`;
}

function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export class JobWorker {
  readonly workerId: string;
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #log: JobLogger;
  readonly #pollMs: number;
  readonly #leaseMs: number;
  readonly #retentionMs: number;
  readonly #retryDelayMs: (attempt: number) => number;
  readonly #handlers = new Map<string, Preparer>();
  readonly #recurrences = new Map<string, Recurrence>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  readonly #pause = new WakeablePause();
  #lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: JobWorkerOptions) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#log = options.logger;
    this.#pollMs = options.pollMs ?? defaults.pollMs;
    this.#leaseMs = options.leaseMs ?? defaults.leaseMs;
    this.#retentionMs = options.retentionMs ?? defaults.retentionMs;
    this.#retryDelayMs = options.retryDelayMs ?? ((attempt) => retryDelayMs(attempt));
    this.workerId = options.workerId ?? defaultWorkerId();
    this.register('jobs.prune', {
      payload: z.record(z.string(), z.never()),
      run: () => this.#prune(),
    });
    const pruneEveryMs = options.pruneEveryMs ?? defaults.pruneEveryMs;
    if (pruneEveryMs > 0) this.scheduleRecurring('jobs.prune', pruneEveryMs, {});
  }

  /** Handles jobs of `kind`; jobs of kinds no handler is registered for are left to other workers. */
  register<K extends JobKind>(kind: K, handler: JobHandler<K>): void {
    if (this.#handlers.has(kind)) throw new Error(`job kind ${kind} is already registered`);
    this.#handlers.set(kind, (payload) => {
      const parsed = handler.payload.safeParse(payload);
      return parsed.success ? (context) => handler.run(parsed.data, context) : undefined;
    });
  }

  /**
   * Runs `kind` every `everyMs`, across all processes together: one pending
   * job per kind (its dedupe key), created on start and re-created each
   * time one finishes. Register the kind's handler too.
   */
  scheduleRecurring<K extends JobKind>(kind: K, everyMs: number, payload: JobPayloads[K]): void {
    if (!(everyMs > 0)) throw new Error('a recurrence needs a positive interval');
    this.#recurrences.set(kind, { everyMs, payload });
  }

  /** Starts the loop in the background; stop() ends it. */
  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#runLoop();
  }

  /** A job was just enqueued in this process: look now rather than at the next poll. */
  wake(): void {
    this.#pause.wake();
  }

  /** Ends the loop after the job it is running, if any. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
  }

  /** Claims and runs the next due job. False when none was due. */
  async runNext(): Promise<boolean> {
    const now = this.#clock.now();
    const job = await claimNextJob(this.#database.db, this.#database.dialect, {
      kinds: [...this.#handlers.keys()],
      workerId: this.workerId,
      now,
      lockedUntil: new Date(now.getTime() + this.#leaseMs),
    });
    if (job === undefined) {
      await this.#sweepAbandoned(now);
      return false;
    }
    await this.#execute(job);
    return true;
  }

  /** Runs due jobs until none is left; the number run. */
  async drain(): Promise<number> {
    let count = 0;
    while (!this.#stopping && (await this.runNext())) count += 1;
    return count;
  }

  /** Creates the pending job of each recurrence that has none. */
  async scheduleRecurrences(): Promise<void> {
    const at = this.#clock.now();
    for (const [kind, recurrence] of this.#recurrences) {
      await this.#enqueueRecurrence(this.#database.db, kind, recurrence, at);
    }
  }

  async #runLoop(): Promise<void> {
    let recurrencesScheduled = false;
    let failures = 0;
    while (!this.#stopping) {
      try {
        if (!recurrencesScheduled) {
          await this.scheduleRecurrences();
          recurrencesScheduled = true;
        }
        await this.drain();
        if (failures > 0) this.#log.info({ failures }, 'job worker polls again');
        failures = 0;
      } catch (error) {
        // The database is unreachable or similar: keep polling, less often, and say so once.
        failures += 1;
        if (failures === 1) {
          this.#log.warn({ error: describeJobError(error) }, 'job worker could not poll');
        }
      }
      if (!this.#stopping) await this.#sleep(this.#pollDelayMs(failures));
    }
  }

  /** The poll interval, doubled after each failure in a row up to a ceiling. */
  #pollDelayMs(failures: number): number {
    if (failures === 0) return this.#pollMs;
    return Math.min(this.#pollMs * 2 ** (failures - 1), Math.max(this.#pollMs, maxPollBackoffMs));
  }

  #sleep(ms: number): Promise<void> {
    return this.#pause.sleep(ms);
  }

  async #execute(job: ClaimedJob): Promise<void> {
    const kind = job.kind as JobKind;
    const context: JobContext = {
      id: job.id,
      kind,
      attempt: job.attempt,
      maxAttempts: job.maxAttempts,
    };
    const run = this.#handlers.get(job.kind)?.(job.payload);
    if (run === undefined) {
      await this.#fail(job, new PermanentJobError('invalid payload'));
      return;
    }
    try {
      await run(context);
    } catch (error) {
      const permanent = error instanceof PermanentJobError;
      if (permanent || job.attempt >= job.maxAttempts) await this.#fail(job, error);
      else await this.#retry(job, error);
      return;
    }
    await this.#complete(job);
  }

  async #complete(job: ClaimedJob): Promise<void> {
    const now = this.#clock.now();
    const held = await this.#database.db.transaction().execute(async (trx) => {
      const stillHeld = await completeJob(trx, { id: job.id, workerId: this.workerId }, now);
      if (stillHeld) await this.#recur(trx, job, now);
      return stillHeld;
    });
    if (!held) this.#warnLeaseLost(job);
  }

  async #retry(job: ClaimedJob, error: unknown): Promise<void> {
    const now = this.#clock.now();
    const delayMs = this.#retryDelayMs(job.attempt);
    const runAt = new Date(now.getTime() + delayMs);
    const reason = describeJobError(error);
    const held = await rescheduleJob(
      this.#database.db,
      { id: job.id, workerId: this.workerId },
      runAt,
      reason,
    );
    if (!held) {
      this.#warnLeaseLost(job);
      return;
    }
    this.#log.warn(
      { jobId: job.id, kind: job.kind, attempt: job.attempt, error: reason, retryInMs: delayMs },
      'job failed, will retry',
    );
  }

  async #fail(job: ClaimedJob, error: unknown): Promise<void> {
    const now = this.#clock.now();
    const reason = describeJobError(error);
    const held = await this.#database.db.transaction().execute(async (trx) => {
      const stillHeld = await failJob(trx, { id: job.id, workerId: this.workerId }, now, reason);
      if (stillHeld) await this.#recur(trx, job, now);
      return stillHeld;
    });
    if (!held) {
      this.#warnLeaseLost(job);
      return;
    }
    this.#log.error(
      { jobId: job.id, kind: job.kind, attempt: job.attempt, error: reason },
      'job failed for good',
    );
  }

  /** The next occurrence of a recurring job, in the transaction that finishes this one. */
  async #recur(trx: Executor, job: ClaimedJob, now: Date): Promise<void> {
    const recurrence = this.#recurrences.get(job.kind);
    if (recurrence === undefined || job.dedupeKey !== recurringKey(job.kind)) return;
    await this.#enqueueRecurrence(trx, job.kind, recurrence, now);
  }

  async #enqueueRecurrence(
    executor: Executor,
    kind: string,
    recurrence: Recurrence,
    at: Date,
  ): Promise<void> {
    // The registry is keyed by kind names that came through the typed scheduleRecurring.
    await enqueue(
      executor,
      {
        kind: kind as JobKind,
        payload: recurrence.payload as JobPayloads[JobKind],
        runAt: new Date(at.getTime() + recurrence.everyMs),
        dedupeKey: recurringKey(kind),
      },
      at,
    );
  }

  #warnLeaseLost(job: ClaimedJob): void {
    this.#log.warn(
      { jobId: job.id, kind: job.kind, attempt: job.attempt },
      'job lease expired before it finished; another worker may have run it',
    );
  }

  async #sweepAbandoned(now: Date): Promise<void> {
    if (now.getTime() - this.#lastSweep < abandonedSweepEveryMs) return;
    this.#lastSweep = now.getTime();
    for (const job of await failAbandonedJobs(this.#database.db, now)) {
      this.#log.error(
        { jobId: job.id, kind: job.kind },
        'job failed for good: its worker stopped during the last attempt',
      );
    }
  }

  async #prune(): Promise<void> {
    const now = this.#clock.now().getTime();
    const deleted = await pruneFinishedJobs(this.#database.db, {
      doneBefore: new Date(now - this.#retentionMs),
      failedBefore: new Date(now - 3 * this.#retentionMs),
    });
    if (deleted > 0) this.#log.info({ deleted }, 'old jobs pruned');
  }
}

export function createJobWorker(options: JobWorkerOptions): JobWorker {
  return new JobWorker(options);
}

export { enqueue, PermanentJobError, type JobRequest } from './jobs.ts';
