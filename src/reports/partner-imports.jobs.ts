// The job that loads a partner's CSV import, registered by main.ts.
import { z } from 'zod';
import type { JobWorker } from '../jobs/jobs.service.ts';
import type { PartnerImportsService } from './partner-imports.service.ts';

export function registerPartnerImportJobs(worker: JobWorker, imports: PartnerImportsService): void {
  worker.register('reports.partner-import', {
    payload: z.object({ importId: z.number().int().positive() }),
    run: ({ importId }) => imports.run(importId),
  });
}
