// The public pages of normalization: the request form (/normalisasi), the
// receipt that shows the tracking code once, and the answer page
// (/lacak/jawab) where the owner, or the reporter of a disputed report,
// answers a mediator's questions with their ticket's tracking code, files
// allowed. Filing goes through fileNormalization, like the API.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { readMultipart } from '../files/multipart.http.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, sendPage } from '../http/layout.tsx';
import { statusByCode } from '../http/problems.ts';
import { publicFormRoutes, sendFormPage, text, wholeMegabytes } from '../http/public-form.tsx';
import { sendReceipt } from '../http/receipt.tsx';
import { submissionLimit } from '../http/replies.ts';
import { isAppError, type AppError } from '../shared/errors.ts';
import { t } from '../shared/messages.ts';
import {
  answerPagePath,
  answerPath,
  blankAnswerState,
  lookup,
  lookupStatus,
  sentField,
  withRefusal,
  type AnswerState,
} from './answers.form.ts';
import {
  normalizationPath,
  openedForm,
  refusedForm,
  watchParts,
  type FormState,
  type VerifiedReports,
} from './normalizations.form.tsx';
import { fileNormalization, type NormalizationFiling } from './normalizations.routes.ts';
import { maxAnswerFiles, type SubmittedNormalization } from './normalizations.service.ts';
import { AnswerPage, ReceiptPage, RequestPage } from './normalizations.views.tsx';

/** Also shown by the service desk's receipt. */
export { ReceiptFacts } from './normalizations.views.tsx';

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
  return sendFormPage(
    reply,
    ctx,
    state,
    { title: 'normalizationForm.title', refused: 'normalizationForm.errors.pageTitle' },
    <RequestPage
      ctx={ctx}
      state={state}
      maxFileMb={wholeMegabytes(maxFileBytes)}
      decisionDays={normalizations.decisionDays}
    />,
  );
}

function sendNormalizationReceipt(
  reviewDays: number,
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: SubmittedNormalization,
) {
  return sendReceipt(request, reply, submitted, 'normalizationSent.title', (ctx, origin) => (
    <ReceiptPage ctx={ctx} submitted={submitted} origin={origin} reviewDays={reviewDays} />
  ));
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

export interface NormalizationPagesOptions extends NormalizationFiling {
  /** The largest file, which the form announces. */
  readonly maxFileBytes: number;
  /** The public check's count of an account's verified reports: the form's first step. */
  readonly verifiedReports?: VerifiedReports;
}

export const normalizationPages: FastifyPluginAsync<NormalizationPagesOptions> = (app, options) => {
  const page = { config: { page: true }, schema: { hide: true } } as const;
  const limited = submissionLimit(options.submissionLimiter);
  const { normalizations, files } = options;

  app.addHook('onRequest', rememberLanguage);

  publicFormRoutes(app, {
    path: normalizationPath,
    limiter: options.submissionLimiter,
    // The receipt's language switch: the same ticket, on its answer page.
    followPath: answerPagePath,
    opened: (query) => openedForm(query, options.verifiedReports),
    refused: refusedForm,
    file: (request, reply) => fileNormalization(options, request, reply, 'form'),
    sendForm: (request, reply, state) => sendRequestForm(options, request, reply, state),
    sendReceipt: (request, reply, submitted) =>
      sendNormalizationReceipt(normalizations.decisionDays, request, reply, submitted),
  });

  app.get(answerPath, page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const ticket = text(query.tiket).trim().slice(0, 40);
    const token = text(query.token).trim().slice(0, 200);
    // The e-mail's link carries the ticket alone: a form to finish, not a mistake.
    if (!('token' in query)) return sendAnswerPage(request, reply, blankAnswerState(ticket), 200);
    const state = await lookup(normalizations, request.lang, ticket, token);
    return sendAnswerPage(request, reply, state, lookupStatus(state));
  });

  app.post(answerPath, { ...page, ...limited }, async (request, reply) => {
    const sent = watchParts(request);
    const refusedAs = async (error: AppError) => {
      const ticket = sentField(sent, 'tiket').slice(0, 40);
      const token = sentField(sent, 'token').slice(0, 200);
      const state = await lookup(normalizations, request.lang, ticket, token);
      if (!state.view) return sendAnswerPage(request, reply, state, 404);
      const refused = withRefusal(state, error, sent, request.lang);
      return sendAnswerPage(request, reply, refused, statusByCode[error.code]);
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
    const answered = await lookup(
      normalizations,
      request.lang,
      sentField(sent, 'tiket'),
      sentField(sent, 'token'),
    );
    return sendAnswerPage(request, reply, { ...answered, answered: true }, 200);
  });

  return Promise.resolve();
};
