// The SQL of reports: bulk insertion of verified reports from outside
// sources (the import), and the paged read of verified reports (the export).
import { sql } from 'kysely';
import type { DialectName, Executor } from '../db/database.ts';
import { bulkRows } from '../db/bulk-rows.ts';
import { toDate } from '../db/schema.ts';

/** A verified report from an outside source, ready to insert. */
export interface ImportedReport {
  readonly accountId: number;
  readonly sourceId: string;
  readonly category: string;
  readonly reportedAt: Date;
  readonly holderName: string | null;
}

/** Rows per statement: bounds the size of one JSON parameter. */
const insertChunk = 10_000;

/**
 * Inserts imported reports as verified at `verifiedAt`, skipping any whose
 * source id is already stored (also one earlier in the same call). Returns
 * the account id of every report inserted.
 */
/** A partner's import: its reports carry the partner and the import. */
export interface ImportAttribution {
  readonly partnerId: number;
  readonly importId: number;
}

export async function insertImportedReports(
  db: Executor,
  dialect: DialectName,
  reports: readonly ImportedReport[],
  verifiedAt: Date,
  attribution?: ImportAttribution,
): Promise<number[]> {
  const source = attribution ? 'partner' : 'import';
  const partnerId = attribution?.partnerId ?? null;
  const importId = attribution?.importId ?? null;
  const inserted: number[] = [];
  for (let i = 0; i < reports.length; i += insertChunk) {
    const rows = bulkRows(
      dialect,
      'r',
      {
        account_id: 'bigint',
        category: 'text',
        source_id: 'text',
        holder_name: 'text',
        reported_at: 'timestamp',
      },
      reports.slice(i, i + insertChunk).map((r) => ({
        account_id: r.accountId,
        category: r.category,
        source_id: r.sourceId,
        holder_name: r.holderName,
        reported_at: r.reportedAt.toISOString(),
      })),
    );
    const result = await sql<{ account_id: number }>`
      insert into reports (account_id, status, category, source, source_id, holder_name,
                           reported_at, verified_at, created_at, updated_at,
                           partner_id, import_id)
      select r.account_id, 'verified', r.category, ${source}, r.source_id, r.holder_name,
             r.reported_at, ${verifiedAt}, ${verifiedAt}, ${verifiedAt},
             ${partnerId}, ${importId}
      from ${rows}
      where true
      on conflict (source, source_id) do nothing
      returning account_id`.execute(db);
    for (const row of result.rows) inserted.push(Number(row.account_id));
  }
  return inserted;
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
