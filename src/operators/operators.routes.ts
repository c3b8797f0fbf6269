// The operators' API: sign-in with TOTP, enrolment, password change,
// sign-out (here and everywhere), operator management, and the audit log.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema } from '../http/problems.ts';
import { actorOf, clearSessionCookie, clientOf, setSessionCookie } from '../http/auth.ts';
import { AppError } from '../shared/errors.ts';
import { rowId, safeString } from '../shared/text-input.ts';
import { permissionsOf, roles } from './policy.ts';
import type { Operator } from './operators.service.ts';
import { loadDashboard } from './dashboard.service.ts';
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

export const operatorsRoutes: FastifyPluginAsync = (fastify) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { sessions, operators, audit } = app.deps.services;
  const signInLimit = app.signInRateLimit ? [app.signInRateLimit] : [];

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
        body: z.object({
          email: safeString().max(320),
          roles: z.array(safeString().max(40)).max(10),
        }),
        response: {
          201: z.object({ operator: operatorSchema, oneTimePassword: z.string() }),
          ...problems,
          409: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const { operator, oneTimePassword } = await operators.create(request.body, actorOf(request));
      return reply
        .code(201)
        .send({ operator: toOperatorBody(operator), oneTimePassword: oneTimePassword! });
    },
  );

  const change = {
    params: idParams,
    response: { 200: z.object({ operator: operatorSchema }), ...problems, 404: problemSchema },
  };

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
      schema: { tags: ['operators'], summary: 'Enable an operator again', ...change },
    },
    async (request) => ({
      operator: toOperatorBody(await operators.enable({ id: request.params.id }, actorOf(request))),
    }),
  );

  app.put(
    '/api/v1/admin/operators/:id/roles',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: "Replace an operator's roles",
        ...change,
        body: z.object({ roles: z.array(safeString().max(40)).max(10) }),
      },
    },
    async (request) => ({
      operator: toOperatorBody(
        await operators.setRoles({ id: request.params.id }, request.body.roles, actorOf(request)),
      ),
    }),
  );

  app.post(
    '/api/v1/admin/operators/:id/password-reset',
    {
      config: { permission: 'operators.manage' },
      schema: {
        tags: ['operators'],
        summary: 'Issue a new one-time password (shown once)',
        params: idParams,
        response: {
          200: z.object({ oneTimePassword: z.string() }),
          ...problems,
          404: problemSchema,
        },
      },
    },
    async (request) => ({
      oneTimePassword: await operators.resetPassword({ id: request.params.id }, actorOf(request)),
    }),
  );

  app.post(
    '/api/v1/admin/operators/:id/totp-reset',
    {
      config: { permission: 'operators.manage' },
      schema: { tags: ['operators'], summary: 'Make an operator enrol TOTP again', ...change },
    },
    async (request) => ({
      operator: toOperatorBody(
        await operators.resetTotp({ id: request.params.id }, actorOf(request)),
      ),
    }),
  );

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
        response: {
          200: z.object({
            reports: queueSchema,
            registrations: queueSchema,
            normalizations: queueSchema,
          }),
          ...problems,
        },
      },
    },
    () =>
      loadDashboard(app.deps.database, app.deps.clock, app.deps.config.normalizationDecisionDays),
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
