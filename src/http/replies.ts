// The answers every route sends the same way: a JSON body already
// serialized, a problem body in the request's language, and the hook that
// counts a request against a rate limit.
import type {
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onSendAsyncHookHandler,
} from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../shared/errors.ts';
import { rateLimitHeaders, type RateLimiter } from '../shared/rate-limiter.ts';
import { buildProblem, problemContentType } from './problems.ts';

/** Sends an already serialized JSON body (the route's schema documents its shape). */
export function sendJson(reply: FastifyReply, json: string | Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(json);
}

export interface ProblemOptions {
  readonly errors?: readonly FieldError[];
  readonly params?: Record<string, string | number>;
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  options: ProblemOptions = {},
): FastifyReply {
  const problem = buildProblem(request.lang, code, {
    ...options,
    requestId: request.id,
    params: { requestId: request.id, ...options.params },
  });
  return reply.code(problem.status).type(problemContentType).send(JSON.stringify(problem));
}

/** Refuses with rate_limited when the client's allowance is used up, counting nothing. */
export async function requireAllowance(
  limiter: RateLimiter | undefined,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const verdict = await limiter?.peek(request.ip);
  if (!verdict) return;
  void reply.headers(rateLimitHeaders(verdict));
  if (!verdict.allowed) {
    throw new AppError('rate_limited', { params: { seconds: verdict.resetSeconds } });
  }
}

/**
 * The hooks of a submission route: before the body is read, a refusal only
 * when the allowance is used up; once answered, a count only of what was
 * accepted (a status below 400). Many people share one address behind a
 * carrier's NAT: a typo the server refused must not cost any of them a try.
 */
export function submissionLimit(limiter: RateLimiter | undefined): {
  onRequest: onRequestAsyncHookHandler[];
  onSend: onSendAsyncHookHandler[];
} {
  if (!limiter) return { onRequest: [], onSend: [] };
  return {
    onRequest: [(request, reply) => requireAllowance(limiter, request, reply)],
    onSend: [countAccepted(limiter)],
  };
}

/** An onSend hook counting an accepted answer (a status below 400) against the limiter. */
export function countAccepted(limiter: RateLimiter): onSendAsyncHookHandler {
  return async (request, reply, payload) => {
    if (reply.statusCode >= 400) return payload;
    // Accepted already: a count that a race took over the limit refuses the next one, not this.
    const verdict = await limiter.hit(request.ip);
    void reply.headers(rateLimitHeaders({ ...verdict, allowed: true }));
    return payload;
  };
}

/** A route hook counting each request against the limiter, per client address. */
export function rateLimitHook(limiter: RateLimiter): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const verdict = await limiter.hit(request.ip);
    void reply.headers(rateLimitHeaders(verdict));
    if (!verdict.allowed) {
      throw new AppError('rate_limited', { params: { seconds: verdict.resetSeconds } });
    }
  };
}

/** The onRequest hooks of a limited route: none when the limit is off. */
export function limitedBy(limiter: RateLimiter | undefined): onRequestAsyncHookHandler[] {
  return limiter ? [rateLimitHook(limiter)] : [];
}
