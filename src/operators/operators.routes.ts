// The operators' API: sign-in with TOTP, enrolment, password change,
// sign-out (here and everywhere), operator management (with the second
// admin's approval when OPERATOR_CHANGE_APPROVAL is on), and the audit log.
import type { SessionsService } from './sessions.service.ts';
import type { OperatorsService } from './operators.service.ts';
import type { OperatorChangesService } from './operator-changes.service.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { DashboardService } from './dashboard.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { limitedBy } from '../http/replies.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problems.ts';
import { actorOf, clearSessionCookie, clientOf, setSessionCookie } from '../backoffice/auth.ts';
import { AppError } from '../shared/errors.ts';
import { operatorChangeActions } from '../audit/audit.events.ts';
import { optionalMultiLineText, rowId, safeString } from '../shared/text-input.ts';
import { allows, permissionsOf, roles } from './policy.ts';
import type { Operator, OperatorChange } from './operators.service.ts';
import {
  changeKinds,
  changeStatuses,
  type ChangeRequest,
  type Submitted,
} from './operator-changes.service.ts';
import type { IssuedSession } from './sessions.service.ts';

const operatorSchema = z
  .object({
    id: z.number().int(),
    email: z.string(),
    roles: z.array(z.enum(roles)),
    mustChangePassword: z.boolean(),
    totpEnrolled: z.boolean(),
    disabled: z.boolean(),
    locked: z.boolean(),
    lastSignInAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Operator' });

export function toOperatorBody(operator: Operator): z.infer<typeof operatorSchema> {
  return {
    id: operator.id,
    email: operator.email,
    roles: [...operator.roles],
    mustChangePassword: operator.mustChangePassword,
    totpEnrolled: operator.totpEnrolled,
    disabled: operator.disabled,
    locked: operator.locked,
    lastSignInAt: operator.lastSignInAt?.toISOString() ?? null,
    createdAt: operator.createdAt.toISOString(),
  };
}

const personSchema = z.object({ id: z.number().int(), email: z.string() });

const changeRequestSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(changeKinds),
    status: z.enum(changeStatuses),
    operatorId: z
      .number()
      .int()
      .nullable()
      .describe('The operator the change is for; for `create`, the new operator once approved.'),
    email: z.string().nullable(),
    roles: z.array(z.enum(roles)).nullable(),
    requestedBy: personSchema,
    requestedAt: z.iso.datetime(),
    decidedBy: personSchema.nullable(),
    decidedAt: z.iso.datetime().nullable(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'OperatorChangeRequest' });

export function toChangeRequestBody(r: ChangeRequest): z.infer<typeof changeRequestSchema> {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    operatorId: r.operatorId,
    email: r.email,
    roles: r.roles ? [...r.roles] : null,
    requestedBy: { ...r.requestedBy },
    requestedAt: r.requestedAt.toISOString(),
    decidedBy: r.decidedBy ? { ...r.decidedBy } : null,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    reason: r.reason,
  };
}

/** With OPERATOR_CHANGE_APPROVAL on, an operator change answers this instead. */
const pendingBody = z
  .object({ request: changeRequestSchema })
  .describe('The change waits for a second admin (OPERATOR_CHANGE_APPROVAL=on).');

const stageSchema = z
  .enum(['enrollment', 'password', 'full'])
  .describe(
    'What the session may do: finish enrolment, change the one-time password, or everything.',
  );

const sessionBody = z.object({
  stage: stageSchema,
  csrfToken: z.string().describe('Send it as X-CSRF-Token on every write.'),
  expiresAt: z.iso.datetime(),
});

const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 429: problemSchema };
const idParams = z.object({ id: rowId() });

export interface OperatorsRoutesOptions {
  readonly sessions: SessionsService;
  readonly operators: OperatorsService;
  readonly operatorChanges: OperatorChangesService;
  readonly audit: AuditService;
  readonly dashboard: DashboardService;
  /** Sign-in attempts per client (undefined when off). */
  readonly signInLimiter: RateLimiter | undefined;
}

