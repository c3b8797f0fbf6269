// The watches API (scope `watch`): a partner adds, removes and lists the
// hashes of the accounts it watches, and a bank or e-wallet watches every
// account of its provider codes. Changes of those accounts reach its webhook
// endpoints.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { maxHashesPerCall, watchPageSize, type WatchesService } from './watches.service.ts';

export interface WatchesRoutesOptions {
  readonly watches: Pick<
    WatchesService,
    'add' | 'remove' | 'list' | 'providerWatch' | 'setProviderWatch'
  >;
  /** Admits a partner's key with scope `watch` (and counts the request). */
  readonly requireWatchKey: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The partner the request was admitted for. */
  readonly partnerOf: (request: FastifyRequest) => number;
}

const tags = ['partners'];

const keyedProblems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  413: problemSchema,
  415: problemSchema,
  429: problemSchema,
};

const hashesBody = z.object({
  hashes: z
    .array(z.unknown())
    .min(1)
    .describe(
      `1 to ${maxHashesPerCall} SHA-256 hashes of canonical account keys ` +
        '(`{provider code}:{number}`), 64 hex characters, either case.',
    ),
});

const providerWatchSchema = z
  .object({
    providerCodes: z
      .array(z.string())
      .describe('The provider codes cekrek’s admins assigned to the partner.'),
    watching: z.boolean().describe('Whether every account of those codes is watched.'),
  })
  .meta({ id: 'ProviderWatch' });

const hashRefusals =
  'More than 10,000: `400 too_many_hashes`; a value that is not 64 hex characters: ' +
  '`400 invalid_hash`, the whole call refused, its positions (from 0) in `errors`.';

export const watchesRoutes: FastifyPluginAsync<WatchesRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { watches, requireWatchKey, partnerOf } = options;
  // 10,000 hashes take about 670 KB; room for a client that pretty-prints.
  const bodyLimit = 2 * 1024 * 1024;

  app.post(
    '/api/v1/partner/watches',
    {
      bodyLimit,
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Watch accounts by the SHA-256 of their canonical key',
        description:
          'Changes of a watched account (`account.reported`, `account.disputed`, …) are sent to ' +
          'the partner’s webhook endpoints. Hashes are kept lower-case; one given twice counts ' +
          `once. ${hashRefusals}`,
        body: hashesBody,
        response: {
          200: z.object({
            added: z.number().int().describe('Hashes watched from now on.'),
            alreadyWatched: z.number().int().describe('Hashes that were watched already.'),
          }),
          ...keyedProblems,
        },
      },
    },
    async (request) => watches.add(partnerOf(request), request.body.hashes),
  );

  app.delete(
    '/api/v1/partner/watches',
    {
      bodyLimit,
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Stop watching accounts',
        description: `Hashes not watched are left alone. ${hashRefusals}`,
        body: hashesBody,
        response: {
          200: z.object({ removed: z.number().int().describe('Hashes no longer watched.') }),
          ...keyedProblems,
        },
      },
    },
    async (request) => watches.remove(partnerOf(request), request.body.hashes),
  );

  app.get(
    '/api/v1/partner/watches',
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'The watched hashes, a page at a time',
        description:
          `Up to ${watchPageSize} hashes per page, in hash order. Send \`nextCursor\` back as ` +
          '`cursor` for the next page; it is null after the last one.',
        querystring: z.object({
          cursor: z.string().max(100).optional().describe('`nextCursor` of the previous page.'),
        }),
        response: {
          200: z.object({
            hashes: z.array(z.string()),
            nextCursor: z.string().nullable(),
          }),
          ...keyedProblems,
        },
      },
    },
    async (request) => {
      const page = await watches.list(partnerOf(request), request.query.cursor);
      return { hashes: [...page.hashes], nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/v1/partner/watches/providers',
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Whether the partner watches every account of its provider codes',
        response: { 200: providerWatchSchema, ...keyedProblems, 404: problemSchema },
      },
    },
    async (request) => {
      const state = await watches.providerWatch(partnerOf(request));
      return { providerCodes: [...state.providerCodes], watching: state.watching };
    },
  );

  app.put(
    '/api/v1/partner/watches/providers',
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Watch every account of the partner’s provider codes (banks and e-wallets)',
        description:
          'A bank or e-wallet partner watches (`true`) or stops watching (`false`) every account ' +
          'of the provider codes cekrek’s admins assigned to it; when an admin changes them, ' +
          'the watch follows. Another kind of partner: `403 not_provider_partner`; none ' +
          'assigned: `409 no_provider_codes`.',
        body: z.object({ watch: z.boolean() }),
        response: {
          200: providerWatchSchema,
          ...keyedProblems,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request) => {
      const state = await watches.setProviderWatch(partnerOf(request), request.body.watch);
      return { providerCodes: [...state.providerCodes], watching: state.watching };
    },
  );

  return Promise.resolve();
};
