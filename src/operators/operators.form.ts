// What the operator pages read from a request beyond their route schemas:
// the notice named after a redirect.
import type { FastifyRequest } from 'fastify';

/** A notice named by `?info=` after a redirect, when it is one this page knows. */
export function infoOf<K extends string>(request: FastifyRequest, known: readonly K[]): K | null {
  const info = (request.query as Record<string, unknown> | undefined)?.info;
  return known.find((k) => k === info) ?? null;
}
