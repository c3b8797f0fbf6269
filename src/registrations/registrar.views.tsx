// What the registrar's two pages (the queue, a registration) show alike: a
// registration's status and flags in words, its account, whether a registrar
// works on it, and how claims and ages are worded.
import { toAccountRef } from '../shared/account-number.ts';
import type { RegistrationStatus } from '../db/schema.ts';
import { formatAccountNumber, providerLongName } from '../http/format.ts';
import type { PageContext } from '../http/layout.tsx';
import type { QueueWords } from '../backoffice/claims.tsx';
import { Badge, type Tone } from '../backoffice/queue.tsx';
import type { Lang } from '../shared/i18n.ts';
import { isMessageKey, t } from '../shared/messages.ts';

export const words: QueueWords = {
  you: 'registrar.claim.you',
  none: 'registrar.claim.none',
  until: 'registrar.claim.until',
  today: 'registrar.age.today',
  days: 'registrar.age',
};

export function statusName(lang: Lang, status: RegistrationStatus): string {
  return t(lang, `registrar.status.${status}`);
}

const statusTones: Record<RegistrationStatus, Tone> = {
  submitted: 'warn',
  in_review: 'warn',
  approved: 'ok',
  rejected: 'off',
  revoked: 'off',
};

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: RegistrationStatus }) {
  return <Badge tone={statusTones[status]}>{statusName(ctx.lang, status)}</Badge>;
}

export function flagText(lang: Lang, reason: string): string {
  const key = `registrar.flag.${reason}`;
  return isMessageKey(key) ? t(lang, key) : reason;
}

export function accountText(
  provider: string,
  number: string,
): { provider: string; number: string } {
  try {
    const ref = toAccountRef(provider, number);
    return { provider: providerLongName(ref), number: formatAccountNumber(ref) };
  } catch {
    return { provider, number };
  }
}

/** Whether a registrar works on it: pending, or approved and flagged for a re-check. */
export function workable(record: { status: RegistrationStatus; flagged: boolean }): boolean {
  return (
    record.status === 'submitted' ||
    record.status === 'in_review' ||
    (record.status === 'approved' && record.flagged)
  );
}
