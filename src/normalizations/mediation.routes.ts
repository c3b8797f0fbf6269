// The mediator's API: the queue by deadline, a request beside the reports it
// disputes (audited), their files, taking a request on, questions to the
// owner or a reporter, mediation sessions, and the four-eyes proposal and
// confirmation.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import {
  multiLineText,
  optionalLineText,
  optionalMultiLineText,
  rowId,
  safeString,
} from '../shared/text-input.ts';
import { actorOf } from '../backoffice/auth.ts';
import type { FileRecord } from '../files/files.service.ts';
import {
  accountSchema,
  fileFields,
  idParams,
  operatorActor,
  pageQuery,
  problems,
  reporterSchema,
  rowsOf,
  toAccountBody,
} from '../review/review.http.ts';
import {
  mediationOutcomes,
  normalizationStatuses,
  isHeard,
  type NormalizationDetail,
  type NormalizationsService,
  type QueueItem,
} from './normalizations.service.ts';
import { mediate, sendCaseFile } from './normalizations.routes.ts';
import { hearingRoutes, hearingSchema, toHearingBody } from './mediation.hearing.http.ts';

const statusEnum = z.enum(normalizationStatuses);

const outcomeEnum = z.enum(mediationOutcomes);

const operatorSchema = z.object({ id: z.number().int(), email: z.string().nullable() }).nullable();

/** A file of the request or of a report it disputes, opened through caseFileUrl. */
const fileSchema = z.object({ ...fileFields, sensitive: z.boolean(), url: z.string() });

/** What the queue and the detail both show first of a request. */
const requestFields = {
  id: z.number().int(),
  ticket: z.string().nullable(),
  status: statusEnum,
  channel: z.enum(['online', 'service_desk']),
  account: accountSchema,
  holderName: z.string().nullable(),
};

const queueItemSchema = z.object({
  ...requestFields,
  createdAt: z.iso.datetime(),
  dueAt: z.iso.datetime(),
  overdue: z.boolean(),
  proposal: z
    .object({ decision: z.enum(['grant', 'deny']), by: z.number().int().nullable() })
    .nullable(),
  disputedReports: z.number().int(),
  openQuestions: z.number().int(),
  nextMediation: z.iso.datetime().nullable(),
});

const detailSchema = z
  .object({
    ...requestFields,
    nik: z.string().nullable().describe('Masked; the full NIK is never sent.'),
    contact: z
      .object({ phone: z.string(), email: z.string() })
      .nullable()
      .describe('Opened for the mediator; this view is in the audit log.'),
    statement: z.string().nullable(),
    createdAt: z.iso.datetime(),
    dueAt: z.iso.datetime(),
    overdue: z.boolean(),
    enteredBy: operatorSchema,
    handledBy: operatorSchema,
    proposal: z
      .object({
        decision: z.enum(['grant', 'deny']),
        by: operatorSchema,
        at: z.iso.datetime().nullable(),
        reason: z.string().nullable(),
      })
      .nullable(),
    decision: z
      .object({
        status: z.enum(['granted', 'denied']),
        confirmedBy: operatorSchema,
        at: z.iso.datetime().nullable(),
        reason: z.string().nullable(),
      })
      .nullable(),
    files: z.array(fileSchema),
    reports: z.array(
      z.object({
        id: z.number().int(),
        ticket: z.string().nullable(),
        status: z.string(),
        category: z.string(),
        source: z.string(),
        createdAt: z.iso.datetime(),
        holderName: z.string().nullable(),
        incident: z.object({
          date: z.string().nullable(),
          amount: z.number().int().nullable(),
          platform: z.string().nullable(),
          chronology: z.string().nullable(),
        }),
        reporter: reporterSchema
          .nullable()
          .describe('Opened for the mediator; this view is in the audit log.'),
        files: z.array(fileSchema),
      }),
    ),
    informationRequests: z.array(
      z.object({
        id: z.number().int(),
        party: z.enum(['owner', 'reporter']),
        reportId: z.number().int().nullable(),
        question: z.string(),
        askedBy: operatorSchema,
        askedAt: z.iso.datetime(),
        dueAt: z.iso.datetime(),
        overdue: z.boolean(),
        answeredAt: z.iso.datetime().nullable(),
        answer: z.string().nullable(),
        files: z.array(fileSchema),
      }),
    ),
    mediations: z.array(
      z.object({
        id: z.number().int(),
        scheduledAt: z.iso.datetime(),
        place: z.string().nullable(),
        videoLink: z.string().nullable(),
        note: z.string().nullable(),
        scheduledBy: operatorSchema,
        outcome: outcomeEnum.nullable(),
        outcomeNote: z.string().nullable(),
        recordedBy: operatorSchema,
        recordedAt: z.iso.datetime().nullable(),
      }),
    ),
    hearings: z.array(hearingSchema),
    reportersHeard: z
      .boolean()
      .describe(
        'Whether a grant may be proposed: every disputed verified report’s reporter heard.',
      ),
  })
  .meta({ id: 'NormalizationDetail' });

/** The audited route of a file of this request or of a report it disputes. */
export function caseFileUrl(id: number, fileId: string): string {
  return `/api/v1/admin/normalizations/${id}/files/${fileId}`;
}

