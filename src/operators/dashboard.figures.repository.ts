// The operators' own figures, in SQL: what waits in each queue by age, how
// long decisions took, and who decided how many. Every query is one pass over
// an index range, grouped in the database, on both dialects:
//
// - the backlog reads the open rows through the queue indexes (status first:
//   reports_queue and seller_registrations_queue cover status and created_at;
//   normalization_requests_queue finds the few open requests);
// - decision times and decisions per operator read a time range of the
//   decided_at indexes (migration 0020), never the whole table.
//
// Decisions are taken from the records' own columns, not from the audit log:
// the decider (reports.decided_by, seller_registrations.decided_by, and for a
// normalization the second operator, confirmed_by, who makes the decision)
// is written in the same UPDATE as the decision and its time, once per record,
// and decided_at is indexed. The audit log holds the same facts, but as
// entries to be told apart by action and subject, with no index on the time
// of a subject's decision. Rows decided by nobody (imported or demo records)
// are no operator's decisions and are left out.
import { sql, type RawBuilder } from 'kysely';
import type { DialectName, Executor } from '../db/database.ts';
import { toOptionalDate } from '../db/schema.ts';

export type FiguresQueue = 'reports' | 'registrations' | 'normalizations';

const tables = {
  reports: 'reports',
  registrations: 'seller_registrations',
  normalizations: 'normalization_requests',
} as const;

/** The open states of each queue, as its own code counts them (dashboard.service.ts). */
export const openStatuses = {
  reports: ['submitted', 'in_review'],
  registrations: ['submitted', 'in_review'],
  normalizations: ['submitted', 'in_review', 'mediation', 'proposed'],
} as const satisfies Record<FiguresQueue, readonly string[]>;

/** The column naming the operator whose act decided a record. */
const deciderColumn = {
  reports: 'decided_by',
  registrations: 'decided_by',
  normalizations: 'confirmed_by',
} as const;

const num = (value: unknown): number => Number(value ?? 0);

export interface BacklogRow {
  /** Open items per age band, in the order of the bounds given, then the oldest band. */
  readonly bands: readonly number[];
  readonly total: number;
  readonly oldestAt: Date | null;
}

/**
 * The queue's open items by age: `bounds` are the moments, newest first, an
 * item must have come in at or after to fall in each band; those older than
 * the last bound make the last band (so bands = bounds + 1).
 */
export async function backlogByAge(
  db: Executor,
  queue: FiguresQueue,
  bounds: readonly Date[],
): Promise<BacklogRow> {
  const table = tables[queue];
  const band = (i: number): RawBuilder<number> => {
    const newer = i > 0 ? sql`created_at < ${bounds[i - 1]!}` : sql`1 = 1`;
    const older = i < bounds.length ? sql`created_at >= ${bounds[i]!}` : sql`1 = 1`;
    return sql<number>`sum(case when ${newer} and ${older} then 1 else 0 end)`;
  };
  const row = await db
    .selectFrom(table)
    .select((eb) => [
      eb.fn.countAll().as('total'),
      eb.fn.min('created_at').as('oldest'),
      ...Array.from({ length: bounds.length + 1 }, (_, i) => band(i).as(`band${i}`)),
    ])
    .where('status', 'in', [...openStatuses[queue]] as never[])
    .executeTakeFirst();
  const values = (row ?? {}) as Record<string, unknown>;
  return {
    bands: Array.from({ length: bounds.length + 1 }, (_, i) => num(values[`band${i}`])),
    total: num(values.total),
    oldestAt: toOptionalDate(values.oldest as Date | string | null | undefined),
  };
}

/** Milliseconds from filing to decision, as each dialect computes them. */
function decisionMs(dialect: DialectName): RawBuilder<number> {
  return dialect === 'postgres'
    ? sql<number>`extract(epoch from (decided_at - created_at)) * 1000`
    : sql<number>`(julianday(decided_at) - julianday(created_at)) * 86400000`;
}

export interface DecisionTimeRow {
  readonly decisions: number;
  /** The median time from filing to decision, in ms; null without decisions. */
  readonly medianMs: number | null;
}

/**
 * The decisions operators took on the queue since `since`, and the median time
 * from filing to decision: the middle one, or the mean of the two middle ones.
 * One query: the rows of the time range numbered by duration in the database.
 */
export async function decisionTimes(
  db: Executor,
  dialect: DialectName,
  queue: FiguresQueue,
  since: Date,
): Promise<DecisionTimeRow> {
  const table = tables[queue];
  const decider = deciderColumn[queue];
  const ms = decisionMs(dialect);
  const result = await sql<{ ms: unknown; n: unknown }>`
    select d.ms, d.n from (
      select ${ms} as ms,
             row_number() over (order by ${ms}) as rn,
             count(*) over () as n
      from ${sql.table(table)}
      where decided_at >= ${since} and ${sql.ref(decider)} is not null
    ) d
    where d.rn = (d.n + 1) / 2 or d.rn = (d.n + 2) / 2`.execute(db);
  const rows = result.rows;
  if (rows.length === 0) return { decisions: 0, medianMs: null };
  const middle = rows.map((r) => num(r.ms));
  return {
    decisions: num(rows[0]!.n),
    medianMs: Math.round(middle.reduce((a, v) => a + v, 0) / middle.length),
  };
}

export interface DeciderWeeksRow {
  readonly operatorId: number;
  readonly email: string | null;
  /** Decisions in each week, oldest first. */
  readonly weeks: readonly number[];
}

/**
 * Decisions per operator in each week: `starts` are the weeks' first moments,
 * oldest first, and `end` the end of the last. Grouped by the decider in the
 * database, a week a column.
 */
export async function decisionsPerOperator(
  db: Executor,
  queue: FiguresQueue,
  starts: readonly Date[],
  end: Date,
): Promise<DeciderWeeksRow[]> {
  const table = tables[queue];
  const decider = deciderColumn[queue];
  const week = (i: number) => {
    const until = starts[i + 1] ?? end;
    return sql<number>`sum(case when decided_at >= ${starts[i]!} and decided_at < ${until} then 1 else 0 end)`;
  };
  const columns = starts.map((_, i) => sql`${week(i)} as ${sql.ref(`week${i}`)}`);
  const result = await sql<Record<string, unknown>>`
    select d.*, o.email
    from (
      select ${sql.ref(decider)} as decider, ${sql.join(columns)}
      from ${sql.table(table)}
      where decided_at >= ${starts[0]!} and decided_at < ${end}
        and ${sql.ref(decider)} is not null
      group by ${sql.ref(decider)}
    ) d
    left join operators o on o.id = d.decider
    order by o.email, d.decider`.execute(db);
  return result.rows.map((r) => ({
    operatorId: num(r.decider),
    email: typeof r.email === 'string' ? r.email : null,
    weeks: starts.map((_, i) => num(r[`week${i}`])),
  }));
}
