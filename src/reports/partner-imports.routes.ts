// POST /api/v1/imports and GET /api/v1/imports/{id}: a partner with a key of
// scope `import` sends a CSV in the import format (as `cekrek import` reads
// it) and reads back how its job went. The body is streamed into storage as
// it arrives and refused once it passes the limit (at once when its declared
// length does); the job does the rest.
import type { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { AppError } from '../shared/errors.ts';
import { idParams, problems } from '../review/review.http.ts';
import type { PartnerImport, PartnerImportsService } from './partner-imports.service.ts';

export interface PartnerImportsRoutesOptions {
  readonly imports: Pick<PartnerImportsService, 'queue' | 'find'>;
  /** Admits a partner's key with scope `import`. */
  readonly requireImportKey: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The partner and key the request was admitted with. */
  readonly senderOf: (request: FastifyRequest) => { partnerId: number; keyId: number };
  /** The largest CSV body taken (IMPORT_MAX_MB). */
  readonly maxBytes: number;
}

const importSchema = z
  .object({
    id: z.number().int(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    rows: z.number().int().describe('Data rows read so far.'),
    imported: z.number().int().describe('Verified reports stored from this file.'),
    skipped: z
      .number()
      .int()
      .describe('Rows not stored: bad ones, and those whose source_id was already stored.'),
    errors: z
      .array(z.object({ line: z.number().int(), message: z.string() }))
      .describe('Each bad row by its line in the file (the first 1000).'),
  })
  .meta({ id: 'PartnerImport' });

function tooLarge(maxBytes: number): AppError {
  return new AppError('payload_too_large', {
    params: { max: Math.round(maxBytes / (1024 * 1024)) },
  });
}

function toImportBody(found: PartnerImport): z.infer<typeof importSchema> {
  return {
    id: found.id,
    status: found.status,
    rows: found.rows,
    imported: found.imported,
    skipped: found.skipped,
    errors: found.errors.map((e) => ({ line: e.line, message: e.message })),
  };
}

export const partnerImportsRoutes: FastifyPluginAsync<PartnerImportsRoutesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { imports, requireImportKey, senderOf } = options;

  // Only in this plugin: the rest of the API takes no CSV. The body stays a
  // stream, which the service reads once the key is admitted.
  app.addContentTypeParser('text/csv', (_request, payload, done) => {
    done(null, payload);
  });

  app.post(
    '/api/v1/imports',
    {
      config: { bodyTypes: ['text/csv'] },
      preHandler: requireImportKey,
      schema: {
        tags: ['partners'],
        summary: 'Send verified reports in bulk (text/csv, the import format)',
        description:
          'The body is a CSV in the import format of `cekrek import` (see the README), at most ' +
          'IMPORT_MAX_MB. A job loads it: each valid row becomes a verified report from the ' +
          'partner; rows whose source_id the partner sent before are skipped; bad rows are ' +
          'listed by line. Follow it with GET /api/v1/imports/{id}.',
        response: {
          202: z.object({ id: z.number().int(), status: z.literal('queued') }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > options.maxBytes) throw tooLarge(options.maxBytes);
      const body = request.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') {
        throw new AppError('validation_failed', {
          errors: [{ field: 'body', reason: 'Expected a CSV in the import format.' }],
        });
      }
      const queued = await imports.queue(senderOf(request), body, options.maxBytes);
      return reply.code(202).send({ id: queued.id, status: 'queued' as const });
    },
  );

  app.get(
    '/api/v1/imports/:id',
    {
      preHandler: requireImportKey,
      schema: {
        tags: ['partners'],
        summary: 'How an import is going: its counts and every bad row by line',
        params: idParams,
        response: { 200: importSchema, ...problems },
      },
    },
    async (request) => {
      const found = await imports.find(senderOf(request).partnerId, request.params.id);
      return toImportBody(found);
    },
  );

  return Promise.resolve();
};
