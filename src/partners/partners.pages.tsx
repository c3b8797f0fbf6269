// The partner pages of the back office (`/admin/mitra`, permission
// `partners.manage`): partners and their settings, keys issued (shown once,
// with a copy button), rolled and revoked, and usage per day. Every change
// goes through the service as the signed-in operator, audited like the API's.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../backoffice/auth.ts';
import { noticeOf } from '../backoffice/changes.ts';
import { formErrorsOf } from '../backoffice/form-errors.ts';
import { backOfficeContext, redirectTo, sendBackOfficePage } from '../backoffice/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { AppError, isAppError } from '../shared/errors.ts';
import { t } from '../shared/messages.ts';
import type { IssuedKey, PartnersService } from './partners.service.ts';
import type { WatchSummary } from '../watches/watches.service.ts';
import type { WebhooksService } from '../webhooks/webhooks.service.ts';
import {
  codesField,
  expiryField,
  keyParams,
  newKeyBody,
  newPartnerBody,
  numberField,
  partnerNotices,
  partnerParams,
  rollBody,
  settingsBody,
  webhookDeliveryParams,
  type NewKeyBody,
  type NewPartnerBody,
  type SettingsBody,
} from './partners.form.ts';
import {
  IssuedKeyPage,
  PartnerPage,
  PartnersPage,
  partnerPath,
  partnersPath,
  type PartnerPageProps,
} from './partners.views.tsx';

export interface PartnerPagesOptions {
  readonly partners: PartnersService;
  /** What a partner watches, shown on its page. */
  readonly watchesOf?: (partnerId: number) => Promise<WatchSummary>;
  /** The partner's webhook endpoints and their last deliveries, with a manual retry. */
  readonly webhooks?: Pick<WebhooksService, 'overview' | 'retry'>;
}

const emptyPartner: NewPartnerBody = {};

function refused(error: unknown): error is AppError {
  return isAppError(error) && error.code === 'validation_failed';
}

