// The seller registration API: registering (multipart, with three
// documents), the seller's signed links, checking a seller link and the name
// on it, the public key that signs the links, and the registrar's queue,
// registration, claim, decision, revocation and audited NIK reveal.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { optionalMultiLineText, safeString } from '../shared/text-input.ts';
import { actorOf } from '../backoffice/auth.ts';
import { uploadBody } from '../http/media-types.ts';
import { readMultipart } from '../files/multipart.http.ts';
import { challengeRule, type SubmissionGate, type SubmittedVia } from '../http/submission-gate.ts';
import { submissionLimit } from '../http/replies.ts';
import type { FileStore } from '../files/files.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { problemSchema } from '../http/problems.ts';
import { AppError } from '../shared/errors.ts';
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
  reviewStateFields,
  rowsOf,
  toAccountBody,
  toAccountReportBody,
  toDecisionBody,
  toFileBody,
  toQueueStateBody,
  toReviewStateBody,
} from '../review/review.http.ts';
import { statusOf } from '../accounts/accounts.service.ts';
import {
  businessTypes,
  documentFields,
  parseRegistrationInput,
  type DocumentField,
} from './registration-input.ts';
import {
  approveReasons,
  rejectReasons,
  type RegistrationDetail,
  type RegistrationsService,
  type SellerLinkVerdict,
  type SubmittedRegistration,
} from './registrations.service.ts';
import type { RegistrationQueueItem } from './registrations.service.ts';

const registrationStatuses = ['submitted', 'in_review', 'approved', 'rejected', 'revoked'] as const;

const submittedSchema = z.object({
  ticket: z.string(),
  trackingToken: z.string(),
  status: z.literal('submitted'),
});

const queueItemSchema = z.object({
  id: z.number().int(),
  status: z.enum(registrationStatuses),
  account: accountSchema,
  holderName: z.string(),
  businessName: z.string(),
  businessType: z.string().nullable(),
  ...queueStateFields,
  verifiedReports: z.number().int(),
});

const registrationDetailSchema = z.object({
  id: z.number().int(),
  ticket: z.string().nullable(),
  status: z.enum(registrationStatuses),
  account: accountSchema,
  holderName: z.string(),
  businessName: z.string(),
  businessType: z.string().nullable(),
  businessTypeOther: z.string().nullable(),
  contact: z
    .object({ phone: z.string(), email: z.string() })
    .nullable()
    .describe('Opened for the registrar; this view is in the audit log. Null once erased.'),
  nik: z
    .object({ masked: z.string().nullable(), erased: z.boolean() })
    .describe('Masked; the full NIK only through the audited reveal.'),
  ...reviewStateFields,
  decision: decisionSchema,
  recheck: decisionSchema,
  documentsErasedAt: z.iso.datetime().nullable(),
  files: z.array(fileSchema),
  accountReports: z.array(accountReportSchema),
  sellerPage: z.string().nullable(),
});

const sellerSchema = z.object({
  state: z.enum(['genuine', 'revoked', 'not_genuine']),
  genuine: z.boolean(),
  seller: z
    .object({
      businessName: z.string(),
      businessType: z.string().nullable(),
      holderName: z.string().describe('Masked, e.g. "B*** S******".'),
      verifiedAt: z.iso.datetime(),
      account: z.object({
        provider: z.string(),
        providerName: z.string(),
        number: z.string(),
        key: z.string(),
      }),
      underRecheck: z.boolean(),
      accountStatus: z.enum(['clear', 'reported', 'disputed', 'normalized']),
      verifiedReports: z.number().int(),
    })
    .nullable(),
});

const noteSchema = optionalMultiLineText(2000);

/** The document fields of the form: one file each, all stored as sensitive. */
const documentRules = Object.fromEntries(
  documentFields.map((field) => [field, { max: 1, sensitive: true }]),
) as Record<DocumentField, { max: number; sensitive: true }>;

