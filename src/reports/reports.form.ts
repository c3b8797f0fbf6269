// The states of the report's public pages and how they are read: the report
// form (/lapor), refused as it was typed, and the tracking form (/lacak).
import type { AppError, FieldError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import {
  canResubmit,
  fieldErrorsOf,
  missingCodes,
  pageOrder,
  prefilledAccount,
  refusedState,
  text,
  valuesOf,
  type FormState,
  type SentForm,
} from '../http/public-form.tsx';
import type { TicketsService, TrackedTicket } from '../tickets/tickets.service.ts';
import { reportFields, type ReportField } from './report-input.ts';

// ---------------------------------------------------------------------------
// The report form

/** The form's fields in page order. The evidence comes last: see watchParts. */
export const formFields = [...reportFields, 'evidence'] as const;
export type FormField = (typeof formFields)[number];
export const reportOrder = pageOrder(formFields);

export type ReportFormValues = Readonly<Partial<Record<ReportField, string>>>;
export type ReportFormState = FormState<ReportFormValues>;

export const emptyForm: ReportFormState = { values: {}, errors: [], status: 200 };

/**
 * Files are never kept when a form is refused, so the evidence field needs
 * attention again: its own error if it had one, else a reminder, when the
 * form can be sent again at all.
 */
function withEvidenceError(
  errors: readonly FieldError[],
  files: number | undefined,
  resubmit: boolean,
) {
  if (errors.some((e) => e.field === 'evidence') || !resubmit) return errors;
  const reason = files === 0 ? 'report.evidence.count' : 'reportForm.evidence.again';
  return [...errors, { field: 'evidence', reason }];
}

export function refusedForm(error: AppError, sent: SentForm): ReportFormState {
  // Undefined when the body was never read: whether evidence came is not known.
  const evidence = sent.files === undefined ? undefined : (sent.files.get('evidence') ?? 0);
  const errors = withEvidenceError(fieldErrorsOf(error), evidence, canResubmit(error));
  return refusedState(error, valuesOf(sent, reportFields), errors, reportOrder);
}

/** `?bank=014&nomor=…` (a result page's link): the account, chosen already. */
export function prefillFrom(query: Readonly<Record<string, unknown>>): ReportFormValues {
  return prefilledAccount(query);
}

// ---------------------------------------------------------------------------
// Tracking

export type TrackField = 'ticket' | 'token';

export interface TrackingState {
  readonly ticket: string;
  readonly token: string;
  readonly errors: ReadonlyMap<TrackField, string>;
  readonly tracked: TrackedTicket | undefined;
  readonly notFound: boolean;
}

export async function trackingState(
  tickets: TicketsService,
  lang: Lang,
  query: Readonly<Record<string, unknown>>,
): Promise<TrackingState> {
  const ticket = text(query.tiket).trim();
  const token = text(query.token).trim();
  const state = { ticket, token, errors: new Map(), tracked: undefined, notFound: false };
  // The e-mail's link carries the ticket alone: a form to finish, not a mistake.
  if (!('token' in query)) return state;
  const errors = missingCodes(lang, ticket, token);
  if (errors.size > 0) return { ...state, errors };
  const tracked = await tickets.track(ticket, token);
  return { ...state, tracked, notFound: tracked === undefined };
}

export function trackingStatus(state: TrackingState): number {
  if (state.notFound) return 404;
  return state.errors.size > 0 ? 400 : 200;
}
