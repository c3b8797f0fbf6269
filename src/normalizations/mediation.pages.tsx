// The mediator's pages: the queue of normalization requests (deadlines,
// overdue ones highlighted), a request beside the reports it disputes (their
// evidence and the reporters' contact: an audited view), and its forms:
// taking it on, questions to either side, mediation and its outcome, the
// proposal and its confirmation by a second operator; and the form that
// enters a request taken at a service desk. Every read and change goes
// through NormalizationsService as the signed-in operator, audited like the API's.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  cleanLine,
  cleanMultiLine,
  isCalendarDate,
  rowId,
  safeString,
  visibleLength,
} from '../shared/text-input.ts';
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import { providers } from '../shared/providers.ts';
import type { NormalizationStatus } from '../db/schema.ts';
import type { FileRecord } from '../files/files.service.ts';
import { actorOf } from '../backoffice/auth.ts';
import { formatDate, formatDateTime } from '../http/format.ts';
import { Day, Time } from '../backoffice/time.tsx';
import { ClockIcon, WarningIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { statusByCode } from '../http/problems.ts';
import {
  backOfficeContext,
  CsrfField,
  ErrorSummary,
  Notice,
  redirectTo,
  sendBackOfficePage,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { AppError, isAppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { problemDetail, t, tCount, translateReason } from '../shared/messages.ts';
import {
  emptyForm,
  FormErrorSummary,
  formView,
  NormalizationForm,
  refusedForm,
  watchParts,
  type FormState,
} from './normalizations.form.tsx';
import { ReceiptFacts } from './normalizations.pages.tsx';
import {
  fileNormalization,
  operatorActor,
  sendCaseFile,
  type NormalizationFiling,
} from './normalizations.routes.ts';
import {
  mediationOutcomes,
  type DisputedReport,
  type InformationRequestView,
  type NormalizationDetail,
  type SubmittedNormalization,
} from './normalizations.service.ts';
import type { MediationRecord, QueueItem } from './normalizations.service.ts';

export const mediationPaths = {
  queue: '/admin/normalisasi',
  entry: '/admin/normalisasi/baru',
} as const;

export function casePath(id: number, action?: string): string {
  return `${mediationPaths.queue}/${id}${action ? `/${action}` : ''}`;
}

function caseFilePath(id: number, fileId: string): string {
  return casePath(id, `berkas/${encodeURIComponent(fileId)}`);
}

const pageSize = 50;
const maxReasonLength = 2000;
const pendingStatuses: readonly NormalizationStatus[] = [
  'submitted',
  'in_review',
  'mediation',
  'proposed',
];

/** The queue's filter: open requests by default; "in_review" also holds mediation and proposals. */
const queueFilters = [
  'open',
  'submitted',
  'in_review',
  'mediation',
  'proposed',
  'granted',
  'denied',
] as const;
type QueueFilterName = (typeof queueFilters)[number];

function statusesOf(filter: QueueFilterName): NormalizationStatus[] {
  switch (filter) {
    case 'open':
      return [...pendingStatuses];
    case 'in_review':
      return ['in_review', 'mediation', 'proposed'];
    default:
      return [filter];
  }
}

// ---------------------------------------------------------------------------
// Shared bits

function accountText(provider: string, number: string): string {
  const known = providers.resolve(provider);
  return `${known?.shortName ?? provider} ${number}`;
}

const rupiah: Record<Lang, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', {
    style: 'currency',
    currency: 'IDR',
    maximumFractionDigits: 0,
  }),
  en: new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency: 'IDR',
    maximumFractionDigits: 0,
  }),
};

function statusBadge(status: NormalizationStatus): string {
  if (status === 'granted') return 'badge badge-ok';
  if (status === 'denied') return 'badge badge-off';
  return 'badge badge-warn';
}

function StatusBadges(props: {
  ctx: PageContext;
  status: NormalizationStatus;
  overdue: boolean;
  channel: string;
}) {
  const tr = translator(props.ctx);
  return (
    <ul class="badges">
      <li class={statusBadge(props.status)}>{tr(`mediation.status.${props.status}`)}</li>
      {props.overdue && (
        <li class="badge nz-badge-late">
          <WarningIcon />
          {tr('mediation.overdue')}
        </li>
      )}
      {props.channel === 'service_desk' && (
        <li class="badge badge-off">{tr('mediation.channel.service_desk')}</li>
      )}
    </ul>
  );
}

// ---------------------------------------------------------------------------
// The queue

