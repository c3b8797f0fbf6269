// What makes two keyed filings "the same request" for an Idempotency-Key:
// the report as read (normalized fields, so spacing or a number's dashes do
// not matter) and each evidence file's SHA-256, in order. Multipart
// boundaries and the order of the fields never enter it.
import { createHash } from 'node:crypto';
import type { ReportInput } from './report-input.ts';

/** The longest Idempotency-Key a partner may send (api.md). */
export const maxIdempotencyKeyLength = 255;
/** How long a stored answer is kept at least. */
export const idempotencyRetentionMs = 24 * 3_600_000;

export function filingFingerprint(
  input: ReportInput,
  evidence: readonly { readonly sha256: string }[],
): string {
  // The input is built field by field in one fixed order by parseReportInput, whatever
  // order the request sent them in, so its JSON is the same for the same report.
  const text = JSON.stringify({ input, evidence: evidence.map((file) => file.sha256) });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
