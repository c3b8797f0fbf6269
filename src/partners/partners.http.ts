// The keyed API's door, for every feature whose routes partners call: a
// preHandler that admits a request only with a live key holding the scope,
// and the principal it admitted. Only the Authorization header counts: a
// session cookie never stands in for a key (nor a key for a session: the
// back office reads cookies only).
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { keyRateLimitHeaders, type Verdict } from '../shared/rate-limiter.ts';
import type { ErrorCode } from '../shared/errors.ts';
import type { KeyPrincipal, PartnersService, Scope } from './partners.service.ts';

const principals = new WeakMap<FastifyRequest, KeyPrincipal>();

/** The key's text from `Authorization: Bearer <key>` (the scheme in any case), else undefined. */
export function bearerOf(request: FastifyRequest): string | undefined {
  return bearerIn(request.headers.authorization);
}

/** The key's text in an Authorization header's value, else undefined. */
function bearerIn(header: unknown): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

function refuseKey(reply: FastifyReply): never {
  void reply.header('www-authenticate', 'Bearer error="invalid_token"');
  throw new AppError('invalid_api_key');
}

/** Refuses with rate_limited and `Retry-After` when the verdict says the allowance is used up. */
function refuseOver(verdict: Verdict, reply: FastifyReply): void {
  if (verdict.allowed) return;
  void reply.header('retry-after', String(verdict.resetSeconds));
  throw new AppError('rate_limited', { params: { seconds: verdict.resetSeconds } });
}

/**
 * Admits a request whose key is live and holds `scope` (`any`: every key),
 * within the key's `perMinute`: every answer after the key is known carries
 * the RateLimit fields.
 * A missing, malformed, unknown, revoked or expired key: `401 invalid_api_key`;
 * over the minute's allowance: `429 rate_limited`;
 * a key without the scope: `403 insufficient_scope`, counted as a refusal.
 */
export function requireKey(
  partners: PartnersService,
  scope: Scope | 'any',
): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const principal = await partners.authenticate(bearerOf(request));
    if (!principal) refuseKey(reply);
    const verdict = await partners.admitRequest(principal);
    for (const [name, value] of Object.entries(keyRateLimitHeaders(verdict))) {
      void reply.header(name, value);
    }
    if (!verdict.allowed) partners.recordUse(principal, { refusals: 1 });
    refuseOver(verdict, reply);
    if (scope !== 'any' && !principal.scopes.includes(scope)) {
      partners.recordUse(principal, { refusals: 1 });
      throw new AppError('insufficient_scope', { params: { scope } });
    }
    principals.set(request, principal);
  };
}

/** The key a request was admitted with (by requireKey); throws on a route without it. */
export function keyPrincipalOf(request: FastifyRequest): KeyPrincipal {
  const principal = principals.get(request);
  if (!principal) throw new AppError('invalid_api_key');
  return principal;
}

/**
 * Counts `accounts` against the admitted key's `perDay` before they are read
 * (and in its usage); refuses the whole call with `429 rate_limited` and
 * `Retry-After` (the end of the UTC day) when they do not all fit.
 */
export async function chargeChecks(
  partners: PartnersService,
  request: FastifyRequest,
  reply: FastifyReply,
  accounts: number,
): Promise<void> {
  refuseOver(await partners.admitChecks(keyPrincipalOf(request), accounts), reply);
}

/**
 * The single check's door for a keyed request (one with an Authorization
 * header, even an empty one: never anonymous by mistake): a key of scope
 * `check`, its minute's allowance, and one account of its day's.
 */
export function requireCheckKey(partners: PartnersService): preHandlerAsyncHookHandler {
  const admit = requireKey(partners, 'check');
  return async function (request, reply) {
    await admit.call(this, request, reply);
    await chargeChecks(partners, request, reply, 1);
  };
}

