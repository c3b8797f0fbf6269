// The dashboard as views: the queues (with what is overdue), what the
// operator's roles allow, the session, and for admins the recent changes to
// operator accounts.
import { href, translator, type PageContext } from '../http/layout.tsx';
import { ClockIcon, WarningIcon } from '../http/icons.tsx';
import { tCount } from '../shared/messages.ts';
import { CsrfField, may, Notice, type BackOfficeContext } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import type { Dashboard, OperatorChangeWarnings, QueueCounts } from './dashboard.service.ts';
import { permissionsOf, type Permission, type Role } from './policy.ts';
import { OperatorChangesCard } from './operator-changes.views.tsx';
import { rolesText } from './operators.views.tsx';
import { Time } from '../backoffice/time.tsx';
import type { DashboardNotice } from './operators.form.ts';
import type { OperatorFigures } from './dashboard.figures.service.ts';
import { OperatorFiguresSection } from './dashboard.figures.views.tsx';
import type { EarlyWarnings } from '../statistics/check-counts.ts';
import { EarlyWarningSection } from '../statistics/early-warning.views.tsx';

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
  'partners.manage': adminPaths.partners,
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

export function DashboardPage({
  ctx,
  dashboard,
  warnings,
  info,
  figures = null,
  earlyWarnings = null,
}: {
  ctx: BackOfficeContext;
  dashboard: Dashboard;
  /** For admins only. */
  warnings: OperatorChangeWarnings | null;
  info: DashboardNotice | null;
  /** The operators' own figures, of the queues the operator works. */
  figures?: OperatorFigures | null;
  /** Accounts checked by many clients; null when checks are not counted. */
  earlyWarnings?: EarlyWarnings | null;
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
      {figures && <OperatorFiguresSection ctx={ctx} figures={figures} />}
      {earlyWarnings && <EarlyWarningSection ctx={ctx} warnings={earlyWarnings} />}
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
