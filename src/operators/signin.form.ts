// The sign-in form and its neighbours (enrolment, password change) as read
// by their handlers: the fields each accepts, the double-submit token of the
// sign-in form, its notices after a redirect, what a failed attempt says,
// and where a sign-in goes next.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as z from 'zod';
import { safeString } from '../shared/text-input.ts';
import type { PageContext } from '../http/layout.tsx';
import type { ErrorCode } from '../shared/errors.ts';
import { problemDetail, problemTitle, t } from '../shared/messages.ts';
import type { FormError } from '../backoffice/layout.tsx';
import { adminPaths, safeNext } from '../backoffice/paths.ts';
import { unavailableRetrySeconds } from '../db/unavailable.ts';
import { waitInWords } from '../shared/wait.ts';

// ---------------------------------------------------------------------------
// The fields

const formText = (max: number) => safeString().max(max).optional();

export const signInBody = z.object({
  email: formText(320),
  password: formText(1024),
  totp: formText(12),
  _csrf: formText(200),
});

export const enrollmentBody = z.object({ code: formText(12) });

export const passwordBody = z.object({
  currentPassword: formText(1024),
  newPassword: formText(1024),
  confirmPassword: formText(1024),
});

// ---------------------------------------------------------------------------
// The double-submit token of the sign-in form

/**
 * Login CSRF: without a session there is no session-bound token, so the form
 * carries a random value that must equal a cookie only this site can set.
 * Another site can make a browser POST the form, but cannot read or set the cookie.
 */
export const signInCookie = 'cekrek_signin';
const signInTokenSeconds = 15 * 60;

export function issueSignInToken(request: FastifyRequest, reply: FastifyReply): string {
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

export function clearSignInToken(request: FastifyRequest, reply: FastifyReply) {
  void reply.clearCookie(signInCookie, {
    path: adminPaths.signIn,
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
  });
}

/** Compares digests, so the comparison takes the same time whatever the lengths. */
export function signInTokenMatches(request: FastifyRequest, given: string | undefined): boolean {
  const expected = request.cookies[signInCookie];
  if (!expected || !given) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}

// ---------------------------------------------------------------------------
// The sign-in page's notices and failures

/** Messages after a redirect to the sign-in page (`?info=`); anything else is ignored. */
export const signInNotices = {
  signed_out: 'admin.signIn.info.signedOut',
  signed_out_everywhere: 'admin.signIn.info.signedOutEverywhere',
} as const;

export function noticeOf<T extends Record<string, string>>(
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

export function signInErrors(ctx: PageContext, failure: SignInFailure | null): FormError[] {
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
            wait: waitInWords(Number(failure.params?.seconds ?? 60), ctx.lang),
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

export function nextOf(request: FastifyRequest): string | null {
  return safeNext((request.query as Record<string, unknown> | undefined)?.next);
}
