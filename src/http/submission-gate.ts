// The proof of work in front of anonymous submissions (reports, seller
// registrations, normalization requests). On the API it is a gate: without a
// solved challenge a submission is refused with challenge_required, since a
// program can always solve one. Only the public HTML forms take a submission
// without one, because a browser without JavaScript cannot solve it: reports
// and registrations are flagged `no_challenge` for the operator, and such
// submissions count against their own, tighter limit per client
// (NOJS_SUBMISSION_RATE_LIMIT). Whether a given solution is genuine, fresh
// and unspent is checked when the service spends it, in the submission's
// transaction (challenge_failed).
import { requireAllowance } from './replies.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';

/** What the API document says of the challenge, on every submission route. */
export const challengeRule =
  'Without `altcha` (a solved challenge from GET /api/v1/challenge) the answer is ' +
  '`400 challenge_required`; a wrong, expired or already used one is `400 challenge_failed`.';

/** How a submission came: through the API, or from one of the public HTML forms. */
export type SubmittedVia = 'api' | 'form';

/**
 * Whether the request is authenticated as a partner (an API key), whose
 * submissions need no proof of work. No partner keys exist yet: nobody is.
 */
export function isPartnerRequest(_request: FastifyRequest): boolean {
  return false;
}

export interface SubmissionGateOptions {
  /** Whether anonymous submissions must carry a solved challenge (CEKREK_CHALLENGE). */
  readonly challengeRequired: boolean;
  /** Counts form submissions sent without a solved challenge, per client (undefined when off). */
  readonly noJsLimiter: RateLimiter | undefined;
}

/** The gate every anonymous submission passes: the reports, registrations and normalizations. */
export class SubmissionGate {
  readonly #challengeRequired: boolean;
  readonly #noJsLimiter: RateLimiter | undefined;
  /** Requests let through without a solution: counted once their submission is accepted. */
  readonly #unsolved = new WeakSet<FastifyRequest>();

  constructor(options: SubmissionGateOptions) {
    this.#challengeRequired = options.challengeRequired;
    this.#noJsLimiter = options.noJsLimiter;
  }

  /**
   * The gate on the API, before anything of the submission is looked at: an API
   * submission without a solution is refused with challenge_required, whatever
   * else it carries (a partner's key replaces the solution).
   */
  requireChallengeOnApi(
    request: FastifyRequest,
    solution: string | undefined,
    via: SubmittedVia | 'service_desk',
  ): void {
    if (via !== 'api' || solution) return;
    if (this.#challengeRequired && !isPartnerRequest(request)) {
      throw new AppError('challenge_required');
    }
  }

  /**
   * Lets a valid form submission through to its service, given the challenge
   * solution it carried (empty when the form's script never ran): one without a
   * solution is refused once the no-JavaScript allowance is used up. Called
   * after the fields were validated; it counts against the allowance only
   * when the service accepted it (see accepted), so a refusal costs nothing.
   */
  async admit(
    request: FastifyRequest,
    reply: FastifyReply,
    solution: string | undefined,
    via: SubmittedVia,
  ): Promise<void> {
    this.requireChallengeOnApi(request, solution, via);
    if (!this.#challengeRequired || solution || isPartnerRequest(request)) return;
    await requireAllowance(this.#noJsLimiter, request, reply);
    this.#unsolved.add(request);
  }

  /** The submission admitted was accepted: one without a solution now counts. */
  async accepted(request: FastifyRequest): Promise<void> {
    if (!this.#unsolved.has(request)) return;
    this.#unsolved.delete(request);
    await this.#noJsLimiter?.hit(request.ip);
  }
}
