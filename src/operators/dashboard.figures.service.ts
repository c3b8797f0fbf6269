// The operators' own figures: how the backlog of each queue ages, how long a
// decision takes, and (for admins) how many decisions each operator took per
// week, so that a growing backlog is seen while it grows. Each queue's figures
// go to the roles that work it; admins see every queue and the operators.
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import {
  backlogByAge,
  decisionsPerOperator,
  decisionTimes,
  type FiguresQueue,
} from './dashboard.figures.repository.ts';
import { allows, type Permission, type Role } from './policy.ts';

export type { FiguresQueue } from './dashboard.figures.repository.ts';

const hour = 60 * 60 * 1000;
const day = 24 * hour;
const week = 7 * day;
/** Western Indonesian Time, the zone every back-office date is meant in: weeks start Monday 00:00 WIB. */
const wibOffset = 7 * hour;

export const figuresQueues = ['reports', 'registrations', 'normalizations'] as const;

/** The permission of the operators who work each queue. */
export const queuePermissions: Record<FiguresQueue, Permission> = {
  reports: 'reports.review',
  registrations: 'registrations.review',
  normalizations: 'normalizations.mediate',
};

/** The permission that opens every queue's figures and the operators' (admins). */
export const oversight: Permission = 'operators.manage';

/** The age bands of the backlog: under 1 day, 1–3, 3–7, 7–14, over 14 days. */
export const ageBands = ['under1Day', 'days1To3', 'days3To7', 'days7To14', 'over14Days'] as const;
export type AgeBand = (typeof ageBands)[number];
/** Where each band but the last ends, in days of age. */
const bandEndsDays = [1, 3, 7, 14] as const;

/** Decision times are taken over this many days. */
export const decisionWindowDays = 30;
/** Decisions per operator are shown for this many ISO weeks, the current one last. */
export const weeksShown = 8;

export interface Backlog {
  readonly total: number;
  readonly bands: Readonly<Record<AgeBand, number>>;
  /** When the oldest open item came in, and how old it is (ms); null when nothing waits. */
  readonly oldestAt: Date | null;
  readonly oldestAgeMs: number | null;
}

export interface DecisionTime {
  /** Decisions taken in the window. */
  readonly decisions: number;
  /** The median time from filing to decision (ms); null without decisions. */
  readonly medianMs: number | null;
}

export interface QueueFigures {
  readonly queue: FiguresQueue;
  readonly backlog: Backlog;
  readonly decisionTime: DecisionTime;
}

/** An ISO week (Monday to Sunday, WIB). */
export interface IsoWeek {
  /** "2026-W10" */
  readonly id: string;
  readonly year: number;
  readonly number: number;
  readonly start: Date;
  readonly end: Date;
}

export interface DeciderRow {
  readonly operatorId: number;
  readonly email: string | null;
  readonly queue: FiguresQueue;
  /** Decisions in each of the weeks shown, oldest first. */
  readonly counts: readonly number[];
  readonly total: number;
}

export interface DecisionsPerOperator {
  readonly weeks: readonly IsoWeek[];
  readonly rows: readonly DeciderRow[];
}

export interface OperatorFigures {
  readonly at: Date;
  readonly decisionWindowDays: number;
  /** The queues the operator works, or all of them for an admin; in the queues' order. */
  readonly queues: readonly QueueFigures[];
  /** Admins only. */
  readonly operators: DecisionsPerOperator | null;
}

/** The queues whose figures these roles see. */
export function visibleQueues(roles: readonly Role[]): FiguresQueue[] {
  return figuresQueues.filter(
    (q) => allows(roles, oversight) || allows(roles, queuePermissions[q]),
  );
}

/** The ISO week the moment falls in, counted in WIB. */
export function isoWeekOf(at: Date): IsoWeek {
  const local = at.getTime() + wibOffset;
  const midnight = Math.floor(local / day) * day;
  const weekday = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0
  const monday = midnight - weekday * day;
  // The week belongs to the year of its Thursday.
  const thursday = new Date(monday + 3 * day);
  const year = thursday.getUTCFullYear();
  const number = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / week) + 1;
  const start = new Date(monday - wibOffset);
  return {
    id: `${year}-W${String(number).padStart(2, '0')}`,
    year,
    number,
    start,
    end: new Date(start.getTime() + week),
  };
}

/** The last `count` ISO weeks up to the one of `now`, oldest first. */
export function lastIsoWeeks(now: Date, count: number = weeksShown): IsoWeek[] {
  const current = isoWeekOf(now);
  return Array.from({ length: count }, (_, i) =>
    isoWeekOf(new Date(current.start.getTime() - (count - 1 - i) * week)),
  );
}

export async function loadOperatorFigures(
  database: Database,
  clock: Clock,
  roles: readonly Role[],
): Promise<OperatorFigures> {
  const at = clock.now();
  const now = at.getTime();
  const db = database.db;
  const bounds = bandEndsDays.map((days) => new Date(now - days * day));
  const since = new Date(now - decisionWindowDays * day);
  const queues = await Promise.all(
    visibleQueues(roles).map(async (queue): Promise<QueueFigures> => {
      const [backlog, times] = await Promise.all([
        backlogByAge(db, queue, bounds),
        decisionTimes(db, database.dialect, queue, since),
      ]);
      const bands = Object.fromEntries(
        ageBands.map((band, i) => [band, backlog.bands[i] ?? 0]),
      ) as Record<AgeBand, number>;
      return {
        queue,
        backlog: {
          total: backlog.total,
          bands,
          oldestAt: backlog.oldestAt,
          oldestAgeMs: backlog.oldestAt ? Math.max(0, now - backlog.oldestAt.getTime()) : null,
        },
        decisionTime: times,
      };
    }),
  );
  let operators: DecisionsPerOperator | null = null;
  if (allows(roles, oversight)) {
    const weeks = lastIsoWeeks(at);
    const starts = weeks.map((w) => w.start);
    const end = weeks[weeks.length - 1]!.end;
    const perQueue = await Promise.all(
      figuresQueues.map(async (queue) =>
        (await decisionsPerOperator(db, queue, starts, end)).map((r): DeciderRow => ({
          operatorId: r.operatorId,
          email: r.email,
          queue,
          counts: r.weeks,
          total: r.weeks.reduce((a, n) => a + n, 0),
        })),
      ),
    );
    const rows = perQueue
      .flat()
      .sort(
        (a, b) =>
          (a.email ?? '').localeCompare(b.email ?? '') ||
          a.operatorId - b.operatorId ||
          figuresQueues.indexOf(a.queue) - figuresQueues.indexOf(b.queue),
      );
    operators = { weeks, rows };
  }
  return { at, decisionWindowDays, queues, operators };
}
