// What waits for the operators: each queue's submitted, in-review and overdue
// items. Deadlines are the processing times the service promises. For admins,
// the recent changes to operator accounts (created, enabled, reset, roles):
// who did what to whom, the changes a second account of one admin would need.
import type { Database } from '../db/database.ts';
import { findAuditEntries } from '../audit/audit.service.ts';
import {
  isOperatorChangeAction,
  operatorChangeActions,
  type AuditEntry,
  type OperatorChangeAction,
} from '../audit/audit.service.ts';
import type { Clock } from '../shared/clock.ts';
import { countAuditActionsSince, queueCounts, type QueueCounts } from './dashboard.repository.ts';
import { countPendingChanges } from './operator-changes.repository.ts';
import { loadOperatorFigures, type OperatorFigures } from './dashboard.figures.service.ts';
import type { Role } from './policy.ts';
import type { EarlyWarnings } from '../statistics/check-counts.ts';

const day = 24 * 60 * 60 * 1000;

export const queueDeadlinesDays = { reports: 7, registrations: 7, normalizations: 14 } as const;

export type QueueDeadlines = { readonly [Q in keyof typeof queueDeadlinesDays]: number };

export interface Dashboard {
  readonly reports: QueueCounts;
  readonly registrations: QueueCounts;
  readonly normalizations: QueueCounts;
  /** The deadline of each queue in days, as counted here. */
  readonly deadlines: QueueDeadlines;
}

/** `normalizationDays`: NORMALIZATION_DECISION_DAYS, the time promised to a decision. */
export async function loadDashboard(
  database: Database,
  clock: Clock,
  normalizationDays: number = queueDeadlinesDays.normalizations,
): Promise<Dashboard> {
  const deadlines: QueueDeadlines = { ...queueDeadlinesDays, normalizations: normalizationDays };
  const now = clock.now().getTime();
  const before = (days: number) => new Date(now - days * day);
  const db = database.db;
  const [reports, registrations, normalizations] = await Promise.all([
    queueCounts(
      db,
      'reports',
      { submitted: ['submitted'], inReview: ['in_review'] },
      before(queueDeadlinesDays.reports),
    ),
    queueCounts(
      db,
      'seller_registrations',
      { submitted: ['submitted'], inReview: ['in_review'] },
      before(queueDeadlinesDays.registrations),
    ),
    queueCounts(
      db,
      'normalization_requests',
      { submitted: ['submitted'], inReview: ['in_review', 'mediation', 'proposed'] },
      before(deadlines.normalizations),
    ),
  ]);
  return { reports, registrations, normalizations, deadlines };
}

/** One change to an operator account, as the dashboard warns about it. */
export interface OperatorChangeWarning {
  readonly seq: number;
  readonly at: Date;
  readonly action: OperatorChangeAction;
  /** Who made it: an operator's e-mail, or `cli:user` for the command line. */
  readonly by: string;
  readonly byType: AuditEntry['actorType'];
  /** The admin who asked for it, when a second admin approved it. */
  readonly requestedBy: string | null;
  readonly operatorId: number | null;
  readonly operatorEmail: string | null;
}

export interface OperatorChangeWarnings {
  /** The period shown, in days (FOUR_EYES_INDEPENDENCE_DAYS, or 30 when that is 0). */
  readonly days: number;
  readonly since: Date;
  /** Every such change in the period; `recent` shows the newest of them. */
  readonly total: number;
  readonly recent: readonly OperatorChangeWarning[];
  /** Operator changes waiting for a second admin. */
  readonly pendingApprovals: number;
}

/** Changes to show on the dashboard at most; the audit viewer's filter has them all. */
export const warningsShown = 20;

function toWarning(entry: AuditEntry): OperatorChangeWarning | null {
  if (!isOperatorChangeAction(entry.action)) return null;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const id = Number(entry.subjectId);
  return {
    seq: entry.seq,
    at: entry.at,
    action: entry.action,
    by: entry.actorLabel,
    byType: entry.actorType,
    requestedBy: text(entry.details.requestedBy),
    operatorId: entry.subjectType === 'operator' && Number.isSafeInteger(id) ? id : null,
    operatorEmail: text(entry.details.email),
  };
}

export async function loadOperatorChangeWarnings(
  database: Database,
  clock: Clock,
  independenceDays: number,
): Promise<OperatorChangeWarnings> {
  const days = independenceDays > 0 ? independenceDays : 30;
  const since = new Date(clock.now().getTime() - days * day);
  const db = database.db;
  const [entries, total, pendingApprovals] = await Promise.all([
    findAuditEntries(db, { actions: operatorChangeActions, from: since, limit: warningsShown }),
    countAuditActionsSince(db, operatorChangeActions, since),
    countPendingChanges(db),
  ]);
  const recent = entries.map(toWarning).filter((w): w is OperatorChangeWarning => w !== null);
  return { days, since, total, recent, pendingApprovals };
}

/** The admins' dashboard: queue figures, and the operator changes to watch. */
export class DashboardService {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #decisionDays: number;
  readonly #independenceDays: number;

  readonly #earlyWarnings: (() => Promise<EarlyWarnings>) | undefined;

  constructor(
    deps: {
      database: Database;
      clock: Clock;
      /** The accounts checked by many clients (statistics/check-counts.ts). */
      earlyWarnings?: () => Promise<EarlyWarnings>;
    },
    options: { decisionDays: number; independenceDays: number },
  ) {
    this.#earlyWarnings = deps.earlyWarnings;
    this.#database = deps.database;
    this.#clock = deps.clock;
    this.#decisionDays = options.decisionDays;
    this.#independenceDays = options.independenceDays;
  }

  load(): Promise<Dashboard> {
    return loadDashboard(this.#database, this.#clock, this.#decisionDays);
  }

  operatorChangeWarnings(): Promise<OperatorChangeWarnings> {
    return loadOperatorChangeWarnings(this.#database, this.#clock, this.#independenceDays);
  }

  /** The operators' own figures, of the queues these roles work (all of them and the operators' for admins). */
  figures(roles: readonly Role[]): Promise<OperatorFigures> {
    return loadOperatorFigures(this.#database, this.#clock, roles);
  }

  /** Accounts without a verified report that many clients checked lately; null when not counted. */
  async earlyWarnings(): Promise<EarlyWarnings | null> {
    return this.#earlyWarnings ? this.#earlyWarnings() : null;
  }
}

export type { QueueCounts } from './dashboard.repository.ts';
