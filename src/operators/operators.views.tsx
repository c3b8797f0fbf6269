// Operator management as views: the list of operators, the form that
// creates one, and one operator with what can be done to them (roles,
// disable/enable, password and TOTP resets).
import { Time } from '../backoffice/time.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import {
  CsrfField,
  ErrorSummary,
  Field,
  fieldError,
  Notice,
  roleName,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, operatorPath } from '../backoffice/paths.ts';
import type { Operator } from './operators.service.ts';
import { roles, type Role } from './policy.ts';
import type { OperatorNotice } from './operators.form.ts';

export function rolesText(ctx: PageContext, held: readonly Role[]): string {
  return held.map((role) => roleName(ctx, role)).join(', ');
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

export function OperatorsPage({
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
// Operators: create

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

export function NewOperatorPage({ ctx, email, checked, errors }: NewOperatorProps) {
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

export function OperatorPage({
  ctx,
  operator,
  info,
  errors,
  checked,
  needApproval,
}: OperatorPageProps) {
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