function toQueueBody(item: QueueItem): z.infer<typeof queueItemSchema> {
  return {
    id: item.id,
    ticket: item.ticket,
    status: item.status,
    channel: item.channel,
    account: toAccountBody(item),
    holderName: item.holderName,
    createdAt: item.createdAt.toISOString(),
    dueAt: item.dueAt.toISOString(),
    overdue: item.overdue,
    proposal: item.proposedDecision
      ? { decision: item.proposedDecision, by: item.proposedBy }
      : null,
    disputedReports: item.disputedReports,
    openQuestions: item.openQuestions,
    nextMediation: item.nextMediation?.toISOString() ?? null,
  };
}

function toDetailBody(d: NormalizationDetail): z.infer<typeof detailSchema> {
  const r = d.request;
  const who = (id: number | null) =>
    id === null ? null : { id, email: d.operators.get(id) ?? null };
  const file = (f: FileRecord) => ({
    id: f.id,
    field: f.field,
    mime: f.mime,
    size: f.size,
    name: f.originalName,
    sensitive: f.sensitive,
    url: caseFileUrl(r.id, f.id),
  });
  const decided = r.status === 'granted' || r.status === 'denied' ? r.status : null;
  return {
    id: r.id,
    ticket: r.ticket,
    status: r.status,
    channel: r.channel,
    account: toAccountBody(r),
    holderName: r.holderName,
    nik: d.nik,
    contact: d.contact && { phone: d.contact.phone, email: d.contact.email },
    statement: r.statement,
    createdAt: r.createdAt.toISOString(),
    dueAt: d.dueAt.toISOString(),
    overdue: d.overdue,
    enteredBy: who(r.enteredBy),
    handledBy: who(r.handledBy),
    proposal: r.proposedDecision
      ? {
          decision: r.proposedDecision,
          by: who(r.proposedBy),
          at: r.proposedAt?.toISOString() ?? null,
          reason: r.proposalReason,
        }
      : null,
    decision: decided
      ? {
          status: decided,
          confirmedBy: who(r.confirmedBy),
          at: r.decidedAt?.toISOString() ?? null,
          reason: r.decisionReason,
        }
      : null,
    files: d.files.map(file),
    reports: d.reports.map(({ report, reporter, files }) => ({
      id: report.id,
      ticket: report.ticket,
      status: report.status,
      category: report.category,
      source: report.source,
      createdAt: report.createdAt.toISOString(),
      holderName: report.holderName,
      incident: {
        date: report.incidentDate,
        amount: report.amount,
        platform: report.platform,
        chronology: report.chronology,
      },
      reporter: reporter && { name: reporter.name, email: reporter.email, phone: reporter.phone },
      files: files.map(file),
    })),
    informationRequests: d.questions.map((q) => ({
      id: q.id,
      party: q.party,
      reportId: q.reportId,
      question: q.question,
      askedBy: who(q.askedBy),
      askedAt: q.askedAt.toISOString(),
      dueAt: q.dueAt.toISOString(),
      overdue: q.overdue,
      answeredAt: q.answeredAt?.toISOString() ?? null,
      answer: q.answer,
      files: q.files.map(file),
    })),
    mediations: d.mediations.map((m) => ({
      id: m.id,
      scheduledAt: m.scheduledAt.toISOString(),
      place: m.place,
      videoLink: m.videoLink,
      note: m.note,
      scheduledBy: who(m.scheduledBy),
      outcome: m.outcome,
      outcomeNote: m.outcomeNote,
      recordedBy: who(m.recordedBy),
      recordedAt: m.recordedAt?.toISOString() ?? null,
    })),
    hearings: d.hearings.map((h) => toHearingBody(h, d.operators)),
    reportersHeard: d.hearings.every(isHeard),
  };
}

export interface MediationRoutesOptions {
  readonly normalizations: NormalizationsService;
}

