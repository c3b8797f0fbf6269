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
const paddingTail = ':0:clear\n';

/** 32-bit words of random digits per padding line: 64 hex digits, of which 59 are used. */
const wordsPerLine = 8;

/**
 * Fills `words` from xoshiro128** seeded from the keyed hash. The padding
 * needs no secrecy of its own (its lines say `:0:clear`; what must not be
 * guessed is the bucket behind a length, and the length comes from the keyed
 * hash), and a cipher's keystream measured at five times the cost of a whole
 * answer. Each word's nibbles are swapped within their bytes, so that hex
 * encoding (high nibble first) writes its digits lowest nibble first.
 */
function fillPaddingWords(seed: Buffer, words: Uint32Array): void {
  let a = seed.readUInt32LE(0) | 1;
  let b = seed.readUInt32LE(4);
  let c = seed.readUInt32LE(8);
  let d = seed.readUInt32LE(12);
  for (let i = 0; i < words.length; i++) {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9);
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    words[i] = ((result & 0x0f0f0f0f) << 4) | ((result >>> 4) & 0x0f0f0f0f);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * `count` lines of `{59 hex}:0:clear\n`: the digits hex-encoded by Node in
 * one call, not one byte at a time in JavaScript (a quarter of a missed
 * bucket's time went there).
 */
function paddingText(seed: Buffer, count: number): string {
  const words = new Uint32Array(count * wordsPerLine);
  fillPaddingWords(seed, words);
  const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
  if (!littleEndian) bytes.swap32();
  const digits = bytes.toString('hex').toUpperCase();
  const lineDigits = wordsPerLine * 8;
  let text = '';
  for (let from = 0; from < digits.length; from += lineDigits) {
    text += digits.slice(from, from + suffixLength) + paddingTail;
  }
  return text;
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
  const body = Buffer.from(lines + paddingText(seed, padding), 'latin1');
  return { body, etag: `"${seed.subarray(16, 31).toString('base64url')}"` };
}
