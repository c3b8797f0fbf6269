// Bulk import of verified reports from outside sources (police, banks,
// marketplaces). Two streaming passes over the file: the first checks every
// row and keeps none, so a file with a bad row loads nothing unless asked to
// skip bad rows; the second loads in batches, each its own short transaction,
// so a server writing to the same database is never held up for long and
// sees each batch as soon as it commits.
import type { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import {
  announceChanges,
  createAccountsForReports,
  refreshSummaries,
  type AccountsForReports,
} from '../accounts/accounts.service.ts';
import {
  readImportRows,
  type ImportRow,
  type ReadPosition,
  type RowProblem,
} from './import.csv.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { sealOptionalPersonal } from '../shared/personal-data.ts';
import { insertImportedReports, type ImportAttribution } from './reports.repository.ts';
import { enqueueAccountEvents } from '../watches/watches.service.ts';

export type ImportPhase = 'validating' | 'loading';

export interface ImportProgress {
  readonly phase: ImportPhase;
  /** Data rows read so far in this phase. */
  readonly rows: number;
  /** Bytes of the file read so far in this phase. */
  readonly bytes: number;
  /** Reports inserted so far (loading only). */
  readonly loaded: number;
}

export interface ImportOptions {
  readonly clock: Clock;
  /** Seals the holder names: they are personal values, like a reporter's. */
  readonly box: SecretBox;
  /** Load the valid rows of a file that has bad ones (they are reported all the same). */
  readonly skipInvalid?: boolean;
  /** Rows per transaction. */
  readonly batchSize?: number;
  /** Each bad row, as soon as it is found. */
  readonly onProblem?: (problem: RowProblem) => void;
  /** Called after every batch of rows. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * The keys of the accounts each batch changed, once it is committed: a
   * server importing in its own process tells its check at once (its change
   * feed hears other processes' commits, not its own connection's).
   */
  readonly onChanged?: (keys: readonly string[]) => void;
  /**
   * A partner's import: its reports are from the partner, and its source ids
   * are the partner's own (prefixed with its id, so two partners never collide).
   */
  readonly attribution?: ImportAttribution;
}

export interface ImportSummary {
  /** Data rows in the file. */
  readonly read: number;
  /** Reports inserted. */
  readonly loaded: number;
  /** Valid rows whose source_id was already stored, or came earlier in the file. */
  readonly alreadyPresent: number;
  readonly invalid: number;
  /** True when nothing was loaded because the file has bad rows. */
  readonly refused: boolean;
  readonly durationMs: number;
}

/** Opens the file afresh for each pass. */
export type OpenInput = () => Readable;

/**
 * Rows per transaction. Account keys arrive in random order, so every batch
 * rewrites most leaf pages of the key index whatever its size: measured on a
 * million rows, 20,000-row batches (about half a second each) loaded SQLite
 * 30% faster than 5,000-row ones, while still letting a server's own writes
 * in between batches well within its busy timeout.
 */
const defaultBatchSize = 20_000;
/** How often, in rows, the checking pass reports progress. */
const validationProgressEvery = 10_000;

interface PassCounts {
  read: number;
  invalid: number;
  loaded: number;
}

async function validatePass(
  open: OpenInput,
  now: Date,
  options: ImportOptions,
): Promise<PassCounts> {
  const counts: PassCounts = { read: 0, invalid: 0, loaded: 0 };
  const position: ReadPosition = { bytes: 0 };
  for await (const parsed of readImportRows(open(), now, position)) {
    counts.read++;
    if (!parsed.ok) {
      counts.invalid++;
      options.onProblem?.(parsed.problem);
    }
    if (counts.read % validationProgressEvery === 0) {
      options.onProgress?.({
        phase: 'validating',
        rows: counts.read,
        bytes: position.bytes,
        loaded: 0,
      });
    }
  }
  options.onProgress?.({
    phase: 'validating',
    rows: counts.read,
    bytes: position.bytes,
    loaded: 0,
  });
  return counts;
}

/**
 * The accounts whose summary must be recomputed after a batch: those that
 * existed before it and gained reports, and those created for it that got
 * fewer reports stored than their starting summary counts.
 */
export function accountsToRefresh(
  insertedAccountIds: readonly number[],
  created: AccountsForReports['created'],
): number[] {
  const stored = new Map<number, number>();
  for (const id of insertedAccountIds) stored.set(id, (stored.get(id) ?? 0) + 1);
  const stale = [...stored.keys()].filter((id) => !created.has(id));
  for (const [id, { reports }] of created) if (stored.get(id) !== reports) stale.push(id);
  return stale;
}

/**
 * One transaction: the accounts, their reports (rows whose source_id is
 * stored already are skipped), and the summaries of the accounts that
 * changed, told to other processes. Returns how many reports were inserted.
 */
export async function loadBatch(
  database: Database,
  rows: readonly ImportRow[],
  now: Date,
  box: SecretBox,
  attribution?: ImportAttribution,
): Promise<{ loaded: number; keys: string[] }> {
  const { dialect } = database;
  return database.db.transaction().execute(async (trx) => {
    const { ids, created } = await createAccountsForReports(trx, dialect, rows, now);
    const reports = rows.map((r) => ({
      accountId: ids.get(r.account.key)!,
      sourceId: attribution ? `${attribution.partnerId}:${r.sourceId}` : r.sourceId,
      category: r.category,
      reportedAt: r.reportedAt,
      holderName: sealOptionalPersonal(box, r.holderName),
    }));
    const accountIds = await insertImportedReports(trx, dialect, reports, now, attribution);
    const stale = accountsToRefresh(accountIds, created);
    const refreshed = new Set(await refreshSummaries(trx, dialect, stale, now));
    const fresh = [...created.values()].map((c) => c.key).filter((key) => !refreshed.has(key));
    await announceChanges(trx, dialect, fresh, now);
    await enqueueAccountEvents(trx, dialect, 'account.reported', accountIds, now);
    return { loaded: accountIds.length, keys: [...refreshed, ...fresh] };
  });
}

/**
 * Loads batches one after the other, reading the next batch while the
 * database writes the previous one: on PostgreSQL the two run on different
 * cores. One batch in flight at most, so memory stays at two batches.
 */
async function loadPass(
  database: Database,
  open: OpenInput,
  now: Date,
  options: ImportOptions,
): Promise<PassCounts> {
  const batchSize = options.batchSize ?? defaultBatchSize;
  const counts: PassCounts = { read: 0, invalid: 0, loaded: 0 };
  const position: ReadPosition = { bytes: 0 };
  let inFlight: Promise<void> = Promise.resolve();
  let failure: { error: unknown } | undefined;
  let batch: ImportRow[] = [];
  const flush = async () => {
    await inFlight;
    if (failure) throw failure.error;
    const rows = batch;
    const progress = { phase: 'loading' as const, rows: counts.read, bytes: position.bytes };
    batch = [];
    // Settled here, so a failed batch waits for the next flush without an unhandled rejection.
    inFlight = loadBatch(database, rows, now, options.box, options.attribution).then(
      ({ loaded, keys }) => {
        counts.loaded += loaded;
        options.onChanged?.(keys);
        options.onProgress?.({ ...progress, loaded: counts.loaded });
      },
      (error: unknown) => {
        failure = { error };
      },
    );
  };
  for await (const parsed of readImportRows(open(), now, position)) {
    counts.read++;
    if (parsed.ok) batch.push(parsed.row);
    else counts.invalid++;
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  await inFlight;
  if (failure) throw failure.error;
  return counts;
}

/** Checks the whole file, then loads it (or, with skipInvalid, its valid rows). */
export async function importReports(
  database: Database,
  open: OpenInput,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const now = options.clock.now();
  const checked = await validatePass(open, now, options);
  const durationMs = () => Math.round(performance.now() - started);
  if (checked.invalid > 0 && !options.skipInvalid) {
    return { ...checked, loaded: 0, alreadyPresent: 0, refused: true, durationMs: durationMs() };
  }
  const loaded = await loadPass(database, open, now, options);
  return {
    read: loaded.read,
    loaded: loaded.loaded,
    alreadyPresent: loaded.read - loaded.invalid - loaded.loaded,
    invalid: loaded.invalid,
    refused: loaded.invalid > 0 && loaded.invalid === loaded.read,
    durationMs: durationMs(),
  };
}
