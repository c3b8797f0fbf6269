// The back office as pages: the dashboard (queues, the session, what the
// operator's roles allow; for admins, recent changes to operator accounts)
// and operator management (list, create, roles, disable/enable, password and
// TOTP resets). Sign-in and enrolment are in signin.pages.tsx, the audit log
// in audit.pages.tsx, approvals of operator changes in
// operator-changes.pages.tsx; backOfficePages registers them all. Every
// change goes through the services as the signed-in operator (actorOf), so it
// is audited like the API's, and waits for a second admin like the API's.
import { noticeOf } from '../backoffice/changes.ts';
import type { OperatorsService } from './operators.service.ts';
import type { OperatorChangesService } from './operator-changes.service.ts';
import type { DashboardService } from './dashboard.service.ts';
import type { SignInPagesOptions } from './signin.pages.tsx';
import type { AuditPagesOptions } from './audit.pages.tsx';
import type { OperatorChangePagesOptions } from './operator-changes.pages.tsx';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { isAppError } from '../shared/errors.ts';
import { t } from '../shared/messages.ts';
import { auditPages } from './audit.pages.tsx';
import { backOfficeContext, may, redirectTo, sendBackOfficePage } from '../backoffice/layout.tsx';
import { adminPaths, operatorPath } from '../backoffice/paths.ts';
import { operatorChangePages, sendOneTimePassword } from './operator-changes.pages.tsx';
import { signInPages } from './signin.pages.tsx';
import { formErrorsOf } from '../backoffice/form-errors.ts';
import { DashboardPage } from './dashboard.views.tsx';
import { NewOperatorPage, OperatorPage, OperatorsPage } from './operators.views.tsx';
import {
  dashboardNotices,
  idParams,
  newOperatorBody,
  operatorNotices,
  rolesBody,
  type NewOperatorForm,
  type OperatorForm,
  type OperatorNotice,
} from './operators.form.ts';

/** Whether a submitted change waits for a second admin. */
function isPending(outcome: unknown): boolean {
  return (
    typeof outcome === 'object' &&
    outcome !== null &&
    'state' in outcome &&
    outcome.state === 'pending'
  );
}

export interface OperatorPagesOptions {
  readonly operators: OperatorsService;
  readonly operatorChanges: OperatorChangesService;
  readonly dashboard: DashboardService;
}

