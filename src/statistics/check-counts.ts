// "Checked by N clients in the last 30 days", and the operators' early
// warning of accounts checked by many clients, counted without writing to
// the database per check.
//
// Each process counts in memory (check-sketch.ts: a count-min sketch of
// distinct (account, client) pairs per UTC day; heavy-hitters.ts: the
// accounts most checked since the last flush) and every `flushMs` adds what
// it counted to the database: the day's counters added, its pair filter
// OR-ed, the hour's top accounts added. It then takes the day back as every
// process has counted it. A restart loses at most one interval's counts;
// close() flushes them.
//
// Memory is fixed whatever is checked: the sketch's typed arrays (2.5 MiB by
// default) and at most `topAccounts` keys (1000 by default, about 100 KiB). Bulk checks and the range lookup
// are not counted: the first is partners' batch work, not interest, and the
// second never learns which account was meant.
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import {
  addCounters,
  CheckSketch,
  defaultShape,
  emptyCounters,
  emptyFilter,
  orFilter,
  type CheckBucket,
  type SketchShape,
} from './check-sketch.ts';
import { HeavyHitters } from './heavy-hitters.ts';
import {
  addToDay,
  addToHour,
  bytesOf,
  DayRowRace,
  pendingReportsOf,
  pruneCounts,
  readCountsOfDays,
  readDay,
  risingAccounts,
  type StoredDay,
} from './check-counts.repository.ts';

export interface CheckCountsOptions {
  readonly database: Database;
  readonly clock: Clock;
  /** CHECK_COUNTING: off, nothing is counted and every bucket reads "none". */
  readonly enabled: boolean;
  /** CHECK_COUNTS_FLUSH_MS: how often this process adds its counts to the database. */
  readonly flushMs?: number;
  readonly shape?: SketchShape;
  /** Accounts kept per hour for the early warning. */
  readonly topAccounts?: number;
  readonly onError?: (error: unknown) => void;
}

/** The 30 days the public figure covers: today and the 29 before. */
export const windowDays = 30;
const hourMs = 3_600_000;
const dayMs = 24 * hourMs;
const defaultTopAccounts = 1000;

export const dayOf = (at: Date | number): string => new Date(at).toISOString().slice(0, 10);
export const hourOf = (at: Date | number): number => Math.floor(new Date(at).getTime() / hourMs);

function previousDays(day: string, count: number): string[] {
  const start = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => dayOf(start - (i + 1) * dayMs));
}

export interface PendingReport {
  readonly id: number;
  readonly status: 'submitted' | 'in_review';
  readonly createdAt: Date;
}

export interface EarlyWarning {
  readonly key: string;
  readonly provider: string;
  readonly number: string;
  /** Distinct clients of the last 24 hours (an upper bound). */
  readonly recent: number;
  /** Of the 24 hours before. */
  readonly previous: number;
  readonly pendingReports: readonly PendingReport[];
}

export interface EarlyWarnings {
  readonly minClients: number;
  readonly accounts: readonly EarlyWarning[];
}

