// The reports API: filing a report (multipart, with evidence), the proof-of-work
// challenge, and the reviewer's queue, report, claim and
// decision, plus the audited file route every back-office page uses.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { optionalMultiLineText, safeString } from '../shared/text-input.ts';
import { categoryCodes } from '../shared/categories.ts';
import { actorOf } from '../backoffice/auth.ts';
import { uploadBody } from '../http/media-types.ts';
import { readMultipart } from '../files/multipart.http.ts';
import { challengeRule, type SubmissionGate, type SubmittedVia } from '../http/submission-gate.ts';
import type { FileStore } from '../files/files.service.ts';
import type { ChallengeService } from '../challenge/challenge.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { submissionLimit } from '../http/replies.ts';
import {
  accountReportSchema,
  accountSchema,
  decisionSchema,
  fileSchema,
  flaggedOf,
  flaggedQuery,
  idParams,
  operatorActor,
  pageQuery,
  problems,
  queueStateFields,
  reporterSchema,
  reportStatuses,
  reviewStateFields,
  rowsOf,
  toAccountBody,
  toAccountReportBody,
  toDecisionBody,
  toFileBody,
  toQueueStateBody,
  toReviewStateBody,
} from '../review/review.http.ts';
import { parseReportInput } from './report-input.ts';
import {
  maxEvidenceFiles,
  rejectReasons,
  verifyReasons,
  type ReportDetail,
  type ReportsService,
  type SubmittedReport,
} from './reports.service.ts';
import type { QueueItem } from './reports.service.ts';

const submittedSchema = z
  .object({ ticket: z.string(), trackingToken: z.string(), status: z.literal('submitted') })
  .meta({ id: 'Submitted' });

const queueItemSchema = z.object({
  id: z.number().int(),
  status: z.enum(reportStatuses),
  category: z.string(),
  account: accountSchema,
  holderName: z.string().nullable(),
  amount: z.number().int().nullable(),
  ...queueStateFields,
  accountReports: z.number().int(),
});

const reportDetailSchema = z
  .object({
    id: z.number().int(),
    ticket: z.string().nullable(),
    status: z.enum(reportStatuses),
    category: z.string(),
    account: accountSchema,
    reported: z.object({
      holderName: z.string().nullable(),
      phone: z.string().nullable(),
      socials: z.string().nullable(),
      website: z.string().nullable(),
    }),
    incident: z.object({
      date: z.string().nullable(),
      time: z.string().nullable(),
      amount: z.number().int().nullable(),
      platform: z.string().nullable(),
      locationDetails: z.string().nullable(),
      city: z.string().nullable(),
      chronology: z.string().nullable(),
    }),
    reporter: reporterSchema
      .nullable()
      .describe('Opened for the reviewer; this view is in the audit log.'),
    ...reviewStateFields,
    decision: decisionSchema,
    files: z.array(fileSchema),
    otherReports: z.array(accountReportSchema),
  })
  .meta({ id: 'ReportDetail' });

const dayMs = 86_400_000;

export function toQueueItemBody(item: QueueItem, now: Date): z.infer<typeof queueItemSchema> {
  return {
    id: item.id,
    status: item.status,
    category: item.category,
    account: toAccountBody(item),
    holderName: item.holderName,
    amount: item.amount,
    ...toQueueStateBody(item, now),
    accountReports: item.accountReports,
  };
}

function toReportDetailBody(detail: ReportDetail): z.infer<typeof reportDetailSchema> {
  const r = detail.report;
  return {
    id: r.id,
    ticket: r.ticket,
    status: r.status,
    category: r.category,
    account: toAccountBody(r),
    reported: {
      holderName: r.holderName,
      phone: r.reportedPhone,
      socials: r.reportedSocials,
      website: r.reportedWebsite,
    },
    incident: {
      date: r.incidentDate,
      time: r.incidentTime,
      amount: r.amount,
      platform: r.platform,
      locationDetails: r.locationDetails,
      city: r.city,
      chronology: r.chronology,
    },
    reporter: detail.reporter && { ...detail.reporter },
    ...toReviewStateBody(r),
    decision: toDecisionBody(r.decidedBy, r.decidedAt, r.decisionReason, r.decisionNote),
    files: detail.files.map(toFileBody),
    otherReports: detail.otherReports.map(toAccountReportBody),
  };
}

/** What filing a report takes: the API and the report form are given the same. */
export interface ReportFiling {
  readonly reports: ReportsService;
  readonly files: FileStore;
  readonly clock: Clock;
  readonly gate: SubmissionGate;
  /** Submissions per client (undefined when off). */
  readonly submissionLimiter: RateLimiter | undefined;
}

/** Reads and files a report from a multipart request; shared by the API and the page. */
export async function fileReport(
  { reports, files, clock, gate }: ReportFiling,
  request: FastifyRequest,
  reply: FastifyReply,
  via: SubmittedVia,
): Promise<SubmittedReport> {
  const form = await readMultipart(request, {
    fileFields: { evidence: { max: maxEvidenceFiles } },
    store: files,
  });
  return files.withStagedFiles(form.staged, async () => {
    gate.requireChallengeOnApi(request, form.fields.altcha, via);
    const input = parseReportInput(form.fields, clock.now());
    await gate.admit(request, reply, form.fields.altcha, via);
    const submitted = await reports.submit(input, form.files.evidence ?? [], {
      client: request.ip,
      lang: request.lang,
      challenge: form.fields.altcha,
    });
    await gate.accepted(request);
    return submitted;
  });
}

export interface ReportsRoutesOptions extends ReportFiling {
  readonly challenges: ChallengeService;
}

