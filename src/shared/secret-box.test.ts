import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box.ts';

const box = new SecretBox('a-test-secret-key-that-is-long-enough-000');

describe('SecretBox', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = box.seal('3201234567890001', 'nik');
    const b = box.seal('3201234567890001', 'nik');
    expect(a).not.toBe(b);
    expect(a).not.toContain('3201234567890001');
    expect(box.openText(a, 'nik')).toBe('3201234567890001');
  });

  it('refuses a changed byte, another purpose, another context or another key', () => {
    const sealed = box.seal('secret', 'totp', 'operator:1');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0]! ^= 1;
    parts[2] = body.toString('base64url');
    expect(() => box.open(parts.join('.'), 'totp', 'operator:1')).toThrow();
    expect(() => box.open(sealed, 'nik', 'operator:1')).toThrow();
    expect(() => box.open(sealed, 'totp', 'operator:2')).toThrow();
    expect(() =>
      new SecretBox('another-key-that-is-also-long-enough-00').open(sealed, 'totp', 'operator:1'),
    ).toThrow();
    expect(() => box.open('garbage', 'totp')).toThrow();
  });

  it('hashes with a key, per purpose', () => {
    expect(box.keyedHash('x', 'nik-index')).toBe(box.keyedHash('x', 'nik-index'));
    expect(box.keyedHash('x', 'nik-index')).not.toBe(box.keyedHash('x', 'session'));
    expect(box.keyedHash('x', 'nik-index')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a short key', () => {
    expect(() => new SecretBox('short')).toThrow();
  });
});
