// Normalization's public pages as they look: the request page around the
// form (/normalisasi), the receipt that shows the tracking code once, and the
// answer page (/lacak/jawab) where a party reads and answers a mediator's
// questions.
import { isMessageKey, problemDetail, problemTitle, t } from '../shared/messages.ts';
import { providers } from '../shared/providers.ts';
import { altchaScriptHref } from '../http/assets.ts';
import {
  CodeField,
  describedBy,
  FieldFrame,
  FileCheckScript,
  fileCheck,
  TicketLookupForm,
} from '../http/form-fields.tsx';
import { formatDate, formatDateTime, isoDate } from '../http/format.ts';
import { ClockIcon, InfoIcon } from '../http/icons.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { ErrorSummary } from '../http/public-form.tsx';
import { Receipt, TicketFacts, trackingPath } from '../http/receipt.tsx';
import { Time } from '../http/time.tsx';
import { answerPagePath, answerPath, type AnswerState } from './answers.form.ts';
import {
  AccountCheckForm,
  FormErrorSummary,
  formView,
  NormalizationForm,
  normalizationPath,
  type FormState,
} from './normalizations.form.tsx';
import {
  maxAnswerFiles,
  type PartyView,
  type SubmittedNormalization,
} from './normalizations.service.ts';

// ---------------------------------------------------------------------------
// The request form

const answerTypes = 'image/jpeg,image/png,image/webp,application/pdf';

export function RequestPage(props: {
  ctx: PageContext;
  state: FormState;
  maxFileMb: number;
  decisionDays: number;
}) {
  const { ctx, state } = props;
  const tr = translator(ctx);
  return (
    <>
      <h1>{tr('normalizationForm.heading')}</h1>
      <p class="lead">{tr('normalizationForm.lead')}</p>
      <div class="notice notice-info">
        <ClockIcon />
        <div>
          <p>
            <strong>{tr('normalizationForm.deadline', { days: props.decisionDays })}</strong>
          </p>
          <p>{tr('normalizationForm.mark')}</p>
        </div>
      </div>
      <section aria-labelledby="nz-steps-title">
        <h2 id="nz-steps-title">{tr('normalizationForm.how.title')}</h2>
        <ol class="nz-steps">
          <li>{tr('normalizationForm.how.1')}</li>
          <li>{tr('normalizationForm.how.2')}</li>
          <li>{tr('normalizationForm.how.3')}</li>
          <li>{tr('normalizationForm.how.4')}</li>
        </ol>
      </section>
      <FormErrorSummary ctx={ctx} state={state} />
      {state.accountStep ? (
        <AccountStep ctx={ctx} state={state} />
      ) : (
        <>
          <NormalizationForm
            form={formView(ctx, state)}
            action={href(ctx, normalizationPath)}
            maxFileMb={props.maxFileMb}
            challenge
            serviceDesk={false}
          />
          <script src={altchaScriptHref} defer />
        </>
      )}
    </>
  );
}

/** The first step alone: the account to check, or the word that there is nothing to normalize. */
function AccountStep({ ctx, state }: { ctx: PageContext; state: FormState }) {
  const tr = translator(ctx);
  const nothing = state.accountStep === 'nothing';
  const account = nothing ? accountWords(state.values.provider, state.values.number) : '';
  return (
    <>
      {nothing && (
        <div class="notice notice-info" role="status">
          <InfoIcon />
          <div>
            <p>
              <strong>{tr('normalizationForm.check.nothing.title')}</strong>
            </p>
            <p>{tr('normalizationForm.check.nothing', { account })}</p>
            <p>{tr('normalizationForm.check.other')}</p>
          </div>
        </div>
      )}
      <AccountCheckForm
        form={formView(ctx, state)}
        action={normalizationPath}
        langParam={ctx.langParam}
      />
    </>
  );
}

/** "BCA 1234567890": the account as the check's result page names it. */
function accountWords(provider = '', number = ''): string {
  const found = providers.resolveLabel(provider);
  return `${found?.shortName ?? provider} ${number}`.trim();
}

// ---------------------------------------------------------------------------
// The receipt

/** The ticket, its code and the decision's due date; the service desk's receipt shows them too. */
export function ReceiptFacts(props: { ctx: PageContext; submitted: SubmittedNormalization }) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  return (
    <TicketFacts
      lang={ctx.lang}
      submitted={submitted}
      labels={{ ticket: tr('normalizationSent.ticket'), token: tr('normalizationSent.token') }}
    >
      <dt>{tr('normalizationSent.due')}</dt>
      <dd>
        <Time ctx={ctx} date={submitted.dueAt} />
      </dd>
    </TicketFacts>
  );
}

