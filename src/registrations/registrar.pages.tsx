// The registrar's pages: the queue of seller registrations (pending ones, and
// approved ones a verified report put back for a re-check, flagged first)
// and a registration in full, with what the seller typed next to the
// document that proves it, the account's report history, the claim, the
// decision and the revocation as forms, and the audited NIK reveal. Every
// read and change goes through RegistrationsService as the signed-in
// operator (actorOf), so it is audited like the API's; documents are shown
// through the back office's audited file route.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { cleanMultiLine, rowId, safeString } from '../shared/text-input.ts';
import { toAccountRef } from '../shared/account-number.ts';
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import type { RegistrationStatus, ReportStatus } from '../db/schema.ts';
import type { FileRecord } from '../files/files.service.ts';
import { actorOf } from '../backoffice/auth.ts';
import { formatAccountNumber, providerLongName } from '../http/format.ts';
import { WarningIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import type { Actor, OperatorsService } from '../operators/operators.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { RegistrationsService } from './registrations.service.ts';
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
import { filePath } from '../backoffice/paths.ts';
import { formErrorsOf } from '../backoffice/form-errors.ts';
import { Time } from '../backoffice/time.tsx';
import { isAppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { isMessageKey, problemTitle, t, tCount } from '../shared/messages.ts';
import type { DocumentField } from './registration-input.ts';
import { businessTypeName } from './registrations.pages.tsx';
import { registrationPath, registrationPaths } from './registrations.paths.ts';
import type { RegistrationQueueItem, RegistrationRecord } from './registrations.service.ts';
import {
  approveReasons,
  reasonText,
  rejectReasons,
  type RegistrationDetail,
  type RegistrationReason,
} from './registrations.service.ts';

const pageSize = 50;
const maxNoteLength = 2000;
const day = 24 * 60 * 60 * 1000;

const registrationStatuses: readonly RegistrationStatus[] = [
  'submitted',
  'in_review',
  'approved',
  'rejected',
  'revoked',
];

// ---------------------------------------------------------------------------
// Shared bits

function statusName(lang: Lang, status: RegistrationStatus): string {
  return t(lang, `registrar.status.${status}`);
}

const statusTones: Record<RegistrationStatus, 'ok' | 'warn' | 'off'> = {
  submitted: 'warn',
  in_review: 'warn',
  approved: 'ok',
  rejected: 'off',
  revoked: 'off',
};

function StatusBadge({ ctx, status }: { ctx: PageContext; status: RegistrationStatus }) {
  return <span class={`badge badge-${statusTones[status]}`}>{statusName(ctx.lang, status)}</span>;
}

function reportStatusName(lang: Lang, status: ReportStatus): string {
  return t(lang, `registrar.reportStatus.${status}`);
}

function flagText(lang: Lang, reason: string): string {
  const key = `registrar.flag.${reason}`;
  return isMessageKey(key) ? t(lang, key) : reason;
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

function accountText(provider: string, number: string): { provider: string; number: string } {
  try {
    const ref = toAccountRef(provider, number);
    return { provider: providerLongName(ref), number: formatAccountNumber(ref) };
  } catch {
    return { provider, number };
  }
}

/** Operators by id, for "who holds the claim" and "who decided". */
type OperatorNames = ReadonlyMap<number, string>;

function operatorName(ctx: BackOfficeContext, names: OperatorNames, id: number): string {
  if (id === ctx.session?.operator.id) return t(ctx.lang, 'registrar.claim.you');
  return names.get(id) ?? `#${id}`;
}

function activeClaim(
  record: { claimedBy: number | null; claimedUntil: Date | null },
  now: Date,
): { by: number; until: Date } | null {
  const { claimedBy, claimedUntil } = record;
  if (claimedBy === null || claimedUntil === null || claimedUntil <= now) return null;
  return { by: claimedBy, until: claimedUntil };
}

function ClaimText(props: {
  ctx: BackOfficeContext;
  names: OperatorNames;
  record: { claimedBy: number | null; claimedUntil: Date | null };
  now: Date;
}) {
  const { ctx, names, record, now } = props;
  const claim = activeClaim(record, now);
  if (!claim) return <>{t(ctx.lang, 'registrar.claim.none')}</>;
  return (
    <>
      {`${operatorName(ctx, names, claim.by)}, ${t(ctx.lang, 'registrar.claim.until')} `}
      <Time ctx={ctx} date={claim.until} />
    </>
  );
}

function ageText(lang: Lang, createdAt: Date, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - createdAt.getTime()) / day));
  return days === 0 ? t(lang, 'registrar.age.today') : tCount(lang, 'registrar.age', days);
}

