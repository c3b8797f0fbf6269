// Normalization: the owner of a reported account disputes the verified reports
// on it, online or at a service desk; while the request is open the check
// shows the dispute mark. A mediator hears both sides (questions answered on
// the tracking page, a mediation between owner and reporter) and proposes to
// grant or deny; a second operator confirms (four eyes). Granted, the disputed
// reports stop counting (kept, marked normalized) and the account shows
// normalized; denied, the reports stand. Every change is one transaction with
// its ticket history, e-mail jobs, audit entry and the account summary, which
// every process's check shows at once.
import { refreshSummaries } from '../accounts/accounts.service.ts';
import type { CheckService } from '../accounts/check.service.ts';
import { providers } from '../shared/providers.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ChallengeService } from '../challenge/challenge.service.ts';
import type { Database, Executor } from '../db/database.ts';
import type {
  InformationParty,
  MediationOutcome,
  NormalizationStatus,
  SubmissionChannel,
} from '../db/schema.ts';
import type { FileRecord, FileStore, StagedFile, StoredFile } from '../files/files.service.ts';
import { maskNik } from '../shared/nik.ts';
import { enqueueMail } from '../mail/mail.jobs.ts';
import { renderMail } from '../mail/templates.ts';
import type { FourEyesRule, FourEyesVerdict } from '../operators/four-eyes.ts';
import type { Actor } from '../operators/operators.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { t } from '../shared/messages.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { sealOptionalPersonal, sealPersonal } from '../shared/personal-data.ts';
import { findReport, type ReportRecord } from '../reports/submissions.repository.ts';
import {
  issueTicket,
  recordTicketEvent,
  ticketOf,
  trackTicket,
  type IssuedTicket,
} from '../tickets/tickets.service.ts';
import {
  checkNormalizationFiles,
  type NormalizationInput,
  type OwnerContact,
} from './normalization-input.ts';
import { deadlineDate, renderQuestionMail } from './normalizations.mail.ts';
import { cleanMultiLine, visibleLength } from '../shared/text-input.ts';
import {
  answerInformationRequest,
  countMediations,
  disputedReportIds,
  fileBelongsToCase,
  findNormalization,
  findQueue,
  hasPendingNormalization,
  insertInformationRequest,
  insertMediation,
  insertNormalization,
  linkReports,
  listInformationRequests,
  listMediations,
  lockAccount,
  markReportsNormalized,
  mediationExists,
  operatorLabels,
  recordMediationOutcome,
  ticketSubject,
  updateNormalization,
  verifiedReportIds,
  type InformationRequestRecord,
  type MediationRecord,
  type NormalizationRecord,
  type ProposedDecision,
  type QueueItem,
} from './normalizations.repository.ts';

const day = 24 * 60 * 60 * 1000;
/** Days a party has to answer a mediator's question. */
export const answerDays = 7;
/** Files that may come with one answer. */
export const maxAnswerFiles = 3;

/** Requests a mediator may still work on; `proposed` waits for the second operator. */
const workable: readonly NormalizationStatus[] = ['submitted', 'in_review', 'mediation'];
const pending: readonly NormalizationStatus[] = [...workable, 'proposed'];
export const normalizationStatuses = [
  'submitted',
  'in_review',
  'mediation',
  'proposed',
  'granted',
  'denied',
] as const satisfies readonly NormalizationStatus[];
export const mediationOutcomes = [
  'owner_upheld',
  'reporter_upheld',
  'no_agreement',
  'not_held',
] as const satisfies readonly MediationOutcome[];

/** The same SecretBox call ReportsService seals the reporter's contact with. */
const reporterAad = 'report.reporter';

function nikAad(id: number): string {
  return `normalization:${id}:nik`;
}

function contactAad(id: number): string {
  return `normalization:${id}:contact`;
}

export interface NormalizationFiles {
  readonly savingsBookPhoto: readonly StagedFile[];
  readonly idCardPhoto: readonly StagedFile[];
  readonly evidence: readonly StagedFile[];
}

export interface SubmittedNormalization extends IssuedTicket {
  readonly status: 'submitted';
  /** The decision is promised by then. */
  readonly dueAt: Date;
}

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

