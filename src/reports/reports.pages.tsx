// The public pages of a report: the form that files one with its evidence
// (/lapor), the receipt that shows the tracking code once, and the tracking
// page (/lacak). Filing goes through fileReport, like the API, under the same
// rate limit, so both refuse the same things with the same messages.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, publicOrigin, sendPage } from '../http/layout.tsx';
import { publicFormRoutes, sendFormPage, wholeMegabytes } from '../http/public-form.tsx';
import { sendReceipt, trackingPath, type ExpectedDecisionProps } from '../http/receipt.tsx';
import { t } from '../shared/messages.ts';
import {
  expectedDecisionBy,
  type ReviewDays,
  type TicketsService,
  type TrackedTicket,
} from '../tickets/tickets.service.ts';
import type { Lang } from '../shared/i18n.ts';
import { jakartaDate } from './report-input.ts';
import {
  emptyForm,
  prefillFrom,
  refusedForm,
  trackingState,
  trackingStatus,
  type ReportFormState,
} from './reports.form.ts';
import { fileReport, type ReportFiling } from './reports.routes.ts';
import type { SubmittedReport } from './reports.service.ts';
import { ReceiptPage, ReportFormPage, TrackingPage } from './reports.views.tsx';

function sendReportForm(
  { clock, maxFileBytes }: Pick<ReportPagesOptions, 'clock' | 'maxFileBytes'>,
  request: FastifyRequest,
  reply: FastifyReply,
  state: ReportFormState,
) {
  const ctx = pageContext(request);
  return sendFormPage(
    reply,
    ctx,
    state,
    { title: 'reportForm.title', refused: 'reportForm.errors.pageTitle' },
    <ReportFormPage
      ctx={ctx}
      state={state}
      today={jakartaDate(clock.now())}
      maxFileMb={wholeMegabytes(maxFileBytes)}
    />,
  );
}

function sendReportReceipt(
  reviewDays: number,
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: SubmittedReport,
) {
  return sendReceipt(request, reply, submitted, 'reportSent.title', (ctx, origin) => (
    <ReceiptPage ctx={ctx} submitted={submitted} origin={origin} reviewDays={reviewDays} />
  ));
}

/** When a decision usually comes for a tracked ticket, while none is made. */
function expectedDecision(
  { reviewDays, clock }: Pick<ReportPagesOptions, 'reviewDays' | 'clock'>,
  lang: Lang,
  tracked: TrackedTicket | undefined,
): ExpectedDecisionProps | null {
  const by = tracked && expectedDecisionBy(tracked, reviewDays);
  if (!tracked || !by) return null;
  return { lang, by, days: reviewDays[tracked.kind], late: by < clock.now() };
}

export interface ReportPagesOptions extends ReportFiling {
  readonly tickets: TicketsService;
  /** The largest evidence file, which the form announces. */
  readonly maxFileBytes: number;
  /** Days within which a decision usually comes, per kind: the receipt and the tracking page say so. */
  readonly reviewDays: ReviewDays;
}

export const reportPages: FastifyPluginAsync<ReportPagesOptions> = (app, options) => {
  // Pages answer errors as HTML (see wantsHtml) and stay out of the API document.
  const page = { config: { page: true }, schema: { hide: true } } as const;

  app.addHook('onRequest', rememberLanguage);

  publicFormRoutes(app, {
    path: '/lapor',
    limiter: options.submissionLimiter,
    followPath: trackingPath,
    opened: (query) => ({ ...emptyForm, values: prefillFrom(query) }),
    refused: refusedForm,
    file: (request, reply) => fileReport(options, request, reply, 'form'),
    sendForm: (request, reply, state) => sendReportForm(options, request, reply, state),
    sendReceipt: (request, reply, submitted) =>
      sendReportReceipt(options.reviewDays.report, request, reply, submitted),
  });

  app.get('/lacak', page, async (request, reply) => {
    const query = (request.query ?? {}) as Record<string, unknown>;
    const state = await trackingState(options.tickets, request.lang, query);
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
      <TrackingPage
        ctx={ctx}
        state={state}
        origin={publicOrigin(request)}
        expected={expectedDecision(options, ctx.lang, state.tracked)}
      />,
    );
  });
  return Promise.resolve();
};
