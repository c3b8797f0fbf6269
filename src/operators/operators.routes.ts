// The operators' API: operator management (with the second admin's approval
// when OPERATOR_CHANGE_APPROVAL is on) and the change requests themselves.
// operatorsRoutes registers it with the session, dashboard and audit routes,
// in that order (the order of the OpenAPI document).
import type { OperatorsService, OperatorChange } from './operators.service.ts';
import type { OperatorChangesService, Submitted } from './operator-changes.service.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { actorOf } from '../backoffice/auth.ts';
import { optionalMultiLineText, safeString } from '../shared/text-input.ts';
import { changeStatuses } from './operator-changes.service.ts';
import {
  changeRequestSchema,
  idParams,
  operatorSchema,
  pendingBody,
  problems,
  toChangeRequestBody,
  toOperatorBody,
} from './operators.http.ts';
import { sessionRoutes, type SessionRoutesOptions } from './sessions.routes.ts';
import { dashboardRoutes, type DashboardRoutesOptions } from './dashboard.routes.ts';
import { auditRoutes, type AuditRoutesOptions } from './audit.routes.ts';

export interface OperatorManagementRoutesOptions {
  readonly operators: OperatorsService;
  readonly operatorChanges: OperatorChangesService;
}

export const operatorManagementRoutes: FastifyPluginAsync<OperatorManagementRoutesOptions> = (
  fastify,
  options,
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { operators, operatorChanges } = options;

  app.get(
    '/api/v1/admin/operators',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'All operators',
        response: { 200: z.object({ operators: z.array(operatorSchema) }), ...problems },
      },
    },
    async () => ({ operators: (await operators.list()).map(toOperatorBody) }),
  );

  app.post(
    '/api/v1/admin/operators',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'Create an operator; the one-time password is shown once',
        description:
          'With OPERATOR_CHANGE_APPROVAL on, answers `202` with the pending request: ' +
          'a second admin approves it (POST /api/v1/admin/operator-changes/{id}/decision) ' +
          'and is shown the one-time password. `409 already_pending` if the same is pending.',
        body: z.object({
          email: safeString().max(320),
          roles: z.array(safeString().max(40)).max(10),
        }),
        response: {
          201: z.object({ operator: operatorSchema, oneTimePassword: z.string() }),
          202: pendingBody,
          ...problems,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { email, roles: asked } = request.body;
      const submitted = await operatorChanges.submit(
        { kind: 'create', email, roles: asked },
        actorOf(request),
      );
      if (submitted.state === 'pending') return sendPending(reply, submitted);
      return reply.code(201).send({
        operator: toOperatorBody(submitted.operator),
        oneTimePassword: submitted.oneTimePassword!,
      });
    },
  );

  function sendPending(reply: FastifyReply, submitted: Extract<Submitted, { state: 'pending' }>) {
    return reply.code(202).send({ request: toChangeRequestBody(submitted.request) });
  }

  const change = {
    params: idParams,
    response: {
      200: z.object({ operator: operatorSchema }),
      ...problems,
      404: problemSchema,
    },
  };
  const approvable = {
    ...change,
    description:
      'With OPERATOR_CHANGE_APPROVAL on, answers `202` with the pending request; ' +
      'it takes effect when a second admin approves it. `409 already_pending` if the same is pending.',
    response: { ...change.response, 202: pendingBody, 409: problemSchema },
  };

  /** Submits a change; answers the operator after it, or 202 with the pending request. */
  async function submitChange(
    request: FastifyRequest,
    reply: FastifyReply,
    operatorChange: OperatorChange,
  ) {
    const submitted = await operatorChanges.submit(operatorChange, actorOf(request));
    if (submitted.state === 'pending') return sendPending(reply, submitted);
    return reply.send({ operator: toOperatorBody(submitted.operator) });
  }

  app.post(
    '/api/v1/admin/operators/:id/disable',
    {
      config: { permission: 'operators.manage' },
      schema: { tags: ['operators'], summary: 'Disable an operator', ...change },
    },
    async (request) => ({
      operator: toOperatorBody(
        await operators.disable({ id: request.params.id }, actorOf(request)),
      ),
    }),
  );

  app.post(
    '/api/v1/admin/operators/:id/enable',
    {
      config: { permission: 'operators.manage' },
      schema: { tags: ['operators'], summary: 'Enable an operator again', ...approvable },
    },
    (request, reply) =>
      submitChange(request, reply, { kind: 'enable', operatorId: request.params.id }),
  );

  app.put(
    '/api/v1/admin/operators/:id/roles',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: "Replace an operator's roles",
        ...approvable,
        body: z.object({ roles: z.array(safeString().max(40)).max(10) }),
      },
    },
    (request, reply) =>
      submitChange(request, reply, {
        kind: 'roles',
        operatorId: request.params.id,
        roles: request.body.roles,
      }),
  );

  app.post(
    '/api/v1/admin/operators/:id/password-reset',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'Issue a new one-time password (shown once)',
        description: approvable.description,
        params: idParams,
        response: {
          200: z.object({ oneTimePassword: z.string() }),
          202: pendingBody,
          ...problems,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const submitted = await operatorChanges.submit(
        { kind: 'password_reset', operatorId: request.params.id },
        actorOf(request),
      );
      if (submitted.state === 'pending') return sendPending(reply, submitted);
      return reply.send({ oneTimePassword: submitted.oneTimePassword! });
    },
  );

  app.post(
    '/api/v1/admin/operators/:id/totp-reset',
    {
      config: { permission: 'operators.manage' },
      schema: { tags: ['operators'], summary: 'Make an operator enrol TOTP again', ...approvable },
    },
    (request, reply) =>
      submitChange(request, reply, { kind: 'totp_reset', operatorId: request.params.id }),
  );

  app.get(
    '/api/v1/admin/operator-changes',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'Operator changes waiting for (or decided by) a second admin, newest first',
        querystring: z.object({
          status: z.enum(changeStatuses).default('pending'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ requests: z.array(changeRequestSchema) }),
          ...problems,
        },
      },
    },
    async (request) => ({
      requests: (await operatorChanges.list([request.query.status], request.query.limit)).map(
        toChangeRequestBody,
      ),
    }),
  );

  app.get(
    '/api/v1/admin/operator-changes/:id',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'One operator change request',
        params: idParams,
        response: {
          200: z.object({ request: changeRequestSchema }),
          ...problems,
          404: problemSchema,
        },
      },
    },
    async (request) => ({
      request: toChangeRequestBody(await operatorChanges.get(request.params.id)),
    }),
  );

  app.post(
    '/api/v1/admin/operator-changes/:id/decision',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'Approve or reject an operator change (a second admin)',
        description:
          'Approved, the change takes effect at once; for `create` and `password_reset` the ' +
          'one-time password is in this answer, shown once, to the approver only. ' +
          '`403 four_eyes` for the requester, for an admin whose account the requester changed ' +
          '(or who changed theirs) within FOUR_EYES_INDEPENDENCE_DAYS, and for the operator the ' +
          'change is for. The requester may reject (withdraw) their own request. ' +
          '`409 already_decided` once decided.',
        params: idParams,
        body: z.object({
          decision: z.enum(['approve', 'reject']),
          reason: optionalMultiLineText(500),
        }),
        response: {
          200: z.object({
            request: changeRequestSchema,
            operator: operatorSchema.nullable(),
            oneTimePassword: z.string().nullable(),
          }),
          ...problems,
          404: problemSchema,
          409: problemSchema,
        },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const decided = await operatorChanges.decide(
        request.params.id,
        { approve: request.body.decision === 'approve', reason: request.body.reason || null },
        { ...actor, id: actor.id! },
      );
      return {
        request: toChangeRequestBody(decided.request),
        operator: decided.operator ? toOperatorBody(decided.operator) : null,
        oneTimePassword: decided.oneTimePassword,
      };
    },
  );

  return Promise.resolve();
};

/** The whole operators' API; registered by server/plugins.ts. */
export type OperatorsRoutesOptions = SessionRoutesOptions &
  OperatorManagementRoutesOptions &
  DashboardRoutesOptions &
  AuditRoutesOptions;

export const operatorsRoutes: FastifyPluginAsync<OperatorsRoutesOptions> = async (app, options) => {
  await app.register(sessionRoutes, options);
  await app.register(operatorManagementRoutes, options);
  await app.register(dashboardRoutes, options);
  await app.register(auditRoutes, options);
};
