import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../shared/secret-box.ts';
import { SellerSigner, sellerSigningKey, type SellerClaim } from './seller-signature.ts';

const box = new SecretBox('a test secret key that is long enough 0123');
const claim: SellerClaim = {
  publicId: 'Zp3k9XqW2mTbR7aL',
  accountKey: '014:1234567890',
  verifiedAt: new Date('2026-03-01T05:00:00.000Z'),
};

/** The same text with the character at `index` replaced by another of the alphabet. */
function changed(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

describe('seller link signatures', () => {
  const signer = new SellerSigner(sellerSigningKey(undefined, box));

  it('verifies its own signature, and derives the same key from the same secret', () => {
    const signature = signer.sign(claim);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(signer.verify(claim, signature)).toBe(true);
    const again = new SellerSigner(sellerSigningKey(undefined, box));
    expect(again.verify(claim, signature)).toBe(true);
  });

  it('fails when any character of the signature changes, the last one included', () => {
    const signature = signer.sign(claim);
    for (const index of [0, 10, 42, 84, 85]) {
      expect(signer.verify(claim, changed(signature, index)), `index ${index}`).toBe(false);
    }
    expect(signer.verify(claim, signature.slice(0, 85))).toBe(false);
    expect(signer.verify(claim, `${signature}A`)).toBe(false);
    expect(signer.verify(claim, `${signature.slice(0, 84)}==`)).toBe(false);
  });

  it('fails for another registration, account or verification time', () => {
    const signature = signer.sign(claim);
    expect(signer.verify({ ...claim, publicId: changed(claim.publicId, 3) }, signature)).toBe(
      false,
    );
    expect(signer.verify({ ...claim, accountKey: '014:1234567891' }, signature)).toBe(false);
    expect(
      signer.verify({ ...claim, verifiedAt: new Date('2026-03-01T05:00:00.001Z') }, signature),
    ).toBe(false);
  });

  it('fails under another installation’s key', () => {
    const other = new SellerSigner(
      sellerSigningKey(undefined, new SecretBox('another secret key, also long enough 456')),
    );
    expect(other.verify(claim, signer.sign(claim))).toBe(false);
  });

  it('takes a configured key as PEM or as base64 DER, and refuses a key that is not Ed25519', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    const fromPem = new SellerSigner(sellerSigningKey(pem, box));
    const fromDer = new SellerSigner(sellerSigningKey(der, box));
    expect(fromDer.verify(claim, fromPem.sign(claim))).toBe(true);
    expect(fromPem.publicKeyPem()).toContain('BEGIN PUBLIC KEY');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    expect(() =>
      sellerSigningKey(rsa.export({ type: 'pkcs8', format: 'pem' }).toString(), box),
    ).toThrow(/Ed25519/);
  });
});
