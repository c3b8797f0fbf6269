// The columns a reviewer works a row through, alike on reports and seller
// registrations: the flag and its reasons, a claim that keeps other
// reviewers off the row for a while, and the decision. The claim's rule, the
// columns each step writes and the readers of these columns are written once
// here for both tables; each repository adds its own states.
import type { ExpressionBuilder, UpdateResult } from 'kysely';
import { optionalNumber, parseStringList } from './row-values.ts';
import { toDate, toOptionalDate, type DB } from './schema.ts';

/** The tables with the review columns. */
export type ReviewedTable = 'reports' | 'seller_registrations';

/** What a queue shows of a row's review: its flag, its age and who holds it. */
export interface QueueState {
  readonly flagged: boolean;
  readonly flagReasons: readonly string[];
  readonly createdAt: Date;
  readonly claimedBy: number | null;
  readonly claimedUntil: Date | null;
}

/** The same, with the decision taken on it. */
export interface ReviewState extends QueueState {
  readonly decidedBy: number | null;
  readonly decidedAt: Date | null;
  readonly decisionReason: string | null;
  readonly decisionNote: string | null;
}

interface QueueColumns {
  readonly flagged: boolean | number;
  readonly flag_reasons: string | null;
  readonly created_at: Date | string;
  readonly claimed_by: number | null;
  readonly claimed_until: Date | string | null;
}

interface ReviewColumns extends QueueColumns {
  readonly decided_by: number | null;
  readonly decided_at: Date | string | null;
  readonly decision_reason: string | null;
  readonly decision_note: string | null;
}

export function queueStateOf(r: QueueColumns): QueueState {
  return {
    flagged: Boolean(r.flagged),
    flagReasons: parseStringList(r.flag_reasons),
    createdAt: toDate(r.created_at),
    claimedBy: optionalNumber(r.claimed_by),
    claimedUntil: toOptionalDate(r.claimed_until),
  };
}

export function reviewStateOf(r: ReviewColumns): ReviewState {
  return {
    ...queueStateOf(r),
    decidedBy: optionalNumber(r.decided_by),
    decidedAt: toOptionalDate(r.decided_at),
    decisionReason: r.decision_reason,
    decisionNote: r.decision_note,
  };
}

/** The flag columns of a new row: flagged when there is a reason. */
export function flagColumns(reasons: readonly string[]) {
  return {
    flagged: reasons.length > 0,
    flag_reasons: reasons.length ? JSON.stringify(reasons) : null,
  };
}

/**
 * Rows this operator may claim now: nobody's, theirs already, or held past
 * the claim's time. Part of one conditional UPDATE, so two reviewers racing
 * for a row cannot both win, on either database.
 */
export function claimableBy(operatorId: number, now: Date) {
  return (eb: ExpressionBuilder<DB, ReviewedTable>) =>
    eb.or([
      eb('claimed_by', 'is', null),
      eb('claimed_by', '=', operatorId),
      eb('claimed_until', '<', now),
    ]);
}

/** The columns of a claim: this operator's until `until`. */
export function claimColumns(operatorId: number, until: Date) {
  return { claimed_by: operatorId, claimed_until: until };
}

/** The columns of a row nobody holds. */
export const unclaimed = { claimed_by: null, claimed_until: null };

export interface DecisionRow {
  readonly operatorId: number;
  readonly reason: string;
  readonly note: string | null;
  readonly at: Date;
}

/** The columns of a decision; it ends the claim. */
export function decisionColumns(decision: DecisionRow) {
  return {
    decided_by: decision.operatorId,
    decided_at: decision.at,
    decision_reason: decision.reason,
    decision_note: decision.note,
    ...unclaimed,
    updated_at: decision.at,
  };
}

/** Whether a conditional UPDATE of one row by its id found it still in the state it asked for. */
export function changedOne(result: UpdateResult): boolean {
  return Number(result.numUpdatedRows) === 1;
}
