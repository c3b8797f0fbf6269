// What the reviewer's two pages (the queue, a report) show alike: a report's
// status, category and flags in words, its account, and how claims and ages
// are worded.
import type { AccountRef } from '../shared/account-number.ts';
import { resultPath } from '../accounts/accounts.http.ts';
import { categoryName, isCategoryCode } from '../shared/categories.ts';
import { providers, type Provider } from '../shared/providers.ts';
import type { ReportStatus } from '../db/schema.ts';
import { formatAccountNumber, providerLongName } from '../http/format.ts';
import type { PageContext } from '../http/layout.tsx';
import type { QueueWords } from '../backoffice/claims.tsx';
import { Badge, type Tone } from '../backoffice/queue.tsx';
import type { Lang } from '../shared/i18n.ts';
import { t, type MessageKey } from '../shared/messages.ts';

export const words: QueueWords = {
  you: 'admin.review.claim.you',
  none: 'admin.review.claim.none',
  until: 'admin.review.claim.until',
  today: 'admin.review.age.today',
  days: 'admin.review.age',
};

export function statusName(lang: Lang, status: ReportStatus): string {
  return t(lang, `admin.review.status.${status}`);
}

const statusTones: Record<ReportStatus, Tone> = {
  submitted: 'warn',
  in_review: 'warn',
  verified: 'ok',
  rejected: 'off',
  normalized: 'off',
};

export function StatusBadge({ ctx, status }: { ctx: PageContext; status: ReportStatus }) {
  return <Badge tone={statusTones[status]}>{statusName(ctx.lang, status)}</Badge>;
}

export function categoryText(lang: Lang, code: string): string {
  return isCategoryCode(code) ? categoryName(code, lang) : code;
}

const flagKeys: Record<string, MessageKey> = {
  burst_client: 'admin.review.flag.burst_client',
  burst_email: 'admin.review.flag.burst_email',
  no_challenge: 'admin.review.flag.no_challenge',
};

export function flagText(lang: Lang, reason: string): string {
  const key = flagKeys[reason];
  return key ? t(lang, key) : reason;
}

interface AccountView {
  readonly provider: string;
  readonly number: string;
  /** The public result page; null for a provider this installation no longer lists. */
  readonly path: string | null;
}

export function accountView(providerCode: string, number: string): AccountView {
  const provider: Provider | undefined = providers.byCode(providerCode);
  if (!provider) return { provider: providerCode, number, path: null };
  const ref: AccountRef = {
    provider,
    number,
    key: `${provider.code}:${number}`,
    unusualLength: false,
  };
  return {
    provider: providerLongName(ref),
    number: formatAccountNumber(ref),
    path: resultPath(ref),
  };
}
