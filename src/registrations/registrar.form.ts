// What the registrar's pages read: the queue's filter (from the address) and
// the decision and revocation forms; and the statuses and notices they know.
import { href, type PageContext } from '../http/layout.tsx';
import {
  decisionErrors,
  decisionFormOf,
  maxNoteLength,
  type DecisionBody,
  type DecisionForm,
} from '../backoffice/changes.ts';
import type { FormError } from '../backoffice/layout.tsx';
import { pageNumber } from '../backoffice/queue.tsx';
import { t } from '../shared/messages.ts';
import type { RegistrationStatus } from '../db/schema.ts';
import { registrationPaths } from './registrations.paths.ts';
import { approveReasons, rejectReasons } from './registrations.service.ts';

export const pageSize = 50;

export const registrationStatuses: readonly RegistrationStatus[] = [
  'submitted',
  'in_review',
  'approved',
  'rejected',
  'revoked',
];

// ---------------------------------------------------------------------------
// The queue's filter

export interface QueueRead {
  readonly status: RegistrationStatus | undefined;
  readonly flagged: boolean;
  readonly page: number;
  readonly errors: readonly FormError[];
}

export function readQueue(ctx: PageContext, query: Record<string, unknown>): QueueRead {
  const text = (name: string) => (typeof query[name] === 'string' ? query[name] : '');
  const statusText = text('status');
  const status = registrationStatuses.find((s) => s === statusText);
  const errors: FormError[] = [];
  if (statusText && !status) {
    errors.push({ field: 'status', message: t(ctx.lang, 'registrar.filter.status.invalid') });
  }
  return { status, flagged: text('flagged') === '1', page: pageNumber(text('page')), errors };
}

export function queueUrl(ctx: PageContext, read: Partial<QueueRead>, page = 1): string {
  const query = new URLSearchParams();
  if (read.status) query.set('status', read.status);
  if (read.flagged) query.set('flagged', '1');
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return href(ctx, text ? `${registrationPaths.queue}?${text}` : registrationPaths.queue);
}

// ---------------------------------------------------------------------------
// One registration

export const notices = ['claimed', 'released', 'approved', 'rejected', 'kept', 'revoked'] as const;
export type PageNotice = (typeof notices)[number];

const words = {
  decision: 'registrar.decision.required',
  reason: 'registrar.reason.required',
  noteTooLong: 'registrar.note.tooLong',
} as const;

/** The decision (or, with `revocation`, the revocation: a rejection after approval) as typed. */
export function readDecision(
  ctx: PageContext,
  body: DecisionBody,
  options: { revocation: boolean },
): { form: DecisionForm; errors: FormError[] } {
  const typed = decisionFormOf(body);
  const form = options.revocation ? { ...typed, decision: 'reject' } : typed;
  const errors = decisionErrors(ctx, form, {
    decisions: ['approve', 'reject'],
    reasons: options.revocation ? rejectReasons : [...approveReasons, ...rejectReasons],
    words,
  });
  return { form: { ...form, note: form.note.slice(0, maxNoteLength * 2) }, errors };
}
