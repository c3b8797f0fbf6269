// The accounts feature's links, for other features' pages.
import type { AccountRef } from '../shared/account-number.ts';

/** The canonical result page of an account. */
export function resultPath(account: AccountRef): string {
  return `/rekening/${encodeURIComponent(account.provider.code)}/${encodeURIComponent(account.number)}`;
}

/**
 * The account's verified seller page, reached from its result page: the
 * registrations feature answers it with the seller's signed page (at its name
 * check), or back to the result when the account has no verified seller.
 */
export function sellerOfAccountPath(account: AccountRef): string {
  return `${resultPath(account)}/penjual`;
}