export interface Proposal {
  readonly decision: ProposedDecision;
  readonly reason: string;
}

export interface Confirmation {
  readonly confirm: boolean;
  readonly reason: string | null;
}

/** What a party sees on the answer page: their ticket and the questions put to them. */
export interface PartyView {
  readonly ticket: string;
  readonly kind: 'report' | 'normalization';
  readonly party: InformationParty;
  readonly lang: Lang;
  readonly account: string;
  /** The request's state and deadline, for the owner; for a reporter, the request disputing their report. */
  readonly status: NormalizationStatus | null;
  readonly dueAt: Date | null;
  readonly questions: readonly (InformationRequestRecord & {
    readonly open: boolean;
    readonly overdue: boolean;
  })[];
}

export interface NormalizationsDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly files: FileStore;
  readonly audit: AuditService;
  readonly checks: CheckService;
  readonly challenges: ChallengeService;
  readonly publicBaseUrl: string;
  /** NORMALIZATION_DECISION_DAYS: the promised time to a decision. */
  readonly decisionDays: number;
  /** Who counts as a second person to confirm a proposal. */
  readonly fourEyes: FourEyesRule;
  /** Nudges the job worker after a commit that enqueued mail. */
  readonly wakeJobs: () => void;
}

type OperatorActor = Actor & { readonly id: number };

function accountLabel(provider: string, number: string): string {
  const known = providers.resolve(provider);
  return `${known?.shortName ?? provider} ${number}`;
}

function isLangValue(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : 'id';
}

function fieldError(field: string, reason: string): AppError {
  return new AppError('validation_failed', { errors: [{ field, reason }] });
}

export class NormalizationsService {
  readonly #d: NormalizationsDeps;

  constructor(deps: NormalizationsDeps) {
    this.#d = deps;
  }

  get decisionDays(): number {
    return this.#d.decisionDays;
  }

