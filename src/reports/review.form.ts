// What the reviewer's pages read: the queue's filters (from the address, so
// a filtered queue can be shared and paged) and the decision form; and the
// statuses and notices the pages know.
import { filterFaults, queryText, readFilterValues } from '../backoffice/filters.ts';
import { href, type PageContext } from '../http/layout.tsx';
import {
  decisionErrors,
  decisionFormOf,
  type DecisionBody,
  type DecisionForm,
} from '../backoffice/changes.ts';
import { pageNumber } from '../backoffice/queue.tsx';
import type { FormError } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import { nextDay, startOfDay } from '../backoffice/time.tsx';
import { isCategoryCode } from '../shared/categories.ts';
import { providers, type Provider } from '../shared/providers.ts';
import type { ReportStatus } from '../db/schema.ts';
import { rejectReasons, verifyReasons, type QueueFilter } from './reports.service.ts';

export const pageSize = 50;

export const reportStatuses: readonly ReportStatus[] = [
  'submitted',
  'in_review',
  'verified',
  'rejected',
  'normalized',
];
export const openStatuses: readonly ReportStatus[] = ['submitted', 'in_review'];

// ---------------------------------------------------------------------------
// The queue's filters

const filterFields = [
  'status',
  'category',
  'provider',
  'from',
  'to',
  'flagged',
  'source',
  'partner',
] as const;
type FilterField = (typeof filterFields)[number];
export type FilterValues = Readonly<Record<FilterField, string>>;

const maxLengths: Record<FilterField, number> = {
  status: 20,
  category: 40,
  provider: 120,
  from: 10,
  to: 10,
  flagged: 1,
  source: 10,
  partner: 12,
};

/** Who filed a report: the public, or a partner with its key. */
export const reportSources = ['public', 'partner'] as const;

/** "014 · BCA — Bank Central Asia", "ovo · OVO": the chooser's labels start with the code. */
function providerLabel(provider: Provider): string {
  const name =
    provider.shortName === provider.name
      ? provider.name
      : `${provider.shortName} — ${provider.name}`;
  return `${provider.code} · ${name}`;
}

export const providerLabels = providers.all.map(providerLabel);

/** A code, an alias, a name or a chooser label. */
function resolveProvider(input: string): Provider | undefined {
  const beforeDot = input.split('·')[0]?.trim() ?? '';
  return providers.resolve(beforeDot) ?? providers.resolveLabel(input);
}

export interface ReadFilter {
  readonly values: FilterValues;
  readonly filter: Omit<QueueFilter, 'limit' | 'offset'>;
  readonly page: number;
  readonly errors: readonly FormError[];
}

/** Empty fields (a submitted form sends them all) mean "any". */
export function readFilter(ctx: PageContext, query: Record<string, unknown>): ReadFilter {
  const values = readFilterValues(query, filterFields, maxLengths);
  const { errors, fail } = filterFaults<FilterField>(ctx);

  const status = reportStatuses.find((s) => s === values.status);
  if (values.status && !status) fail('status', 'admin.review.filter.status.invalid');
  if (values.category && !isCategoryCode(values.category)) {
    fail('category', 'admin.review.filter.category.invalid');
  }
  const provider = values.provider ? resolveProvider(values.provider) : undefined;
  if (values.provider && !provider) fail('provider', 'admin.review.filter.provider.invalid');
  const from = values.from ? startOfDay(values.from) : null;
  const toStart = values.to ? startOfDay(values.to) : null;
  if (values.from && !from) fail('from', 'admin.review.filter.date.invalid');
  if (values.to && !toStart) fail('to', 'admin.review.filter.date.invalid');
  if (from && toStart && from > toStart) fail('from', 'admin.review.filter.range.invalid');

  return {
    values,
    page: pageNumber(queryText(query, 'page', 6)),
    errors,
    filter: {
      status,
      category: values.category || undefined,
      provider: provider?.code,
      from: from ?? undefined,
      // The whole "to" day counts: reports before the start of the next one.
      to: toStart ? nextDay(toStart) : undefined,
      flagged: values.flagged === '1' ? true : undefined,
      // Only two choices from a select: anything else means "every source".
      source: reportSources.find((source) => source === values.source),
      partnerId: /^[1-9]\d{0,11}$/.test(values.partner) ? Number(values.partner) : undefined,
    },
  };
}

/** The queue's own address for these filters and page. */
export function queueUrl(ctx: PageContext, values: Partial<FilterValues>, page = 1): string {
  const query = new URLSearchParams();
  for (const field of filterFields) {
    const value = values[field];
    if (value) query.set(field, value);
  }
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return href(ctx, text ? `${adminPaths.reports}?${text}` : adminPaths.reports);
}

// ---------------------------------------------------------------------------
// One report

export const reportNotices = ['claimed', 'released', 'verified', 'rejected'] as const;
export type ReportNotice = (typeof reportNotices)[number];

const decisionRules = {
  decisions: ['verify', 'reject'],
  reasons: [...verifyReasons, ...rejectReasons],
  words: {
    decision: 'admin.review.decision.required',
    reason: 'admin.review.reason.required',
    noteTooLong: 'admin.review.note.tooLong',
  },
} as const;

/** The decision form as typed, and what is missing from it before the service is asked. */
export function readDecision(
  ctx: PageContext,
  body: DecisionBody,
): { form: DecisionForm; errors: FormError[] } {
  const form = decisionFormOf(body);
  return { form, errors: decisionErrors(ctx, form, decisionRules) };
}
