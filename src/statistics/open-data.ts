// The open data files: the monthly figures as CSV (one row per month and
// category, UTF-8 with a byte order mark so that spreadsheets read it as
// such, a header row, RFC 4180 quoting and CRLF line ends, through the
// project's CSV writer) and the column list the data dictionary documents.
import { csvLine } from '../shared/csv.ts';
import { categoryName } from '../shared/categories.ts';
import type { MessageKey } from '../shared/messages.ts';
import type { StatisticsAnswer } from './statistics.service.ts';

export interface OpenDataColumn {
  readonly name: string;
  readonly type: MessageKey;
  readonly meaning: MessageKey;
}

export const openDataColumns: readonly OpenDataColumn[] = [
  { name: 'month', type: 'openData.type.month', meaning: 'openData.col.month' },
  { name: 'category', type: 'openData.type.text', meaning: 'openData.col.category' },
  { name: 'category_name', type: 'openData.type.text', meaning: 'openData.col.category_name' },
  {
    name: 'verified_reports',
    type: 'openData.type.integer',
    meaning: 'openData.col.verified_reports',
  },
  {
    name: 'reported_loss_idr',
    type: 'openData.type.integer',
    meaning: 'openData.col.reported_loss_idr',
  },
  {
    name: 'month_reports_submitted',
    type: 'openData.type.integer',
    meaning: 'openData.col.month_reports_submitted',
  },
  {
    name: 'month_reports_verified',
    type: 'openData.type.integer',
    meaning: 'openData.col.month_reports_verified',
  },
  {
    name: 'month_reports_rejected',
    type: 'openData.type.integer',
    meaning: 'openData.col.month_reports_rejected',
  },
  {
    name: 'month_reported_loss_median_idr',
    type: 'openData.type.integer',
    meaning: 'openData.col.month_reported_loss_median_idr',
  },
];

export const csvContentType = 'text/csv; charset=utf-8';
const byteOrderMark = '\uFEFF';

const cell = (value: number | null): string => (value === null ? '' : String(value));

/** RFC 4180 ends records with CRLF; csvLine ends them with LF. */
function record(fields: readonly string[]): string {
  return `${csvLine(fields).slice(0, -1)}\r\n`;
}

export function statisticsCsv(answer: StatisticsAnswer): string {
  const months = new Map(answer.body.months.map((m) => [m.month, m]));
  let out = byteOrderMark + record(openDataColumns.map((c) => c.name));
  for (const r of answer.byCategory) {
    const m = months.get(r.month);
    out += record([
      r.month,
      r.category,
      categoryName(r.category, 'id'),
      cell(r.verifiedReports),
      cell(r.reportedLossIdr),
      cell(m?.reports.submitted ?? null),
      cell(m?.reports.verified ?? null),
      cell(m?.reports.rejected ?? null),
      cell(m?.reportedLossIdr.median ?? null),
    ]);
  }
  return out;
}

export function csvFileName(from: string, to: string): string {
  return `cekrek-statistik-${from}-${to}.csv`;
}
