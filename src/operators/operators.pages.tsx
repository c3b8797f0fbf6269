// The back office as pages: the dashboard (queues, the session, what the
// operator's roles allow; for admins, recent changes to operator accounts)
// and operator management (list, create, roles, disable/enable, password and
// TOTP resets). Sign-in and enrolment are in signin.pages.tsx, the audit log
// in audit.pages.tsx, approvals of operator changes in
// operator-changes.pages.tsx; backOfficePages registers them all. Every
// change goes through the services as the signed-in operator (actorOf), so it
// is audited like the API's, and waits for a second admin like the API's.
import type { OperatorsService } from './operators.service.ts';
import type { OperatorChangesService } from './operator-changes.service.ts';
import type { DashboardService } from './dashboard.service.ts';
import type { SignInPagesOptions } from './signin.pages.tsx';
import type { AuditPagesOptions } from './audit.pages.tsx';
import type { OperatorChangePagesOptions } from './operator-changes.pages.tsx';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rowId, safeString } from '../shared/text-input.ts';
import { actorOf } from '../backoffice/auth.ts';
import { formatDateTime, isoDate } from '../http/format.ts';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { ClockIcon, WarningIcon } from '../http/icons.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { isAppError } from '../shared/errors.ts';
import { t, tCount } from '../shared/messages.ts';
import { auditPages } from './audit.pages.tsx';
import {
  backOfficeContext,
  CsrfField,
  ErrorSummary,
  Field,
  fieldError,
  may,
  Notice,
  redirectTo,
  roleName,
  sendBackOfficePage,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, operatorPath } from '../backoffice/paths.ts';
import { type Dashboard, type OperatorChangeWarnings } from './dashboard.service.ts';
import { OneTimePasswordPage } from './one-time-password.tsx';
import { operatorChangePages, OperatorChangesCard } from './operator-changes.pages.tsx';
import type { QueueCounts } from './dashboard.service.ts';
import type { Operator } from './operators.service.ts';
import { permissionsOf, roles, type Permission, type Role } from './policy.ts';
import { signInPages } from './signin.pages.tsx';
import { formErrorsOf } from '../backoffice/form-errors.ts';

// ---------------------------------------------------------------------------
// Shared bits

function Time({ ctx, date }: { ctx: PageContext; date: Date }) {
  return <time datetime={isoDate(date)}>{formatDateTime(ctx.lang, date)}</time>;
}

function rolesText(ctx: PageContext, held: readonly Role[]): string {
  return held.map((role) => roleName(ctx, role)).join(', ');
}

/** Whether a submitted change waits for a second admin. */
function isPending(outcome: unknown): boolean {
  return (
    typeof outcome === 'object' &&
    outcome !== null &&
    'state' in outcome &&
    outcome.state === 'pending'
  );
}

/** A notice named by `?info=` after a redirect, when it is one this page knows. */
function infoOf<K extends string>(request: FastifyRequest, known: readonly K[]): K | null {
  const info = (request.query as Record<string, unknown> | undefined)?.info;
  return known.find((k) => k === info) ?? null;
}

// ---------------------------------------------------------------------------
// Dashboard

const queues = ['reports', 'registrations', 'normalizations'] as const;
type Queue = (typeof queues)[number];

/** The page of each queue, when the back office has one yet, and who may open it. */
const queuePages: Partial<Record<Queue, { permission: Permission; path: string }>> = {
  reports: { permission: 'reports.review', path: adminPaths.reports },
  registrations: { permission: 'registrations.review', path: '/admin/pendaftaran' },
  normalizations: { permission: 'normalizations.mediate', path: '/admin/normalisasi' },
};

function queuePageFor(ctx: BackOfficeContext, queue: Queue): string | null {
  const page = queuePages[queue];
  return page && may(ctx, page.permission) ? page.path : null;
}

/** A queue's figure, leading to the queue filtered by that status when there is a page. */
function QueueFigure({
  ctx,
  page,
  status,
  count,
}: {
  ctx: PageContext;
  page: string | null;
  status: 'submitted' | 'in_review';
  count: number;
}) {
  return page ? <a href={href(ctx, `${page}?status=${status}`)}>{count}</a> : <>{count}</>;
}

