// GET /api/v1/accounts/{provider}/{number}, /providers, /categories.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problems.ts';
import { limitedBy, sendJson } from '../http/replies.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { CheckService } from './check.service.ts';
import { toAccountRef } from '../shared/account-number.ts';
import { checkBodySchema, providerSchema, providersBody } from './check.schema.ts';
import { categoryCodes, listCategories } from '../shared/categories.ts';

const providersJson = JSON.stringify(providersBody);

export interface AccountsRoutesOptions {
  readonly checks: Pick<CheckService, 'check'>;
  /** Checks per client, shared with the result pages (undefined when off). */
  readonly checkLimiter: RateLimiter | undefined;
}

export const accountsRoutes: FastifyPluginAsync<AccountsRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { checks } = options;

  app.get(
    '/api/v1/accounts/:provider/:number',
    {
      onRequest: limitedBy(options.checkLimiter),
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
          '`Retry-After` rather than a "clear" that may be wrong.',
        params: z.object({
          provider: z.string().describe('Bank code, e-wallet slug or alias ("014", "bca", "ovo").'),
          number: z.string().describe('Account or phone number in any common written form.'),
        }),
        response: {
          200: checkBodySchema,
          400: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
    },
    (request, reply) => {
      const account = toAccountRef(request.params.provider, request.params.number);
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
