// Seller registrations: a seller registers the account they sell with, a
// registrar claims it, looks at the documents next to what was typed and
// approves or rejects it, and the check shows the verified seller at once.
// An approved seller gets a signed link (seller page, QR code, badge) that
// buyers can check, with a name check that never reveals the name. A
// verified report on the account puts the registration back in the queue.
// The NIK and the documents are sealed at rest; the NIK is opened only by an
// audited reveal, and a rejected registration's documents are erased after
// the retention period.
import { randomBytes } from 'node:crypto';
import { refreshSummaries } from '../accounts/accounts.service.ts';
import { enqueueAccountEvents, sellerEvent } from '../watches/watches.service.ts';
import { maskName } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ChallengeService } from '../challenge/challenge.service.ts';
import type { Executor } from '../db/database.ts';
import type { FileRecord, StagedFile } from '../files/files.service.ts';
import { maskNik } from '../shared/nik.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import { renderMail } from '../mail/mail.service.ts';
import type { Actor } from '../operators/operators.service.ts';
import { AppError } from '../shared/errors.ts';
import type { AccountRef } from '../shared/account-number.ts';
import type { Lang } from '../shared/i18n.ts';
import { isMessageKey, t } from '../shared/messages.ts';
import { sealPersonal } from '../shared/personal-data.ts';
import {
  admitSubmission,
  claimWindow,
  heldByAnother,
  reviewStep,
  type Reviewer,
} from '../review/review.service.ts';
import {
  issueTicket,
  ticketContactHash,
  recordTicketEvent,
  ticketOf,
  type IssuedTicket,
} from '../tickets/tickets.service.ts';
import type { NameMatch } from './name-match.ts';
import { registrationPaths } from './registrations.paths.ts';
import {
  documentFields,
  type DocumentField,
  type RegistrationInput,
  type SellerContact,
} from './registration-input.ts';
import {
  claimRegistration,
  countOpenRegistrations,
  decideRegistration,
  findAccountReports,
  findRegistration,
  findRegistrationQueue,
  flagRegistrationsOfAccount,
  hasActiveRegistration,
  insertRegistration,
  isUniqueViolation,
  nikTurnedDownBefore,
  pendingStatuses,
  releaseRegistration,
  recheckRegistration,
  setRegistrationTicket,
  verifiedReportCount,
  type AccountReport,
  type RegistrationQueueFilter,
  type RegistrationQueueItem,
  type RegistrationRecord,
} from './registrations.repository.ts';
import { eraseExpiredDocuments, type RetentionDeps } from './registrations.retention.service.ts';
import {
  SellersService,
  type SellerLinkVerdict,
  type SellerProof,
  type SellersDeps,
} from './sellers.service.ts';

export const approveReasons = [
  'documents_match',
  'confirmed_with_seller',
  'report_not_related',
] as const;
export const rejectReasons = [
  'documents_unreadable',
  'documents_mismatch',
  'holder_name_mismatch',
  'permit_invalid',
  'account_reported',
  'suspected_fraud',
  'owner_request',
  'other',
] as const;
export type RegistrationReason = (typeof approveReasons)[number] | (typeof rejectReasons)[number];

export type RegistrationFlag =
  'no_challenge' | 'account_reported' | 'nik_turned_down_before' | 'reported_after_approval';

export interface RegistrationDecision {
  readonly decision: 'approve' | 'reject';
  readonly reason: RegistrationReason;
  readonly note: string | null;
}

export interface DecisionOutcome {
  /** The registration's status now. */
  readonly status: 'approved' | 'rejected' | 'revoked';
  /** What happened: a re-checked registration that stays approved was "kept". */
  readonly outcome: 'approved' | 'rejected' | 'kept' | 'revoked';
}

export interface SubmitMeta {
  /** The client's address, kept only as a keyed hash. */
  readonly client: string;
  readonly lang: Lang;
  /** The solved ALTCHA payload, if any. */
  readonly challenge: string | undefined;
}

export interface SubmittedRegistration extends IssuedTicket {
  readonly status: 'submitted';
}

