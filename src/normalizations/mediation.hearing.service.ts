// Reporters are heard before a normalization is granted. Each reporter whose
// verified report is disputed is sent the dispute notice (a question on their
// ticket's answer page, with REPORTER_ANSWER_DAYS to answer), or the mediator
// records why they cannot be asked (no contact, a report from an import).
// A grant can be proposed, and confirmed, only once every such reporter has
// answered, their time has passed, or such a reason is recorded.
import type { Executor } from '../db/database.ts';
import type { ReporterExcuseReason } from '../db/schema.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { readReport, reporterOf } from '../reports/reports.service.ts';
import { AppError } from '../shared/errors.ts';
import { t } from '../shared/messages.ts';
import { sealOptionalPersonal, sealPersonal } from '../shared/personal-data.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { ticketOf } from '../tickets/tickets.service.ts';
import { renderQuestionMail } from './normalizations.mail.ts';
import {
  accountLabel,
  day,
  fieldError,
  openRequest,
  startHandling,
  type NormalizationsDeps,
  type OperatorActor,
} from './normalizations.case.service.ts';
import { disputedReportIds } from './normalizations.repository.ts';
import {
  insertInformationRequest,
  insertReporterExcuse,
  listInformationRequests,
  listReporterExcuses,
  type ReporterExcuseRecord,
} from './mediation.repository.ts';

/** REPORTER_ANSWER_DAYS by default. */
export const defaultReporterAnswerDays = 7;

export const reporterExcuseReasons = [
  'no_contact',
  'imported_report',
  'other',
] as const satisfies readonly ReporterExcuseReason[];

/**
 * Where hearing a reporter stands: not asked yet, asked and still within
 * their time, answered, asked and their time passed, or a reason recorded
 * why they cannot be asked. Only the first two hold a grant back.
 */
export type HearingState = 'not_asked' | 'waiting' | 'answered' | 'time_passed' | 'excused';

export interface DisputeNotice {
  readonly id: number;
  readonly askedBy: number;
  readonly askedAt: Date;
  readonly dueAt: Date;
  readonly answeredAt: Date | null;
}

export interface ReporterHearing {
  readonly reportId: number;
  readonly ticket: string | null;
  readonly imported: boolean;
  /** Whether cekrek can reach the reporter: an e-mail address and a ticket to answer on. */
  readonly contactable: boolean;
  readonly notice: DisputeNotice | null;
  readonly excuse: ReporterExcuseRecord | null;
  readonly state: HearingState;
}

export interface ReporterExcuse {
  readonly reportId: number;
  readonly reason: ReporterExcuseReason;
  readonly note: string | null;
}

export function isHeard(hearing: ReporterHearing): boolean {
  return hearing.state !== 'not_asked' && hearing.state !== 'waiting';
}

function stateOf(
  notice: DisputeNotice | null,
  excuse: ReporterExcuseRecord | null,
  now: Date,
): HearingState {
  if (notice?.answeredAt) return 'answered';
  if (excuse) return 'excused';
  if (!notice) return 'not_asked';
  return notice.dueAt <= now ? 'time_passed' : 'waiting';
}

/** Where hearing each reporter of a disputed, still verified report stands. */
export async function loadHearings(
  trx: Executor,
  box: SecretBox,
  normalizationId: number,
  now: Date,
): Promise<ReporterHearing[]> {
  const notices = (await listInformationRequests(trx, { normalizationId })).filter(
    (q) => q.purpose === 'dispute_notice',
  );
  const excuses = await listReporterExcuses(trx, normalizationId);
  const hearings: ReporterHearing[] = [];
  for (const reportId of await disputedReportIds(trx, normalizationId)) {
    const report = await readReport(trx, reportId);
    if (report?.status !== 'verified') continue;
    // The latest notice counts; an answer to any of them is an answer.
    const sent = notices.filter((q) => q.reportId === reportId);
    const latest = sent.at(-1);
    const answered = sent.find((q) => q.answeredAt !== null);
    const notice: DisputeNotice | null = latest
      ? {
          id: latest.id,
          askedBy: latest.askedBy,
          askedAt: latest.askedAt,
          dueAt: latest.dueAt,
          answeredAt: answered?.answeredAt ?? null,
        }
      : null;
    const excuse = excuses.find((e) => e.reportId === reportId) ?? null;
    const ticket = await ticketOf(trx, 'report', reportId);
    hearings.push({
      reportId,
      ticket: report.ticket,
      imported: report.source === 'import',
      contactable: reporterOf(box, report) !== null && ticket !== undefined,
      notice,
      excuse,
      state: stateOf(notice, excuse, now),
    });
  }
  return hearings;
}

