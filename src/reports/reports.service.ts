// Public reports: a victim files one with evidence, a reviewer claims it,
// verifies or rejects it, and the check shows a verification at once. Every
// state change is one transaction with its files, ticket history, e-mail job
// and audit entry; the reporter's identity is sealed at rest and opened only
// in a reviewer's audited view.
import { refreshSummaries } from '../accounts/accounts.service.ts';
import { enqueueAccountEvents } from '../watches/watches.service.ts';
import type { CheckService } from '../accounts/check.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ChallengeService } from '../challenge/challenge.service.ts';
import type { Database, Executor } from '../db/database.ts';
import type { ReportStatus } from '../db/schema.ts';
import type { FileRecord, FileStore, StagedFile } from '../files/files.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { renderMail } from '../mail/mail.service.ts';
import type { Actor } from '../operators/operators.service.ts';
import { flagRegistrationsAfterReport } from '../registrations/registrations.service.ts';
import {
  admitSubmission,
  claimWindow,
  heldByAnother,
  reviewStep,
  type Reviewer,
} from '../review/review.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { sealOptionalPersonal, sealPersonal } from '../shared/personal-data.ts';
import {
  issueTicket,
  ticketContactHash,
  recordTicketEvent,
  ticketOf,
  type IssuedTicket,
} from '../tickets/tickets.service.ts';
import type { ReportInput, Reporter } from './report-input.ts';
import { filingFingerprint, idempotencyRetentionMs } from './idempotency.ts';
import {
  findStoredAnswer,
  insertStoredAnswer,
  pruneStoredAnswers,
} from './idempotency.repository.ts';
import {
  claimReport,
  countOpenReports,
  decideReport,
  findQueue,
  findReport,
  findSiblingReports,
  flagReports,
  hasOpenReport,
  insertReport,
  lockNextUnclaimed,
  recentReportsFrom,
  releaseReport,
  type QueueFilter,
  type QueueItem,
  type ReportRecord,
  type SiblingReport,
} from './submissions.repository.ts';

export const maxEvidenceFiles = 5;
/** Reports on one account from one client or one e-mail within this window are flagged. */
const burstWindowMs = 24 * 3_600_000;

export const verifyReasons = [
  'evidence_sufficient',
  'consistent_with_other_reports',
  'confirmed_by_bank_or_police',
] as const;
export const rejectReasons = [
  'insufficient_evidence',
  'not_fraud',
  'duplicate',
  'wrong_account',
  'false_report',
  'other',
] as const;
export type DecisionReason = (typeof verifyReasons)[number] | (typeof rejectReasons)[number];

export type FlagReason = 'burst_client' | 'burst_email' | 'no_challenge';

export interface Decision {
  readonly decision: 'verify' | 'reject';
  readonly reason: DecisionReason;
  readonly note: string | null;
}

export interface SubmitMeta {
  /** The client's address, kept only as a keyed hash for the burst flag. */
  readonly client: string;
  readonly lang: Lang;
  /** The solved ALTCHA payload, if any. */
  readonly challenge: string | undefined;
  /** The partner whose key filed it (no proof of work, no allowance per reporter). */
  readonly partner?: { readonly id: number } | undefined;
  /** A partner's Idempotency-Key: a retry of the same filing answers the first result. */
  readonly idempotencyKey?: string | undefined;
}

/** A keyed filing's Idempotency-Key with what makes a retry the same request. */
interface IdempotentFiling {
  readonly partnerId: number;
  readonly key: string;
  readonly fingerprint: string;
}

export interface SubmittedReport extends IssuedTicket {
  readonly status: 'submitted';
}

export interface ReportDetail {
  readonly report: ReportRecord;
  readonly reporter: Reporter | null;
  readonly files: readonly FileRecord[];
  readonly otherReports: readonly SiblingReport[];
}

export interface ReportsDeps {
  readonly database: Database;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly files: FileStore;
  readonly audit: AuditService;
  readonly checks: CheckService;
  readonly challenges: ChallengeService;
  /** Per reporter e-mail (keyed hash); undefined = no limit. */
  readonly reporterLimiter: RateLimiter | undefined;
  readonly publicBaseUrl: string;
  /** How long a claim keeps other reviewers off a report. */
  readonly claimMs: number;
  /** Nudges the job worker after a commit that enqueued mail. */
  readonly wakeJobs: () => void;
}

const reporterAad = 'report.reporter';
const answerAad = 'report.idempotent-answer';

function idempotentFiling(
  input: ReportInput,
  evidence: readonly StagedFile[],
  meta: SubmitMeta,
): IdempotentFiling | undefined {
  if (!meta.partner || meta.idempotencyKey === undefined) return undefined;
  return {
    partnerId: meta.partner.id,
    key: meta.idempotencyKey,
    fingerprint: filingFingerprint(input, evidence),
  };
}

