// Signing in to the back office as pages: the sign-in form (with a
// double-submit token against login CSRF), TOTP enrolment with a QR code,
// the password change, and signing out (here or everywhere).
import type { SessionsService } from './sessions.service.ts';
import type { RateLimiter } from '../shared/rate-limiter.ts';
import { limitedBy } from '../http/replies.ts';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import QRCode from 'qrcode';
import { z } from 'zod';
import { safeString } from '../shared/text-input.ts';
import {
  clearSessionCookie,
  clientOf,
  sessionCookie,
  setSessionCookie,
} from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import { href, translator, type PageContext } from '../http/layout.tsx';
import { isAppError, type ErrorCode } from '../shared/errors.ts';
import { problemDetail, problemTitle, t } from '../shared/messages.ts';
import { passwordRules } from './passwords.ts';
import {
  backOfficeContext,
  CsrfField,
  ErrorSummary,
  Field,
  fieldError,
  Notice,
  redirectTo,
  sendBackOfficePage,
  type BackOfficeContext,
  type FormError,
} from '../backoffice/layout.tsx';
import { adminPaths, pathForStage, safeNext, signInPath } from '../backoffice/paths.ts';
import { formErrorsOf } from '../backoffice/form-errors.ts';
import { unavailableRetrySeconds } from '../db/unavailable.ts';

// ---------------------------------------------------------------------------
// The double-submit token of the sign-in form

/**
 * Login CSRF: without a session there is no session-bound token, so the form
 * carries a random value that must equal a cookie only this site can set.
 * Another site can make a browser POST the form, but cannot read or set the cookie.
 */
export const signInCookie = 'cekrek_signin';
const signInTokenSeconds = 15 * 60;

function issueSignInToken(request: FastifyRequest, reply: FastifyReply): string {
  const token = randomBytes(32).toString('base64url');
  void reply.setCookie(signInCookie, token, {
    path: adminPaths.signIn,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: signInTokenSeconds,
  });
  return token;
}