export interface RegistrationDetail {
  readonly registration: RegistrationRecord;
  /** Opened for the registrar; null once erased. */
  readonly contact: SellerContact | null;
  /** "3201********0001"; null once erased. */
  readonly nikMasked: string | null;
  readonly files: readonly FileRecord[];
  readonly accountReports: readonly AccountReport[];
  /** The signed seller page, once approved. */
  readonly sellerPage: string | null;
}

/** What registrations are given; the seller links' and the retention rule's parts apart. */
export interface RegistrationsDeps extends SellersDeps, RetentionDeps {
  readonly challenges: ChallengeService;
  /** How long a claim keeps other registrars off a registration. */
  readonly claimMs: number;
  /** Nudges the job worker after a commit that enqueued mail. */
  readonly wakeJobs: () => void;
}

const nikAad = (publicId: string) => `registration:${publicId}:nik`;
const contactAad = (publicId: string) => `registration:${publicId}:contact`;

type DocumentFiles = Readonly<Partial<Record<DocumentField, readonly StagedFile[]>>>;

export function reasonText(lang: Lang, reason: string): string {
  const key = `registration.reason.${reason}`;
  return isMessageKey(key) ? t(lang, key) : reason;
}

export class RegistrationsService {
  readonly #d: RegistrationsDeps;
  readonly #sellers: SellersService;

  constructor(deps: RegistrationsDeps) {
    this.#d = deps;
    this.#sellers = new SellersService(deps);
  }

