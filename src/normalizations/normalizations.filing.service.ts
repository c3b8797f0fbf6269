// Filing a request for normalization, and the parties' side of it: the owner
// files online or a service desk enters it (all or nothing, with its files,
// ticket, e-mail and the dispute mark on the account), and a party answers
// the mediator's questions on the answer page with their ticket's code.
import { refreshSummaries } from '../accounts/accounts.service.ts';
import { enqueueAccountEvents } from '../watches/watches.service.ts';
import type { SubmissionChannel } from '../db/schema.ts';
import type { StagedFile } from '../files/files.service.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { renderMail } from '../mail/mail.service.ts';
import { readReport } from '../reports/reports.service.ts';
import { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { t } from '../shared/messages.ts';
import { sealPersonal } from '../shared/personal-data.ts';
import { cleanMultiLine, visibleLength } from '../shared/text-input.ts';
import {
  issueTicket,
  ticketContactHash,
  trackTicket,
  type IssuedTicket,
} from '../tickets/tickets.service.ts';
import type { InformationParty, NormalizationStatus } from '../db/schema.ts';
import { checkNormalizationFiles, type NormalizationInput } from './normalization-input.ts';
import { deadlineDate } from './normalizations.mail.ts';
import {
  accountLabel,
  day,
  dueAtOf,
  fieldError,
  nikAad,
  pending,
  sealOwnerContact,
  type NormalizationsDeps,
  type OperatorActor,
} from './normalizations.case.service.ts';
import {
  findNormalization,
  hasPendingNormalization,
  insertNormalization,
  linkReports,
  lockAccount,
  ticketSubject,
  updateNormalization,
  verifiedReportIds,
  type NormalizationRecord,
} from './normalizations.repository.ts';
import {
  answerInformationRequest,
  listInformationRequests,
  type InformationRequestRecord,
} from './mediation.repository.ts';

/** Files that may come with one answer. */
export const maxAnswerFiles = 3;

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

export class NormalizationFilingService {
  readonly #d: NormalizationsDeps;

  constructor(deps: NormalizationsDeps) {
    this.#d = deps;
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
          contact_sealed: sealOwnerContact(box, id, input.contact),
        });
        await linkReports(trx, id, reportIds);
        await store.recordFiles(trx, { kind: 'normalization', id }, staged);
        const ticket = await issueTicket(trx, {
          kind: 'normalization',
          subjectId: id,
          lang: how.lang,
          status: 'submitted',
          at: now,
          // A desk entry may have no address: then no code can be sent again.
          contactHash: input.contact.email ? ticketContactHash(box, input.contact.email) : null,
        });
        await updateNormalization(trx, id, { ticket: ticket.ticket });
        const keys = await refreshSummaries(trx, database.dialect, [accountId], now);
        await enqueueAccountEvents(trx, database.dialect, 'account.disputed', [accountId], now);
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
      const report = await readReport(database.db, subject.subjectId);
      if (report) account = accountLabel(report.provider, report.number);
    }
    return {
      ticket: tracked.ticket,
      kind: tracked.kind,
      party: tracked.kind === 'normalization' ? 'owner' : 'reporter',
      lang: tracked.lang,
      account,
      status: own?.status ?? null,
      dueAt: own && pending.includes(own.status) ? dueAtOf(own, this.#d.decisionDays) : null,
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
