// The orphan sweep as a recurring job: files on disk without a row (a crash
// between writing a file and committing its record) are deleted once they are
// older than any submission could take, and the audit log says how many.
import * as z from 'zod';
import type { AuditService } from '../audit/audit.service.ts';
import type { JobWorker } from '../jobs/jobs.service.ts';
import type { FileStore } from './files.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'files.sweep': Record<string, never>;
  }
}

/** Longer than any upload and transaction take: a younger file may still be getting its row. */
export const orphanGraceMs = 60 * 60_000;
const sweepEveryMs = 60 * 60_000;

export function registerFileJobs(worker: JobWorker, files: FileStore, audit: AuditService): void {
  worker.register('files.sweep', {
    payload: z.record(z.string(), z.never()),
    async run() {
      const outcome = await files.sweepOrphans({ olderThanMs: orphanGraceMs });
      if (outcome.deleted > 0) {
        await audit.recordAlone({
          actor: { type: 'system', id: null, label: 'files.sweep' },
          action: 'files.swept',
          details: { deleted: outcome.deleted, scanned: outcome.scanned },
        });
      }
    },
  });
  worker.scheduleRecurring('files.sweep', sweepEveryMs, {});
}
