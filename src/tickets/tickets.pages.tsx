// The lost-code page (/lacak/kode-baru): whoever lost a tracking code asks
// for a new one with the ticket number and the e-mail address given with the
// submission. The answer is the same whatever the outcome; a new link goes
// only to that address (TicketsService.renewCode).
import { waitInWords } from '../shared/wait.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { rememberLanguage } from '../http/error-pages.tsx';
import { pageContext, sendPage } from '../http/layout.tsx';
import { t } from '../shared/messages.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { normalizeTicket, type TicketsService } from './tickets.service.ts';
import {
  emptyLostCodeState,
  LostCodePage,
  LostCodeSentPage,
  lostCodePagePath,
  type LostCodeField,
  type LostCodeState,
} from './tickets.views.tsx';

export interface TicketPagesOptions {
  readonly tickets: Pick<TicketsService, 'renewCode'>;
  /** The same limit as the API's POST /api/v1/tickets/{ticket}/code (undefined when off). */
  readonly renewalLimiter: RateLimiter | undefined;
}

const lostCodeBody = z
  .object({ tiket: z.string().max(40).catch(''), email: z.string().max(254).catch('') })
  .catch({ tiket: '', email: '' });

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function readLostCode(request: FastifyRequest): LostCodeState {
  const body = lostCodeBody.parse(request.body ?? {});
  const values = { ticket: body.tiket.trim(), email: body.email.trim() };
  const errors = new Map<LostCodeField, string>();
  if (!normalizeTicket(values.ticket)) {
    errors.set('ticket', t(request.lang, 'lostCode.ticket.invalid'));
  }
  if (!emailPattern.test(values.email)) {
    errors.set('email', t(request.lang, 'lostCode.email.invalid'));
  }
  return { values, errors };
}

function sendLostCodePage(
  request: FastifyRequest,
  reply: FastifyReply,
  state: LostCodeState,
  status = 200,
): FastifyReply {
  const ctx = pageContext(request);
  return sendPage(
    reply,
    ctx,
    { title: t(ctx.lang, 'lostCode.title'), status, private: true },
    <LostCodePage ctx={ctx} state={state} />,
  );
}

export const ticketPages: FastifyPluginAsync<TicketPagesOptions> = (
  app,
  { tickets, renewalLimiter },
) => {
  const page = { config: { page: true }, schema: { hide: true } } as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(lostCodePagePath, page, (request, reply) =>
    sendLostCodePage(request, reply, emptyLostCodeState),
  );

  app.post(lostCodePagePath, page, async (request, reply) => {
    const state = readLostCode(request);
    const verdict = await renewalLimiter?.hit(request.ip);
    if (verdict && !verdict.allowed) {
      const wait = waitInWords(verdict.resetSeconds, request.lang);
      return sendLostCodePage(request, reply, { ...state, wait }, 429);
    }
    if (state.errors.size > 0) return sendLostCodePage(request, reply, state, 422);
    await tickets.renewCode(state.values.ticket, state.values.email, request.ip);
    const ctx = pageContext(request);
    return sendPage(
      reply,
      ctx,
      { title: t(ctx.lang, 'lostCode.title'), private: true },
      <LostCodeSentPage ctx={ctx} />,
    );
  });
  return Promise.resolve();
};
