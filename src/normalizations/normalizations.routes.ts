// The normalization API: an owner's request (multipart, with identity photos
// and evidence) and a service-desk entry by an operator. The mediator's
// queue, request, files, questions, mediation, proposal and confirmation are
// in mediation.routes.ts.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { uploadBody } from '../http/media-types.ts';
import { readMultipart } from '../files/multipart.http.ts';
import { challengeRule, type SubmissionGate, type SubmittedVia } from '../http/submission-gate.ts';
import { submissionLimit } from '../http/replies.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { FileStore, StoredFile } from '../files/files.service.ts';
import { sendStoredFile } from '../files/stored-file.http.ts';
import { operatorActor, problems } from '../review/review.http.ts';
import {
  maxEvidenceFiles,
  maxNormalizationFiles,
  parseNormalizationSubmission,
} from './normalization-input.ts';
import type { NormalizationsService, SubmittedNormalization } from './normalizations.service.ts';

const submittedSchema = z
  .object({
    ticket: z.string(),
    trackingToken: z.string(),
    status: z.literal('submitted'),
    dueAt: z.iso.datetime().describe('A decision is promised by then.'),
  })
  .meta({ id: 'SubmittedNormalization' });

/** The operator behind an admin request; the mediator's pages take it from here. */
export { operatorActor };
export type { OperatorActor } from './normalizations.service.ts';

/** The permission of the service-desk entry and of every mediator's route. */
export const mediate = { permission: 'normalizations.mediate' } as const;

/** What filing a normalization request takes: the API, the public form and the service desk. */
export interface NormalizationFiling {
  readonly normalizations: NormalizationsService;
  readonly files: FileStore;
  readonly gate: SubmissionGate;
  /** Public submissions per client (undefined when off). */
  readonly submissionLimiter: RateLimiter | undefined;
}

/**
 * Reads a request from a multipart form and files it: online for the public
 * (through the API or the page), or entered by the signed-in operator. Shared
 * by the API and the pages, so all refuse the same things with the same messages.
 */
export async function fileNormalization(
  { normalizations, files, gate }: NormalizationFiling,
  request: FastifyRequest,
  reply: FastifyReply,
  how: SubmittedVia | 'service_desk',
): Promise<SubmittedNormalization> {
  const form = await readMultipart(request, {
    fileFields: {
      savingsBookPhoto: { max: 1, sensitive: true },
      idCardPhoto: { max: 1, sensitive: true },
      evidence: { max: maxEvidenceFiles },
    },
    store: files,
    limits: { maxFiles: maxNormalizationFiles },
  });
  return files.withStagedFiles(form.staged, async () => {
    gate.requireChallengeOnApi(request, form.fields.altcha, how);
    const staged = {
      savingsBookPhoto: form.files.savingsBookPhoto ?? [],
      idCardPhoto: form.files.idCardPhoto ?? [],
      evidence: form.files.evidence ?? [],
    };
    const input = parseNormalizationSubmission(form.fields, {
      savingsBookPhoto: staged.savingsBookPhoto.length,
      idCardPhoto: staged.idCardPhoto.length,
      evidence: staged.evidence.length,
    });
    if (how === 'service_desk') {
      return normalizations.enter(input, staged, operatorActor(request), request.lang);
    }
    await gate.admit(request, reply, form.fields.altcha, how);
    const submitted = await normalizations.submit(input, staged, {
      lang: request.lang,
      challenge: form.fields.altcha,
    });
    await gate.accepted(request);
    return submitted;
  });
}

/** A stored file, with the headers every file route sends (files/stored-file.http.ts). */
export function sendCaseFile(reply: FastifyReply, file: StoredFile): FastifyReply {
  return sendStoredFile(reply, file);
}

export function toSubmittedBody(submitted: SubmittedNormalization) {
  return {
    ticket: submitted.ticket,
    trackingToken: submitted.trackingToken,
    status: submitted.status,
    dueAt: submitted.dueAt.toISOString(),
  };
}

const submissionFields =
  'Fields: provider, number, holderName (as on the account), nik (16 digits, structurally ' +
  'valid), phone, email, statement (30–5000 characters, rebutting the report(s)), and files: ' +
  'savingsBookPhoto (1), idCardPhoto (1), evidence (1–5): JPEG, PNG, WebP or PDF. ' +
  '`409 nothing_to_normalize` if the account has no verified reports; `409 already_pending` ' +
  'if a request is already open.';

export type NormalizationsRoutesOptions = NormalizationFiling;

export const normalizationsRoutes: FastifyPluginAsync<NormalizationsRoutesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/normalizations',
    {
      config: { bodyTypes: uploadBody },
      ...submissionLimit(options.submissionLimiter),
      schema: {
        tags: ['submissions'],
        summary: 'Ask for normalization of a reported account (multipart/form-data)',
        description: `${submissionFields} ${challengeRule}`,
        response: { 201: submittedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const submitted = await fileNormalization(options, request, reply, 'api');
      return reply.code(201).send(toSubmittedBody(submitted));
    },
  );

  app.post(
    '/api/v1/admin/normalizations',
    {
      config: { ...mediate, bodyTypes: uploadBody },
      schema: {
        tags: ['normalization'],
        summary: 'Enter a request taken at a service desk, on the owner’s behalf (multipart)',
        description: `${submissionFields} The channel is recorded as service_desk; audited.`,
        response: { 201: submittedSchema, ...problems },
      },
    },
    async (request, reply) => {
      const submitted = await fileNormalization(options, request, reply, 'service_desk');
      return reply.code(201).send(toSubmittedBody(submitted));
    },
  );

  return Promise.resolve();
};
