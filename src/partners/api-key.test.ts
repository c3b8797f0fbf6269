import { describe, expect, it } from 'vitest';
import {
  generateKey,
  hashKey,
  isWellFormedKey,
  keyChecksum,
  sameHash,
  shownKey,
} from './api-key.ts';

describe('API keys', () => {
  it('are ckr_live_ + 30 base62 characters + their CRC32 in 6 base62 characters', () => {
    const key = generateKey();
    expect(key).toMatch(/^ckr_live_[0-9A-Za-z]{36}$/);
    expect(key.slice(39)).toBe(keyChecksum(key.slice(9, 39)));
    expect(isWellFormedKey(key)).toBe(true);
    expect(generateKey()).not.toBe(key);
  });

  it('tell a mistyped key by its checksum', () => {
    const key = generateKey();
    const body = key.slice(9, 39);
    const changed = `${body[0] === 'a' ? 'b' : 'a'}${body.slice(1)}`;
    expect(isWellFormedKey(`ckr_live_${changed}${key.slice(39)}`)).toBe(false);
    expect(isWellFormedKey(key.slice(0, -1))).toBe(false);
    expect(isWellFormedKey(`ckr_test_${key.slice(9)}`)).toBe(false);
  });

  it('encode a checksum of zero as zeros, and every CRC32 in six characters', () => {
    expect(keyChecksum('')).toBe('000000');
    expect(62 ** 6).toBeGreaterThan(2 ** 32);
  });

  it('are shown by their first 12 and last 4 characters, and hashed with a key', () => {
    const key = generateKey();
    expect(shownKey(key)).toBe(`${key.slice(0, 12)}…${key.slice(-4)}`);
    const a = hashKey(key, Buffer.alloc(32, 1));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashKey(key, Buffer.alloc(32, 2))).not.toBe(a);
    expect(sameHash(a, a)).toBe(true);
    expect(sameHash(a, hashKey(generateKey(), Buffer.alloc(32, 1)))).toBe(false);
    expect(sameHash(a, 'abcd')).toBe(false);
  });
});
