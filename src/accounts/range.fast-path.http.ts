// The private lookup's fast path: a plain `GET /api/v1/range/{prefix}`
// answered in front of Fastify, straight from node:http, like the check's
// (check.fast-path.http.ts, whose helpers it shares). Fastify's per-request
// work measured at three quarters of this route's time: the answer is a
// kept buffer, the read one indexed statement. Only the plain success is
// answered here, with the route's headers: a bad prefix, a query string,
// percent-encoding, another method, a refused allowance or a failed read go
// on to Fastify, whose route answers them in full (a refused client or a
// failed read is counted once more there, which changes no answer: the
// client is over its allowance either way, and a failure is rare).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import type { TrustProxy } from '../config.ts';
import { rateLimitHeaders, type RateLimiter, type Verdict } from '../shared/rate-limiter.ts';
import {
  clientAddressOf,
  logsRequests,
  requestIdOf,
  type RawHandler,
} from './check.fast-path.http.ts';
import { normalizePrefix, type RenderedRange } from './range.ts';
import { cacheControl, matchesEtag, rangeRoute, textType } from './range.routes.ts';
import type { RangeService } from './range.service.ts';

const pathStart = '/api/v1/range/';
const plainLength = pathStart.length + 5;

export interface FastRangeDeps {
  readonly ranges: Pick<RangeService, 'lookup'>;
  /** The check's limiter, as the route uses it. */
  readonly limiter: RateLimiter | undefined;
  readonly trustProxy: TrustProxy;
  readonly logger: () => FastifyBaseLogger;
}

/** The upper-case prefix of a plain range URL, or null when Fastify should answer. */
function plainPrefix(request: IncomingMessage): string | null {
  const url = request.url;
  if (request.method !== 'GET' || url === undefined || url.length !== plainLength) return null;
  if (!url.startsWith(pathStart)) return null;
  return normalizePrefix(url.slice(pathStart.length));
}

/** Returns a handler that answers plain range lookups itself and hands everything else to `next`. */
export function withFastRange(deps: FastRangeDeps, next: RawHandler): RawHandler {
  const clientAddress = clientAddressOf(deps.trustProxy);
  let logRequests: boolean | undefined;

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    started: bigint,
    headers: Record<string, string>,
    answer: RenderedRange,
  ) {
    headers.etag = answer.etag;
    headers['cache-control'] = cacheControl;
    const notModified = matchesEtag(request.headers['if-none-match'], answer.etag);
    const status = notModified ? 304 : 200;
    if (notModified) {
      response.writeHead(304, headers);
      response.end();
    } else {
      headers['content-type'] = textType;
      headers['content-length'] = String(answer.body.length);
      response.writeHead(200, headers);
      response.end(answer.body);
    }
    if (logRequests) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger().info(
        {
          reqId: headers['x-request-id'],
          method: request.method,
          route: rangeRoute,
          status,
          ms: Math.round(ms * 10) / 10,
        },
        'request',
      );
    }
  }

  function answer(
    request: IncomingMessage,
    response: ServerResponse,
    prefix: string,
    verdict: Verdict | undefined,
  ) {
    if (verdict && !verdict.allowed) {
      next(request, response);
      return;
    }
    const started = logRequests ? process.hrtime.bigint() : 0n;
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'x-request-id': requestIdOf(request),
    };
    if (verdict) Object.assign(headers, rateLimitHeaders(verdict));
    try {
      const found = deps.ranges.lookup(prefix);
      if (found instanceof Promise) {
        found.then(
          (a) => send(request, response, started, headers, a),
          () => next(request, response),
        );
      } else {
        send(request, response, started, headers, found);
      }
    } catch {
      next(request, response);
    }
  }

  return (request, response) => {
    const prefix = plainPrefix(request);
    if (!prefix) {
      next(request, response);
      return;
    }
    logRequests ??= logsRequests(deps.logger());
    if (!deps.limiter) {
      answer(request, response, prefix, undefined);
      return;
    }
    const verdict = deps.limiter.hit(clientAddress(request));
    if (verdict instanceof Promise) void verdict.then((v) => answer(request, response, prefix, v));
    else answer(request, response, prefix, verdict);
  };
}