/**
 * A report as another feature reads it, in that feature's transaction:
 * normalization shows the reports it disputes and writes to their reporters.
 */
export function readReport(db: Executor, id: number): Promise<ReportRecord | undefined> {
  return findReport(db, id);
}

/** The reporter's contact, opened; null for a report without one (an imported report). */
export function reporterOf(
  box: SecretBox,
  report: Pick<ReportRecord, 'reporterSealed'>,
): Reporter | null {
  return report.reporterSealed
    ? (JSON.parse(box.openText(report.reporterSealed, 'field', reporterAad)) as Reporter)
    : null;
}

export class ReportsService {
  readonly #d: ReportsDeps;

  constructor(deps: ReportsDeps) {
    this.#d = deps;
  }

  /** Files a report with its evidence (already staged); all or nothing. */
  async submit(
    input: ReportInput,
    evidence: readonly StagedFile[],
    meta: SubmitMeta,
  ): Promise<SubmittedReport> {
    const { files } = this.#d;
    return files.withStagedFiles(evidence, async () => {
      if (evidence.length < 1 || evidence.length > maxEvidenceFiles) {
        throw new AppError('validation_failed', {
          errors: [{ field: 'evidence', reason: 'report.evidence.count' }],
        });
      }
      const idempotent = idempotentFiling(input, evidence, meta);
      const earlier = idempotent && (await this.#earlierAnswer(this.#d.database.db, idempotent));
      if (earlier) return earlier;
      try {
        return await this.#file(input, evidence, meta, idempotent);
      } catch (error) {
        // A concurrent twin committed first (this one waited on its key, or found its report
        // open already): the same request answers as the twin did.
        const twin = idempotent && (await this.#earlierAnswer(this.#d.database.db, idempotent));
        if (twin) return twin;
        throw error;
      }
    });
  }

  /** The answer stored for the key, or 422 idempotency_key_reused for another request. */
  async #earlierAnswer(
    db: Executor,
    filing: IdempotentFiling,
  ): Promise<SubmittedReport | undefined> {
    const stored = await findStoredAnswer(db, filing.partnerId, filing.key);
    if (!stored) return undefined;
    if (stored.fingerprint !== filing.fingerprint) throw new AppError('idempotency_key_reused');
    return JSON.parse(this.#d.box.openText(stored.answer, 'field', answerAad)) as SubmittedReport;
  }

  async #file(
    input: ReportInput,
    evidence: readonly StagedFile[],
    meta: SubmitMeta,
    idempotent: IdempotentFiling | undefined,
  ): Promise<SubmittedReport> {
    const { database, files, box, clock } = this.#d;
    const reporterEmailHash = box.keyedHash(input.reporter.email, 'field');
    const clientHash = box.keyedHash(`client:${meta.client}`, 'field');
    // A partner files for many victims at once: its own limits are per key.
    const verdict = meta.partner
      ? undefined
      : await this.#d.reporterLimiter?.hit(reporterEmailHash);
    if (verdict && !verdict.allowed) {
      throw new AppError('rate_limited', { params: { seconds: verdict.resetSeconds } });
    }
    const now = clock.now();
    const issued = await database.db.transaction().execute(async (trx) => {
      const { solved, accountId } = await admitSubmission(
        trx,
        this.#d.challenges,
        meta.challenge,
        input.account,
        now,
      );
      if (await hasOpenReport(trx, accountId, reporterEmailHash)) {
        throw new AppError('duplicate_report');
      }
      const recent = await recentReportsFrom(
        trx,
        accountId,
        new Date(now.getTime() - burstWindowMs),
        { clientHash, reporterEmailHash },
      );
      const flags: FlagReason[] = [];
      if (recent.some((r) => r.sameClient)) flags.push('burst_client');
      if (recent.some((r) => r.sameReporter)) flags.push('burst_email');
      if (!solved && !meta.partner) flags.push('no_challenge');
      const id = await insertReport(trx, {
        accountId,
        category: input.category,
        holderName: sealPersonal(box, input.holderName),
        reportedPhone: sealOptionalPersonal(box, input.reportedPhone),
        reportedSocials: sealOptionalPersonal(box, input.reportedSocials),
        reportedWebsite: sealOptionalPersonal(box, input.reportedWebsite),
        incidentDate: input.transferDate,
        incidentTime: input.incidentTime,
        amount: input.amount,
        platform: input.platform,
        locationDetails: sealOptionalPersonal(box, input.locationDetails),
        city: input.city,
        chronology: sealPersonal(box, input.chronology),
        reporterSealed: box.seal(JSON.stringify(input.reporter), 'field', reporterAad),
        reporterEmailHash,
        clientHash,
        lang: meta.lang,
        flagReasons: flags,
        partnerId: meta.partner?.id ?? null,
        at: now,
      });
      // The earlier reports of the burst are flagged too: the reviewer sees them together.
      for (const reason of ['burst_client', 'burst_email'] as const) {
        if (!flags.includes(reason)) continue;
        const same = recent.filter((r) =>
          reason === 'burst_client' ? r.sameClient : r.sameReporter,
        );
        await flagReports(
          trx,
          same.map((r) => r.id),
          reason,
          now,
        );
      }
      await files.recordFiles(trx, { kind: 'report', id }, evidence);
      const ticket = await issueTicket(trx, {
        kind: 'report',
        subjectId: id,
        lang: meta.lang,
        status: 'submitted',
        at: now,
        contactHash: ticketContactHash(box, input.reporter.email),
      });
      await trx
        .updateTable('reports')
        .set({ ticket: ticket.ticket })
        .where('id', '=', id)
        .execute();
      await enqueueMail(
        trx,
        {
          to: input.reporter.email,
          ...renderMail({ kind: 'report_received', ticket: ticket.ticket }, meta.lang, {
            publicBaseUrl: this.#d.publicBaseUrl,
          }),
        },
        now,
        this.#d.box,
      );
      if (idempotent) await this.#storeAnswer(trx, idempotent, ticket, now);
      return ticket;
    });
    this.#d.wakeJobs();
    return { ...issued, status: 'submitted' as const };
  }

  /** Kept with the report it answers; answers older than the retention go on the way. */
  async #storeAnswer(
    trx: Executor,
    filing: IdempotentFiling,
    ticket: IssuedTicket,
    now: Date,
  ): Promise<void> {
    const answer: SubmittedReport = { ...ticket, status: 'submitted' };
    await pruneStoredAnswers(trx, new Date(now.getTime() - idempotencyRetentionMs));
    await insertStoredAnswer(trx, {
      partnerId: filing.partnerId,
      key: filing.key,
      fingerprint: filing.fingerprint,
      answer: this.#d.box.seal(JSON.stringify(answer), 'field', answerAad),
      at: now,
    });
  }

