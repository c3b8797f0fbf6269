// The public pages of a seller registration: the form (/daftar-penjual) that
// registers an account with its three documents, the receipt that shows the
// tracking code once (tracking itself is /lacak, shared by every kind), and
// the seller's proof (/daftar-penjual/bukti): with the ticket and tracking
// code, the signed seller page, its QR code and the badge to put on a shop.
// Registering goes through fileRegistration, like the API, under the same
// rate limit, so both refuse the same things with the same messages.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, publicOrigin, sendPage } from '../http/layout.tsx';
import { publicFormRoutes, sendFormPage, wholeMegabytes } from '../http/public-form.tsx';
import { sendReceipt, trackingPath } from '../http/receipt.tsx';
import { t } from '../shared/messages.ts';
import {
  emptyForm,
  prefillFrom,
  proofBody,
  proofForm,
  proofState,
  proofStatus,
  refusedForm,
  type ProofState,
  type RegistrationFormState,
} from './registrations.form.ts';
import { registrationPaths } from './registrations.paths.ts';
import { fileRegistration, type RegistrationFiling } from './registrations.routes.ts';
import type { SubmittedRegistration } from './registrations.service.ts';
import { ProofPage, ReceiptPage, RegistrationFormPage } from './registrations.views.tsx';

/** Also shown by the registrar's pages. */
export { businessTypeName } from './registrations.views.tsx';

function sendForm(
  maxFileBytes: number,
  request: FastifyRequest,
  reply: FastifyReply,
  state: RegistrationFormState,
) {
  const ctx = pageContext(request);
  return sendFormPage(
    reply,
    ctx,
    state,
    { title: 'sellerForm.title', refused: 'sellerForm.errors.pageTitle' },
    <RegistrationFormPage ctx={ctx} state={state} maxFileMb={wholeMegabytes(maxFileBytes)} />,
  );
}

function sendRegistrationReceipt(
  reviewDays: number,
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: SubmittedRegistration,
) {
  return sendReceipt(request, reply, submitted, 'sellerSent.title', (ctx, origin) => (
    <ReceiptPage ctx={ctx} submitted={submitted} origin={origin} reviewDays={reviewDays} />
  ));
}

function sendProof(request: FastifyRequest, reply: FastifyReply, state: ProofState) {
  const ctx = pageContext(request);
  return sendPage(
    reply,
    ctx,
    {
      title: t(ctx.lang, 'sellerProof.title'),
      status: proofStatus(state),
      private: true,
      referrer: 'no-referrer',
    },
    <ProofPage ctx={ctx} state={state} origin={publicOrigin(request)} />,
  );
}

export interface RegistrationPagesOptions extends RegistrationFiling {
  /** The largest document file, which the form announces. */
  readonly maxFileBytes: number;
  /** REGISTRATION_REVIEW_DAYS: what the receipt says to expect. */
  readonly reviewDays: number;
}

export const registrationPages: FastifyPluginAsync<RegistrationPagesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { registrations, maxFileBytes } = options;
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;

  app.addHook('onRequest', rememberLanguage);

  publicFormRoutes(fastify, {
    path: registrationPaths.form,
    limiter: options.submissionLimiter,
    followPath: trackingPath,
    opened: (query) => ({ ...emptyForm, values: prefillFrom(query) }),
    refused: refusedForm,
    file: (request, reply) => fileRegistration(options, request, reply, 'form'),
    sendForm: (request, reply, state) => sendForm(maxFileBytes, request, reply, state),
    sendReceipt: (request, reply, submitted) =>
      sendRegistrationReceipt(options.reviewDays, request, reply, submitted),
  });

  app.get(registrationPaths.proof, page, (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    return sendProof(request, reply, proofForm(query));
  });

  app.post(
    registrationPaths.proof,
    { ...page, schema: { hide: true, body: proofBody } },
    async (request, reply) =>
      sendProof(request, reply, await proofState(registrations, request.lang, request.body)),
  );
  return Promise.resolve();
};
