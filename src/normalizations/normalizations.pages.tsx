// The public pages of normalization: the request form (/normalisasi), the
// receipt that shows the tracking code once, and the answer page
// (/lacak/jawab) where the owner, or the reporter of a disputed report,
// answers a mediator's questions with their ticket's tracking code, files
// allowed. Filing goes through fileNormalization, like the API.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { altchaScriptHref } from '../http/assets.ts';
import { formatDate, formatDateTime, isoDate } from '../http/format.ts';
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
import { readMultipart } from '../files/multipart.http.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { statusByCode } from '../http/problems.ts';
import { isAppError, type AppError } from '../shared/errors.ts';
import {
  isMessageKey,
  problemDetail,
  problemTitle,
  t,
  translateReason,
} from '../shared/messages.ts';
import {
  emptyForm,
  FormErrorSummary,
  formView,
  NormalizationForm,
  prefillFrom,
  refusedForm,
  text,
  watchParts,
  type FormState,
} from './normalizations.form.tsx';
import { fileNormalization, type NormalizationFiling } from './normalizations.routes.ts';
import { limitedBy } from '../http/replies.ts';
import {
  maxAnswerFiles,
  type PartyView,
  type SubmittedNormalization,
  type NormalizationsService,
} from './normalizations.service.ts';

export const normalizationPath = '/normalisasi';
export const answerPath = '/lacak/jawab';

function answerPagePath(ticket: string, token: string): string {
  return `${answerPath}?${new URLSearchParams({ tiket: ticket, token }).toString()}`;
}

function trackingPath(ticket: string, token: string): string {
  return `/lacak?${new URLSearchParams({ tiket: ticket, token }).toString()}`;
}

function maxFileMbOf(maxFileBytes: number): number {
  return Math.floor(maxFileBytes / (1024 * 1024));
}

// ---------------------------------------------------------------------------
// The request form

function RequestPage(props: {
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
      <NormalizationForm
        form={formView(ctx, state)}
        action={href(ctx, normalizationPath)}
        maxFileMb={props.maxFileMb}
        challenge
        serviceDesk={false}
      />
      <script src={altchaScriptHref} defer />
    </>
  );
}

function sendRequestForm(
  {
    normalizations,
    maxFileBytes,
  }: Pick<NormalizationPagesOptions, 'normalizations' | 'maxFileBytes'>,
  request: FastifyRequest,
  reply: FastifyReply,
  state: FormState,
) {
  const ctx = pageContext(request);
  const failed = state.status !== 200;
  const title = failed
    ? t(ctx.lang, 'normalizationForm.errors.pageTitle', {
        title: t(ctx.lang, 'normalizationForm.title'),
      })
    : t(ctx.lang, 'normalizationForm.title');
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
    <RequestPage
      ctx={ctx}
      state={state}
      maxFileMb={maxFileMbOf(maxFileBytes)}
      decisionDays={normalizations.decisionDays}
    />,
  );
}

// ---------------------------------------------------------------------------
// The receipt

export function ReceiptFacts(props: { ctx: PageContext; submitted: SubmittedNormalization }) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  return (
    <dl class="details facts receipt">
      <dt>{tr('normalizationSent.ticket')}</dt>
      <dd>
        <code class="ticket">{submitted.ticket}</code>
      </dd>
      <dt>{tr('normalizationSent.token')}</dt>
      <dd>
        <code class="token">{submitted.trackingToken}</code>
      </dd>
      <dt>{tr('normalizationSent.due')}</dt>
      <dd>
        <time datetime={isoDate(submitted.dueAt)}>{formatDate(ctx.lang, submitted.dueAt)}</time>
      </dd>
    </dl>
  );
}

