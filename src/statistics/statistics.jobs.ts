// The statistics' rebuild as a recurring job (every ten minutes, across all
// processes together), and one right after start, so the public figures are
// never more than a few minutes behind the decisions and imports.
import * as z from 'zod';
import type { Database } from '../db/database.ts';
import { enqueue, type JobWorker } from '../jobs/jobs.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { StatisticsService } from './statistics.service.ts';
import { readState } from './statistics.repository.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'statistics.rebuild': { full?: boolean };
  }
}

export const statisticsRebuildEveryMs = 10 * 60_000;

export function registerStatisticsJobs(worker: JobWorker, statistics: StatisticsService): void {
  worker.register('statistics.rebuild', {
    payload: z.object({ full: z.boolean().optional() }),
    async run(payload) {
      await statistics.rebuild({ full: payload.full ?? false });
    },
  });
  worker.scheduleRecurring('statistics.rebuild', statisticsRebuildEveryMs, {});
}

/**
 * Queues a rebuild to run at once (after start): one, whatever the number of
 * processes starting, and none when the figures were rebuilt within the
 * recurring interval (by another process, or by the import that just ran):
 * the recurring rebuild keeps them current from there.
 */
export async function rebuildStatisticsSoon(database: Database, clock: Clock): Promise<void> {
  const state = await readState(database.db);
  const now = clock.now();
  if (state && now.getTime() - state.rebuiltAt.getTime() < statisticsRebuildEveryMs) return;
  await enqueue(
    database.db,
    { kind: 'statistics.rebuild', payload: {}, dedupeKey: 'statistics.rebuild.start' },
    now,
  );
}
