// Table types of the check counts (migration 0021, src/statistics/check-counts.ts),
// kept apart from schema.ts, which imports them into DB.
import type { ColumnType } from 'kysely';

type Time = ColumnType<Date | string, Date | string, Date | string>;

/** One UTC day's sketch of distinct clients per account, merged from every process. */
export interface CheckCountDaysTable {
  /** 'YYYY-MM-DD', UTC. */
  day: string;
  counts: Uint8Array;
  pairs: Uint8Array;
  updated_at: Time;
}

/** An hour's most checked accounts, by distinct clients new that day. */
export interface CheckCountHoursTable {
  /** Hours since the epoch. */
  hour: number;
  account_key: string;
  clients: ColumnType<number, number, number>;
}
