// The partners' API: `GET /api/v1/partner` for a keyed caller, and the admin's
// management of partners and keys (permission `partners.manage`, audited by
// the service). A new key is in the answer that makes it and nowhere else.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { actorOf } from '../backoffice/auth.ts';
import { problemSchema } from '../http/problems.ts';
import { rowId } from '../shared/text-input.ts';
import { keyPrincipalOf, requireKey } from './partners.http.ts';
import {
  partnerKinds,
  scopes,
  type IssuedKey,
  type Partner,
  type PartnerKey,
  type PartnersService,
  type UsageDay,
} from './partners.service.ts';

export interface PartnersRoutesOptions {
  readonly partners: PartnersService;
}

const manage = { permission: 'partners.manage' } as const;
const tags = ['partners'];

const adminProblems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  429: problemSchema,
};

export const partnerSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: z.enum(partnerKinds),
    contactEmail: z.string(),
    perMinute: z.number().int(),
    perDay: z.number().int(),
    providerCodes: z.array(z.string()).describe('Provider codes a bank or e-wallet holds.'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Partner' });

export const partnerKeySchema = z
  .object({
    id: z.number().int(),
    label: z.string(),
    shown: z.string().describe('The first 12 characters and the last 4; never the key.'),
    scopes: z.array(z.enum(scopes)),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    rolledFrom: z.number().int().nullable(),
    active: z.boolean().describe('Neither revoked nor expired.'),
  })
  .meta({ id: 'PartnerKey' });

const issuedKeySchema = partnerKeySchema
  .extend({ key: z.string().describe('The key itself: shown in this answer only.') })
  .meta({ id: 'IssuedPartnerKey' });

const usageDaySchema = z
  .object({
    day: z.iso.date(),
    requests: z.number().int(),
    checks: z.number().int(),
    reports: z.number().int(),
    refusals: z.number().int(),
  })
  .meta({ id: 'PartnerUsageDay' });

const partnerDetailsSchema = partnerSchema
  .extend({
    keys: z.array(partnerKeySchema),
    usage: z.array(usageDaySchema).describe('The last 30 days, oldest first.'),
  })
  .meta({ id: 'PartnerDetails' });

const limitsFields = {
  perMinute: z.number().int().min(1).optional().describe('Requests per minute, per key.'),
  perDay: z.number().int().min(1).optional().describe('Accounts checked per day, per key.'),
  providerCodes: z
    .array(z.string().max(20))
    .max(50)
    .optional()
    .describe('For banks and e-wallets: the provider codes the partner holds.'),
};

const partnerParams = z.object({ id: rowId() });
const keyParams = z.object({ id: rowId(), keyId: rowId() });

function iso(at: Date | null): string | null {
  return at?.toISOString() ?? null;
}

function toPartnerBody(p: Partner): z.infer<typeof partnerSchema> {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    contactEmail: p.contactEmail,
    perMinute: p.perMinute,
    perDay: p.perDay,
    providerCodes: [...p.providerCodes],
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

function toKeyBody(k: PartnerKey): z.infer<typeof partnerKeySchema> {
  return {
    id: k.id,
    label: k.label,
    shown: k.shown,
    scopes: [...k.scopes],
    createdAt: k.createdAt.toISOString(),
    expiresAt: iso(k.expiresAt),
    revokedAt: iso(k.revokedAt),
    lastUsedAt: iso(k.lastUsedAt),
    rolledFrom: k.rolledFrom,
    active: k.active,
  };
}

function toIssuedBody(issued: IssuedKey): z.infer<typeof issuedKeySchema> {
  return { ...toKeyBody(issued.key), key: issued.secret };
}

function toUsageBody(u: UsageDay): z.infer<typeof usageDaySchema> {
  return { ...u };
}

const ownPartnerSchema = z
  .object({
    partner: z.object({ id: z.number().int(), name: z.string(), kind: z.enum(partnerKinds) }),
    key: z.object({
      id: z.number().int(),
      label: z.string(),
      shown: z.string(),
      scopes: z.array(z.enum(scopes)),
      createdAt: z.iso.datetime(),
      expiresAt: z.iso.datetime().nullable(),
    }),
    limits: z.object({ perMinute: z.number().int(), perDay: z.number().int() }),
    usage: z.object({
      today: z.object({
        requests: z.number().int(),
        checks: z.number().int(),
        reports: z.number().int(),
      }),
    }),
  })
  .meta({ id: 'OwnPartner' });

/** `GET /api/v1/partner`: who the key belongs to, its limits and today's usage. */
export const partnerSelfRoutes: FastifyPluginAsync<PartnersRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { partners } = options;

  app.get(
    '/api/v1/partner',
    {
      preHandler: requireKey(partners, 'any'),
      schema: {
        tags,
        summary: 'The calling key: its partner, scopes, limits and usage today',
        description:
          'Any scope. `Authorization: Bearer ckr_live_…`. Unknown, revoked and expired keys: ' +
          '`401 invalid_api_key`.',
        response: { 200: ownPartnerSchema, 401: problemSchema, 403: problemSchema },
      },
    },
    async (request) => {
      const principal = keyPrincipalOf(request);
      const today = await partners.usageToday(principal);
      return {
        partner: {
          id: principal.partner.id,
          name: principal.partner.name,
          kind: principal.partner.kind,
        },
        key: {
          id: principal.keyId,
          label: principal.label,
          shown: principal.shown,
          scopes: [...principal.scopes],
          createdAt: principal.createdAt.toISOString(),
          expiresAt: iso(principal.expiresAt),
        },
        limits: { ...principal.limits },
        usage: {
          today: { requests: today.requests, checks: today.checks, reports: today.reports },
        },
      };
    },
  );
  return Promise.resolve();
};

/** The admin's API: partners, their keys (issue, roll, revoke) and their usage. */
export const partnersAdminRoutes: FastifyPluginAsync<PartnersRoutesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { partners } = options;

  app.post(
    '/api/v1/admin/partners',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Add a partner',
        body: z.object({
          name: z.string().max(200),
          kind: z.enum(partnerKinds),
          contactEmail: z.string().max(320),
          ...limitsFields,
        }),
        response: { 201: partnerSchema, ...adminProblems },
      },
    },
    async (request, reply) => {
      const partner = await partners.createPartner(request.body, actorOf(request));
      return reply.code(201).send(toPartnerBody(partner));
    },
  );

  app.get(
    '/api/v1/admin/partners',
    {
      config: manage,
      schema: {
        tags,
        summary: 'All partners',
        response: { 200: z.object({ partners: z.array(partnerSchema) }), ...adminProblems },
      },
    },
    async () => ({ partners: (await partners.listPartners()).map(toPartnerBody) }),
  );

  app.get(
    '/api/v1/admin/partners/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'A partner, its keys (without secrets) and its usage per day for 30 days',
        params: partnerParams,
        response: { 200: partnerDetailsSchema, ...adminProblems },
      },
    },
    async (request) => {
      const details = await partners.partnerDetails(request.params.id);
      return {
        ...toPartnerBody(details.partner),
        keys: details.keys.map(toKeyBody),
        usage: details.usage.map(toUsageBody),
      };
    },
  );

  app.patch(
    '/api/v1/admin/partners/:id',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Change a partner’s name, contact, limits or provider codes',
        params: partnerParams,
        body: z.object({
          name: z.string().max(200).optional(),
          contactEmail: z.string().max(320).optional(),
          ...limitsFields,
        }),
        response: { 200: partnerSchema, ...adminProblems },
      },
    },
    async (request) =>
      toPartnerBody(
        await partners.updatePartner(request.params.id, request.body, actorOf(request)),
      ),
  );

  app.post(
    '/api/v1/admin/partners/:id/keys',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Issue a key; the key is in this answer only',
        params: partnerParams,
        body: z.object({
          label: z.string().max(100),
          scopes: z.array(z.enum(scopes)).min(1).max(8),
          expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
        }),
        response: { 201: issuedKeySchema, ...adminProblems },
      },
    },
    async (request, reply) => {
      const issued = await partners.issueKey(request.params.id, request.body, actorOf(request));
      return reply.code(201).send(toIssuedBody(issued));
    },
  );

  app.post(
    '/api/v1/admin/partners/:id/keys/:keyId/roll',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Replace a key: a new one with the same scopes; the old one works a while longer',
        description:
          '`expireOldInSeconds`: how long the old key keeps working (default 86,400; `0` = now). ' +
          'A revoked or expired key cannot be rolled: `409 already_decided`.',
        params: keyParams,
        body: z
          .object({ expireOldInSeconds: z.number().int().min(0).max(7_776_000).optional() })
          .optional(),
        response: { 201: issuedKeySchema, ...adminProblems, 409: problemSchema },
      },
    },
    async (request, reply) => {
      const { id, keyId } = request.params;
      const issued = await partners.rollKey(id, keyId, request.body ?? {}, actorOf(request));
      return reply.code(201).send(toIssuedBody(issued));
    },
  );

  app.delete(
    '/api/v1/admin/partners/:id/keys/:keyId',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Revoke a key: it fails at once, on every process',
        params: keyParams,
        response: { 204: z.null(), ...adminProblems },
      },
    },
    async (request, reply) => {
      const { id, keyId } = request.params;
      await partners.revokeKey(id, keyId, actorOf(request));
      return reply.code(204).send(null);
    },
  );
  return Promise.resolve();
};
