// What filing, mediation and the four-eyes decision share about one request
// for normalization: what they are given, the states in which a request is
// still open, the owner's sealed data, and how a request is locked and taken
// on for a change.
import type { CheckService } from '../accounts/check.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ChallengeService } from '../challenge/challenge.service.ts';
import type { Database, Executor } from '../db/database.ts';
import type { NormalizationStatus } from '../db/schema.ts';
import type { FileStore } from '../files/files.service.ts';
import type { FourEyesRule } from '../operators/operators.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { providers } from '../shared/providers.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Reviewer } from '../review/review.service.ts';
import { recordTicketEvent } from '../tickets/tickets.service.ts';
import type { OwnerContact } from './normalization-input.ts';
import {
  findNormalization,
  updateNormalization,
  type NormalizationRecord,
} from './normalizations.repository.ts';

export const day = 24 * 60 * 60 * 1000;

/** Requests a mediator may still work on; `proposed` waits for the second operator. */
export const workable: readonly NormalizationStatus[] = ['submitted', 'in_review', 'mediation'];
export const pending: readonly NormalizationStatus[] = [...workable, 'proposed'];

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
  /** REPORTER_ANSWER_DAYS: a reporter's time to answer the dispute notice (7 when unset). */
  readonly reporterAnswerDays?: number;
  /** Who counts as a second person to confirm a proposal. */
  readonly fourEyes: FourEyesRule;
  /** Nudges the job worker after a commit that enqueued mail. */
  readonly wakeJobs: () => void;
}

/** The operator working on a request: always signed in, so always with an id. */
export type OperatorActor = Reviewer;

export function nikAad(id: number): string {
  return `normalization:${id}:nik`;
}

function contactAad(id: number): string {
  return `normalization:${id}:contact`;
}

/** The owner's contact, sealed with the request's id. */
export function sealOwnerContact(box: SecretBox, id: number, contact: OwnerContact): string {
  return box.seal(JSON.stringify(contact), 'field', contactAad(id));
}

/** The owner's contact, opened; null when the request holds none. */
export function ownerContactOf(box: SecretBox, request: NormalizationRecord): OwnerContact | null {
  return request.contactSealed
    ? (JSON.parse(
        box.openText(request.contactSealed, 'field', contactAad(request.id)),
      ) as OwnerContact)
    : null;
}

/** The account as people name it in a mail or on the answer page: "BCA 1234567890". */
export function accountLabel(provider: string, number: string): string {
  const known = providers.resolve(provider);
  return `${known?.shortName ?? provider} ${number}`;
}

export function isLangValue(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : 'id';
}

export function fieldError(field: string, reason: string): AppError {
  return new AppError('validation_failed', { errors: [{ field, reason }] });
}

/** The promised decision date; requests filed before it was stored are due decisionDays after filing. */
export function dueAtOf(request: NormalizationRecord, decisionDays: number): Date {
  return request.dueAt ?? new Date(request.createdAt.getTime() + decisionDays * day);
}

/** Locks the request for a change; throws not_found, and already_decided once decided. */
export async function openRequest(
  trx: Executor,
  database: Database,
  id: number,
): Promise<NormalizationRecord> {
  const request = await findNormalization(trx, id, {
    forUpdate: database.dialect === 'postgres',
  });
  if (!request) throw new AppError('not_found');
  if (!pending.includes(request.status)) throw new AppError('already_decided');
  return request;
}

/** The first step of handling moves a new request to in_review, on its ticket too. */
export async function startHandling(
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
