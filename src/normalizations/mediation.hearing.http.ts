// The mediator's API for hearing the reporters before a grant: the dispute
// notice to every reporter not yet told, and the reason a reporter cannot be
// asked; and how the request's detail shows where hearing each one stands.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { optionalMultiLineText, rowId } from '../shared/text-input.ts';
import { idParams, operatorActor, problems } from '../review/review.http.ts';
import {
  isHeard,
  reporterExcuseReasons,
  type NormalizationsService,
  type ReporterHearing,
} from './normalizations.service.ts';
import { mediate } from './normalizations.routes.ts';

type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

const excuseReasonEnum = z.enum(reporterExcuseReasons);

/** Whether a disputed verified report's reporter was heard; a grant waits for every one. */
export const hearingSchema = z
  .object({
    reportId: z.number().int(),
    ticket: z.string().nullable(),
    state: z.enum(['not_asked', 'waiting', 'answered', 'time_passed', 'excused']),
    heard: z.boolean(),
    contactable: z.boolean(),
    notice: z
      .object({
        informationRequestId: z.number().int(),
        askedBy: z.object({ id: z.number().int(), email: z.string().nullable() }),
        askedAt: z.iso.datetime(),
        dueAt: z.iso.datetime(),
        answeredAt: z.iso.datetime().nullable(),
      })
      .nullable(),
    excuse: z
      .object({
        reason: excuseReasonEnum,
        note: z.string().nullable(),
        recordedBy: z.object({ id: z.number().int(), email: z.string().nullable() }),
        recordedAt: z.iso.datetime(),
      })
      .nullable(),
  })
  .meta({ id: 'ReporterHearing' });

export function toHearingBody(
  h: ReporterHearing,
  operators: ReadonlyMap<number, string>,
): z.infer<typeof hearingSchema> {
  const who = (id: number) => ({ id, email: operators.get(id) ?? null });
  return {
    reportId: h.reportId,
    ticket: h.ticket,
    state: h.state,
    heard: isHeard(h),
    contactable: h.contactable,
    notice: h.notice && {
      informationRequestId: h.notice.id,
      askedBy: who(h.notice.askedBy),
      askedAt: h.notice.askedAt.toISOString(),
      dueAt: h.notice.dueAt.toISOString(),
      answeredAt: h.notice.answeredAt?.toISOString() ?? null,
    },
    excuse: h.excuse && {
      reason: h.excuse.reason,
      note: h.excuse.note,
      recordedBy: who(h.excuse.recordedBy),
      recordedAt: h.excuse.recordedAt.toISOString(),
    },
  };
}

export function hearingRoutes(app: ZodApp, normalizations: NormalizationsService): void {
  app.post(
    '/api/v1/admin/normalizations/:id/reporter-notices',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Tell the reporters of the disputed verified reports of the dispute',
        description:
          'Each reporter not yet told and reachable is e-mailed the dispute notice: a question ' +
          'on their ticket’s answer page with REPORTER_ANSWER_DAYS to answer (`note` is added ' +
          'to it). `400 validation_failed` (field `notice`) when no one is left to tell.',
        params: idParams,
        body: z.object({ note: optionalMultiLineText(2000) }),
        response: {
          201: z.object({ sent: z.number().int(), dueAt: z.iso.datetime() }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const sent = await normalizations.noticeReporters(
        request.params.id,
        operatorActor(request),
        request.body.note,
      );
      return reply.code(201).send({ sent: sent.sent, dueAt: sent.dueAt.toISOString() });
    },
  );

  app.post(
    '/api/v1/admin/normalizations/:id/reporter-excuses',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Record why a disputed report’s reporter cannot be asked before a grant',
        description:
          '`no_contact`, `imported_report` (only for a report from an import) or `other` ' +
          '(with a `note`); once per report.',
        params: idParams,
        body: z.object({
          reportId: rowId(),
          reason: excuseReasonEnum,
          note: optionalMultiLineText(2000),
        }),
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await normalizations.excuseReporter(request.params.id, operatorActor(request), {
        reportId: request.body.reportId,
        reason: request.body.reason,
        note: request.body.note,
      });
      return reply.code(204).send(null);
    },
  );
}
