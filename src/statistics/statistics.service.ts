// The public statistics: monthly aggregates rebuilt from the records (by a
// recurring job and once after start), and the figures read back from them
// only, with every cell below the threshold suppressed. Figures come from
// verified and decided records only: a report counts as verified in the month
// it was verified, as rejected in the month it was rejected; requests filed
// count in the month they were filed, decisions in the month they were made.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { categoryCodes, type CategoryCode } from '../shared/categories.ts';
import { providers } from '../shared/providers.ts';
import { addMonths, monthBounds, monthOf, monthsBetween } from './months.ts';
import { maxMonths } from './period.ts';
import * as repo from './statistics.repository.ts';
import type { AggregateRow, Measure } from './statistics.repository.ts';

/** A cell that would count fewer than this many records is answered as null. */
export const suppressionThreshold = 5;
/** A rebuild looks this far before its last run for changes committed late. */
const lateCommitMarginMs = 5 * 60_000;

export interface MonthFigures {
  readonly month: string;
  readonly reports: {
    readonly submitted: number | null;
    readonly verified: number | null;
    readonly rejected: number | null;
  };
  readonly verifiedByCategory: Readonly<Record<CategoryCode, number | null>>;
  readonly verifiedByProviderKind: {
    readonly bank: number | null;
    readonly ewallet: number | null;
  };
  readonly normalizations: {
    readonly submitted: number | null;
    readonly granted: number | null;
    readonly denied: number | null;
  };
  readonly registrations: { readonly submitted: number | null; readonly approved: number | null };
  readonly reportedLossIdr: { readonly total: number | null; readonly median: number | null };
}

export interface Statistics {
  /** When the aggregates were last rebuilt (ISO 8601). */
  readonly generatedAt: string;
  readonly months: readonly MonthFigures[];
  readonly totals: {
    readonly listedAccounts: number | null;
    readonly verifiedSellers: number | null;
  };
}

/** One month and category, as the open data files give them. */
export interface CategoryRecord {
  readonly month: string;
  readonly category: CategoryCode;
  readonly verifiedReports: number | null;
  readonly reportedLossIdr: number | null;
}

export interface StatisticsAnswer {
  readonly body: Statistics;
  /** Strong ETag of the JSON body: the same until the next rebuild changes a figure. */
  readonly etag: string;
  readonly json: string;
  /** The per-category records of the same months, for the open data files. */
  readonly byCategory: readonly CategoryRecord[];
}

export interface RebuildOutcome {
  readonly full: boolean;
  readonly months: number;
  readonly ms: number;
}

/** A count shown only from the threshold on. */
export function suppress(count: number): number | null {
  return count >= suppressionThreshold ? count : null;
}

