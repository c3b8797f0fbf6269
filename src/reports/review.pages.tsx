// The reviewer's pages: the queue of reports (filters, reports on one account
// side by side, oldest first, flags in words, who holds a claim) and a report
// in full, with the claim and the decision as forms. Every read and change
// goes through ReportsService as the signed-in operator (actorOf), so it is
// audited like the API's; evidence is shown through /admin/berkas/:id, which
// checks and audits each file like the API's file route.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cleanMultiLine, isCalendarDate, rowId, safeString } from '../shared/text-input.ts';
import type { AccountRef } from '../shared/account-number.ts';
import { resultPath } from '../accounts/accounts.form.ts';
import { categoryCodes, categoryName, isCategoryCode } from '../shared/categories.ts';
import { providers, type Provider } from '../shared/providers.ts';
import type { ReportStatus } from '../db/schema.ts';
import type { FileRecord } from '../files/files.service.ts';
import { actorOf } from '../backoffice/auth.ts';
import { formatAccountNumber, formatDate, providerLongName } from '../http/format.ts';
import { ClockIcon, WarningIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import type { Actor } from '../operators/operators.service.ts';
import {
  backOfficeContext,
  CsrfField,
  ErrorSummary,
  fieldError,
  Notice,
  redirectTo,
  sendBackOfficePage,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, filePath, reportPath } from '../backoffice/paths.ts';
import { formErrorsOf } from '../backoffice/form-errors.ts';
import { Time } from '../backoffice/time.tsx';
import { isAppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { problemTitle, t, tCount, type MessageKey } from '../shared/messages.ts';
import type { FileAccess } from '../files/files.access.ts';
import { sendStoredFile } from '../files/stored-file.http.ts';
import { viewerOf } from '../backoffice/auth.ts';
import type { Clock } from '../shared/clock.ts';
import type { OperatorsService } from '../operators/operators.service.ts';
import {
  reasonLabel,
  rejectReasons,
  verifyReasons,
  type DecisionReason,
  type ReportDetail,
  type ReportsService,
} from './reports.service.ts';
import type { QueueFilter, QueueItem, ReportRecord } from './reports.service.ts';

const pageSize = 50;
const day = 24 * 60 * 60 * 1000;
const maxNoteLength = 2000;

const reportStatuses: readonly ReportStatus[] = [
  'submitted',
  'in_review',
  'verified',
  'rejected',
  'normalized',
];
const openStatuses: readonly ReportStatus[] = ['submitted', 'in_review'];

// ---------------------------------------------------------------------------
// Shared bits

const rupiahFormats: Record<Lang, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', {
    style: 'currency',
    currency: 'IDR',
    maximumFractionDigits: 0,
  }),
  en: new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: 'IDR',
    currencyDisplay: 'narrowSymbol',
    maximumFractionDigits: 0,
  }),
};

/** "Rp 1.500.000" / "Rp 1,500,000". */
function formatRupiah(lang: Lang, amount: number): string {
  return rupiahFormats[lang].format(amount);
}

/** Whole days since the report came in: how long the reporter has been waiting. */
function ageDays(createdAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / day));
}

function ageText(lang: Lang, createdAt: Date, now: Date): string {
  const days = ageDays(createdAt, now);
  return days === 0 ? t(lang, 'admin.review.age.today') : tCount(lang, 'admin.review.age', days);
}

function statusName(lang: Lang, status: ReportStatus): string {
  return t(lang, `admin.review.status.${status}`);
}

const statusTones: Record<ReportStatus, 'ok' | 'warn' | 'off'> = {
  submitted: 'warn',
  in_review: 'warn',
  verified: 'ok',
  rejected: 'off',
  normalized: 'off',
};

function StatusBadge({ ctx, status }: { ctx: PageContext; status: ReportStatus }) {
  return <span class={`badge badge-${statusTones[status]}`}>{statusName(ctx.lang, status)}</span>;
}

function categoryText(lang: Lang, code: string): string {
  return isCategoryCode(code) ? categoryName(code, lang) : code;
}

const flagKeys: Record<string, MessageKey> = {
  burst_client: 'admin.review.flag.burst_client',
  burst_email: 'admin.review.flag.burst_email',
  no_challenge: 'admin.review.flag.no_challenge',
};

function flagText(lang: Lang, reason: string): string {
  const key = flagKeys[reason];
  return key ? t(lang, key) : reason;
}

function FlagList({ ctx, reasons }: { ctx: PageContext; reasons: readonly string[] }) {
  return (
    <ul class="review-flags">
      {reasons.map((reason) => (
        <li key={reason}>
          <WarningIcon />
          <span>{flagText(ctx.lang, reason)}</span>
        </li>
      ))}
    </ul>
  );
}

interface AccountView {
  readonly provider: string;
  readonly number: string;
  /** The public result page; null for a provider this installation no longer lists. */
  readonly path: string | null;
}

function accountView(providerCode: string, number: string): AccountView {
  const provider: Provider | undefined = providers.byCode(providerCode);
  if (!provider) return { provider: providerCode, number, path: null };
  const ref: AccountRef = {
    provider,
    number,
    key: `${provider.code}:${number}`,
    unusualLength: false,
  };
  return {
    provider: providerLongName(ref),
    number: formatAccountNumber(ref),
    path: resultPath(ref),
  };
}

