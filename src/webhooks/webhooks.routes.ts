// The partner's webhook endpoints (scope `watch`): create (the secret in that
// answer only), list, delete, rotate the secret, the last deliveries with
// every attempt, a manual retry, and a ping on request. Another partner's
// endpoint is not found.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import {
  webhookEvents,
  type CreatedEndpoint,
  type Delivery,
  type Endpoint,
  type WebhookActor,
  type WebhooksService,
} from './webhooks.service.ts';
import { maxUrlLength } from './url-safety.ts';

export interface WebhooksRoutesOptions {
  readonly webhooks: WebhooksService;
  /** Admits a partner's key with scope `watch`. */
  readonly requireWatchKey: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** The partner the request was admitted for, and how the audit log names the caller. */
  readonly callerOf: (request: FastifyRequest) => { partnerId: number; actor: WebhookActor };
}

const tags = ['partners'];
const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  429: problemSchema,
};

const endpointIdSchema = z.string().regex(/^we_[a-z2-7]{1,64}$/);
const deliveryIdSchema = z.string().regex(/^msg_[A-Za-z0-9]{1,64}$/);
const endpointParams = z.object({ id: endpointIdSchema });
const deliveryParams = z.object({ id: endpointIdSchema, deliveryId: deliveryIdSchema });

const endpointSchema = z
  .object({
    id: z.string().describe('`we_…`'),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: z.iso.datetime(),
    state: z.enum(['enabled', 'disabled']),
    disabledAt: z.iso.datetime().nullable(),
    disabledReason: z
      .enum(['gone', 'failing', 'partner'])
      .nullable()
      .describe('`gone`: it answered 410; `failing`: every attempt failed for 5 days.'),
    failingSince: z.iso
      .datetime()
      .nullable()
      .describe('The first failure of the current run of failures; null after a success.'),
    previousSecretUntil: z.iso
      .datetime()
      .nullable()
      .describe('Until when the secret a rotation replaced still signs alongside the new one.'),
  })
  .meta({ id: 'WebhookEndpoint' });

const createdEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    secret: z.string().describe('`whsec_…`: in this answer only.'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'CreatedWebhookEndpoint' });

const attemptSchema = z
  .object({
    at: z.iso.datetime(),
    statusCode: z
      .number()
      .int()
      .nullable()
      .describe('Null when no answer came (timeout, refused).'),
    latencyMs: z.number().int(),
    error: z
      .string()
      .nullable()
      .describe('Why it failed, in a few words; never the answer’s body.'),
  })
  .meta({ id: 'WebhookAttempt' });

const deliverySchema = z
  .object({
    id: z.string().describe('The `webhook-id` header: `msg_…`, the same on every attempt.'),
    eventType: z.string(),
    state: z.enum(['pending', 'delivered', 'failed']),
    createdAt: z.iso.datetime(),
    deliveredAt: z.iso.datetime().nullable(),
    nextAttemptAt: z.iso.datetime().nullable(),
    attempts: z.array(attemptSchema),
  })
  .meta({ id: 'WebhookDelivery' });

function iso(at: Date | null): string | null {
  return at?.toISOString() ?? null;
}

function toEndpointBody(e: Endpoint): z.infer<typeof endpointSchema> {
  return {
    id: e.id,
    url: e.url,
    events: [...e.events],
    createdAt: e.createdAt.toISOString(),
    state: e.state,
    disabledAt: iso(e.disabledAt),
    disabledReason: e.disabledReason,
    failingSince: iso(e.failingSince),
    previousSecretUntil: iso(e.previousSecretUntil),
  };
}

function toCreatedBody(e: CreatedEndpoint): z.infer<typeof createdEndpointSchema> {
  return {
    id: e.id,
    url: e.url,
    events: [...e.events],
    secret: e.secret,
    createdAt: e.createdAt.toISOString(),
  };
}

