import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openSealedFile, sealFile } from './file-crypto.ts';

const key = randomBytes(32);
const plaintext = Buffer.from('%PDF-1.4 a statement from the bank %%EOF');

describe('sealed files', () => {
  it('open to what was sealed, and hide it meanwhile', () => {
    const sealed = sealFile(key, 'a'.repeat(32), plaintext);
    expect(sealed.includes(plaintext.subarray(0, 12))).toBe(false);
    expect(openSealedFile(key, 'a'.repeat(32), sealed)).toEqual(plaintext);
  });

  it('differ each time for the same content', () => {
    expect(sealFile(key, 'id', plaintext).equals(sealFile(key, 'id', plaintext))).toBe(false);
  });

  it('refuse to open altered, moved or foreign', () => {
    const sealed = sealFile(key, 'one', plaintext);
    for (const at of [5, 20, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at] = altered[at]! ^ 1;
      expect(() => openSealedFile(key, 'one', altered)).toThrow();
    }
    expect(() => openSealedFile(key, 'two', sealed)).toThrow();
    expect(() => openSealedFile(randomBytes(32), 'one', sealed)).toThrow();
    expect(() => openSealedFile(key, 'one', sealed.subarray(0, 20))).toThrow();
  });
});
