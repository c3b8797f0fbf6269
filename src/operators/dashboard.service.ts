// What waits for the operators: each queue's submitted, in-review and overdue
// items. Deadlines are the processing times the service promises.
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import { queueCounts, type QueueCounts } from './dashboard.repository.ts';

const day = 24 * 60 * 60 * 1000;

export const queueDeadlinesDays = { reports: 7, registrations: 7, normalizations: 14 } as const;

export interface Dashboard {
  readonly reports: QueueCounts;
  readonly registrations: QueueCounts;
  readonly normalizations: QueueCounts;
}

export async function loadDashboard(database: Database, clock: Clock): Promise<Dashboard> {
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
      before(queueDeadlinesDays.normalizations),
    ),
  ]);
  return { reports, registrations, normalizations };
}
