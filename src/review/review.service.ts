// What reports and seller registrations share on their way through review:
// a public submission spends its proof of work and finds its account in the
// transaction that records it; a reviewer's claim keeps the others off it for
// a while, and a decision waits while another reviewer holds it; every
// reviewer's step is audited the same way.
import { ensureAccounts } from '../accounts/accounts.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ChallengeService } from '../challenge/challenge.service.ts';
import type { Executor } from '../db/database.ts';
import type { Actor } from '../operators/operators.service.ts';
import type { AccountRef } from '../shared/account-number.ts';
import type { Clock } from '../shared/clock.ts';

/** A reviewer: always a signed-in operator, so always with an id. */
export type Reviewer = Actor & { readonly id: number };

type AuditEvent = Parameters<AuditService['record']>[1];

/**
 * Spends the solved challenge (when challenges are on; an unsolved one is
 * flagged, not refused) and finds or creates the account, in the
 * submission's transaction.
 */
export async function admitSubmission(
  trx: Executor,
  challenges: ChallengeService,
  challenge: string | undefined,
  account: AccountRef,
  now: Date,
): Promise<{ solved: boolean; accountId: number }> {
  const solved = challenges.enabled ? await challenges.spend(trx, challenge) : true;
  const ids = await ensureAccounts(trx, [account], now);
  return { solved, accountId: ids.get(account.key)! };
}

/** A claim taken now runs until `claimMs` later. */
export function claimWindow(clock: Clock, claimMs: number): { now: Date; until: Date } {
  const now = clock.now();
  return { now, until: new Date(now.getTime() + claimMs) };
}

/** Whether another reviewer holds the row right now: a decision waits for them. */
export function heldByAnother(
  row: { readonly claimedBy: number | null; readonly claimedUntil: Date | null },
  reviewerId: number,
  now: Date,
): boolean {
  return (
    row.claimedBy !== null &&
    row.claimedBy !== reviewerId &&
    row.claimedUntil !== null &&
    row.claimedUntil > now
  );
}

/** The audit entry of a reviewer's step on a report or a seller registration. */
export function reviewStep(
  actor: Actor,
  action: AuditEvent['action'],
  subject: { readonly type: 'report' | 'registration'; readonly id: number },
  details?: AuditEvent['details'],
): AuditEvent {
  return {
    actor,
    action,
    subject: { type: subject.type, id: String(subject.id) },
    ip: actor.ip,
    ...(details ? { details } : {}),
  };
}

export type { QueueState, ReviewState } from '../db/review-columns.ts';