export const mediationRoutes: FastifyPluginAsync<MediationRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { normalizations } = options;

  app.get(
    '/api/v1/admin/normalizations',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'The mediator’s queue: open requests by deadline, overdue ones marked',
        querystring: z.object({
          status: statusEnum.optional(),
          overdue: z.enum(['true', 'false']).optional(),
          page: pageQuery,
        }),
        response: {
          200: z.object({ page: z.number().int(), normalizations: z.array(queueItemSchema) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await normalizations.queue({
        statuses: q.status ? [q.status] : ['submitted', 'in_review', 'mediation', 'proposed'],
        overdueOnly: q.overdue === 'true',
        ...rowsOf(q.page),
      });
      return { page: q.page, normalizations: items.map(toQueueBody) };
    },
  );

  app.get(
    '/api/v1/admin/normalizations/:id',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary:
          'A request beside the reports it disputes, with their evidence and the reporters’ contact (audited)',
        params: idParams,
        response: { 200: detailSchema, ...problems },
      },
    },
    async (request) =>
      toDetailBody(await normalizations.detail(request.params.id, actorOf(request))),
  );

  app.get(
    '/api/v1/admin/normalizations/:id/files/:fileId',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'A file of the request or of a report it disputes; every access is audited',
        params: z.object({ id: rowId(), fileId: safeString().max(64) }),
      },
    },
    async (request, reply) => {
      const file = await normalizations.openFile(
        request.params.id,
        request.params.fileId,
        actorOf(request),
      );
      return sendCaseFile(reply, file);
    },
  );

  app.post(
    '/api/v1/admin/normalizations/:id/claim',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Take a request on (it moves to in_review)',
        params: idParams,
        response: { 200: z.object({ status: statusEnum }), ...problems },
      },
    },
    async (request) => normalizations.claim(request.params.id, operatorActor(request)),
  );

  app.post(
    '/api/v1/admin/normalizations/:id/information-requests',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Ask the owner or a reporter for more information',
        description:
          'The party is e-mailed a link to the page where they answer with their ticket’s ' +
          'tracking code (files allowed). For a reporter, `reportId` names the disputed report.',
        params: idParams,
        body: z.object({
          party: z.enum(['owner', 'reporter']),
          reportId: rowId().optional(),
          question: multiLineText({ min: 10, max: 2000, reason: 'normalization.question.length' }),
        }),
        response: {
          201: z.object({ id: z.number().int(), dueAt: z.iso.datetime() }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const asked = await normalizations.askInformation(request.params.id, operatorActor(request), {
        party: request.body.party,
        reportId: request.body.reportId ?? null,
        question: request.body.question,
      });
      return reply.code(201).send({ id: asked.id, dueAt: asked.dueAt.toISOString() });
    },
  );

  app.post(
    '/api/v1/admin/normalizations/:id/mediation',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Schedule a mediation between owner and reporter; both are told by e-mail',
        description: 'A place to meet, a video link (`videoLink`), or both.',
        params: idParams,
        body: z.object({
          scheduledAt: z.iso.datetime({ offset: true }),
          place: optionalLineText(300),
          videoLink: optionalLineText(500).pipe(
            z
              .string()
              .regex(/^https?:\/\/\S+$/, { error: 'normalization.mediation.link' })
              .nullable(),
          ),
          note: optionalMultiLineText(2000),
        }),
        response: {
          201: z.object({ id: z.number().int(), status: z.literal('mediation') }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const scheduled = await normalizations.scheduleMediation(
        request.params.id,
        operatorActor(request),
        {
          scheduledAt: new Date(request.body.scheduledAt),
          place: request.body.place,
          videoLink: request.body.videoLink,
          note: request.body.note,
        },
      );
      return reply.code(201).send(scheduled);
    },
  );

  app.post(
    '/api/v1/admin/normalizations/:id/mediations/:sessionId/outcome',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Record what came of a mediation session',
        params: z.object({
          id: rowId(),
          sessionId: rowId(),
        }),
        body: z.object({ outcome: outcomeEnum, note: optionalMultiLineText(2000) }),
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await normalizations.recordMediation(
        request.params.id,
        request.params.sessionId,
        operatorActor(request),
        { outcome: request.body.outcome, note: request.body.note },
      );
      return reply.code(204).send(null);
    },
  );

  hearingRoutes(app, normalizations);

  app.post(
    '/api/v1/admin/normalizations/:id/decision',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Propose to grant or deny; a different operator confirms it',
        description:
          'Records a proposal (`202 { state: "proposed" }`); it takes effect when a different ' +
          'operator confirms it. `409 already_decided` once decided. A grant is refused with ' +
          '`409 reporters_not_heard` until every disputed verified report’s reporter has ' +
          'answered the dispute notice, their time has passed, or a reason is recorded why they ' +
          'cannot be asked; `errors` lists them (`field` = `reports.{id}`). A denial is never held back.',
        params: idParams,
        body: z.object({
          decision: z.enum(['grant', 'deny']),
          reason: multiLineText({ min: 10, max: 2000, reason: 'normalization.proposal.reason' }),
        }),
        response: { 202: z.object({ state: z.literal('proposed') }), ...problems },
      },
    },
    async (request, reply) => {
      const proposed = await normalizations.propose(request.params.id, operatorActor(request), {
        decision: request.body.decision,
        reason: request.body.reason,
      });
      return reply.code(202).send(proposed);
    },
  );

  app.post(
    '/api/v1/admin/normalizations/:id/confirmation',
    {
      config: mediate,
      schema: {
        tags: ['normalization'],
        summary: 'Confirm (or send back) another operator’s proposal',
        description:
          'Granted: the disputed reports stop counting and the account shows normalized. ' +
          'Denied: the reports stand and the dispute mark is removed. `403 four_eyes` for the ' +
          'proposer; `409 already_decided` once decided. A reason is needed to send it back. ' +
          'A grant is checked again: `409 reporters_not_heard`.',
        params: idParams,
        body: z.object({ confirm: z.boolean(), reason: optionalMultiLineText(2000) }),
        response: {
          200: z.object({ status: statusEnum }),
          ...problems,
        },
      },
    },
    async (request) =>
      normalizations.confirm(request.params.id, operatorActor(request), {
        confirm: request.body.confirm,
        reason: request.body.reason,
      }),
  );

  return Promise.resolve();
};
