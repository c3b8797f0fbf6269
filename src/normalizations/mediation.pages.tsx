// The mediator's pages: the queue of normalization requests (deadlines,
// overdue ones highlighted), a request beside the reports it disputes (their
// evidence and the reporters' contact: an audited view), and its forms:
// taking it on, questions to either side, mediation and its outcome, the
// proposal and its confirmation by a second operator; and the form that
// enters a request taken at a service desk. Every read and change goes
// through NormalizationsService as the signed-in operator, audited like the API's.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { safeString, visibleLength } from '../shared/text-input.ts';
import { actorOf, operatorActor } from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { statusByCode } from '../http/problems.ts';
import { idParams, noticeOf } from '../backoffice/changes.ts';
import { formErrorsOf } from '../backoffice/form-errors.ts';
import { pageWindow } from '../backoffice/queue.tsx';
import {
  backOfficeContext,
  redirectTo,
  sendBackOfficePage,
  type FormError,
} from '../backoffice/layout.tsx';
import { isAppError } from '../shared/errors.ts';
import { problemDetail, t } from '../shared/messages.ts';
import { emptyForm, refusedForm, watchParts, type FormState } from './normalizations.form.tsx';
import {
  fileNormalization,
  sendCaseFile,
  type NormalizationFiling,
} from './normalizations.routes.ts';
import { mediationOutcomes, reporterExcuseReasons } from './normalizations.service.ts';
import {
  caseForm,
  caseInfos,
  casePath,
  fieldIdOf,
  maxReasonLength,
  mediationPaths,
  pageSize,
  parseLocalTime,
  pick,
  readQueue,
  statusesOf,
  validation,
  type CaseForm,
  type CaseInfo,
  type Typed,
} from './mediation.form.ts';
import { CasePage } from './mediation.case.views.tsx';
import { EntryPage, EntryReceipt } from './mediation.entry.views.tsx';
import { QueuePage } from './mediation.queue.views.tsx';

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
        answerDays={normalizations.reporterAnswerDays}
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
      const ctx = backOfficeContext(request);
      // Which reporters are still to be heard is the message itself, not a field's fault.
      const errors: FormError[] =
        error.errors.length && error.code !== 'reporters_not_heard'
          ? formErrorsOf(ctx, error.errors, (field) => fieldIdOf(typed.form, field))
          : [{ field: null, message: problemDetail(ctx.lang, error.code, error.params) }];
      return sendCase(request, reply, id, { errors, typed, status: statusByCode[error.code] });
    }
    return redirectTo(reply, backOfficeContext(request), `${casePath(id)}?info=${info}#${anchor}`);
  }

  app.get(mediationPaths.queue, { ...mediate, schema: { hide: true } }, async (request, reply) => {
    const ctx = backOfficeContext(request);
    const read = readQueue((request.query ?? {}) as Record<string, unknown>);
    const items = await normalizations.queue({
      statuses: statusesOf(read.filter),
      overdueOnly: read.overdueOnly,
      ...pageWindow(read.page, pageSize),
    });
    return sendBackOfficePage(
      reply,
      ctx,
      { title: t(ctx.lang, 'mediation.queue.title') },
      <QueuePage ctx={ctx} items={items} read={read} decisionDays={normalizations.decisionDays} />,
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
      const info = noticeOf(request, caseInfos);
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

  app.post(`${mediationPaths.queue}/:id/pemberitahuan`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = { form: 'notice', values: pick(body, ['note']) };
    return act(request, reply, id, typed, 'noticed', 'pelapor', async () => {
      const note = body.note ?? '';
      if (note.length > maxReasonLength) throw validation('note', 'normalization.excuse.note');
      return normalizations.noticeReporters(id, operatorActor(request), note || null);
    });
  });

  app.post(`${mediationPaths.queue}/:id/alasan-pelapor`, post, async (request, reply) => {
    const id = request.params.id;
    const body: CaseForm = request.body;
    const typed: Typed = { form: 'excuse', values: pick(body, ['report', 'excuse', 'note']) };
    return act(request, reply, id, typed, 'excused', 'pelapor', async () => {
      const reportId = Number(body.report);
      const reason = reporterExcuseReasons.find((r) => r === body.excuse);
      if (!Number.isSafeInteger(reportId) || reportId < 1) {
        throw validation('reportId', 'normalization.party.report');
      }
      if (!reason) throw validation('reason', 'normalization.excuse.reason');
      const note = body.note ?? '';
      if (note.length > maxReasonLength) throw validation('note', 'normalization.excuse.note');
      return normalizations.excuseReporter(id, operatorActor(request), {
        reportId,
        reason,
        note: note || null,
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
