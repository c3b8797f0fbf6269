// The audit log as a page: a filter form (operator, action, subject, dates,
// only changes to operator accounts), the entries newest first, paged by
// sequence number; changes to operator accounts are marked as warnings.
// Reading the log is itself audited, as through the API.
import type { AuditService } from '../audit/audit.service.ts';
import type { OperatorsService } from './operators.service.ts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { actorOf } from '../backoffice/auth.ts';
import { formatDateTime, isoDate } from '../http/format.ts';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import {
  auditActions,
  isAuditAction,
  isOperatorChangeAction,
  operatorChangeActions,
  type AuditAction,
  type AuditDetails,
  type AuditEntry,
} from '../audit/audit.events.ts';
import type { AuditFilter } from '../audit/audit.service.ts';
import { t } from '../shared/messages.ts';
import { isCalendarDate } from '../shared/text-input.ts';
import {
  backOfficeContext,
  ErrorSummary,
  fieldError,
  sendBackOfficePage,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import type { Operator } from './operators.service.ts';
import { ChangeMarker } from './operator-changes.views.tsx';

const pageSize = 50;

// ---------------------------------------------------------------------------
// Reading the filter form

const filterFields = ['actor', 'action', 'subjectType', 'subjectId', 'from', 'to'] as const;
type FilterField = (typeof filterFields)[number];
type FilterValues = Readonly<Record<FilterField, string>>;

const maxLengths: Record<FilterField, number> = {
  actor: 10,
  action: 60,
  subjectType: 40,
  subjectId: 100,
  from: 10,
  to: 10,
};

const day = 24 * 60 * 60 * 1000;

/**
 * The start of a calendar day in Western Indonesian Time (UTC+7, no daylight
 * saving), the zone every back-office time is shown in; null for a date that
 * does not exist (2026-02-30).
 */
function startOfDay(value: string): Date | null {
  return isCalendarDate(value) ? new Date(`${value}T00:00:00+07:00`) : null;
}

interface ReadFilter {
  readonly values: FilterValues;
  /** Only changes to operator accounts (the checkbox `operatorChanges`). */
  readonly operatorChanges: boolean;
  readonly filter: Omit<AuditFilter, 'limit' | 'before'>;
  readonly before: number | undefined;
  readonly errors: readonly FormError[];
}

function positiveInt(value: string): number | undefined {
  return /^\d{1,10}$/.test(value) && Number(value) > 0 && Number(value) < 2 ** 31
    ? Number(value)
    : undefined;
}

/** Empty fields (a submitted form sends them all) mean "any". */
function readFilter(ctx: PageContext, query: Record<string, unknown>): ReadFilter {
  const text = (name: string, max: number) => {
    const raw = query[name];
    return typeof raw === 'string' ? raw.trim().slice(0, max) : '';
  };
  const values = Object.fromEntries(filterFields.map((f) => [f, text(f, maxLengths[f])])) as Record<
    FilterField,
    string
  >;
  const errors: FormError[] = [];
  const fail = (field: FilterField, key: Parameters<typeof t>[1]) =>
    errors.push({ field, message: t(ctx.lang, key) });

  const actorId = values.actor ? positiveInt(values.actor) : undefined;
  if (values.actor && actorId === undefined) fail('actor', 'admin.audit.actor.invalid');
  if (values.action && !isAuditAction(values.action)) fail('action', 'admin.audit.action.invalid');
  const from = values.from ? startOfDay(values.from) : null;
  const toStart = values.to ? startOfDay(values.to) : null;
  if (values.from && !from) fail('from', 'admin.audit.date.invalid');
  if (values.to && !toStart) fail('to', 'admin.audit.date.invalid');
  if (from && toStart && from > toStart) fail('from', 'audit.range_invalid');
  const before = positiveInt(text('before', 12));
  const operatorChanges = text('operatorChanges', 2) === 'on';

  return {
    values,
    operatorChanges,
    before,
    errors,
    filter: {
      actorId,
      action: values.action || undefined,
      actions: operatorChanges ? operatorChangeActions : undefined,
      subjectType: values.subjectType || undefined,
      subjectId: values.subjectId || undefined,
      from: from ?? undefined,
      // The whole "to" day counts: entries before the start of the next one.
      to: toStart ? new Date(toStart.getTime() + day) : undefined,
    },
  };
}

/** The page's own address for these filters (and a page of older entries). */
function auditUrl(ctx: PageContext, read: ReadFilter, before?: number): string {
  const query = new URLSearchParams();
  for (const field of filterFields) if (read.values[field]) query.set(field, read.values[field]);
  if (read.operatorChanges) query.set('operatorChanges', 'on');
  if (before !== undefined) query.set('before', String(before));
  const text = query.toString();
  return href(ctx, text ? `${adminPaths.audit}?${text}` : adminPaths.audit);
}

// ---------------------------------------------------------------------------
// The page

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

function SelectField({
  id,
  label,
  error,
  children,
}: {
  id: string;
  label: string;
  error: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span>{error}</span>
        </p>
      )}
      <select
        id={id}
        name={id}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {children}
      </select>
    </div>
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
    <div class="field">
      <label for={id}>{label}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span>{error}</span>
        </p>
      )}
      <input
        type={type}
        id={id}
        name={id}
        value={value}
        spellcheck={false}
        autocomplete="off"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </div>
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

function AuditPage({ ctx, read, operators, entries, next }: AuditPageProps) {
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

/** What the viewer asked for, for the `audit.viewed` entry (as the API records it). */
function viewedDetails(read: ReadFilter): Record<string, string> {
  const details: Record<string, string> = {};
  for (const field of filterFields) if (read.values[field]) details[field] = read.values[field];
  if (read.operatorChanges) details.operatorChanges = 'on';
  if (read.before !== undefined) details.before = String(read.before);
  return details;
}

export interface AuditPagesOptions {
  readonly audit: AuditService;
  readonly operators: OperatorsService;
}

export const auditPages: FastifyPluginAsync<AuditPagesOptions> = (app, options) => {
  const { audit, operators } = options;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    adminPaths.audit,
    { config: { permission: 'audit.read', page: true }, schema: { hide: true } },
    async (request: FastifyRequest, reply) => {
      const ctx = backOfficeContext(request);
      const read = readFilter(ctx, (request.query ?? {}) as Record<string, unknown>);
      const everyone = await operators.list();
      let entries: AuditEntry[] = [];
      if (read.errors.length === 0) {
        entries = await audit.list({ ...read.filter, before: read.before, limit: pageSize });
        await audit.recordAlone({
          actor: actorOf(request),
          action: 'audit.viewed',
          ip: request.ip,
          details: viewedDetails(read),
        });
      }
      return sendBackOfficePage(
        reply,
        ctx,
        { title: t(ctx.lang, 'admin.audit.title'), status: read.errors.length > 0 ? 400 : 200 },
        <AuditPage
          ctx={ctx}
          read={read}
          operators={everyone}
          entries={entries}
          next={entries.length === pageSize ? (entries.at(-1)?.seq ?? null) : null}
        />,
      );
    },
  );

  return Promise.resolve();
};