export const operatorPages: FastifyPluginAsync<OperatorPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { operators, operatorChanges, dashboard: dashboards } = options;
  const manage = { config: { permission: 'operators.manage', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    adminPaths.dashboard,
    { config: { permission: 'dashboard.view', page: true }, schema: { hide: true } },
    async (request, reply) => {
      const ctx = backOfficeContext(request);
      const dashboard = await dashboards.load();
      const figures = await dashboards.figures(ctx.session!.operator.roles);
      const earlyWarnings = await dashboards.earlyWarnings();
      const warnings = may(ctx, 'operators.manage')
        ? await dashboards.operatorChangeWarnings()
        : null;
      return sendBackOfficePage(
        reply,
        ctx,
        { title: t(ctx.lang, 'admin.dashboard.title') },
        <DashboardPage
          ctx={ctx}
          dashboard={dashboard}
          warnings={warnings}
          figures={figures}
          earlyWarnings={earlyWarnings}
          info={noticeOf(request, dashboardNotices)}
        />,
      );
    },
  );

  app.get(adminPaths.operators, { ...manage, schema: { hide: true } }, async (request, reply) => {
    const ctx = backOfficeContext(request);
    return sendBackOfficePage(
      reply,
      ctx,
      { title: t(ctx.lang, 'admin.operators.title') },
      <OperatorsPage ctx={ctx} operators={await operators.list()} />,
    );
  });

  function sendNewOperator(request: FastifyRequest, reply: FastifyReply, form: NewOperatorForm) {
    const ctx = backOfficeContext(request);
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'admin.operators.new'),
        status: form.status ?? 200,
        switchPath: adminPaths.newOperator,
      },
      <NewOperatorPage ctx={ctx} email={form.email} checked={form.checked} errors={form.errors} />,
    );
  }

  app.get(adminPaths.newOperator, { ...manage, schema: { hide: true } }, (request, reply) =>
    sendNewOperator(request, reply, { email: '', checked: [], errors: [] }),
  );

  app.post(
    adminPaths.operators,
    { ...manage, schema: { hide: true, body: newOperatorBody } },
    async (request, reply) => {
      const email = request.body.email ?? '';
      const checked = request.body.roles;
      try {
        const created = await operatorChanges.submit(
          { kind: 'create', email, roles: checked },
          actorOf(request),
        );
        const ctx = backOfficeContext(request);
        if (created.state === 'pending') {
          return redirectTo(reply, ctx, `${adminPaths.operatorChanges}?info=requested`);
        }
        return sendOneTimePassword(reply, ctx, {
          operator: created.operator,
          password: created.oneTimePassword!,
          heading: 'admin.operators.created',
          status: 201,
        });
      } catch (error) {
        if (!isAppError(error)) throw error;
        const ctx = backOfficeContext(request);
        if (error.code === 'validation_failed') {
          const errors = formErrorsOf(ctx, error.errors);
          return sendNewOperator(request, reply, { email, checked, errors, status: 400 });
        }
        if (error.code === 'operator_exists') {
          const errors = [
            { field: 'email', message: t(ctx.lang, 'problem.operator_exists.detail') },
          ];
          return sendNewOperator(request, reply, { email, checked, errors, status: 409 });
        }
        throw error;
      }
    },
  );

  async function sendOperator(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    form: OperatorForm = {},
  ) {
    const ctx = backOfficeContext(request);
    const operator = await operators.get(id);
    return sendBackOfficePage(
      reply,
      ctx,
      { title: operator.email, status: form.status ?? 200, switchPath: operatorPath(id) },
      <OperatorPage
        ctx={ctx}
        operator={operator}
        info={noticeOf(request, operatorNotices)}
        errors={form.errors ?? []}
        checked={form.checked ?? operator.roles}
        needApproval={operatorChanges.needApproval}
      />,
    );
  }

  app.get(
    '/admin/operator/:id',
    { ...manage, schema: { hide: true, params: idParams } },
    (request, reply) => sendOperator(request, reply, request.params.id),
  );

  /**
   * Runs a change; a refusal (validation) shows the operator page with what to
   * fix; a change that waits for a second admin says so.
   */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    run: () => Promise<unknown>,
    done: OperatorNotice,
    checked?: readonly string[],
  ) {
    let outcome: unknown;
    try {
      outcome = await run();
    } catch (error) {
      if (isAppError(error) && error.code === 'validation_failed') {
        const errors = formErrorsOf(backOfficeContext(request), error.errors);
        return sendOperator(request, reply, id, { errors, checked, status: 400 });
      }
      throw error;
    }
    const notice = isPending(outcome) ? 'requested' : done;
    return redirectTo(reply, backOfficeContext(request), `${operatorPath(id)}?info=${notice}`);
  }

  app.post(
    '/admin/operator/:id/peran',
    { ...manage, schema: { hide: true, params: idParams, body: rolesBody } },
    (request, reply) => {
      const { id } = request.params;
      const checked = request.body.roles;
      return change(
        request,
        reply,
        id,
        () =>
          operatorChanges.submit(
            { kind: 'roles', operatorId: id, roles: checked },
            actorOf(request),
          ),
        'roles_changed',
        checked,
      );
    },
  );

  const simpleChanges = [
    [
      'nonaktifkan',
      'disabled',
      (id: number, r: FastifyRequest) => operators.disable({ id }, actorOf(r)),
    ],
    [
      'aktifkan',
      'enabled',
      (id: number, r: FastifyRequest) =>
        operatorChanges.submit({ kind: 'enable', operatorId: id }, actorOf(r)),
    ],
    [
      'reset-totp',
      'totp_reset',
      (id: number, r: FastifyRequest) =>
        operatorChanges.submit({ kind: 'totp_reset', operatorId: id }, actorOf(r)),
    ],
  ] as const;

  for (const [action, done, run] of simpleChanges) {
    app.post(
      `/admin/operator/:id/${action}`,
      { ...manage, schema: { hide: true, params: idParams } },
      (request, reply) => {
        const { id } = request.params;
        return change(request, reply, id, () => run(id, request), done);
      },
    );
  }

  app.post(
    '/admin/operator/:id/reset-kata-sandi',
    { ...manage, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const { id } = request.params;
      const submitted = await operatorChanges.submit(
        { kind: 'password_reset', operatorId: id },
        actorOf(request),
      );
      const ctx = backOfficeContext(request);
      if (submitted.state === 'pending') {
        return redirectTo(reply, ctx, `${operatorPath(id)}?info=requested`);
      }
      return sendOneTimePassword(reply, ctx, {
        operator: submitted.operator,
        password: submitted.oneTimePassword!,
        heading: 'admin.operator.passwordReset',
      });
    },
  );

  return Promise.resolve();
};

/** Every back-office page; registered by server/plugins.ts next to the operators' API. */
export type BackOfficePagesOptions = SignInPagesOptions &
  OperatorPagesOptions &
  AuditPagesOptions &
  OperatorChangePagesOptions;

export const backOfficePages: FastifyPluginAsync<BackOfficePagesOptions> = async (app, options) => {
  await app.register(signInPages, options);
  await app.register(operatorPages, options);
  await app.register(auditPages, options);
  await app.register(operatorChangePages, options);
};
