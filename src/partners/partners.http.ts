// The keyed API's door, for every feature whose routes partners call: a
// preHandler that admits a request only with a live key holding the scope,
// and the principal it admitted. Only the Authorization header counts: a
// session cookie never stands in for a key (nor a key for a session: the
// back office reads cookies only).
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { KeyPrincipal, PartnersService, Scope } from './partners.service.ts';

const principals = new WeakMap<FastifyRequest, KeyPrincipal>();

/** The key's text from `Authorization: Bearer <key>` (the scheme in any case), else undefined. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

function refuseKey(reply: FastifyReply): never {
  void reply.header('www-authenticate', 'Bearer error="invalid_token"');
  throw new AppError('invalid_api_key');
}

/**
 * Admits a request whose key is live and holds `scope` (`any`: every key).
 * A missing, malformed, unknown, revoked or expired key: `401 invalid_api_key`;
 * a key without the scope: `403 insufficient_scope`, counted as a refusal.
 */
export function requireKey(
  partners: PartnersService,
  scope: Scope | 'any',
): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const principal = await partners.authenticate(bearerOf(request));
    if (!principal) refuseKey(reply);
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