/** Whether a registrar works on it: pending, or approved and flagged for a re-check. */
function workable(record: { status: RegistrationStatus; flagged: boolean }): boolean {
  return (
    record.status === 'submitted' ||
    record.status === 'in_review' ||
    (record.status === 'approved' && record.flagged)
  );
}

function operatorActor(request: FastifyRequest): Actor & { id: number } {
  return actorOf(request) as Actor & { id: number };
}

// ---------------------------------------------------------------------------
// The queue

interface QueueRead {
  readonly status: RegistrationStatus | undefined;
  readonly flagged: boolean;
  readonly page: number;
  readonly errors: readonly FormError[];
}

function readQueue(ctx: PageContext, query: Record<string, unknown>): QueueRead {
  const text = (name: string) => (typeof query[name] === 'string' ? query[name] : '');
  const statusText = text('status');
  const status = registrationStatuses.find((s) => s === statusText);
  const errors: FormError[] = [];
  if (statusText && !status) {
    errors.push({ field: 'status', message: t(ctx.lang, 'registrar.filter.status.invalid') });
  }
  const pageText = text('page');
  const page = /^\d{1,5}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  return { status, flagged: text('flagged') === '1', page, errors };
}

function queueUrl(ctx: PageContext, read: Partial<QueueRead>, page = 1): string {
  const query = new URLSearchParams();
  if (read.status) query.set('status', read.status);
  if (read.flagged) query.set('flagged', '1');
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return href(ctx, text ? `${registrationPaths.queue}?${text}` : registrationPaths.queue);
}

function QueueEntry(props: {
  ctx: BackOfficeContext;
  names: OperatorNames;
  now: Date;
  item: RegistrationQueueItem;
}) {
  const { ctx, names, now, item } = props;
  const tr = translator(ctx);
  const account = accountText(item.provider, item.number);
  return (
    <li class={item.flagged ? 'record record-flagged' : 'record'}>
      <h3 class="record-title">
        <a href={href(ctx, registrationPath(item.id))}>{`#${item.id} · ${item.businessName}`}</a>
      </h3>
      <dl class="details review-facts">
        <dt>{tr('registrar.account')}</dt>
        <dd>
          {account.provider} <span class="account-number">{account.number}</span>
        </dd>
        <dt>{tr('registrar.holderName')}</dt>
        <dd>{item.holderName}</dd>
        <dt>{tr('registrar.status')}</dt>
        <dd>
          <StatusBadge ctx={ctx} status={item.status} />
        </dd>
        <dt>{tr('registrar.received')}</dt>
        <dd>
          <strong>{ageText(ctx.lang, item.createdAt, now)}</strong>
          <span class="small">
            {' · '}
            <Time ctx={ctx} date={item.createdAt} />
          </span>
        </dd>
        <dt>{tr('registrar.verifiedReports')}</dt>
        <dd>{item.verifiedReports}</dd>
        {item.flagged && (
          <>
            <dt>{tr('registrar.flagged')}</dt>
            <dd>
              <FlagList ctx={ctx} reasons={item.flagReasons} />
            </dd>
          </>
        )}
        <dt>{tr('registrar.claim')}</dt>
        <dd>
          <ClaimText ctx={ctx} names={names} record={item} now={now} />
        </dd>
      </dl>
    </li>
  );
}

