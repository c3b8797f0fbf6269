// The partners' API keys: `ckr_live_` + 30 random base62 characters + a
// 6-character base62 CRC32 of those 30. The checksum lets a secret scanner
// tell a leaked key from noise without asking cekrek; it proves nothing
// about the key, which only its keyed hash in the database does.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const keyPrefix = 'ckr_live_';
const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const bodyLength = 30;
const checksumLength = 6;
export const keyLength = keyPrefix.length + bodyLength + checksumLength;
const keyPattern = new RegExp(`^${keyPrefix}[0-9A-Za-z]{${bodyLength + checksumLength}}$`);

export const scopes = ['check', 'reports', 'import', 'watch'] as const;
export type Scope = (typeof scopes)[number];

function toBase62(value: number, width: number): string {
  let text = '';
  let rest = value;
  while (rest > 0) {
    text = alphabet[rest % 62]! + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(width, '0');
}

/** The CRC32 of the key's random part, in base62 (62^6 > 2^32, so 6 characters always hold it). */
export function keyChecksum(body: string): string {
  return toBase62(crc32(body), checksumLength);
}

export function generateKey(): string {
  let body = '';
  for (let i = 0; i < bodyLength; i++) body += alphabet[randomInt(62)];
  return `${keyPrefix}${body}${keyChecksum(body)}`;
}

/** Whether the text is shaped like a key and its checksum matches (says nothing of whether it works). */
export function isWellFormedKey(text: string): boolean {
  if (!keyPattern.test(text)) return false;
  const body = text.slice(keyPrefix.length, keyPrefix.length + bodyLength);
  return text.slice(keyPrefix.length + bodyLength) === keyChecksum(body);
}

/** How a key is shown after its creation: its first 12 characters and its last 4. */
export function shownKey(key: string): string {
  return `${key.slice(0, 12)}…${key.slice(-4)}`;
}

/**
 * The keyed hash stored instead of the key (HMAC-SHA256 with a key derived
 * from the server's secret): a copy of the database alone gives no working
 * key, nor a way to test guesses offline.
 */
export function hashKey(key: string, hashingKey: Buffer): string {
  return createHmac('sha256', hashingKey).update(key, 'utf8').digest('hex');
}

/** Compares two hex hashes in time that does not depend on where they differ. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
