// Signing in to the back office as pages: the sign-in form (with a
// double-submit token against login CSRF), TOTP enrolment with a QR code,
// the password change, and signing out (here or everywhere).
import { formErrorsOf } from '../backoffice/form-errors.ts';
import type { SessionsService } from './sessions.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { limitedBy } from '../http/replies.ts';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  clearSessionCookie,
  clientOf,
  sessionCookie,
  setSessionCookie,
} from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { isAppError } from '../shared/errors.ts';
import { problemDetail, t } from '../shared/messages.ts';
import {
  backOfficeContext,
  redirectTo,
  sendBackOfficePage,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, pathForStage, signInPath } from '../backoffice/paths.ts';
import {
  clearSignInToken,
  enrollmentBody,
  issueSignInToken,
  nextOf,
  noticeOf,
  passwordBody,
  signInBody,
  signInErrors,
  signInNotices,
  signInTokenMatches,
  type SignInFailure,
} from './signin.form.ts';
import { EnrollmentPage, PasswordPage, qrCodeSrc, SignInPage } from './signin.views.tsx';

/**
 * Sends the sign-in form with a fresh double-submit token: on GET, after a
 * failed attempt (e-mail kept, password never), and from the error path for
 * what fails before the handler runs (rate limit, malformed body).
 */
export function sendSignInPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { status?: number; email?: string; failure?: SignInFailure | null } = {},
): FastifyReply {
  const ctx = backOfficeContext(request);
  const token = issueSignInToken(request, reply);
  const errors = signInErrors(ctx, options.failure ?? null);
  const title = t(ctx.lang, 'admin.signIn.title');
  const notice = noticeOf(signInNotices, request);
  return sendBackOfficePage(
    reply,
    ctx,
    {
      title: errors.length > 0 ? t(ctx.lang, 'home.errors.pageTitle', { title }) : title,
      status: options.status ?? 200,
    },
    <SignInPage
      ctx={ctx}
      email={(options.email ?? '').slice(0, 320)}
      token={token}
      next={nextOf(request)}
      errors={errors}
      notice={notice ? t(ctx.lang, notice) : null}
    />,
  );
}

async function sendEnrollmentPage(
  sessions: SessionsService,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { status?: number; errors?: readonly FormError[] } = {},
): Promise<FastifyReply> {
  const ctx = backOfficeContext(request);
  const { otpauthUrl, secret } = await sessions.pendingEnrollment(request.operatorSession!);
  const qrSrc = await qrCodeSrc(otpauthUrl);
  return sendBackOfficePage(
    reply,
    ctx,
    {
      title: t(ctx.lang, 'admin.totp.title'),
      status: options.status ?? 200,
      switchPath: adminPaths.totp,
    },
    <EnrollmentPage ctx={ctx} qrSrc={qrSrc} secret={secret} errors={options.errors ?? []} />,
  );
}

function sendPasswordPage(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { status?: number; errors?: readonly FormError[] } = {},
): FastifyReply {
  const ctx = backOfficeContext(request);
  return sendBackOfficePage(
    reply,
    ctx,
    {
      title: t(ctx.lang, 'admin.password.title'),
      status: options.status ?? 200,
      switchPath: adminPaths.password,
    },
    <PasswordPage ctx={ctx} errors={options.errors ?? []} />,
  );
}

// ---------------------------------------------------------------------------
// Routes

export interface SignInPagesOptions {
  readonly sessions: SessionsService;
  /** Sign-in attempts per client (undefined when off). */
  readonly signInLimiter: RateLimiter | undefined;
}

