// Liveness and readiness, for load balancers and orchestrators.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { pendingMigrations } from '../db/migrate.ts';

export const healthRoutes: FastifyPluginAsync = (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps.database;

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
        summary: 'The database answers and its migrations are current',
        response: {
          200: z.object({ status: z.literal('ready') }),
          503: z.object({
            status: z.literal('unavailable'),
            reason: z.enum(['database_unreachable', 'migrations_pending']),
          }),
        },
      },
    },
    async (request, reply) => {
      try {
        await sql`select 1`.execute(db);
        if ((await pendingMigrations(db)).length > 0) {
          return reply.code(503).send({ status: 'unavailable', reason: 'migrations_pending' });
        }
      } catch (error) {
        request.log.warn({ err: error }, 'readiness check failed');
        return reply.code(503).send({ status: 'unavailable', reason: 'database_unreachable' });
      }
      return { status: 'ready' as const };
    },
  );
  return Promise.resolve();
};
