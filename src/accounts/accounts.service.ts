// What other features do to accounts, inside their own transactions: find or
// create the accounts a submission names, and refresh the public summaries
// the check reads after a change to their reports, registrations or
// normalizations (in the same transaction, so the check never sees one
// without the other), and tell the other processes' check caches. The SQL stays in accounts.repository.ts; this module is
// the surface the other features use.
export {
  announceChanges,
  changedAccounts,
  ensureAccounts,
  pendingNormalizationStatuses,
  refreshSummaries,
  type ChangedAccount,
} from './accounts.repository.ts';
export { maskName, statusOf, type AccountStatus, type CheckResult } from './check.ts';
export { keyHash } from './range.ts';
