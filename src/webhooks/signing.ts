// Standard Webhooks signatures: `v1,` + base64 HMAC-SHA256 of
// `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64 part of the
// endpoint's `whsec_…` secret; several signatures are space-separated.
import { createHmac, randomBytes } from 'node:crypto';

const secretPrefix = 'whsec_';

/** A new signing secret: `whsec_` + base64 of 32 random bytes. */
export function newSigningSecret(): string {
  return `${secretPrefix}${randomBytes(32).toString('base64')}`;
}

/** The signature of one message with one secret. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  if (!secret.startsWith(secretPrefix)) throw new Error('not a webhook secret');
  const key = Buffer.from(secret.slice(secretPrefix.length), 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`, 'utf8').digest();
  return `v1,${mac.toString('base64')}`;
}

/** The `webhook-signature` header: one signature per secret, space-separated. */
export function signatureHeader(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): string {
  return secrets.map((secret) => signature(secret, id, timestamp, body)).join(' ');
}

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `length` random characters of lower-case base32. */
export function randomBase32(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += base32[byte & 31];
  return out;
}

export const newEndpointId = (): string => `we_${randomBase32(24)}`;
export const newMessageId = (): string => `msg_${randomBase32(26)}`;
