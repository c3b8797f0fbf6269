// Durable jobs on both databases: atomic enqueue, one run per job, retries
// with backoff, recovery after a crash, and no double runs across workers.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { openDatabase, type Database } from '../src/db/database.ts';
import { findJob, listJobs } from '../src/jobs/jobs.repository.ts';
import { enqueue, PermanentJobError, retryDelayMs, type JobPayloads } from '../src/jobs/jobs.ts';
import {
  createJobWorker,
  type JobLogger,
  type JobWorker,
  type JobWorkerOptions,
} from '../src/jobs/jobs.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';

declare module '../src/jobs/jobs.ts' {
  interface JobPayloads {
    'test.record': { readonly n: number };
  }
}

const recordPayload = z.object({ n: z.number().int() });

interface LogEntry {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

function recordingLogger(): JobLogger & { readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    error: (obj, msg) => entries.push({ level: 'error', obj, msg }),
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25 for someone@example.id'), {
    code: 'ECONNREFUSED',
  });
}

const second = 1_000;
const minute = 60 * second;

describeEachDialect('durable jobs on %s', (dialect) => {
  let test: TestDatabase;
  let clock: ManualClock;
  let logger: ReturnType<typeof recordingLogger>;
  const extraDatabases: Database[] = [];

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await test.close();
  });
  beforeEach(async () => {
    await test.database.db.deleteFrom('jobs').execute();
    clock = new ManualClock('2026-03-01T00:00:00Z');
    logger = recordingLogger();
  });
  afterEach(async () => {
    for (const database of extraDatabases.splice(0)) await database.close();
  });

  /** Another connection to the same database, as another cekrek process would have. */
  function openAnother(): Database {
    const database =
      dialect === 'sqlite'
        ? openDatabase({ kind: 'sqlite', file: join(test.dataDir, 'cekrek.db') })
        : openDatabase({ kind: 'postgres', url: test.env.DATABASE_URL ?? '', poolSize: 4 });
    extraDatabases.push(database);
    return database;
  }

  function worker(options: Partial<JobWorkerOptions> = {}): JobWorker {
    return createJobWorker({
      database: test.database,
      clock,
      logger,
      pruneEveryMs: 0,
      ...options,
    });
  }

  function recording(target: JobWorker, run: (n: number) => Promise<void> | void = () => {}) {
    const seen: number[] = [];
    target.register('test.record', {
      payload: recordPayload,
      async run(payload) {
        seen.push(payload.n);
        await run(payload.n);
      },
    });
    return seen;
  }

  function enqueueRecord(n: number, extra: Partial<{ maxAttempts: number; runAt: Date }> = {}) {
    return enqueue(
      test.database.db,
      { kind: 'test.record', payload: { n }, ...extra },
      clock.now(),
    );
  }

  it('writes no job when the transaction that enqueued it rolls back', async () => {
    const failure = test.database.db.transaction().execute(async (trx) => {
      await enqueue(trx, { kind: 'test.record', payload: { n: 1 } }, clock.now());
      throw new Error('the change failed');
    });
    await expect(failure).rejects.toThrow('the change failed');
    expect(await listJobs(test.database.db)).toEqual([]);

    await test.database.db.transaction().execute(async (trx) => {
      await enqueue(trx, { kind: 'test.record', payload: { n: 2 } }, clock.now());
    });
    expect(await listJobs(test.database.db)).toHaveLength(1);
  });

  it('runs a job once, marks it done and keeps no payload', async () => {
    const w = worker();
    const seen = recording(w);
    const id = await enqueueRecord(7);

    expect(await w.drain()).toBe(1);
    expect(await w.drain()).toBe(0);
    expect(seen).toEqual([7]);
    const job = await findJob(test.database.db, id ?? -1);
    expect(job).toMatchObject({ attempts: 1, lastError: null, lockedBy: null, failedAt: null });
    expect(job?.doneAt?.toISOString()).toBe(clock.now().toISOString());
    const row = await test.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('id', '=', id ?? -1)
      .executeTakeFirstOrThrow();
    expect(row.payload).toBe('{}');
  });

  it('does not run a job before its time', async () => {
    const w = worker();
    const seen = recording(w);
    await enqueueRecord(1, { runAt: new Date(clock.now().getTime() + 10 * minute) });

    expect(await w.drain()).toBe(0);
    clock.advance(10 * minute);
    expect(await w.drain()).toBe(1);
    expect(seen).toEqual([1]);
  });

  it('retries a failing job with growing delays and fails it after the last attempt', async () => {
    const w = worker();
    const seen = recording(w, () => {
      throw connectionRefused();
    });
    const id = (await enqueueRecord(1, { maxAttempts: 3 })) ?? -1;
    const start = clock.now().getTime();

    expect(await w.drain()).toBe(1);
    let job = await findJob(test.database.db, id);
    expect(job).toMatchObject({ attempts: 1, lastError: 'Error ECONNREFUSED', failedAt: null });
    const firstDelay = (job?.runAt.getTime() ?? 0) - start;
    expect(firstDelay).toBeGreaterThanOrEqual(24 * second);
    expect(firstDelay).toBeLessThanOrEqual(36 * second);

    clock.advance(firstDelay - 1);
    expect(await w.drain()).toBe(0);
    clock.advance(1);
    expect(await w.drain()).toBe(1);
    job = await findJob(test.database.db, id);
    const secondDelay = (job?.runAt.getTime() ?? 0) - clock.now().getTime();
    expect(job?.attempts).toBe(2);
    expect(secondDelay).toBeGreaterThanOrEqual(48 * second);
    expect(secondDelay).toBeLessThanOrEqual(72 * second);

    clock.advance(secondDelay);
    expect(await w.drain()).toBe(1);
    job = await findJob(test.database.db, id);
    expect(job).toMatchObject({ attempts: 3, lastError: 'Error ECONNREFUSED', doneAt: null });
    expect(job?.failedAt?.toISOString()).toBe(clock.now().toISOString());

    clock.advance(24 * 60 * minute);
    expect(await w.drain()).toBe(0);
    expect(seen).toEqual([1, 1, 1]);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(2);
    expect(logger.entries.filter((e) => e.level === 'error')).toMatchObject([
      { msg: 'job failed for good', obj: { jobId: id, kind: 'test.record', attempt: 3 } },
    ]);
    // The error's message named an address: neither the job nor the log keeps it.
    expect(JSON.stringify(logger.entries)).not.toContain('someone@example.id');
  });

  it('fails at once on a permanent error or an invalid payload', async () => {
    const w = worker();
    recording(w, (n) => {
      if (n === 1) throw new PermanentJobError('refused for good');
    });
    const refused = (await enqueueRecord(1)) ?? -1;
    const invalid =
      (await enqueue(
        test.database.db,
        {
          kind: 'test.record',
          payload: { n: 'not a number' } as unknown as JobPayloads['test.record'],
        },
        clock.now(),
      )) ?? -1;

    expect(await w.drain()).toBe(2);
    expect(await findJob(test.database.db, refused)).toMatchObject({
      attempts: 1,
      lastError: 'refused for good',
    });
    expect(await findJob(test.database.db, invalid)).toMatchObject({
      attempts: 1,
      lastError: 'invalid payload',
    });
    expect((await findJob(test.database.db, invalid))?.failedAt).not.toBeNull();
  });

  it('leaves jobs of kinds it has no handler for to other workers', async () => {
    const w = worker();
    await enqueueRecord(1);
    expect(await w.drain()).toBe(0);
    expect((await listJobs(test.database.db))[0]).toMatchObject({ attempts: 0, doneAt: null });
  });

  it('runs again, after its lease expires, a job whose worker crashed', async () => {
    const leaseMs = 5 * minute;
    const crashed = worker({ leaseMs, workerId: 'crashed' });
    const stuck = deferred();
    const crashedSeen = recording(crashed, () => stuck.promise);
    const id = (await enqueueRecord(3)) ?? -1;

    // The first worker claims the job and never finishes: its process died.
    const abandoned = crashed.runNext();
    await until(() => crashedSeen.length === 1);

    const restarted = createJobWorker({
      database: openAnother(),
      clock,
      logger,
      leaseMs,
      pruneEveryMs: 0,
      workerId: 'restarted',
    });
    const seen = recording(restarted);
    clock.advance(leaseMs - 1);
    expect(await restarted.drain()).toBe(0);
    clock.advance(1);
    expect(await restarted.drain()).toBe(1);
    expect(seen).toEqual([3]);
    expect(await findJob(test.database.db, id)).toMatchObject({ attempts: 2, lockedBy: null });

    // Were the first worker only slow, its late outcome must not undo the second run.
    stuck.resolve();
    await abandoned;
    expect((await findJob(test.database.db, id))?.doneAt).not.toBeNull();
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        msg: 'job lease expired before it finished; another worker may have run it',
      }),
    );
  });

  it('fails a job whose worker crashed during its last attempt', async () => {
    const leaseMs = minute;
    const crashed = worker({ leaseMs, workerId: 'crashed' });
    const crashedSeen = recording(crashed, () => new Promise<void>(() => {}));
    const id = (await enqueueRecord(4, { maxAttempts: 1 })) ?? -1;
    void crashed.runNext();
    await until(() => crashedSeen.length === 1);

    const next = worker({ leaseMs, workerId: 'next' });
    const seen = recording(next);
    clock.advance(leaseMs);
    expect(await next.drain()).toBe(0);
    expect(seen).toEqual([]);
    expect(await findJob(test.database.db, id)).toMatchObject({
      attempts: 1,
      lastError: 'lease expired during the last attempt',
    });
    expect((await findJob(test.database.db, id))?.failedAt).not.toBeNull();
  });

  it('never runs a job twice when two workers drain the queue together', async () => {
    const total = 150;
    for (let n = 0; n < total; n += 1) await enqueueRecord(n);
    const runs = new Map<number, number>();
    const countRun = async (n: number) => {
      runs.set(n, (runs.get(n) ?? 0) + 1);
      await sleep(n % 3);
    };
    const first = worker({ workerId: 'first' });
    const second = createJobWorker({
      database: openAnother(),
      clock,
      logger,
      pruneEveryMs: 0,
      workerId: 'second',
    });
    recording(first, countRun);
    recording(second, countRun);

    const [byFirst, bySecond] = await Promise.all([first.drain(), second.drain()]);

    expect(byFirst + bySecond).toBe(total);
    expect(byFirst).toBeGreaterThan(0);
    expect(bySecond).toBeGreaterThan(0);
    expect(runs.size).toBe(total);
    expect([...runs.values()].every((count) => count === 1)).toBe(true);
    const jobs = await listJobs(test.database.db);
    expect(jobs.every((job) => job.doneAt !== null && job.attempts === 1)).toBe(true);
  });

  it('runs in the background, wakes on demand, and stops after the job it is running', async () => {
    const w = worker({ pollMs: 60 * minute });
    const release = deferred();
    const seen = recording(w, (n) => (n === 2 ? release.promise : undefined));
    w.start();
    await enqueueRecord(1);
    w.wake();
    await until(() => seen.length === 1);

    await enqueueRecord(2);
    w.wake();
    await until(() => seen.length === 2);
    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await sleep(50);
    expect(stopped).toBe(false);
    release.resolve();
    await stopping;
    const jobs = await listJobs(test.database.db);
    expect(jobs.map((job) => job.doneAt !== null)).toEqual([true, true]);
  });

  it('keeps one pending occurrence of a recurring job across workers', async () => {
    const a = worker();
    const b = createJobWorker({ database: openAnother(), clock, logger, pruneEveryMs: 0 });
    const seen = recording(a);
    recording(b);
    a.scheduleRecurring('test.record', 10 * minute, { n: 0 });
    b.scheduleRecurring('test.record', 10 * minute, { n: 0 });
    await a.scheduleRecurrences();
    await b.scheduleRecurrences();
    expect(await listJobs(test.database.db)).toHaveLength(1);

    expect(await a.drain()).toBe(0);
    clock.advance(10 * minute);
    expect(await a.drain()).toBe(1);
    expect(seen).toEqual([0]);
    const jobs = await listJobs(test.database.db);
    expect(jobs).toHaveLength(2);
    expect(jobs[1]?.runAt.toISOString()).toBe(
      new Date(clock.now().getTime() + 10 * minute).toISOString(),
    );
    await b.scheduleRecurrences();
    expect(await listJobs(test.database.db)).toHaveLength(2);
  });

  it('prunes finished jobs past their retention', async () => {
    const day = 24 * 60 * minute;
    const w = worker({ retentionMs: 30 * day });
    recording(w, (n) => {
      if (n === 2) throw new PermanentJobError('refused for good');
    });
    await enqueueRecord(1);
    await enqueueRecord(2);
    expect(await w.drain()).toBe(2);
    clock.advance(31 * day);
    await enqueueRecord(3, { runAt: new Date(clock.now().getTime() + day) });
    await enqueue(test.database.db, { kind: 'jobs.prune', payload: {} }, clock.now());

    expect(await w.drain()).toBe(1);
    const remaining = await listJobs(test.database.db);
    // The done job is gone; the failed one is kept longer; the pending one stays.
    expect(remaining.map((job) => job.kind)).toEqual(['test.record', 'test.record', 'jobs.prune']);
    expect(remaining[0]?.failedAt).not.toBeNull();
    expect(remaining[1]?.doneAt).toBeNull();
    expect(logger.entries).toContainEqual(
      expect.objectContaining({ level: 'info', msg: 'old jobs pruned', obj: { deleted: 1 } }),
    );
  });
});

describe('retry delays', () => {
  it('double with each attempt, jittered, up to the cap', () => {
    expect(retryDelayMs(1, undefined, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, undefined, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(96_000);
    expect(retryDelayMs(3, undefined, () => 1)).toBe(144_000);
    expect(retryDelayMs(30, undefined, () => 1)).toBe(2 * 3_600_000);
  });
});