function ReceiptPage(props: {
  ctx: PageContext;
  submitted: SubmittedNormalization;
  origin: string;
}) {
  const { ctx, submitted } = props;
  const tr = translator(ctx);
  const tracking = href(ctx, trackingPath(submitted.ticket, submitted.trackingToken));
  const answers = href(ctx, answerPagePath(submitted.ticket, submitted.trackingToken));
  return (
    <>
      <section class="status status-seller" aria-labelledby="receipt-heading">
        <h1 class="status-heading" id="receipt-heading">
          <ShieldIcon />
          <span>{tr('normalizationSent.heading')}</span>
        </h1>
        <ReceiptFacts ctx={ctx} submitted={submitted} />
      </section>
      <SaveTrackingLink
        title={tr('normalizationSent.save.title')}
        text={tr('normalizationSent.save.text')}
        linkText={tr('normalizationSent.track')}
        path={tracking}
        origin={props.origin}
      />
      <p>{tr('normalizationSent.mail')}</p>
      <section aria-labelledby="next-title">
        <h2 id="next-title">{tr('normalizationSent.next.title')}</h2>
        <p>{tr('normalizationSent.next.text')}</p>
        <p>
          <a href={answers}>{tr('normalizationSent.answers')}</a>
        </p>
      </section>
      <p class="actions">
        <a class="button button-secondary" href={href(ctx, '/')}>
          {tr('normalizationSent.home')}
        </a>
      </p>
    </>
  );
}

function sendReceipt(
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: SubmittedNormalization,
) {
  // The language switch leads to the answer page (see GET /normalisasi): the
  // tracking code, shown only here, must survive a change of language.
  const ctx: PageContext = {
    ...pageContext(request),
    query: new URLSearchParams({ tiket: submitted.ticket, token: submitted.trackingToken }),
  };
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, 'normalizationSent.title'), private: true, referrer: 'no-referrer' },
    <ReceiptPage ctx={ctx} submitted={submitted} origin={publicOrigin(request)} />,
  );
}

// ---------------------------------------------------------------------------
// The answer page

interface AnswerState {
  readonly ticket: string;
  readonly token: string;
  readonly view: PartyView | undefined;
  readonly notFound: boolean;
  /** Errors of the ticket/token form. */
  readonly lookupErrors: ReadonlyMap<'ticket' | 'token', string>;
  /** The question whose answer was refused, why, and what was typed. */
  readonly refused?: {
    readonly question: number;
    readonly field: 'answer' | 'attachments';
    readonly message: string;
    readonly answer: string;
  };
  /** Why an answer was refused when no field is at fault. */
  readonly problem?: AppError;
  readonly answered: boolean;
}

function statusWords(ctx: PageContext, status: string): string {
  const key = `tracking.status.${status}`;
  return isMessageKey(key) ? t(ctx.lang, key) : status;
}

