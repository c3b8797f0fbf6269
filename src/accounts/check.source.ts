// Wires the check service to the database: the prepared lookup and the
// listing of keys, for either dialect.
import type { Database } from '../db/database.ts';
import type { CheckSource } from './check.service.ts';
import {
  countAccounts,
  listedKeysOf,
  preparedSummaryLookup,
  summaryRowToSummary,
  summaryRowsOf,
} from './accounts.repository.ts';

export function checkSourceFor(database: Database): CheckSource {
  const lookup = preparedSummaryLookup(database);
  const listedKeys = listedKeysOf(database);
  return {
    lookup(key) {
      const row = lookup(key);
      if (row instanceof Promise) return row.then((r) => (r ? summaryRowToSummary(r) : undefined));
      return row ? summaryRowToSummary(row) : undefined;
    },
    async lookupMany(keys) {
      const rows = await summaryRowsOf(database.db, keys);
      return new Map(rows.map((row) => [row.key, summaryRowToSummary(row)]));
    },
    listedKeys,
    countListed: () => countAccounts(database.db),
  };
}