/** What the check's fast path needs of a key (structurally its FastKeyGate). */
interface CheckAdmission {
  readonly refusal?: ErrorCode;
  readonly params?: Record<string, string | number>;
  readonly headers: Record<string, string>;
}

const invalidKey: CheckAdmission = {
  refusal: 'invalid_api_key',
  headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
};

/** A key proven on a connection, reused while the connection sends the same header. */
interface ConnectionKey {
  readonly authorization: string;
  readonly principal: KeyPrincipal;
  readonly generation: number;
}

const oneCheck = { requests: 1, checks: 1 } as const;
const oneRefusal = { requests: 1, refusals: 1 } as const;

/**
 * The single check's door on the fast path, answering as requireCheckKey
 * does: from memory, without a turn of the event loop while the keys and the
 * limits are in memory; undefined (Fastify answers) while the keys are not.
 * A partner's client keeps its connection open and sends the same header on
 * each request: the key proven on a connection is taken again without
 * hashing while the header is the same and no key has changed since (its
 * expiry is still checked every time). The request is counted once, with
 * what it did.
 */
export function fastCheckKeyGate(partners: PartnersService): {
  admit(
    authorization: string,
    connection: object,
  ): CheckAdmission | Promise<CheckAdmission> | undefined;
} {
  const proven = new WeakMap<object, ConnectionKey>();
  const policies = new Map<number, string>();

  function minuteHeaders(minute: Verdict): Record<string, string> {
    let policy = policies.get(minute.limit);
    if (policy === undefined) {
      policy = keyRateLimitHeaders(minute)['ratelimit-policy']!;
      if (policies.size > 1000) policies.clear();
      policies.set(minute.limit, policy);
    }
    const headers: Record<string, string> = {
      'ratelimit-policy': policy,
      ratelimit: `"minute";r=${minute.remaining};t=${minute.resetSeconds}`,
    };
    if (!minute.allowed) headers['retry-after'] = String(minute.resetSeconds);
    return headers;
  }
  function afterDay(
    principal: KeyPrincipal,
    minute: Record<string, string>,
    day: Verdict,
  ): CheckAdmission {
    partners.recordUse(principal, day.allowed ? oneCheck : oneRefusal);
    if (day.allowed) return { headers: minute };
    return {
      refusal: 'rate_limited',
      params: { seconds: day.resetSeconds },
      headers: { ...minute, 'retry-after': String(day.resetSeconds) },
    };
  }
  function afterMinute(
    principal: KeyPrincipal,
    minute: Verdict,
  ): CheckAdmission | Promise<CheckAdmission> {
    const headers = minuteHeaders(minute);
    if (!minute.allowed || !principal.scopes.includes('check')) {
      partners.recordUse(principal, oneRefusal);
      return minute.allowed
        ? { refusal: 'insufficient_scope', params: { scope: 'check' }, headers }
        : { refusal: 'rate_limited', params: { seconds: minute.resetSeconds }, headers };
    }
    const day = partners.takeChecks(principal, 1);
    return day instanceof Promise
      ? day.then((v) => afterDay(principal, headers, v))
      : afterDay(principal, headers, day);
  }
  function principalOf(authorization: string, connection: object): KeyPrincipal | null | undefined {
    const known = proven.get(connection);
    if (
      known !== undefined &&
      known.authorization === authorization &&
      known.generation === partners.keysGeneration
    ) {
      return partners.isLive(known.principal) ? known.principal : null;
    }
    const generation = partners.keysGeneration;
    const principal = partners.knownKeyFromMemory(bearerIn(authorization));
    if (principal) proven.set(connection, { authorization, principal, generation });
    else proven.delete(connection);
    return principal;
  }
  return {
    admit(authorization, connection) {
      const principal = principalOf(authorization, connection);
      if (principal === undefined) return undefined;
      if (principal === null) return invalidKey;
      const minute = partners.admitRequest(principal);
      return minute instanceof Promise
        ? minute.then((v) => afterMinute(principal, v))
        : afterMinute(principal, minute);
    },
  };
}
