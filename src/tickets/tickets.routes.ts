// Tracking a submission (a report, a seller registration or a normalization
// request) with the code its sender holds: one route for every kind.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problems.ts';
import { AppError } from '../shared/errors.ts';
import { safeString } from '../shared/text-input.ts';
import type { TicketsService } from './tickets.service.ts';

const ticketSchema = z
  .object({
    ticket: z.string(),
    kind: z.enum(['report', 'registration', 'normalization']),
    status: z.string(),
    history: z.array(
      z.object({ status: z.string(), at: z.iso.datetime(), note: z.string().nullable() }),
    ),
  })
  .meta({ id: 'Ticket' });

export interface TicketsRoutesOptions {
  readonly tickets: Pick<TicketsService, 'track'>;
}

export const ticketsRoutes: FastifyPluginAsync<TicketsRoutesOptions> = (fastify, { tickets }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/tickets/:ticket',
    {
      schema: {
        tags: ['submissions'],
        summary: 'Track a submission with its tracking token',
        description: 'A wrong token and an unknown ticket both answer 404 not_found.',
        params: z.object({ ticket: safeString().max(40) }),
        headers: z.object({ 'x-tracking-token': safeString().max(200).optional() }),
        response: { 200: ticketSchema, 404: problemSchema },
      },
    },
    async (request, reply) => {
      const tracked = await tickets.track(
        request.params.ticket,
        request.headers['x-tracking-token'] ?? '',
      );
      if (!tracked) throw new AppError('not_found');
      void reply.header('cache-control', 'no-store');
      return {
        ticket: tracked.ticket,
        kind: tracked.kind,
        status: tracked.status,
        history: tracked.history.map((h) => ({
          status: h.status,
          at: h.at.toISOString(),
          note: h.note,
        })),
      };
    },
  );

  return Promise.resolve();
};
