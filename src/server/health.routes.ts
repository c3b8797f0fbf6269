// Liveness and readiness, for load balancers and orchestrators.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { schemaState } from '../db/migrate.ts';
import { asUnavailable } from '../http/outage.ts';
import type { Database } from '../db/database.ts';
import type { CheckService } from '../accounts/check.service.ts';

export interface HealthRoutesOptions {
  readonly database: Database;
  readonly checks: CheckService;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = options.database;
  const { checks } = options;

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The process is alive',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database answers, its migrations are current, and the check is up to date',
        description:
          '`change_feed_lost`: the check has not heard of changes for longer than ' +
          'CHECK_STALE_AFTER_MS and refuses "clear" answers until it has caught up.',
        response: {
          200: z.object({
            status: z.literal('ready'),
            checkFilter: z
              .enum(['warming', 'warm'])
              .describe(
                '`warming` while the in-memory filter of listed accounts is being built after ' +
                  'start (every check is answered correctly, through the database index); ' +
                  '`warm` once absent accounts are answered from memory.',
              ),
          }),
          503: z.object({
            status: z.literal('unavailable'),
            reason: z.enum(['database_unreachable', 'migrations_pending', 'change_feed_lost']),
          }),
        },
      },
    },
    async (request, reply) => {
      try {
        if ((await schemaState(db)) !== 'current') {
          return reply.code(503).send({ status: 'unavailable', reason: 'migrations_pending' });
        }
      } catch (error) {
        const unavailable = asUnavailable(error);
        // An outage is logged once a minute, not at every probe.
        if (unavailable) app.outages.note(unavailable);
        else request.log.warn({ err: error }, 'readiness check failed');
        return reply.code(503).send({ status: 'unavailable', reason: 'database_unreachable' });
      }
      if (!checks.freshness.trusted) {
        return reply.code(503).send({ status: 'unavailable', reason: 'change_feed_lost' });
      }
      const checkFilter = checks.isWarm ? ('warm' as const) : ('warming' as const);
      return { status: 'ready' as const, checkFilter };
    },
  );
  return Promise.resolve();
};