export const operatorsRoutes: FastifyPluginAsync<OperatorsRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { sessions, operators, operatorChanges, audit, dashboard } = options;
  const signInLimit = limitedBy(options.signInLimiter);

  function issue(request: FastifyRequest, reply: FastifyReply, session: IssuedSession) {
    setSessionCookie(request, reply, session);
    return {
      stage: session.stage,
      csrfToken: sessions.csrfToken(session.token),
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  app.post(
    '/api/v1/admin/session',
    {
      config: { signIn: true },
      onRequest: signInLimit,
      schema: {
        tags: ['operators'],
        summary: 'Sign in with e-mail, password and TOTP',
        description:
          'An operator without TOTP yet gets `enrollment` and a session that can only finish it ' +
          '(POST /api/v1/admin/totp). Wrong credentials and an unknown e-mail answer the same.',
        body: z.object({
          email: safeString().max(320),
          password: safeString().max(1024),
          totp: safeString().max(12).optional(),
        }),
        response: {
          200: sessionBody.extend({
            operator: operatorSchema,
            enrollment: z.object({ otpauthUrl: z.string(), secret: z.string() }).optional(),
          }),
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const result = await sessions.signIn(request.body, clientOf(request));
      const body = {
        ...issue(request, reply, result.session),
        operator: toOperatorBody(result.operator),
      };
      return result.kind === 'enrollment'
        ? { ...body, enrollment: { otpauthUrl: result.otpauthUrl, secret: result.secret } }
        : body;
    },
  );

  app.get(
    '/api/v1/admin/session',
    {
      config: { permission: 'session', stages: ['enrollment', 'password', 'full'] },
      schema: {
        tags: ['operators'],
        summary: 'The current session, its CSRF token and permissions',
        response: {
          200: z.object({
            operator: operatorSchema,
            stage: stageSchema,
            csrfToken: z.string(),
            expiresAt: z.iso.datetime(),
            permissions: z.array(z.string()),
          }),
          401: problemSchema,
        },
      },
    },
    (request) => {
      const session = request.operatorSession!;
      return {
        operator: toOperatorBody(session.operator),
        stage: session.stage,
        csrfToken: sessions.csrfToken(request.cookies.cekrek_session!),
        expiresAt: session.expiresAt.toISOString(),
        permissions: session.stage === 'full' ? permissionsOf(session.operator.roles) : [],
      };
    },
  );

  app.delete(
    '/api/v1/admin/session',
    {
      config: { permission: 'session', stages: ['enrollment', 'password', 'full'] },
      schema: {
        tags: ['operators'],
        summary: 'Sign out',
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await sessions.signOut(request.operatorSession!, clientOf(request));
      clearSessionCookie(request, reply);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/api/v1/admin/sessions',
    {
      config: { permission: 'session', stages: ['enrollment', 'password', 'full'] },
      schema: {
        tags: ['operators'],
        summary: 'Sign out everywhere (every session of this operator)',
        response: { 200: z.object({ ended: z.number().int() }), ...problems },
      },
    },
    async (request, reply) => {
      const ended = await sessions.signOutEverywhere(request.operatorSession!, clientOf(request));
      clearSessionCookie(request, reply);
      return { ended };
    },
  );

  app.post(
    '/api/v1/admin/totp',
    {
      config: { permission: 'session', stages: ['enrollment'] },
      schema: {
        tags: ['operators'],
        summary: 'Finish TOTP enrolment with a code from the authenticator',
        body: z.object({ code: safeString().max(12) }),
        response: { 200: sessionBody, ...problems },
      },
    },
    async (request, reply) => {
      const session = await sessions.enrollTotp(
        request.operatorSession!,
        request.body.code,
        clientOf(request),
      );
      return issue(request, reply, session);
    },
  );

  app.post(
    '/api/v1/admin/password',
    {
      config: { permission: 'session', stages: ['password', 'full'] },
      schema: {
        tags: ['operators'],
        summary: 'Change your own password (ends your other sessions)',
        body: z.object({
          currentPassword: safeString().max(1024),
          newPassword: safeString().max(1024),
        }),
        response: { 200: sessionBody, ...problems },
      },
    },
    async (request, reply) => {
      const session = await sessions.changePassword(
        request.operatorSession!,
        request.body,
        clientOf(request),
      );
      return issue(request, reply, session);
    },
  );

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

  const operatorChangesSchema = z.object({
    days: z.number().int().describe('The period shown (FOUR_EYES_INDEPENDENCE_DAYS).'),
    since: z.iso.datetime(),
    total: z.number().int().describe('Changes in the period; `recent` has the newest.'),
    pendingApprovals: z.number().int(),
    recent: z.array(
      z.object({
        seq: z.number().int().describe('The audit entry'),
        at: z.iso.datetime(),
        action: z.enum(operatorChangeActions),
        by: z.string(),
        requestedBy: z.string().nullable(),
        operator: z.object({ id: z.number().int(), email: z.string().nullable() }).nullable(),
      }),
    ),
  });

  const queueSchema = z.object({
    submitted: z.number().int(),
    inReview: z.number().int(),
    overdue: z.number().int(),
  });

  app.get(
    '/api/v1/admin/dashboard',
    {
      config: { permission: 'dashboard.view' },
      schema: {
        tags: ['operators'],
        summary: 'Queue counts: submitted, in review and overdue',
        description:
          'Admins also get `operatorChanges`: the recent changes to operator accounts ' +
          '(created, enabled, reset, roles changed), and how many wait for a second admin.',
        response: {
          200: z.object({
            reports: queueSchema,
            registrations: queueSchema,
            normalizations: queueSchema,
            operatorChanges: operatorChangesSchema.optional(),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const figures = await dashboard.load();
      if (!allows(request.operatorSession!.operator.roles, 'operators.manage')) return figures;
      const warnings = await dashboard.operatorChangeWarnings();
      return {
        ...figures,
        operatorChanges: {
          days: warnings.days,
          since: warnings.since.toISOString(),
          total: warnings.total,
          pendingApprovals: warnings.pendingApprovals,
          recent: warnings.recent.map((w) => ({
            seq: w.seq,
            at: w.at.toISOString(),
            action: w.action,
            by: w.by,
            requestedBy: w.requestedBy,
            operator: w.operatorId === null ? null : { id: w.operatorId, email: w.operatorEmail },
          })),
        },
      };
    },
  );

  const auditEntrySchema = z
    .object({
      seq: z.number().int(),
      at: z.iso.datetime(),
      actor: z.object({ type: z.string(), id: z.number().int().nullable(), label: z.string() }),
      action: z.string(),
      subject: z.object({ type: z.string(), id: z.string() }).nullable(),
      ip: z.string().nullable(),
      outcome: z.string(),
      details: z.record(z.string(), z.unknown()),
      hash: z.string(),
    })
    .meta({ id: 'AuditEntry' });

  app.get(
    '/api/v1/admin/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['operators'],
        summary: 'The audit log, newest first',
        querystring: z.object({
          actor: rowId().optional().describe('Operator id'),
          action: safeString().max(60).optional(),
          operatorChanges: z
            .enum(['true', 'false'])
            .optional()
            .describe('`true`: only changes to operator accounts (created, enabled, reset, roles)'),
          subjectType: safeString().max(40).optional(),
          subjectId: safeString().max(100).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Entries before this seq (paging)'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ entries: z.array(auditEntrySchema), next: z.number().int().nullable() }),
          ...problems,
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.from && q.to && new Date(q.from) > new Date(q.to)) {
        throw new AppError('validation_failed', {
          errors: [{ field: 'from', reason: 'audit.range_invalid' }],
        });
      }
      const entries = await audit.list({
        actorId: q.actor,
        action: q.action,
        actions: q.operatorChanges === 'true' ? operatorChangeActions : undefined,
        subjectType: q.subjectType,
        subjectId: q.subjectId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        before: q.before,
        limit: q.limit,
      });
      await audit.recordAlone({
        actor: actorOf(request),
        action: 'audit.viewed',
        ip: request.ip,
        details: Object.fromEntries(
          Object.entries(q)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
      });
      return {
        entries: entries.map((e) => ({
          seq: e.seq,
          at: e.at.toISOString(),
          actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
          action: e.action,
          subject: e.subjectType && e.subjectId ? { type: e.subjectType, id: e.subjectId } : null,
          ip: e.ip,
          outcome: e.outcome,
          details: { ...e.details },
          hash: e.hash,
        })),
        next: entries.length === q.limit ? (entries.at(-1)?.seq ?? null) : null,
      };
    },
  );

  return Promise.resolve();
};
