// The retention rule: a rejected registration's documents, NIK and contact
// are erased REGISTRATION_RETENTION_DAYS after the rejection, each erasure
// with its audit entry. Run by the recurring job (registrations.jobs.ts).
import type { AuditService } from '../audit/audit.service.ts';
import type { Database } from '../db/database.ts';
import type { FileStore } from '../files/files.service.ts';
import type { Clock } from '../shared/clock.ts';
import { eraseRegistrationDocuments, findExpiredRejected } from './registrations.repository.ts';

export interface RetentionDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly files: FileStore;
  readonly audit: AuditService;
  /** Days after a rejection when its documents and NIK are erased. */
  readonly retentionDays: number;
}

const day = 24 * 60 * 60 * 1000;
const retentionBatch = 100;

/** The actor of the retention job in the audit log. */
const retentionActor = { type: 'system', id: null, label: 'registrations.retention' } as const;

/**
 * Erases the documents (rows now, content right after) and the sealed NIK
 * and contact of registrations rejected more than the retention period
 * ago, each with its audit entry. The NIK's keyed hash stays: it reveals
 * nothing without the key, and flags the person if they apply again.
 * Returns how many registrations were erased.
 */
export async function eraseExpiredDocuments(deps: RetentionDeps): Promise<number> {
  const { database, audit, files, clock } = deps;
  const now = clock.now();
  const before = new Date(now.getTime() - deps.retentionDays * day);
  let erased = 0;
  for (;;) {
    const ids = await findExpiredRejected(database.db, before, retentionBatch);
    for (const id of ids) {
      const gone = await database.db.transaction().execute(async (trx) => {
        const records = await files.filesOf({ kind: 'registration', id }, trx);
        const deleted = await eraseRegistrationDocuments(trx, id, now);
        if (deleted === null) return null;
        await audit.record(trx, {
          actor: retentionActor,
          action: 'registration.documents_erased',
          subject: { type: 'registration', id: String(id) },
          details: { files: deleted.length, retentionDays: deps.retentionDays },
        });
        return records;
      });
      if (gone === null) continue;
      // After the commit: a crash in between leaves files without rows, which the sweep removes.
      await files.discard(gone);
      erased += 1;
    }
    if (ids.length < retentionBatch) return erased;
  }
}
