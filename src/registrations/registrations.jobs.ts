// The retention rule as a recurring job: the documents, NIK and contact of
// seller registrations rejected longer ago than REGISTRATION_RETENTION_DAYS
// are erased, each with its own audit entry (registration.documents_erased).
import * as z from 'zod';
import type { JobWorker } from '../jobs/jobs.service.ts';
import type { RegistrationsService } from './registrations.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'registrations.retention': Record<string, never>;
  }
}

/** Retention is counted in days: a few runs a day keep it within hours of the rule. */
const retentionEveryMs = 6 * 60 * 60_000;

export function registerRegistrationJobs(
  worker: JobWorker,
  registrations: RegistrationsService,
): void {
  worker.register('registrations.retention', {
    payload: z.record(z.string(), z.never()),
    async run() {
      await registrations.eraseExpiredDocuments();
    },
  });
  worker.scheduleRecurring('registrations.retention', retentionEveryMs, {});
}
