// The answer page's state (/lacak/jawab) and how it is read: the ticket and
// tracking code that open a party's questions, and an answer refused as it
// was typed.
import type { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { problemDetail, translateReason } from '../shared/messages.ts';
import { missingCodes, type SentForm } from '../http/public-form.tsx';
import type { NormalizationsService, PartyView } from './normalizations.service.ts';

/** Where a party answers a mediator's questions. */
export const answerPath = '/lacak/jawab';

export function answerPagePath(ticket: string, token: string): string {
  return `${answerPath}?${new URLSearchParams({ tiket: ticket, token }).toString()}`;
}

export interface AnswerState {
  readonly ticket: string;
  readonly token: string;
  readonly view: PartyView | undefined;
  readonly notFound: boolean;
  /** Errors of the ticket/token form. */
  readonly lookupErrors: ReadonlyMap<'ticket' | 'token', string>;
  /** The question whose answer was refused, why, and what was typed. */
  readonly refused?: {
    readonly question: number;
    readonly field: 'answer' | 'attachments';
    readonly message: string;
    readonly answer: string;
  };
  /** Why an answer was refused when no field is at fault. */
  readonly problem?: AppError;
  readonly answered: boolean;
}

/** The page as a link with the ticket alone opens it: a form to finish. */
export function blankAnswerState(ticket: string): AnswerState {
  return {
    ticket,
    token: '',
    view: undefined,
    notFound: false,
    lookupErrors: new Map(),
    answered: false,
  };
}

export async function lookup(
  normalizations: NormalizationsService,
  lang: Lang,
  ticket: string,
  token: string,
): Promise<AnswerState> {
  const state: AnswerState = { ...blankAnswerState(ticket), token };
  const errors = missingCodes(lang, ticket, token);
  if (errors.size > 0) return { ...state, lookupErrors: errors };
  const view = await normalizations.partyView(ticket, token);
  return { ...state, view, notFound: view === undefined };
}

export function lookupStatus(state: AnswerState): number {
  if (state.notFound) return 404;
  return state.lookupErrors.size > 0 ? 400 : 200;
}

/** A text field of the answer's form as it was sent. */
export function sentField(sent: SentForm, name: string): string {
  return (sent.values.get(name) ?? '').trim();
}

/** The page after a refused answer: the field at fault with what was typed, or the problem. */
export function withRefusal(
  state: AnswerState,
  error: AppError,
  sent: SentForm,
  lang: Lang,
): AnswerState {
  if (error.code === 'validation_failed' || error.code === 'too_many_files') {
    const fault = error.errors[0];
    const message = fault
      ? translateReason(lang, fault.reason)
      : problemDetail(lang, error.code, error.params);
    const refused = {
      question: Number(sentField(sent, 'question')),
      field: fault?.field === 'answer' ? ('answer' as const) : ('attachments' as const),
      message,
      answer: sent.values.get('answer') ?? '',
    };
    return { ...state, refused };
  }
  return { ...state, problem: error };
}