function QueuePage(props: {
  ctx: BackOfficeContext;
  names: OperatorNames;
  now: Date;
  read: QueueRead;
  items: readonly RegistrationQueueItem[];
  counts: { submitted: number; inReview: number; recheck: number };
}) {
  const { ctx, read, items, counts } = props;
  const tr = translator(ctx);
  const statusError = fieldError(read.errors, 'status');
  return (
    <>
      <h1>{tr('registrar.queue.title')}</h1>
      <p class="lead">{tr('registrar.queue.lead')}</p>
      <section class="card" aria-labelledby="counts-title">
        <h2 id="counts-title" class="form-title">
          {tr('registrar.queue.counts')}
        </h2>
        <dl class="queue-counts">
          <div>
            <dt>{tr('registrar.status.submitted')}</dt>
            <dd>
              <a href={queueUrl(ctx, { status: 'submitted' })}>{counts.submitted}</a>
            </dd>
          </div>
          <div>
            <dt>{tr('registrar.status.in_review')}</dt>
            <dd>
              <a href={queueUrl(ctx, { status: 'in_review' })}>{counts.inReview}</a>
            </dd>
          </div>
          <div>
            <dt>{tr('registrar.queue.recheck')}</dt>
            <dd>
              <a href={queueUrl(ctx, { status: 'approved', flagged: true })}>{counts.recheck}</a>
            </dd>
          </div>
        </dl>
      </section>
      <ErrorSummary ctx={ctx} errors={read.errors} />
      <form class="card filter-form" method="get" action={registrationPaths.queue}>
        <h2 class="form-title">{tr('registrar.filter')}</h2>
        {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
        <div class="filter-grid">
          <div class="field">
            <label for="status">{tr('registrar.status')}</label>
            {statusError && (
              <p class="field-error" id="status-error">
                <span>{statusError}</span>
              </p>
            )}
            <select
              id="status"
              name="status"
              aria-invalid={statusError ? 'true' : undefined}
              aria-describedby={statusError ? 'status-error' : undefined}
            >
              <option value="">{tr('registrar.filter.status.open')}</option>
              {registrationStatuses.map((status) => (
                <option key={status} value={status} selected={read.status === status}>
                  {statusName(ctx.lang, status)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="choice" for="flagged">
              <input type="checkbox" id="flagged" name="flagged" value="1" checked={read.flagged} />
              <span>{tr('registrar.filter.flagged')}</span>
            </label>
          </div>
        </div>
        <div class="button-row">
          <button type="submit" class="button">
            {tr('registrar.filter.apply')}
          </button>
          <a class="button button-secondary" href={href(ctx, registrationPaths.queue)}>
            {tr('registrar.filter.clear')}
          </a>
        </div>
      </form>
      {read.errors.length === 0 && (
        <section aria-labelledby="list-title">
          <h2 id="list-title">{tr('registrar.queue.list')}</h2>
          {items.length === 0 ? (
            <p>{tr('registrar.queue.none')}</p>
          ) : (
            <ol class="records">
              {items.map((item) => (
                <QueueEntry key={item.id} {...props} item={item} />
              ))}
            </ol>
          )}
          <nav class="pager" aria-label={tr('registrar.queue.pages')}>
            {read.page > 1 && (
              <a href={queueUrl(ctx, read, read.page - 1)}>{tr('registrar.queue.previous')}</a>
            )}
            {items.length === pageSize && (
              <a href={queueUrl(ctx, read, read.page + 1)}>{tr('registrar.queue.next')}</a>
            )}
          </nav>
        </section>
      )}
    </>
  );
}

// ---------------------------------------------------------------------------
// One registration

const notices = ['claimed', 'released', 'approved', 'rejected', 'kept', 'revoked'] as const;
type PageNotice = (typeof notices)[number];

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

interface PageView {
  readonly ctx: BackOfficeContext;
  readonly names: OperatorNames;
  readonly now: Date;
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <>
      <dt>{label}</dt>
      <dd>{empty ? '—' : children}</dd>
    </>
  );
}

function fileSize(lang: Lang, bytes: number): string {
  const kb = Math.max(1, Math.round(bytes / 1024));
  return `${kb.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB')} KB`;
}

function DocumentView(props: {
  ctx: BackOfficeContext;
  field: DocumentField;
  file: FileRecord | undefined;
  erased: boolean;
}) {
  const { ctx, field, file } = props;
  const tr = translator(ctx);
  const title = tr(`sellerForm.${field}`);
  if (!file) {
    return (
      <figure class="reg-document reg-document-missing">
        <figcaption>
          <strong>{title}</strong>
          <span class="small">
            {' · '}
            {tr(props.erased ? 'registrar.document.erased' : 'registrar.document.none')}
          </span>
        </figcaption>
      </figure>
    );
  }
  if (file.mime === 'application/pdf') {
    return (
      <figure class="reg-document">
        <figcaption>
          <strong>{title}</strong>
        </figcaption>
        <p>
          <a href={filePath(file.id)}>{tr('registrar.document.openPdf')}</a>
          <span class="small">{` (PDF, ${fileSize(ctx.lang, file.size)})`}</span>
        </p>
      </figure>
    );
  }
  return (
    <figure class="reg-document">
      <a href={filePath(file.id)}>
        <img src={filePath(file.id)} alt={title} loading="lazy" />
      </a>
      <figcaption>
        <strong>{title}</strong>
        <span class="small">{` (${fileSize(ctx.lang, file.size)})`}</span>
      </figcaption>
    </figure>
  );
}

/** One row of the comparison: what was typed, and the document that proves it. */
function CompareRow(props: {
  ctx: BackOfficeContext;
  title: string;
  field: DocumentField;
  detail: RegistrationDetail;
  children: ComponentChildren;
}) {
  const { ctx, detail, field } = props;
  const file = detail.files.find((f) => f.field === field);
  return (
    <div class="reg-compare-row">
      <div class="reg-typed">
        <h3>{props.title}</h3>
        <dl class="details">{props.children}</dl>
      </div>
      <DocumentView
        ctx={ctx}
        field={field}
        file={file}
        erased={detail.registration.documentsErasedAt !== null}
      />
    </div>
  );
}

function NikFact(props: {
  ctx: BackOfficeContext;
  detail: RegistrationDetail;
  revealed: string | null;
}) {
  const { ctx, detail, revealed } = props;
  const tr = translator(ctx);
  const r = detail.registration;
  if (revealed) {
    return (
      <Fact label={tr('registrar.nik')}>
        <code id="nik-full">{revealed}</code>
        <span class="small">{` ${tr('registrar.nik.revealed')}`}</span>
      </Fact>
    );
  }
  if (!detail.nikMasked) {
    return <Fact label={tr('registrar.nik')}>{tr('registrar.nik.erased')}</Fact>;
  }
  return (
    <Fact label={tr('registrar.nik')}>
      <code id="nik-masked">{detail.nikMasked}</code>
      <form class="action-form" method="post" action={href(ctx, registrationPath(r.id, 'nik'))}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="button button-secondary button-small">
          {tr('registrar.nik.reveal')}
        </button>
        <p class="hint">{tr('registrar.nik.reveal.hint')}</p>
      </form>
    </Fact>
  );
}

function Comparison(props: {
  ctx: BackOfficeContext;
  detail: RegistrationDetail;
  revealed: string | null;
}) {
  const { ctx, detail } = props;
  const tr = translator(ctx);
  const r = detail.registration;
  const account = accountText(r.provider, r.number);
  return (
    <section class="card" aria-labelledby="compare-title">
      <h2 id="compare-title">{tr('registrar.compare')}</h2>
      <p class="hint">{tr('registrar.compare.hint')}</p>
      <div class="reg-compare">
        <CompareRow
          ctx={ctx}
          title={tr('registrar.compare.account')}
          field="savingsBookPhoto"
          detail={detail}
        >
          <Fact label={tr('registrar.account')}>{account.provider}</Fact>
          <Fact label={tr('registrar.number')}>
            <span class="account-number">{account.number}</span>
          </Fact>
          <Fact label={tr('registrar.holderName')}>{r.holderName}</Fact>
        </CompareRow>
        <CompareRow
          ctx={ctx}
          title={tr('registrar.compare.identity')}
          field="idCardPhoto"
          detail={detail}
        >
          <Fact label={tr('registrar.holderName')}>{r.holderName}</Fact>
          <NikFact ctx={ctx} detail={detail} revealed={props.revealed} />
        </CompareRow>
        <CompareRow
          ctx={ctx}
          title={tr('registrar.compare.business')}
          field="businessPermit"
          detail={detail}
        >
          <Fact label={tr('registrar.businessName')}>{r.businessName}</Fact>
          <Fact label={tr('registrar.businessType')}>
            {businessTypeName(ctx.lang, r.businessType, r.businessTypeOther)}
          </Fact>
        </CompareRow>
      </div>
      <h3>{tr('registrar.contact')}</h3>
      <dl class="details">
        <Fact label={tr('registrar.phone')}>{detail.contact?.phone}</Fact>
        <Fact label={tr('registrar.email')}>{detail.contact?.email}</Fact>
      </dl>
      <p class="hint">{tr('registrar.audited')}</p>
    </section>
  );
}

function StateSection({ view, detail }: { view: PageView; detail: RegistrationDetail }) {
  const { ctx, names, now } = view;
  const tr = translator(ctx);
  const r = detail.registration;
  const claim = activeClaim(r, now);
  const mine = claim?.by === ctx.session?.operator.id;
  return (
    <section class="card" aria-labelledby="state-title">
      <h2 id="state-title">{tr('registrar.state')}</h2>
      <dl class="details">
        <Fact label={tr('registrar.status')}>
          <StatusBadge ctx={ctx} status={r.status} />
        </Fact>
        <Fact label={tr('registrar.received')}>
          <Time ctx={ctx} date={r.createdAt} />
        </Fact>
        {r.ticket && (
          <Fact label={tr('registrar.ticket')}>
            <code>{r.ticket}</code>
          </Fact>
        )}
        {r.flagged && (
          <Fact label={tr('registrar.flagged')}>
            <FlagList ctx={ctx} reasons={r.flagReasons} />
          </Fact>
        )}
        {workable(r) && (
          <Fact label={tr('registrar.claim')}>
            <ClaimText ctx={ctx} names={names} record={r} now={now} />
          </Fact>
        )}
        {r.decidedAt && (
          <>
            <Fact label={tr('registrar.decidedBy')}>
              {r.decidedBy === null ? null : operatorName(ctx, names, r.decidedBy)}
              {', '}
              <Time ctx={ctx} date={r.decidedAt} />
            </Fact>
            <Fact label={tr('registrar.reason')}>
              {r.decisionReason && reasonText(ctx.lang, r.decisionReason)}
            </Fact>
            {r.decisionNote && <Fact label={tr('registrar.note')}>{r.decisionNote}</Fact>}
          </>
        )}
        {r.recheckedAt && (
          <Fact label={tr('registrar.rechecked')}>
            {r.recheckedBy === null ? null : operatorName(ctx, names, r.recheckedBy)}
            {', '}
            <Time ctx={ctx} date={r.recheckedAt} />
            {r.recheckReason && ` · ${reasonText(ctx.lang, r.recheckReason)}`}
          </Fact>
        )}
        {r.documentsErasedAt && (
          <Fact label={tr('registrar.erasedAt')}>
            <Time ctx={ctx} date={r.documentsErasedAt} />
          </Fact>
        )}
        {detail.sellerPage && (
          <Fact label={tr('registrar.sellerPage')}>
            <a href={detail.sellerPage}>{tr('registrar.sellerPage.open')}</a>
          </Fact>
        )}
      </dl>
      {workable(r) && (!claim || mine) && (
        <div class="button-row">
          {!mine && (
            <form method="post" action={href(ctx, registrationPath(r.id, 'klaim'))}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="button button-secondary">
                {tr('registrar.claim.take')}
              </button>
            </form>
          )}
          {mine && (
            <form method="post" action={href(ctx, registrationPath(r.id, 'lepas'))}>
              <CsrfField ctx={ctx} />
              <button type="submit" class="button button-secondary">
                {tr('registrar.claim.release')}
              </button>
            </form>
          )}
        </div>
      )}
    </section>
  );
}

function HistorySection({ ctx, detail }: { ctx: BackOfficeContext; detail: RegistrationDetail }) {
  const tr = translator(ctx);
  const reports = detail.accountReports;
  const verified = reports.filter((r) => r.status === 'verified').length;
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{tr('registrar.history')}</h2>
      {reports.length === 0 ? (
        <p>{tr('registrar.history.none')}</p>
      ) : (
        <>
          <p>{tCount(ctx.lang, 'registrar.history.verified', verified)}</p>
          <ul class="review-others">
            {reports.map((report) => (
              <li key={report.id}>
                {`#${report.id} · ${isCategoryCode(report.category) ? categoryName(report.category, ctx.lang) : report.category} · ${reportStatusName(ctx.lang, report.status)} · `}
                <span class="small">
                  <Time ctx={ctx} date={report.createdAt} />
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function ReasonSelect(props: {
  ctx: BackOfficeContext;
  id: string;
  value: string;
  error: string | undefined;
  groups: readonly { label: string; reasons: readonly RegistrationReason[] }[];
}) {
  const { ctx, id, error } = props;
  const tr = translator(ctx);
  return (
    <div class="field">
      <label for={id}>{tr('registrar.reason')}</label>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span>{error}</span>
        </p>
      )}
      <select
        id={id}
        name="reason"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">{tr('registrar.reason.choose')}</option>
        {props.groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.reasons.map((reason) => (
              <option key={reason} value={reason} selected={props.value === reason}>
                {reasonText(ctx.lang, reason)}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}

function NoteField(props: {
  ctx: BackOfficeContext;
  id: string;
  value: string;
  error: string | undefined;
}) {
  const { ctx, id, error } = props;
  const tr = translator(ctx);
  return (
    <div class="field">
      <label for={id}>{tr('registrar.note.label')}</label>
      <p class="hint" id={`${id}-hint`}>
        {tr('registrar.note.hint')}
      </p>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <span>{error}</span>
        </p>
      )}
      <textarea
        id={id}
        name="note"
        rows={3}
        maxLength={maxNoteLength}
        value={props.value}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}

function DecisionSection(props: {
  ctx: BackOfficeContext;
  record: RegistrationRecord;
  form: DecisionForm;
  errors: readonly FormError[];
}) {
  const { ctx, record, form, errors } = props;
  const tr = translator(ctx);
  const recheck = record.status === 'approved';
  const decisionError = fieldError(errors, 'decision');
  const choice = (value: 'approve' | 'reject') => {
    const key = recheck ? (value === 'approve' ? 'keep' : 'revoke') : value;
    return (
      <label class="choice" for={`decision-${value}`}>
        <input
          type="radio"
          id={`decision-${value}`}
          name="decision"
          value={value}
          checked={form.decision === value}
        />
        <span>
          <span class="choice-name">{tr(`registrar.decision.${key}`)}</span>
          <span class="choice-hint">{tr(`registrar.decision.${key}.hint`)}</span>
        </span>
      </label>
    );
  };
  return (
    <section class="card review-decision" aria-labelledby="decision-title">
      <h2 id="decision-title">
        {tr(recheck ? 'registrar.decision.recheckTitle' : 'registrar.decision.title')}
      </h2>
      <form method="post" action={href(ctx, registrationPath(record.id, 'keputusan'))} novalidate>
        <CsrfField ctx={ctx} />
        <fieldset
          class="choices-list"
          aria-describedby={decisionError ? 'decision-error' : undefined}
        >
          <legend id="decision">{tr('registrar.decision.legend')}</legend>
          {decisionError && (
            <p class="field-error" id="decision-error">
              <span>{decisionError}</span>
            </p>
          )}
          {choice('approve')}
          {choice('reject')}
        </fieldset>
        <ReasonSelect
          ctx={ctx}
          id="reason"
          value={form.reason}
          error={fieldError(errors, 'reason')}
          groups={[
            { label: tr('registrar.reason.approve'), reasons: approveReasons },
            { label: tr('registrar.reason.reject'), reasons: rejectReasons },
          ]}
        />
        <NoteField ctx={ctx} id="note" value={form.note} error={fieldError(errors, 'note')} />
        <button type="submit" class="button">
          {tr('registrar.decision.submit')}
        </button>
      </form>
    </section>
  );
}

function RevocationSection({
  ctx,
  record,
}: {
  ctx: BackOfficeContext;
  record: RegistrationRecord;
}) {
  const tr = translator(ctx);
  return (
    <section class="card reg-revoke" aria-labelledby="revoke-title">
      <h2 id="revoke-title">{tr('registrar.revoke.title')}</h2>
      <p>{tr('registrar.revoke.text')}</p>
      <form method="post" action={href(ctx, registrationPath(record.id, 'cabut'))} novalidate>
        <CsrfField ctx={ctx} />
        <ReasonSelect
          ctx={ctx}
          id="revoke-reason"
          value=""
          error={undefined}
          groups={[{ label: tr('registrar.reason.reject'), reasons: rejectReasons }]}
        />
        <NoteField ctx={ctx} id="revoke-note" value="" error={undefined} />
        <button type="submit" class="button button-danger">
          {tr('registrar.revoke.submit')}
        </button>
      </form>
    </section>
  );
}

interface RegistrationPageProps {
  readonly view: PageView;
  readonly detail: RegistrationDetail;
  readonly info: PageNotice | null;
  readonly conflict: Conflict | null;
  readonly errors: readonly FormError[];
  readonly form: DecisionForm;
  readonly revealed: string | null;
}

function RegistrationPage(props: RegistrationPageProps) {
  const { view, detail, info, conflict, errors } = props;
  const { ctx, now } = view;
  const tr = translator(ctx);
  const r = detail.registration;
  const claim = activeClaim(r, now);
  const heldByOther = claim !== null && claim.by !== ctx.session?.operator.id;
  return (
    <>
      <p class="breadcrumb">
        <a href={href(ctx, registrationPaths.queue)}>{tr('registrar.back')}</a>
      </p>
      <h1 class="record-heading">{tr('registrar.registration.title', { id: r.id })}</h1>
      {info && <Notice>{tr(`registrar.info.${info}`)}</Notice>}
      {conflict && (
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
            <p>{tr(`registrar.conflict.${conflict}`)}</p>
          </div>
        </section>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      {r.flagged && r.status === 'approved' && (
        <div class="notice notice-caution">
          <WarningIcon />
          <div>
            <p>{tr('registrar.recheck.notice')}</p>
          </div>
        </div>
      )}
      <StateSection view={view} detail={detail} />
      <Comparison ctx={ctx} detail={detail} revealed={props.revealed} />
      <HistorySection ctx={ctx} detail={detail} />
      {workable(r) && !heldByOther && (
        <DecisionSection ctx={ctx} record={r} form={props.form} errors={errors} />
      )}
      {r.status === 'approved' && !r.flagged && <RevocationSection ctx={ctx} record={r} />}
    </>
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

const allReasons: readonly string[] = [...approveReasons, ...rejectReasons];

function readDecision(
  ctx: PageContext,
  body: z.infer<typeof decisionBody>,
  options: { revocation: boolean },
): { form: DecisionForm; errors: FormError[] } {
  const form: DecisionForm = {
    decision: options.revocation ? 'reject' : (body.decision ?? ''),
    reason: body.reason ?? '',
    note: cleanMultiLine(body.note ?? ''),
  };
  const errors: FormError[] = [];
  if (form.decision !== 'approve' && form.decision !== 'reject') {
    errors.push({ field: 'decision', message: t(ctx.lang, 'registrar.decision.required') });
  }
  const reasons = options.revocation ? (rejectReasons as readonly string[]) : allReasons;
  if (!reasons.includes(form.reason)) {
    errors.push({ field: 'reason', message: t(ctx.lang, 'registrar.reason.required') });
  }
  if (form.note.length > maxNoteLength) {
    errors.push({
      field: 'note',
      message: t(ctx.lang, 'registrar.note.tooLong', { max: maxNoteLength }),
    });
  }
  return { form: { ...form, note: form.note.slice(0, maxNoteLength * 2) }, errors };
}

function infoOf(request: FastifyRequest): PageNotice | null {
  const info = (request.query as Record<string, unknown> | undefined)?.info;
  return notices.find((n) => n === info) ?? null;
}

export interface RegistrarPagesOptions {
  readonly registrations: RegistrationsService;
  readonly operators: OperatorsService;
  readonly clock: Clock;
}

export const registrarPages: FastifyPluginAsync<RegistrarPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { registrations, operators, clock } = options;
  const review = { config: { permission: 'registrations.review', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  async function operatorNames(): Promise<OperatorNames> {
    return new Map((await operators.list()).map((o) => [o.id, o.email]));
  }

  app.get(
    registrationPaths.queue,
    { ...review, schema: { hide: true } },
    async (request, reply) => {
      const ctx = backOfficeContext(request);
      const read = readQueue(ctx, (request.query ?? {}) as Record<string, unknown>);
      const items =
        read.errors.length === 0
          ? await registrations.queue({
              status: read.status,
              flagged: read.flagged ? true : undefined,
              limit: pageSize,
              offset: (read.page - 1) * pageSize,
            })
          : [];
      return sendBackOfficePage(
        reply,
        ctx,
        {
          title: t(ctx.lang, 'registrar.queue.title'),
          status: read.errors.length > 0 ? 400 : 200,
        },
        <QueuePage
          ctx={ctx}
          names={await operatorNames()}
          now={clock.now()}
          read={read}
          items={items}
          counts={await registrations.counts()}
        />,
      );
    },
  );

  /** The registration page; every showing opens the seller's contact, so each is an audited view. */
  async function sendRegistration(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    state: {
      status?: number;
      conflict?: Conflict;
      errors?: readonly FormError[];
      form?: DecisionForm;
      revealed?: string;
    } = {},
  ) {
    const ctx = backOfficeContext(request);
    const detail = await registrations.detail(id, actorOf(request));
    const view: PageView = { ctx, names: await operatorNames(), now: clock.now() };
    // A revealed NIK is in this answer: it must not be kept or passed on.
    if (state.revealed) void reply.header('referrer-policy', 'no-referrer');
    return sendBackOfficePage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'registrar.registration.title', { id }),
        status: state.status ?? 200,
        switchPath: registrationPath(id),
      },
      <RegistrationPage
        view={view}
        detail={detail}
        info={state.status || state.revealed ? null : infoOf(request)}
        conflict={state.conflict ?? null}
        errors={state.errors ?? []}
        form={state.form ?? emptyDecision}
        revealed={state.revealed ?? null}
      />,
    );
  }

  app.get(
    `${registrationPaths.queue}/:id`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => sendRegistration(request, reply, request.params.id),
  );

  async function change(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    run: () => Promise<unknown>,
    done: (result: unknown) => PageNotice,
    form?: DecisionForm,
  ) {
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      if (!isAppError(error)) throw error;
      if (isConflict(error.code)) {
        return sendRegistration(request, reply, id, { status: 409, conflict: error.code, form });
      }
      if (error.code === 'validation_failed') {
        const errors = formErrorsOf(backOfficeContext(request), error.errors);
        return sendRegistration(request, reply, id, { status: 400, errors, form });
      }
      throw error;
    }
    return redirectTo(
      reply,
      backOfficeContext(request),
      `${registrationPath(id)}?info=${done(result)}`,
    );
  }

  app.post(
    `${registrationPaths.queue}/:id/klaim`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => {
      const { id } = request.params;
      return change(
        request,
        reply,
        id,
        () => registrations.claim(id, operatorActor(request)),
        () => 'claimed',
      );
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/lepas`,
    { ...review, schema: { hide: true, params: idParams } },
    (request, reply) => {
      const { id } = request.params;
      return change(
        request,
        reply,
        id,
        () => registrations.release(id, operatorActor(request)),
        () => 'released',
      );
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/nik`,
    { ...review, schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const { id } = request.params;
      const revealed = await registrations.revealNik(id, actorOf(request));
      return sendRegistration(request, reply, id, { revealed });
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/keputusan`,
    { ...review, schema: { hide: true, params: idParams, body: decisionBody } },
    async (request, reply) => {
      const { id } = request.params;
      const ctx = backOfficeContext(request);
      const { form, errors } = readDecision(ctx, request.body ?? {}, { revocation: false });
      if (errors.length > 0)
        return sendRegistration(request, reply, id, { status: 400, errors, form });
      return change(
        request,
        reply,
        id,
        () =>
          registrations.decide(id, operatorActor(request), {
            decision: form.decision as 'approve' | 'reject',
            reason: form.reason as RegistrationReason,
            note: form.note === '' ? null : form.note,
          }),
        (result) => (result as { outcome: PageNotice }).outcome,
        form,
      );
    },
  );

  app.post(
    `${registrationPaths.queue}/:id/cabut`,
    { ...review, schema: { hide: true, params: idParams, body: decisionBody } },
    (request, reply) => {
      const { id } = request.params;
      const ctx = backOfficeContext(request);
      const { form, errors } = readDecision(ctx, request.body ?? {}, { revocation: true });
      if (errors.length > 0) return sendRegistration(request, reply, id, { status: 400, errors });
      return change(
        request,
        reply,
        id,
        () =>
          registrations.revoke(id, operatorActor(request), {
            reason: form.reason as (typeof rejectReasons)[number],
            note: form.note === '' ? null : form.note,
          }),
        () => 'revoked',
      );
    },
  );

  return Promise.resolve();
};
