// What waits for the operators: each queue's submitted, in-review and overdue
// items. Deadlines are the processing times the service promises.
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { queueCounts, type QueueCounts } from './dashboard.repository.ts';

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