/** Refuses a grant while a reporter is still to be asked or still within their time. */
export function requireReportersHeard(hearings: readonly ReporterHearing[]): void {
  const outstanding = hearings.filter((h) => !isHeard(h));
  if (outstanding.length === 0) return;
  const label = (h: ReporterHearing) => h.ticket ?? `#${h.reportId}`;
  throw new AppError('reporters_not_heard', {
    params: { reports: outstanding.map(label).join(', ') },
    // One entry per report: the field names it, the message is its ticket.
    errors: outstanding.map((h) => ({ field: `reports.${h.reportId}`, reason: label(h) })),
  });
}

export class HearingService {
  readonly #d: NormalizationsDeps;

  constructor(deps: NormalizationsDeps) {
    this.#d = deps;
  }

  get answerDays(): number {
    return this.#d.reporterAnswerDays ?? defaultReporterAnswerDays;
  }

  /**
   * Tells every reporter not yet asked, and reachable, of the dispute, with
   * the time they have to answer on their ticket's answer page. A reporter
   * who cannot be reached needs a reason recorded instead.
   */
  async noticeReporters(
    id: number,
    actor: OperatorActor,
    note: string | null,
  ): Promise<{ sent: number; dueAt: Date }> {
    const { database, audit, clock, box } = this.#d;
    const now = clock.now();
    const dueAt = new Date(now.getTime() + this.answerDays * day);
    const sent = await database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      if (request.status === 'proposed') {
        throw fieldError('decision', 'normalization.proposal.pending');
      }
      const toAsk = (await loadHearings(trx, box, id, now)).filter(
        (h) => h.state === 'not_asked' && h.contactable,
      );
      if (toAsk.length === 0) throw fieldError('notice', 'normalization.notice.none');
      const account = accountLabel(request.provider, request.number);
      for (const hearing of toAsk) {
        await this.#sendNotice(trx, {
          id,
          actor,
          reportId: hearing.reportId,
          account,
          note,
          now,
          dueAt,
        });
      }
      await startHandling(trx, request, actor, now);
      await audit.record(trx, {
        actor,
        action: 'normalization.reporters_notified',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: {
          reports: toAsk.map((h) => String(h.reportId)),
          dueAt: dueAt.toISOString(),
        },
      });
      return toAsk.length;
    });
    this.#d.wakeJobs();
    return { sent, dueAt };
  }

  async #sendNotice(
    trx: Executor,
    notice: {
      id: number;
      actor: OperatorActor;
      reportId: number;
      account: string;
      note: string | null;
      now: Date;
      dueAt: Date;
    },
  ): Promise<void> {
    const { box } = this.#d;
    const report = await readReport(trx, notice.reportId);
    const ticket = await ticketOf(trx, 'report', notice.reportId);
    const reporter = report && reporterOf(box, report);
    if (!reporter || !ticket) return;
    const text = [
      t(ticket.lang, 'normalization.notice.text', { account: notice.account }),
      ...(notice.note ? [notice.note] : []),
    ].join('\n\n');
    await insertInformationRequest(trx, {
      normalizationId: notice.id,
      party: 'reporter',
      reportId: notice.reportId,
      question: sealPersonal(box, text),
      askedBy: notice.actor.id,
      askedAt: notice.now,
      dueAt: notice.dueAt,
      purpose: 'dispute_notice',
    });
    await enqueueMail(
      trx,
      {
        to: reporter.email,
        ...renderQuestionMail(
          {
            ticket: ticket.ticket,
            party: 'reporter',
            account: notice.account,
            question: text,
            dueAt: notice.dueAt,
            purpose: 'dispute_notice',
          },
          ticket.lang,
          { publicBaseUrl: this.#d.publicBaseUrl },
        ),
      },
      notice.now,
      box,
    );
  }

  /** Records, once per report, why its reporter cannot be asked before a grant. */
  async excuseReporter(id: number, actor: OperatorActor, excuse: ReporterExcuse): Promise<void> {
    const { database, audit, clock, box } = this.#d;
    const now = clock.now();
    if (excuse.reason === 'other' && !excuse.note) {
      throw fieldError('note', 'normalization.excuse.note');
    }
    await database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      const hearing = (await loadHearings(trx, box, id, now)).find(
        (h) => h.reportId === excuse.reportId,
      );
      if (!hearing) throw fieldError('reportId', 'normalization.party.report');
      if (excuse.reason === 'imported_report' && !hearing.imported) {
        throw fieldError('reason', 'normalization.excuse.notImported');
      }
      const recorded = await insertReporterExcuse(trx, id, {
        reportId: excuse.reportId,
        reason: excuse.reason,
        note: sealOptionalPersonal(box, excuse.note),
        recordedBy: actor.id,
        recordedAt: now,
      });
      if (!recorded) throw fieldError('reportId', 'normalization.excuse.recorded');
      await startHandling(trx, request, actor, now);
      await audit.record(trx, {
        actor,
        action: 'normalization.reporter_excused',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: { report: String(excuse.reportId), reason: excuse.reason },
      });
    });
  }
}
