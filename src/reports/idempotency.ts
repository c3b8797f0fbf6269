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

/** JSON with object keys sorted, so the order fields were read in cannot matter. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function filingFingerprint(
  input: ReportInput,
  evidence: readonly { readonly sha256: string }[],
): string {
  const text = canonicalJson({ input, evidence: evidence.map((file) => file.sha256) });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