function clearSignInToken(request: FastifyRequest, reply: FastifyReply) {
  void reply.clearCookie(signInCookie, {
    path: adminPaths.signIn,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

/** Compares digests, so the comparison takes the same time whatever the lengths. */
function signInTokenMatches(request: FastifyRequest, given: string | undefined): boolean {
  const expected = request.cookies[signInCookie];
  if (!expected || !given) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

// ---------------------------------------------------------------------------
// The sign-in page

/** Messages after a redirect to the sign-in page (`?info=`); anything else is ignored. */
const signInNotices = {
  signed_out: 'admin.signIn.info.signedOut',
  signed_out_everywhere: 'admin.signIn.info.signedOutEverywhere',
} as const;

function noticeOf<T extends Record<string, string>>(
  notices: T,
  request: FastifyRequest,
): T[keyof T] | null {
  const info = (request.query as Record<string, unknown> | undefined)?.info;
  return typeof info === 'string' && Object.hasOwn(notices, info)
    ? (notices[info] as T[keyof T])
    : null;
}

export interface SignInFailure {
  readonly code: ErrorCode;
  readonly params?: Readonly<Record<string, string | number>>;
}

function signInErrors(ctx: PageContext, failure: SignInFailure | null): FormError[] {
  if (!failure) return [];
  switch (failure.code) {
    case 'totp_required':
      return [{ field: 'totp', message: problemDetail(ctx.lang, 'totp_required') }];
    case 'invalid_credentials':
      return [{ field: 'password', message: problemDetail(ctx.lang, 'invalid_credentials') }];
    case 'csrf_failed':
      return [{ field: 'email', message: t(ctx.lang, 'admin.signIn.expired') }];
    case 'rate_limited':
      return [
        {
          field: null,
          message: t(ctx.lang, 'admin.signIn.rateLimited', {
            seconds: failure.params?.seconds ?? 60,
          }),
        },
      ];
    case 'unavailable':
      return [
        {
          field: null,
          message: problemDetail(ctx.lang, 'unavailable', {
            seconds: failure.params?.seconds ?? unavailableRetrySeconds,
          }),
        },
      ];
    default:
      return [{ field: null, message: problemTitle(ctx.lang, failure.code) }];
  }
}

interface SignInProps {
  readonly ctx: BackOfficeContext;
  readonly email: string;
  readonly token: string;
  readonly next: string | null;
  readonly errors: readonly FormError[];
  readonly notice: string | null;
}

function SignInPage({ ctx, email, token, next, errors, notice }: SignInProps) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <h1>{tr('admin.signIn.title')}</h1>
      <p class="lead">{tr('admin.signIn.lead')}</p>
      {notice && <Notice>{notice}</Notice>}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, signInPath(next))} novalidate>
        <input type="hidden" name="_csrf" value={token} />
        <Field
          id="email"
          type="email"
          label={tr('admin.signIn.email')}
          value={email}
          autocomplete="username"
          inputmode="email"
          maxLength={320}
          autofocus={errors.length === 0}
          error={fieldError(errors, 'email')}
        />
        <Field
          id="password"
          type="password"
          label={tr('admin.signIn.password')}
          autocomplete="current-password"
          maxLength={1024}
          error={fieldError(errors, 'password')}
        />
        <Field
          id="totp"
          label={tr('admin.signIn.totp')}
          hint={tr('admin.signIn.totp.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          maxLength={12}
          class="code-input"
          error={fieldError(errors, 'totp')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.signIn.submit')}
        </button>
      </form>
      <p class="small">{tr('admin.signIn.help')}</p>
    </div>
  );
}

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

function nextOf(request: FastifyRequest): string | null {
  return safeNext((request.query as Record<string, unknown> | undefined)?.next);
}

// ---------------------------------------------------------------------------
// TOTP enrolment

/** "ABCD EFGH …": easier to type into an authenticator by hand. */
function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

interface EnrollmentProps {
  readonly ctx: BackOfficeContext;
  readonly qrSrc: string;
  readonly secret: string;
  readonly errors: readonly FormError[];
}

function EnrollmentPage({ ctx, qrSrc, secret, errors }: EnrollmentProps) {
  const tr = translator(ctx);
  return (
    <div class="narrow">
      <h1>{tr('admin.totp.title')}</h1>
      <p class="lead">{tr('admin.totp.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <ol class="steps">
        <li>{tr('admin.totp.step.install')}</li>
        <li>
          {tr('admin.totp.step.scan')}
          <div class="enrol">
            <img class="qr" src={qrSrc} alt={tr('admin.totp.qr.alt')} width={200} height={200} />
            <dl class="details">
              <dt>{tr('admin.totp.secret')}</dt>
              <dd>
                <code class="secret" id="totp-secret">
                  {groupSecret(secret)}
                </code>
              </dd>
              <dt>{tr('admin.totp.account')}</dt>
              <dd>{ctx.session?.operator.email}</dd>
              <dt>{tr('admin.totp.kind')}</dt>
              <dd>{tr('admin.totp.kind.value')}</dd>
            </dl>
          </div>
        </li>
        <li>{tr('admin.totp.step.code')}</li>
      </ol>
      <form class="card" method="post" action={href(ctx, adminPaths.totp)} novalidate>
        <CsrfField ctx={ctx} />
        <Field
          id="code"
          label={tr('admin.totp.code')}
          hint={tr('admin.totp.code.hint')}
          autocomplete="one-time-code"
          inputmode="numeric"
          maxLength={12}
          class="code-input"
          error={fieldError(errors, 'code')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.totp.submit')}
        </button>
      </form>
    </div>
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
  // An image, not inline markup: the SVG is the qrcode library's output, and
  // as a data: image it cannot run or restyle anything on the page.
  const svg = await QRCode.toString(otpauthUrl, { type: 'svg', margin: 2 });
  const qrSrc = `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
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

// ---------------------------------------------------------------------------
// Password change

function PasswordPage({ ctx, errors }: { ctx: BackOfficeContext; errors: readonly FormError[] }) {
  const tr = translator(ctx);
  const oneTime = ctx.session?.stage === 'password';
  return (
    <div class="narrow">
      <h1>{tr('admin.password.title')}</h1>
      <p class="lead">{tr(oneTime ? 'admin.password.lead.oneTime' : 'admin.password.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form class="card" method="post" action={href(ctx, adminPaths.password)} novalidate>
        <CsrfField ctx={ctx} />
        {/* A hidden username lets password managers file the new password under the right account. */}
        <input
          type="hidden"
          name="username"
          autocomplete="username"
          value={ctx.session?.operator.email}
        />
        <Field
          id="currentPassword"
          type="password"
          label={tr(oneTime ? 'admin.password.current.oneTime' : 'admin.password.current')}
          autocomplete="current-password"
          maxLength={1024}
          error={fieldError(errors, 'currentPassword')}
        />
        <Field
          id="newPassword"
          type="password"
          label={tr('admin.password.new')}
          hint={tr('admin.password.new.hint', { min: passwordRules.minLength })}
          autocomplete="new-password"
          maxLength={1024}
          error={fieldError(errors, 'newPassword')}
        />
        <Field
          id="confirmPassword"
          type="password"
          label={tr('admin.password.confirm')}
          autocomplete="new-password"
          maxLength={1024}
          error={fieldError(errors, 'confirmPassword')}
        />
        <button type="submit" class="button button-block">
          {tr('admin.password.submit')}
        </button>
      </form>
    </div>
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

const formText = (max: number) => safeString().max(max).optional();

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
        body: z.object({
          email: formText(320),
          password: formText(1024),
          totp: formText(12),
          _csrf: formText(200),
        }),
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
      schema: { hide: true, body: z.object({ code: formText(12) }) },
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
        body: z.object({
          currentPassword: formText(1024),
          newPassword: formText(1024),
          confirmPassword: formText(1024),
        }),
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
