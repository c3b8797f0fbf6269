// The HTTP side of a database outage: which errors are answered
// `503 unavailable` (with Retry-After), and one log line a minute about it
// instead of a stack trace per request.
import type { FastifyBaseLogger } from 'fastify';
import { isAppError, type AppError } from '../shared/errors.ts';
import {
  describeUnavailable,
  isDatabaseUnavailable,
  unavailableError,
  unavailableRetrySeconds,
} from '../db/unavailable.ts';

/**
 * The error to answer when `error` means the database cannot be used now
 * (or the check refused to answer from stale memory); undefined otherwise.
 */
export function asUnavailable(error: unknown): AppError | undefined {
  if (isAppError(error)) return error.code === 'unavailable' ? error : undefined;
  return isDatabaseUnavailable(error) ? unavailableError(error) : undefined;
}

/** Retry-After of a 503, in seconds. */
export function retryAfterSeconds(error: AppError): number {
  const seconds = error.params.seconds;
  return typeof seconds === 'number' ? seconds : unavailableRetrySeconds;
}

const quietMs = 60_000;

/**
 * Logs the cause of refused requests at most once a minute, with how many
 * were refused since the last line. The check's own refusals (stale memory,
 * no database error behind them) are logged by the check service.
 */
export class OutageLog {
  readonly #logger: () => FastifyBaseLogger;
  #lastAt = Number.NEGATIVE_INFINITY;
  #refused = 0;

  constructor(logger: () => FastifyBaseLogger) {
    this.#logger = logger;
  }

  note(error: AppError): void {
    if (error.cause === undefined) return;
    this.#refused += 1;
    const now = Date.now();
    if (now - this.#lastAt < quietMs) return;
    this.#lastAt = now;
    this.#logger().error(
      { cause: describeUnavailable(error.cause), refused: this.#refused },
      'database unavailable: answering 503',
    );
    this.#refused = 0;
  }
}
