// Every rate limit of cekrek, made in one place from the configuration: what
// each counts, per what, and over which window. A limit configured as 0 is
// off (undefined). With REDIS_URL the counts are shared between processes.
import type { Config } from '../config.ts';
import {
  createAllowanceLimiter,
  createRateLimiter,
  type AllowanceLimiter,
  type RateLimiter,
  type SharedCountStore,
} from '../shared/rate-limiter.ts';

export interface Limiters {
  /** Checks per client, the API and the result pages together, per minute. */
  readonly check: RateLimiter | undefined;
  /** Accepted reports per client, per hour (refused ones count nothing). */
  readonly report: RateLimiter | undefined;
  /** Accepted seller registrations per client, per hour. */
  readonly registration: RateLimiter | undefined;
  /** Accepted normalization requests (and answers to their questions) per client, per hour. */
  readonly normalization: RateLimiter | undefined;
  /** Form submissions sent without a solved challenge, per client, per hour. */
  readonly noJsSubmission: RateLimiter | undefined;
  /** Sign-in attempts per client, per quarter hour. */
  readonly signIn: RateLimiter | undefined;
  /** Reports per reporter e-mail address, per day. */
  readonly reporter: RateLimiter | undefined;
  /** Requests for a new tracking code per client, per hour. */
  readonly trackingCode: RateLimiter | undefined;
  /** Seller-name checks per seller page and client, per hour. */
  readonly nameCheck: RateLimiter | undefined;
  /** Requests per partner key, per minute, each key at its partner's `perMinute`. */
  readonly keyMinute: AllowanceLimiter;
  /** Accounts checked per partner key, per UTC day, each key at its partner's `perDay`. */
  readonly keyDay: AllowanceLimiter;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

export function createLimiters(config: Config, store: SharedCountStore | undefined): Limiters {
  const limiter = (name: string, limit: number, windowMs: number) =>
    createRateLimiter({ name, limit, windowMs, store });
  return {
    check: limiter('check', config.checkRateLimit, minute),
    report: limiter('report', config.reportRateLimit, hour),
    registration: limiter('registration', config.registrationRateLimit, hour),
    normalization: limiter('normalization', config.normalizationRateLimit, hour),
    noJsSubmission: limiter('nojs-submission', config.noJsSubmissionRateLimit, hour),
    signIn: limiter('sign-in', config.signInRateLimit, 15 * minute),
    reporter: limiter('reporter', config.reporterRateLimit, 24 * hour),
    trackingCode: limiter('tracking-code', config.trackingCodeRateLimit, hour),
    // Enough for a buyer to try the spellings they were given; too few to guess a name.
    nameCheck: limiter('name-check', config.nameCheckRateLimit, hour),
    keyMinute: createAllowanceLimiter({ name: 'key-minute', windowMs: minute, store }),
    keyDay: createAllowanceLimiter({ name: 'key-day', windowMs: day, aligned: true, store }),
  };
}
