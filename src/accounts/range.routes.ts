// GET /api/v1/range/{prefix}: the private lookup (docs/api.md). No key is
// needed; it counts against the same per-client limit as the check, since
// it is a check that does not name its account. The plain case is answered
// before Fastify by range.fast-path.http.ts; this route is the reference.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { limitedBy } from '../http/replies.ts';
import { AppError } from '../shared/errors.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import type { RangeService } from './range.service.ts';
import { normalizePrefix, type RenderedRange } from './range.ts';

export interface RangeRoutesOptions {
  readonly ranges: Pick<RangeService, 'lookup'>;
  /** The check's limiter: the same allowance per client (undefined when off). */
  readonly checkLimiter: RateLimiter | undefined;
}

export const rangeRoute = '/api/v1/range/:prefix';
export const textType = 'text/plain; charset=utf-8';
export const cacheControl = 'public, max-age=300';

/** If-None-Match names this ETag (weak comparison, RFC 9110 §13.1.2), or is "*". */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

function send(reply: FastifyReply, answer: RenderedRange, ifNoneMatch: string | undefined): void {
  void reply.header('etag', answer.etag).header('cache-control', cacheControl);
  if (matchesEtag(ifNoneMatch, answer.etag)) void reply.code(304).send();
  else void reply.type(textType).send(answer.body);
}

const description =
  'k-anonymity: hash the canonical key ("014:1234567890") with SHA-256 locally and send ' +
  'the first 5 hex characters (either case). The answer is `text/plain`, one line per ' +
  'listed account whose hash starts with them: `{remaining 59 upper-case hex}:{verified ' +
  'report count}:{status}` (`reported`, `disputed`, `normalized`, or `verified_seller`), ' +
  'padded with random `{59 hex}:0:clear` lines, which clients ignore, to at least 64 lines ' +
  'plus a random 0–63 more. Lines end with a line feed. The same prefix answers the same ' +
  'bytes until an account in it changes: `ETag`, `304` on `If-None-Match`, ' +
  '`Cache-Control: public, max-age=300`. A bad prefix answers `400` with ' +
  '`code: "invalid_prefix"` (a problem body). Counts against the same per-client limit as ' +
  'the check.';

export const rangeRoutes: FastifyPluginAsync<RangeRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { ranges } = options;

  app.get(
    rangeRoute,
    {
      onRequest: limitedBy(options.checkLimiter),
      // normalizePrefix is the validation, answered with its own code; the schema documents.
      validatorCompiler: () => (value: unknown) => ({ value }),
      schema: {
        operationId: 'rangeLookup',
        tags: ['check'],
        summary: 'Private lookup by hash prefix (k-anonymity)',
        description,
        produces: [textType],
        params: z.object({
          prefix: z
            .string()
            .regex(/^[0-9A-Fa-f]{5}$/)
            .describe('The first 5 hex characters of SHA-256 over the canonical key.'),
        }),
        headers: z.object({
          'if-none-match': z.string().optional().describe('An ETag of an earlier answer.'),
        }),
        response: {
          200: z.string().describe('Lines of `{59 hex}:{count}:{status}`, as text/plain.'),
          304: z.null().describe('Not modified: the ETag given still holds.'),
          400: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
    },
    (request, reply) => {
      const prefix = normalizePrefix(request.params.prefix);
      if (!prefix) {
        throw new AppError('invalid_prefix', {
          errors: [{ field: 'prefix', reason: 'problem.invalid_prefix.detail' }],
        });
      }
      const ifNoneMatch = request.headers['if-none-match'];
      const answer = ranges.lookup(prefix);
      if (answer instanceof Promise) {
        return answer.then((a) => {
          send(reply, a, ifNoneMatch);
        });
      }
      send(reply, answer, ifNoneMatch);
      return undefined;
    },
  );
  return Promise.resolve();
};
