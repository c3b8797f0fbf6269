// The one place that tells "the database cannot be reached right now" apart
// from a fault in cekrek. Such errors are answered `503 unavailable` with
// Retry-After (the request may well succeed in a few seconds), never 500,
// and logged once per outage rather than with a stack per request.
import { AppError } from '../shared/errors.ts';

/** What a client is told to wait before trying again, in seconds. */
export const unavailableRetrySeconds = 5;

/** Socket errors of a connection that could not be made or was cut. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs of a server that is going away, starting, overloaded
 * or cancelled the statement on its timeout. Class 08 (connection exception)
 * is matched as a whole.
 */
const postgresStates = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57P05', // idle_session_timeout
  '57014', // query_canceled: statement_timeout
  '53000', // insufficient_resources
  '53100', // disk_full
  '53200', // out_of_memory
  '53300', // too_many_connections
]);

/** SQLSTATE class 08: connection exception. */
const connectionClass = /^08[0-9A-Z]{3}$/;

/** Messages node-postgres and its pool give without a code. */
const postgresMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Query read timeout$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

/**
 * SQLite result codes (primary code, extended ones included) that mean the
 * file cannot be used now: locked beyond the busy timeout by another process,
 * an I/O error, a file that cannot be opened or written, a full disk. Each is
 * an operational condition that may pass, not a bug. SQLITE_CORRUPT and
 * SQLITE_NOTADB are not among them: retrying does not help, they stay 500.
 */
const sqlitePrimaryCodes = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_IOERR',
  'SQLITE_CANTOPEN',
  'SQLITE_FULL',
  'SQLITE_READONLY',
  'SQLITE_PROTOCOL',
]);

function codeOf(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A system call on a socket failed (connect, read, write, a DNS lookup): what
 * the driver meets when the database's network goes. A browser that gave up on
 * its own upload also ends in ECONNRESET ("aborted"), but with no system call:
 * that is the client leaving, not the database.
 */
function isSocketError(error: object): boolean {
  return typeof (error as { syscall?: unknown }).syscall === 'string';
}

function sqlitePrimary(code: string): string {
  return /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
}

function matchesItself(error: object): boolean {
  const code = codeOf(error);
  if (code !== undefined) {
    if (networkCodes.has(code) && isSocketError(error)) return true;
    if (postgresStates.has(code) || connectionClass.test(code)) return true;
    if (code.startsWith('SQLITE_') && sqlitePrimaryCodes.has(sqlitePrimary(code))) return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && postgresMessages.some((pattern) => pattern.test(message));
}

/**
 * Whether the error, or an error it wraps (`cause`, an AggregateError's
 * `errors`), says the database is unreachable or unusable for now.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  if (matchesItself(error)) return true;
  const { cause, errors } = error as { cause?: unknown; errors?: unknown };
  if (isDatabaseUnavailable(cause, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((e) => isDatabaseUnavailable(e, depth + 1));
}

/** A short, stack-free description of the cause, for the one log line of an outage. */
export function describeUnavailable(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  const code = codeOf(error);
  return `${code ? `${code} ` : ''}${error.message}`.slice(0, 200);
}

export function unavailableError(cause?: unknown): AppError {
  return new AppError('unavailable', { params: { seconds: unavailableRetrySeconds }, cause });
}