/** One queue as a card (a table of four columns does not fit a 360 px screen). */
function QueueCard({
  ctx,
  queue,
  counts,
  page,
  days,
}: {
  ctx: PageContext;
  queue: Queue;
  counts: QueueCounts;
  page: string | null;
  /** The queue's deadline, as configured. */
  days: number;
}) {
  const tr = translator(ctx);
  const late = counts.overdue > 0;
  return (
    <li class={late ? 'queue queue-late' : 'queue'} id={`queue-${queue}`}>
      <h3>
        {page ? (
          <a href={href(ctx, page)}>{tr(`admin.queue.${queue}`)}</a>
        ) : (
          tr(`admin.queue.${queue}`)
        )}
      </h3>
      <p class="hint-inline">{tr('admin.queue.deadline', { days })}</p>
      <dl class="queue-counts">
        <div>
          <dt>{tr('admin.queue.submitted')}</dt>
          <dd>
            <QueueFigure ctx={ctx} page={page} status="submitted" count={counts.submitted} />
          </dd>
        </div>
        <div>
          <dt>{tr('admin.queue.inReview')}</dt>
          <dd>
            <QueueFigure ctx={ctx} page={page} status="in_review" count={counts.inReview} />
          </dd>
        </div>
        <div class={late ? 'overdue' : undefined}>
          <dt>{tr('admin.queue.overdue')}</dt>
          <dd>
            {late && <WarningIcon />}
            <span>{counts.overdue}</span>
            {late && <span class="visually-hidden">{` ${tr('admin.queue.overdueWarning')}`}</span>}
          </dd>
        </div>
      </dl>
    </li>
  );
}

/** Where each permission leads, when the back office has a page for it yet. */
const permissionPages: Partial<Record<Permission, string>> = {
  'operators.manage': adminPaths.operators,
  'audit.read': adminPaths.audit,
  'reports.review': adminPaths.reports,
  'registrations.review': '/admin/pendaftaran',
  'normalizations.mediate': '/admin/normalisasi',
};

function AllowedList({ ctx, held }: { ctx: BackOfficeContext; held: readonly Role[] }) {
  const tr = translator(ctx);
  return (
    <ul class="allowed">
      {permissionsOf(held)
        .filter((p) => p !== 'dashboard.view')
        .map((permission) => {
          const page = permissionPages[permission];
          return (
            <li key={permission}>
              {page ? (
                <a href={href(ctx, page)}>{tr(`admin.permission.${permission}`)}</a>
              ) : (
                <>
                  <span>{tr(`admin.permission.${permission}`)}</span>{' '}
                  <span class="small">{tr('admin.dashboard.viaApi')}</span>
                </>
              )}
            </li>
          );
        })}
      <li>
        <a href={href(ctx, adminPaths.password)}>{tr('admin.dashboard.changePassword')}</a>
      </li>
    </ul>
  );
}

