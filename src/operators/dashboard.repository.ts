// Queue counts for the back-office dashboard.
import type { Executor } from '../accounts/accounts.repository.ts';

export interface QueueCounts {
  readonly submitted: number;
  readonly inReview: number;
  readonly overdue: number;
}

type QueueTable = 'reports' | 'seller_registrations' | 'normalization_requests';

/** Open items by status, and those still open past the deadline (created before `overdueBefore`). */
export async function queueCounts(
  db: Executor,
  table: QueueTable,
  open: { submitted: readonly string[]; inReview: readonly string[] },
  overdueBefore: Date,
): Promise<QueueCounts> {
  const statuses = [...open.submitted, ...open.inReview];
  const rows = await db
    .selectFrom(table)
    .select((eb) => [
      'status',
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(eb.case().when('created_at', '<', overdueBefore).then(1).else(0).end())
        .as('late'),
    ])
    .where('status', 'in', statuses as never[])
    .groupBy('status')
    .execute();
  let submitted = 0;
  let inReview = 0;
  let overdue = 0;
  for (const row of rows) {
    const n = Number(row.n);
    if (open.submitted.includes(row.status)) submitted += n;
    else inReview += n;
    overdue += Number(row.late ?? 0);
  }
  return { submitted, inReview, overdue };
}