/** Operators by id, for "who holds the claim" and "who decided". */
type OperatorNames = ReadonlyMap<number, string>;

function operatorName(ctx: BackOfficeContext, names: OperatorNames, id: number): string {
  if (id === ctx.session?.operator.id) return t(ctx.lang, 'admin.review.claim.you');
  return names.get(id) ?? `#${id}`;
}

/** A claim that still keeps other reviewers off, or null. */
function activeClaim(
  record: { claimedBy: number | null; claimedUntil: Date | null },
  now: Date,
): { by: number; until: Date } | null {
  const { claimedBy, claimedUntil } = record;
  if (claimedBy === null || claimedUntil === null || claimedUntil <= now) return null;
  return { by: claimedBy, until: claimedUntil };
}

function ClaimText({
  ctx,
  names,
  record,
  now,
}: {
  ctx: BackOfficeContext;
  names: OperatorNames;
  record: { claimedBy: number | null; claimedUntil: Date | null };
  now: Date;
}) {
  const claim = activeClaim(record, now);
  if (!claim) return <>{t(ctx.lang, 'admin.review.claim.none')}</>;
  return (
    <>
      {`${operatorName(ctx, names, claim.by)}, ${t(ctx.lang, 'admin.review.claim.until')} `}
      <Time ctx={ctx} date={claim.until} />
    </>
  );
}

/** A notice named by `?info=` after a redirect, when it is one this page knows. */
function infoOf<K extends string>(request: FastifyRequest, known: readonly K[]): K | null {
  const info = (request.query as Record<string, unknown> | undefined)?.info;
  return known.find((k) => k === info) ?? null;
}

/** The actor of a page request: always an operator, so always with an id. */
function operatorActor(request: FastifyRequest): Actor & { id: number } {
  return actorOf(request) as Actor & { id: number };
}

// ---------------------------------------------------------------------------
// The queue: reading the filter form

const filterFields = ['status', 'category', 'provider', 'from', 'to', 'flagged'] as const;
type FilterField = (typeof filterFields)[number];
type FilterValues = Readonly<Record<FilterField, string>>;

const maxLengths: Record<FilterField, number> = {
  status: 20,
  category: 40,
  provider: 120,
  from: 10,
  to: 10,
  flagged: 1,
};

/**
 * The start of a calendar day in Western Indonesian Time (UTC+7, no daylight
 * saving), the zone every back-office date is meant in; null for a date that
 * does not exist (2026-02-30).
 */
function startOfDay(value: string): Date | null {
  return isCalendarDate(value) ? new Date(`${value}T00:00:00+07:00`) : null;
}

/** "014 · BCA — Bank Central Asia", "ovo · OVO": the chooser's labels start with the code. */
function providerLabel(provider: Provider): string {
  const name =
    provider.shortName === provider.name
      ? provider.name
      : `${provider.shortName} — ${provider.name}`;
  return `${provider.code} · ${name}`;
}

/** A code, an alias, a name or a chooser label. */
function resolveProvider(input: string): Provider | undefined {
  const beforeDot = input.split('·')[0]?.trim() ?? '';
  return providers.resolve(beforeDot) ?? providers.resolveLabel(input);
}

interface ReadFilter {
  readonly values: FilterValues;
  readonly filter: Omit<QueueFilter, 'limit' | 'offset'>;
  readonly page: number;
  readonly errors: readonly FormError[];
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
  const fail = (field: FilterField, key: MessageKey) =>
    errors.push({ field, message: t(ctx.lang, key) });

  const status = reportStatuses.find((s) => s === values.status);
  if (values.status && !status) fail('status', 'admin.review.filter.status.invalid');
  if (values.category && !isCategoryCode(values.category)) {
    fail('category', 'admin.review.filter.category.invalid');
  }
  const provider = values.provider ? resolveProvider(values.provider) : undefined;
  if (values.provider && !provider) fail('provider', 'admin.review.filter.provider.invalid');
  const from = values.from ? startOfDay(values.from) : null;
  const toStart = values.to ? startOfDay(values.to) : null;
  if (values.from && !from) fail('from', 'admin.review.filter.date.invalid');
  if (values.to && !toStart) fail('to', 'admin.review.filter.date.invalid');
  if (from && toStart && from > toStart) fail('from', 'admin.review.filter.range.invalid');
  const pageText = text('page', 6);
  const page = /^\d{1,5}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;

  return {
    values,
    page,
    errors,
    filter: {
      status,
      category: values.category || undefined,
      provider: provider?.code,
      from: from ?? undefined,
      // The whole "to" day counts: reports before the start of the next one.
      to: toStart ? new Date(toStart.getTime() + day) : undefined,
      flagged: values.flagged === '1' ? true : undefined,
    },
  };
}

/** The queue's own address for these filters and page. */
function queueUrl(ctx: PageContext, values: Partial<FilterValues>, page = 1): string {
  const query = new URLSearchParams();
  for (const field of filterFields) {
    const value = values[field];
    if (value) query.set(field, value);
  }
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return href(ctx, text ? `${adminPaths.reports}?${text}` : adminPaths.reports);
}

// ---------------------------------------------------------------------------
// The queue: the page

