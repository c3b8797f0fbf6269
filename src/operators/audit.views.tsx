// The audit log as views: the filter form (operator, action, subject, dates,
// only changes to operator accounts) and the entries newest first, with a
// pager; changes to operator accounts are marked as warnings.
import type { ComponentChildren } from 'preact';
import { formatDateTime, isoDate } from '../http/format.ts';
import { href, translator, type PageContext } from '../http/layout.tsx';
import {
  auditActions,
  isAuditAction,
  isOperatorChangeAction,
  type AuditAction,
  type AuditDetails,
  type AuditEntry,
} from '../audit/audit.service.ts';
import { t } from '../shared/messages.ts';
import {
  ErrorSummary,
  fieldError,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import type { Operator } from './operators.service.ts';
import { ChangeMarker } from './operator-changes.views.tsx';
import { auditUrl, type FilterField, type FilterValues, type ReadFilter } from './audit.form.ts';

function actionLabel(ctx: PageContext, action: string): string {
  return isAuditAction(action) ? t(ctx.lang, `admin.audit.action.${action}`) : action;
}

const actionList = Object.keys(auditActions) as AuditAction[];

interface FilterFormProps {
  readonly ctx: BackOfficeContext;
  readonly values: FilterValues;
  readonly operatorChanges: boolean;
  readonly operators: readonly Operator[];
  readonly errors: readonly FormError[];
}

interface FrameProps {
  readonly id: string;
  readonly label: string;
  readonly error: string | undefined;
  readonly children: ComponentChildren;
}

/** A filter's label and its message; the control comes as children. */
function FilterFrame({ id, label, error, children }: FrameProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span>{error}</span>
        </p>
      )}
      {children}
    </div>
  );
}

/** Ties a control to its message, when there is one. */
function describedBy(id: string, error: string | undefined) {
  return {
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': error ? `${id}-error` : undefined,
  };
}

function SelectField({ id, label, error, children }: FrameProps) {
  return (
    <FilterFrame id={id} label={label} error={error}>
      <select id={id} name={id} {...describedBy(id, error)}>
        {children}
      </select>
    </FilterFrame>
  );
}

function FilterInput({
  id,
  label,
  type,
  value,
  error,
}: {
  id: FilterField;
  label: string;
  type: 'text' | 'date';
  value: string;
  error: string | undefined;
}) {
  return (
    <FilterFrame id={id} label={label} error={error}>
      <input
        type={type}
        id={id}
        name={id}
        value={value}
        spellcheck={false}
        autocomplete="off"
        {...describedBy(id, error)}
      />
    </FilterFrame>
  );
}