  /** Files a registration with its three documents (already staged); all or nothing. */
  async submit(
    input: RegistrationInput,
    documents: DocumentFiles,
    staged: readonly StagedFile[],
    meta: SubmitMeta,
  ): Promise<SubmittedRegistration> {
    const { database, files, box, clock } = this.#d;
    return files.withStagedFiles(staged, async () => {
      const missing = documentFields.filter((field) => documents[field]?.length !== 1);
      if (missing.length > 0) {
        throw new AppError('validation_failed', {
          errors: missing.map((field) => ({ field, reason: `registration.${field}.required` })),
        });
      }
      const now = clock.now();
      const publicId = randomBytes(12).toString('base64url');
      const nikHash = box.keyedHash(input.nik, 'nik-index');
      const issued = await database.db
        .transaction()
        .execute(async (trx) => {
          const { solved, accountId } = await admitSubmission(
            trx,
            this.#d.challenges,
            meta.challenge,
            input.account,
            now,
          );
          if (await hasActiveRegistration(trx, accountId)) {
            throw new AppError('already_registered');
          }
          const flags: RegistrationFlag[] = [];
          if (!solved) flags.push('no_challenge');
          if ((await verifiedReportCount(trx, accountId)) > 0) flags.push('account_reported');
          if (await nikTurnedDownBefore(trx, nikHash)) flags.push('nik_turned_down_before');
          const id = await insertRegistration(trx, {
            accountId,
            publicId,
            holderName: sealPersonal(box, input.holderName),
            holderNameMasked: maskName(input.holderName),
            businessName: input.businessName,
            businessType: input.businessType,
            businessTypeOther: input.businessTypeOther,
            contactSealed: box.seal(JSON.stringify(input.contact), 'field', contactAad(publicId)),
            emailHash: box.keyedHash(input.contact.email, 'field'),
            nikSealed: box.seal(input.nik, 'nik', nikAad(publicId)),
            nikHash,
            clientHash: box.keyedHash(`client:${meta.client}`, 'field'),
            lang: meta.lang,
            flagReasons: flags,
            at: now,
          });
          await files.recordFiles(trx, { kind: 'registration', id }, staged);
          const ticket = await issueTicket(trx, {
            kind: 'registration',
            subjectId: id,
            lang: meta.lang,
            status: 'submitted',
            at: now,
            contactHash: ticketContactHash(box, input.contact.email),
          });
          await setRegistrationTicket(trx, id, ticket.ticket);
          await enqueueMail(
            trx,
            {
              to: input.contact.email,
              ...renderMail(
                {
                  kind: 'status_changed',
                  ticket: ticket.ticket,
                  request: 'registration',
                  status: 'submitted',
                  note: t(meta.lang, 'registration.mail.received'),
                },
                meta.lang,
                { publicBaseUrl: this.#d.publicBaseUrl },
              ),
            },
            now,
            this.#d.box,
          );
          return ticket;
        })
        .catch((error: unknown) => {
          // Two submissions for one account raced past the check: the index settles it.
          if (isUniqueViolation(error)) throw new AppError('already_registered');
          throw error;
        });
      this.#d.wakeJobs();
      return { ...issued, status: 'submitted' as const };
    });
  }

  queue(filter: RegistrationQueueFilter): Promise<RegistrationQueueItem[]> {
    return findRegistrationQueue(this.#d.database.db, filter);
  }

  counts() {
    return countOpenRegistrations(this.#d.database.db);
  }

  /** The whole registration for a registrar, the contact opened, the NIK masked: an audited view. */
  async detail(id: number, actor: Actor): Promise<RegistrationDetail> {
    const { database, audit, files, box } = this.#d;
    return database.db.transaction().execute(async (trx) => {
      const registration = await findRegistration(trx, id);
      if (!registration) throw new AppError('not_found');
      const { publicId } = registration;
      const contact =
        registration.contactSealed && publicId
          ? (JSON.parse(
              box.openText(registration.contactSealed, 'field', contactAad(publicId)),
            ) as SellerContact)
          : null;
      const nik =
        registration.nikSealed && publicId
          ? box.openText(registration.nikSealed, 'nik', nikAad(publicId))
          : null;
      await audit.record(
        trx,
        reviewStep(
          actor,
          'registration.viewed',
          { type: 'registration', id },
          {
            contactShown: contact !== null,
          },
        ),
      );
      return {
        registration,
        contact,
        nikMasked: nik && maskNik(nik),
        files: await files.filesOf({ kind: 'registration', id }, trx),
        accountReports: await findAccountReports(trx, registration.accountId),
        sellerPage: this.#sellers.links(registration)?.page ?? null,
      };
    });
  }

  /** The full NIK, for a registrar comparing it with the ID card photo; audited. */
  async revealNik(id: number, actor: Actor): Promise<string> {
    const { database, audit, box } = this.#d;
    return database.db.transaction().execute(async (trx) => {
      const registration = await findRegistration(trx, id);
      if (!registration) throw new AppError('not_found');
      if (!registration.nikSealed || !registration.publicId) throw new AppError('not_found');
      const nik = box.openText(registration.nikSealed, 'nik', nikAad(registration.publicId));
      await audit.record(
        trx,
        reviewStep(actor, 'registration.nik_revealed', { type: 'registration', id }),
      );
      return nik;
    });
  }

  /** Takes the registration for this registrar for a while; 409 if another holds it. */
  async claim(id: number, actor: Reviewer): Promise<{ claimedUntil: Date }> {
    const { database, audit } = this.#d;
    const { now, until } = claimWindow(this.#d.clock, this.#d.claimMs);
    return database.db.transaction().execute(async (trx) => {
      const before = await findRegistration(trx, id);
      if (!(await claimRegistration(trx, id, actor.id, now, until))) {
        throw await this.#whyUnavailable(trx, id);
      }
      // The seller sees "in review" when a registrar starts on a new registration.
      if (before?.status === 'submitted' && before.ticket) {
        await recordTicketEvent(trx, before.ticket, 'in_review', now, null);
      }
      await audit.record(
        trx,
        reviewStep(
          actor,
          'registration.claimed',
          { type: 'registration', id },
          {
            until: until.toISOString(),
          },
        ),
      );
      return { claimedUntil: until };
    });
  }

  async release(id: number, actor: Reviewer): Promise<void> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    await database.db.transaction().execute(async (trx) => {
      if (!(await releaseRegistration(trx, id, actor.id, now))) {
        throw await this.#whyUnavailable(trx, id);
      }
      await audit.record(
        trx,
        reviewStep(actor, 'registration.released', { type: 'registration', id }),
      );
    });
  }

  /**
   * Approves or rejects a pending registration; on an approved one flagged
   * for a re-check, "approve" keeps it and "reject" revokes it. The check
   * shows the outcome at once, on every process.
   */
  async decide(
    id: number,
    actor: Reviewer,
    decision: RegistrationDecision,
  ): Promise<DecisionOutcome> {
    const allowed: readonly string[] =
      decision.decision === 'approve' ? approveReasons : rejectReasons;
    if (!allowed.includes(decision.reason)) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'reason', reason: 'registration.decision.reason' }],
      });
    }
    return this.#change(id, actor, decision, (record) => {
      if (pendingStatuses.includes(record.status)) {
        return decision.decision === 'approve' ? 'approved' : 'rejected';
      }
      if (record.status === 'approved' && record.flagged) {
        return decision.decision === 'approve' ? 'kept' : 'revoked';
      }
      throw new AppError('already_decided');
    });
  }

  /** Withdraws an approved registration (the owner asks, or fraud came to light). */
  async revoke(
    id: number,
    actor: Reviewer,
    revocation: { reason: (typeof rejectReasons)[number]; note: string | null },
  ): Promise<{ status: 'revoked' }> {
    if (!(rejectReasons as readonly string[]).includes(revocation.reason)) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'reason', reason: 'registration.decision.reason' }],
      });
    }
    const decision = { decision: 'reject' as const, ...revocation };
    await this.#change(id, actor, decision, (record) => {
      if (record.status !== 'approved') throw new AppError('already_decided');
      return 'revoked';
    });
    return { status: 'revoked' };
  }

  async #change(
    id: number,
    actor: Reviewer,
    decision: RegistrationDecision,
    outcomeOf: (record: RegistrationRecord) => DecisionOutcome['outcome'],
  ): Promise<DecisionOutcome> {
    const { database, audit, clock } = this.#d;
    const now = clock.now();
    const result = await database.db.transaction().execute(async (trx) => {
      const record = await findRegistration(trx, id, {
        forUpdate: database.dialect === 'postgres',
      });
      if (!record) throw new AppError('not_found');
      const outcome = outcomeOf(record);
      if (heldByAnother(record, actor.id, now)) throw new AppError('already_claimed');
      const row = { operatorId: actor.id, reason: decision.reason, note: decision.note, at: now };
      const changed =
        outcome === 'approved' || outcome === 'rejected'
          ? await decideRegistration(trx, id, outcome, row)
          : await recheckRegistration(trx, id, outcome, row);
      if (!changed) throw new AppError('already_decided');
      const keys = await refreshSummaries(trx, database.dialect, [record.accountId], now);
      const event = sellerEvent(outcome);
      if (event) await enqueueAccountEvents(trx, database.dialect, event, [record.accountId], now);
      const status = outcome === 'kept' ? 'approved' : outcome;
      if (outcome !== 'kept') await this.#tellSeller(trx, id, status, decision.reason, now);
      await audit.record(
        trx,
        reviewStep(
          actor,
          `registration.${outcome}`,
          { type: 'registration', id },
          {
            reason: decision.reason,
            account: record.accountKey,
          },
        ),
      );
      return { keys, status, outcome };
    });
    this.#d.checks.changed(result.keys);
    this.#d.wakeJobs();
    return { status: result.status, outcome: result.outcome };
  }

  /** The ticket's history and an e-mail, in the seller's language; approval brings the links. */
  async #tellSeller(
    trx: Executor,
    id: number,
    status: 'approved' | 'rejected' | 'revoked',
    reason: string,
    now: Date,
  ): Promise<void> {
    const ticket = await ticketOf(trx, 'registration', id);
    const record = await findRegistration(trx, id);
    if (!ticket || !record) return;
    const lang = ticket.lang;
    const why = t(lang, 'registration.mail.reason', { reason: reasonText(lang, reason) });
    const links = status === 'approved' ? this.#sellers.links(record) : null;
    await recordTicketEvent(
      trx,
      ticket.ticket,
      status,
      now,
      status === 'approved' ? null : sealPersonal(this.#d.box, why),
    );
    const contact =
      record.contactSealed && record.publicId
        ? (JSON.parse(
            this.#d.box.openText(record.contactSealed, 'field', contactAad(record.publicId)),
          ) as SellerContact)
        : null;
    if (!contact) return;
    await enqueueMail(
      trx,
      {
        to: contact.email,
        ...renderMail(
          {
            kind: 'registration_decided',
            ticket: ticket.ticket,
            decision: status,
            ...(links
              ? { sellerPage: links.page, proofUrl: this.#proofUrl(ticket.ticket) }
              : { reason: reasonText(lang, reason), reasonCode: reason }),
          },
          lang,
          { publicBaseUrl: this.#d.publicBaseUrl },
        ),
      },
      now,
      this.#d.box,
    );
  }

  /** The proof page with the ticket filled in: the seller adds the tracking code. */
  #proofUrl(ticket: string): string {
    const url = new URL(registrationPaths.proof, this.#d.publicBaseUrl);
    url.searchParams.set('tiket', ticket);
    return url.toString();
  }

  async #whyUnavailable(db: Executor, id: number): Promise<AppError> {
    const record = await findRegistration(db, id);
    if (!record) return new AppError('not_found');
    const open =
      pendingStatuses.includes(record.status) || (record.status === 'approved' && record.flagged);
    return new AppError(open ? 'already_claimed' : 'already_decided');
  }
  // -------------------------------------------------------------------------
  // The seller's proof (sellers.service.ts)

  /** What the seller who holds the ticket and its tracking code may print and share. */
  proof(ticket: string, token: string): Promise<SellerProof | undefined> {
    return this.#sellers.proof(ticket, token);
  }

  /** The public key that signs seller links (SPKI PEM). */
  publicKeyPem(): string {
    return this.#sellers.publicKeyPem();
  }

  verifySellerLink(publicId: string, signature: string): Promise<SellerLinkVerdict> {
    return this.#sellers.verifySellerLink(publicId, signature);
  }

  /** The signed seller page (a path) of the account's verified seller, or null. */
  sellerPageOf(account: AccountRef): Promise<string | null> {
    return this.#sellers.sellerPageOf(account);
  }

  /**
   * Compares the name a buyer was given with the registered holder's, on a
   * genuine link only; limited per client. Answers one of three words, never the name.
   */
  checkName(
    publicId: string,
    signature: string,
    name: string,
    client: string,
  ): Promise<{ result: NameMatch; holderName: string }> {
    return this.#sellers.checkName(publicId, signature, name, client);
  }

  // -------------------------------------------------------------------------
  // Retention (registrations.retention.service.ts)

  /** Erases what the retention rule says is kept no longer; returns how many registrations. */
  eraseExpiredDocuments(): Promise<number> {
    return eraseExpiredDocuments(this.#d);
  }
}

/**
 * A verified report on an account puts its approved registration back in
 * the registrar's queue (flagged "reported_after_approval"; it keeps showing
 * as verified until the registrar keeps or revokes it) and flags a pending
 * one. Called by ReportsService.decide in the transaction of the
 * verification, with its audit entries.
 */
export async function flagRegistrationsAfterReport(
  trx: Executor,
  event: {
    readonly audit: AuditService;
    readonly actor: Actor;
    readonly accountId: number;
    readonly reportId: number;
    readonly at: Date;
  },
): Promise<void> {
  const flagged = await flagRegistrationsOfAccount(trx, event.accountId, event.at);
  for (const registration of flagged) {
    await event.audit.record(trx, {
      actor: event.actor,
      action: 'registration.flagged',
      subject: { type: 'registration', id: String(registration.id) },
      ip: event.actor.ip,
      details: { reason: registration.reason, report: String(event.reportId) },
    });
  }
}

export type { RegistrationQueueItem, RegistrationRecord } from './registrations.repository.ts';
export {
  isPublicId,
  SellersService,
  type SellerLinks,
  type SellerLinkVerdict,
  type SellerProof,
  type SellersDeps,
  type VerifiedSellerView,
} from './sellers.service.ts';
