// Tracking a submission (a report, a seller registration or a normalization
// request) with the code its sender holds: one route for every kind.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { AppError } from '../shared/errors.ts';
import { safeString } from '../shared/text-input.ts';
import { expectedDecisionBy, type ReviewDays, type TicketsService } from './tickets.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { limitedBy } from '../http/replies.ts';

const ticketSchema = z
  .object({
    ticket: z.string(),
    kind: z.enum(['report', 'registration', 'normalization']),
    status: z.string(),
    history: z.array(
      z.object({ status: z.string(), at: z.iso.datetime(), note: z.string().nullable() }),
    ),
    expectedBy: z.iso
      .datetime()
      .nullable()
      .meta({
        description:
          'While no decision is made: when one usually comes (the review days of its kind ' +
          'after filing). Null once decided.',
      }),
  })
  .meta({ id: 'Ticket' });

export interface TicketsRoutesOptions {
  readonly tickets: Pick<TicketsService, 'track' | 'renewCode'>;
  /** Requests for a new code per client (undefined when off). */
  readonly renewalLimiter: RateLimiter | undefined;
  /** Days within which a decision usually comes, per kind. */
  readonly reviewDays: ReviewDays;
}

const renewalBody = z.object({ email: safeString().max(254) });

export const ticketsRoutes: FastifyPluginAsync<TicketsRoutesOptions> = (
  fastify,
  { tickets, renewalLimiter, reviewDays },
) => {
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
        expectedBy: expectedDecisionBy(tracked, reviewDays)?.toISOString() ?? null,
      };
    },
  );

  app.post(
    '/api/v1/tickets/:ticket/code',
    {
      onRequest: limitedBy(renewalLimiter),
      schema: {
        tags: ['submissions'],
        summary: 'Send a new tracking code to the address given with the submission',
        description:
          'For a sender who lost the tracking code. When `email` is the address given with ' +
          'the submission, a link with a new code is sent there and the old code stops ' +
          'working. The answer is the same `202` whether or not the ticket and address match.',
        params: z.object({ ticket: safeString().max(40) }),
        body: renewalBody,
        response: { 202: z.object({ status: z.literal('accepted') }), 429: problemSchema },
      },
    },
    async (request, reply) => {
      await tickets.renewCode(request.params.ticket, request.body.email, request.ip);
      return reply.code(202).send({ status: 'accepted' as const });
    },
  );
  return Promise.resolve();
};