export const signInPages: FastifyPluginAsync<SignInPagesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { sessions } = options;
  const signInLimit = limitedBy(options.signInLimiter);
  const allStages = ['enrollment', 'password', 'full'] as const;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    adminPaths.signIn,
    { config: { signIn: true, page: true }, schema: { hide: true } },
    async (request, reply) => {
      // Already signed in: straight on to where this session stands.
      const session = await sessions.authenticate(request.cookies[sessionCookie]);
      if (session) {
        return redirectTo(
          reply,
          backOfficeContext(request),
          pathForStage(session.stage, nextOf(request)),
        );
      }
      return sendSignInPage(request, reply);
    },
  );

  app.post(
    adminPaths.signIn,
    {
      config: { signIn: true, page: true },
      onRequest: signInLimit,
      schema: {
        hide: true,
        body: signInBody,
      },
    },
    async (request, reply) => {
      const { email = '', password = '', totp, _csrf } = request.body;
      if (!signInTokenMatches(request, _csrf)) {
        return sendSignInPage(request, reply, {
          status: 403,
          email,
          failure: { code: 'csrf_failed' },
        });
      }
      try {
        const result = await sessions.signIn(
          { email, password, totp: totp?.trim() || undefined },
          clientOf(request),
        );
        setSessionCookie(request, reply, result.session);
        clearSignInToken(request, reply);
        const ctx = backOfficeContext(request);
        return redirectTo(reply, ctx, pathForStage(result.session.stage, nextOf(request)));
      } catch (error) {
        if (
          isAppError(error) &&
          (error.code === 'invalid_credentials' || error.code === 'totp_required')
        ) {
          return sendSignInPage(request, reply, {
            status: 401,
            email,
            failure: { code: error.code },
          });
        }
        throw error;
      }
    },
  );

  app.get(
    adminPaths.totp,
    {
      config: { permission: 'session', stages: ['enrollment'], page: true },
      schema: { hide: true },
    },
    (request, reply) => sendEnrollmentPage(sessions, request, reply),
  );

  app.post(
    adminPaths.totp,
    {
      config: { permission: 'session', stages: ['enrollment'], page: true },
      schema: { hide: true, body: enrollmentBody },
    },
    async (request, reply) => {
      try {
        const issued = await sessions.enrollTotp(
          request.operatorSession!,
          request.body.code ?? '',
          clientOf(request),
        );
        setSessionCookie(request, reply, issued);
        const ctx = backOfficeContext(request);
        const target = pathForStage(issued.stage);
        return redirectTo(reply, ctx, issued.stage === 'full' ? `${target}?info=enrolled` : target);
      } catch (error) {
        if (isAppError(error) && error.code === 'totp_required') {
          const message = problemDetail(request.lang, 'totp_required');
          return sendEnrollmentPage(sessions, request, reply, {
            status: 400,
            errors: [{ field: 'code', message }],
          });
        }
        throw error;
      }
    },
  );

  app.get(
    adminPaths.password,
    {
      config: { permission: 'session', stages: ['password', 'full'], page: true },
      schema: { hide: true },
    },
    (request, reply) => sendPasswordPage(request, reply),
  );

  app.post(
    adminPaths.password,
    {
      config: { permission: 'session', stages: ['password', 'full'], page: true },
      schema: {
        hide: true,
        body: passwordBody,
      },
    },
    async (request, reply) => {
      const body = request.body;
      const input = {
        currentPassword: body.currentPassword ?? '',
        newPassword: body.newPassword ?? '',
      };
      // Checked first: a mistyped confirmation should not cost an argon2 round.
      if (input.newPassword !== (body.confirmPassword ?? '')) {
        const message = t(request.lang, 'admin.password.mismatch');
        return sendPasswordPage(request, reply, {
          status: 400,
          errors: [{ field: 'confirmPassword', message }],
        });
      }
      try {
        const issued = await sessions.changePassword(
          request.operatorSession!,
          input,
          clientOf(request),
        );
        setSessionCookie(request, reply, issued);
        const target = pathForStage(issued.stage);
        return redirectTo(reply, backOfficeContext(request), `${target}?info=password_changed`);
      } catch (error) {
        if (isAppError(error) && error.code === 'validation_failed') {
          return sendPasswordPage(request, reply, {
            status: 400,
            errors: formErrorsOf(backOfficeContext(request), error.errors),
          });
        }
        throw error;
      }
    },
  );

  app.post(
    adminPaths.signOut,
    { config: { permission: 'session', stages: allStages, page: true }, schema: { hide: true } },
    async (request, reply) => {
      await sessions.signOut(request.operatorSession!, clientOf(request));
      clearSessionCookie(request, reply);
      return redirectTo(reply, backOfficeContext(request), signInPath(null, 'signed_out'));
    },
  );

  app.post(
    adminPaths.signOutEverywhere,
    { config: { permission: 'session', stages: allStages, page: true }, schema: { hide: true } },
    async (request, reply) => {
      await sessions.signOutEverywhere(request.operatorSession!, clientOf(request));
      clearSessionCookie(request, reply);
      return redirectTo(
        reply,
        backOfficeContext(request),
        signInPath(null, 'signed_out_everywhere'),
      );
    },
  );

  return Promise.resolve();
};
