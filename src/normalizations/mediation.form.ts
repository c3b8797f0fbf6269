// The mediator's pages' addresses, and what they read: the queue's filter
// (from the address) and the forms of a request (questions, mediation and
// its outcome, the proposal, its confirmation), kept as typed so that a
// refused form is shown again as it was.
import * as z from 'zod';
import { AppError } from '../shared/errors.ts';
import { cleanLine, cleanMultiLine, isCalendarDate, safeString } from '../shared/text-input.ts';
import type { NormalizationStatus } from '../db/schema.ts';

export const mediationPaths = {
  queue: '/admin/normalisasi',
  entry: '/admin/normalisasi/baru',
} as const;

export function casePath(id: number, action?: string): string {
  return `${mediationPaths.queue}/${id}${action ? `/${action}` : ''}`;
}

export function caseFilePath(id: number, fileId: string): string {
  return casePath(id, `berkas/${encodeURIComponent(fileId)}`);
}

export const pageSize = 50;
export const maxReasonLength = 2000;

// ---------------------------------------------------------------------------
// The queue's filter

const pendingStatuses: readonly NormalizationStatus[] = [
  'submitted',
  'in_review',
  'mediation',
  'proposed',
];

/** The queue's filter: open requests by default; "in_review" also holds mediation and proposals. */
export const queueFilters = [
  'open',
  'submitted',
  'in_review',
  'mediation',
  'proposed',
  'granted',
  'denied',
] as const;
export type QueueFilterName = (typeof queueFilters)[number];

export function statusesOf(filter: QueueFilterName): NormalizationStatus[] {
  switch (filter) {
    case 'open':
      return [...pendingStatuses];
    case 'in_review':
      return ['in_review', 'mediation', 'proposed'];
    default:
      return [filter];
  }
}

export interface QueueRead {
  readonly filter: QueueFilterName;
  readonly overdueOnly: boolean;
  readonly page: number;
}

/** Anything the address holds that is not a known filter means the default. */
export function readQueue(query: Record<string, unknown>): QueueRead {
  const asked = typeof query.status === 'string' ? query.status : 'open';
  const filter = queueFilters.find((f) => f === asked) ?? 'open';
  const page = Math.min(Math.max(Number(query.halaman) || 1, 1), 10_000);
  return { filter, overdueOnly: query.terlambat === '1', page };
}

/** The queue's own address for this filter and page. */
export function queuePath(read: Omit<QueueRead, 'page'>, page: number): string {
  const q = new URLSearchParams();
  if (read.filter !== 'open') q.set('status', read.filter);
  if (read.overdueOnly) q.set('terlambat', '1');
  if (page > 1) q.set('halaman', String(page));
  const text = q.toString();
  return text ? `${mediationPaths.queue}?${text}` : mediationPaths.queue;
}

// ---------------------------------------------------------------------------
// One request

export type CaseInfo =
  | 'claimed'
  | 'asked'
  | 'scheduled'
  | 'recorded'
  | 'proposed'
  | 'confirmed'
  | 'returned'
  | 'noticed'
  | 'excused';
export const caseInfos: readonly CaseInfo[] = [
  'claimed',
  'asked',
  'scheduled',
  'recorded',
  'proposed',
  'confirmed',
  'returned',
  'noticed',
  'excused',
];

/** What a failed form had typed, to show it again. */
export interface Typed {
  readonly form:
    'question' | 'mediation' | 'outcome' | 'proposal' | 'confirmation' | 'notice' | 'excuse';
  readonly values: Readonly<Record<string, string>>;
}

/** A form field as typed: one line, or free text where `clean` says so. */
const formText = (max: number, clean: (value: string) => string = cleanLine) =>
  safeString()
    .max(max)
    .optional()
    .transform((v) => clean(v ?? ''));

export const caseForm = z
  .object({
    party: formText(40),
    question: formText(4000, cleanMultiLine),
    scheduledAt: formText(40),
    place: formText(600),
    videoLink: formText(1000),
    note: formText(4000, cleanMultiLine),
    session: formText(20),
    outcome: formText(40),
    decision: formText(20),
    reason: formText(4000, cleanMultiLine),
    confirm: formText(10),
    report: formText(20),
    excuse: formText(40),
  })
  .partial();

export type CaseForm = z.infer<typeof caseForm>;

/** "2026-03-10T14:30", typed in Western Indonesian Time (UTC+7). */
export function parseLocalTime(value: string): Date | null {
  const day = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}$/.exec(value)?.[1];
  // new Date() would take 30 February as 2 March.
  if (day === undefined || !isCalendarDate(day)) return null;
  const at = new Date(`${value}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** A form's own refusal, worded like the service's. */
export function validation(field: string, reason: string): AppError {
  return new AppError('validation_failed', { errors: [{ field, reason }] });
}

/** Field names of the service's errors, as the ids of the page's controls. */
const fieldIds: Record<Typed['form'], Record<string, string>> = {
  question: { party: 'party', reportId: 'party', question: 'question' },
  mediation: { scheduledAt: 'scheduledAt', place: 'place', videoLink: 'videoLink', note: 'note' },
  outcome: {},
  proposal: { decision: 'decision-grant', reason: 'reason' },
  confirmation: { confirm: 'confirm-yes', reason: 'confirm-reason' },
  notice: { notice: 'notice-note', note: 'notice-note' },
  excuse: { reportId: 'excuse-report', reason: 'excuse-no_contact', note: 'excuse-note' },
};

/** The control of a form that a service error's field names, or null when it has none. */
export function fieldIdOf(form: Typed['form'], field: string): string | null {
  return fieldIds[form][field] ?? null;
}

export function pick(body: CaseForm, names: readonly (keyof CaseForm)[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}
