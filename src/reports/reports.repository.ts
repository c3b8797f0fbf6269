// The SQL of reports: the paged read of verified reports (the export); the
// import's batches are written by import.repository.ts.
import type { Executor } from '../db/database.ts';
import { toDate } from '../db/schema.ts';

/** A partner's import: its reports carry the partner and the import. */
export interface ImportAttribution {
  readonly partnerId: number;
  readonly importId: number;
}

/** A verified report as the export writes it. */
export interface ExportedReport {
  readonly id: number;
  readonly source: string;
  readonly sourceId: string | null;
  readonly provider: string;
  readonly number: string;
  readonly category: string;
  readonly reportedAt: Date;
  readonly holderName: string | null;
}

/** Verified reports with an id above `afterId`, in id order; demonstration data left out. */
export async function verifiedReportsAfter(
  db: Executor,
  afterId: number,
  limit: number,
): Promise<ExportedReport[]> {
  const rows = await db
    .selectFrom('reports')
    .innerJoin('accounts', 'accounts.id', 'reports.account_id')
    .select([
      'reports.id',
      'reports.source',
      'reports.source_id',
      'accounts.provider',
      'accounts.number',
      'reports.category',
      'reports.reported_at',
      'reports.holder_name',
    ])
    .where('reports.status', '=', 'verified')
    .where('reports.source', '!=', 'demo')
    .where('reports.id', '>', afterId)
    .orderBy('reports.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    sourceId: row.source_id,
    provider: row.provider,
    number: row.number,
    category: row.category,
    reportedAt: toDate(row.reported_at),
    holderName: row.holder_name,
  }));
}