export class CheckCounts {
  readonly enabled: boolean;
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #flushMs: number;
  readonly #sketch: CheckSketch;
  readonly #topAccounts: number;
  readonly #onError: (error: unknown) => void;
  /** The accounts counted since the last flush. */
  #hitters: HeavyHitters;
  /** The day the sketch holds; null until the database was first read. */
  #day: string | null = null;
  /** The hour the current interval's accounts are counted in. */
  #hour = 0;
  #timer: NodeJS.Timeout | undefined;
  #firstFlush: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: CheckCountsOptions) {
    this.enabled = options.enabled;
    this.#database = options.database;
    this.#clock = options.clock;
    this.#flushMs = options.flushMs ?? 60_000;
    this.#sketch = new CheckSketch(options.shape ?? defaultShape);
    this.#topAccounts = options.topAccounts ?? defaultTopAccounts;
    this.#hitters = new HeavyHitters(this.#topAccounts);
    this.#onError = options.onError ?? (() => undefined);
  }

  /** One check of `key` by `client` (an address, or a key's identity). */
  count(key: string, client: string): void {
    if (!this.enabled) return;
    if (this.#timer === undefined && !this.#closed) this.#startFlushing();
    // An account's first client in 30 days does not reach the heavy hitters
    // (the early warning counts one client fewer): most accounts are checked
    // by one client, and they would churn its entries on every check. Nor
    // does one whose 30 days cannot outnumber the least counted entry.
    const clients = this.#sketch.count(key, client);
    if (clients >= 2) this.#hitters.add(key, 1, clients);
  }

  /** How many distinct clients checked `key` in the last 30 days, as a bucket. */
  bucket(key: string): CheckBucket {
    return this.enabled ? this.#sketch.bucket(key) : 'none';
  }

  /** Bytes of the counting state: fixed at construction, whatever is counted. */
  get byteSize(): number {
    return this.#sketch.byteSize;
  }

  /** Accounts held for the early warning (at most `topAccounts`). */
  get heldAccounts(): number {
    return this.#hitters.size;
  }

  #startFlushing(): void {
    // The first flush reads the day back at once: a restarted process answers from the database's counts.
    this.#timer = setInterval(() => this.#flushQuietly(), this.#flushMs);
    this.#timer.unref();
    this.#firstFlush = setTimeout(() => this.#flushQuietly(), 0);
    this.#firstFlush.unref();
  }

  #flushQuietly(): void {
    this.flush().catch((error: unknown) => this.#onError(error));
  }

  /** Adds what this process counted to the database and reads back every process's counts. */
  flush(): Promise<void> {
    const next = this.#flushing.catch(() => undefined).then(() => this.#flushOnce());
    this.#flushing = next;
    return next;
  }

  /** No more timed flushes; what was counted is flushed. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#firstFlush);
    this.#timer = undefined;
    // A timed flush under way finishes before the database may close.
    await this.#flushing.catch(() => undefined);
    if (this.enabled && (this.#sketch.dirty || this.#hitters.size > 0)) await this.flush();
  }

  async #flushOnce(): Promise<void> {
    const now = this.#clock.now();
    const day = dayOf(now);
    if (this.#day === null) {
      await this.#load(day);
      this.#day = day;
      this.#hour = hourOf(now);
    }
    await this.#flushHour(this.#hour);
    await this.#flushDay(this.#day);
    if (day !== this.#day) await this.#turnDay(day);
    this.#hour = hourOf(now);
  }

  async #windowBefore(day: string): Promise<Uint16Array> {
    const window = emptyCounters(this.#sketch.shape);
    const stored = await readCountsOfDays(this.#database.db, previousDays(day, windowDays - 1));
    for (const counts of stored) {
      const decoded = this.#decodeCounts(counts);
      if (decoded) addCounters(window, decoded);
    }
    return window;
  }

  async #load(day: string): Promise<void> {
    const window = await this.#windowBefore(day);
    const stored = await readDay(this.#database.db, day);
    this.#sketch.startDay(window, ...this.#decodeDay(stored), true);
  }

  async #turnDay(day: string): Promise<void> {
    const window = await this.#windowBefore(day);
    const stored = await readDay(this.#database.db, day);
    this.#sketch.startDay(window, ...this.#decodeDay(stored));
    this.#day = day;
    const keepFrom = Date.parse(`${day}T00:00:00Z`) - (windowDays - 1) * dayMs;
    await pruneCounts(this.#database.db, dayOf(keepFrom), hourOf(this.#clock.now()) - 72);
  }

  async #flushDay(day: string): Promise<void> {
    const sketch = this.#sketch;
    if (!sketch.dirty) {
      // Nothing of ours to add: the other processes' counts are read back all the same.
      sketch.adoptDay(...this.#decodeDay(await readDay(this.#database.db, day)));
      return;
    }
    const { delta, taken } = sketch.takeDelta();
    const merge = (stored: StoredDay | undefined): StoredDay => {
      const [counts, pairs] = this.#decodeDay(stored);
      addCounters(counts, delta);
      orFilter(pairs, sketch.pairs);
      return { counts: bytesOf(counts), pairs: bytesOf(pairs) };
    };
    try {
      let merged: StoredDay;
      try {
        merged = await addToDay(this.#database, day, merge, this.#clock.now());
      } catch (error) {
        if (!(error instanceof DayRowRace)) throw error;
        merged = await addToDay(this.#database, day, merge, this.#clock.now());
      }
      sketch.adoptDay(...this.#decodeDay(merged), taken);
    } catch (error) {
      // Not added: the next flush takes it again (the counters still hold it).
      sketch.dirty = true;
      throw error;
    }
  }

  async #flushHour(hour: number): Promise<void> {
    if (this.#hitters.size === 0) return;
    const entries = this.#hitters.entries();
    this.#hitters = new HeavyHitters(this.#topAccounts);
    try {
      await addToHour(this.#database.db, hour, entries, this.#topAccounts);
    } catch (error) {
      // Not added: counted again into the next interval's, which the next flush adds.
      for (const entry of entries) this.#hitters.add(entry.key, entry.count);
      throw error;
    }
  }

  #decodeCounts(bytes: Uint8Array): Uint16Array | undefined {
    const shape = this.#sketch.shape;
    // A row of another shape (the sketch was resized) is not added: its cells mean other accounts.
    if (bytes.byteLength !== shape.counters * 2) return undefined;
    return new Uint16Array(new Uint8Array(bytes).buffer);
  }

  #decodeDay(stored: StoredDay | undefined): [Uint16Array, Uint32Array] {
    const shape = this.#sketch.shape;
    const counts = stored && this.#decodeCounts(stored.counts);
    const pairs =
      stored && stored.pairs.byteLength === shape.filterBits / 8
        ? new Uint32Array(new Uint8Array(stored.pairs).buffer)
        : undefined;
    if (!counts || !pairs) return [emptyCounters(shape), emptyFilter(shape)];
    return [counts, pairs];
  }

  /**
   * Accounts without a verified report that at least `minClients` distinct
   * clients checked in the last 24 hours, the fastest rising first (against
   * the 24 hours before), each with its reports waiting for review.
   */
  async earlyWarnings(minClients: number, limit = 50): Promise<EarlyWarnings> {
    const end = hourOf(this.#clock.now()) + 1;
    const rows = await risingAccounts(
      this.#database.db,
      { start: end - 48, middle: end - 24, end },
      minClients,
      limit,
    );
    const pending = await pendingReportsOf(
      this.#database.db,
      rows.map((row) => row.key),
    );
    return {
      minClients,
      accounts: rows.map((row) => {
        const split = row.key.indexOf(':');
        return {
          key: row.key,
          provider: row.key.slice(0, split),
          number: row.key.slice(split + 1),
          recent: row.recent,
          previous: row.previous,
          pendingReports: pending
            .filter((report) => report.accountKey === row.key)
            .map(({ id, status, createdAt }) => ({ id, status, createdAt })),
        };
      }),
    };
  }
}
