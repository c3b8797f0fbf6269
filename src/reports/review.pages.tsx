// The reviewer's pages: the queue of reports (filters, reports on one account
// side by side, oldest first, flags in words, who holds a claim) and a report
// in full, with the claim and the decision as forms. Every read and change
// goes through ReportsService as the signed-in operator (actorOf), so it is
// audited like the API's; evidence is shown through /admin/berkas/:id, which
// checks and audits each file like the API's file route.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { safeString } from '../shared/text-input.ts';
import { actorOf, operatorActor, viewerOf } from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import {
  decisionBody,
  emptyDecision,
  idParams,
  noticeOf,
  recordChanges,
  sendQueuePage,
  type RecordState,
} from '../backoffice/changes.ts';
import { staffView } from '../backoffice/claims.tsx';
import { pageWindow } from '../backoffice/queue.tsx';
import { backOfficeContext, redirectTo, sendBackOfficePage } from '../backoffice/layout.tsx';
import { adminPaths, reportPath } from '../backoffice/paths.ts';
import { t } from '../shared/messages.ts';
import type { FileAccess } from '../files/files.service.ts';
import { sendStoredFile } from '../files/stored-file.http.ts';
import type { Clock } from '../shared/clock.ts';
import type { OperatorsService } from '../operators/operators.service.ts';
import type { DecisionReason, ReportPartner, ReportsService } from './reports.service.ts';
import {
  pageSize,
  readDecision,
  readFilter,
  reportNotices,
  type ReportNotice,
} from './review.form.ts';
import { QueuePage } from './review.queue.views.tsx';
import { ReportPage, type ReportView } from './review.report.views.tsx';

export interface ReviewPagesOptions {
  readonly reports: ReportsService;
  readonly operators: OperatorsService;
  readonly fileAccess: FileAccess;
  readonly clock: Clock;
  /** How long a claim holds a report for its reviewer (REVIEW_CLAIM_MINUTES). */
  readonly claimMinutes: number;
  /** The partners, for the queue's filter by source; none when not given. */
  readonly partnerNames?: () => Promise<readonly ReportPartner[]>;
}

export const reviewPages: FastifyPluginAsync<ReviewPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { reports, operators, fileAccess, clock, claimMinutes } = options;
  const review = { config: { permission: 'reports.review', page: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(adminPaths.reports, { ...review, schema: { hide: true } }, async (request, reply) => {
    const ctx = backOfficeContext(request);
    const read = readFilter(ctx, (request.query ?? {}) as Record<string, unknown>);
    const items =
      read.errors.length === 0
        ? await reports.queue({ ...read.filter, ...pageWindow(read.page, pageSize) })
        : [];
    const view = await staffView(ctx, operators, clock);
    return sendQueuePage(
      reply,
      ctx,
      t(ctx.lang, 'admin.review.queue.title'),
      read.errors,
      <QueuePage
        view={view}
        read={read}
        items={items}
        counts={await reports.counts()}
        empty={noticeOf(request, ['empty'] as const) === 'empty'}
        partners={(await options.partnerNames?.()) ?? []}
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
    state: RecordState = {},
  ) {
    const ctx = backOfficeContext(request);
    const detail = await reports.detail(id, actorOf(request));
    const view: ReportView = { ...(await staffView(ctx, operators, clock)), claimMinutes };
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
        info={state.status ? null : noticeOf(request, reportNotices)}
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

  const change = recordChanges<ReportNotice>({ path: reportPath, send: sendReport });

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
        (result) => (result.status === 'verified' ? 'verified' : 'rejected'),
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