function QuestionItem(props: {
  ctx: PageContext;
  state: AnswerState;
  view: PartyView;
  index: number;
}) {
  const { ctx, state, view } = props;
  const tr = translator(ctx);
  const q = view.questions[props.index]!;
  const refused = state.refused?.question === q.id ? state.refused : undefined;
  const answerId = `answer-${q.id}`;
  const filesId = `attachments-${q.id}`;
  const answerError = refused?.field === 'answer' ? refused.message : undefined;
  const filesError = refused?.field === 'attachments' ? refused.message : undefined;
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
        <form
          class="nz-form action-form"
          method="post"
          enctype="multipart/form-data"
          action={href(ctx, answerPath)}
        >
          <p class={q.overdue ? 'nz-due nz-late' : 'nz-due'}>
            <ClockIcon />
            <span>{tr('answerPage.due', { date: formatDate(ctx.lang, q.dueAt) })}</span>
          </p>
          <input type="hidden" name="tiket" value={view.ticket} />
          <input type="hidden" name="token" value={state.token} />
          <input type="hidden" name="question" value={String(q.id)} />
          <div class="field">
            <label for={answerId}>{tr('answerPage.answer')}</label>
            <p class="hint" id={`${answerId}-hint`}>
              {tr('answerPage.answer.hint')}
            </p>
            {answerError && (
              <p class="field-error" id={`${answerId}-error`}>
                <ErrorIcon />
                <span>{answerError}</span>
              </p>
            )}
            <textarea
              id={answerId}
              name="answer"
              rows={6}
              required
              value={refused?.answer ?? ''}
              aria-invalid={answerError ? 'true' : undefined}
              aria-describedby={
                answerError ? `${answerId}-hint ${answerId}-error` : `${answerId}-hint`
              }
            />
          </div>
          <div class="field">
            <label for={filesId}>
              {tr('answerPage.files')}
              <span class="optional">{` (${tr('answerPage.optional')})`}</span>
            </label>
            <p class="hint" id={`${filesId}-hint`}>
              {tr('answerPage.files.hint', { max: maxAnswerFiles })}
            </p>
            {filesError && (
              <p class="field-error" id={`${filesId}-error`}>
                <ErrorIcon />
                <span>{filesError}</span>
              </p>
            )}
            <input
              type="file"
              id={filesId}
              name="attachments"
              multiple
              accept="image/jpeg,image/png,image/webp,application/pdf"
              aria-invalid={filesError ? 'true' : undefined}
              aria-describedby={filesError ? `${filesId}-hint ${filesId}-error` : `${filesId}-hint`}
            />
          </div>
          <button type="submit" class="button">
            {tr('answerPage.submit')}
          </button>
        </form>
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

function LookupField(props: {
  ctx: PageContext;
  field: 'ticket' | 'token';
  param: string;
  value: string;
  error: string | undefined;
}) {
  const { ctx, field, error } = props;
  const tr = translator(ctx);
  const id = `lookup-${field}`;
  return (
    <div class="field">
      <label for={id}>{tr(`tracking.${field}`)}</label>
      <p class="hint" id={`${id}-hint`}>
        {tr(`answerPage.${field}.hint`)}
      </p>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          <ErrorIcon />
          <span>{error}</span>
        </p>
      )}
      <input
        type="text"
        class="code-input tracking-input"
        id={id}
        name={props.param}
        value={props.value.slice(0, 200)}
        autocomplete="off"
        spellcheck={false}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-hint ${id}-error` : `${id}-hint`}
      />
    </div>
  );
}

function AnswerPage({ ctx, state }: { ctx: PageContext; state: AnswerState }) {
  const tr = translator(ctx);
  const problem = state.problem;
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
        <section
          class="error-summary"
          aria-labelledby="error-summary-title"
          tabIndex={-1}
          autofocus
        >
          <h2 id="error-summary-title">
            <ErrorIcon />
            {problemTitle(ctx.lang, problem.code)}
          </h2>
          <p>{problemDetail(ctx.lang, problem.code, problem.params)}</p>
        </section>
      )}
      {state.refused && (
        <section
          class="error-summary"
          aria-labelledby="error-summary-title"
          tabIndex={-1}
          autofocus
        >
          <h2 id="error-summary-title">
            <ErrorIcon />
            {tr('normalizationForm.errors.title')}
          </h2>
          <ul>
            <li>
              <a href={`#${state.refused.field}-${state.refused.question}`}>
                {state.refused.message}
              </a>
            </li>
          </ul>
        </section>
      )}
      {state.view ? (
        <PartyPanel ctx={ctx} state={state} view={state.view} />
      ) : (
        <>
          <p class="lead">{tr('answerPage.lead')}</p>
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
          <form
            class="card"
            method="get"
            action={answerPath}
            aria-label={tr('answerPage.lookup.label')}
          >
            <LookupField
              ctx={ctx}
              field="ticket"
              param="tiket"
              value={state.ticket}
              error={state.lookupErrors.get('ticket')}
            />
            <LookupField
              ctx={ctx}
              field="token"
              param="token"
              value={state.token}
              error={state.lookupErrors.get('token')}
            />
            {ctx.langParam && <input type="hidden" name="lang" value={ctx.langParam} />}
            <button type="submit" class="button button-block">
              {tr('answerPage.lookup.submit')}
            </button>
          </form>
        </>
      )}
    </>
  );
}

function sendAnswerPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: AnswerState,
  status: number,
) {
  const ctx = pageContext(request);
  // The tracking code may be in the address: it must not travel on in a Referer.
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, 'answerPage.title'), status, private: true, referrer: 'no-referrer' },
    <AnswerPage ctx={ctx} state={state} />,
  );
}

async function lookup(
  normalizations: NormalizationsService,
  request: FastifyRequest,
  ticket: string,
  token: string,
): Promise<AnswerState> {
  const state: AnswerState = {
    ticket,
    token,
    view: undefined,
    notFound: false,
    lookupErrors: new Map(),
    answered: false,
  };
  const errors = new Map<'ticket' | 'token', string>();
  if (!ticket) errors.set('ticket', t(request.lang, 'form.required'));
  if (!token) errors.set('token', t(request.lang, 'form.required'));
  if (errors.size > 0) return { ...state, lookupErrors: errors };
  const view = await normalizations.partyView(ticket, token);
  return { ...state, view, notFound: view === undefined };
}

