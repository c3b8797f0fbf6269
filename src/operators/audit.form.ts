// The audit viewer's filter form, read from the query: what was typed (kept
// for the form), the filter it means for the log, one message per field at
// fault, and the page's own address for these filters.
import { filterFaults, queryText, readFilterValues } from '../backoffice/filters.ts';
import { href, type PageContext } from '../http/layout.tsx';
import { isAuditAction, operatorChangeActions } from '../audit/audit.service.ts';
import type { AuditFilter } from '../audit/audit.service.ts';
import { isCalendarDate } from '../shared/text-input.ts';
import type { FormError } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';

const filterFields = ['actor', 'action', 'subjectType', 'subjectId', 'from', 'to'] as const;
export type FilterField = (typeof filterFields)[number];
export type FilterValues = Readonly<Record<FilterField, string>>;

const maxLengths: Record<FilterField, number> = {
  actor: 10,
  action: 60,
  subjectType: 40,
  subjectId: 100,
  from: 10,
  to: 10,
};

const day = 24 * 60 * 60 * 1000;

/**
 * The start of a calendar day in Western Indonesian Time (UTC+7, no daylight
 * saving), the zone every back-office time is shown in; null for a date that
 * does not exist (2026-02-30).
 */
function startOfDay(value: string): Date | null {
  return isCalendarDate(value) ? new Date(`${value}T00:00:00+07:00`) : null;
}

export interface ReadFilter {
  readonly values: FilterValues;
  /** Only changes to operator accounts (the checkbox `operatorChanges`). */
  readonly operatorChanges: boolean;
  readonly filter: Omit<AuditFilter, 'limit' | 'before'>;
  readonly before: number | undefined;
  readonly errors: readonly FormError[];
}

function positiveInt(value: string): number | undefined {
  return /^\d{1,10}$/.test(value) && Number(value) > 0 && Number(value) < 2 ** 31
    ? Number(value)
    : undefined;
}

/** Empty fields (a submitted form sends them all) mean "any". */
export function readFilter(ctx: PageContext, query: Record<string, unknown>): ReadFilter {
  const values = readFilterValues(query, filterFields, maxLengths);
  const { errors, fail } = filterFaults<FilterField>(ctx);

  const actorId = values.actor ? positiveInt(values.actor) : undefined;
  if (values.actor && actorId === undefined) fail('actor', 'admin.audit.actor.invalid');
  if (values.action && !isAuditAction(values.action)) fail('action', 'admin.audit.action.invalid');
  const from = values.from ? startOfDay(values.from) : null;
  const toStart = values.to ? startOfDay(values.to) : null;
  if (values.from && !from) fail('from', 'admin.audit.date.invalid');
  if (values.to && !toStart) fail('to', 'admin.audit.date.invalid');
  if (from && toStart && from > toStart) fail('from', 'audit.range_invalid');
  const before = positiveInt(queryText(query, 'before', 12));
  const operatorChanges = queryText(query, 'operatorChanges', 2) === 'on';

  return {
    values,
    operatorChanges,
    before,
    errors,
    filter: {
      actorId,
      action: values.action || undefined,
      actions: operatorChanges ? operatorChangeActions : undefined,
      subjectType: values.subjectType || undefined,
      subjectId: values.subjectId || undefined,
      from: from ?? undefined,
      // The whole "to" day counts: entries before the start of the next one.
      to: toStart ? new Date(toStart.getTime() + day) : undefined,
    },
  };
}

/** The page's own address for these filters (and a page of older entries). */
export function auditUrl(ctx: PageContext, read: ReadFilter, before?: number): string {
  const query = new URLSearchParams();
  for (const field of filterFields) if (read.values[field]) query.set(field, read.values[field]);
  if (read.operatorChanges) query.set('operatorChanges', 'on');
  if (before !== undefined) query.set('before', String(before));
  const text = query.toString();
  return href(ctx, text ? `${adminPaths.audit}?${text}` : adminPaths.audit);
}

/** What the viewer asked for, for the `audit.viewed` entry (as the API records it). */
export function viewedDetails(read: ReadFilter): Record<string, string> {
  const details: Record<string, string> = {};
  for (const field of filterFields) if (read.values[field]) details[field] = read.values[field];
  if (read.operatorChanges) details.operatorChanges = 'on';
  if (read.before !== undefined) details.before = String(read.before);
  return details;
}
