// Operator changes in the back office: with OPERATOR_CHANGE_APPROVAL on, the
// page where a second admin approves or rejects the changes waiting for one.
// An approved creation or password reset shows its one-time password to the
// approver, as the operator pages show it to the admin who made the change.
import type { OperatorChangesService } from './operator-changes.service.ts';
import type { Operator } from './operators.service.ts';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { t, type MessageKey } from '../shared/messages.ts';
import {
  backOfficeContext,
  redirectTo,
  sendBackOfficePage,
  type BackOfficeContext,
} from '../backoffice/layout.tsx';
import { adminPaths, operatorPath } from '../backoffice/paths.ts';
import { OneTimePasswordPage } from './one-time-password.views.tsx';
import { RequestsPage } from './operator-changes.views.tsx';
import { changeNotices, idParams, rejectionBody } from './operator-changes.form.ts';
import { noticeOf } from '../backoffice/changes.ts';

/** The one-time password of a created operator or of a reset, after a change or its approval. */
export function sendOneTimePassword(
  reply: FastifyReply,
  ctx: BackOfficeContext,
  shown: { operator: Operator; password: string; heading: MessageKey; status?: number },
): FastifyReply {
  const heading = t(ctx.lang, shown.heading);
  return sendBackOfficePage(
    reply,
    ctx,
    { title: heading, status: shown.status, switchPath: operatorPath(shown.operator.id) },
    <OneTimePasswordPage
      ctx={ctx}
      operator={shown.operator}
      password={shown.password}
      heading={heading}
    />,
  );
}

/** Decided requests the page lists under the pending ones. */
const decidedShown = 20;

export interface OperatorChangePagesOptions {
  readonly operatorChanges: OperatorChangesService;
}

export const operatorChangePages: FastifyPluginAsync<OperatorChangePagesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { operatorChanges } = options;
  const manage = { config: { permission: 'operators.manage', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    adminPaths.operatorChanges,
    { ...manage, schema: { hide: true } },
    async (request, reply) => {
      const ctx = backOfficeContext(request);
      const [pending, decided] = await Promise.all([
        operatorChanges.list(['pending']),
        operatorChanges.list(['approved', 'rejected'], decidedShown),
      ]);
      return sendBackOfficePage(
        reply,
        ctx,
        { title: t(ctx.lang, 'admin.changes.requests') },
        <RequestsPage
          ctx={ctx}
          pending={pending}
          decided={decided}
          info={noticeOf(request, changeNotices)}
          needApproval={operatorChanges.needApproval}
        />,
      );
    },
  );

  app.post(
    `${adminPaths.operatorChanges}/:id/setujui`,
    { ...manage, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const actor = actorOf(request);
      const decided = await operatorChanges.decide(
        request.params.id,
        { approve: true, reason: null },
        { ...actor, id: actor.id! },
      );
      const ctx = backOfficeContext(request);
      if (!decided.oneTimePassword || !decided.operator) {
        return redirectTo(reply, ctx, `${adminPaths.operatorChanges}?info=approved`);
      }
      return sendOneTimePassword(reply, ctx, {
        operator: decided.operator,
        password: decided.oneTimePassword,
        heading: 'admin.changes.approved',
      });
    },
  );

  app.post(
    `${adminPaths.operatorChanges}/:id/tolak`,
    { ...manage, schema: { hide: true, params: idParams, body: rejectionBody } },
    async (request, reply) => {
      const actor = actorOf(request);
      await operatorChanges.decide(
        request.params.id,
        { approve: false, reason: request.body?.reason?.trim() || null },
        { ...actor, id: actor.id! },
      );
      return redirectTo(
        reply,
        backOfficeContext(request),
        `${adminPaths.operatorChanges}?info=rejected`,
      );
    },
  );

  return Promise.resolve();
};
