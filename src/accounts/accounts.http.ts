// The accounts feature's links, for other features' pages.
import type { AccountRef } from '../shared/account-number.ts';

/** The canonical result page of an account. */
export function resultPath(account: AccountRef): string {
  return `/rekening/${encodeURIComponent(account.provider.code)}/${encodeURIComponent(account.number)}`;
}
