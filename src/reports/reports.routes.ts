// The reports API: filing a report (multipart, with evidence), the proof-of-work
// challenge, and the reviewer's queue, report, claim and
// decision, plus the audited file route every back-office page uses.
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onSendAsyncHookHandler,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
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
import { requireAllowance, countAccepted } from '../http/replies.ts';
import { AppError } from '../shared/errors.ts';
import { maxIdempotencyKeyLength } from './idempotency.ts';
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
  partner: z
    .object({ id: z.number().int(), name: z.string() })
    .nullable()
    .describe('The partner whose key filed it; null when it came from the public.'),
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
    partner: z
      .object({ id: z.number().int(), name: z.string() })
      .nullable()
      .describe('The partner whose key filed or imported it; null when it came from the public.'),
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
    partner: item.partner && { ...item.partner },
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
    partner: r.partner && { ...r.partner },
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

/** A filing through a partner's key: no proof of work, and maybe an Idempotency-Key. */
export interface KeyedFiling {
  readonly partner: { readonly id: number };
  readonly idempotencyKey: string | undefined;
}

/** Reads and files a report from a multipart request; shared by the API and the page. */
export async function fileReport(
  { reports, files, clock, gate }: ReportFiling,
  request: FastifyRequest,
  reply: FastifyReply,
  via: SubmittedVia,
  keyed?: KeyedFiling,
): Promise<SubmittedReport> {
  const form = await readMultipart(request, {
    fileFields: { evidence: { max: maxEvidenceFiles } },
    store: files,
  });
  return files.withStagedFiles(form.staged, async () => {
    if (!keyed) gate.requireChallengeOnApi(request, form.fields.altcha, via);
    const input = parseReportInput(form.fields, clock.now());
    if (!keyed) await gate.admit(request, reply, form.fields.altcha, via);
    const submitted = await reports.submit(input, form.files.evidence ?? [], {
      client: request.ip,
      lang: request.lang,
      challenge: keyed ? undefined : form.fields.altcha,
      partner: keyed?.partner,
      idempotencyKey: keyed?.idempotencyKey,
    });
    if (!keyed) await gate.accepted(request);
    return submitted;
  });
}

/** The partner's side of filing: its key replaces the proof of work and the per-client limit. */
export interface PartnerFiling {
  /** Admits a key with scope `reports` (401 invalid_api_key, 403 insufficient_scope). */
  readonly requireReportsKey: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The partner of the key the request was admitted with. */
  readonly partnerOf: (request: FastifyRequest) => { readonly id: number };
  /** Counts a filed report in the key's usage. */
  readonly countReport: (request: FastifyRequest) => void;
}

/** Any Authorization header makes a keyed request: a bad key is refused, never taken as anonymous. */
function isKeyed(request: FastifyRequest): boolean {
  return request.headers.authorization !== undefined;
}

function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  const key = Array.isArray(header) ? header.join(',') : header;
  if (key.length < 1 || key.length > maxIdempotencyKeyLength) {
    throw new AppError('validation_failed', {
      errors: [{ field: 'Idempotency-Key', reason: 'Expected 1 to 255 characters.' }],
    });
  }
  return key;
}

/** The per-client submission limit, for anonymous filings only. */
function anonymousLimit(limiter: RateLimiter | undefined): {
  onRequest: onRequestAsyncHookHandler[];
  onSend: onSendAsyncHookHandler[];
} {
  if (!limiter) return { onRequest: [], onSend: [] };
  const counted = countAccepted(limiter);
  return {
    onRequest: [
      async (request, reply) => {
        if (!isKeyed(request)) await requireAllowance(limiter, request, reply);
      },
    ],
    onSend: [
      function (request, reply, payload) {
        return isKeyed(request)
          ? Promise.resolve(payload)
          : counted.call(this, request, reply, payload);
      },
    ],
  };
}

export interface ReportsRoutesOptions extends ReportFiling {
  readonly challenges: ChallengeService;
  /** Filing with a partner's key; without it, an Authorization header is refused. */
  readonly partnerFiling?: PartnerFiling | undefined;
}

export const reportsRoutes: FastifyPluginAsync<ReportsRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { reports, challenges, clock, partnerFiling } = options;

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
      ...anonymousLimit(options.submissionLimiter),
      preHandler: async (request, reply) => {
        if (!isKeyed(request)) return;
        if (!partnerFiling) throw new AppError('invalid_api_key');
        await partnerFiling.requireReportsKey(request, reply);
      },
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
          challengeRule +
          ' With a partner key of scope `reports` (`Authorization: Bearer`) no challenge is ' +
          'needed and the report carries the partner; such a filing may send an ' +
          '`Idempotency-Key` header (1–255 characters): a retry with the same key and the same ' +
          'fields and files answers the first result (kept at least 24 hours), the same key ' +
          'with a different request `422 idempotency_key_reused`. A retry sent while the first ' +
          'is still being filed waits for it and answers the same.',
        response: { 201: submittedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const keyed =
        partnerFiling && isKeyed(request)
          ? { partner: partnerFiling.partnerOf(request), idempotencyKey: idempotencyKeyOf(request) }
          : undefined;
      const submitted = await fileReport(options, request, reply, 'api', keyed);
      if (keyed) partnerFiling?.countReport(request);
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
          source: z
            .enum(['public', 'partner'])
            .optional()
            .describe('Filed by the public (no key) or by a partner.'),
          partnerId: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Filed by this partner.'),
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
        source: q.source,
        partnerId: q.partnerId,
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
