// The mediator's side of a request for normalization: the queue by deadline,
// the audited view of the request beside the reports it disputes, their
// files, taking a request on, questions to the owner or a reporter (answered
// on the answer page), and mediation sessions between them.
import type { InformationParty, MediationOutcome, NormalizationStatus } from '../db/schema.ts';
import type { FileRecord, StoredFile } from '../files/files.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { renderMail } from '../mail/mail.service.ts';
import type { FourEyesVerdict } from '../operators/operators.service.ts';
import type { Actor } from '../operators/operators.service.ts';
import { readReport, reporterOf, type ReportRecord } from '../reports/reports.service.ts';
import { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { maskNik } from '../shared/nik.ts';
import { sealPersonal } from '../shared/personal-data.ts';
import { recordTicketEvent, ticketOf } from '../tickets/tickets.service.ts';
import type { OwnerContact } from './normalization-input.ts';
import { renderQuestionMail } from './normalizations.mail.ts';
import {
  accountLabel,
  day,
  dueAtOf,
  fieldError,
  isLangValue,
  nikAad,
  openRequest,
  ownerContactOf,
  pending,
  startHandling,
  type NormalizationsDeps,
  type OperatorActor,
} from './normalizations.case.service.ts';
import {
  disputedReportIds,
  findNormalization,
  findQueue,
  operatorLabels,
  updateNormalization,
  type NormalizationRecord,
  type QueueItem,
} from './normalizations.repository.ts';
import {
  fileBelongsToCase,
  insertInformationRequest,
  insertMediation,
  listInformationRequests,
  listMediations,
  mediationExists,
  recordMediationOutcome,
  type InformationRequestRecord,
  type MediationRecord,
} from './mediation.repository.ts';
import { loadHearings, type ReporterHearing } from './mediation.hearing.service.ts';

/** Days a party has to answer a mediator's question. */
export const answerDays = 7;

export interface ReporterContact {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
}

export interface DisputedReport {
  readonly report: ReportRecord;
  /** Opened for the mediator; null for imported reports, which have none. */
  readonly reporter: ReporterContact | null;
  readonly files: readonly FileRecord[];
}

export interface InformationRequestView extends InformationRequestRecord {
  readonly files: readonly FileRecord[];
  readonly overdue: boolean;
}

export interface NormalizationDetail {
  readonly request: NormalizationRecord;
  /** Masked: the full NIK is on the ID card photo, opened only when needed. */
  readonly nik: string | null;
  readonly contact: OwnerContact | null;
  readonly dueAt: Date;
  readonly overdue: boolean;
  readonly files: readonly FileRecord[];
  readonly reports: readonly DisputedReport[];
  readonly questions: readonly InformationRequestView[];
  readonly mediations: readonly MediationRecord[];
  /** Whether each reporter of a disputed verified report was heard: a grant waits for all. */
  readonly hearings: readonly ReporterHearing[];
  /** Operators named on the request (entered, handling, proposed, confirmed, asked, …). */
  readonly operators: ReadonlyMap<number, string>;
  /** Whether the viewer counts as a second person to confirm the proposal (null: none pending). */
  readonly mayConfirm: FourEyesVerdict | null;
}

export interface QueueQuery {
  readonly statuses: readonly NormalizationStatus[];
  readonly overdueOnly: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface Question {
  readonly party: InformationParty;
  /** For a reporter: which disputed report's reporter. */
  readonly reportId: number | null;
  readonly question: string;
}

export interface Mediation {
  readonly scheduledAt: Date;
  readonly place: string | null;
  readonly videoLink: string | null;
  readonly note: string | null;
}

export class MediationService {
  readonly #d: NormalizationsDeps;

  constructor(deps: NormalizationsDeps) {
    this.#d = deps;
  }

  queue(query: QueueQuery): Promise<QueueItem[]> {
    return findQueue(this.#d.database.db, {
      ...query,
      now: this.#d.clock.now(),
      decisionMs: this.#d.decisionDays * day,
    });
  }

  /**
   * The request beside the reports it disputes, with their evidence and the
   * reporters' contact, the owner's contact opened: an audited view.
   */
  async detail(id: number, actor: Actor): Promise<NormalizationDetail> {
    const { database, audit, box } = this.#d;
    const store = this.#d.files;
    const now = this.#d.clock.now();
    return database.db.transaction().execute(async (trx) => {
      const request = await findNormalization(trx, id);
      if (!request) throw new AppError('not_found');
      const nik = request.nikSealed
        ? maskNik(box.openText(request.nikSealed, 'nik', nikAad(id)))
        : null;
      const contact = ownerContactOf(box, request);
      const reports: DisputedReport[] = [];
      for (const reportId of await disputedReportIds(trx, id)) {
        const report = await readReport(trx, reportId);
        if (!report) continue;
        reports.push({
          report,
          reporter: reporterOf(box, report),
          files: await store.filesOf({ kind: 'report', id: reportId }, trx),
        });
      }
      const files = await store.filesOf({ kind: 'normalization', id }, trx);
      const byId = new Map(files.map((f) => [f.id, f]));
      const questions = (await listInformationRequests(trx, { normalizationId: id })).map(
        (q): InformationRequestView => ({
          ...q,
          files: q.answerFiles.map((f) => byId.get(f)).filter((f): f is FileRecord => !!f),
          overdue: q.answeredAt === null && q.dueAt < now,
        }),
      );
      const mediations = await listMediations(trx, id);
      const hearings = await loadHearings(trx, box, id, now);
      const operators = await operatorLabels(trx, [
        ...hearings.flatMap((h) => (h.excuse ? [h.excuse.recordedBy] : [])),
        request.enteredBy,
        request.handledBy,
        request.proposedBy,
        request.confirmedBy,
        ...questions.map((q) => q.askedBy),
        ...mediations.flatMap((m) => [m.scheduledBy, m.recordedBy]),
      ]);
      await audit.record(trx, {
        actor,
        action: 'normalization.viewed',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: {
          ownerContactShown: contact !== null,
          reportersShown: reports.filter((r) => r.reporter !== null).length,
        },
      });
      const dueAt = dueAtOf(request, this.#d.decisionDays);
      const mayConfirm =
        request.status === 'proposed' && request.proposedBy !== null && actor.id !== null
          ? await this.#d.fourEyes.verdict(trx, request.proposedBy, actor.id)
          : null;
      return {
        request,
        nik,
        contact,
        dueAt,
        overdue: pending.includes(request.status) && dueAt < now,
        files: files.filter((f) => f.field !== 'answer'),
        reports,
        questions,
        mediations,
        hearings,
        operators,
        mayConfirm,
      };
    });
  }

  /** A file of this request or of a report it disputes, opened for the mediator: audited. */
  async openFile(id: number, fileId: string, actor: Actor): Promise<StoredFile> {
    const { database, audit } = this.#d;
    if (!(await fileBelongsToCase(database.db, id, fileId))) throw new AppError('not_found');
    const file = await this.#d.files.open(fileId);
    await audit.recordAlone({
      actor,
      action: 'file.viewed',
      subject: { type: 'file', id: file.id },
      ip: actor.ip,
      details: {
        owner: `${file.ownerKind}:${file.ownerId ?? ''}`,
        field: file.field,
        normalization: String(id),
      },
    });
    return file;
  }

  /** A mediator takes the request on. */
  async claim(id: number, actor: OperatorActor): Promise<{ status: NormalizationStatus }> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    return database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      await startHandling(trx, request, actor, now);
      await audit.record(trx, {
        actor,
        action: 'normalization.claimed',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
      });
      return { status: request.status === 'submitted' ? 'in_review' : request.status };
    });
  }

  /** Asks the owner or a reporter for more; they answer on their ticket's answer page. */
  async askInformation(
    id: number,
    actor: OperatorActor,
    question: Question,
  ): Promise<{ id: number; dueAt: Date }> {
    const { database, audit, clock, box } = this.#d;
    const now = clock.now();
    const dueAt = new Date(now.getTime() + answerDays * day);
    const asked = await database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      let to: { email: string; ticket: string; lang: Lang } | null = null;
      if (question.party === 'owner') {
        const contact = ownerContactOf(box, request);
        if (!contact || !request.ticket) throw fieldError('party', 'normalization.party.noContact');
        to = { email: contact.email, ticket: request.ticket, lang: isLangValue(request.lang) };
      } else {
        const reportIds = await disputedReportIds(trx, id);
        if (question.reportId === null || !reportIds.includes(question.reportId)) {
          throw fieldError('reportId', 'normalization.party.report');
        }
        const report = await readReport(trx, question.reportId);
        const ticket = await ticketOf(trx, 'report', question.reportId);
        const reporter = report && reporterOf(box, report);
        if (!reporter || !ticket) {
          throw fieldError('reportId', 'normalization.party.noContact');
        }
        to = { email: reporter.email, ticket: ticket.ticket, lang: ticket.lang };
      }
      const questionId = await insertInformationRequest(trx, {
        normalizationId: id,
        party: question.party,
        reportId: question.party === 'reporter' ? question.reportId : null,
        question: sealPersonal(box, question.question),
        askedBy: actor.id,
        askedAt: now,
        dueAt,
      });
      await startHandling(trx, request, actor, now);
      await enqueueMail(
        trx,
        {
          to: to.email,
          ...renderQuestionMail(
            {
              ticket: to.ticket,
              party: question.party,
              account: accountLabel(request.provider, request.number),
              question: question.question,
              dueAt,
            },
            to.lang,
            { publicBaseUrl: this.#d.publicBaseUrl },
          ),
        },
        now,
        this.#d.box,
      );
      await audit.record(trx, {
        actor,
        action: 'normalization.information_requested',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: {
          party: question.party,
          report: question.reportId === null ? null : String(question.reportId),
          question: String(questionId),
        },
      });
      return { id: questionId, dueAt };
    });
    this.#d.wakeJobs();
    return asked;
  }

  /** Schedules a mediation between owner and reporters; both sides are told by e-mail. */
  async scheduleMediation(
    id: number,
    actor: OperatorActor,
    mediation: Mediation,
  ): Promise<{ id: number; status: 'mediation' }> {
    const { database, audit, clock, box } = this.#d;
    const now = clock.now();
    if (mediation.scheduledAt.getTime() <= now.getTime()) {
      throw fieldError('scheduledAt', 'normalization.mediation.past');
    }
    if (!mediation.place && !mediation.videoLink) {
      throw fieldError('place', 'normalization.mediation.where');
    }
    const scheduled = await database.db.transaction().execute(async (trx) => {
      const request = await openRequest(trx, database, id);
      if (request.status === 'proposed')
        throw fieldError('decision', 'normalization.proposal.pending');
      const sessionId = await insertMediation(trx, {
        normalizationId: id,
        scheduledAt: mediation.scheduledAt,
        place: mediation.place,
        videoLink: mediation.videoLink,
        note: mediation.note,
        scheduledBy: actor.id,
        at: now,
      });
      await updateNormalization(trx, id, {
        status: 'mediation',
        handled_by: request.handledBy ?? actor.id,
        updated_at: now,
      });
      if (request.ticket && request.status !== 'mediation') {
        await recordTicketEvent(trx, request.ticket, 'mediation', now, null);
      }
      const template = {
        kind: 'mediation_scheduled' as const,
        scheduledAt: mediation.scheduledAt,
        ...(mediation.place ? { place: mediation.place } : {}),
        ...(mediation.videoLink ? { link: mediation.videoLink } : {}),
        ...(mediation.note ? { note: mediation.note } : {}),
      };
      const context = { publicBaseUrl: this.#d.publicBaseUrl };
      let told = 0;
      const contact = request.ticket ? ownerContactOf(box, request) : null;
      if (contact && request.ticket) {
        const lang = isLangValue(request.lang);
        await enqueueMail(
          trx,
          {
            to: contact.email,
            ...renderMail({ ...template, ticket: request.ticket }, lang, context),
          },
          now,
          this.#d.box,
        );
        told += 1;
      }
      for (const reportId of await disputedReportIds(trx, id)) {
        const report = await readReport(trx, reportId);
        const ticket = await ticketOf(trx, 'report', reportId);
        const reporter = report && reporterOf(box, report);
        if (!reporter || !ticket) continue;
        await enqueueMail(
          trx,
          {
            to: reporter.email,
            ...renderMail({ ...template, ticket: ticket.ticket }, ticket.lang, context),
          },
          now,
          this.#d.box,
        );
        told += 1;
      }
      await audit.record(trx, {
        actor,
        action: 'normalization.mediation_scheduled',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: {
          session: String(sessionId),
          scheduledAt: mediation.scheduledAt.toISOString(),
          online: mediation.videoLink !== null,
          told,
        },
      });
      return { id: sessionId, status: 'mediation' as const };
    });
    this.#d.wakeJobs();
    return scheduled;
  }

  /** What came of a mediation session; recorded once. */
  async recordMediation(
    id: number,
    sessionId: number,
    actor: OperatorActor,
    outcome: { outcome: MediationOutcome; note: string | null },
  ): Promise<void> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    await database.db.transaction().execute(async (trx) => {
      await openRequest(trx, database, id);
      if (!(await mediationExists(trx, id, sessionId))) throw new AppError('not_found');
      const recorded = await recordMediationOutcome(trx, id, sessionId, {
        ...outcome,
        by: actor.id,
        at: now,
      });
      if (!recorded) throw new AppError('already_decided');
      await audit.record(trx, {
        actor,
        action: 'normalization.mediation_recorded',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: { session: String(sessionId), outcome: outcome.outcome },
      });
    });
  }
}
