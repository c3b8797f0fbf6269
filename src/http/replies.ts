// The answers every route sends the same way: a JSON body already
// serialized, a problem body in the request's language, and the hook that
// counts a request against a rate limit.
import type { FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../shared/errors.ts';
import { rateLimitHeaders, type RateLimiter } from '../shared/rate-limiter.ts';
import { buildProblem, problemContentType } from './problems.ts';

/** Sends an already serialized JSON body (the route's schema documents its shape). */
export function sendJson(reply: FastifyReply, json: string): FastifyReply {
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
