// The four-eyes rule, one for every decision that takes two people (a
// normalization's proposal and its confirmation; an operator change and its
// approval). Two operator accounts count as two people unless they are the
// same account, or one of them created, enabled, reset (password or TOTP) or
// changed the roles of the other within FOUR_EYES_INDEPENDENCE_DAYS: an admin
// who made an account knows its one-time password, and could sign in as it.
// What the rule cannot tell apart is in the README ("Four eyes").
import type { Executor } from '../db/database.ts';
import type { AuditDetails } from '../audit/audit.service.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import { findLinkBetween, type OperatorLink } from './operator-changes.repository.ts';

const day = 24 * 60 * 60 * 1000;

export type FourEyesVerdict =
  | { readonly independent: true }
  | { readonly independent: false; readonly reason: 'same_operator' }
  | {
      readonly independent: false;
      readonly reason: 'linked';
      readonly link: OperatorLink;
      /** When the link stops counting. */
      readonly until: Date;
    };

export type Refused = Exclude<FourEyesVerdict, { independent: true }>;

export class FourEyesRule {
  /** FOUR_EYES_INDEPENDENCE_DAYS; 0 leaves only "not the same account". */
  readonly days: number;
  readonly #clock: Clock;

  constructor(days: number, clock: Clock) {
    this.days = days;
    this.#clock = clock;
  }

  /** Whether `second` counts as a person other than `first`. */
  async verdict(db: Executor, first: number, second: number): Promise<FourEyesVerdict> {
    if (first === second) return { independent: false, reason: 'same_operator' };
    if (this.days === 0) return { independent: true };
    const after = new Date(this.#clock.now().getTime() - this.days * day);
    const link = await findLinkBetween(db, first, second, after);
    if (!link) return { independent: true };
    return {
      independent: false,
      reason: 'linked',
      link,
      until: new Date(link.at.getTime() + this.days * day),
    };
  }

  /**
   * The `four_eyes` error for a refusal; `variant` names the message of the
   * same-account case where the decision is not a normalization's.
   */
  refusal(verdict: Refused, sameAccount?: 'requester'): AppError {
    const variant = verdict.reason === 'linked' ? 'linked' : sameAccount;
    return new AppError('four_eyes', {
      params: { days: this.days, ...(variant ? { variant } : {}) },
    });
  }

  /** What the audit entry of a refusal says about why. */
  details(verdict: Refused): AuditDetails {
    if (verdict.reason === 'same_operator') return { rule: 'four_eyes', why: 'same_operator' };
    const { link } = verdict;
    return {
      rule: 'four_eyes',
      why: 'linked',
      linkAction: link.action,
      linkOperator: link.operatorId,
      linkBy: link.byOperatorId,
      linkAt: link.at.toISOString(),
      independentFrom: verdict.until.toISOString(),
    };
  }
}
