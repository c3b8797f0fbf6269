// The back office's ticket search (/admin/tiket?tiket=…): a ticket number
// typed in the header's search field or on this page leads to the report,
// registration or normalization request it belongs to, whose page audits the
// viewing as usual. A role that may not see that kind gets the 403 page.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { backOfficeContext, redirectTo, sendBackOfficePage } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import { isAppError } from '../shared/errors.ts';
import { t } from '../shared/messages.ts';
import { normalizeTicket } from '../tickets/tickets.service.ts';
import { findTicket, type TicketSearchRoutesOptions } from './ticket-search.routes.ts';
import { TicketSearchPage, type TicketSearchState } from './ticket-search.views.tsx';

export type TicketSearchPagesOptions = TicketSearchRoutesOptions;

const searchQuery = z.object({ tiket: z.string().max(200).catch('') }).catch({ tiket: '' });

function sendSearchPage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: TicketSearchState,
  status = 200,
): FastifyReply {
  const ctx = backOfficeContext(request);
  const title = t(ctx.lang, 'admin.tickets.title');
  return sendBackOfficePage(
    reply,
    ctx,
    { title: state.error ? t(ctx.lang, 'home.errors.pageTitle', { title }) : title, status },
    <TicketSearchPage ctx={ctx} state={state} />,
  );
}

export const ticketSearchPages: FastifyPluginAsync<TicketSearchPagesOptions> = (
  app,
  { tickets },
) => {
  app.get(
    adminPaths.tickets,
    { config: { permission: 'dashboard.view', page: true }, schema: { hide: true } },
    async (request, reply) => {
      const typed = searchQuery.parse(request.query ?? {}).tiket.trim();
      if (typed === '') return sendSearchPage(request, reply, { typed, error: null });
      const ticket = normalizeTicket(typed);
      if (!ticket) {
        const error = t(request.lang, 'admin.tickets.invalid');
        return sendSearchPage(request, reply, { typed, error }, 400);
      }
      try {
        const found = await findTicket(tickets, request.operatorSession!.operator.roles, ticket);
        return redirectTo(reply, backOfficeContext(request), found.path);
      } catch (error) {
        if (!isAppError(error) || error.code !== 'not_found') throw error;
        const message = t(request.lang, 'admin.tickets.notFound', { ticket });
        return sendSearchPage(request, reply, { typed, error: message }, 404);
      }
    },
  );
  return Promise.resolve();
};
