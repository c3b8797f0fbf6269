// The public pages of a report: the form that files one with its evidence
// (/lapor), the receipt that shows the tracking code once, and the tracking
// page (/lacak). Filing goes through fileReport, like the API, under the same
// rate limit, so both refuse the same things with the same messages.
import type { Multipart } from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { fraudCategories, listCategories } from '../shared/categories.ts';
import { providers } from '../shared/providers.ts';
import { altchaScriptHref } from '../http/assets.ts';
import { isoDate } from '../http/format.ts';
import { control, FieldFrame, ProviderSelect, Step } from '../http/form-fields.tsx';
import { ClockIcon, ErrorIcon, InfoIcon, ShieldIcon } from '../http/icons.tsx';
import { SaveTrackingLink } from '../http/receipt.tsx';
import {
  href,
  pageContext,
  publicOrigin,
  sendPage,
  translator,
  type PageContext,
} from '../http/layout.tsx';
import { rememberLanguage } from '../http/error-pages.tsx';
import { statusByCode } from '../http/problems.ts';
import { isAppError, type AppError, type ErrorCode, type FieldError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import {
  isMessageKey,
  problemDetail,
  problemTitle,
  t,
  translateReason,
} from '../shared/messages.ts';
import type { TicketEvent, TicketsService, TrackedTicket } from '../tickets/tickets.service.ts';
import { limitedBy } from '../http/replies.ts';
import { jakartaDate, reportFields, type ReportField } from './report-input.ts';
import { fileReport, type ReportFiling } from './reports.routes.ts';
import { maxEvidenceFiles, reasonLabel, type SubmittedReport } from './reports.service.ts';

// ---------------------------------------------------------------------------
// The form's state

/** The form's fields in page order. The evidence comes last: see watchParts. */
const formFields = [...reportFields, 'evidence'] as const;
type FormField = (typeof formFields)[number];

type ReportFormValues = Readonly<Partial<Record<ReportField, string>>>;

interface ReportFormState {
  readonly values: ReportFormValues;
  /** Every field at fault, in page order. */
  readonly errors: readonly FieldError[];
  /** Why a report was refused when no field is at fault (a duplicate, a file type, …). */
  readonly problem?: { readonly code: ErrorCode; readonly params: Record<string, string | number> };
  readonly status: number;
}

const emptyForm: ReportFormState = { values: {}, errors: [], status: 200 };

const challengePath = '/api/v1/challenge';
const evidenceTypes = 'image/jpeg,image/png,image/webp,application/pdf';

function isFormField(field: string): field is FormField {
  return (formFields as readonly string[]).includes(field);
}

function byPageOrder(a: FieldError, b: FieldError): number {
  const rank = (e: FieldError) =>
    isFormField(e.field) ? formFields.indexOf(e.field) : formFields.length;
  return rank(a) - rank(b);
}

/** A repeated query parameter counts by its first value; anything else is empty. */
function text(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

// ---------------------------------------------------------------------------
// Reading what was sent

interface SentForm {
  readonly values: Map<string, string>;
  /** Evidence files that came with the form; undefined when the body was never read. */
  files: number | undefined;
}

/**
 * fileReport reads the form itself and throws at the first problem, and what
 * it had read is gone with it. A copy of the text fields and a count of the
 * evidence files, taken as the parts go by, lets a refused form come back as
 * it was typed.
 * Fields after a refused file are never read (the rest of the body is left
 * unread), which is why the evidence is the form's last field.
 */
function watchParts(request: FastifyRequest): SentForm {
  const sent: SentForm = { values: new Map(), files: 0 };
  const parts = request.parts.bind(request);
  request.parts = (options) => recorded(parts(options), sent);
  return sent;
}

async function* recorded(parts: AsyncIterable<Multipart>, sent: SentForm) {
  for await (const part of parts) {
    if (part.type === 'field') {
      if (typeof part.value === 'string') sent.values.set(part.fieldname, part.value);
    } else if (part.fieldname === 'evidence' && part.filename !== '') {
      sent.files = (sent.files ?? 0) + 1;
    }
    yield part;
  }
}

function valuesOf(sent: SentForm): ReportFormValues {
  const values: Partial<Record<ReportField, string>> = {};
  for (const field of reportFields) {
    const value = sent.values.get(field);
    if (value !== undefined) values[field] = value;
  }
  return values;
}

/**
 * Files are never kept when a form is refused, so the evidence field always
 * needs attention again: its own error if it had one, else a reminder.
 */
function withEvidenceError(errors: readonly FieldError[], files: number | undefined) {
  if (errors.some((e) => e.field === 'evidence')) return errors;
  const reason = files === 0 ? 'report.evidence.count' : 'reportForm.evidence.again';
  return [...errors, { field: 'evidence', reason }];
}

function refusedForm(error: AppError, sent: SentForm): ReportFormState {
  const fieldErrors = error.code === 'validation_failed' ? error.errors : [];
  return {
    values: valuesOf(sent),
    errors: [...withEvidenceError(fieldErrors, sent.files)].sort(byPageOrder),
    ...(error.code === 'validation_failed'
      ? {}
      : { problem: { code: error.code, params: { ...error.params } } }),
    status: statusByCode[error.code],
  };
}

// ---------------------------------------------------------------------------
// The form

interface FormView {
  readonly ctx: PageContext;
  readonly values: ReportFormValues;
  readonly errors: ReadonlyMap<string, string>;
}

interface FieldProps {
  readonly form: FormView;
  readonly name: FormField;
  readonly optional?: boolean;
  /** The hint, when it needs values; else the field's own hint text. */
  readonly hint?: string;
  readonly children: ComponentChildren;
}

function Field({ form, name, optional = false, hint, children }: FieldProps) {
  const tr = translator(form.ctx);
  return (
    <FieldFrame
      name={name}
      label={tr(`reportForm.${name}`)}
      hint={hint ?? tr(`reportForm.${name}.hint`)}
      optional={optional ? tr('reportForm.optional') : undefined}
      error={form.errors.get(name)}
    >
      {children}
    </FieldFrame>
  );
}

interface TextFieldProps {
  readonly form: FormView;
  readonly name: ReportField;
  readonly type?: 'text' | 'email' | 'tel' | 'date' | 'time';
  readonly autocomplete: string;
  readonly optional?: boolean;
  readonly inputmode?: 'text' | 'numeric' | 'tel' | 'email' | 'url';
  readonly list?: string;
  readonly max?: string;
  readonly narrow?: boolean;
}

function TextField(props: TextFieldProps) {
  const { form, name, type = 'text', optional = false } = props;
  return (
    <Field form={form} name={name} optional={optional}>
      <input
        {...control(form.errors, name)}
        type={type}
        class={props.narrow ? 'input-narrow' : undefined}
        value={form.values[name] ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        list={props.list}
        max={props.max}
        required={!optional}
        spellcheck={type === 'email' || type === 'tel' ? false : undefined}
      />
    </Field>
  );
}

function ProviderField({ form }: { form: FormView }) {
  const tr = translator(form.ctx);
  return (
    <Field form={form} name="provider">
      <ProviderSelect
        errors={form.errors}
        chosen={form.values.provider ?? ''}
        texts={{
          choose: tr('reportForm.provider.choose'),
          banks: tr('reportForm.provider.banks'),
          ewallets: tr('reportForm.provider.ewallets'),
        }}
      />
    </Field>
  );
}

function CategoryField({ form }: { form: FormView }) {
  const tr = translator(form.ctx);
  const chosen = form.values.category ?? '';
  const categories = listCategories(form.ctx.lang);
  const group = (fraud: boolean) =>
    categories
      .filter((c) => fraudCategories.includes(c.code) === fraud)
      .map((c) => (
        <option key={c.code} value={c.code} selected={c.code === chosen}>
          {c.name}
        </option>
      ));
  return (
    <Field form={form} name="category">
      <select {...control(form.errors, 'category')} required>
        <option value="" selected={chosen === ''}>
          {tr('reportForm.category.choose')}
        </option>
        <optgroup label={tr('reportForm.category.fraud')}>{group(true)}</optgroup>
        <optgroup label={tr('reportForm.category.other')}>{group(false)}</optgroup>
      </select>
    </Field>
  );
}

function PlatformField({ form }: { form: FormView }) {
  const suggestions = t(form.ctx.lang, 'reportForm.platform.suggestions').split('|');
  return (
    <>
      <TextField form={form} name="platform" autocomplete="off" list="platform-list" />
      <datalist id="platform-list">
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </>
  );
}

function ChronologyField({ form }: { form: FormView }) {
  return (
    <Field form={form} name="chronology">
      <textarea
        {...control(form.errors, 'chronology')}
        rows={8}
        required
        value={form.values.chronology ?? ''}
      />
    </Field>
  );
}

function EvidenceField({ form, maxFileMb }: { form: FormView; maxFileMb: number }) {
  const tr = translator(form.ctx);
  return (
    <Field
      form={form}
      name="evidence"
      hint={tr('reportForm.evidence.hint', { max: maxEvidenceFiles, size: maxFileMb })}
    >
      <input
        {...control(form.errors, 'evidence')}
        type="file"
        multiple
        accept={evidenceTypes}
        required
      />
      <p class="small">{tr('reportForm.evidence.privacy')}</p>
    </Field>
  );
}

function ChallengeStatus({ ctx }: { ctx: PageContext }) {
  const tr = translator(ctx);
  // Empty until the script (the only one of the site) writes in it.
  return (
    <p
      id="altcha-status"
      class="altcha-status"
      aria-live="polite"
      data-working={tr('reportForm.challenge.working')}
      data-ready={tr('reportForm.challenge.ready')}
      data-unavailable={tr('reportForm.challenge.unavailable')}
    />
  );
}

interface ReportFormProps {
  readonly form: FormView;
  readonly today: string;
  readonly maxFileMb: number;
}

function ReportForm({ form, today, maxFileMb }: ReportFormProps) {
  const { ctx } = form;
  const tr = translator(ctx);
  return (
    <form
      class="report-form"
      method="post"
      enctype="multipart/form-data"
      action={href(ctx, '/lapor')}
      aria-label={tr('reportForm.label')}
      noValidate
      data-altcha={challengePath}
    >
      <p class="hint">{tr('reportForm.required')}</p>
      <Step n={1} title={tr('reportForm.step.account')} intro={tr('reportForm.step.account.intro')}>
        <ProviderField form={form} />
        <TextField form={form} name="number" autocomplete="off" inputmode="numeric" />
      </Step>
      <Step
        n={2}
        title={tr('reportForm.step.reported')}
        intro={tr('reportForm.step.reported.intro')}
      >
        <TextField form={form} name="holderName" autocomplete="off" />
        <TextField form={form} name="reportedPhone" type="tel" autocomplete="off" optional />
        <TextField form={form} name="reportedSocials" autocomplete="off" optional />
        <TextField form={form} name="reportedWebsite" autocomplete="off" inputmode="url" optional />
      </Step>
      <Step n={3} title={tr('reportForm.step.incident')}>
        <CategoryField form={form} />
        <TextField
          form={form}
          name="transferDate"
          type="date"
          autocomplete="off"
          max={today}
          narrow
        />
        <TextField form={form} name="incidentTime" type="time" autocomplete="off" optional narrow />
        <TextField form={form} name="amount" autocomplete="off" inputmode="numeric" optional />
        <PlatformField form={form} />
        <TextField form={form} name="locationDetails" autocomplete="off" optional />
        <TextField form={form} name="city" autocomplete="address-level2" optional />
        <ChronologyField form={form} />
      </Step>
      <Step n={4} title={tr('reportForm.step.reporter')}>
        <div class="notice notice-info">
          <ShieldIcon />
          <div>
            <p>{tr('reportForm.reporter.privacy')}</p>
          </div>
        </div>
        <TextField form={form} name="reporterName" autocomplete="name" />
        <TextField form={form} name="reporterEmail" type="email" autocomplete="email" />
        <TextField form={form} name="reporterPhone" type="tel" autocomplete="tel" />
      </Step>
      <Step n={5} title={tr('reportForm.step.evidence')}>
        <EvidenceField form={form} maxFileMb={maxFileMb} />
      </Step>
      <input type="hidden" name="altcha" value="" />
      <ChallengeStatus ctx={ctx} />
      <button type="submit" class="button button-block">
        {tr('reportForm.submit')}
      </button>
    </form>
  );
}

function ErrorSummary({ ctx, state }: { ctx: PageContext; state: ReportFormState }) {
  const tr = translator(ctx);
  const { problem } = state;
  // Focused on load (autofocus, no script), so screen readers start at what to fix.
  return (
    <section class="error-summary" aria-labelledby="error-summary-title" tabIndex={-1} autofocus>
      <h2 id="error-summary-title">
        <ErrorIcon />
        {problem ? problemTitle(ctx.lang, problem.code) : tr('reportForm.errors.title')}
      </h2>
      {problem && <p>{problemDetail(ctx.lang, problem.code, problem.params)}</p>}
      <ul>
        {state.errors.map((e) => (
          <li key={`${e.field}:${e.reason}`}>
            {isFormField(e.field) ? (
              <a href={`#${e.field}`}>{translateReason(ctx.lang, e.reason)}</a>
            ) : (
              translateReason(ctx.lang, e.reason)
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function ReportFormPage(props: { ctx: PageContext; state: ReportFormState } & ReportFormProps) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  const failed = state.errors.length > 0 || state.problem !== undefined;
  return (
    <>
      <h1>{tr('reportForm.heading')}</h1>
      <p class="lead">{tr('reportForm.lead')}</p>
      {failed && <ErrorSummary ctx={ctx} state={state} />}
      <ReportForm form={props.form} today={props.today} maxFileMb={props.maxFileMb} />
      <script src={altchaScriptHref} defer />
    </>
  );
}

function sendReportForm(
  { clock, maxFileBytes }: Pick<ReportPagesOptions, 'clock' | 'maxFileBytes'>,
  request: FastifyRequest,
  reply: FastifyReply,
  state: ReportFormState,
) {
  const ctx = pageContext(request);
  const failed = state.status !== 200;
  const title = failed
    ? t(ctx.lang, 'reportForm.errors.pageTitle', { title: t(ctx.lang, 'reportForm.title') })
    : t(ctx.lang, 'reportForm.title');
  const messages = new Map<string, string>();
  for (const e of state.errors) {
    if (!messages.has(e.field)) messages.set(e.field, translateReason(ctx.lang, e.reason));
  }
  const seconds = state.problem?.params.seconds;
  if (state.problem?.code === 'rate_limited' && seconds !== undefined) {
    void reply.header('retry-after', String(seconds));
  }
  const prefilled = Object.keys(state.values).length > 0;
  return sendPage(
    reply,
    ctx,
    // A form sent back holds what someone typed about themselves: never stored.
    { title, status: state.status, private: failed || prefilled },
    <ReportFormPage
      ctx={ctx}
      state={state}
      form={{ ctx, values: state.values, errors: messages }}
      today={jakartaDate(clock.now())}
      maxFileMb={Math.floor(maxFileBytes / (1024 * 1024))}
    />,
  );
}

/** `?bank=014&nomor=…` (a result page's link): the account, chosen already. */
function prefillFrom(query: Readonly<Record<string, unknown>>): ReportFormValues {
  const provider = providers.resolveLabel(text(query.bank) || text(query.ewallet));
  const number = text(query.nomor).slice(0, 40);
  return {
    ...(provider ? { provider: provider.code } : {}),
    ...(number ? { number } : {}),
  };
}

// ---------------------------------------------------------------------------
// The receipt

function trackingPath(ticket: string, token: string): string {
  const query = new URLSearchParams({ tiket: ticket, token });
  return `/lacak?${query.toString()}`;
}

function ReceiptPage(props: { ctx: PageContext; submitted: SubmittedReport; origin: string }) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  const link = href(ctx, trackingPath(submitted.ticket, submitted.trackingToken));
  return (
    <>
      <section class="status status-seller" aria-labelledby="receipt-heading">
        <h1 class="status-heading" id="receipt-heading">
          <ShieldIcon />
          <span>{tr('reportSent.heading')}</span>
        </h1>
        <dl class="details facts receipt">
          <dt>{tr('reportSent.ticket')}</dt>
          <dd>
            <code class="ticket">{submitted.ticket}</code>
          </dd>
          <dt>{tr('reportSent.token')}</dt>
          <dd>
            <code class="token">{submitted.trackingToken}</code>
          </dd>
        </dl>
      </section>
      <SaveTrackingLink
        title={tr('reportSent.save.title')}
        text={tr('reportSent.save.text')}
        linkText={tr('reportSent.link')}
        path={link}
        origin={props.origin}
      />
      <p>{tr('reportSent.mail')}</p>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{tr('reportSent.next.title')}</h2>
        <p>{tr('reportSent.next.text')}</p>
      </section>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, '/')}>
          {tr('reportSent.home')}
        </a>
      </p>
    </>
  );
}

function sendReceipt(request: FastifyRequest, reply: FastifyReply, submitted: SubmittedReport) {
  // The language switch of this page leads to the tracking page (see GET /lapor), not to an
  // empty form: the tracking code, shown only here, must survive a change of language.
  const ctx: PageContext = {
    ...pageContext(request),
    query: new URLSearchParams({ tiket: submitted.ticket, token: submitted.trackingToken }),
  };
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, 'reportSent.title'), private: true, referrer: 'no-referrer' },
    <ReceiptPage ctx={ctx} submitted={submitted} origin={publicOrigin(request)} />,
  );
}

// ---------------------------------------------------------------------------
// Tracking

/** "1 Maret 2026 pukul 12.00 WIB": Indonesian time, to the minute, as the reports concern Indonesia. */
const eventTimeFormats: Record<Lang, Intl.DateTimeFormat> = {
  id: new Intl.DateTimeFormat('id-ID', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }),
};

function eventTime(lang: Lang, date: Date): string {
  return `${eventTimeFormats[lang].format(date)} WIB`;
}

function statusWords(lang: Lang, status: string): string {
  const key = `tracking.status.${status}`;
  return isMessageKey(key) ? t(lang, key) : status;
}

/** Reviewers' decisions are noted as `reason:{code}`; the submitter reads the reason's words. */
function noteWords(lang: Lang, note: string | null): string | null {
  if (note?.startsWith('reason:')) {
    return t(lang, 'tracking.reason', { reason: reasonLabel(lang, note.slice('reason:'.length)) });
  }
  return note;
}

function statusTone(status: string): string {
  if (status === 'verified' || status === 'approved' || status === 'granted')
    return 'status-seller';
  if (status === 'rejected' || status === 'denied' || status === 'revoked') return 'status-clear';
  return 'status-normalized';
}

function HistoryEntry({ ctx, event }: { ctx: PageContext; event: TicketEvent }) {
  const note = noteWords(ctx.lang, event.note);
  return (
    <li>
      <time datetime={isoDate(event.at)}>{eventTime(ctx.lang, event.at)}</time>
      <strong>{statusWords(ctx.lang, event.status)}</strong>
      {note && <span>{note}</span>}
    </li>
  );
}

function TrackedPanel({ ctx, tracked }: { ctx: PageContext; tracked: TrackedTicket }) {
  const tr = translator(ctx);
  const explanation = `tracking.explain.${tracked.status}`;
  const lastNote = noteWords(ctx.lang, tracked.history.at(-1)?.note ?? null);
  const pending = tracked.status === 'submitted' || tracked.status === 'in_review';
  return (
    <section class={`status ${statusTone(tracked.status)}`} aria-labelledby="tracked-heading">
      <p class="eyebrow">{tr(`tracking.kind.${tracked.kind}`)}</p>
      <h2 class="status-heading" id="tracked-heading">
        {pending ? <ClockIcon /> : <InfoIcon />}
        <span>{tr('tracking.result.title', { ticket: tracked.ticket })}</span>
      </h2>
      <p class="status-subline">
        {`${tr('tracking.current')}: ${statusWords(ctx.lang, tracked.status)}`}
      </p>
      {tracked.kind === 'report' && isMessageKey(explanation) && <p>{t(ctx.lang, explanation)}</p>}
      {lastNote && <p>{lastNote}</p>}
      <div class="facts">
        <h3>{tr('tracking.history')}</h3>
        <ol class="history">
          {tracked.history.map((event, index) => (
            <HistoryEntry key={index} ctx={ctx} event={event} />
          ))}
        </ol>
      </div>
    </section>
  );
}

type TrackField = 'ticket' | 'token';

interface TrackingState {
  readonly ticket: string;
  readonly token: string;
  readonly errors: ReadonlyMap<TrackField, string>;
  readonly tracked: TrackedTicket | undefined;
  readonly notFound: boolean;
}

function TrackingField(props: {
  ctx: PageContext;
  field: TrackField;
  param: string;
  value: string;
  error: string | undefined;
}) {
  const { ctx, field, error } = props;
  const tr = translator(ctx);
  return (
    <div class="field">
      <label for={field}>{tr(`tracking.${field}`)}</label>
      <p class="hint" id={`${field}-hint`}>
        {tr(`tracking.${field}.hint`)}
      </p>
      {error && (
        <p class="field-error" id={`${field}-error`}>
          <ErrorIcon />
          <span>{error}</span>
        </p>
      )}
      <input
        type="text"
        class="code-input tracking-input"
        id={field}
        name={props.param}
        value={props.value.slice(0, 200)}
        autocomplete="off"
        autocapitalize={field === 'ticket' ? 'characters' : 'off'}
        spellcheck={false}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${field}-hint ${field}-error` : `${field}-hint`}
      />
    </div>
  );
}

function TrackingPage({ ctx, state }: { ctx: PageContext; state: TrackingState }) {
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('tracking.heading')}</h1>
      {state.tracked ? (
        <TrackedPanel ctx={ctx} tracked={state.tracked} />
      ) : (
        <p class="lead">{tr('tracking.lead')}</p>
      )}
      {state.notFound && (
        <section
          class="error-summary"
          aria-labelledby="error-summary-title"
          tabIndex={-1}
          autofocus
        >
          <h2 id="error-summary-title">
            <ErrorIcon />
            {tr('tracking.notFound')}
          </h2>
          <p>{tr('tracking.notFound.text')}</p>
        </section>
      )}
      {state.errors.size > 0 && (
        <section
          class="error-summary"
          aria-labelledby="error-summary-title"
          tabIndex={-1}
          autofocus
        >
          <h2 id="error-summary-title">
            <ErrorIcon />
            {tr('reportForm.errors.title')}
          </h2>
          <ul>
            {[...state.errors].map(([field, message]) => (
              <li key={field}>
                <a href={`#${field}`}>{`${tr(`tracking.${field}`)}: ${message}`}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form class="card" method="get" action="/lacak" aria-label={tr('tracking.form.label')}>
        <TrackingField
          ctx={ctx}
          field="ticket"
          param="tiket"
          value={state.ticket}
          error={state.errors.get('ticket')}
        />
        <TrackingField
          ctx={ctx}
          field="token"
          param="token"
          value={state.token}
          error={state.errors.get('token')}
        />
        {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
        <button type="submit" class="button button-block">
          {tr('tracking.submit')}
        </button>
      </form>
    </>
  );
}

async function trackingState(
  tickets: TicketsService,
  request: FastifyRequest,
  query: Readonly<Record<string, unknown>>,
): Promise<TrackingState> {
  const ticket = text(query.tiket).trim();
  const token = text(query.token).trim();
  const state = { ticket, token, errors: new Map(), tracked: undefined, notFound: false };
  // The e-mail's link carries the ticket alone: a form to finish, not a mistake.
  if (!('token' in query)) return state;
  const errors = new Map<TrackField, string>();
  if (!ticket) errors.set('ticket', t(request.lang, 'form.required'));
  if (!token) errors.set('token', t(request.lang, 'form.required'));
  if (errors.size > 0) return { ...state, errors };
  const tracked = await tickets.track(ticket, token);
  return { ...state, tracked, notFound: tracked === undefined };
}

function trackingStatus(state: TrackingState): number {
  if (state.notFound) return 404;
  return state.errors.size > 0 ? 400 : 200;
}

// ---------------------------------------------------------------------------
// Routes

export interface ReportPagesOptions extends ReportFiling {
  readonly tickets: TicketsService;
  /** The largest evidence file, which the form announces. */
  readonly maxFileBytes: number;
}

export const reportPages: FastifyPluginAsync<ReportPagesOptions> = (app, options) => {
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const limited = limitedBy(options.submissionLimiter);

  app.addHook('onRequest', rememberLanguage);

  // The rate limit refuses before the handler runs; the form then says so itself.
  app.setErrorHandler((error, request, reply) => {
    if (request.method === 'POST' && isAppError(error) && error.code === 'rate_limited') {
      return sendReportForm(
        options,
        request,
        reply,
        refusedForm(error, { values: new Map(), files: undefined }),
      );
    }
    throw error;
  });

  app.get('/lapor', page, (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ticket = text(query.tiket);
    const token = text(query.token);
    // The receipt's language switch: the same ticket, tracked, in the other language.
    if (ticket && token) {
      return reply.redirect(href(pageContext(request), trackingPath(ticket, token)), 303);
    }
    return sendReportForm(options, request, reply, { ...emptyForm, values: prefillFrom(query) });
  });

  app.post('/lapor', { ...page, onRequest: limited }, async (request, reply) => {
    const sent = watchParts(request);
    try {
      return sendReceipt(request, reply, await fileReport(options, request, reply, 'form'));
    } catch (error) {
      if (!isAppError(error) || statusByCode[error.code] >= 500) throw error;
      return sendReportForm(options, request, reply, refusedForm(error, sent));
    }
  });

  app.get('/lacak', page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const state = await trackingState(options.tickets, request, query);
    const ctx = pageContext(request);
    // The tracking code is in the address: it must not travel on in a Referer.
    return sendPage(
      reply,
      ctx,
      {
        title: t(ctx.lang, 'tracking.title'),
        status: trackingStatus(state),
        private: true,
        referrer: 'no-referrer',
      },
      <TrackingPage ctx={ctx} state={state} />,
    );
  });
  return Promise.resolve();
};
