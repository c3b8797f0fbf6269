// The registrar's pages: the queue of seller registrations (pending ones, and
// approved ones a verified report put back for a re-check, flagged first)
// and a registration in full, with what the seller typed next to the
// document that proves it, the account's report history, the claim, the
// decision and the revocation as forms, and the audited NIK reveal. Every
// read and change goes through RegistrationsService as the signed-in
// operator (actorOf), so it is audited like the API's; documents are shown
// through the back office's audited file route.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, operatorActor } from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import type { OperatorsService } from '../operators/operators.service.ts';
import type { Clock } from '../shared/clock.ts';
import {
  decisionBody,
  emptyDecision,
  idParams,
  noticeOf,
  recordChanges,
  sendQueuePage,
  type RecordState,
} from '../backoffice/changes.ts';
import { staffView } from '../backoffice/claims.tsx';
import { pageWindow } from '../backoffice/queue.tsx';
import { backOfficeContext, sendBackOfficePage } from '../backoffice/layout.tsx';
import { t } from '../shared/messages.ts';
import { registrationPath, registrationPaths } from './registrations.paths.ts';
import type {
  RegistrationReason,
  RegistrationsService,
  rejectReasons,
} from './registrations.service.ts';
import { notices, pageSize, readDecision, readQueue, type PageNotice } from './registrar.form.ts';
import { QueuePage } from './registrar.queue.views.tsx';
import { RegistrationPage } from './registrar.registration.views.tsx';

export interface RegistrarPagesOptions {
  readonly registrations: RegistrationsService;
  readonly operators: OperatorsService;
  readonly clock: Clock;
}

export const registrarPages: FastifyPluginAsync<RegistrarPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { registrations, operators, clock } = options;
  const review = { config: { permission: 'registrations.review', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    registrationPaths.queue,
    { ...review, schema: { hide: true } },
    async (request, reply) => {
      const ctx = backOfficeContext(request);
      const read = readQueue(ctx, (request.query ?? {}) as Record<string, unknown>);
      const items =
        read.errors.length === 0
          ? await registrations.queue({
              status: read.status,
              flagged: read.flagged ? true : undefined,
              ...pageWindow(read.page, pageSize),
            })
          : [];
      const view = await staffView(ctx, operators, clock);
      return sendQueuePage(
        reply,
        ctx,
        t(ctx.lang, 'registrar.queue.title'),
        read.errors,
        <QueuePage view={view} read={read} items={items} counts={await registrations.counts()} />,
      );
    },
  );

  /** The registration page; every showing opens the seller's contact, so each is an audited view. */
  async function sendRegistration(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: RecordState & { revealed?: string } = {},
  ) {
    const ctx = backOfficeContext(request);
    const detail = await registrations.detail(id, actorOf(request));
    const view = await staffView(ctx, operators, clock);
    // A revealed NIK is in this answer: it must not be kept or passed on.
    if (state.revealed) void reply.header('referrer-policy', 'no-referrer');
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'registrar.registration.title', { id }),
        status: state.status ?? 200,
        switchPath: registrationPath(id),
      },
      <RegistrationPage
        view={view}
        detail={detail}
        info={state.status || state.revealed ? null : noticeOf(request, notices)}
        conflict={state.conflict ?? null}
        errors={state.errors ?? []}
        form={state.form ?? emptyDecision}
        revealed={state.revealed ?? null}
      />,
    );
  }

  app.get(
    `${registrationPaths.queue}/:id`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => sendRegistration(request, reply, request.params.id),
  );

  const change = recordChanges<PageNotice>({ path: registrationPath, send: sendRegistration });

  app.post(
    `${registrationPaths.queue}/:id/klaim`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => {
      const { id } = request.params;
      return change(
        request,
        reply,
        id,
        () => registrations.claim(id, operatorActor(request)),
        () => 'claimed',
      );
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/lepas`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => {
      const { id } = request.params;
      return change(
        request,
        reply,
        id,
        () => registrations.release(id, operatorActor(request)),
        () => 'released',
      );
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/nik`,
    { ...review, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const { id } = request.params;
      const revealed = await registrations.revealNik(id, actorOf(request));
      return sendRegistration(request, reply, id, { revealed });
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/keputusan`,
    { ...review, schema: { hide: true, params: idParams, body: decisionBody } },
    async (request, reply) => {
      const { id } = request.params;
      const ctx = backOfficeContext(request);
      const { form, errors } = readDecision(ctx, request.body ?? {}, { revocation: false });
      if (errors.length > 0)
        return sendRegistration(request, reply, id, { status: 400, errors, form });
      return change(
        request,
        reply,
        id,
        () =>
          registrations.decide(id, operatorActor(request), {
            decision: form.decision as 'approve' | 'reject',
            reason: form.reason as RegistrationReason,
            note: form.note === '' ? null : form.note,
          }),
        (result) => result.outcome,
        form,
      );
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/cabut`,
    { ...review, schema: { hide: true, params: idParams, body: decisionBody } },
    (request, reply) => {
      const { id } = request.params;
      const ctx = backOfficeContext(request);
      const { form, errors } = readDecision(ctx, request.body ?? {}, { revocation: true });
      if (errors.length > 0) return sendRegistration(request, reply, id, { status: 400, errors });
      return change(
        request,
        reply,
        id,
        () =>
          registrations.revoke(id, operatorActor(request), {
            reason: form.reason as (typeof rejectReasons)[number],
            note: form.note === '' ? null : form.note,
          }),
        () => 'revoked',
      );
    },
  );

  return Promise.resolve();
};
