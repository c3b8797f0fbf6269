// GET /api/v1/accounts/{provider}/{number}, /providers, /categories.
import type {
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { limitedBy, rateLimitHook, sendJson } from '../http/replies.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { CheckService } from './check.service.ts';
import { toAccountRef } from '../shared/account-number.ts';
import { checkBodySchema, providerSchema, providersBody } from './check.schema.ts';
import { categoryCodes, listCategories } from '../shared/categories.ts';

const providersJson = JSON.stringify(providersBody);

export interface AccountsRoutesOptions {
  readonly checks: Pick<CheckService, 'check'> & Partial<Pick<CheckService, 'count'>>;
  /** Checks per client, shared with the result pages (undefined when off). */
  readonly checkLimiter: RateLimiter | undefined;
  /**
   * Admits a request that carries an Authorization header: a partner's key of
   * scope `check`, counted against the key's limits instead of the client's.
   */
  readonly keyedCheck?: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
}

/**
 * The check's onRequest hooks: with an Authorization header (even an empty
 * one, never taken for anonymous) the key's door, else the client's limit.
 */
function checkDoor(options: AccountsRoutesOptions): onRequestAsyncHookHandler[] {
  const { keyedCheck, checkLimiter } = options;
  if (!keyedCheck) return limitedBy(checkLimiter);
  const perClient = checkLimiter ? rateLimitHook(checkLimiter) : undefined;
  return [
    async function (request, reply) {
      if (request.headers.authorization !== undefined) return keyedCheck(request, reply);
      return perClient?.call(this, request, reply);
    },
  ];
}

export const accountsRoutes: FastifyPluginAsync<AccountsRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { checks } = options;

  app.get(
    '/api/v1/accounts/:provider/:number',
    {
      onRequest: checkDoor(options),
      // The router hands over two strings; toAccountRef is the real validation (and
      // names the field at fault), so the schema below documents without re-checking.
      validatorCompiler: () => (value: unknown) => ({ value }),
      schema: {
        tags: ['check'],
        summary: 'Check an account',
        description:
          'Whether a bank account or e-wallet number has verified reports, is disputed, ' +
          'normalized or a verified seller. "clear" is never a guarantee of safety. ' +
          'When the service cannot be sure its answer is current (the database or its ' +
          'change feed is unreachable), it answers `503` with `code: "unavailable"` and ' +
          '`Retry-After` rather than a "clear" that may be wrong. Open to anyone, limited per ' +
          "client; with a partner's key (scope `check`) limited per key instead, counting one " +
          "account of the key's daily allowance, with the `RateLimit-Policy` and `RateLimit` " +
          'headers; an invalid key answers `401 invalid_api_key`.',
        params: z.object({
          provider: z.string().describe('Bank code, e-wallet slug or alias ("014", "bca", "ovo").'),
          number: z.string().describe('Account or phone number in any common written form.'),
        }),
        response: {
          200: checkBodySchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
        security: [{}, { partnerKey: ['check'] }],
      },
    },
    (request, reply) => {
      const account = toAccountRef(request.params.provider, request.params.number);
      // The client as the fast path counts it: the key when there is one, else the address.
      checks.count?.(account, request.headers.authorization ?? request.ip);
      const answer = checks.check(account);
      // SQLite answers synchronously: no promise, no extra turn of the event loop.
      if (answer instanceof Promise) {
        return answer.then((a) => {
          sendJson(reply, a.json);
        });
      }
      sendJson(reply, answer.json);
      return undefined;
    },
  );

  app.get(
    '/api/v1/providers',
    {
      schema: {
        tags: ['reference'],
        summary: 'Banks and e-wallets',
        response: { 200: z.object({ providers: z.array(providerSchema) }) },
      },
    },
    (_request, reply) => {
      sendJson(reply.header('cache-control', 'public, max-age=3600'), providersJson);
    },
  );

  app.get(
    '/api/v1/categories',
    {
      schema: {
        tags: ['reference'],
        summary: 'Report categories, named in the request language',
        querystring: z.object({ lang: z.enum(['id', 'en']).optional() }),
        response: {
          200: z.object({
            categories: z.array(z.object({ code: z.enum(categoryCodes), name: z.string() })),
          }),
        },
      },
    },
    (request, reply) => {
      void reply.header('vary', 'Accept-Language');
      return { categories: listCategories(request.lang) };
    },
  );
  return Promise.resolve();
};