export function ReceiptPage(props: {
  ctx: PageContext;
  submitted: SubmittedNormalization;
  origin: string;
  /** Days within which a decision comes (NORMALIZATION_DECISION_DAYS). */
  reviewDays: number;
}) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  const { ticket, trackingToken } = submitted;
  return (
    <Receipt
      reviewDays={props.reviewDays}
      heading={tr('normalizationSent.heading')}
      facts={<ReceiptFacts ctx={ctx} submitted={submitted} />}
      save={{
        lang: ctx.lang,
        title: tr('normalizationSent.save.title'),
        text: tr('normalizationSent.save.text'),
        linkText: tr('normalizationSent.track'),
        path: href(ctx, trackingPath(ticket, trackingToken)),
        origin: props.origin,
      }}
      mail={tr('normalizationSent.mail')}
      next={{
        title: tr('normalizationSent.next.title'),
        text: tr('normalizationSent.next.text'),
        link: {
          href: href(ctx, answerPagePath(ticket, trackingToken)),
          text: tr('normalizationSent.answers'),
        },
      }}
      home={{ href: href(ctx, '/'), text: tr('normalizationSent.home') }}
    />
  );
}

// ---------------------------------------------------------------------------
// The answer page

function statusWords(ctx: PageContext, status: string): string {
  const key = `tracking.status.${status}`;
  return isMessageKey(key) ? t(ctx.lang, key) : status;
}

function AnswerForm(props: {
  ctx: PageContext;
  state: AnswerState;
  view: PartyView;
  question: PartyView['questions'][number];
}) {
  const { ctx, state, view, question: q } = props;
  const tr = translator(ctx);
  const refused = state.refused?.question === q.id ? state.refused : undefined;
  const answerId = `answer-${q.id}`;
  const filesId = `attachments-${q.id}`;
  const answerError = refused?.field === 'answer' ? refused.message : undefined;
  const filesError = refused?.field === 'attachments' ? refused.message : undefined;
  return (
    <form
      class="nz-form action-form"
      method="post"
      enctype="multipart/form-data"
      action={href(ctx, answerPath)}
      data-file-check-title={tr('form.files.summaryTitle')}
    >
      <p class={q.overdue ? 'nz-due nz-late' : 'nz-due'}>
        <ClockIcon />
        <span>{tr('answerPage.due', { date: formatDate(ctx.lang, q.dueAt) })}</span>
      </p>
      <input type="hidden" name="tiket" value={view.ticket} />
      <input type="hidden" name="token" value={state.token} />
      <input type="hidden" name="question" value={String(q.id)} />
      <FieldFrame
        name={answerId}
        label={tr('answerPage.answer')}
        hint={tr('answerPage.answer.hint')}
        error={answerError}
      >
        <textarea
          id={answerId}
          name="answer"
          rows={6}
          required
          value={refused?.answer ?? ''}
          aria-invalid={answerError ? 'true' : undefined}
          aria-describedby={describedBy(answerId, Boolean(answerError))}
        />
      </FieldFrame>
      <FieldFrame
        name={filesId}
        label={tr('answerPage.files')}
        hint={tr('answerPage.files.hint', { max: maxAnswerFiles })}
        optional={tr('answerPage.optional')}
        error={filesError}
      >
        <input
          {...fileCheck(ctx.lang, answerTypes, tr('answerPage.files'), undefined)}
          type="file"
          id={filesId}
          name="attachments"
          multiple
          accept={answerTypes}
          aria-invalid={filesError ? 'true' : undefined}
          aria-describedby={describedBy(filesId, Boolean(filesError))}
        />
      </FieldFrame>
      <button type="submit" class="button">
        {tr('answerPage.submit')}
      </button>
    </form>
  );
}

function QuestionItem(props: {
  ctx: PageContext;
  state: AnswerState;
  view: PartyView;
  index: number;
}) {
  const { ctx, view } = props;
  const tr = translator(ctx);
  const q = view.questions[props.index]!;
  return (
    <li class="record nz-question" id={`question-${q.id}`}>
      <h3 class="record-title">{tr('answerPage.question.heading', { n: props.index + 1 })}</h3>
      <p class="small">
        {tr('answerPage.question.asked')}{' '}
        <time datetime={isoDate(q.askedAt)}>{formatDateTime(ctx.lang, q.askedAt)}</time>
      </p>
      <p class="review-text nz-quote">{q.question}</p>
      {q.answeredAt ? (
        <>
          <p>
            <strong>{tr('answerPage.answered')}</strong>{' '}
            <time datetime={isoDate(q.answeredAt)}>{formatDateTime(ctx.lang, q.answeredAt)}</time>
          </p>
          <p class="review-text">{q.answer}</p>
          {q.answerFiles.length > 0 && (
            <p class="small">{tr('answerPage.answered.files', { count: q.answerFiles.length })}</p>
          )}
        </>
      ) : !q.open ? (
        <p>{tr('answerPage.closed')}</p>
      ) : (
        <AnswerForm ctx={ctx} state={props.state} view={view} question={q} />
      )}
    </li>
  );
}