  /** An owner's request, online: files staged already; all or nothing. */
  submit(
    input: NormalizationInput,
    files: NormalizationFiles,
    meta: { readonly lang: Lang; readonly challenge: string | undefined },
  ): Promise<SubmittedNormalization> {
    return this.#file(input, files, {
      channel: 'online',
      lang: meta.lang,
      challenge: meta.challenge,
    });
  }

  /** A request taken at a service desk, entered by an operator on the owner's behalf. */
  enter(
    input: NormalizationInput,
    files: NormalizationFiles,
    actor: OperatorActor,
    lang: Lang,
  ): Promise<SubmittedNormalization> {
    return this.#file(input, files, { channel: 'service_desk', lang, actor });
  }

  async #file(
    input: NormalizationInput,
    files: NormalizationFiles,
    how: {
      channel: SubmissionChannel;
      lang: Lang;
      challenge?: string | undefined;
      actor?: OperatorActor;
    },
  ): Promise<SubmittedNormalization> {
    const { database, box, clock, audit } = this.#d;
    const store = this.#d.files;
    const staged = [...files.savingsBookPhoto, ...files.idCardPhoto, ...files.evidence];
    const result = await store.withStagedFiles(staged, async () => {
      checkNormalizationFiles({
        savingsBookPhoto: files.savingsBookPhoto.length,
        idCardPhoto: files.idCardPhoto.length,
        evidence: files.evidence.length,
      });
      const now = clock.now();
      const dueAt = new Date(now.getTime() + this.#d.decisionDays * day);
      return database.db.transaction().execute(async (trx) => {
        if (how.channel === 'online' && this.#d.challenges.enabled) {
          await this.#d.challenges.spend(trx, how.challenge);
        }
        const accountId = await lockAccount(
          trx,
          input.account.key,
          database.dialect === 'postgres',
        );
        if (accountId === undefined) throw new AppError('nothing_to_normalize');
        if (await hasPendingNormalization(trx, accountId)) throw new AppError('already_pending');
        const reportIds = await verifiedReportIds(trx, accountId);
        if (reportIds.length === 0) throw new AppError('nothing_to_normalize');
        const id = await insertNormalization(trx, {
          accountId,
          channel: how.channel,
          holderName: sealPersonal(box, input.holderName),
          nikHash: box.keyedHash(input.nik, 'nik-index'),
          statement: sealPersonal(box, input.statement),
          lang: how.lang,
          enteredBy: how.actor?.id ?? null,
          dueAt,
          at: now,
        });
        await updateNormalization(trx, id, {
          nik_sealed: box.seal(input.nik, 'nik', nikAad(id)),
          contact_sealed: box.seal(JSON.stringify(input.contact), 'field', contactAad(id)),
        });
        await linkReports(trx, id, reportIds);
        await store.recordFiles(trx, { kind: 'normalization', id }, staged);
        const ticket = await issueTicket(trx, {
          kind: 'normalization',
          subjectId: id,
          lang: how.lang,
          status: 'submitted',
          at: now,
        });
        await updateNormalization(trx, id, { ticket: ticket.ticket });
        const keys = await refreshSummaries(trx, database.dialect, [accountId], now);
        await enqueueMail(
          trx,
          {
            to: input.contact.email,
            ...renderMail(
              {
                kind: 'status_changed',
                ticket: ticket.ticket,
                request: 'normalization',
                status: 'submitted',
                note: t(how.lang, 'normalizationMail.receipt.note', {
                  date: deadlineDate(how.lang, dueAt),
                }),
              },
              how.lang,
              { publicBaseUrl: this.#d.publicBaseUrl },
            ),
          },
          now,
          this.#d.box,
        );
        if (how.actor) {
          await audit.record(trx, {
            actor: how.actor,
            action: 'normalization.entered',
            subject: { type: 'normalization', id: String(id) },
            ip: how.actor.ip,
            details: { account: input.account.key, reports: reportIds.length },
          });
        }
        return { ticket, keys, dueAt };
      });
    });
    this.#d.checks.changed(result.keys);
    this.#d.wakeJobs();
    return { ...result.ticket, status: 'submitted', dueAt: result.dueAt };
  }

  // -------------------------------------------------------------------------
  // The mediator's side

  queue(query: QueueQuery): Promise<QueueItem[]> {
    return findQueue(this.#d.database.db, {
      ...query,
      now: this.#d.clock.now(),
      decisionMs: this.#d.decisionDays * day,
    });
  }

  #dueAt(request: NormalizationRecord): Date {
    return request.dueAt ?? new Date(request.createdAt.getTime() + this.#d.decisionDays * day);
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
      const contact = request.contactSealed
        ? (JSON.parse(box.openText(request.contactSealed, 'field', contactAad(id))) as OwnerContact)
        : null;
      const reports: DisputedReport[] = [];
      for (const reportId of await disputedReportIds(trx, id)) {
        const report = await findReport(trx, reportId);
        if (!report) continue;
        reports.push({
          report,
          reporter: report.reporterSealed
            ? (JSON.parse(
                box.openText(report.reporterSealed, 'field', reporterAad),
              ) as ReporterContact)
            : null,
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
      const operators = await operatorLabels(trx, [
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
      const dueAt = this.#dueAt(request);
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

  /** Locks the request for a change; throws not_found, and already_decided once decided. */
  async #open(trx: Executor, id: number): Promise<NormalizationRecord> {
    const request = await findNormalization(trx, id, {
      forUpdate: this.#d.database.dialect === 'postgres',
    });
    if (!request) throw new AppError('not_found');
    if (!pending.includes(request.status)) throw new AppError('already_decided');
    return request;
  }

  /** The first step of handling moves a new request to in_review, on its ticket too. */
  async #startHandling(
    trx: Executor,
    request: NormalizationRecord,
    actor: OperatorActor,
    now: Date,
  ): Promise<void> {
    if (request.status === 'submitted') {
      await updateNormalization(trx, request.id, {
        status: 'in_review',
        handled_by: request.handledBy ?? actor.id,
        updated_at: now,
      });
      if (request.ticket) await recordTicketEvent(trx, request.ticket, 'in_review', now, null);
    } else if (request.handledBy === null) {
      await updateNormalization(trx, request.id, { handled_by: actor.id, updated_at: now });
    }
  }

  /** A mediator takes the request on. */
  async claim(id: number, actor: OperatorActor): Promise<{ status: NormalizationStatus }> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    return database.db.transaction().execute(async (trx) => {
      const request = await this.#open(trx, id);
      await this.#startHandling(trx, request, actor, now);
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
      const request = await this.#open(trx, id);
      let to: { email: string; ticket: string; lang: Lang } | null = null;
      if (question.party === 'owner') {
        const contact = request.contactSealed
          ? (JSON.parse(
              box.openText(request.contactSealed, 'field', contactAad(id)),
            ) as OwnerContact)
          : null;
        if (!contact || !request.ticket) throw fieldError('party', 'normalization.party.noContact');
        to = { email: contact.email, ticket: request.ticket, lang: isLangValue(request.lang) };
      } else {
        const reportIds = await disputedReportIds(trx, id);
        if (question.reportId === null || !reportIds.includes(question.reportId)) {
          throw fieldError('reportId', 'normalization.party.report');
        }
        const report = await findReport(trx, question.reportId);
        const ticket = await ticketOf(trx, 'report', question.reportId);
        if (!report?.reporterSealed || !ticket) {
          throw fieldError('reportId', 'normalization.party.noContact');
        }
        const reporter = JSON.parse(
          box.openText(report.reporterSealed, 'field', reporterAad),
        ) as ReporterContact;
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
      await this.#startHandling(trx, request, actor, now);
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
      const request = await this.#open(trx, id);
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
      if (request.contactSealed && request.ticket) {
        const contact = JSON.parse(
          box.openText(request.contactSealed, 'field', contactAad(id)),
        ) as OwnerContact;
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
        const report = await findReport(trx, reportId);
        const ticket = await ticketOf(trx, 'report', reportId);
        if (!report?.reporterSealed || !ticket) continue;
        const reporter = JSON.parse(
          box.openText(report.reporterSealed, 'field', reporterAad),
        ) as ReporterContact;
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
      await this.#open(trx, id);
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

  /** A mediator proposes to grant or deny; it takes effect when another operator confirms. */
  async propose(
    id: number,
    actor: OperatorActor,
    proposal: Proposal,
  ): Promise<{ state: 'proposed' }> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    return database.db.transaction().execute(async (trx) => {
      const request = await this.#open(trx, id);
      if (request.status === 'proposed')
        throw fieldError('decision', 'normalization.proposal.pending');
      const proposed = await updateNormalization(
        trx,
        id,
        {
          status: 'proposed',
          handled_by: request.handledBy ?? actor.id,
          proposed_decision: proposal.decision,
          proposed_by: actor.id,
          proposed_at: now,
          proposal_reason: proposal.reason,
          updated_at: now,
        },
        workable,
      );
      if (!proposed) throw new AppError('already_decided');
      if (request.ticket) await recordTicketEvent(trx, request.ticket, 'proposed', now, null);
      await audit.record(trx, {
        actor,
        action: 'normalization.proposed',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        details: { decision: proposal.decision, reason: proposal.reason },
      });
      return { state: 'proposed' as const };
    });
  }

  /**
   * A second operator confirms the proposal (or sends it back). Only another
   * person may (four-eyes.ts): not the proposer, nor an operator who changed
   * the proposer's account or whose account the proposer changed within
   * FOUR_EYES_INDEPENDENCE_DAYS. A refusal is four_eyes, audited.
   */
  async confirm(
    id: number,
    actor: OperatorActor,
    confirmation: Confirmation,
  ): Promise<{ status: NormalizationStatus }> {
    const { database, audit, clock, fourEyes } = this.#d;
    const before = await findNormalization(database.db, id);
    if (!before) throw new AppError('not_found');
    const verdict =
      before.status === 'proposed' && before.proposedBy !== null
        ? await fourEyes.verdict(database.db, before.proposedBy, actor.id)
        : null;
    if (verdict && !verdict.independent) {
      await audit.recordAlone({
        actor,
        action: 'access.denied',
        subject: { type: 'normalization', id: String(id) },
        ip: actor.ip,
        outcome: 'denied',
        details: { ...fourEyes.details(verdict), decision: before.proposedDecision },
      });
      throw fourEyes.refusal(verdict);
    }
    if (!confirmation.confirm && !confirmation.reason) {
      throw fieldError('reason', 'normalization.confirmation.reason');
    }
    const now = clock.now();
    const outcome = await database.db.transaction().execute(async (trx) => {
      const request = await this.#open(trx, id);
      if (request.status !== 'proposed' || !request.proposedDecision) {
        throw fieldError('confirm', 'normalization.proposal.none');
      }
      // Proposed again, or linked, since the check above: refused all the same.
      const latest = await fourEyes.verdict(trx, request.proposedBy ?? actor.id, actor.id);
      if (!latest.independent) throw fourEyes.refusal(latest);
      if (!confirmation.confirm) return this.#sendBack(trx, request, actor, confirmation, now);
      return this.#decide(trx, request, actor, confirmation, now);
    });
    this.#d.checks.changed(outcome.keys);
    this.#d.wakeJobs();
    return { status: outcome.status };
  }

  async #sendBack(
    trx: Executor,
    request: NormalizationRecord,
    actor: OperatorActor,
    confirmation: Confirmation,
    now: Date,
  ): Promise<{ status: NormalizationStatus; keys: string[] }> {
    const status: NormalizationStatus =
      (await countMediations(trx, request.id)) > 0 ? 'mediation' : 'in_review';
    await updateNormalization(trx, request.id, {
      status,
      proposed_decision: null,
      proposed_by: null,
      proposed_at: null,
      proposal_reason: null,
      updated_at: now,
    });
    if (request.ticket) await recordTicketEvent(trx, request.ticket, status, now, null);
    await this.#d.audit.record(trx, {
      actor,
      action: 'normalization.proposal_rejected',
      subject: { type: 'normalization', id: String(request.id) },
      ip: actor.ip,
      details: {
        decision: request.proposedDecision,
        proposedBy: request.proposedBy,
        reason: confirmation.reason,
      },
    });
    return { status, keys: [] };
  }

  async #decide(
    trx: Executor,
    request: NormalizationRecord,
    actor: OperatorActor,
    confirmation: Confirmation,
    now: Date,
  ): Promise<{ status: NormalizationStatus; keys: string[] }> {
    const { database, box } = this.#d;
    const granted = request.proposedDecision === 'grant';
    const status: NormalizationStatus = granted ? 'granted' : 'denied';
    const reason = request.proposalReason ?? '';
    const decided = await updateNormalization(
      trx,
      request.id,
      {
        status,
        confirmed_by: actor.id,
        decided_at: now,
        decision_reason: reason,
        updated_at: now,
      },
      ['proposed'],
    );
    if (!decided) throw new AppError('already_decided');
    const reportIds = await disputedReportIds(trx, request.id);
    const normalized = granted ? await markReportsNormalized(trx, reportIds, now) : 0;
    const keys = await refreshSummaries(trx, database.dialect, [request.accountId], now);
    const context = { publicBaseUrl: this.#d.publicBaseUrl };
    if (request.ticket) {
      await recordTicketEvent(
        trx,
        request.ticket,
        status,
        now,
        sealOptionalPersonal(box, reason || null),
      );
      if (request.contactSealed) {
        const contact = JSON.parse(
          box.openText(request.contactSealed, 'field', contactAad(request.id)),
        ) as OwnerContact;
        const lang = isLangValue(request.lang);
        await enqueueMail(
          trx,
          {
            to: contact.email,
            ...renderMail(
              {
                kind: 'status_changed',
                ticket: request.ticket,
                request: 'normalization',
                status,
                ...(reason ? { note: reason } : {}),
              },
              lang,
              context,
            ),
          },
          now,
          this.#d.box,
        );
      }
    }
    if (granted) {
      // The reporters of the disputed reports are told their report no longer counts.
      for (const reportId of reportIds) {
        const ticket = await ticketOf(trx, 'report', reportId);
        if (!ticket) continue;
        await recordTicketEvent(trx, ticket.ticket, 'normalized', now, null);
        const report = await findReport(trx, reportId);
        if (!report?.reporterSealed) continue;
        const reporter = JSON.parse(
          box.openText(report.reporterSealed, 'field', reporterAad),
        ) as ReporterContact;
        await enqueueMail(
          trx,
          {
            to: reporter.email,
            ...renderMail(
              {
                kind: 'status_changed',
                ticket: ticket.ticket,
                request: 'report',
                status: 'normalized',
              },
              ticket.lang,
              context,
            ),
          },
          now,
          this.#d.box,
        );
      }
    }
    await this.#d.audit.record(trx, {
      actor,
      action: granted ? 'normalization.granted' : 'normalization.denied',
      subject: { type: 'normalization', id: String(request.id) },
      ip: actor.ip,
      details: {
        account: request.accountKey,
        proposedBy: request.proposedBy,
        reason,
        confirmation: confirmation.reason,
        reportsNormalized: normalized,
      },
    });
    return { status, keys };
  }

  // -------------------------------------------------------------------------
  // The parties' side: the answer page

  /** The questions put to whoever holds this ticket and its tracking code; undefined if wrong. */
  async partyView(ticketInput: string, token: string): Promise<PartyView | undefined> {
    const { database, clock } = this.#d;
    const tracked = await trackTicket(database, ticketInput, token);
    if (!tracked || (tracked.kind !== 'report' && tracked.kind !== 'normalization')) {
      return undefined;
    }
    const subject = await ticketSubject(database.db, tracked.ticket);
    if (!subject) return undefined;
    const now = clock.now();
    const questions =
      tracked.kind === 'normalization'
        ? await listInformationRequests(database.db, { owner: subject.subjectId })
        : await listInformationRequests(database.db, { reportId: subject.subjectId });
    const requests = new Map<number, NormalizationRecord>();
    for (const q of questions) {
      if (!requests.has(q.normalizationId)) {
        const found = await findNormalization(database.db, q.normalizationId);
        if (found) requests.set(q.normalizationId, found);
      }
    }
    let own: NormalizationRecord | undefined;
    let account = '';
    if (tracked.kind === 'normalization') {
      own = await findNormalization(database.db, subject.subjectId);
      if (own) account = accountLabel(own.provider, own.number);
    } else {
      const report = await findReport(database.db, subject.subjectId);
      if (report) account = accountLabel(report.provider, report.number);
    }
    return {
      ticket: tracked.ticket,
      kind: tracked.kind,
      party: tracked.kind === 'normalization' ? 'owner' : 'reporter',
      lang: tracked.lang,
      account,
      status: own?.status ?? null,
      dueAt: own && pending.includes(own.status) ? this.#dueAt(own) : null,
      questions: questions.map((q) => {
        const request = requests.get(q.normalizationId);
        const open =
          q.answeredAt === null && request !== undefined && pending.includes(request.status);
        return { ...q, open, overdue: open && q.dueAt < now };
      }),
    };
  }

  /** Records a party's answer (text, and files already staged); all or nothing. */
  async answer(
    ticketInput: string,
    token: string,
    questionId: number,
    text: string,
    attachments: readonly StagedFile[],
  ): Promise<void> {
    const { database, clock } = this.#d;
    const store = this.#d.files;
    await store.withStagedFiles(attachments, async () => {
      const answer = cleanMultiLine(text);
      if (visibleLength(answer) < 2 || answer.length > 5000) {
        throw fieldError('answer', 'normalization.answer.length');
      }
      const view = await this.partyView(ticketInput, token);
      if (!view) throw new AppError('not_found');
      const question = view.questions.find((q) => q.id === questionId);
      if (!question) throw new AppError('not_found');
      if (!question.open) throw new AppError('already_decided');
      if (attachments.length > maxAnswerFiles) {
        throw new AppError('too_many_files', { params: { max: maxAnswerFiles } });
      }
      const now = clock.now();
      await database.db.transaction().execute(async (trx) => {
        const request = await findNormalization(trx, question.normalizationId, {
          forUpdate: database.dialect === 'postgres',
        });
        if (!request || !pending.includes(request.status)) throw new AppError('already_decided');
        const recorded = await store.recordFiles(
          trx,
          { kind: 'normalization', id: question.normalizationId },
          attachments.map((f) => ({ ...f, field: 'answer', sensitive: true })),
        );
        const answered = await answerInformationRequest(trx, questionId, {
          text: sealPersonal(this.#d.box, answer),
          fileIds: recorded.map((f) => f.id),
          at: now,
        });
        if (!answered) throw new AppError('already_decided');
      });
    });
  }
}

export type { MediationRecord, QueueItem } from './normalizations.repository.ts';
