// Operator changes as views: the admins' dashboard card that warns about
// recent changes to operator accounts (who created, enabled, reset or
// re-roled whom), the marker the audit viewer shares, and the page where a
// second admin approves or rejects the changes waiting for one.
import { Time } from '../backoffice/time.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { WarningIcon } from '../http/icons.tsx';
import { t, tCount } from '../shared/messages.ts';
import { CsrfField, Notice, roleName, type BackOfficeContext } from '../backoffice/layout.tsx';
import { adminPaths, operatorPath } from '../backoffice/paths.ts';
import type { OperatorChangeWarning, OperatorChangeWarnings } from './dashboard.service.ts';
import type { ChangeRequest } from './operator-changes.service.ts';
import type { ChangeNotice } from './operator-changes.form.ts';

/** The audit viewer showing only operator changes. */
export const operatorChangesAuditPath = `${adminPaths.audit}?operatorChanges=on`;

/** A marker that reads the same with and without colour: an icon and a word. */
export function ChangeMarker({ ctx }: { ctx: PageContext }) {
  return (
    <span class="badge badge-warn badge-change">
      <WarningIcon />
      {t(ctx.lang, 'admin.changes.marker')}
    </span>
  );
}

// ---------------------------------------------------------------------------
// The dashboard card

function WarningLine({ ctx, warning }: { ctx: PageContext; warning: OperatorChangeWarning }) {
  const tr = translator(ctx);
  const operator =
    warning.operatorEmail ?? (warning.operatorId === null ? '—' : `#${warning.operatorId}`);
  return (
    <li class="record record-change">
      <p class="record-title">
        <ChangeMarker ctx={ctx} />{' '}
        {tr(`admin.changes.line.${warning.action}`, { by: warning.by, operator })}
      </p>
      {warning.requestedBy && (
        <p class="small">{tr('admin.changes.requestedBy', { email: warning.requestedBy })}</p>
      )}
      <p class="small">
        <Time ctx={ctx} date={warning.at} />
        {' · '}
        {warning.operatorId === null ? (
          `#${warning.seq}`
        ) : (
          <a href={href(ctx, operatorPath(warning.operatorId))}>{operator}</a>
        )}
      </p>
    </li>
  );
}

/** Recent changes to operator accounts, for the admins' dashboard. */
export function OperatorChangesCard({
  ctx,
  warnings,
}: {
  ctx: BackOfficeContext;
  warnings: OperatorChangeWarnings;
}) {
  const tr = translator(ctx);
  const { days, recent, total, pendingApprovals } = warnings;
  return (
    <section class="card" aria-labelledby="operator-changes-title" id="operator-changes">
      <h2 id="operator-changes-title">{tr('admin.changes.title')}</h2>
      {pendingApprovals > 0 && (
        <div class="notice notice-caution">
          <WarningIcon />
          <div>
            <p>
              <a href={href(ctx, adminPaths.operatorChanges)}>
                {tCount(ctx.lang, 'admin.changes.pending', pendingApprovals)}
              </a>
            </p>
          </div>
        </div>
      )}
      <p class="hint">{tr('admin.changes.lead', { days })}</p>
      {recent.length === 0 ? (
        <p>{tr('admin.changes.none', { days })}</p>
      ) : (
        <ul class="records">
          {recent.map((warning) => (
            <WarningLine key={warning.seq} ctx={ctx} warning={warning} />
          ))}
        </ul>
      )}
      {total > recent.length && (
        <p>{tCount(ctx.lang, 'admin.changes.more', total - recent.length)}</p>
      )}
      <p>
        <a href={href(ctx, operatorChangesAuditPath)}>{tr('admin.changes.toAudit')}</a>
      </p>
    </section>
  );
}

// ---------------------------------------------------------------------------
// The requests page

function requestTitle(ctx: PageContext, request: ChangeRequest): string {
  return t(ctx.lang, `admin.changes.kind.${request.kind}`, { email: request.email ?? '—' });
}