  queue(filter: QueueFilter): Promise<QueueItem[]> {
    return findQueue(this.#d.database.db, filter);
  }

  counts() {
    return countOpenReports(this.#d.database.db);
  }

  /** The whole report for a reviewer, the reporter's identity opened: an audited view. */
  async detail(id: number, actor: Actor): Promise<ReportDetail> {
    const { database, audit, files } = this.#d;
    return database.db.transaction().execute(async (trx) => {
      const report = await findReport(trx, id);
      if (!report) throw new AppError('not_found');
      const reporter = reporterOf(this.#d.box, report);
      await audit.record(
        trx,
        reviewStep(
          actor,
          'report.viewed',
          { type: 'report', id },
          { reporterShown: reporter !== null },
        ),
      );
      return {
        report,
        reporter,
        files: await files.filesOf({ kind: 'report', id }, trx),
        otherReports: await findSiblingReports(trx, report.accountId, id),
      };
    });
  }

  /** Takes the report off the queue for this reviewer for a while; 409 if another holds it. */
  async claim(id: number, actor: Reviewer): Promise<{ claimedUntil: Date }> {
    const { database } = this.#d;
    const { now, until } = claimWindow(this.#d.clock, this.#d.claimMs);
    return database.db.transaction().execute(async (trx) => {
      const claimed = await claimReport(trx, id, actor.id, now, until);
      if (!claimed) throw await this.#whyUnavailable(trx, id);
      await this.#claimed(trx, id, actor, now, { until: until.toISOString() });
      return { claimedUntil: until };
    });
  }

  /** Claims the oldest open report nobody holds; undefined when the queue is empty. */
  async claimNext(actor: Reviewer): Promise<{ id: number; claimedUntil: Date } | undefined> {
    const { database } = this.#d;
    const { now, until } = claimWindow(this.#d.clock, this.#d.claimMs);
    return database.db.transaction().execute(async (trx) => {
      const id = await lockNextUnclaimed(trx, database.dialect, now);
      if (id === undefined) return undefined;
      if (!(await claimReport(trx, id, actor.id, now, until))) return undefined;
      await this.#claimed(trx, id, actor, now, { until: until.toISOString(), next: true });
      return { id, claimedUntil: until };
    });
  }

  /** A claimed report shows "in review" on its ticket; the claim is audited. */
  async #claimed(
    trx: Executor,
    id: number,
    actor: Reviewer,
    now: Date,
    details: { until: string; next?: true },
  ): Promise<void> {
    const ticket = await ticketOf(trx, 'report', id);
    if (ticket) await recordTicketEvent(trx, ticket.ticket, 'in_review', now, null);
    await this.#d.audit.record(
      trx,
      reviewStep(actor, 'report.claimed', { type: 'report', id }, details),
    );
  }

  async release(id: number, actor: Reviewer): Promise<void> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    await database.db.transaction().execute(async (trx) => {
      if (!(await releaseReport(trx, id, actor.id, now))) throw await this.#whyUnavailable(trx, id);
      await audit.record(trx, reviewStep(actor, 'report.released', { type: 'report', id }));
    });
  }

  /** Verifies or rejects; a verification counts in the check at once, on every process. */
  async decide(
    id: number,
    actor: Reviewer,
    decision: Decision,
  ): Promise<{ status: 'verified' | 'rejected' }> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    const status = decision.decision === 'verify' ? 'verified' : 'rejected';
    const allowed: readonly string[] = status === 'verified' ? verifyReasons : rejectReasons;
    if (!allowed.includes(decision.reason)) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'reason', reason: 'report.decision.reason' }],
      });
    }
    const changedKeys = await database.db.transaction().execute(async (trx) => {
      const report = await findReport(trx, id, { forUpdate: database.dialect === 'postgres' });
      if (!report) throw new AppError('not_found');
      if (report.status !== 'submitted' && report.status !== 'in_review') {
        throw new AppError('already_decided');
      }
      if (heldByAnother(report, actor.id, now)) throw new AppError('already_claimed');
      const decided = await decideReport(trx, id, {
        status,
        operatorId: actor.id,
        reason: decision.reason,
        note: decision.note,
        at: now,
      });
      if (!decided) throw new AppError('already_decided');
      const keys = await refreshSummaries(trx, database.dialect, [report.accountId], now);
      if (status === 'verified') {
        const accountIds = [report.accountId];
        await enqueueAccountEvents(trx, database.dialect, 'account.reported', accountIds, now);
        // A verified report puts a verified seller of the account back in the registrar's queue.
        await flagRegistrationsAfterReport(trx, {
          audit,
          actor,
          accountId: report.accountId,
          reportId: id,
          at: now,
        });
      }
      const ticket = await ticketOf(trx, 'report', id);
      if (ticket) {
        await recordTicketEvent(trx, ticket.ticket, status, now, `reason:${decision.reason}`);
        const reporter = reporterOf(this.#d.box, report);
        if (reporter) {
          await enqueueMail(
            trx,
            {
              to: reporter.email,
              ...renderMail(
                {
                  kind: 'report_decided',
                  ticket: ticket.ticket,
                  decision: status,
                  ...(status === 'rejected'
                    ? {
                        reason: reasonLabel(ticket.lang, decision.reason),
                        reasonCode: decision.reason,
                      }
                    : {}),
                },
                ticket.lang,
                { publicBaseUrl: this.#d.publicBaseUrl },
              ),
            },
            now,
            this.#d.box,
          );
        }
      }
      await audit.record(
        trx,
        reviewStep(
          actor,
          status === 'verified' ? 'report.verified' : 'report.rejected',
          { type: 'report', id },
          { reason: decision.reason, account: report.accountKey },
        ),
      );
      return keys;
    });
    this.#d.checks.changed(changedKeys);
    this.#d.wakeJobs();
    return { status };
  }

  async #whyUnavailable(db: Database['db'], id: number): Promise<AppError> {
    const report = await findReport(db, id);
    if (!report) return new AppError('not_found');
    const open: readonly ReportStatus[] = ['submitted', 'in_review'];
    if (!open.includes(report.status)) return new AppError('already_decided');
    return new AppError('already_claimed');
  }
}

