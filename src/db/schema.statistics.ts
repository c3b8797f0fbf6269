// Table types of the precomputed statistics (migration 0020, src/statistics),
// kept apart from schema.ts, which imports them into DB.
import type { ColumnType, Generated } from 'kysely';

type Time = ColumnType<Date | string, Date | string, Date | string>;

/** One precomputed monthly figure: a measure, by a dimension or ''. */
export interface StatisticsMonthlyTable {
  /** 'YYYY-MM', UTC. */
  month: string;
  measure: string;
  /** A category code, a provider kind, or '' when the measure has none. */
  dimension: string;
  count: number;
  amount_count: Generated<number>;
  amount_total: Generated<number>;
  /** The month's median reported loss; null below 5 amounts. */
  amount_median: ColumnType<number | null, number | null | undefined, number | null>;
}

/** The one row saying when the monthly figures were rebuilt, and the totals. */
export interface StatisticsStateTable {
  id: number;
  rebuilt_at: Time;
  watermark: Time;
  listed_accounts: number;
  verified_sellers: number;
}