function DashboardPage({
  ctx,
  dashboard,
  warnings,
  info,
}: {
  ctx: BackOfficeContext;
  dashboard: Dashboard;
  /** For admins only. */
  warnings: OperatorChangeWarnings | null;
  info: 'enrolled' | 'password_changed' | null;
}) {
  const tr = translator(ctx);
  const session = ctx.session!;
  const overdue = queues.reduce((sum, q) => sum + dashboard[q].overdue, 0);
  return (
    <>
      <h1>{tr('admin.dashboard.title')}</h1>
      {info && <Notice>{tr(`admin.dashboard.info.${info}`)}</Notice>}
      <section aria-labelledby="queues-title">
        <h2 id="queues-title">{tr('admin.dashboard.queues')}</h2>
        {overdue > 0 && (
          <div class="notice notice-caution">
            <ClockIcon />
            <div>
              <p>{tCount(ctx.lang, 'admin.dashboard.overdueNotice', overdue)}</p>
            </div>
          </div>
        )}
        <ul class="queues">
          {queues.map((queue) => (
            <QueueCard
              key={queue}
              ctx={ctx}
              queue={queue}
              counts={dashboard[queue]}
              page={queuePageFor(ctx, queue)}
              days={dashboard.deadlines[queue]}
            />
          ))}
        </ul>
      </section>
      {warnings && <OperatorChangesCard ctx={ctx} warnings={warnings} />}
      <div class="columns">
        <section class="card" aria-labelledby="allowed-title">
          <h2 id="allowed-title">{tr('admin.dashboard.allowed')}</h2>
          <AllowedList ctx={ctx} held={session.operator.roles} />
        </section>
        <section class="card" aria-labelledby="session-title">
          <h2 id="session-title">{tr('admin.dashboard.session')}</h2>
          <dl class="details">
            <dt>{tr('admin.dashboard.signedInAs')}</dt>
            <dd>{session.operator.email}</dd>
            <dt>{tr('admin.dashboard.roles')}</dt>
            <dd>{rolesText(ctx, session.operator.roles)}</dd>
            <dt>{tr('admin.dashboard.expires')}</dt>
            <dd>
              <Time ctx={ctx} date={session.expiresAt} />
            </dd>
          </dl>
          <form method="post" action={href(ctx, adminPaths.signOutEverywhere)}>
            <CsrfField ctx={ctx} />
            <p class="hint" id="everywhere-hint">
              {tr('admin.dashboard.everywhere.hint')}
            </p>
            <button
              type="submit"
              class="button button-secondary"
              aria-describedby="everywhere-hint"
            >
              {tr('admin.signOutEverywhere')}
            </button>
          </form>
        </section>
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------
// Operators: list

function StatusBadges({ ctx, operator }: { ctx: PageContext; operator: Operator }) {
  const tr = translator(ctx);
  const badges: { key: string; text: string; tone: 'ok' | 'warn' | 'off' }[] = [
    operator.disabled
      ? { key: 'disabled', text: tr('admin.operator.status.disabled'), tone: 'off' }
      : { key: 'active', text: tr('admin.operator.status.active'), tone: 'ok' },
  ];
  if (operator.locked)
    badges.push({ key: 'locked', text: tr('admin.operator.status.locked'), tone: 'warn' });
  badges.push(
    operator.totpEnrolled
      ? { key: 'totp', text: tr('admin.operator.status.enrolled'), tone: 'ok' }
      : { key: 'totp', text: tr('admin.operator.status.notEnrolled'), tone: 'warn' },
  );
  if (operator.mustChangePassword)
    badges.push({ key: 'pw', text: tr('admin.operator.status.mustChange'), tone: 'warn' });
  return (
    <ul class="badges">
      {badges.map((b) => (
        <li key={b.key} class={`badge badge-${b.tone}`}>
          {b.text}
        </li>
      ))}
    </ul>
  );
}

function OperatorFacts({ ctx, operator }: { ctx: PageContext; operator: Operator }) {
  const tr = translator(ctx);
  return (
    <dl class="details">
      <dt>{tr('admin.operator.roles')}</dt>
      <dd>{rolesText(ctx, operator.roles)}</dd>
      <dt>{tr('admin.operator.status')}</dt>
      <dd>
        <StatusBadges ctx={ctx} operator={operator} />
      </dd>
      <dt>{tr('admin.operator.lastSignIn')}</dt>
      <dd>
        {operator.lastSignInAt ? (
          <Time ctx={ctx} date={operator.lastSignInAt} />
        ) : (
          tr('admin.operator.never')
        )}
      </dd>
      <dt>{tr('admin.operator.created')}</dt>
      <dd>
        <Time ctx={ctx} date={operator.createdAt} />
      </dd>
    </dl>
  );
}

function OperatorsPage({
  ctx,
  operators,
}: {
  ctx: BackOfficeContext;
  operators: readonly Operator[];
}) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('admin.operators.title')}</h1>
      <p class="actions-top">
        <a class="button" href={href(ctx, adminPaths.newOperator)}>
          {tr('admin.operators.new')}
        </a>{' '}
        <a class="button button-secondary" href={href(ctx, adminPaths.operatorChanges)}>
          {tr('admin.changes.requests')}
        </a>
      </p>
      <h2 class="visually-hidden">{tr('admin.operators.list')}</h2>
      <ul class="records">
        {operators.map((operator) => (
          <li key={operator.id} class="record">
            <h3 class="record-title">
              <a href={href(ctx, operatorPath(operator.id))}>{operator.email}</a>
              {operator.id === ctx.session?.operator.id && (
                <span class="small">{` (${tr('admin.operator.you')})`}</span>
              )}
            </h3>
            <OperatorFacts ctx={ctx} operator={operator} />
          </li>
        ))}
      </ul>
    </>
  );
}