function PartyPanel({
  ctx,
  state,
  view,
}: {
  ctx: PageContext;
  state: AnswerState;
  view: PartyView;
}) {
  const tr = translator(ctx);
  return (
    <>
      <section class="status status-normalized" aria-labelledby="party-heading">
        <p class="eyebrow">{tr(`tracking.kind.${view.kind}`)}</p>
        <h2 class="status-heading" id="party-heading">
          <InfoIcon />
          <span>{tr('tracking.result.title', { ticket: view.ticket })}</span>
        </h2>
        {view.account && <p class="status-subline">{view.account}</p>}
        {view.status && <p>{`${tr('tracking.current')}: ${statusWords(ctx, view.status)}`}</p>}
        {view.dueAt && (
          <p>
            <strong>
              {tr('answerPage.decisionDue', { date: formatDate(ctx.lang, view.dueAt) })}
            </strong>
          </p>
        )}
        <p>
          <a href={href(ctx, trackingPath(view.ticket, state.token))}>{tr('answerPage.history')}</a>
        </p>
      </section>
      <section aria-labelledby="questions-title">
        <h2 id="questions-title">{tr('answerPage.questions')}</h2>
        {view.questions.length === 0 ? (
          <p>{tr('answerPage.none')}</p>
        ) : (
          <ol class="records">
            {view.questions.map((q, index) => (
              <QuestionItem key={q.id} ctx={ctx} state={state} view={view} index={index} />
            ))}
          </ol>
        )}
      </section>
    </>
  );
}

function LookupForm({ ctx, state }: { ctx: PageContext; state: AnswerState }) {
  const tr = translator(ctx);
  const codeField = (field: 'ticket' | 'token', param: string, value: string) => (
    <CodeField
      id={`lookup-${field}`}
      name={param}
      label={tr(`tracking.${field}`)}
      hint={tr(`answerPage.${field}.hint`)}
      value={value}
      error={state.lookupErrors.get(field)}
      class="code-input tracking-input"
    />
  );
  return (
    <>
      <p class="lead">{tr('answerPage.lead')}</p>
      {state.notFound && (
        <ErrorSummary title={tr('tracking.notFound')}>
          <p>{tr('tracking.notFound.text')}</p>
        </ErrorSummary>
      )}
      <TicketLookupForm
        ctx={ctx}
        action={answerPath}
        label={tr('answerPage.lookup.label')}
        submit={tr('answerPage.lookup.submit')}
      >
        {codeField('ticket', 'tiket', state.ticket)}
        {codeField('token', 'token', state.token)}
      </TicketLookupForm>
    </>
  );
}

export function AnswerPage({ ctx, state }: { ctx: PageContext; state: AnswerState }) {
  const tr = translator(ctx);
  const { problem, refused } = state;
  return (
    <>
      <h1>{tr('answerPage.heading')}</h1>
      {state.answered && (
        <div class="notice notice-info" role="status">
          <InfoIcon />
          <div>
            <p>{tr('answerPage.thanks')}</p>
          </div>
        </div>
      )}
      {problem && (
        <ErrorSummary title={problemTitle(ctx.lang, problem.code)}>
          <p>{problemDetail(ctx.lang, problem.code, problem.params)}</p>
        </ErrorSummary>
      )}
      {refused && (
        <ErrorSummary title={tr('normalizationForm.errors.title')}>
          <ul>
            <li>
              <a href={`#${refused.field}-${refused.question}`}>
                {tr('form.fieldError', {
                  label: tr(refused.field === 'answer' ? 'answerPage.answer' : 'answerPage.files'),
                  message: refused.message,
                })}
              </a>
            </li>
          </ul>
        </ErrorSummary>
      )}
      {state.view ? (
        <PartyPanel ctx={ctx} state={state} view={state.view} />
      ) : (
        <LookupForm ctx={ctx} state={state} />
      )}
      {state.view && <FileCheckScript />}
    </>
  );
}
