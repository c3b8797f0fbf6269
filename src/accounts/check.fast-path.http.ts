// The check's fast path: `GET /api/v1/accounts/{provider}/{number}` answered
// in front of Fastify, straight from node:http. It is the one route partners
// call at volume, and Fastify's per-request work (request and reply objects,
// hooks, plugins) measured at half of its throughput. The answer is the same
// as the Fastify route's: same CheckService, same rate limiter, same headers,
// same problem bodies (a test compares the two). Anything but the plain case
// (another method, a query string, percent-encoding, a bad provider or
// number, an overlong URL) goes on to Fastify, which answers it in full.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyBaseLogger } from 'fastify';
import type { CheckService } from './check.service.ts';
import { toAccountRef } from '../shared/account-number.ts';
import type { AccountRef } from '../shared/account-number.ts';
import type { TrustProxy } from '../config.ts';
import { isLang, negotiateLanguage, type Lang } from '../shared/i18n.ts';
import { buildProblem, problemContentType, statusByCode } from '../http/problems.ts';
import { rateLimitHeaders, type RateLimiter, type Verdict } from '../shared/rate-limiter.ts';
import { asUnavailable, OutageLog, retryAfterSeconds } from '../http/outage.ts';

export const checkRoute = '/api/v1/accounts/:provider/:number';
const prefix = '/api/v1/accounts/';
/** Longer targets go to Fastify, which refuses those over its limit with 414. */
const maxFastUrlLength = 256;
const requestIdPattern = /^[\w.:-]{1,128}$/;
const langCookie = /(?:^|;\s*)lang=(id|en)(?:;|$)/;
const jsonType = 'application/json; charset=utf-8';

import type { RawHandler } from '../http/slow-clients.ts';
import type { ErrorCode } from '../shared/errors.ts';
export type { RawHandler };

/** What a partner's key earns one check: a refusal (a problem's code) or none, and headers. */
export interface KeyAdmission {
  readonly refusal?: ErrorCode;
  readonly params?: Record<string, string | number>;
  readonly headers: Record<string, string>;
}

/**
 * The partners' door for a keyed check (built by partners.http.ts, wired by
 * server/): the admission for an Authorization header, synchronous when the
 * keys and the limits answer from memory; undefined hands the request to
 * Fastify, which takes the slower way.
 */
export interface FastKeyGate {
  /** `connection`: the request's socket, on which a proven key may be taken again. */
  admit(
    authorization: string,
    connection: object,
  ): KeyAdmission | Promise<KeyAdmission> | undefined;
}

export interface FastCheckDeps {
  readonly checks: CheckService;
  readonly limiter: RateLimiter | undefined;
  /** Keyed checks; without it, a request with an Authorization header goes to Fastify. */
  readonly keys?: FastKeyGate;
  readonly trustProxy: TrustProxy;
  /** Fastify's logger, which exists only once the server it is built around does. */
  readonly logger: () => FastifyBaseLogger;
}

const infoLevels = new Set(['info', 'debug', 'trace']);

/** Whether the logger writes the per-request line (at info); below, no log work is done at all. */
export function logsRequests(logger: FastifyBaseLogger): boolean {
  return infoLevels.has(logger.level);
}

/** A request id as Fastify's genReqId makes it: the caller's when well-formed, else a fresh one. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID();
}

/** The client address as Fastify's request.ip computes it under the same trustProxy. */
export function clientAddressOf(trustProxy: TrustProxy): (request: IncomingMessage) => string {
  if (trustProxy === false) return (request) => request.socket.remoteAddress ?? '';
  const trust = trustProxy === true ? () => true : proxyAddr.compile(trustProxy);
  return (request) => proxyAddr(request, trust);
}

/** The two path segments of a plain check URL, or null when Fastify should answer. */
function checkSegments(request: IncomingMessage): readonly [string, string] | null {
  const url = request.url;
  if (request.method !== 'GET' || url === undefined || !url.startsWith(prefix)) return null;
  if (url.length > maxFastUrlLength || url.includes('?') || url.includes('%')) return null;
  const slash = url.indexOf('/', prefix.length);
  if (slash <= prefix.length || slash === url.length - 1) return null;
  if (url.indexOf('/', slash + 1) !== -1) return null;
  return [url.slice(prefix.length, slash), url.slice(slash + 1)];
}

function accountOf(segments: readonly [string, string]): AccountRef | null {
  try {
    return toAccountRef(segments[0], segments[1]);
  } catch {
    // Fastify answers the problem, in the request's language, naming the field.
    return null;
  }
}

function languageOf(request: IncomingMessage): Lang {
  const cookie = request.headers.cookie;
  const fromCookie = cookie ? langCookie.exec(cookie)?.[1] : undefined;
  if (isLang(fromCookie)) return fromCookie;
  return negotiateLanguage(request.headers['accept-language']);
}

/**
 * Returns a handler that answers plain checks itself and hands everything
 * else to `next` (Fastify's own handler).
 */
