// Bulk import of verified reports from outside sources (police, banks,
// marketplaces). Two streaming passes over the file: the first checks every
// row and keeps none, so a file with a bad row loads nothing unless asked to
// skip bad rows; the second loads in batches, each its own short transaction,
// so a server writing to the same database is never held up for long and
// sees each batch as soon as it commits.
import type { Readable } from 'node:stream';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { announceChanges, keyHash, refreshSummaries } from '../accounts/accounts.service.ts';
import type { AccountRef } from '../shared/account-number.ts';
import {
  readImportRows,
  type ImportRow,
  type ReadPosition,
  type RowProblem,
} from './import.csv.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { sealOptionalPersonal } from '../shared/personal-data.ts';
import type { ImportAttribution } from './reports.repository.ts';
import {
  openImportWriter,
  type BatchWrites,
  type ImportWriter,
  type StagedAccount,
  type StagedReport,
} from './import.repository.ts';
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
const defaultBatchSize = 50_000;
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
  created: BatchWrites['created'],
): number[] {
  const stored = new Map<number, number>();
  for (const id of insertedAccountIds) stored.set(id, (stored.get(id) ?? 0) + 1);
  const stale = [...stored.keys()].filter((id) => !created.has(id));
  for (const [id, { reports }] of created) if (stored.get(id) !== reports) stale.push(id);
  return stale;
}

interface AccountTally {
  readonly account: AccountRef;
  count: number;
  readonly categoryCounts: Record<string, number>;
  first: number;
  last: number;
}

/**
 * What the reports of a batch say of each account they name: the summary a
 * new account starts with, worked out here rather than by the database. For a
 * new account these reports are all it has, so it needs no refresh unless
 * fewer of them get stored than its summary counts (a source id already
 * present); that saves rewriting each fresh row.
 */
function tallyAccounts(rows: readonly ImportRow[]): StagedAccount[] {
  const tallies = new Map<string, AccountTally>();
  for (const row of rows) {
    const at = row.reportedAt.getTime();
    const tally = tallies.get(row.account.key);
    if (tally) {
      tally.count++;
      tally.categoryCounts[row.category] = (tally.categoryCounts[row.category] ?? 0) + 1;
      if (at < tally.first) tally.first = at;
      if (at > tally.last) tally.last = at;
    } else {
      const categoryCounts = Object.create(null) as Record<string, number>;
      categoryCounts[row.category] = 1;
      tallies.set(row.account.key, {
        account: row.account,
        count: 1,
        categoryCounts,
        first: at,
        last: at,
      });
    }
  }
  const staged: StagedAccount[] = [];
  for (const t of tallies.values()) {
    staged.push({
      provider: t.account.provider.code,
      number: t.account.number,
      key: t.account.key,
      keyHash: keyHash(t.account.key),
      count: t.count,
      categoryCounts: JSON.stringify(t.categoryCounts),
      first: new Date(t.first).toISOString(),
      last: new Date(t.last).toISOString(),
    });
  }
  return staged;
}

/**
 * The reports of a batch as stored: source ids prefixed for a partner, names
 * sealed. A source id repeated within the batch keeps its first row, as a
 * later batch finds the earlier one stored.
 */
function stageReports(
  rows: readonly ImportRow[],
  box: SecretBox,
  attribution: ImportAttribution | undefined,
): StagedReport[] {
  const seen = new Set<string>();
  const staged: StagedReport[] = [];
  const prefix = attribution ? `${attribution.partnerId}:` : '';
  for (const row of rows) {
    const sourceId = prefix + row.sourceId;
    if (seen.has(sourceId)) continue;
    seen.add(sourceId);
    staged.push({
      key: row.account.key,
      category: row.category,
      sourceId,
      holderName: sealOptionalPersonal(box, row.holderName),
      reportedAt: row.reportedAt.toISOString(),
    });
  }
  return staged;
}

/** A batch made ready for the database: what it says of each account, and its reports as stored. */
interface StagedBatch {
  readonly accounts: readonly StagedAccount[];
  readonly reports: readonly StagedReport[];
}

function stageBatch(
  rows: readonly ImportRow[],
  box: SecretBox,
  attribution: ImportAttribution | undefined,
): StagedBatch {
  return { accounts: tallyAccounts(rows), reports: stageReports(rows, box, attribution) };
}

/**
 * One transaction: the accounts, their reports (rows whose source_id is
 * stored already are skipped), and the summaries of the accounts that
 * changed, told to other processes. Returns how many reports were inserted.
 */
async function writeStagedBatch(
  database: Database,
  writer: ImportWriter,
  { accounts, reports }: StagedBatch,
  now: Date,
): Promise<{ loaded: number; keys: string[] }> {
  const { dialect } = database;
  return writer.transaction(async (trx) => {
    const { created, inserted } = await writer.writeBatch(trx, accounts, reports);
    const stale = accountsToRefresh(inserted, created);
    const refreshed = new Set(await refreshSummaries(trx, dialect, stale, now));
    const fresh = [...created.values()].map((c) => c.key).filter((key) => !refreshed.has(key));
    await announceChanges(trx, dialect, fresh, now);
    await enqueueAccountEvents(trx, dialect, 'account.reported', inserted, now);
    return { loaded: inserted.length, keys: [...refreshed, ...fresh] };
  });
}

/**
 * Loads batches one after the other, reading the next batch, and hashing
 * its keys and sealing its names, while the database writes the previous
 * one: on PostgreSQL the two run on different cores. One batch in flight at
 * most, so memory stays at two batches.
 */
async function loadPass(
  database: Database,
  open: OpenInput,
  now: Date,
  options: ImportOptions,
): Promise<PassCounts> {
  const writer = await openImportWriter(database, now, options.attribution);
  try {
    return await loadBatches(database, writer, open, now, options);
  } finally {
    await writer.close();
  }
}

async function loadBatches(
  database: Database,
  writer: ImportWriter,
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
    const staged = stageBatch(batch, options.box, options.attribution);
    const progress = { phase: 'loading' as const, rows: counts.read, bytes: position.bytes };
    batch = [];
    await inFlight;
    if (failure) throw failure.error;
    // Settled here, so a failed batch waits for the next flush without an unhandled rejection.
    inFlight = writeStagedBatch(database, writer, staged, now).then(
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
