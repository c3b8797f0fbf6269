// The operators' API for a session: sign-in with TOTP, enrolment, the
// password change, and sign-out (here and everywhere).
import type { SessionsService, IssuedSession } from './sessions.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { limitedBy } from '../http/replies.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { clearSessionCookie, clientOf, setSessionCookie } from '../backoffice/auth.ts';
import { safeString } from '../shared/text-input.ts';
import { permissionsOf } from './policy.ts';
import { operatorSchema, problems, toOperatorBody } from './operators.http.ts';

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

export interface SessionRoutesOptions {
  readonly sessions: SessionsService;
  /** Sign-in attempts per client (undefined when off). */
  readonly signInLimiter: RateLimiter | undefined;
}

export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { sessions } = options;
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

  return Promise.resolve();
};
