// Export of every verified report in the import format, so that another
// installation (or this one, after a loss) can load it with `cekrek import`.
// Streams page by page: memory stays flat whatever the number of reports.
// Cells are written spreadsheet-safe (shared/csv.ts), which the import undoes.
import type { Executor } from '../db/database.ts';
import { csvLine } from '../shared/csv.ts';
import { importColumns } from './import.csv.ts';
import { verifiedReportsAfter, type ExportedReport } from './reports.repository.ts';

const pageSize = 10_000;

/**
 * Imported reports keep the id their source gave them, so re-importing an
 * export is a no-op for them; others get an id stable across exports.
 */
export function exportSourceId(report: ExportedReport): string {
  return report.source === 'import' && report.sourceId ? report.sourceId : `cekrek-${report.id}`;
}

function rfc3339(at: Date): string {
  return at.toISOString().replace('.000Z', 'Z');
}

export function exportLine(report: ExportedReport): string {
  return csvLine([
    exportSourceId(report),
    report.provider,
    report.number,
    report.category,
    rfc3339(report.reportedAt),
    report.holderName ?? '',
  ]);
}

/** The CSV text, a page of reports per chunk, header first. */
export async function* exportReportsCsv(db: Executor): AsyncGenerator<string, void, undefined> {
  yield csvLine(importColumns);
  let after = 0;
  for (;;) {
    const page = await verifiedReportsAfter(db, after, pageSize);
    if (page.length === 0) return;
    yield page.map(exportLine).join('');
    after = page[page.length - 1]!.id;
  }
}