function QueueEntry({ ctx, item }: { ctx: BackOfficeContext; item: QueueItem }) {
  const tr = translator(ctx);
  return (
    <li class={item.overdue ? 'record nz-item nz-overdue' : 'record nz-item'}>
      <h2 class="record-title">
        <a href={href(ctx, casePath(item.id))}>
          {`${item.ticket ?? `#${item.id}`} · ${accountText(item.provider, item.number)}`}
        </a>
      </h2>
      <StatusBadges ctx={ctx} status={item.status} overdue={item.overdue} channel={item.channel} />
      <dl class="details">
        <dt>{tr('mediation.filed')}</dt>
        <dd>
          <Day ctx={ctx} date={item.createdAt} />
        </dd>
        <dt>{tr('mediation.due')}</dt>
        <dd class={item.overdue ? 'nz-late' : undefined}>
          {item.overdue && <WarningIcon />}
          <Day ctx={ctx} date={item.dueAt} />
        </dd>
        <dt>{tr('mediation.disputedReports')}</dt>
        <dd>{item.disputedReports}</dd>
        <dt>{tr('mediation.openQuestions')}</dt>
        <dd>{item.openQuestions}</dd>
        {item.nextMediation && (
          <>
            <dt>{tr('mediation.nextMediation')}</dt>
            <dd>
              <Time ctx={ctx} date={item.nextMediation} />
            </dd>
          </>
        )}
        {item.proposedDecision && (
          <>
            <dt>{tr('mediation.proposal')}</dt>
            <dd>{tr(`mediation.proposal.${item.proposedDecision}`)}</dd>
          </>
        )}
      </dl>
    </li>
  );
}

function QueuePage(props: {
  ctx: BackOfficeContext;
  items: readonly QueueItem[];
  filter: QueueFilterName;
  overdueOnly: boolean;
  page: number;
  decisionDays: number;
}) {
  const { ctx, items, filter } = props;
  const tr = translator(ctx);
  const overdue = items.filter((i) => i.overdue).length;
  const query = (page: number) => {
    const q = new URLSearchParams();
    if (filter !== 'open') q.set('status', filter);
    if (props.overdueOnly) q.set('terlambat', '1');
    if (page > 1) q.set('halaman', String(page));
    const text = q.toString();
    return text ? `${mediationPaths.queue}?${text}` : mediationPaths.queue;
  };
  return (
    <>
      <h1>{tr('mediation.queue.title')}</h1>
      <p class="lead">{tr('mediation.queue.lead', { days: props.decisionDays })}</p>
      <p>
        <a class="button button-secondary" href={href(ctx, mediationPaths.entry)}>
          {tr('mediation.entry.link')}
        </a>
      </p>
      {overdue > 0 && (
        <div class="notice notice-caution">
          <ClockIcon />
          <div>
            <p>{tCount(ctx.lang, 'mediation.queue.overdueNotice', overdue)}</p>
          </div>
        </div>
      )}
      <form class="card" method="get" action={mediationPaths.queue} aria-labelledby="filter-title">
        <h2 id="filter-title" class="form-title">
          {tr('mediation.filter.title')}
        </h2>
        <div class="filter-grid">
          <div class="field">
            <label for="status">{tr('mediation.filter.status')}</label>
            <select id="status" name="status">
              {queueFilters.map((f) => (
                <option key={f} value={f} selected={f === filter}>
                  {tr(`mediation.filter.${f}`)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <span class="choice">
              <input
                type="checkbox"
                id="terlambat"
                name="terlambat"
                value="1"
                checked={props.overdueOnly}
              />
              <label for="terlambat">{tr('mediation.filter.overdue')}</label>
            </span>
          </div>
        </div>
        {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
        <button type="submit" class="button button-secondary">
          {tr('mediation.filter.apply')}
        </button>
      </form>
      {items.length === 0 ? (
        <p>{tr('mediation.queue.empty')}</p>
      ) : (
        <ol class="records nz-queue">
          {items.map((item) => (
            <QueueEntry key={item.id} ctx={ctx} item={item} />
          ))}
        </ol>
      )}
      {(props.page > 1 || items.length === pageSize) && (
        <nav class="pager" aria-label={tr('mediation.queue.pages')}>
          {props.page > 1 ? (
            <a href={href(ctx, query(props.page - 1))}>{tr('mediation.queue.previous')}</a>
          ) : (
            <span />
          )}
          {items.length === pageSize && (
            <a href={href(ctx, query(props.page + 1))}>{tr('mediation.queue.next')}</a>
          )}
        </nav>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------
// One request

/** Evidence is shown; identity documents and answers only as links, opened when needed. */
function Files(props: { ctx: PageContext; caseId: number; files: readonly FileRecord[] }) {
  const tr = translator(props.ctx);
  if (props.files.length === 0) return <p class="small">{tr('mediation.files.none')}</p>;
  return (
    <ul class="review-evidence">
      {props.files.map((f, index) => {
        const url = href(props.ctx, caseFilePath(props.caseId, f.id));
        const label = tr(`mediation.file.${fieldLabel(f.field)}`, { n: index + 1 });
        if (f.sensitive || !f.mime.startsWith('image/')) {
          return (
            <li key={f.id} class="review-evidence-file">
              <a href={url}>{label}</a>
              {f.sensitive && <span class="small">{` ${tr('mediation.file.audited')}`}</span>}
            </li>
          );
        }
        return (
          <li key={f.id}>
            <figure>
              <a href={url}>
                <img src={url} alt={label} loading="lazy" />
              </a>
              <figcaption class="small">{f.originalName ?? label}</figcaption>
            </figure>
          </li>
        );
      })}
    </ul>
  );
}

function fieldLabel(field: string): 'savingsBookPhoto' | 'idCardPhoto' | 'evidence' | 'answer' {
  if (field === 'savingsBookPhoto' || field === 'idCardPhoto' || field === 'answer') return field;
  return 'evidence';
}

function RequestCard({ ctx, detail }: { ctx: BackOfficeContext; detail: NormalizationDetail }) {
  const tr = translator(ctx);
  const r = detail.request;
  const who = (id: number | null) => (id === null ? '—' : (detail.operators.get(id) ?? `#${id}`));
  return (
    <section class="card nz-side" aria-labelledby="request-title">
      <h2 id="request-title">{tr('mediation.request.title')}</h2>
      <dl class="details">
        <dt>{tr('mediation.request.holder')}</dt>
        <dd>{r.holderName ?? '—'}</dd>
        <dt>{tr('mediation.request.nik')}</dt>
        <dd>
          <code>{detail.nik ?? '—'}</code>
        </dd>
        <dt>{tr('mediation.request.phone')}</dt>
        <dd>{detail.contact?.phone ?? '—'}</dd>
        <dt>{tr('mediation.request.email')}</dt>
        <dd>{detail.contact?.email ?? '—'}</dd>
        <dt>{tr('mediation.request.channel')}</dt>
        <dd>
          {tr(`mediation.channel.${r.channel}`)}
          {r.enteredBy !== null && ` (${who(r.enteredBy)})`}
        </dd>
        <dt>{tr('mediation.request.handledBy')}</dt>
        <dd>{who(r.handledBy)}</dd>
      </dl>
      <h3>{tr('mediation.request.statement')}</h3>
      <p class="review-text review-chronology">{r.statement ?? '—'}</p>
      <h3>{tr('mediation.request.documents')}</h3>
      <Files ctx={ctx} caseId={r.id} files={detail.files} />
    </section>
  );
}

function ReportCard(props: { ctx: BackOfficeContext; caseId: number; disputed: DisputedReport }) {
  const { ctx, disputed } = props;
  const tr = translator(ctx);
  const report = disputed.report;
  const category = isCategoryCode(report.category)
    ? categoryName(report.category, ctx.lang)
    : report.category;
  return (
    <li class="record" id={`report-${report.id}`}>
      <h3 class="record-heading">
        {tr('mediation.report.title', { id: report.id, ticket: report.ticket ?? '—' })}
      </h3>
      <ul class="badges">
        <li class={report.status === 'normalized' ? 'badge badge-off' : 'badge badge-warn'}>
          {tr(
            `mediation.report.status.${report.status === 'normalized' ? 'normalized' : 'counted'}`,
          )}
        </li>
        {report.source !== 'public' && <li class="badge badge-off">{report.source}</li>}
      </ul>
      <dl class="details">
        <dt>{tr('mediation.report.category')}</dt>
        <dd>{category}</dd>
        <dt>{tr('mediation.report.filed')}</dt>
        <dd>
          <Day ctx={ctx} date={report.createdAt} />
        </dd>
        {report.holderName && (
          <>
            <dt>{tr('mediation.report.holder')}</dt>
            <dd>{report.holderName}</dd>
          </>
        )}
        {report.amount !== null && (
          <>
            <dt>{tr('mediation.report.amount')}</dt>
            <dd>{rupiah[ctx.lang].format(report.amount)}</dd>
          </>
        )}
        {report.platform && (
          <>
            <dt>{tr('mediation.report.platform')}</dt>
            <dd>{report.platform}</dd>
          </>
        )}
        <dt>{tr('mediation.report.reporter')}</dt>
        <dd>
          {disputed.reporter
            ? `${disputed.reporter.name} · ${disputed.reporter.email} · ${disputed.reporter.phone}`
            : tr('mediation.report.noReporter')}
        </dd>
      </dl>
      {report.chronology && (
        <>
          <h4>{tr('mediation.report.chronology')}</h4>
          <p class="review-text review-chronology">{report.chronology}</p>
        </>
      )}
      <h4>{tr('mediation.report.evidence')}</h4>
      <Files ctx={ctx} caseId={props.caseId} files={disputed.files} />
    </li>
  );
}

/** What a failed form had typed, to show it again. */
interface Typed {
  readonly form: 'question' | 'mediation' | 'outcome' | 'proposal' | 'confirmation';
  readonly values: Readonly<Record<string, string>>;
}

function TextArea(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  value: string;
  errors: readonly FormError[];
  required?: boolean;
}) {
  const error = props.errors.find((e) => e.field === props.id)?.message;
  const described = [props.hint ? `${props.id}-hint` : '', error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${props.id}-error`}>
          <span>{error}</span>
        </p>
      )}
      <textarea
        id={props.id}
        name={props.name}
        rows={4}
        required={props.required}
        maxLength={maxReasonLength}
        value={props.value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

function Input(props: {
  id: string;
  name: string;
  label: string;
  hint?: string;
  type?: 'text' | 'datetime-local' | 'url';
  value: string;
  errors: readonly FormError[];
  required?: boolean;
}) {
  const error = props.errors.find((e) => e.field === props.id)?.message;
  const described = [props.hint ? `${props.id}-hint` : '', error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${props.id}-error`}>
          <span>{error}</span>
        </p>
      )}
      <input
        type={props.type ?? 'text'}
        id={props.id}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
    </div>
  );
}

function ActionForm(props: {
  ctx: BackOfficeContext;
  action: string;
  title: string;
  titleId: string;
  children: ComponentChildren;
  submit: string;
}) {
  return (
    <form
      class="action-form nz-action"
      method="post"
      action={href(props.ctx, props.action)}
      aria-labelledby={props.titleId}
    >
      <h3 id={props.titleId} class="form-title">
        {props.title}
      </h3>
      <CsrfField ctx={props.ctx} />
      {props.children}
      <button type="submit" class="button">
        {props.submit}
      </button>
    </form>
  );
}

function QuestionsSection(props: {
  ctx: BackOfficeContext;
  detail: NormalizationDetail;
  typed: Typed | null;
  errors: readonly FormError[];
  workable: boolean;
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const id = detail.request.id;
  const values = props.typed?.form === 'question' ? props.typed.values : {};
  const reporters = detail.reports.filter((r) => r.reporter && r.report.ticket);
  const target = (q: InformationRequestView) =>
    q.party === 'owner'
      ? tr('mediation.question.toOwner')
      : tr('mediation.question.toReporter', { id: q.reportId ?? '—' });
  return (
    <section class="card" aria-labelledby="questions-title" id="pertanyaan">
      <h2 id="questions-title">{tr('mediation.questions.title')}</h2>
      {detail.questions.length === 0 ? (
        <p>{tr('mediation.questions.none')}</p>
      ) : (
        <ol class="records">
          {detail.questions.map((q) => (
            <li key={q.id} class={q.overdue ? 'record nz-overdue' : 'record'}>
              <h3 class="record-heading">{target(q)}</h3>
              <p class="small">
                {tr('mediation.question.asked', {
                  by: detail.operators.get(q.askedBy) ?? `#${q.askedBy}`,
                })}{' '}
                <Time ctx={ctx} date={q.askedAt} />
              </p>
              <p class="review-text nz-quote">{q.question}</p>
              {q.answeredAt ? (
                <>
                  <p>
                    <strong>{tr('mediation.question.answered')}</strong>{' '}
                    <Time ctx={ctx} date={q.answeredAt} />
                  </p>
                  <p class="review-text">{q.answer}</p>
                  {q.files.length > 0 && <Files ctx={ctx} caseId={id} files={q.files} />}
                </>
              ) : (
                <p class={q.overdue ? 'nz-late' : undefined}>
                  {q.overdue && <WarningIcon />}
                  {tr('mediation.question.due', { date: formatDate(ctx.lang, q.dueAt) })}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
      {props.workable && (
        <ActionForm
          ctx={ctx}
          action={casePath(id, 'pertanyaan')}
          title={tr('mediation.question.form')}
          titleId="question-form-title"
          submit={tr('mediation.question.submit')}
        >
          <div class="field">
            <label for="party">{tr('mediation.question.party')}</label>
            <select id="party" name="party">
              <option value="owner" selected={values.party === 'owner'}>
                {tr('mediation.question.toOwner')}
              </option>
              {reporters.map((r) => (
                <option
                  key={r.report.id}
                  value={`report:${r.report.id}`}
                  selected={values.party === `report:${r.report.id}`}
                >
                  {tr('mediation.question.toReporter', { id: r.report.id })}
                </option>
              ))}
            </select>
          </div>
          <TextArea
            id="question"
            name="question"
            label={tr('mediation.question.text')}
            hint={tr('mediation.question.hint')}
            value={values.question ?? ''}
            errors={props.errors}
            required
          />
        </ActionForm>
      )}
    </section>
  );
}

function MediationItem(props: {
  ctx: BackOfficeContext;
  detail: NormalizationDetail;
  session: MediationRecord;
  typed: Typed | null;
  errors: readonly FormError[];
  workable: boolean;
}) {
  const { ctx, detail, session } = props;
  const tr = translator(ctx);
  const values =
    props.typed?.form === 'outcome' && props.typed.values.session === String(session.id)
      ? props.typed.values
      : {};
  const outcomeId = `outcome-${session.id}`;
  return (
    <li class="record">
      <h3 class="record-heading">
        <Time ctx={ctx} date={session.scheduledAt} />
      </h3>
      <dl class="details">
        {session.place && (
          <>
            <dt>{tr('mediation.session.place')}</dt>
            <dd>{session.place}</dd>
          </>
        )}
        {session.videoLink && (
          <>
            <dt>{tr('mediation.session.link')}</dt>
            <dd>
              <a href={session.videoLink} rel="noreferrer noopener">
                {session.videoLink}
              </a>
            </dd>
          </>
        )}
        {session.note && (
          <>
            <dt>{tr('mediation.session.note')}</dt>
            <dd class="review-text">{session.note}</dd>
          </>
        )}
        <dt>{tr('mediation.session.scheduledBy')}</dt>
        <dd>{detail.operators.get(session.scheduledBy) ?? `#${session.scheduledBy}`}</dd>
        {session.outcome && (
          <>
            <dt>{tr('mediation.session.outcome')}</dt>
            <dd>
              {tr(`mediation.outcome.${session.outcome}`)}
              {session.outcomeNote && (
                <span class="review-text">{` — ${session.outcomeNote}`}</span>
              )}
            </dd>
          </>
        )}
      </dl>
      {!session.outcome && props.workable && (
        <ActionForm
          ctx={ctx}
          action={casePath(detail.request.id, 'mediasi/hasil')}
          title={tr('mediation.outcome.form')}
          titleId={`${outcomeId}-title`}
          submit={tr('mediation.outcome.submit')}
        >
          <input type="hidden" name="session" value={String(session.id)} />
          <fieldset class="choices-list">
            <legend>{tr('mediation.session.outcome')}</legend>
            {mediationOutcomes.map((o) => (
              <label key={o} class="choice" for={`${outcomeId}-${o}`}>
                <input
                  type="radio"
                  id={`${outcomeId}-${o}`}
                  name="outcome"
                  value={o}
                  checked={values.outcome === o}
                  required
                />
                <span class="choice-name">{tr(`mediation.outcome.${o}`)}</span>
              </label>
            ))}
          </fieldset>
          <TextArea
            id={`${outcomeId}-note`}
            name="note"
            label={tr('mediation.outcome.note')}
            value={values.note ?? ''}
            errors={props.errors}
          />
        </ActionForm>
      )}
    </li>
  );
}

function MediationSection(props: {
  ctx: BackOfficeContext;
  detail: NormalizationDetail;
  typed: Typed | null;
  errors: readonly FormError[];
  workable: boolean;
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const values = props.typed?.form === 'mediation' ? props.typed.values : {};
  const canSchedule = props.workable && detail.request.status !== 'proposed';
  return (
    <section class="card" aria-labelledby="mediation-title" id="mediasi">
      <h2 id="mediation-title">{tr('mediation.sessions.title')}</h2>
      {detail.mediations.length === 0 ? (
        <p>{tr('mediation.sessions.none')}</p>
      ) : (
        <ol class="records">
          {detail.mediations.map((session) => (
            <MediationItem
              key={session.id}
              ctx={ctx}
              detail={detail}
              session={session}
              typed={props.typed}
              errors={props.errors}
              workable={props.workable}
            />
          ))}
        </ol>
      )}
      {canSchedule && (
        <ActionForm
          ctx={ctx}
          action={casePath(detail.request.id, 'mediasi')}
          title={tr('mediation.schedule.form')}
          titleId="schedule-form-title"
          submit={tr('mediation.schedule.submit')}
        >
          <p class="hint">{tr('mediation.schedule.lead')}</p>
          <Input
            id="scheduledAt"
            name="scheduledAt"
            type="datetime-local"
            label={tr('mediation.schedule.at')}
            hint={tr('mediation.schedule.at.hint')}
            value={values.scheduledAt ?? ''}
            errors={props.errors}
            required
          />
          <Input
            id="place"
            name="place"
            label={tr('mediation.schedule.place')}
            hint={tr('mediation.schedule.place.hint')}
            value={values.place ?? ''}
            errors={props.errors}
          />
          <Input
            id="videoLink"
            name="videoLink"
            type="url"
            label={tr('mediation.schedule.link')}
            hint={tr('mediation.schedule.link.hint')}
            value={values.videoLink ?? ''}
            errors={props.errors}
          />
          <TextArea
            id="note"
            name="note"
            label={tr('mediation.schedule.note')}
            hint={tr('mediation.schedule.note.hint')}
            value={values.note ?? ''}
            errors={props.errors}
          />
        </ActionForm>
      )}
    </section>
  );
}

function DecisionSection(props: {
  ctx: BackOfficeContext;
  detail: NormalizationDetail;
  typed: Typed | null;
  errors: readonly FormError[];
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.request;
  const me = ctx.session?.operator.id;
  const who = (id: number | null) => (id === null ? '—' : (detail.operators.get(id) ?? `#${id}`));
  const proposalValues = props.typed?.form === 'proposal' ? props.typed.values : {};
  const confirmValues = props.typed?.form === 'confirmation' ? props.typed.values : {};
  return (
    <section class="card" aria-labelledby="decision-title" id="keputusan">
      <h2 id="decision-title">{tr('mediation.decision.title')}</h2>
      <p class="hint">{tr('mediation.decision.fourEyes')}</p>
      {(r.status === 'granted' || r.status === 'denied') && (
        <dl class="details">
          <dt>{tr('mediation.decision.outcome')}</dt>
          <dd>
            <strong>{tr(`mediation.status.${r.status}`)}</strong>
          </dd>
          <dt>{tr('mediation.decision.reason')}</dt>
          <dd class="review-text">{r.decisionReason ?? '—'}</dd>
          <dt>{tr('mediation.decision.proposedBy')}</dt>
          <dd>{who(r.proposedBy)}</dd>
          <dt>{tr('mediation.decision.confirmedBy')}</dt>
          <dd>
            {who(r.confirmedBy)}
            {r.decidedAt && (
              <>
                {', '}
                <Time ctx={ctx} date={r.decidedAt} />
              </>
            )}
          </dd>
        </dl>
      )}
      {r.status === 'proposed' && r.proposedDecision && (
        <>
          <dl class="details nz-proposal">
            <dt>{tr('mediation.proposal')}</dt>
            <dd>
              <strong>{tr(`mediation.proposal.${r.proposedDecision}`)}</strong>
            </dd>
            <dt>{tr('mediation.decision.reason')}</dt>
            <dd class="review-text">{r.proposalReason ?? '—'}</dd>
            <dt>{tr('mediation.decision.proposedBy')}</dt>
            <dd>
              {who(r.proposedBy)}
              {r.proposedAt && (
                <>
                  {', '}
                  <Time ctx={ctx} date={r.proposedAt} />
                </>
              )}
            </dd>
          </dl>
          {r.proposedBy === me ? (
            <Notice>{tr('mediation.confirm.own')}</Notice>
          ) : detail.mayConfirm && !detail.mayConfirm.independent ? (
            <Notice>
              {tr('mediation.confirm.linked', {
                until:
                  detail.mayConfirm.reason === 'linked'
                    ? formatDateTime(ctx.lang, detail.mayConfirm.until)
                    : '',
              })}
            </Notice>
          ) : (
            <ActionForm
              ctx={ctx}
              action={casePath(r.id, 'konfirmasi')}
              title={tr('mediation.confirm.form')}
              titleId="confirm-form-title"
              submit={tr('mediation.confirm.submit')}
            >
              <fieldset class="choices-list">
                <legend>{tr('mediation.confirm.choice')}</legend>
                {(['yes', 'no'] as const).map((choice) => (
                  <label key={choice} class="choice" for={`confirm-${choice}`}>
                    <input
                      type="radio"
                      id={`confirm-${choice}`}
                      name="confirm"
                      value={choice}
                      checked={confirmValues.confirm === choice}
                      required
                    />
                    <span class="choice-name">
                      {tr(
                        choice === 'yes'
                          ? `mediation.confirm.yes.${r.proposedDecision ?? 'grant'}`
                          : 'mediation.confirm.no',
                      )}
                    </span>
                  </label>
                ))}
              </fieldset>
              <TextArea
                id="confirm-reason"
                name="reason"
                label={tr('mediation.confirm.reason')}
                hint={tr('mediation.confirm.reason.hint')}
                value={confirmValues.reason ?? ''}
                errors={props.errors}
              />
            </ActionForm>
          )}
        </>
      )}
      {(r.status === 'submitted' || r.status === 'in_review' || r.status === 'mediation') && (
        <ActionForm
          ctx={ctx}
          action={casePath(r.id, 'usulan')}
          title={tr('mediation.propose.form')}
          titleId="propose-form-title"
          submit={tr('mediation.propose.submit')}
        >
          <fieldset class="choices-list">
            <legend>{tr('mediation.propose.choice')}</legend>
            {(['grant', 'deny'] as const).map((decision) => (
              <label key={decision} class="choice" for={`decision-${decision}`}>
                <input
                  type="radio"
                  id={`decision-${decision}`}
                  name="decision"
                  value={decision}
                  checked={proposalValues.decision === decision}
                  required
                />
                <span>
                  <span class="choice-name">{tr(`mediation.proposal.${decision}`)}</span>
                  <span class="choice-hint">{tr(`mediation.proposal.${decision}.hint`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <TextArea
            id="reason"
            name="reason"
            label={tr('mediation.propose.reason')}
            hint={tr('mediation.propose.reason.hint')}
            value={proposalValues.reason ?? ''}
            errors={props.errors}
            required
          />
        </ActionForm>
      )}
    </section>
  );
}

type CaseInfo =
  'claimed' | 'asked' | 'scheduled' | 'recorded' | 'proposed' | 'confirmed' | 'returned';
const caseInfos: readonly CaseInfo[] = [
  'claimed',
  'asked',
  'scheduled',
  'recorded',
  'proposed',
  'confirmed',
  'returned',
];

function CasePage(props: {
  ctx: BackOfficeContext;
  detail: NormalizationDetail;
  info: CaseInfo | null;
  errors: readonly FormError[];
  typed: Typed | null;
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.request;
  const workable = r.status === 'submitted' || r.status === 'in_review' || r.status === 'mediation';
  const pending = workable || r.status === 'proposed';
  return (
    <>
      <p class="breadcrumb">
        <a href={href(ctx, mediationPaths.queue)}>{tr('mediation.queue.title')}</a>
      </p>
      <h1>{tr('mediation.case.title', { ticket: r.ticket ?? `#${r.id}` })}</h1>
      <p class="lead">{accountText(r.provider, r.number)}</p>
      {props.info && <Notice>{tr(`mediation.info.${props.info}`)}</Notice>}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <section
        class={detail.overdue ? 'card nz-deadline nz-overdue' : 'card nz-deadline'}
        aria-labelledby="deadline-title"
      >
        <h2 id="deadline-title">{tr('mediation.deadline.title')}</h2>
        <StatusBadges ctx={ctx} status={r.status} overdue={detail.overdue} channel={r.channel} />
        <dl class="details">
          <dt>{tr('mediation.filed')}</dt>
          <dd>
            <Time ctx={ctx} date={r.createdAt} />
          </dd>
          <dt>{tr('mediation.due')}</dt>
          <dd class={detail.overdue ? 'nz-late' : undefined}>
            {detail.overdue && <WarningIcon />}
            <Day ctx={ctx} date={detail.dueAt} />
            {detail.overdue && ` — ${tr('mediation.overdue')}`}
          </dd>
        </dl>
        {r.status === 'submitted' && (
          <form method="post" action={href(ctx, casePath(r.id, 'ambil'))}>
            <CsrfField ctx={ctx} />
            <button type="submit" class="button button-secondary">
              {tr('mediation.claim')}
            </button>
          </form>
        )}
      </section>
      <div class="columns nz-columns">
        <RequestCard ctx={ctx} detail={detail} />
        <section class="card nz-side" aria-labelledby="reports-title">
          <h2 id="reports-title">
            {tCount(ctx.lang, 'mediation.reports.title', detail.reports.length)}
          </h2>
          <p class="hint">{tr('mediation.reports.lead')}</p>
          <ol class="records">
            {detail.reports.map((d) => (
              <ReportCard key={d.report.id} ctx={ctx} caseId={r.id} disputed={d} />
            ))}
          </ol>
        </section>
      </div>
      <QuestionsSection
        ctx={ctx}
        detail={detail}
        typed={props.typed}
        errors={props.errors}
        workable={pending}
      />
      <MediationSection
        ctx={ctx}
        detail={detail}
        typed={props.typed}
        errors={props.errors}
        workable={workable}
      />
      <DecisionSection ctx={ctx} detail={detail} typed={props.typed} errors={props.errors} />
    </>
  );
}

// ---------------------------------------------------------------------------
// The service-desk entry

function EntryPage(props: { ctx: BackOfficeContext; state: FormState; maxFileMb: number }) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  // The form is multipart: its body is read after the access check, so the
  // CSRF token travels in the address (copied into the header by the route).
  const action = href(
    ctx,
    `${mediationPaths.entry}?${new URLSearchParams({ _csrf: ctx.csrf ?? '' }).toString()}`,
  );
  return (
    <>
      <p class="breadcrumb">
        <a href={href(ctx, mediationPaths.queue)}>{tr('mediation.queue.title')}</a>
      </p>
      <h1>{tr('mediation.entry.title')}</h1>
      <p class="lead">{tr('mediation.entry.lead')}</p>
      <FormErrorSummary ctx={ctx} state={state} />
      <NormalizationForm
        form={formView(ctx, state)}
        action={action}
        maxFileMb={props.maxFileMb}
        challenge={false}
        serviceDesk
      />
    </>
  );
}

function EntryReceipt(props: { ctx: BackOfficeContext; submitted: SubmittedNormalization }) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('mediation.entry.done')}</h1>
      <Notice>{tr('mediation.entry.handOver')}</Notice>
      <ReceiptFacts ctx={ctx} submitted={submitted} />
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, mediationPaths.queue)}>
          {tr('mediation.queue.title')}
        </a>
      </p>
    </>
  );
}

// ---------------------------------------------------------------------------
// Routes

const idParams = z.object({
  id: rowId(),
});

/** A form field as typed: one line, or free text where `clean` says so. */
const formText = (max: number, clean: (value: string) => string = cleanLine) =>
  safeString()
    .max(max)
    .optional()
    .transform((v) => clean(v ?? ''));

const caseForm = z
  .object({
    party: formText(40),
    question: formText(4000, cleanMultiLine),
    scheduledAt: formText(40),
    place: formText(600),
    videoLink: formText(1000),
    note: formText(4000, cleanMultiLine),
    session: formText(20),
    outcome: formText(40),
    decision: formText(20),
    reason: formText(4000, cleanMultiLine),
    confirm: formText(10),
  })
  .partial();

type CaseForm = z.infer<typeof caseForm>;

/** "2026-03-10T14:30", typed in Western Indonesian Time (UTC+7). */
export function parseLocalTime(value: string): Date | null {
  const day = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}$/.exec(value)?.[1];
  // new Date() would take 30 February as 2 March.
  if (day === undefined || !isCalendarDate(day)) return null;
  const at = new Date(`${value}:00+07:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

function validation(field: string, reason: string): AppError {
  return new AppError('validation_failed', { errors: [{ field, reason }] });
}

export interface MediationPagesOptions extends NormalizationFiling {
  /** The largest file, which the service-desk form announces. */
  readonly maxFileBytes: number;
}

export const mediationPages: FastifyPluginAsync<MediationPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { normalizations } = options;
  const mediate = { config: { permission: 'normalizations.mediate', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  async function sendCase(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    options: {
      info?: CaseInfo | null;
      errors?: readonly FormError[];
      typed?: Typed;
      status?: number;
    } = {},
  ) {
    const ctx = backOfficeContext(request);
    const detail = await normalizations.detail(id, actorOf(request));
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'mediation.case.title', {
          ticket: detail.request.ticket ?? `#${detail.request.id}`,
        }),
        status: options.status ?? 200,
        switchPath: casePath(id),
      },
      <CasePage
        ctx={ctx}
        detail={detail}
        info={options.info ?? null}
        errors={options.errors ?? []}
        typed={options.typed ?? null}
      />,
    );
  }

  /** Runs a change; then back to the request (303), or the request again with what went wrong. */
  async function act(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    typed: Typed,
    info: CaseInfo,
    anchor: string,
    change: () => Promise<unknown>,
  ) {
    try {
      await change();
    } catch (error) {
      if (!isAppError(error) || statusByCode[error.code] >= 500 || error.code === 'not_found') {
        throw error;
      }
      const lang = request.lang;
      const errors: FormError[] = error.errors.length
        ? error.errors.map((e) => ({
            field: fieldIds[typed.form][e.field] ?? null,
            message: translateReason(lang, e.reason),
          }))
        : [{ field: null, message: problemDetail(lang, error.code, error.params) }];
      return sendCase(request, reply, id, { errors, typed, status: statusByCode[error.code] });
    }
    return redirectTo(reply, backOfficeContext(request), `${casePath(id)}?info=${info}#${anchor}`);
  }

  app.get(mediationPaths.queue, { ...mediate, schema: { hide: true } }, async (request, reply) => {
    const ctx = backOfficeContext(request);
    const query = (request.query ?? {}) as Record<string, unknown>;
    const asked = typeof query.status === 'string' ? query.status : 'open';
    const filter = (queueFilters as readonly string[]).includes(asked)
      ? (asked as QueueFilterName)
      : 'open';
    const overdueOnly = query.terlambat === '1';
    const page = Math.min(Math.max(Number(query.halaman) || 1, 1), 10_000);
    const items = await normalizations.queue({
      statuses: statusesOf(filter),
      overdueOnly,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return sendBackOfficePage(
      reply,
      ctx,
      { title: t(ctx.lang, 'mediation.queue.title') },
      <QueuePage
        ctx={ctx}
        items={items}
        filter={filter}
        overdueOnly={overdueOnly}
        page={page}
        decisionDays={normalizations.decisionDays}
      />,
    );
  });

  const maxFileMb = Math.floor(options.maxFileBytes / (1024 * 1024));
  const sendEntry = (request: FastifyRequest, reply: FastifyReply, state: FormState) => {
    const ctx = backOfficeContext(request);
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'mediation.entry.title'),
        status: state.status,
        switchPath: mediationPaths.entry,
      },
      <EntryPage ctx={ctx} state={state} maxFileMb={maxFileMb} />,
    );
  };

  app.get(mediationPaths.entry, { ...mediate, schema: { hide: true } }, (request, reply) =>
    sendEntry(request, reply, emptyForm),
  );

  app.post(
    mediationPaths.entry,
    {
      ...mediate,
      schema: { hide: true },
      // A multipart body is read only after the access check: the form's CSRF
      // token comes in the address and is checked as the header would be.
      onRequest: (request, _reply, done) => {
        const token = (request.query as Record<string, unknown> | undefined)?._csrf;
        if (typeof token === 'string' && request.headers['x-csrf-token'] === undefined) {
          request.headers['x-csrf-token'] = token;
        }
        done();
      },
    },
    async (request, reply) => {
      const sent = watchParts(request);
      try {
        const submitted = await fileNormalization(options, request, reply, 'service_desk');
        const ctx = backOfficeContext(request);
        return sendBackOfficePage(
          reply,
          ctx,
          { title: t(ctx.lang, 'mediation.entry.done'), switchPath: mediationPaths.queue },
          <EntryReceipt ctx={ctx} submitted={submitted} />,
        );
      } catch (error) {
        if (!isAppError(error) || statusByCode[error.code] >= 500) throw error;
        if (error.code === 'unsupported_media_type') throw error;
        return sendEntry(request, reply, refusedForm(error, sent));
      }
    },
  );

  app.get(
    `${mediationPaths.queue}/:id`,
    { ...mediate, schema: { params: idParams, hide: true } },
    async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const info = caseInfos.find((i) => i === query.info) ?? null;
      return sendCase(request, reply, request.params.id, { info });
    },
  );

  app.get(
    `${mediationPaths.queue}/:id/berkas/:fileId`,
    {
      ...mediate,
      schema: {
        params: z.object({ id: idParams.shape.id, fileId: safeString().max(64) }),
        hide: true,
      },
    },
    async (request, reply) => {
      const file = await normalizations.openFile(
        request.params.id,
        request.params.fileId,
        actorOf(request),
      );
      return sendCaseFile(reply, file);
    },
  );

  const post = { ...mediate, schema: { params: idParams, body: caseForm, hide: true } };

  app.post(`${mediationPaths.queue}/:id/ambil`, post, async (request, reply) => {
    const id = request.params.id;
    return act(request, reply, id, { form: 'question', values: {} }, 'claimed', 'main', () =>
      normalizations.claim(id, operatorActor(request)),
    );
  });

  app.post(`${mediationPaths.queue}/:id/pertanyaan`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = { form: 'question', values: pick(body, ['party', 'question']) };
    return act(request, reply, id, typed, 'asked', 'pertanyaan', async () => {
      const party = body.party ?? '';
      const question = body.question ?? '';
      const report = /^report:(\d{1,12})$/.exec(party);
      if (party !== 'owner' && !report) throw validation('party', 'normalization.party.report');
      if (visibleLength(question) < 10 || question.length > 2000) {
        throw validation('question', 'normalization.question.length');
      }
      return normalizations.askInformation(id, operatorActor(request), {
        party: report ? 'reporter' : 'owner',
        reportId: report ? Number(report[1]) : null,
        question,
      });
    });
  });

  app.post(`${mediationPaths.queue}/:id/mediasi`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = {
      form: 'mediation',
      values: pick(body, ['scheduledAt', 'place', 'videoLink', 'note']),
    };
    return act(request, reply, id, typed, 'scheduled', 'mediasi', async () => {
      const scheduledAt = parseLocalTime(body.scheduledAt ?? '');
      if (!scheduledAt) throw validation('scheduledAt', 'normalization.mediation.time');
      const videoLink = body.videoLink ?? '';
      if (videoLink && !/^https?:\/\/\S+$/.test(videoLink)) {
        throw validation('videoLink', 'normalization.mediation.link');
      }
      return normalizations.scheduleMediation(id, operatorActor(request), {
        scheduledAt,
        place: body.place || null,
        videoLink: videoLink || null,
        note: body.note || null,
      });
    });
  });

  app.post(`${mediationPaths.queue}/:id/mediasi/hasil`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = { form: 'outcome', values: pick(body, ['session', 'outcome', 'note']) };
    return act(request, reply, id, typed, 'recorded', 'mediasi', async () => {
      const session = Number(body.session);
      const outcome = mediationOutcomes.find((o) => o === body.outcome);
      if (!Number.isSafeInteger(session) || session < 1)
        throw validation('session', 'form.invalid');
      if (!outcome) throw validation('outcome', 'normalization.mediation.outcome');
      return normalizations.recordMediation(id, session, operatorActor(request), {
        outcome,
        note: body.note || null,
      });
    });
  });

  app.post(`${mediationPaths.queue}/:id/usulan`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = { form: 'proposal', values: pick(body, ['decision', 'reason']) };
    return act(request, reply, id, typed, 'proposed', 'keputusan', async () => {
      const decision = body.decision === 'grant' || body.decision === 'deny' ? body.decision : null;
      const reason = body.reason ?? '';
      if (!decision) throw validation('decision', 'normalization.proposal.decision');
      if (visibleLength(reason) < 10 || reason.length > maxReasonLength) {
        throw validation('reason', 'normalization.proposal.reason');
      }
      return normalizations.propose(id, operatorActor(request), { decision, reason });
    });
  });

  app.post(`${mediationPaths.queue}/:id/konfirmasi`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = { form: 'confirmation', values: pick(body, ['confirm', 'reason']) };
    const info: CaseInfo = body.confirm === 'no' ? 'returned' : 'confirmed';
    return act(request, reply, id, typed, info, 'keputusan', async () => {
      if (body.confirm !== 'yes' && body.confirm !== 'no') {
        throw validation('confirm', 'normalization.confirmation.choice');
      }
      return normalizations.confirm(id, operatorActor(request), {
        confirm: body.confirm === 'yes',
        reason: body.reason ? body.reason.slice(0, maxReasonLength) : null,
      });
    });
  });

  return Promise.resolve();
};

/** Field names of the service's errors, as the ids of the page's controls. */
const fieldIds: Record<Typed['form'], Record<string, string>> = {
  question: { party: 'party', reportId: 'party', question: 'question' },
  mediation: { scheduledAt: 'scheduledAt', place: 'place', videoLink: 'videoLink', note: 'note' },
  outcome: {},
  proposal: { decision: 'decision-grant', reason: 'reason' },
  confirmation: { confirm: 'confirm-yes', reason: 'confirm-reason' },
};

function pick(body: CaseForm, names: readonly (keyof CaseForm)[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = body[name];
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}