function DecisionForms({ ctx, request }: { ctx: BackOfficeContext; request: ChangeRequest }) {
  const tr = translator(ctx);
  const me = ctx.session?.operator.id;
  const path = `${adminPaths.operatorChanges}/${request.id}`;
  const mine = request.requestedBy.id === me;
  if (request.operatorId === me && !mine) return <Notice>{tr('admin.changes.yourAccount')}</Notice>;
  return (
    <div class="button-row">
      {mine ? (
        <p class="hint">{tr('admin.changes.yours')}</p>
      ) : (
        <form method="post" action={href(ctx, `${path}/setujui`)}>
          <CsrfField ctx={ctx} />
          <button type="submit" class="button">
            {tr('admin.changes.approve')}
          </button>
        </form>
      )}
      <form method="post" action={href(ctx, `${path}/tolak`)}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button-secondary">
          {tr(mine ? 'admin.changes.withdraw' : 'admin.changes.reject')}
        </button>
      </form>
    </div>
  );
}

function RequestEntry({ ctx, request }: { ctx: BackOfficeContext; request: ChangeRequest }) {
  const tr = translator(ctx);
  return (
    <li class="record record-change" id={`request-${request.id}`}>
      <h3 class="record-title">
        {requestTitle(ctx, request)}
        <span class="small">{` · #${request.id}`}</span>
      </h3>
      <dl class="details">
        {request.roles && (
          <>
            <dt>{tr('admin.operator.roles')}</dt>
            <dd>{request.roles.map((role) => roleName(ctx, role)).join(', ')}</dd>
          </>
        )}
        <dt>{tr('admin.changes.requestedByLabel')}</dt>
        <dd>
          {request.requestedBy.email}, <Time ctx={ctx} date={request.requestedAt} />
        </dd>
        <dt>{tr('admin.operator.status')}</dt>
        <dd>
          <span class={`badge badge-${request.status === 'pending' ? 'warn' : 'ok'}`}>
            {tr(`admin.changes.status.${request.status}`)}
          </span>
        </dd>
        {request.decidedBy && request.decidedAt && (
          <>
            <dt>{tr('admin.changes.decidedBy')}</dt>
            <dd>
              {request.decidedBy.email}, <Time ctx={ctx} date={request.decidedAt} />
              {request.reason && ` — ${request.reason}`}
            </dd>
          </>
        )}
      </dl>
      {request.status === 'pending' && <DecisionForms ctx={ctx} request={request} />}
    </li>
  );
}

export function RequestsPage({
  ctx,
  pending,
  decided,
  info,
  needApproval,
}: {
  ctx: BackOfficeContext;
  pending: readonly ChangeRequest[];
  decided: readonly ChangeRequest[];
  info: ChangeNotice | null;
  needApproval: boolean;
}) {
  const tr = translator(ctx);
  return (
    <>
      <p class="breadcrumb">
        <a href={href(ctx, adminPaths.operators)}>{tr('admin.operators.back')}</a>
      </p>
      <h1>{tr('admin.changes.requests')}</h1>
      {info && <Notice>{tr(`admin.changes.info.${info}`)}</Notice>}
      <p class="lead">
        {tr(needApproval ? 'admin.changes.requests.lead' : 'admin.changes.requests.off')}
      </p>
      <section aria-labelledby="pending-title">
        <h2 id="pending-title">{tr('admin.changes.status.pending')}</h2>
        {pending.length === 0 ? (
          <p>{tr('admin.changes.requests.none')}</p>
        ) : (
          <ol class="records">
            {pending.map((request) => (
              <RequestEntry key={request.id} ctx={ctx} request={request} />
            ))}
          </ol>
        )}
      </section>
      {decided.length > 0 && (
        <section aria-labelledby="decided-title">
          <h2 id="decided-title">{tr('admin.changes.decided')}</h2>
          <ol class="records">
            {decided.map((request) => (
              <RequestEntry key={request.id} ctx={ctx} request={request} />
            ))}
          </ol>
        </section>
      )}
    </>
  );
}
