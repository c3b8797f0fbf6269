// The job that loads a partner's CSV import, and the hourly sweep of chunks
// whose upload never became an import; registered by main.ts.
import * as z from 'zod';
import type { JobWorker } from '../jobs/jobs.service.ts';
import type { PartnerImportsService } from './partner-imports.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'reports.import-chunks-sweep': Record<string, never>;
  }
}

const sweepEveryMs = 60 * 60_000;

export function registerPartnerImportJobs(worker: JobWorker, imports: PartnerImportsService): void {
  worker.register('reports.partner-import', {
    payload: z.object({ importId: z.number().int().positive() }),
    run: ({ importId }) => imports.run(importId),
  });
  worker.register('reports.import-chunks-sweep', {
    payload: z.record(z.string(), z.never()),
    run: async () => {
      await imports.sweepStrayChunks();
    },
  });
  worker.scheduleRecurring('reports.import-chunks-sweep', sweepEveryMs, {});
}