function FieldErrorText({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      <span>{message}</span>
    </p>
  );
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
      <FieldErrorText id={id} message={error} />
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
  hint,
  list,
}: {
  id: FilterField;
  label: string;
  type: 'text' | 'date';
  value: string;
  error: string | undefined;
  hint?: string;
  list?: string;
}) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean);
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldErrorText id={id} message={error} />
      <input
        type={type}
        id={id}
        name={id}
        value={value}
        list={list}
        spellcheck={false}
        autocomplete="off"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described.length > 0 ? described.join(' ') : undefined}
      />
    </div>
  );
}

const providerLabels = providers.all.map(providerLabel);

function QueueFilterForm({
  ctx,
  values,
  errors,
}: {
  ctx: BackOfficeContext;
  values: FilterValues;
  errors: readonly FormError[];
}) {
  const tr = translator(ctx);
  return (
    <form class="card filter-form" method="get" action={adminPaths.reports}>
      <h2 class="form-title">{tr('admin.review.filter')}</h2>
      {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
      <div class="filter-grid">
        <SelectField
          id="status"
          label={tr('admin.review.status')}
          error={fieldError(errors, 'status')}
        >
          <option value="">{tr('admin.review.filter.status.open')}</option>
          {reportStatuses.map((status) => (
            <option key={status} value={status} selected={values.status === status}>
              {statusName(ctx.lang, status)}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="category"
          label={tr('admin.review.category')}
          error={fieldError(errors, 'category')}
        >
          <option value="">{tr('admin.review.filter.category.any')}</option>
          {categoryCodes.map((code) => (
            <option key={code} value={code} selected={values.category === code}>
              {categoryName(code, ctx.lang)}
            </option>
          ))}
        </SelectField>
        <FilterInput
          id="provider"
          type="text"
          label={tr('admin.review.provider')}
          hint={tr('admin.review.filter.provider.hint')}
          value={values.provider}
          list="provider-list"
          error={fieldError(errors, 'provider')}
        />
        <FilterInput
          id="from"
          type="date"
          label={tr('admin.review.filter.from')}
          value={values.from}
          error={fieldError(errors, 'from')}
        />
        <FilterInput
          id="to"
          type="date"
          label={tr('admin.review.filter.to')}
          value={values.to}
          error={fieldError(errors, 'to')}
        />
        <div class="field review-flagged-field">
          <label class="choice" for="flagged">
            <input
              type="checkbox"
              id="flagged"
              name="flagged"
              value="1"
              checked={!!values.flagged}
            />
            <span>{tr('admin.review.filter.flagged')}</span>
          </label>
        </div>
      </div>
      <datalist id="provider-list">
        {providerLabels.map((label) => (
          <option key={label} value={label} />
        ))}
      </datalist>
      <p class="hint">{tr('admin.review.filter.dates.hint')}</p>
      <div class="button-row">
        <button type="submit" class="button">
          {tr('admin.review.filter.apply')}
        </button>
        <a class="button button-secondary" href={href(ctx, adminPaths.reports)}>
          {tr('admin.review.filter.clear')}
        </a>
      </div>
    </form>
  );
}

/** Consecutive reports on one account (the queue already orders them so). */
function groupByAccount(items: readonly QueueItem[]): QueueItem[][] {
  const groups: QueueItem[][] = [];
  for (const item of items) {
    const last = groups.at(-1);
    if (last && last[0]!.accountId === item.accountId) last.push(item);
    else groups.push([item]);
  }
  return groups;
}

interface QueueView {
  readonly ctx: BackOfficeContext;
  readonly names: OperatorNames;
  readonly now: Date;
}

function QueueEntry({ view, item }: { view: QueueView; item: QueueItem }) {
  const { ctx, names, now } = view;
  const tr = translator(ctx);
  return (
    <li class={item.flagged ? 'record record-flagged' : 'record'}>
      <h4 class="record-title">
        <a href={href(ctx, reportPath(item.id))}>
          {`#${item.id} · ${categoryText(ctx.lang, item.category)}`}
        </a>
      </h4>
      <dl class="details review-facts">
        <dt>{tr('admin.review.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={item.status} />
        </dd>
        <dt>{tr('admin.review.age')}</dt>
        <dd>
          <strong>{ageText(ctx.lang, item.createdAt, now)}</strong>
          <span class="small">
            {' · '}
            <Time ctx={ctx} date={item.createdAt} />
          </span>
        </dd>
        <dt>{tr('admin.review.holderName')}</dt>
        <dd>{item.holderName ?? '—'}</dd>
        <dt>{tr('admin.review.amount')}</dt>
        <dd>{item.amount === null ? '—' : formatRupiah(ctx.lang, item.amount)}</dd>
        {item.flagged && (
          <>
            <dt>{tr('admin.review.flagged')}</dt>
            <dd>
              <FlagList ctx={ctx} reasons={item.flagReasons} />
            </dd>
          </>
        )}
        <dt>{tr('admin.review.claim')}</dt>
        <dd>
          <ClaimText ctx={ctx} names={names} record={item} now={now} />
        </dd>
      </dl>
    </li>
  );
}

function AccountGroup({ view, items }: { view: QueueView; items: readonly QueueItem[] }) {
  const { ctx } = view;
  const first = items[0]!;
  const account = accountView(first.provider, first.number);
  const headingId = `account-${first.accountId}`;
  return (
    <li class="review-group" aria-labelledby={headingId}>
      <h3 class="review-account" id={headingId}>
        <span>{account.provider}</span> <span class="review-number">{account.number}</span>
      </h3>
      <p class="hint-inline">
        {tCount(ctx.lang, 'admin.review.accountReports', first.accountReports)}
      </p>
      <ol class="records review-items">
        {items.map((item) => (
          <QueueEntry key={item.id} view={view} item={item} />
        ))}
      </ol>
    </li>
  );
}

interface QueuePageProps {
  readonly view: QueueView;
  readonly read: ReadFilter;
  readonly items: readonly QueueItem[];
  readonly counts: { submitted: number; inReview: number };
  /** Set after "take the next report" found the queue empty. */
  readonly empty: boolean;
}

function QueueCounts({
  ctx,
  counts,
}: {
  ctx: BackOfficeContext;
  counts: QueuePageProps['counts'];
}) {
  const tr = translator(ctx);
  return (
    <dl class="queue-counts review-counts">
      <div>
        <dt>{tr('admin.queue.submitted')}</dt>
        <dd>
          <a href={queueUrl(ctx, { status: 'submitted' })}>{counts.submitted}</a>
        </dd>
      </div>
      <div>
        <dt>{tr('admin.queue.inReview')}</dt>
        <dd>
          <a href={queueUrl(ctx, { status: 'in_review' })}>{counts.inReview}</a>
        </dd>
      </div>
    </dl>
  );
}

function QueuePage({ view, read, items, counts, empty }: QueuePageProps) {
  const { ctx } = view;
  const tr = translator(ctx);
  const hasNext = items.length === pageSize;
  return (
    <>
      <h1>{tr('admin.review.queue.title')}</h1>
      <p class="lead">{tr('admin.review.queue.lead')}</p>
      <section class="card" aria-labelledby="counts-title">
        <h2 id="counts-title" class="form-title">
          {tr('admin.review.queue.counts')}
        </h2>
        <QueueCounts ctx={ctx} counts={counts} />
        {empty && <Notice>{tr('admin.review.next.empty')}</Notice>}
        <ActionForm
          ctx={ctx}
          action={`${adminPaths.reports}/berikutnya`}
          label={tr('admin.review.next.label')}
          hint={tr('admin.review.next.hint')}
        />
      </section>
      <ErrorSummary ctx={ctx} errors={read.errors} />
      <QueueFilterForm ctx={ctx} values={read.values} errors={read.errors} />
      {read.errors.length === 0 && (
        <section aria-labelledby="reports-title">
          <h2 id="reports-title">
            {tr('admin.review.queue.reports')}
            {read.page > 1 && (
              <span class="small">{` · ${tr('admin.review.queue.page', { page: read.page })}`}</span>
            )}
          </h2>
          {items.length === 0 ? (
            <p>{tr('admin.review.queue.none')}</p>
          ) : (
            <ol class="review-groups">
              {groupByAccount(items).map((group) => (
                <AccountGroup key={`${group[0]!.id}`} view={view} items={group} />
              ))}
            </ol>
          )}
          <nav class="pager" aria-label={tr('admin.review.queue.pages')}>
            {read.page > 1 && (
              <a href={queueUrl(ctx, read.values, read.page - 1)}>
                {tr('admin.review.queue.previous')}
              </a>
            )}
            {hasNext && (
              <a href={queueUrl(ctx, read.values, read.page + 1)}>
                {tr('admin.review.queue.next')}
              </a>
            )}
          </nav>
        </section>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------
// One report

const reportNotices = ['claimed', 'released', 'verified', 'rejected'] as const;
type ReportNotice = (typeof reportNotices)[number];

/** The refusals a reviewer can run into on a stale page; shown on the report, not as an error page. */
const conflicts = ['already_decided', 'already_claimed'] as const;
type Conflict = (typeof conflicts)[number];

function isConflict(code: string): code is Conflict {
  return (conflicts as readonly string[]).includes(code);
}

interface DecisionForm {
  readonly decision: string;
  readonly reason: string;
  readonly note: string;
}

const emptyDecision: DecisionForm = { decision: '', reason: '', note: '' };

interface ReportView {
  readonly ctx: BackOfficeContext;
  readonly names: OperatorNames;
  readonly now: Date;
  readonly claimMinutes: number;
}

/** A fact of the report, or a dash when the reporter left it out. */
function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <>
      <dt>{label}</dt>
      <dd>{empty ? '—' : children}</dd>
    </>
  );
}

function incidentDateText(lang: Lang, value: string | null): string | null {
  const date = value ? startOfDay(value) : null;
  return date ? formatDate(lang, date) : value;
}

function StatusSection({ view, report }: { view: ReportView; report: ReportRecord }) {
  const { ctx, names, now } = view;
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="status-title">
      <h2 id="status-title">{tr('admin.review.report.state')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.status')}>
          <StatusBadge ctx={ctx} status={report.status} />
        </Fact>
        <Fact label={tr('admin.review.category')}>{categoryText(ctx.lang, report.category)}</Fact>
        <Fact label={tr('admin.review.received')}>
          <Time ctx={ctx} date={report.createdAt} />
          <span class="small">{` · ${ageText(ctx.lang, report.createdAt, now)}`}</span>
        </Fact>
        {report.ticket && (
          <Fact label={tr('admin.review.ticket')}>
            <code>{report.ticket}</code>
          </Fact>
        )}
        {report.flagged && (
          <Fact label={tr('admin.review.flagged')}>
            <FlagList ctx={ctx} reasons={report.flagReasons} />
          </Fact>
        )}
        {openStatuses.includes(report.status) && (
          <Fact label={tr('admin.review.claim')}>
            <ClaimText ctx={ctx} names={names} record={report} now={now} />
          </Fact>
        )}
        {report.decidedAt && (
          <>
            <Fact label={tr('admin.review.decidedBy')}>
              {report.decidedBy === null ? null : operatorName(ctx, names, report.decidedBy)}
              {', '}
              <Time ctx={ctx} date={report.decidedAt} />
            </Fact>
            <Fact label={tr('admin.review.reason')}>
              {report.decisionReason && reasonLabel(ctx.lang, report.decisionReason)}
            </Fact>
            <Fact label={tr('admin.review.note')}>
              {report.decisionNote && <span class="review-text">{report.decisionNote}</span>}
            </Fact>
          </>
        )}
      </dl>
      <ClaimForms view={view} report={report} />
    </section>
  );
}

function ActionForm({
  ctx,
  action,
  label,
  hint,
  secondary,
}: {
  ctx: BackOfficeContext;
  action: string;
  label: string;
  hint: string;
  secondary?: boolean;
}) {
  const hintId = `${action.split('/').at(-1)}-hint`;
  return (
    <form class="action-form" method="post" action={href(ctx, action)}>
      <CsrfField ctx={ctx} />
      <p class="hint" id={hintId}>
        {hint}
      </p>
      <button
        type="submit"
        class={secondary ? 'button button-secondary' : 'button'}
        aria-describedby={hintId}
      >
        {label}
      </button>
    </form>
  );
}

/** Claim (or renew one's own claim) and release; nothing once decided or while another holds it. */
function ClaimForms({ view, report }: { view: ReportView; report: ReportRecord }) {
  const { ctx, names, now, claimMinutes } = view;
  const tr = translator(ctx);
  if (!openStatuses.includes(report.status)) return null;
  const claim = activeClaim(report, now);
  const me = ctx.session?.operator.id;
  if (claim && claim.by !== me) {
    return (
      <div class="notice notice-caution">
        <ClockIcon />
        <div>
          <p>
            {tr('admin.review.claim.held', { operator: operatorName(ctx, names, claim.by) })}{' '}
            <Time ctx={ctx} date={claim.until} />
          </p>
        </div>
      </div>
    );
  }
  const mine = claim !== null || (report.claimedBy === me && report.status === 'in_review');
  return (
    <div class="review-actions">
      <ActionForm
        ctx={ctx}
        action={reportPath(report.id, 'klaim')}
        label={tr(mine ? 'admin.review.claim.renew' : 'admin.review.claim.take')}
        hint={tr('admin.review.claim.hint', { minutes: claimMinutes })}
      />
      {mine && (
        <ActionForm
          ctx={ctx}
          action={reportPath(report.id, 'lepas')}
          label={tr('admin.review.claim.release')}
          hint={tr('admin.review.claim.release.hint')}
          secondary
        />
      )}
    </div>
  );
}

function AccountSection({ ctx, report }: { ctx: BackOfficeContext; report: ReportRecord }) {
  const tr = translator(ctx);
  const account = accountView(report.provider, report.number);
  return (
    <section class="card" aria-labelledby="account-title">
      <h2 id="account-title">{tr('admin.review.report.account')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.provider')}>{account.provider}</Fact>
        <Fact label={tr('admin.review.number')}>
          <span class="review-number">{account.number}</span>
        </Fact>
        <Fact label={tr('admin.review.holderName')}>{report.holderName}</Fact>
      </dl>
      {account.path && (
        <p>
          <a href={href(ctx, account.path)}>{tr('admin.review.report.publicPage')}</a>
        </p>
      )}
    </section>
  );
}

function ReportedSection({ ctx, report }: { ctx: BackOfficeContext; report: ReportRecord }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="reported-title">
      <h2 id="reported-title">{tr('admin.review.report.reported')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.holderName')}>{report.holderName}</Fact>
        <Fact label={tr('admin.review.reported.phone')}>{report.reportedPhone}</Fact>
        <Fact label={tr('admin.review.reported.socials')}>{report.reportedSocials}</Fact>
        <Fact label={tr('admin.review.reported.website')}>
          {/* Text, not a link: a reviewer should not land on a fraud site by a slip of the finger. */}
          {report.reportedWebsite && <code>{report.reportedWebsite}</code>}
        </Fact>
      </dl>
    </section>
  );
}

function IncidentSection({ ctx, report }: { ctx: BackOfficeContext; report: ReportRecord }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="incident-title">
      <h2 id="incident-title">{tr('admin.review.report.incident')}</h2>
      <dl class="details">
        <Fact label={tr('admin.review.incident.date')}>
          {incidentDateText(ctx.lang, report.incidentDate)}
        </Fact>
        <Fact label={tr('admin.review.incident.time')}>{report.incidentTime}</Fact>
        <Fact label={tr('admin.review.amount')}>
          {report.amount === null ? null : formatRupiah(ctx.lang, report.amount)}
        </Fact>
        <Fact label={tr('admin.review.incident.platform')}>{report.platform}</Fact>
        <Fact label={tr('admin.review.incident.location')}>{report.locationDetails}</Fact>
        <Fact label={tr('admin.review.incident.city')}>{report.city}</Fact>
      </dl>
      <h3 id="chronology-title">{tr('admin.review.incident.chronology')}</h3>
      {report.chronology ? (
        <div class="review-text review-chronology" aria-labelledby="chronology-title">
          {report.chronology}
        </div>
      ) : (
        <p>—</p>
      )}
    </section>
  );
}

function ReporterSection({ ctx, detail }: { ctx: BackOfficeContext; detail: ReportDetail }) {
  const tr = translator(ctx);
  const reporter = detail.reporter;
  return (
    <section class="card" aria-labelledby="reporter-title">
      <h2 id="reporter-title">{tr('admin.review.report.reporter')}</h2>
      {reporter ? (
        <>
          <p class="hint">{tr('admin.review.reporter.audited')}</p>
          <dl class="details">
            <Fact label={tr('admin.review.reporter.name')}>{reporter.name}</Fact>
            <Fact label={tr('admin.review.reporter.email')}>
              <a href={`mailto:${reporter.email}`}>{reporter.email}</a>
            </Fact>
            <Fact label={tr('admin.review.reporter.phone')}>
              <a href={`tel:${reporter.phone.replace(/[^\d+]/g, '')}`}>{reporter.phone}</a>
            </Fact>
          </dl>
        </>
      ) : (
        <p>{tr('admin.review.reporter.none')}</p>
      )}
    </section>
  );
}

function fileSize(lang: Lang, bytes: number): string {
  return t(lang, 'admin.review.evidence.size', {
    size: Math.max(1, Math.ceil(bytes / 1024)).toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB'),
  });
}

function EvidenceItem({
  ctx,
  file,
  index,
}: {
  ctx: BackOfficeContext;
  file: FileRecord;
  index: number;
}) {
  const tr = translator(ctx);
  const label = tr('admin.review.evidence.item', { n: index + 1 });
  const name = file.originalName ? `${label}: ${file.originalName}` : label;
  if (file.mime === 'application/pdf') {
    return (
      <li class="review-evidence-file">
        <a href={filePath(file.id)}>{name}</a>
        <span class="small">{` (${tr('admin.review.evidence.pdf')}, ${fileSize(ctx.lang, file.size)})`}</span>
      </li>
    );
  }
  return (
    <li class="review-evidence-image">
      <figure>
        <a href={filePath(file.id)}>
          <img src={filePath(file.id)} alt={name} loading="lazy" />
        </a>
        <figcaption>
          {name}
          <span class="small">{` (${fileSize(ctx.lang, file.size)})`}</span>
        </figcaption>
      </figure>
    </li>
  );
}

function EvidenceSection({ ctx, files }: { ctx: BackOfficeContext; files: readonly FileRecord[] }) {
  const tr = translator(ctx);
  return (
    <section class="card" aria-labelledby="evidence-title">
      <h2 id="evidence-title">{tr('admin.review.report.evidence')}</h2>
      {files.length === 0 ? (
        <p>{tr('admin.review.evidence.none')}</p>
      ) : (
        <>
          <p class="hint">{tr('admin.review.evidence.audited')}</p>
          <ul class="review-evidence">
            {files.map((file, index) => (
              <EvidenceItem key={file.id} ctx={ctx} file={file} index={index} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function OtherReportsSection({ ctx, detail }: { ctx: BackOfficeContext; detail: ReportDetail }) {
  const tr = translator(ctx);
  const others = detail.otherReports;
  return (
    <section class="card" aria-labelledby="others-title">
      <h2 id="others-title">{tr('admin.review.report.others')}</h2>
      {others.length === 0 ? (
        <p>{tr('admin.review.others.none')}</p>
      ) : (
        <ul class="review-others">
          {others.map((other) => (
            <li key={other.id}>
              <a href={href(ctx, reportPath(other.id))}>
                {`#${other.id} · ${categoryText(ctx.lang, other.category)}`}
              </a>{' '}
              <StatusBadge ctx={ctx} status={other.status} />{' '}
              <span class="small">
                <Time ctx={ctx} date={other.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ReasonSelect({
  ctx,
  value,
  error,
}: {
  ctx: BackOfficeContext;
  value: string;
  error: string | undefined;
}) {
  const tr = translator(ctx);
  const group = (label: string, reasons: readonly DecisionReason[]) => (
    <optgroup label={label}>
      {reasons.map((reason) => (
        <option key={reason} value={reason} selected={value === reason}>
          {reasonLabel(ctx.lang, reason)}
        </option>
      ))}
    </optgroup>
  );
  return (
    <div class="field">
      <label for="reason">{tr('admin.review.reason')}</label>
      <p class="hint" id="reason-hint">
        {tr('admin.review.reason.hint')}
      </p>
      <FieldErrorText id="reason" message={error} />
      <select
        id="reason"
        name="reason"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? 'reason-hint reason-error' : 'reason-hint'}
      >
        <option value="">{tr('admin.review.reason.choose')}</option>
        {group(tr('admin.review.reason.verify'), verifyReasons)}
        {group(tr('admin.review.reason.reject'), rejectReasons)}
      </select>
    </div>
  );
}

function DecisionSection({
  ctx,
  report,
  form,
  errors,
}: {
  ctx: BackOfficeContext;
  report: ReportRecord;
  form: DecisionForm;
  errors: readonly FormError[];
}) {
  const tr = translator(ctx);
  const decisionError = fieldError(errors, 'decision');
  const noteError = fieldError(errors, 'note');
  const choice = (value: 'verify' | 'reject') => (
    <label class="choice" for={`decision-${value}`}>
      <input
        type="radio"
        id={`decision-${value}`}
        name="decision"
        value={value}
        checked={form.decision === value}
      />
      <span>
        <span class="choice-name">{tr(`admin.review.decision.${value}`)}</span>
        <span class="choice-hint">{tr(`admin.review.decision.${value}.hint`)}</span>
      </span>
    </label>
  );
  return (
    <section class="card review-decision" aria-labelledby="decision-title">
      <h2 id="decision-title">{tr('admin.review.report.decision')}</h2>
      <form method="post" action={href(ctx, reportPath(report.id, 'keputusan'))} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset
          class="choices-list"
          aria-describedby={decisionError ? 'decision-error' : undefined}
        >
          <legend id="decision">{tr('admin.review.decision.legend')}</legend>
          <FieldErrorText id="decision" message={decisionError} />
          {choice('verify')}
          {choice('reject')}
        </fieldset>
        <ReasonSelect ctx={ctx} value={form.reason} error={fieldError(errors, 'reason')} />
        <div class="field">
          <label for="note">{tr('admin.review.note.label')}</label>
          <p class="hint" id="note-hint">
            {tr('admin.review.note.hint')}
          </p>
          <FieldErrorText id="note" message={noteError} />
          <textarea
            id="note"
            name="note"
            rows={4}
            maxLength={maxNoteLength}
            value={form.note}
            aria-invalid={noteError ? 'true' : undefined}
            aria-describedby={noteError ? 'note-hint note-error' : 'note-hint'}
          />
        </div>
        <button type="submit" class="button">
          {tr('admin.review.decision.submit')}
        </button>
      </form>
    </section>
  );
}

function ConflictNotice({ ctx, conflict }: { ctx: BackOfficeContext; conflict: Conflict }) {
  return (
    <section
      class="notice notice-caution"
      role="alert"
      aria-labelledby="conflict-title"
      tabIndex={-1}
      autofocus
    >
      <WarningIcon />
      <div>
        <h2 id="conflict-title" class="form-title">
          {problemTitle(ctx.lang, conflict)}
        </h2>
        <p>{t(ctx.lang, `admin.review.conflict.${conflict}`)}</p>
      </div>
    </section>
  );
}

interface ReportPageProps {
  readonly view: ReportView;
  readonly detail: ReportDetail;
  readonly info: ReportNotice | null;
  readonly conflict: Conflict | null;
  readonly errors: readonly FormError[];
  readonly form: DecisionForm;
}

function ReportPage({ view, detail, info, conflict, errors, form }: ReportPageProps) {
  const { ctx, now } = view;
  const tr = translator(ctx);
  const report = detail.report;
  const open = openStatuses.includes(report.status);
  const claim = activeClaim(report, now);
  const heldByOther = claim !== null && claim.by !== ctx.session?.operator.id;
  return (
    <div class="review-report">
      <p class="breadcrumb">
        <a href={href(ctx, adminPaths.reports)}>{tr('admin.review.back')}</a>
      </p>
      <h1 class="record-heading">{tr('admin.review.report.title', { id: report.id })}</h1>
      {info && <Notice>{tr(`admin.review.info.${info}`)}</Notice>}
      {conflict && <ConflictNotice ctx={ctx} conflict={conflict} />}
      <ErrorSummary ctx={ctx} errors={errors} />
      <StatusSection view={view} report={report} />
      <div class="columns">
        <AccountSection ctx={ctx} report={report} />
        <ReportedSection ctx={ctx} report={report} />
      </div>
      <IncidentSection ctx={ctx} report={report} />
      <EvidenceSection ctx={ctx} files={detail.files} />
      <div class="columns">
        <ReporterSection ctx={ctx} detail={detail} />
        <OtherReportsSection ctx={ctx} detail={detail} />
      </div>
      {open && !heldByOther && (
        <DecisionSection ctx={ctx} report={report} form={form} errors={errors} />
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------
// Routes

const idParams = z.object({
  id: rowId(),
});

const decisionBody = z.object({
  decision: safeString().max(20).optional(),
  reason: safeString().max(60).optional(),
  note: safeString().max(20_000).optional(),
});

const allReasons: readonly string[] = [...verifyReasons, ...rejectReasons];

/** The decision form as typed, and what is missing from it before the service is asked. */
function readDecision(
  ctx: PageContext,
  body: z.infer<typeof decisionBody>,
): { form: DecisionForm; errors: FormError[] } {
  const form: DecisionForm = {
    decision: body.decision ?? '',
    reason: body.reason ?? '',
    note: cleanMultiLine(body.note ?? ''),
  };
  const errors: FormError[] = [];
  if (form.decision !== 'verify' && form.decision !== 'reject') {
    errors.push({ field: 'decision', message: t(ctx.lang, 'admin.review.decision.required') });
  }
  if (!allReasons.includes(form.reason)) {
    errors.push({ field: 'reason', message: t(ctx.lang, 'admin.review.reason.required') });
  }
  if (form.note.length > maxNoteLength) {
    errors.push({
      field: 'note',
      message: t(ctx.lang, 'admin.review.note.tooLong', { max: maxNoteLength }),
    });
  }
  return { form, errors };
}

export interface ReviewPagesOptions {
  readonly reports: ReportsService;
  readonly operators: OperatorsService;
  readonly fileAccess: FileAccess;
  readonly clock: Clock;
  /** How long a claim holds a report for its reviewer (REVIEW_CLAIM_MINUTES). */
  readonly claimMinutes: number;
}

export const reviewPages: FastifyPluginAsync<ReviewPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { reports, operators, fileAccess, clock, claimMinutes } = options;
  const review = { config: { permission: 'reports.review', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  async function operatorNames(): Promise<OperatorNames> {
    return new Map((await operators.list()).map((o) => [o.id, o.email]));
  }

  app.get(adminPaths.reports, { ...review, schema: { hide: true } }, async (request, reply) => {
    const ctx = backOfficeContext(request);
    const read = readFilter(ctx, (request.query ?? {}) as Record<string, unknown>);
    const items =
      read.errors.length === 0
        ? await reports.queue({
            ...read.filter,
            limit: pageSize,
            offset: (read.page - 1) * pageSize,
          })
        : [];
    const view: QueueView = { ctx, names: await operatorNames(), now: clock.now() };
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'admin.review.queue.title'),
        status: read.errors.length > 0 ? 400 : 200,
      },
      <QueuePage
        view={view}
        read={read}
        items={items}
        counts={await reports.counts()}
        empty={infoOf(request, ['empty'] as const) === 'empty'}
      />,
    );
  });

  // The oldest report nobody holds, claimed at once: reviewers never pick the same one.
  app.post(
    `${adminPaths.reports}/berikutnya`,
    { ...review, schema: { hide: true } },
    async (request, reply) => {
      const ctx = backOfficeContext(request);
      const claimed = await reports.claimNext(operatorActor(request));
      return redirectTo(
        reply,
        ctx,
        claimed ? `${reportPath(claimed.id)}?info=claimed` : `${adminPaths.reports}?info=empty`,
      );
    },
  );

  /** The report page; every showing opens the reporter's identity, so each is an audited view. */
  async function sendReport(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: {
      status?: number;
      conflict?: Conflict;
      errors?: readonly FormError[];
      form?: DecisionForm;
    } = {},
  ) {
    const ctx = backOfficeContext(request);
    const detail = await reports.detail(id, actorOf(request));
    const view: ReportView = {
      ctx,
      names: await operatorNames(),
      now: clock.now(),
      claimMinutes,
    };
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'admin.review.report.title', { id }),
        status: state.status ?? 200,
        switchPath: reportPath(id),
      },
      <ReportPage
        view={view}
        detail={detail}
        info={state.status ? null : infoOf(request, reportNotices)}
        conflict={state.conflict ?? null}
        errors={state.errors ?? []}
        form={state.form ?? emptyDecision}
      />,
    );
  }

  app.get(
    `${adminPaths.reports}/:id`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => sendReport(request, reply, request.params.id),
  );

  /**
   * Runs a change and goes back to the report with a notice; a change the
   * report no longer allows (decided, or claimed by another meanwhile) shows
   * the report with why, and so does a decision the service finds invalid.
   */
  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    run: () => Promise<unknown>,
    done: (result: unknown) => ReportNotice,
    form?: DecisionForm,
  ) {
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (isConflict(error.code)) {
        return sendReport(request, reply, id, { status: 409, conflict: error.code, form });
      }
      if (error.code === 'validation_failed') {
        const errors = formErrorsOf(backOfficeContext(request), error.errors);
        return sendReport(request, reply, id, { status: 400, errors, form });
      }
      throw error;
    }
    const ctx = backOfficeContext(request);
    return redirectTo(reply, ctx, `${reportPath(id)}?info=${done(result)}`);
  }

  app.post(
    `${adminPaths.reports}/:id/klaim`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => {
      const { id } = request.params;
      return change(
        request,
        reply,
        id,
        () => reports.claim(id, operatorActor(request)),
        () => 'claimed',
      );
    },
  );

  app.post(
    `${adminPaths.reports}/:id/lepas`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => {
      const { id } = request.params;
      return change(
        request,
        reply,
        id,
        () => reports.release(id, operatorActor(request)),
        () => 'released',
      );
    },
  );

  app.post(
    `${adminPaths.reports}/:id/keputusan`,
    { ...review, schema: { hide: true, params: idParams, body: decisionBody } },
    (request, reply) => {
      const { id } = request.params;
      const ctx = backOfficeContext(request);
      const { form, errors } = readDecision(ctx, request.body ?? {});
      if (errors.length > 0) return sendReport(request, reply, id, { status: 400, errors, form });
      return change(
        request,
        reply,
        id,
        () =>
          reports.decide(id, operatorActor(request), {
            decision: form.decision as 'verify' | 'reject',
            reason: form.reason as DecisionReason,
            note: form.note === '' ? null : form.note,
          }),
        (result) =>
          (result as { status: string }).status === 'verified' ? 'verified' : 'rejected',
        form,
      );
    },
  );

  // Any signed-in operator may ask; the file access decides by the file's owner and audits.
  app.get(
    `${adminPaths.files}/:id`,
    {
      config: { permission: 'session', page: true },
      schema: { hide: true, params: z.object({ id: safeString().max(64) }) },
    },
    async (request, reply) => {
      const file = await fileAccess.open(viewerOf(request), request.params.id);
      // Browsers refuse to show a PDF under a sandbox CSP: it is saved instead, images shown.
      return sendStoredFile(reply, file);
    },
  );

  return Promise.resolve();
};