function FilterForm({ ctx, values, operatorChanges, operators, errors }: FilterFormProps) {
  const tr = translator(ctx);
  return (
    <form class="card filter-form" method="get" action={adminPaths.audit}>
      <h2 class="form-title">{tr('admin.audit.filter')}</h2>
      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <div class="filter-grid">
        <SelectField
          id="actor"
          label={tr('admin.audit.operator')}
          error={fieldError(errors, 'actor')}
        >
          <option value="">{tr('admin.audit.any.actor')}</option>
          {operators.map((o) => (
            <option key={o.id} value={String(o.id)} selected={values.actor === String(o.id)}>
              {o.email}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="action"
          label={tr('admin.audit.action')}
          error={fieldError(errors, 'action')}
        >
          <option value="">{tr('admin.audit.any.action')}</option>
          {actionList.map((action) => (
            <option key={action} value={action} selected={values.action === action}>
              {`${actionLabel(ctx, action)} (${action})`}
            </option>
          ))}
        </SelectField>
        <FilterInput
          id="subjectType"
          type="text"
          label={tr('admin.audit.subjectType')}
          value={values.subjectType}
          error={fieldError(errors, 'subjectType')}
        />
        <FilterInput
          id="subjectId"
          type="text"
          label={tr('admin.audit.subjectId')}
          value={values.subjectId}
          error={fieldError(errors, 'subjectId')}
        />
        <FilterInput
          id="from"
          type="date"
          label={tr('admin.audit.from')}
          value={values.from}
          error={fieldError(errors, 'from')}
        />
        <FilterInput
          id="to"
          type="date"
          label={tr('admin.audit.to')}
          value={values.to}
          error={fieldError(errors, 'to')}
        />
      </div>
      <p class="hint">{tr('admin.audit.dates.hint')}</p>
      <div class="choices-list">
        <label class="choice" for="operatorChanges">
          <input
            type="checkbox"
            id="operatorChanges"
            name="operatorChanges"
            value="on"
            checked={operatorChanges}
          />
          <span>
            <span class="choice-name">{tr('admin.audit.operatorChanges')}</span>
            <span class="choice-hint">{tr('admin.audit.operatorChanges.hint')}</span>
          </span>
        </label>
      </div>
      <div class="button-row">
        <button type="submit" class="button">
          {tr('admin.audit.apply')}
        </button>
        <a class="button button-secondary" href={href(ctx, adminPaths.audit)}>
          {tr('admin.audit.clear')}
        </a>
      </div>
    </form>
  );
}

function detailText(value: AuditDetails[string]): string {
  if (value === null) return '—';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

function Entry({ ctx, entry }: { ctx: PageContext; entry: AuditEntry }) {
  const tr = translator(ctx);
  const details = Object.entries(entry.details);
  const flagged = entry.outcome !== 'success';
  const change = isOperatorChangeAction(entry.action);
  const recordClass = change
    ? 'record record-change'
    : flagged
      ? 'record record-flagged'
      : 'record';
  return (
    <li class={recordClass}>
      <h3 class="record-title">
        {change && (
          <>
            <ChangeMarker ctx={ctx} />{' '}
          </>
        )}
        {actionLabel(ctx, entry.action)}
        <span class="small">{` · #${entry.seq}`}</span>
      </h3>
      <dl class="details">
        <dt>{tr('admin.audit.at')}</dt>
        <dd>
          <time datetime={isoDate(entry.at)}>{formatDateTime(ctx.lang, entry.at)}</time>
        </dd>
        <dt>{tr('admin.audit.actor')}</dt>
        <dd>
          {entry.actorLabel}
          <span class="small">{` (${tr(`admin.audit.actorType.${entry.actorType}`)}${entry.actorId === null ? '' : ` #${entry.actorId}`})`}</span>
        </dd>
        <dt>{tr('admin.audit.action')}</dt>
        <dd>
          <code>{entry.action}</code>
        </dd>
        <dt>{tr('admin.audit.subject')}</dt>
        <dd>
          {entry.subjectType && entry.subjectId ? (
            <code>{`${entry.subjectType}:${entry.subjectId}`}</code>
          ) : (
            '—'
          )}
        </dd>
        <dt>{tr('admin.audit.ip')}</dt>
        <dd>{entry.ip ?? '—'}</dd>
        <dt>{tr('admin.audit.outcome')}</dt>
        <dd>
          <span class={`badge badge-${flagged ? 'warn' : 'ok'}`}>
            {tr(`admin.audit.outcome.${entry.outcome}`)}
          </span>
        </dd>
        {details.length > 0 && (
          <>
            <dt>{tr('admin.audit.details')}</dt>
            <dd>
              <dl class="audit-details">
                {details.map(([key, value]) => (
                  <div key={key}>
                    <dt>{key}</dt>
                    <dd>{detailText(value)}</dd>
                  </div>
                ))}
              </dl>
            </dd>
          </>
        )}
      </dl>
    </li>
  );
}

interface AuditPageProps {
  readonly ctx: BackOfficeContext;
  readonly read: ReadFilter;
  readonly operators: readonly Operator[];
  readonly entries: readonly AuditEntry[];
  readonly next: number | null;
}

export function AuditPage({ ctx, read, operators, entries, next }: AuditPageProps) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('admin.audit.title')}</h1>
      <p class="lead">{tr('admin.audit.lead')}</p>
      <ErrorSummary ctx={ctx} errors={read.errors} />
      <FilterForm
        ctx={ctx}
        values={read.values}
        operatorChanges={read.operatorChanges}
        operators={operators}
        errors={read.errors}
      />
      {read.errors.length === 0 && (
        <section aria-labelledby="entries-title">
          <h2 id="entries-title">{tr('admin.audit.entries')}</h2>
          {entries.length === 0 ? (
            <p>{tr('admin.audit.none')}</p>
          ) : (
            <ol class="records audit-entries">
              {entries.map((entry) => (
                <Entry key={entry.seq} ctx={ctx} entry={entry} />
              ))}
            </ol>
          )}
          <nav class="pager" aria-label={tr('admin.audit.pages')}>
            {read.before !== undefined && (
              <a href={auditUrl(ctx, read)}>{tr('admin.audit.newest')}</a>
            )}
            {next !== null && <a href={auditUrl(ctx, read, next)}>{tr('admin.audit.older')}</a>}
          </nav>
        </section>
      )}
    </>
  );
}