// ---------------------------------------------------------------------------
// Routes

export interface NormalizationPagesOptions extends NormalizationFiling {
  /** The largest file, which the form announces. */
  readonly maxFileBytes: number;
}

export const normalizationPages: FastifyPluginAsync<NormalizationPagesOptions> = (app, options) => {
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const limited = limitedBy(options.submissionLimiter);
  const { normalizations, files } = options;

  app.addHook('onRequest', rememberLanguage);

  // The rate limit refuses before the handler runs; the form then says so itself.
  app.setErrorHandler((error, request, reply) => {
    if (
      request.method === 'POST' &&
      request.url.startsWith(normalizationPath) &&
      isAppError(error) &&
      error.code === 'rate_limited'
    ) {
      return sendRequestForm(
        options,
        request,
        reply,
        refusedForm(error, { values: new Map(), files: new Map() }),
      );
    }
    throw error;
  });

  app.get(normalizationPath, page, (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ticket = text(query.tiket);
    const token = text(query.token);
    // The receipt's language switch: the same ticket, on its answer page, in the other language.
    if (ticket && token) {
      return reply.redirect(href(pageContext(request), answerPagePath(ticket, token)), 303);
    }
    return sendRequestForm(options, request, reply, { ...emptyForm, values: prefillFrom(query) });
  });

  app.post(normalizationPath, { ...page, onRequest: limited }, async (request, reply) => {
    const sent = watchParts(request);
    try {
      return sendReceipt(request, reply, await fileNormalization(options, request, reply, 'form'));
    } catch (error) {
      if (!isAppError(error) || statusByCode[error.code] >= 500) throw error;
      return sendRequestForm(options, request, reply, refusedForm(error, sent));
    }
  });

  app.get(answerPath, page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ticket = text(query.tiket).trim().slice(0, 40);
    const token = text(query.token).trim().slice(0, 200);
    // The e-mail's link carries the ticket alone: a form to finish, not a mistake.
    if (!('token' in query)) {
      const blank: AnswerState = {
        ticket,
        token: '',
        view: undefined,
        notFound: false,
        lookupErrors: new Map(),
        answered: false,
      };
      return sendAnswerPage(request, reply, blank, 200);
    }
    const state = await lookup(normalizations, request, ticket, token);
    const status = state.notFound ? 404 : state.lookupErrors.size > 0 ? 400 : 200;
    return sendAnswerPage(request, reply, state, status);
  });

  app.post(answerPath, { ...page, onRequest: limited }, async (request, reply) => {
    const sent = watchParts(request);
    const field = (name: string) => (sent.values.get(name) ?? '').trim();
    const refusedAs = async (error: AppError) => {
      const state = await lookup(
        normalizations,
        request,
        field('tiket').slice(0, 40),
        field('token').slice(0, 200),
      );
      if (!state.view) return sendAnswerPage(request, reply, state, 404);
      const question = Number(field('question'));
      if (error.code === 'validation_failed' || error.code === 'too_many_files') {
        const fault = error.errors[0];
        const message = fault
          ? translateReason(request.lang, fault.reason)
          : problemDetail(request.lang, error.code, error.params);
        const refused = {
          question,
          field: fault?.field === 'answer' ? ('answer' as const) : ('attachments' as const),
          message,
          answer: sent.values.get('answer') ?? '',
        };
        return sendAnswerPage(request, reply, { ...state, refused }, statusByCode[error.code]);
      }
      return sendAnswerPage(request, reply, { ...state, problem: error }, statusByCode[error.code]);
    };
    try {
      const form = await readMultipart(request, {
        fileFields: { attachments: { max: maxAnswerFiles, sensitive: true } },
        store: files,
        limits: { maxFiles: maxAnswerFiles },
      });
      await normalizations.answer(
        form.fields.tiket ?? '',
        form.fields.token ?? '',
        Number(form.fields.question ?? '0'),
        form.fields.answer ?? '',
        form.files.attachments ?? [],
      );
    } catch (error) {
      if (!isAppError(error) || statusByCode[error.code] >= 500) throw error;
      return refusedAs(error);
    }
    const state = await lookup(normalizations, request, field('tiket'), field('token'));
    return sendAnswerPage(request, reply, { ...state, answered: true }, 200);
  });

  return Promise.resolve();
};