// ---------------------------------------------------------------------------
// Operators: create, and the one-time password

function RoleChoices({
  ctx,
  checked,
  error,
}: {
  ctx: PageContext;
  checked: readonly string[];
  error: string | undefined;
}) {
  const tr = translator(ctx);
  return (
    <fieldset class="choices-list" aria-describedby={error ? 'roles-error' : undefined}>
      <legend id="roles">{tr('admin.operator.roles')}</legend>
      {error && (
        <p class="field-error" id="roles-error">
          <span>{error}</span>
        </p>
      )}
      {roles.map((role) => (
        <label key={role} class="choice" for={`role-${role}`}>
          <input
            type="checkbox"
            id={`role-${role}`}
            name="roles"
            value={role}
            checked={checked.includes(role)}
          />
          <span>
            <span class="choice-name">{roleName(ctx, role)}</span>
            <span class="choice-hint">{tr(`admin.role.${role}.hint`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

interface NewOperatorProps {
  readonly ctx: BackOfficeContext;
  readonly email: string;
  readonly checked: readonly string[];
  readonly errors: readonly FormError[];
}

function NewOperatorPage({ ctx, email, checked, errors }: NewOperatorProps) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <p class="breadcrumb">
        <a href={href(ctx, adminPaths.operators)}>{tr('admin.operators.back')}</a>
      </p>
      <h1>{tr('admin.operators.new')}</h1>
      <p class="lead">{tr('admin.operators.new.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, adminPaths.operators)} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          id="email"
          type="email"
          label={tr('admin.operator.email')}
          value={email.slice(0, 320)}
          autocomplete="off"
          inputmode="email"
          maxLength={320}
          error={fieldError(errors, 'email')}
        />
        <RoleChoices ctx={ctx} checked={checked} error={fieldError(errors, 'roles')} />
        <button type="submit" class="button button-block">
          {tr('admin.operators.create')}
        </button>
      </form>
    </div>
  );
}

// ---------------------------------------------------------------------------
// Operators: one operator and what can be done to them

const operatorNotices = [
  'roles_changed',
  'disabled',
  'enabled',
  'totp_reset',
  'requested',
] as const;
type OperatorNotice = (typeof operatorNotices)[number];

function ActionForm({
  ctx,
  operator,
  action,
  label,
  hint,
  danger,
}: {
  ctx: BackOfficeContext;
  operator: Operator;
  action: string;
  label: string;
  hint: string;
  danger?: boolean;
}) {
  const hintId = `${action}-hint`;
  return (
    <form class="action-form" method="post" action={href(ctx, operatorPath(operator.id, action))}>
      <CsrfField ctx={ctx} />
      <p class="hint" id={hintId}>
        {hint}
      </p>
      <button
        type="submit"
        class={danger ? 'button button-danger' : 'button button-secondary'}
        aria-describedby={hintId}
      >
        {label}
      </button>
    </form>
  );
}

interface OperatorPageProps {
  readonly ctx: BackOfficeContext;
  readonly operator: Operator;
  readonly info: OperatorNotice | null;
  readonly errors: readonly FormError[];
  readonly checked: readonly string[];
  /** OPERATOR_CHANGE_APPROVAL: most changes here wait for a second admin. */
  readonly needApproval: boolean;
}

function OperatorPage({ ctx, operator, info, errors, checked, needApproval }: OperatorPageProps) {
  const tr = translator(ctx);
  const yourself = operator.id === ctx.session?.operator.id;
  return (
    <>
      <p class="breadcrumb">
        <a href={href(ctx, adminPaths.operators)}>{tr('admin.operators.back')}</a>
      </p>
      <h1 class="record-heading">{operator.email}</h1>
      {info && <Notice>{tr(`admin.operator.info.${info}`)}</Notice>}
      {needApproval && (
        <p class="hint">
          {tr('admin.changes.needApproval')}{' '}
          <a href={href(ctx, adminPaths.operatorChanges)}>{tr('admin.changes.requests')}</a>
        </p>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      {yourself && <p class="small">{tr('admin.operator.yourself')}</p>}
      <OperatorFacts ctx={ctx} operator={operator} />
      <div class="columns">
        <section class="card" aria-labelledby="roles-title">
          <h2 id="roles-title">{tr('admin.operator.changeRoles')}</h2>
          <form method="post" action={href(ctx, operatorPath(operator.id, 'peran'))} novalidate>
            <CsrfField ctx={ctx} />
            <RoleChoices ctx={ctx} checked={checked} error={fieldError(errors, 'roles')} />
            <p class="hint">{tr('admin.operator.changeRoles.hint')}</p>
            <button type="submit" class="button">
              {tr('admin.operator.changeRoles.submit')}
            </button>
          </form>
        </section>
        <section class="card" aria-labelledby="access-title">
          <h2 id="access-title">{tr('admin.operator.access')}</h2>
          {operator.disabled ? (
            <ActionForm
              ctx={ctx}
              operator={operator}
              action="aktifkan"
              label={tr('admin.operator.enable')}
              hint={tr('admin.operator.enable.hint')}
            />
          ) : yourself ? null : (
            <ActionForm
              ctx={ctx}
              operator={operator}
              action="nonaktifkan"
              label={tr('admin.operator.disable')}
              hint={tr('admin.operator.disable.hint')}
              danger
            />
          )}
          <ActionForm
            ctx={ctx}
            operator={operator}
            action="reset-kata-sandi"
            label={tr('admin.operator.resetPassword')}
            hint={tr('admin.operator.resetPassword.hint')}
          />
          <ActionForm
            ctx={ctx}
            operator={operator}
            action="reset-totp"
            label={tr('admin.operator.resetTotp')}
            hint={tr('admin.operator.resetTotp.hint')}
          />
        </section>
      </div>
    </>
  );
}

// ---------------------------------------------------------------------------
// Routes

/** One checkbox sends a string, several an array, none nothing. */
const checkboxes = z
  .union([safeString().max(40), z.array(safeString().max(40)).max(20)])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat()));

const idParams = z.object({
  id: rowId(),
});

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
          info={infoOf(request, ['enrolled', 'password_changed'] as const)}
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

  function sendNewOperator(
    request: FastifyRequest,
    reply: FastifyReply,
    form: {
      email: string;
      checked: readonly string[];
      errors: readonly FormError[];
      status?: number;
    },
  ) {
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
    {
      ...manage,
      schema: {
        hide: true,
        body: z.object({ email: safeString().max(320).optional(), roles: checkboxes }),
      },
    },
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
        return sendBackOfficePage(
          reply,
          ctx,
          {
            title: t(ctx.lang, 'admin.operators.created'),
            status: 201,
            switchPath: operatorPath(created.operator.id),
          },
          <OneTimePasswordPage
            ctx={ctx}
            operator={created.operator}
            password={created.oneTimePassword!}
            heading={t(ctx.lang, 'admin.operators.created')}
          />,
        );
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
    form: { errors?: readonly FormError[]; checked?: readonly string[]; status?: number } = {},
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
        info={infoOf(request, operatorNotices)}
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
    { ...manage, schema: { hide: true, params: idParams, body: z.object({ roles: checkboxes }) } },
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
      const { operator, oneTimePassword: password } = submitted;
      return sendBackOfficePage(
        reply,
        ctx,
        { title: t(ctx.lang, 'admin.operator.passwordReset'), switchPath: operatorPath(id) },
        <OneTimePasswordPage
          ctx={ctx}
          operator={operator}
          password={password!}
          heading={t(ctx.lang, 'admin.operator.passwordReset')}
        />,
      );
    },
  );

  return Promise.resolve();
};

/** Every back-office page; registered by app.ts next to the operators' API. */
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
