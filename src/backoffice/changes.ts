// The handler side of a staff queue's record: its address parameter, the
// decision form as sent and as checked, the notice a redirect names, and the
// one way a change runs: done → back to the record with a notice (303);
// refused because the record moved on, or because the service found the form
// invalid → the record again, saying why.
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import type { PageContext } from '../http/layout.tsx';
import { isAppError } from '../shared/errors.ts';
import { t, type MessageKey } from '../shared/messages.ts';
import { cleanMultiLine, rowId, safeString } from '../shared/text-input.ts';
import { isClaimConflict, type ClaimConflict } from './claims.tsx';
import { formErrorsOf } from './form-errors.ts';
import type { ComponentChildren } from 'preact';
import {
  backOfficeContext,
  redirectTo,
  sendBackOfficePage,
  type BackOfficeContext,
  type FormError,
} from './layout.tsx';

export const idParams = z.object({
  id: rowId(),
});

/** The decision form as sent; everything is checked after, to show the form again. */
export const decisionBody = z.object({
  decision: safeString().max(20).optional(),
  reason: safeString().max(60).optional(),
  note: safeString().max(20_000).optional(),
});

export type DecisionBody = z.infer<typeof decisionBody>;

/** The decision form as typed, to show again when it is refused. */
export interface DecisionForm {
  readonly decision: string;
  readonly reason: string;
  readonly note: string;
}

export const emptyDecision: DecisionForm = { decision: '', reason: '', note: '' };

export const maxNoteLength = 2000;

export function decisionFormOf(body: DecisionBody): DecisionForm {
  return {
    decision: body.decision ?? '',
    reason: body.reason ?? '',
    note: cleanMultiLine(body.note ?? ''),
  };
}

/** What a decision may be, and how the page words what is missing. */
export interface DecisionRules {
  readonly decisions: readonly string[];
  readonly reasons: readonly string[];
  readonly words: {
    readonly decision: MessageKey;
    readonly reason: MessageKey;
    readonly noteTooLong: MessageKey;
  };
}

/** What is missing from a decision before the service is asked. */
export function decisionErrors(
  ctx: PageContext,
  form: DecisionForm,
  rules: DecisionRules,
): FormError[] {
  const errors: FormError[] = [];
  if (!rules.decisions.includes(form.decision)) {
    errors.push({ field: 'decision', message: t(ctx.lang, rules.words.decision) });
  }
  if (!rules.reasons.includes(form.reason)) {
    errors.push({ field: 'reason', message: t(ctx.lang, rules.words.reason) });
  }
  if (form.note.length > maxNoteLength) {
    errors.push({
      field: 'note',
      message: t(ctx.lang, rules.words.noteTooLong, { max: maxNoteLength }),
    });
  }
  return errors;
}

/** A queue's page: 400 when its filter was refused, which the page's error summary explains. */
export function sendQueuePage(
  reply: FastifyReply,
  ctx: BackOfficeContext,
  title: string,
  errors: readonly FormError[],
  body: ComponentChildren,
): FastifyReply {
  return sendBackOfficePage(reply, ctx, { title, status: errors.length > 0 ? 400 : 200 }, body);
}

/** A notice named by `?info=` after a redirect, when it is one this page knows. */
export function noticeOf<K extends string>(request: FastifyRequest, known: readonly K[]): K | null {
  const info = (request.query as Record<string, unknown> | undefined)?.info;
  return known.find((k) => k === info) ?? null;
}

/** Why a change was refused, for the record's page to show (400 or 409). */
export interface Refusal {
  readonly status: number;
  readonly conflict?: ClaimConflict;
  readonly errors?: readonly FormError[];
}

/** How a record's page is shown again: refused, and with the decision form as typed. */
export type RecordState = Partial<Refusal> & { readonly form?: DecisionForm | undefined };

/** A record's page, as the changes to it need it. */
export interface RecordPage {
  /** The record's address. */
  readonly path: (id: number) => string;
  readonly send: (
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: RecordState,
  ) => Promise<FastifyReply>;
}

/**
 * The changes to a page's records. Each runs and goes back to the record
 * with the notice `done` names; a change the record no longer allows
 * (decided, or claimed by another meanwhile) shows the record with why, and
 * so does a change the service finds invalid, with the form as typed.
 */
export function recordChanges<N extends string>(page: RecordPage) {
  return async function change<R>(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    run: () => Promise<R>,
    done: (result: R) => N,
    form?: DecisionForm,
  ): Promise<FastifyReply> {
    let result: R;
    try {
      result = await run();
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (isClaimConflict(error.code)) {
        return page.send(request, reply, id, { status: 409, conflict: error.code, form });
      }
      if (error.code === 'validation_failed') {
        const errors = formErrorsOf(backOfficeContext(request), error.errors);
        return page.send(request, reply, id, { status: 400, errors, form });
      }
      throw error;
    }
    return redirectTo(reply, backOfficeContext(request), `${page.path(id)}?info=${done(result)}`);
  };
}
