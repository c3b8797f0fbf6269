// What no route should have to remember: a query string whose
// percent-encoding is broken, and inputs that hold something that is not
// text (src/shared/text-input.ts). Both answer 400 before a handler, a
// service or a database sees the value.
import type { FastifyRequest, preHandlerHookHandler } from 'fastify';
import { AppError, type FieldError } from '../shared/errors.ts';
import { notTextPaths, notTextReason } from '../shared/text-input.ts';

/**
 * Whether the query string has a `%` not followed by two hex digits, or
 * percent-encodes bytes that are not UTF-8. The query parser would keep such
 * a value as it came, so `%FF` would be read as the three characters.
 */
export function hasMalformedQuery(url: string): boolean {
  const start = url.indexOf('?');
  if (start === -1 || !url.includes('%', start)) return false;
  try {
    decodeURIComponent(url.slice(start + 1));
    return false;
  } catch {
    return true;
  }
}

/** Parsed inputs only: a raw body (a Buffer, a stream) is its reader's business. */
function parsedInput(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return ArrayBuffer.isView(value) || 'pipe' in value ? undefined : value;
}

/** The fields of parameters, query and parsed body that are not text. */
export function notTextFields(request: FastifyRequest): FieldError[] {
  const paths = [
    ...notTextPaths(request.params),
    ...notTextPaths(request.query),
    ...notTextPaths(parsedInput(request.body)),
  ];
  return paths.map((field) => ({ field, reason: notTextReason }));
}

/**
 * A hook of every route, after validation (so after the access check, which
 * runs before it): whatever a route's own schema lets through, a string that
 * is not text never reaches its handler. Multipart fields, read by the
 * handlers themselves, are held to the same rule in files/multipart.http.ts.
 */
export const refuseNotText: preHandlerHookHandler = (request, _reply, done) => {
  const errors = notTextFields(request);
  if (errors.length === 0) {
    done();
    return;
  }
  done(new AppError('validation_failed', { errors }));
};