export class StatisticsService {
  readonly #database: Database;
  readonly #clock: Clock;
  /** Answers by period, valid while the rebuild time they were read at is the latest. */
  readonly #answers = new LRUCache<string, { rebuiltAt: number; answer: StatisticsAnswer }>({
    max: 256,
  });
  #running: Promise<RebuildOutcome> | undefined;

  constructor(deps: { database: Database; clock: Clock }) {
    this.#database = deps.database;
    this.#clock = deps.clock;
  }

  /**
   * Rebuilds the months changed since the last rebuild (all of them the first
   * time, or when `full`), then the totals. One at a time per process; two
   * processes rebuilding together write the same rows.
   */
  rebuild(options: { full?: boolean } = {}): Promise<RebuildOutcome> {
    const previous = this.#running ?? Promise.resolve(undefined);
    const next = previous.catch(() => undefined).then(() => this.#rebuild(options.full ?? false));
    this.#running = next;
    return next;
  }

  async #rebuild(forceFull: boolean): Promise<RebuildOutcome> {
    const started = performance.now();
    const db = this.#database.db;
    const now = this.#clock.now();
    const last = monthOf(now);
    const state = forceFull ? null : await repo.readState(db);
    if (state && !(await repo.changedSince(db, state.watermark))) {
      // Nothing counted changed: the figures stand, and the next look starts here.
      await repo.writeState(db, {
        ...state,
        rebuiltAt: now,
        watermark: new Date(now.getTime() - lateCommitMarginMs),
      });
      return { full: false, months: 0, ms: performance.now() - started };
    }
    let first: string;
    if (state) {
      const changed = await repo.earliestChangedSince(db, state.watermark);
      const since = changed && changed < state.watermark ? changed : state.watermark;
      first = monthOf(since);
    } else {
      const earliest = await repo.earliestRecord(db);
      first = earliest ? monthOf(earliest) : last;
    }
    if (first > last) first = last;
    const months = monthsBetween(first, last);
    for (const month of months) {
      const rows = await this.#computeMonth(month);
      await db.transaction().execute((trx) => repo.replaceMonth(trx, month, rows));
    }
    if (!state) await repo.deleteMonthsOutside(db, first, last);
    const totals = await repo.countTotals(db);
    await repo.writeState(db, {
      rebuiltAt: now,
      watermark: new Date(now.getTime() - lateCommitMarginMs),
      ...totals,
    });
    return { full: !state, months: months.length, ms: performance.now() - started };
  }

  async #computeMonth(month: string): Promise<AggregateRow[]> {
    const db = this.#database.db;
    const bounds = monthBounds(month);
    const rows: AggregateRow[] = [];
    const add = (
      measure: Measure,
      count: number,
      dimension = '',
      amounts?: Partial<AggregateRow>,
    ) => {
      if (count === 0) return;
      rows.push({
        month,
        measure,
        dimension,
        count,
        amountCount: amounts?.amountCount ?? 0,
        amountTotal: amounts?.amountTotal ?? 0,
        amountMedian: amounts?.amountMedian ?? null,
      });
    };
    const [submitted, rejected, byCategory, byProvider] = await Promise.all([
      repo.countSubmittedReports(db, bounds),
      repo.countRejectedReports(db, bounds),
      repo.countVerifiedByCategory(db, bounds),
      repo.countVerifiedByProvider(db, bounds),
    ]);
    add('reports_submitted', submitted);
    add('reports_rejected', rejected);
    let verified = 0;
    let amountCount = 0;
    let amountTotal = 0;
    for (const c of byCategory) {
      verified += c.count;
      amountCount += c.amountCount;
      amountTotal += c.amountTotal;
      add('verified_by_category', c.count, c.category, c);
    }
    // The median is needed only where it will be shown.
    const amountMedian =
      amountCount >= suppressionThreshold
        ? await repo.medianVerifiedAmount(db, bounds, amountCount)
        : null;
    add('reports_verified', verified, '', { amountCount, amountTotal, amountMedian });
    const kinds = new Map<string, number>();
    for (const { provider, count } of byProvider) {
      const kind =
        providers.byCode(provider)?.kind ?? (/^\d{3}$/.test(provider) ? 'bank' : 'ewallet');
      kinds.set(kind, (kinds.get(kind) ?? 0) + count);
    }
    for (const [kind, count] of kinds) add('verified_by_provider_kind', count, kind);

    const [normFiled, normDecided, regFiled, regDecided] = await Promise.all([
      repo.countFiled(db, 'normalization_requests', bounds),
      repo.countDecided(db, 'normalization_requests', bounds),
      repo.countFiled(db, 'seller_registrations', bounds),
      repo.countDecided(db, 'seller_registrations', bounds),
    ]);
    add('normalizations_submitted', normFiled);
    add('normalizations_granted', normDecided.get('granted') ?? 0);
    add('normalizations_denied', normDecided.get('denied') ?? 0);
    add('registrations_submitted', regFiled);
    // A revoked seller was approved first, in the month of that decision.
    add(
      'registrations_approved',
      (regDecided.get('approved') ?? 0) + (regDecided.get('revoked') ?? 0),
    );
    return rows;
  }

  /** When the aggregates were last rebuilt; null before the first rebuild. */
  async rebuiltAt(): Promise<Date | null> {
    return (await repo.readState(this.#database.db))?.rebuiltAt ?? null;
  }

  /** The last 12 months, this one included. */
  defaultPeriod(): { from: string; to: string } {
    const to = monthOf(this.#clock.now());
    return { from: addMonths(to, -11), to };
  }

  /** Every month with figures up to this one, at most the last `maxMonths`: the open data files' default. */
  async dataPeriod(): Promise<{ from: string; to: string }> {
    const to = monthOf(this.#clock.now());
    const first = (await repo.firstStoredMonth(this.#database.db)) ?? to;
    const earliest = addMonths(to, -(maxMonths - 1));
    return { from: first < earliest ? earliest : first > to ? to : first, to };
  }

  /** The figures of the months from `from` to `to` (valid, from ≤ to), suppressed. */
  async read(from: string, to: string): Promise<StatisticsAnswer> {
    const db = this.#database.db;
    const state = await repo.readState(db);
    const rebuiltAt = state?.rebuiltAt.getTime() ?? 0;
    const key = `${from}/${to}`;
    const cached = this.#answers.get(key);
    if (cached && cached.rebuiltAt === rebuiltAt) return cached.answer;
    const rows = state ? await repo.readMonths(db, from, to) : [];
    const answer = toAnswer(from, to, rows, state, this.#clock.now());
    this.#answers.set(key, { rebuiltAt, answer });
    return answer;
  }
}

type Cells = Map<string, AggregateRow>;

function cellKey(month: string, measure: Measure, dimension = ''): string {
  return `${month}|${measure}|${dimension}`;
}

function toAnswer(
  from: string,
  to: string,
  rows: readonly AggregateRow[],
  state: repo.StoredState | null,
  now: Date,
): StatisticsAnswer {
  const cells: Cells = new Map(rows.map((r) => [cellKey(r.month, r.measure, r.dimension), r]));
  const count = (month: string, measure: Measure, dimension = '') =>
    suppress(cells.get(cellKey(month, measure, dimension))?.count ?? 0);
  const months = monthsBetween(from, to);
  const byCategory: CategoryRecord[] = [];
  const figures = months.map((month): MonthFigures => {
    const verified = cells.get(cellKey(month, 'reports_verified'));
    const shownLoss = (verified?.amountCount ?? 0) >= suppressionThreshold;
    const categories = {} as Record<CategoryCode, number | null>;
    for (const code of categoryCodes) {
      const cell = cells.get(cellKey(month, 'verified_by_category', code));
      categories[code] = suppress(cell?.count ?? 0);
      byCategory.push({
        month,
        category: code,
        verifiedReports: categories[code],
        reportedLossIdr:
          (cell?.amountCount ?? 0) >= suppressionThreshold ? (cell?.amountTotal ?? 0) : null,
      });
    }
    return {
      month,
      reports: {
        submitted: count(month, 'reports_submitted'),
        verified: count(month, 'reports_verified'),
        rejected: count(month, 'reports_rejected'),
      },
      verifiedByCategory: categories,
      verifiedByProviderKind: {
        bank: count(month, 'verified_by_provider_kind', 'bank'),
        ewallet: count(month, 'verified_by_provider_kind', 'ewallet'),
      },
      normalizations: {
        submitted: count(month, 'normalizations_submitted'),
        granted: count(month, 'normalizations_granted'),
        denied: count(month, 'normalizations_denied'),
      },
      registrations: {
        submitted: count(month, 'registrations_submitted'),
        approved: count(month, 'registrations_approved'),
      },
      reportedLossIdr: {
        total: shownLoss ? (verified?.amountTotal ?? 0) : null,
        median: shownLoss ? (verified?.amountMedian ?? null) : null,
      },
    };
  });
  const body: Statistics = {
    generatedAt: (state?.rebuiltAt ?? now).toISOString(),
    months: figures,
    totals: {
      listedAccounts: suppress(state?.listedAccounts ?? 0),
      verifiedSellers: suppress(state?.verifiedSellers ?? 0),
    },
  };
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
  return { body, json, etag, byCategory };
}