export const partnerPages: FastifyPluginAsync<PartnerPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { partners, webhooks } = options;
  const manage = { permission: 'partners.manage', page: true } as const;
  app.addHook('onRequest', rememberLanguage);

  async function sendPartners(
    request: FastifyRequest,
    reply: FastifyReply,
    form: { values: NewPartnerBody; error?: AppError } = { values: emptyPartner },
  ) {
    const ctx = backOfficeContext(request);
    const errors = form.error ? formErrorsOf(ctx, form.error.errors) : [];
    return sendBackOfficePage(
      reply,
      ctx,
      { title: t(ctx.lang, 'admin.partners.title'), status: form.error ? 400 : 200 },
      <PartnersPage
        ctx={ctx}
        partners={await partners.listPartners()}
        form={{ values: form.values, errors }}
      />,
    );
  }

  app.get(partnersPath, { config: manage, schema: { hide: true } }, (request, reply) =>
    sendPartners(request, reply),
  );

  app.post(
    partnersPath,
    { config: manage, schema: { hide: true, body: newPartnerBody } },
    async (request, reply) => {
      const values = request.body;
      try {
        const partner = await partners.createPartner(
          {
            name: values.name ?? '',
            kind: (values.kind ?? '') as 'bank',
            contactEmail: values.contactEmail ?? '',
            perMinute: numberField(values.perMinute),
            perDay: numberField(values.perDay),
          },
          actorOf(request),
        );
        return redirectTo(
          reply,
          backOfficeContext(request),
          `${partnerPath(partner.id)}?info=created`,
        );
      } catch (error) {
        if (!refused(error)) throw error;
        return sendPartners(request, reply, { values, error });
      }
    },
  );

  async function sendPartner(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    refusal: {
      settings?: { values: SettingsBody; error: AppError };
      newKey?: { values: NewKeyBody; error: AppError };
    } = {},
  ) {
    const ctx = backOfficeContext(request);
    const details = await partners.partnerDetails(id);
    const props: PartnerPageProps = {
      ctx,
      details,
      watches: await options.watchesOf?.(id),
      webhooks: webhooks && (await webhooks.overview(id, 10)),
      info: noticeOf(request, partnerNotices),
      settings: refusal.settings && {
        values: refusal.settings.values,
        errors: formErrorsOf(ctx, refusal.settings.error.errors),
      },
      newKey: refusal.newKey && {
        values: refusal.newKey.values,
        errors: formErrorsOf(ctx, refusal.newKey.error.errors, (field) =>
          field === 'expiresAt' ? 'expiresAt' : field,
        ),
      },
    };
    const failed = refusal.settings ?? refusal.newKey;
    return sendBackOfficePage(
      reply,
      ctx,
      { title: details.partner.name, status: failed ? 400 : 200, switchPath: partnerPath(id) },
      <PartnerPage {...props} />,
    );
  }

  app.get(
    `${partnersPath}/:id`,
    { config: manage, schema: { hide: true, params: partnerParams } },
    (request, reply) => sendPartner(request, reply, request.params.id),
  );

  app.post(
    `${partnersPath}/:id`,
    { config: manage, schema: { hide: true, params: partnerParams, body: settingsBody } },
    async (request, reply) => {
      const { id } = request.params;
      const values = request.body;
      try {
        await partners.updatePartner(
          id,
          {
            ...(values.name === undefined ? {} : { name: values.name }),
            ...(values.contactEmail === undefined ? {} : { contactEmail: values.contactEmail }),
            perMinute: numberField(values.perMinute),
            perDay: numberField(values.perDay),
            ...(values.providerCodes === undefined
              ? {}
              : { providerCodes: codesField(values.providerCodes) }),
          },
          actorOf(request),
        );
        return redirectTo(reply, backOfficeContext(request), `${partnerPath(id)}?info=updated`);
      } catch (error) {
        if (!refused(error)) throw error;
        return sendPartner(request, reply, id, { settings: { values, error } });
      }
    },
  );

  async function sendIssued(
    request: FastifyRequest,
    reply: FastifyReply,
    partnerId: number,
    issued: IssuedKey,
  ) {
    const ctx = backOfficeContext(request);
    const { partner } = await partners.partnerDetails(partnerId);
    return sendBackOfficePage(
      reply,
      ctx,
      { title: t(ctx.lang, 'admin.partners.issued.title'), status: 201 },
      <IssuedKeyPage ctx={ctx} partner={partner} issued={issued} />,
    );
  }

  app.post(
    `${partnersPath}/:id/kunci`,
    { config: manage, schema: { hide: true, params: partnerParams, body: newKeyBody } },
    async (request, reply) => {
      const { id } = request.params;
      const values = request.body;
      try {
        const expiresAt = expiryField(values.expiresOn);
        const issued = await partners.issueKey(
          id,
          {
            label: values.label ?? '',
            scopes: values.scopes as ['check'],
            ...(expiresAt === undefined ? {} : { expiresAt }),
          },
          actorOf(request),
        );
        return sendIssued(request, reply, id, issued);
      } catch (error) {
        if (!refused(error)) throw error;
        return sendPartner(request, reply, id, { newKey: { values, error } });
      }
    },
  );

  app.post(
    `${partnersPath}/:id/kunci/:keyId/ganti`,
    { config: manage, schema: { hide: true, params: keyParams, body: rollBody } },
    async (request, reply) => {
      const { id, keyId } = request.params;
      const seconds = numberField(request.body.expireOldInSeconds);
      const issued = await partners.rollKey(
        id,
        keyId,
        seconds === undefined ? {} : { expireOldInSeconds: seconds },
        actorOf(request),
      );
      return sendIssued(request, reply, id, issued);
    },
  );

  app.post(
    `${partnersPath}/:id/webhook/:endpointId/pengiriman/:deliveryId/ulang`,
    { config: manage, schema: { hide: true, params: webhookDeliveryParams } },
    async (request, reply) => {
      const { id, endpointId, deliveryId } = request.params;
      if (!webhooks) throw new AppError('not_found');
      await webhooks.retry(id, endpointId, deliveryId, actorOf(request));
      return redirectTo(
        reply,
        backOfficeContext(request),
        `${partnerPath(id)}?info=webhookRetried#webhooks-title`,
      );
    },
  );

  app.post(
    `${partnersPath}/:id/kunci/:keyId/cabut`,
    { config: manage, schema: { hide: true, params: keyParams } },
    async (request, reply) => {
      const { id, keyId } = request.params;
      await partners.revokeKey(id, keyId, actorOf(request));
      return redirectTo(reply, backOfficeContext(request), `${partnerPath(id)}?info=revoked`);
    },
  );
  return Promise.resolve();
};