const reasonLabels: Record<Lang, Record<DecisionReason, string>> = {
  id: {
    evidence_sufficient: 'Bukti cukup',
    consistent_with_other_reports: 'Sesuai dengan laporan lain',
    confirmed_by_bank_or_police: 'Dikonfirmasi bank atau kepolisian',
    insufficient_evidence: 'Bukti belum cukup',
    not_fraud: 'Bukan penipuan (misalnya sengketa jual beli biasa)',
    duplicate: 'Laporan ganda',
    wrong_account: 'Rekening tidak sesuai dengan bukti',
    false_report: 'Laporan tidak benar',
    other: 'Alasan lain',
  },
  en: {
    evidence_sufficient: 'Sufficient evidence',
    consistent_with_other_reports: 'Consistent with other reports',
    confirmed_by_bank_or_police: 'Confirmed by the bank or the police',
    insufficient_evidence: 'Insufficient evidence',
    not_fraud: 'Not fraud (e.g. an ordinary sales dispute)',
    duplicate: 'Duplicate report',
    wrong_account: 'The account does not match the evidence',
    false_report: 'False report',
    other: 'Other reason',
  },
};

export function reasonLabel(lang: Lang, reason: string): string {
  return (reasonLabels[lang] as Record<string, string>)[reason] ?? reason;
}

export type {
  QueueFilter,
  QueueItem,
  ReportPartner,
  ReportRecord,
} from './submissions.repository.ts';
