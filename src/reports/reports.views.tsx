// The report's public pages as they look: the form in five steps (/lapor),
// the receipt that shows the tracking code once, and the tracking page
// (/lacak) with a ticket's history.
import { fraudCategories, listCategories } from '../shared/categories.ts';
import type { Lang } from '../shared/i18n.ts';
import { isMessageKey, t } from '../shared/messages.ts';
import { altchaScriptHref } from '../http/assets.ts';
import { isoDate } from '../http/format.ts';
import {
  ChallengeStatus,
  CodeField,
  control,
  Field,
  FileCheckScript,
  FileField,
  ProviderField,
  Step,
  TextField,
  TicketLookupForm,
  type FieldTexts,
  type FormView,
} from '../http/form-fields.tsx';
import { ClockIcon, InfoIcon, ShieldIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import {
  ErrorSummary,
  fieldMessages,
  FormErrorSummary,
  LinkedErrors,
} from '../http/public-form.tsx';
import {
  CopyScript,
  lostCodePath,
  ExpectedDecision,
  Receipt,
  type ExpectedDecisionProps,
  TicketFacts,
  TrackingLinkToKeep,
  trackingPath,
} from '../http/receipt.tsx';
import {
  normalizationDecisionOf,
  type TicketEvent,
  type TrackedTicket,
} from '../tickets/tickets.service.ts';
import {
  reportOrder,
  type FormField,
  type ReportFormState,
  type TrackField,
  type TrackingState,
} from './reports.form.ts';
import { maxEvidenceFiles, reasonLabel, type SubmittedReport } from './reports.service.ts';

const challengePath = '/api/v1/challenge';
const evidenceTypes = 'image/jpeg,image/png,image/webp,application/pdf';

// ---------------------------------------------------------------------------
// The form

type ReportFormView = FormView<FormField>;

function reportTexts(ctx: PageContext): FieldTexts<FormField> {
  const tr = translator(ctx);
  return {
    label: (field) => tr(`reportForm.${field}`),
    hint: (field) => tr(`reportForm.${field}.hint`),
    optional: tr('reportForm.optional'),
  };
}

function CategoryField({ form }: { form: ReportFormView }) {
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

function PlatformField({ form }: { form: ReportFormView }) {
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

function ChronologyField({ form }: { form: ReportFormView }) {
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

function EvidenceField({ form, maxFileMb }: { form: ReportFormView; maxFileMb: number }) {
  const tr = translator(form.ctx);
  return (
    <FileField
      form={form}
      name="evidence"
      hint={tr('reportForm.evidence.hint', { max: maxEvidenceFiles, size: maxFileMb })}
      accept={evidenceTypes}
      multiple
    >
      <p class="small">{tr('reportForm.evidence.privacy')}</p>
    </FileField>
  );
}

interface ReportFormProps {
  readonly form: ReportFormView;
  readonly today: string;
  readonly maxFileMb: number;
}

function ReportForm({ form, today, maxFileMb }: ReportFormProps) {
  const { ctx } = form;
  const tr = translator(ctx);
  const steps = { total: 5, lang: ctx.lang };
  return (
    <form
      class="report-form"
      method="post"
      enctype="multipart/form-data"
      action={href(ctx, '/lapor')}
      aria-label={tr('reportForm.label')}
      noValidate
      data-altcha={challengePath}
      data-file-check-title={tr('form.files.summaryTitle')}
    >
      <p class="hint">{tr('reportForm.required')}</p>
      <Step
        n={1}
        of={steps}
        title={tr('reportForm.step.account')}
        intro={tr('reportForm.step.account.intro')}
      >
        <ProviderField form={form} />
        <TextField form={form} name="number" autocomplete="off" inputmode="numeric" />
      </Step>
      <Step
        n={2}
        of={steps}
        title={tr('reportForm.step.reported')}
        intro={tr('reportForm.step.reported.intro')}
      >
        <TextField form={form} name="holderName" autocomplete="off" />
        <TextField form={form} name="reportedPhone" type="tel" autocomplete="off" optional />
        <TextField form={form} name="reportedSocials" autocomplete="off" optional />
        <TextField form={form} name="reportedWebsite" autocomplete="off" inputmode="url" optional />
      </Step>
      <Step n={3} of={steps} title={tr('reportForm.step.incident')}>
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
      <Step n={4} of={steps} title={tr('reportForm.step.reporter')}>
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
      <Step n={5} of={steps} title={tr('reportForm.step.evidence')}>
        <EvidenceField form={form} maxFileMb={maxFileMb} />
      </Step>
      <input type="hidden" name="altcha" value="" />
      <ChallengeStatus
        working={tr('reportForm.challenge.working')}
        ready={tr('reportForm.challenge.ready')}
        unavailable={tr('reportForm.challenge.unavailable')}
      />
      <button type="submit" class="button button-block">
        {tr('reportForm.submit')}
      </button>
    </form>
  );
}

export function ReportFormPage(props: {
  ctx: PageContext;
  state: ReportFormState;
  today: string;
  maxFileMb: number;
}) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  const form: ReportFormView = {
    ctx,
    values: state.values,
    errors: fieldMessages(ctx.lang, state.errors),
    texts: reportTexts(ctx),
    maxFileMb: props.maxFileMb,
  };
  return (
    <>
      <h1>{tr('reportForm.heading')}</h1>
      <p class="lead">{tr('reportForm.lead')}</p>
      <FormErrorSummary
        ctx={ctx}
        state={state}
        order={reportOrder}
        title={tr('reportForm.errors.title')}
        label={(field) => form.texts.label(field as FormField)}
      />
      <ReportForm form={form} today={props.today} maxFileMb={props.maxFileMb} />
      <script src={altchaScriptHref} defer />
      <FileCheckScript />
    </>
  );
}

// ---------------------------------------------------------------------------
// The receipt

export function ReceiptPage(props: {
  ctx: PageContext;
  submitted: SubmittedReport;
  origin: string;
  reviewDays: number;
}) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  return (
    <Receipt
      heading={tr('reportSent.heading')}
      facts={
        <TicketFacts
          lang={ctx.lang}
          submitted={submitted}
          labels={{ ticket: tr('reportSent.ticket'), token: tr('reportSent.token') }}
        />
      }
      save={{
        lang: ctx.lang,
        title: tr('reportSent.save.title'),
        text: tr('reportSent.save.text'),
        linkText: tr('reportSent.link'),
        path: href(ctx, trackingPath(submitted.ticket, submitted.trackingToken)),
        origin: props.origin,
      }}
      mail={tr('reportSent.mail')}
      next={{ title: tr('reportSent.next.title'), text: tr('reportSent.next.text') }}
      home={{ href: href(ctx, '/'), text: tr('reportSent.home') }}
      reviewDays={props.reviewDays}
    />
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

/**
 * What a normalization decision means for whoever tracks the ticket, in
 * plain words, and what they can still do: the service desk, the police,
 * their bank. The reasons given are the decision's note, shown beside it.
 */
function DecisionOutcome(props: {
  ctx: PageContext;
  decision: { party: 'owner' | 'reporter'; outcome: 'granted' | 'denied' };
  reason: string | null;
}) {
  const { ctx, decision } = props;
  const tr = translator(ctx);
  const key = `normalizationOutcome.${decision.party}` as const;
  return (
    <div class="facts">
      <h3>{tr('normalizationOutcome.title')}</h3>
      <p>{tr(`${key}.${decision.outcome}`)}</p>
      {props.reason && <p>{tr('normalizationOutcome.reason', { reason: props.reason })}</p>}
      <p>{tr('normalizationOutcome.next')}</p>
      <ul>
        <li>
          <a href={href(ctx, '/kontak')}>{tr(`${key}.desk`)}</a>
        </li>
        <li>{tr(`${key}.police`)}</li>
        <li>{tr(`${key}.bank`)}</li>
      </ul>
    </div>
  );
}

function TrackedPanel(props: {
  ctx: PageContext;
  tracked: TrackedTicket;
  expected: ExpectedDecisionProps | null;
}) {
  const { ctx, tracked } = props;
  const tr = translator(ctx);
  const explanation = `tracking.explain.${tracked.status}`;
  const lastNote = noteWords(ctx.lang, tracked.history.at(-1)?.note ?? null);
  const decision = normalizationDecisionOf(tracked);
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
      {decision ? (
        <DecisionOutcome ctx={ctx} decision={decision} reason={lastNote} />
      ) : (
        lastNote && <p>{lastNote}</p>
      )}
      {props.expected && <ExpectedDecision {...props.expected} />}
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

export function TrackingPage(props: {
  ctx: PageContext;
  state: TrackingState;
  origin: string;
  /** When a decision usually comes, while none is made. */
  expected: ExpectedDecisionProps | null;
}) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  const codeField = (field: TrackField, param: string, value: string) => (
    <CodeField
      id={field}
      name={param}
      label={tr(`tracking.${field}`)}
      hint={tr(`tracking.${field}.hint`)}
      value={value}
      error={state.errors.get(field)}
      class="code-input tracking-input"
      autocapitalize={field === 'ticket' ? 'characters' : 'off'}
    />
  );
  return (
    <>
      <h1>{tr('tracking.heading')}</h1>
      {state.tracked ? (
        <>
          <TrackedPanel ctx={ctx} tracked={state.tracked} expected={props.expected} />
          <TrackingLinkToKeep
            lang={ctx.lang}
            url={new URL(trackingPath(state.tracked.ticket, state.token), props.origin).toString()}
          />
          <CopyScript />
        </>
      ) : (
        <p class="lead">{tr('tracking.lead')}</p>
      )}
      {state.notFound && (
        <ErrorSummary title={tr('tracking.notFound')}>
          <p>{tr('tracking.notFound.text')}</p>
        </ErrorSummary>
      )}
      {state.errors.size > 0 && (
        <ErrorSummary title={tr('reportForm.errors.title')}>
          <LinkedErrors errors={state.errors} label={(field) => tr(`tracking.${field}`)} />
        </ErrorSummary>
      )}
      <TicketLookupForm
        ctx={ctx}
        action="/lacak"
        label={tr('tracking.form.label')}
        submit={tr('tracking.submit')}
      >
        {codeField('ticket', 'tiket', state.ticket)}
        {codeField('token', 'token', state.token)}
      </TicketLookupForm>
      <p>
        <a href={lostCodePath(ctx.lang)}>{tr('trackingCode.lost')}</a>
      </p>
    </>
  );
}
