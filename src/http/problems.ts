// RFC 9457 problem details: the one shape of every error the API answers,
// and the only place that maps error codes to HTTP statuses.
import * as z from 'zod';
import type { ErrorCode, FieldError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import { problemDetail, problemTitle, translateReason } from '../shared/messages.ts';
import { withWait } from '../shared/wait.ts';

export const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  invalid_provider: 400,
  invalid_account_number: 400,
  invalid_prefix: 400,
  not_found: 404,
  method_not_allowed: 405,
  payload_too_large: 413,
  request_timeout: 408,
  uri_too_long: 414,
  unsupported_media_type: 415,
  rate_limited: 429,
  unauthorized: 401,
  invalid_credentials: 401,
  totp_required: 401,
  forbidden: 403,
  csrf_failed: 403,
  enrollment_required: 403,
  password_change_required: 403,
  operator_exists: 409,
  unsupported_file_type: 415,
  too_many_files: 400,
  too_many_accounts: 400,
  challenge_failed: 400,
  challenge_required: 400,
  duplicate_report: 409,
  already_decided: 409,
  already_claimed: 409,
  already_registered: 409,
  nothing_to_normalize: 409,
  already_pending: 409,
  four_eyes: 403,
  reporters_not_heard: 409,
  internal_error: 500,
  service_unavailable: 503,
  unavailable: 503,
  invalid_api_key: 401,
  insufficient_scope: 403,
  idempotency_key_reused: 422,
  invalid_hash: 400,
  too_many_hashes: 400,
  not_provider_partner: 403,
  no_provider_codes: 409,
  invalid_webhook_url: 400,
};

export const problemSchema = z
  .object({
    type: z.string().describe('Always "about:blank": the code says what happened.'),
    title: z.string(),
    status: z.number().int(),
    code: z.string().describe('Stable, machine-readable error code.'),
    detail: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('The fields at fault, with a message in the request language.'),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Problem' });

export type Problem = z.infer<typeof problemSchema>;

export function buildProblem(
  lang: Lang,
  code: ErrorCode,
  options: {
    errors?: readonly FieldError[];
    params?: Readonly<Record<string, string | number>>;
    requestId?: string;
    detail?: string;
  } = {},
): Problem {
  const problem: Problem = {
    type: 'about:blank',
    title: problemTitle(lang, code),
    status: statusByCode[code],
    code,
    detail:
      options.detail ??
      problemDetail(lang, code, withWait(lang, { requestId: '', ...options.params })),
  };
  if (options.errors?.length) {
    problem.errors = options.errors.map((e) => ({
      field: e.field,
      message: translateReason(lang, e.reason),
    }));
  }
  if (options.requestId) problem.requestId = options.requestId;
  return problem;
}

export const problemContentType = 'application/problem+json; charset=utf-8';