export function withFastCheck(deps: FastCheckDeps, next: RawHandler): RawHandler {
  const clientAddress = clientAddressOf(deps.trustProxy);
  let logger: FastifyBaseLogger | undefined;
  let logRequests = false;
  const loggerOnce = () => {
    if (!logger) {
      logger = deps.logger();
      logRequests = logsRequests(logger);
    }
    return logger;
  };
  const outages = new OutageLog(loggerOnce);

  function send(
    request: IncomingMessage,
    response: ServerResponse,
    started: bigint,
    status: number,
    headers: Record<string, string>,
    body: string,
  ) {
    headers['content-length'] = String(Buffer.byteLength(body));
    response.writeHead(status, headers);
    response.end(body);
    if (logRequests) {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route pattern, not the URL: the accounts people check are nobody's business.
      loggerOnce().info(
        {
          reqId: headers['x-request-id'],
          method: request.method,
          route: checkRoute,
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
    started: bigint,
    requestId: string,
    account: AccountRef,
    /** Who checks, as the count of distinct clients knows them: the key's header or the address. */
    client: string,
    verdict: Verdict | undefined,
    keyHeaders?: Record<string, string>,
  ) {
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'x-request-id': requestId,
    };
    if (verdict) Object.assign(headers, rateLimitHeaders(verdict));
    if (keyHeaders) Object.assign(headers, keyHeaders);
    if (verdict && !verdict.allowed) {
      const problem = buildProblem(languageOf(request), 'rate_limited', {
        requestId,
        params: { requestId, seconds: verdict.resetSeconds },
      });
      headers['content-type'] = problemContentType;
      send(request, response, started, 429, headers, JSON.stringify(problem));
      return;
    }
    headers['content-type'] = jsonType;
    deps.checks.count(account, client);
    try {
      const result = deps.checks.check(account);
      // Closures only on the asynchronous path: the common answer allocates none.
      if (result instanceof Promise) {
        result.then(
          (r) => send(request, response, started, 200, headers, r.json),
          (error: unknown) => fail(request, response, started, headers, error),
        );
      } else {
        send(request, response, started, 200, headers, result.json);
      }
    } catch (error) {
      fail(request, response, started, headers, error);
    }
  }

  function fail(
    request: IncomingMessage,
    response: ServerResponse,
    started: bigint,
    headers: Record<string, string>,
    error: unknown,
  ) {
    const requestId = headers['x-request-id']!;
    headers['content-type'] = problemContentType;
    // As app.ts's error handler answers it: 503 with Retry-After, logged once a minute.
    const unavailable = asUnavailable(error);
    if (unavailable) {
      outages.note(unavailable);
      const seconds = retryAfterSeconds(unavailable);
      const problem = buildProblem(languageOf(request), 'unavailable', {
        requestId,
        params: { requestId, seconds },
      });
      headers['retry-after'] = String(seconds);
      send(request, response, started, 503, headers, JSON.stringify(problem));
      return;
    }
    loggerOnce().error({ err: error, reqId: requestId }, 'request failed');
    const problem = buildProblem(languageOf(request), 'internal_error', {
      requestId,
      params: { requestId },
    });
    send(request, response, started, 500, headers, JSON.stringify(problem));
  }

  /** A refused key: its problem, with the gate's headers (RateLimit, Retry-After, WWW-Authenticate). */
  function refuse(
    request: IncomingMessage,
    response: ServerResponse,
    started: bigint,
    requestId: string,
    admission: KeyAdmission & { refusal: ErrorCode },
  ) {
    const headers: Record<string, string> = {
      'x-content-type-options': 'nosniff',
      'x-request-id': requestId,
      ...admission.headers,
      'content-type': problemContentType,
    };
    const problem = buildProblem(languageOf(request), admission.refusal, {
      requestId,
      params: { requestId, ...admission.params },
    });
    send(
      request,
      response,
      started,
      statusByCode[admission.refusal],
      headers,
      JSON.stringify(problem),
    );
  }

  function admitted(
    request: IncomingMessage,
    response: ServerResponse,
    started: bigint,
    requestId: string,
    account: AccountRef,
    authorization: string,
    admission: KeyAdmission,
  ) {
    if (admission.refusal) {
      refuse(request, response, started, requestId, { ...admission, refusal: admission.refusal });
    } else {
      answer(
        request,
        response,
        started,
        requestId,
        account,
        authorization,
        undefined,
        admission.headers,
      );
    }
  }

  /** A check with a key: counted against the key's limits, never the client's. */
  function keyed(
    request: IncomingMessage,
    response: ServerResponse,
    account: AccountRef,
    authorization: string,
    next: RawHandler,
  ) {
    const admission = deps.keys?.admit(authorization, request.socket);
    if (admission === undefined) {
      next(request, response);
      return;
    }
    loggerOnce();
    const started = logRequests ? process.hrtime.bigint() : 0n;
    const requestId = requestIdOf(request);
    if (admission instanceof Promise) {
      admission.then(
        (a) => admitted(request, response, started, requestId, account, authorization, a),
        (error: unknown) => {
          const headers = { 'x-content-type-options': 'nosniff', 'x-request-id': requestId };
          fail(request, response, started, headers, error);
        },
      );
    } else {
      admitted(request, response, started, requestId, account, authorization, admission);
    }
  }

  return (request, response) => {
    const segments = checkSegments(request);
    const account = segments && accountOf(segments);
    if (!account) {
      next(request, response);
      return;
    }
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      keyed(request, response, account, authorization, next);
      return;
    }
    loggerOnce();
    const started = logRequests ? process.hrtime.bigint() : 0n;
    const requestId = requestIdOf(request);
    const client = clientAddress(request);
    if (!deps.limiter) {
      answer(request, response, started, requestId, account, client, undefined);
      return;
    }
    const verdict = deps.limiter.hit(client);
    if (verdict instanceof Promise) {
      void verdict.then((v) => {
        answer(request, response, started, requestId, account, client, v);
      });
    } else {
      answer(request, response, started, requestId, account, client, verdict);
    }
  };
}
