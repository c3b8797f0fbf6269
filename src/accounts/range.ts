// The private lookup (k-anonymity, docs/api.md "Private lookup"): someone who
// does not want to name an account hashes its canonical key with SHA-256,
// sends the first 5 hex characters and compares the rest of the answer
// itself. This module holds the rules: the hash, the prefix, one line per
// listed account, and the padding that keeps an answer's length from giving
// its bucket away.
import { createHash, createHmac } from 'node:crypto';
import type { AccountStatus } from './check.ts';

/** Hex characters of the hash that are sent; the rest is compared by the client. */
export const rangePrefixLength = 5;
const hashLength = 64;
/** Every answer has at least this many lines … */
export const minimumRangeLines = 64;
/** … plus 0 to this many more, chosen per bucket and state. */
export const extraRangeLinesMax = 63;

const prefixPattern = /^[0-9A-Fa-f]{5}$/;

/** SHA-256 of the canonical key ("014:1234567890"), upper-case hex: what accounts.key_hash stores. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex').toUpperCase();
}

/** The prefix as stored hashes begin (upper-case), or null when it is not 5 hex characters. */
export function normalizePrefix(prefix: string): string | null {
  return prefixPattern.test(prefix) ? prefix.toUpperCase() : null;
}

/**
 * The hashes that start with `prefix` lie in [prefix, end): every hash
 * character sorts below "G", so prefix + "G" is past the last of them and
 * before the next prefix.
 */
export function rangeEnd(prefix: string): string {
  return `${prefix}G`;
}

/** A listed account's status in a range line: the check's status, or a clear verified seller. */
export type RangeStatus = Exclude<AccountStatus, 'clear'> | 'verified_seller';

export interface ListedHash {
  /** The whole upper-case hash. */
  readonly keyHash: string;
  readonly verifiedCount: number;
  readonly status: RangeStatus;
}

/** `{remaining 59 hex}:{verified report count}:{status}` and a line feed. */
export function rangeLine(listed: ListedHash): string {
  return `${listed.keyHash.slice(rangePrefixLength)}:${listed.verifiedCount}:${listed.status}\n`;
}

export interface RenderedRange {
  readonly body: Buffer;
  /** A strong validator: the same bucket in the same state always gets the same one. */
  readonly etag: string;
}

const suffixLength = hashLength - rangePrefixLength;
const paddingTail = Buffer.from(':0:clear\n', 'latin1');
const paddingLineLength = suffixLength + paddingTail.length;
const upperHex = Buffer.from('0123456789ABCDEF', 'latin1');

/**
 * xoshiro128** seeded from the keyed hash. The padding needs no secrecy of
 * its own (its lines say `:0:clear`; what must not be guessed is the bucket
 * behind a length, and the length comes from the keyed hash), and a cipher's
 * keystream measured at five times the cost of a whole answer.
 */
function paddingDigits(seed: Buffer): () => number {
  let a = seed.readUInt32LE(0) | 1;
  let b = seed.readUInt32LE(4);
  let c = seed.readUInt32LE(8);
  let d = seed.readUInt32LE(12);
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Writes one `{59 hex}:0:clear\n` line at `offset`. */
function writePaddingLine(body: Buffer, offset: number, next: () => number): void {
  let at = offset;
  const end = offset + suffixLength;
  while (at < end) {
    let bits = next();
    for (let i = 0; i < 8 && at < end; i++, bits >>>= 4) body[at++] = upperHex[bits & 15]!;
  }
  paddingTail.copy(body, end);
}

/**
 * The whole answer for a bucket whose listed accounts give `lines` (in hash
 * order). Its padding is random to anyone without `key`, yet a pure function
 * of the key, the prefix and the lines: the same bucket in the same state
 * answers the same bytes, on every process that shares the key, and any
 * change to an account in it draws new padding and a new count. The ETag is
 * part of the same keyed hash that determines every byte, so it changes
 * exactly when the bytes do (hashing the bytes again would tell nothing more).
 */
export function renderRange(
  key: Buffer,
  prefix: string,
  lines: string,
  listedCount: number,
): RenderedRange {
  const seed = createHmac('sha256', key).update(`${prefix}\n${lines}`, 'utf8').digest();
  const extra = seed[31]! & extraRangeLinesMax;
  const padding = Math.max(minimumRangeLines, listedCount) + extra - listedCount;
  const listedBytes = Buffer.byteLength(lines, 'latin1');
  const body = Buffer.allocUnsafe(listedBytes + padding * paddingLineLength);
  body.write(lines, 0, 'latin1');
  const next = paddingDigits(seed);
  for (let i = 0; i < padding; i++)
    writePaddingLine(body, listedBytes + i * paddingLineLength, next);
  return { body, etag: `"${seed.subarray(16, 31).toString('base64url')}"` };
}