function toDeliveryBody(d: Delivery): z.infer<typeof deliverySchema> {
  return {
    id: d.id,
    eventType: d.eventType,
    state: d.state,
    createdAt: d.createdAt.toISOString(),
    deliveredAt: iso(d.deliveredAt),
    nextAttemptAt: iso(d.nextAttemptAt),
    attempts: d.attempts.map((a) => ({
      at: a.at.toISOString(),
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
    })),
  };
}

export const webhooksRoutes: FastifyPluginAsync<WebhooksRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { webhooks, requireWatchKey, callerOf } = options;
  const base = '/api/v1/partner/webhooks';

  app.post(
    base,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Register a webhook endpoint; its signing secret is in this answer only',
        description:
          'The URL must be `https://` and must not name or resolve to a loopback, private, ' +
          'link-local or otherwise non-public address (`400 invalid_webhook_url`), unless the ' +
          'operator set `WEBHOOK_ALLOW_PRIVATE=on`. It is checked again at every delivery, and ' +
          'redirects are never followed.',
        body: z.object({
          url: z.string().max(maxUrlLength),
          events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length),
        }),
        response: { 201: createdEndpointSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { partnerId, actor } = callerOf(request);
      const created = await webhooks.create(partnerId, request.body, actor);
      return reply.code(201).send(toCreatedBody(created));
    },
  );

  app.get(
    base,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'The partner’s webhook endpoints (without their secrets)',
        response: { 200: z.object({ webhooks: z.array(endpointSchema) }), ...problems },
      },
    },
    async (request) => ({
      webhooks: (await webhooks.list(callerOf(request).partnerId)).map(toEndpointBody),
    }),
  );

  app.delete(
    `${base}/:id`,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Delete a webhook endpoint; its pending deliveries are not sent',
        params: endpointParams,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const { partnerId, actor } = callerOf(request);
      await webhooks.delete(partnerId, request.params.id, actor);
      return reply.code(204).send(null);
    },
  );

  app.post(
    `${base}/:id/rotate`,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'A new signing secret; the old one signs alongside it for 24 hours',
        description:
          'While the old secret still signs, `webhook-signature` carries two signatures, ' +
          'space-separated: a receiver verifies with either secret.',
        params: endpointParams,
        response: { 200: createdEndpointSchema, ...problems },
      },
    },
    async (request) => {
      const { partnerId, actor } = callerOf(request);
      return toCreatedBody(await webhooks.rotate(partnerId, request.params.id, actor));
    },
  );

  app.get(
    `${base}/:id/deliveries`,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'The last 50 deliveries to the endpoint, newest first, with every attempt',
        params: endpointParams,
        response: { 200: z.object({ deliveries: z.array(deliverySchema) }), ...problems },
      },
    },
    async (request) => ({
      deliveries: (await webhooks.deliveries(callerOf(request).partnerId, request.params.id)).map(
        toDeliveryBody,
      ),
    }),
  );

  app.post(
    `${base}/:id/deliveries/:deliveryId/retry`,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Send a delivery again now, a failed one too (same webhook-id)',
        description: 'A disabled endpoint sends nothing: `409 already_decided`.',
        params: deliveryParams,
        response: { 202: deliverySchema, ...problems },
      },
    },
    async (request, reply) => {
      const { partnerId, actor } = callerOf(request);
      const { id, deliveryId } = request.params;
      const delivery = await webhooks.retry(partnerId, id, deliveryId, actor);
      return reply.code(202).send(toDeliveryBody(delivery));
    },
  );

  app.post(
    `${base}/:id/ping`,
    {
      preHandler: requireWatchKey,
      schema: {
        tags,
        summary: 'Send a `ping` event to the endpoint',
        description:
          'The body is `{ "type": "ping", "timestamp", "data": { "endpointId" } }`, signed as ' +
          'every event. Follow it with the deliveries list.',
        params: endpointParams,
        response: { 202: z.object({ deliveryId: z.string() }), ...problems },
      },
    },
    async (request, reply) => {
      const { partnerId } = callerOf(request);
      const deliveryId = await webhooks.ping(partnerId, request.params.id);
      return reply.code(202).send({ deliveryId });
    },
  );

  return Promise.resolve();
};
