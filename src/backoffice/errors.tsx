// Errors of back-office pages, as a browser should meet them: no session →
// to the sign-in page (and back afterwards); an unfinished session → on to
// enrolment or the password change; the sign-in page's own failures → the
// form again; anything else → an error page in the back-office frame.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clearSessionCookie, sessionCookie } from './auth.ts';
import { translator } from '../http/layout.tsx';
import { statusByCode } from '../http/problems.ts';
import type { ErrorCode, FieldError } from '../shared/errors.ts';
import { problemDetail, problemTitle, translateReason } from '../shared/messages.ts';
import { backOfficeContext, redirectTo, sendBackOfficePage } from './layout.tsx';
import { adminPaths, signInPath } from './paths.ts';
import { sendSignInPage } from '../operators/signin.pages.tsx';
import { href } from '../http/layout.tsx';

/** A page of the back office (not its JSON API): these errors are answered here. */
export function isBackOfficePage(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0] ?? '';
  return path === adminPaths.dashboard || path.startsWith(`${adminPaths.dashboard}/`);
}

interface ErrorOptions {
  readonly errors?: readonly FieldError[];
  readonly params?: Record<string, string | number>;
}

/** Only a page that was being read is worth returning to; a form's target is not. */
function returnPath(request: FastifyRequest): string | null {
  return request.method === 'GET' ? request.url : null;
}

export function sendBackOfficeError(
  request: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  options: ErrorOptions = {},
): FastifyReply {
  const ctx = backOfficeContext(request);
  switch (code) {
    case 'unauthorized':
      // An expired or unknown session cookie is of no use to anyone: drop it.
      if (request.cookies[sessionCookie]) clearSessionCookie(request, reply);
      return redirectTo(reply, ctx, signInPath(returnPath(request)));
    case 'enrollment_required':
      return redirectTo(reply, ctx, adminPaths.totp);
    case 'password_change_required':
      return redirectTo(reply, ctx, adminPaths.password);
    default:
      break;
  }
  if (request.routeOptions.config?.signIn) {
    return sendSignInPage(request, reply, {
      status: statusByCode[code],
      failure: { code, params: options.params ?? {} },
    });
  }
  const tr = translator(ctx);
  const signedIn = ctx.session?.stage === 'full';
  return sendBackOfficePage(
    reply,
    ctx,
    { title: problemTitle(ctx.lang, code), status: statusByCode[code] },
    <div class="narrow">
      <h1>{problemTitle(ctx.lang, code)}</h1>
      <p class="lead">
        {problemDetail(ctx.lang, code, { requestId: request.id, ...options.params })}
      </p>
      {options.errors && options.errors.length > 0 && (
        <div class="error-summary">
          <h2>{tr('error.fields')}</h2>
          <ul>
            {options.errors.map((e, index) => (
              <li key={index}>{translateReason(ctx.lang, e.reason)}</li>
            ))}
          </ul>
        </div>
      )}
      <p class="actions">
        <a class="button" href={href(ctx, signedIn ? adminPaths.dashboard : adminPaths.signIn)}>
          {tr(signedIn ? 'admin.error.toDashboard' : 'admin.error.toSignIn')}
        </a>
      </p>
    </div>,
  );
}
