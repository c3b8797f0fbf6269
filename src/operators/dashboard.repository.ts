// Queue counts for the back-office dashboard, and how many recent changes to
// operator accounts it warns about.
import type { Executor } from '../db/database.ts';

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

/** Successful audit entries of these actions since `since`. */
export async function countAuditActionsSince(
  db: Executor,
  actions: readonly string[],
  since: Date,
): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', 'in', actions)
    .where('outcome', '=', 'success')
    .where('at', '>=', since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
