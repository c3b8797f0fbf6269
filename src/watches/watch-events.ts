// What a change of a watched account sends: the event types, the delivery's
// id (the webhook-id header, the same on every attempt) and its body, fixed
// when the change happens. Nothing about reporters.
import { randomBytes } from 'node:crypto';
import { statusOf, type ChangedAccount } from '../accounts/accounts.service.ts';

export const accountEventTypes = [
  'account.reported',
  'account.disputed',
  'account.dispute_closed',
  'account.normalized',
  'account.seller_verified',
  'account.seller_revoked',
] as const;

export type AccountEventType = (typeof accountEventTypes)[number];

/** What a registration's outcome tells watchers: approved or revoked; nothing otherwise. */
export function sellerEvent(outcome: string): AccountEventType | undefined {
  if (outcome === 'approved') return 'account.seller_verified';
  if (outcome === 'revoked') return 'account.seller_revoked';
  return undefined;
}

const idAlphabet = 'abcdefghijklmnopqrstuvwxyz234567';

const idLength = 26;
/** Random bytes drawn for many ids at once (an event may leave tens of thousands). */
let pool = Buffer.alloc(0);
let used = 0;

/** 'msg_' + 26 random base32 characters (130 bits). */
export function newMessageId(): string {
  if (used + idLength > pool.length) {
    pool = randomBytes(idLength * 1024);
    used = 0;
  }
  let id = 'msg_';
  // 256 is a multiple of 32: every character is equally likely.
  for (let i = used; i < used + idLength; i++) id += idAlphabet[pool[i]! & 31];
  used += idLength;
  return id;
}

/** The body sent for `type` about the account as it stands after the change. */
export function eventBody(type: AccountEventType, account: ChangedAccount, at: Date): string {
  const time = at.toISOString();
  return JSON.stringify({
    type,
    timestamp: time,
    data: {
      account: {
        provider: account.provider,
        number: account.number,
        key: account.key,
        // As the partner watches it and GET /api/v1/partner/watches lists it.
        keyHash: account.keyHash.toLowerCase(),
      },
      status: statusOf(account.summary),
      reports: { verified: account.summary.verifiedCount },
      changedAt: time,
    },
  });
}

/** Whether an endpoint's stored list of events takes `type` (an unreadable list takes nothing). */
export function takesEvent(events: string, type: string): boolean {
  try {
    const parsed: unknown = JSON.parse(events);
    return Array.isArray(parsed) && parsed.includes(type);
  } catch {
    return false;
  }
}
