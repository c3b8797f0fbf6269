// The period a statistics request asks for: ?from=YYYY-MM&to=YYYY-MM, both
// optional (the last 12 months by default), from ≤ to, at most maxMonths.
import type { FieldError } from '../shared/errors.ts';
import { addMonths, monthSpan, parseMonth } from './months.ts';

export const maxMonths = 120;

export interface Period {
  readonly from: string;
  readonly to: string;
}

export type PeriodResult =
  | { readonly ok: true; readonly period: Period }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * `to` defaults to `fallback.to` (this month), `from` to the 11 months
 * before `to`. Reasons are message keys.
 */
export function parsePeriod(
  query: { from?: string | undefined; to?: string | undefined },
  fallback: Period,
): PeriodResult {
  const errors: FieldError[] = [];
  const given = (value: string | undefined) =>
    value === undefined || value === '' ? undefined : value;
  const rawFrom = given(query.from);
  const rawTo = given(query.to);
  const to = rawTo === undefined ? fallback.to : parseMonth(rawTo);
  if (to === undefined) errors.push({ field: 'to', reason: 'statistics.month_invalid' });
  const from = rawFrom === undefined ? to && addMonths(to, -11) : parseMonth(rawFrom);
  if (from === undefined) errors.push({ field: 'from', reason: 'statistics.month_invalid' });
  if (errors.length > 0 || !from || !to) return { ok: false, errors };
  if (from > to)
    return { ok: false, errors: [{ field: 'from', reason: 'statistics.period_reversed' }] };
  if (monthSpan(from, to) > maxMonths) {
    return { ok: false, errors: [{ field: 'from', reason: 'statistics.period_too_long' }] };
  }
  return { ok: true, period: { from, to } };
}