/** What filing a registration takes: the API and the registration form are given the same. */
export interface RegistrationFiling {
  readonly registrations: RegistrationsService;
  readonly files: FileStore;
  readonly gate: SubmissionGate;
  /** Submissions per client (undefined when off). */
  readonly submissionLimiter: RateLimiter | undefined;
}

/** Reads and files a registration from a multipart request; shared by the API and the page. */
export async function fileRegistration(
  { registrations, files, gate }: RegistrationFiling,
  request: FastifyRequest,
  reply: FastifyReply,
  via: SubmittedVia,
): Promise<SubmittedRegistration> {
  const form = await readMultipart(request, {
    fileFields: documentRules,
    store: files,
    limits: { maxFiles: documentFields.length },
  });
  return files.withStagedFiles(form.staged, async () => {
    gate.requireChallengeOnApi(request, form.fields.altcha, via);
    const counts = Object.fromEntries(
      documentFields.map((field) => [field, form.files[field]?.length ?? 0]),
    );
    const input = parseRegistrationInput(form.fields, counts);
    await gate.admit(request, reply, form.fields.altcha, via);
    const submitted = await registrations.submit(input, form.files, form.staged, {
      client: request.ip,
      lang: request.lang,
      challenge: form.fields.altcha,
    });
    await gate.accepted(request);
    return submitted;
  });
}

function toQueueItemBody(item: RegistrationQueueItem, now: Date): z.infer<typeof queueItemSchema> {
  return {
    id: item.id,
    status: item.status,
    account: toAccountBody(item),
    holderName: item.holderName,
    businessName: item.businessName,
    businessType: item.businessType,
    ...toQueueStateBody(item, now),
    verifiedReports: item.verifiedReports,
  };
}

function toDetailBody(detail: RegistrationDetail): z.infer<typeof registrationDetailSchema> {
  const r = detail.registration;
  return {
    id: r.id,
    ticket: r.ticket,
    status: r.status,
    account: toAccountBody(r),
    holderName: r.holderName,
    businessName: r.businessName,
    businessType: r.businessType,
    businessTypeOther: r.businessTypeOther,
    contact: detail.contact && { ...detail.contact },
    nik: { masked: detail.nikMasked, erased: r.documentsErasedAt !== null },
    ...toReviewStateBody(r),
    decision: toDecisionBody(r.decidedBy, r.decidedAt, r.decisionReason, r.decisionNote),
    recheck: toDecisionBody(r.recheckedBy, r.recheckedAt, r.recheckReason, r.recheckNote),
    documentsErasedAt: r.documentsErasedAt?.toISOString() ?? null,
    files: detail.files.map(toFileBody),
    accountReports: detail.accountReports.map(toAccountReportBody),
    sellerPage: detail.sellerPage,
  };
}

export function toSellerBody(verdict: SellerLinkVerdict): z.infer<typeof sellerSchema> {
  if (verdict.state !== 'genuine') {
    return { state: verdict.state, genuine: false, seller: null };
  }
  const s = verdict.seller;
  return {
    state: 'genuine',
    genuine: true,
    seller: {
      businessName: s.businessName,
      businessType: s.businessType,
      holderName: s.holderName,
      verifiedAt: s.verifiedAt.toISOString(),
      account: {
        provider: s.account.provider.code,
        providerName: s.account.provider.name,
        number: s.account.number,
        key: s.account.key,
      },
      underRecheck: s.underRecheck,
      accountStatus: statusOf(s.check.summary),
      verifiedReports: s.check.summary.verifiedCount,
    },
  };
}

export interface RegistrationsRoutesOptions extends RegistrationFiling {
  readonly clock: Clock;
}

