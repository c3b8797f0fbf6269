// The rules of a watch list: what a hash is (the SHA-256 of an account's
// canonical key, 64 hex characters in either case, kept lower-case), how many
// one call may send, and the list's cursor (opaque to the partner: the last
// hash of a page, in base64url).
import { AppError } from '../shared/errors.ts';

/** The most hashes one call may add or remove (api.md). */
export const maxHashesPerCall = 10_000;
/** Hashes per page of the list. */
export const watchPageSize = 1000;
/** The offending positions named in a refusal, at most. */
const namedPositions = 100;

const hashPattern = /^[0-9a-fA-F]{64}$/;

/**
 * The distinct hashes of a call, lower-case, in the order first given;
 * refuses the whole call when there are too many (`too_many_hashes`) or one
 * is not a hash (`invalid_hash`, naming the positions, from 0).
 */
export function parseHashes(values: readonly unknown[]): string[] {
  if (values.length > maxHashesPerCall) {
    throw new AppError('too_many_hashes', { params: { max: maxHashesPerCall } });
  }
  const wrong: number[] = [];
  const hashes = new Set<string>();
  values.forEach((value, index) => {
    if (typeof value === 'string' && hashPattern.test(value)) hashes.add(value.toLowerCase());
    else wrong.push(index);
  });
  if (wrong.length > 0) {
    const named = wrong.slice(0, namedPositions);
    throw new AppError('invalid_hash', {
      params: { indexes: named.join(', ') + (wrong.length > named.length ? ', …' : '') },
      errors: named.map((index) => ({ field: `hashes[${index}]`, reason: 'watch.hash_invalid' })),
    });
  }
  return [...hashes];
}

/** The cursor after a page that ended with `hash`. */
export function encodeCursor(hash: string): string {
  return Buffer.from(hash, 'hex').toString('base64url');
}

/** The hash a cursor stands for; refuses one this list never gave. */
export function decodeCursor(cursor: string): string {
  const bytes = Buffer.from(cursor, 'base64url');
  if (bytes.length !== 32 || bytes.toString('base64url') !== cursor) {
    throw new AppError('validation_failed', {
      errors: [{ field: 'cursor', reason: 'watch.cursor_invalid' }],
    });
  }
  return bytes.toString('hex');
}
