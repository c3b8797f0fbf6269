// The daily checkpoint: the chain is verified, its head signed and stored,
// and the signed head written to the log output as one JSON line, so that a
// copy of it lives outside the database (wherever the logs are shipped).
import * as z from 'zod';
import type { JobLogger, JobWorker } from '../jobs/jobs.service.ts';
import { AuditChainBroken, type AuditService } from './audit.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'audit.checkpoint': Record<string, never>;
  }
}

export const auditCheckpointEveryMs = 24 * 60 * 60_000;

export function registerAuditJobs(worker: JobWorker, audit: AuditService, log: JobLogger): void {
  worker.register('audit.checkpoint', {
    payload: z.record(z.string(), z.never()),
    async run() {
      try {
        const checkpoint = await audit.checkpoint();
        log.info(
          {
            auditCheckpoint: {
              seq: checkpoint.seq,
              hash: checkpoint.hash,
              at: checkpoint.at.toISOString(),
              signature: checkpoint.signature,
            },
          },
          'audit checkpoint',
        );
      } catch (error) {
        // A broken chain is reported loudly, never signed; retrying cannot mend it.
        if (error instanceof AuditChainBroken) {
          log.error({ auditBreak: error.break }, 'audit log does not verify');
          return;
        }
        throw error;
      }
    },
  });
  worker.scheduleRecurring('audit.checkpoint', auditCheckpointEveryMs, {});
}
