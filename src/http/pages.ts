// Public pages (placeholder until the page layer lands).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

export function wantsHtml(request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
}

export function renderNotFoundPage(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).type('text/html; charset=utf-8').send('<!doctype html><title>404</title>');
}

export const pageRoutes: FastifyPluginAsync = () => Promise.resolve();
