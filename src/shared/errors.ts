// The closed set of error codes services may raise. The HTTP layer alone maps
// each code to a status and an RFC 9457 problem body (src/http/problems.ts);
// the codes are part of the public contract and never change meaning.
export const errorCodes = [
  'bad_request',
  'validation_failed',
  'invalid_provider',
  'invalid_account_number',
  'invalid_prefix',
  'not_found',
  'method_not_allowed',
  'uri_too_long',
  'payload_too_large',
  'request_timeout',
  'unsupported_media_type',
  'rate_limited',
  'unauthorized',
  'invalid_credentials',
  'totp_required',
  'forbidden',
  'csrf_failed',
  'enrollment_required',
  'password_change_required',
  'operator_exists',
  'unsupported_file_type',
  'too_many_files',
  'too_many_accounts',
  'challenge_failed',
  'challenge_required',
  'duplicate_report',
  'already_decided',
  'already_claimed',
  'already_registered',
  'nothing_to_normalize',
  'already_pending',
  'four_eyes',
  'reporters_not_heard',
  'service_unavailable',
  'unavailable',
  'internal_error',
  'invalid_api_key',
  'insufficient_scope',
  'idempotency_key_reused',
  'invalid_hash',
  'too_many_hashes',
  'not_provider_partner',
  'no_provider_codes',
  'invalid_webhook_url',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** One field at fault: `reason` is a message key (translated at the edge) or plain text. */
export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly errors: readonly FieldError[];
  /** Values for the translated message, e.g. the provider the user typed. */
  readonly params: Readonly<Record<string, string | number>>;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      errors?: readonly FieldError[];
      params?: Record<string, string | number>;
      cause?: unknown;
    } = {},
  ) {
    super(options.message ?? code, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.errors = options.errors ?? [];
    this.params = options.params ?? {};
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
