// The public pages of a report: the form that files one with its evidence
// (/lapor), the receipt that shows the tracking code once, and the tracking
// page (/lacak). Filing goes through fileReport, like the API, under the same
// rate limit, so both refuse the same things with the same messages.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, publicOrigin, sendPage } from '../http/layout.tsx';
import { publicFormRoutes, sendFormPage, wholeMegabytes } from '../http/public-form.tsx';
import { sendReceipt, trackingPath } from '../http/receipt.tsx';
import { t } from '../shared/messages.ts';
import type { TicketsService } from '../tickets/tickets.service.ts';
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
  request: FastifyRequest,
  reply: FastifyReply,
  submitted: SubmittedReport,
) {
  return sendReceipt(request, reply, submitted, 'reportSent.title', (ctx, origin) => (
    <ReceiptPage ctx={ctx} submitted={submitted} origin={origin} />
  ));
}

export interface ReportPagesOptions extends ReportFiling {
  readonly tickets: TicketsService;
  /** The largest evidence file, which the form announces. */
  readonly maxFileBytes: number;
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
    sendReceipt: sendReportReceipt,
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
      <TrackingPage ctx={ctx} state={state} origin={publicOrigin(request)} />,
    );
  });
  return Promise.resolve();
};