export const reportsRoutes: FastifyPluginAsync<ReportsRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { reports, challenges, clock } = options;

  app.get(
    '/api/v1/challenge',
    {
      schema: {
        tags: ['submissions'],
        summary: 'A proof-of-work challenge (ALTCHA) for an anonymous submission',
        response: {
          200: z.object({
            algorithm: z.string(),
            challenge: z.string(),
            maxnumber: z.number().int(),
            salt: z.string(),
            signature: z.string(),
          }),
        },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'no-store');
      return challenges.create();
    },
  );

  app.post(
    '/api/v1/reports',
    {
      config: { bodyTypes: uploadBody },
      ...submissionLimit(options.submissionLimiter),
      schema: {
        tags: ['submissions'],
        summary: 'Report an account (multipart/form-data, with 1–5 evidence files)',
        description:
          'Fields: provider, number, holderName, category (' +
          categoryCodes.join(', ') +
          '), chronology (30–5000 characters), amount (optional, rupiah), transferDate ' +
          '(YYYY-MM-DD, not in the future), incidentTime (optional, HH:MM), platform, ' +
          'locationDetails, city, reportedPhone, reportedSocials, reportedWebsite (optional), ' +
          'reporterName, reporterEmail, reporterPhone, altcha (the solved challenge), and ' +
          'evidence: 1–5 JPEG, PNG, WebP or PDF files. `409 duplicate_report` if this ' +
          'reporter already has an open report on the account. ' +
          challengeRule,
        response: { 201: submittedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const submitted = await fileReport(options, request, reply, 'api');
      return reply.code(201).send(submitted);
    },
  );

  app.get(
    '/api/v1/admin/reports',
    {
      config: { permission: 'reports.review' },
      schema: {
        tags: ['review'],
        summary: 'The reviewer’s queue: open reports, oldest first, grouped by account',
        querystring: z.object({
          status: z.enum(reportStatuses).optional(),
          category: z.enum(categoryCodes).optional(),
          provider: safeString().max(40).optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
          flagged: flaggedQuery,
          page: pageQuery,
        }),
        response: {
          200: z.object({ page: z.number().int(), reports: z.array(queueItemSchema) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await reports.queue({
        status: q.status,
        category: q.category,
        provider: q.provider,
        from: q.from ? new Date(`${q.from}T00:00:00+07:00`) : undefined,
        to: q.to ? new Date(new Date(`${q.to}T00:00:00+07:00`).getTime() + dayMs) : undefined,
        flagged: flaggedOf(q.flagged),
        ...rowsOf(q.page),
      });
      const now = clock.now();
      return { page: q.page, reports: items.map((item) => toQueueItemBody(item, now)) };
    },
  );

  app.get(
    '/api/v1/admin/reports/:id',
    {
      config: { permission: 'reports.review' },
      schema: {
        tags: ['review'],
        summary: 'A report in full, with the reporter’s contact and the evidence (audited)',
        params: idParams,
        response: { 200: reportDetailSchema, ...problems },
      },
    },
    async (request) => {
      const detail = await reports.detail(request.params.id, actorOf(request));
      return toReportDetailBody(detail);
    },
  );

  app.post(
    '/api/v1/admin/reports/:id/claim',
    {
      config: { permission: 'reports.review' },
      schema: {
        tags: ['review'],
        summary: 'Claim a report, so no other reviewer works on it meanwhile',
        params: idParams,
        response: { 200: z.object({ claimedUntil: z.iso.datetime() }), ...problems },
      },
    },
    async (request) => {
      const actor = operatorActor(request);
      const { claimedUntil } = await reports.claim(request.params.id, actor);
      return { claimedUntil: claimedUntil.toISOString() };
    },
  );

  app.post(
    '/api/v1/admin/reports/next',
    {
      config: { permission: 'reports.review' },
      schema: {
        tags: ['review'],
        summary: 'Claim the oldest open report nobody holds',
        description: 'Reviewers asking at the same moment each get a different report.',
        response: {
          200: z.object({ id: z.number().int(), claimedUntil: z.iso.datetime() }),
          204: z.null().describe('The queue is empty.'),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const actor = operatorActor(request);
      const claimed = await reports.claimNext(actor);
      if (!claimed) return reply.code(204).send(null);
      return { id: claimed.id, claimedUntil: claimed.claimedUntil.toISOString() };
    },
  );

  app.post(
    '/api/v1/admin/reports/:id/release',
    {
      config: { permission: 'reports.review' },
      schema: {
        tags: ['review'],
        summary: 'Give a claimed report back to the queue',
        params: idParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const actor = operatorActor(request);
      await reports.release(request.params.id, actor);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/admin/reports/:id/decision',
    {
      config: { permission: 'reports.review' },
      schema: {
        tags: ['review'],
        summary: 'Verify or reject a report',
        description:
          `Reasons to verify: ${verifyReasons.join(', ')}. ` +
          `Reasons to reject: ${rejectReasons.join(', ')}. ` +
          '`409 already_decided` if it was decided before; `409 already_claimed` if another ' +
          'reviewer holds it.',
        params: idParams,
        body: z.object({
          decision: z.enum(['verify', 'reject']),
          reason: z.enum([...verifyReasons, ...rejectReasons]),
          note: optionalMultiLineText(2000),
        }),
        response: {
          200: z.object({ status: z.enum(['verified', 'rejected']) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const actor = operatorActor(request);
      return reports.decide(request.params.id, actor, {
        decision: request.body.decision,
        reason: request.body.reason,
        note: request.body.note,
      });
    },
  );

  return Promise.resolve();
};
