// Finding what a ticket number belongs to, for staff: a submitter who calls
// or writes gives their ticket number, and the reviewer lands on the report,
// registration or normalization request, if their role may see that kind.
// The page (ticket-search.pages.tsx) and the API answer the same.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { ticketItemPath } from '../backoffice/paths.ts';
import type { TicketKind } from '../db/schema.ts';
import { problemSchema } from '../http/problems.ts';
import { AppError } from '../shared/errors.ts';
import { safeString } from '../shared/text-input.ts';
import type { TicketsService } from '../tickets/tickets.service.ts';
import { problems } from './operators.http.ts';
import { allows, type Permission, type Role } from './policy.ts';

/** Who may see what a ticket belongs to: the same rule as opening its files. */
export const ticketPermissions: Record<TicketKind, Permission> = {
  report: 'reports.review',
  registration: 'registrations.review',
  normalization: 'normalizations.mediate',
};

export interface FoundTicket {
  readonly ticket: string;
  readonly kind: TicketKind;
  readonly id: number;
  /** Its back-office page. */
  readonly path: string;
}

/**
 * What a typed ticket number belongs to. Throws not_found for an unknown
 * number and forbidden when the operator's roles may not see that kind.
 */
export async function findTicket(
  tickets: Pick<TicketsService, 'locate'>,
  roles: readonly Role[],
  input: string,
): Promise<FoundTicket> {
  const subject = await tickets.locate(input);
  if (!subject) throw new AppError('not_found');
  if (!allows(roles, ticketPermissions[subject.kind])) throw new AppError('forbidden');
  return {
    ticket: subject.ticket,
    kind: subject.kind,
    id: subject.subjectId,
    path: ticketItemPath(subject.kind, subject.subjectId),
  };
}

export interface TicketSearchRoutesOptions {
  readonly tickets: Pick<TicketsService, 'locate'>;
}

const foundSchema = z
  .object({
    ticket: z.string().describe('The ticket number, as written (LAP-7K3Q-9M2X).'),
    kind: z.enum(['report', 'registration', 'normalization']),
    id: z.number().int().describe('The report, registration or normalization request.'),
    path: z.string().describe('Its back-office page.'),
  })
  .meta({ id: 'TicketSubject' });

export const ticketSearchRoutes: FastifyPluginAsync<TicketSearchRoutesOptions> = (
  fastify,
  { tickets },
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/admin/tickets/:ticket',
    {
      config: { permission: 'dashboard.view' },
      schema: {
        tags: ['operators'],
        summary: 'What a ticket number belongs to',
        description:
          'The report, seller registration or normalization request of a ticket number ' +
          '(any case, dashes optional), and its back-office page. `403 forbidden` when the ' +
          'operator’s roles may not see that kind; `404 not_found` for an unknown number.',
        params: z.object({ ticket: safeString().max(40) }),
        response: { 200: foundSchema, ...problems, 404: problemSchema },
      },
    },
    async (request) =>
      findTicket(tickets, request.operatorSession!.operator.roles, request.params.ticket),
  );
  return Promise.resolve();
};