export const registrationsRoutes: FastifyPluginAsync<RegistrationsRoutesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { registrations, clock } = options;
  const review = { permission: 'registrations.review' } as const;

  app.post(
    '/api/v1/registrations',
    {
      config: { bodyTypes: uploadBody },
      ...submissionLimit(options.submissionLimiter),
      schema: {
        tags: ['submissions'],
        summary: 'Register a seller account (multipart/form-data, with three documents)',
        description:
          'Fields: provider, number, holderName, phone, email, nik (16 digits, structurally ' +
          'valid), businessName, businessType (' +
          businessTypes.join(', ') +
          '), businessTypeOther (when businessType is other), altcha (the solved challenge), ' +
          'and one file each (JPEG, PNG, WebP or PDF): businessPermit, savingsBookPhoto, ' +
          'idCardPhoto. `409 already_registered` if the account is already a verified seller ' +
          'or has a pending registration. ' +
          challengeRule,
        response: { 201: submittedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const submitted = await fileRegistration(options, request, reply, 'api');
      return reply.code(201).send(submitted);
    },
  );

  app.get(
    '/api/v1/registrations/:ticket/links',
    {
      schema: {
        tags: ['submissions'],
        summary: 'The signed seller page, QR code and badge of an approved registration',
        description:
          'For the seller, with the tracking token. The links are null until the registration ' +
          'is approved, and again after a revocation. A wrong token and an unknown ticket both ' +
          'answer 404 not_found.',
        params: z.object({ ticket: safeString().max(40) }),
        headers: z.object({ 'x-tracking-token': safeString().max(200).optional() }),
        response: {
          200: z.object({
            ticket: z.string(),
            status: z.enum(registrationStatuses),
            sellerPage: z.string().nullable(),
            qrCode: z.string().nullable(),
            badge: z.string().nullable(),
          }),
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const proof = await registrations.proof(
        request.params.ticket,
        request.headers['x-tracking-token'] ?? '',
      );
      if (!proof) throw new AppError('not_found');
      void reply.header('cache-control', 'no-store');
      return {
        ticket: proof.ticket,
        status: proof.status,
        sellerPage: proof.links?.page ?? null,
        qrCode: proof.links?.qrCode ?? null,
        badge: proof.links?.badge ?? null,
      };
    },
  );

  app.get(
    '/api/v1/registrations/signing-key',
    {
      schema: {
        tags: ['sellers'],
        summary: 'The public key that signs verified-seller links',
        description:
          'Ed25519 (SPKI PEM). A seller link /penjual/{publicId}?sig={signature} is genuine when ' +
          'the base64url signature verifies over the UTF-8 text "cekrek-seller/v1\\n{publicId}' +
          '\\n{account key}\\n{verifiedAt, RFC 3339 with milliseconds}"; GET /api/v1/sellers/' +
          '{publicId} gives the account and the time, and whether it is still verified.',
        response: { 200: z.object({ algorithm: z.literal('Ed25519'), publicKey: z.string() }) },
      },
    },
    async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=3600');
      return { algorithm: 'Ed25519' as const, publicKey: registrations.publicKeyPem() };
    },
  );

  app.get(
    '/api/v1/sellers/:publicId',
    {
      schema: {
        tags: ['sellers'],
        summary: 'Whether a seller link is genuine, and the verified seller it names',
        params: z.object({ publicId: safeString().max(40) }),
        querystring: z.object({ signature: safeString().max(200).default('') }),
        response: { 200: sellerSchema, 400: problemSchema },
      },
    },
    async (request, reply) => {
      const verdict = await registrations.verifySellerLink(
        request.params.publicId,
        request.query.signature,
      );
      void reply.header('cache-control', 'no-store');
      return toSellerBody(verdict);
    },
  );

  app.post(
    '/api/v1/sellers/:publicId/name-check',
    {
      schema: {
        tags: ['sellers'],
        summary: 'Compare a name with the verified seller’s account holder',
        description:
          'Answers match, close_match or no_match, never the name. Limited per client. ' +
          '404 not_found unless the link (publicId and signature) is genuine.',
        params: z.object({ publicId: safeString().max(40) }),
        body: z.object({ signature: safeString().max(200), name: safeString().max(200) }),
        response: {
          200: z.object({
            result: z.enum(['match', 'close_match', 'no_match']),
            holderName: z.string().describe('Masked, e.g. "B*** S******".'),
          }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const { signature, name } = request.body;
      void reply.header('cache-control', 'no-store');
      return registrations.checkName(request.params.publicId, signature, name, request.ip);
    },
  );

  app.get(
    '/api/v1/admin/registrations',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'The registrar’s queue: flagged first, then oldest first',
        description:
          'Without status: pending registrations, and approved ones a verified report put back ' +
          'for a re-check (flagged "reported_after_approval").',
        querystring: z.object({
          status: z.enum(registrationStatuses).optional(),
          flagged: flaggedQuery,
          page: pageQuery,
        }),
        response: {
          200: z.object({ page: z.number().int(), registrations: z.array(queueItemSchema) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const items = await registrations.queue({
        status: q.status,
        flagged: flaggedOf(q.flagged),
        ...rowsOf(q.page),
      });
      const now = clock.now();
      return { page: q.page, registrations: items.map((item) => toQueueItemBody(item, now)) };
    },
  );

  app.get(
    '/api/v1/admin/registrations/:id',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'A registration in full: the seller’s contact (audited), the NIK masked, files',
        params: idParams,
        response: { 200: registrationDetailSchema, ...problems },
      },
    },
    async (request) =>
      toDetailBody(await registrations.detail(request.params.id, actorOf(request))),
  );

  app.post(
    '/api/v1/admin/registrations/:id/nik',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'The full NIK of a registration, to compare with the ID card (audited)',
        params: idParams,
        response: { 200: z.object({ nik: z.string() }), ...problems },
      },
    },
    async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      return { nik: await registrations.revealNik(request.params.id, actorOf(request)) };
    },
  );

  app.post(
    '/api/v1/admin/registrations/:id/claim',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'Claim a registration, so no other registrar works on it meanwhile',
        params: idParams,
        response: { 200: z.object({ claimedUntil: z.iso.datetime() }), ...problems },
      },
    },
    async (request) => {
      const { claimedUntil } = await registrations.claim(request.params.id, operatorActor(request));
      return { claimedUntil: claimedUntil.toISOString() };
    },
  );

  app.post(
    '/api/v1/admin/registrations/:id/release',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'Give a claimed registration back to the queue',
        params: idParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await registrations.release(request.params.id, operatorActor(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/admin/registrations/:id/decision',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'Approve or reject a registration',
        description:
          `Reasons to approve: ${approveReasons.join(', ')}. ` +
          `Reasons to reject: ${rejectReasons.join(', ')}. ` +
          'On an approved registration flagged for a re-check, approve keeps it and reject ' +
          'revokes it. `409 already_decided` if it was decided before; `409 already_claimed` ' +
          'if another registrar holds it.',
        params: idParams,
        body: z.object({
          decision: z.enum(['approve', 'reject']),
          reason: z.enum([...approveReasons, ...rejectReasons]),
          note: noteSchema,
        }),
        response: {
          200: z.object({ status: z.enum(['approved', 'rejected', 'revoked']) }),
          ...problems,
        },
      },
    },
    async (request) => {
      const { status } = await registrations.decide(request.params.id, operatorActor(request), {
        decision: request.body.decision,
        reason: request.body.reason,
        note: request.body.note,
      });
      return { status };
    },
  );

  app.post(
    '/api/v1/admin/registrations/:id/revocation',
    {
      config: review,
      schema: {
        tags: ['review'],
        summary: 'Revoke an approved registration: it stops showing as verified at once',
        description: `Reasons: ${rejectReasons.join(', ')}. \`409 already_decided\` unless approved.`,
        params: idParams,
        body: z.object({ reason: z.enum(rejectReasons), note: noteSchema }),
        response: { 200: z.object({ status: z.literal('revoked') }), ...problems },
      },
    },
    async (request) =>
      registrations.revoke(request.params.id, operatorActor(request), {
        reason: request.body.reason,
        note: request.body.note,
      }),
  );
  return Promise.resolve();
};
