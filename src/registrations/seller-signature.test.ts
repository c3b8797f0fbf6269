import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

// The known-answer vector of the README ("Checking a seller link yourself"),
// written out by hand: whoever checks links with their own code relies on
// these exact bytes, so the format may only change under a new version tag.
describe('the seller link’s signed message (README vector)', () => {
  /** RFC 8032's first Ed25519 test key (seed 9d61b19d…7f60), as PKCS#8 PEM. */
  const privateKeyPem = [
    '-----BEGIN PRIVATE KEY-----',
    'MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g',
    '-----END PRIVATE KEY-----',
    '',
  ].join('\n');
  /** Its public key (d75a9801…511a), SPKI PEM. */
  const publicKeyPem = [
    '-----BEGIN PUBLIC KEY-----',
    'MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=',
    '-----END PUBLIC KEY-----',
    '',
  ].join('\n');
  const message = 'cekrek-seller/v1\nZp3k9XqW2mTbR7aL\n014:1234567890\n2026-03-01T05:00:00.000Z';
  const signature =
    'k43im_PQg5mDIPvsoP6xG4vbGiGce8qami_83sr3Ui0Nz8ZfcNy6V80jeDzdORERy40mzRqeaEwsHbG-CfsUCw';

  it('is a valid Ed25519 vector in itself (node:crypto alone)', () => {
    const bytes = Buffer.from(message, 'utf8');
    expect(bytes.toString('hex')).toBe(
      '63656b72656b2d73656c6c65722f76310a5a70336b39587157326d54625237614c0a' +
        '3031343a313233343536373839300a323032362d30332d30315430353a30303a30302e3030305a',
    );
    expect(sign(null, bytes, createPrivateKey(privateKeyPem)).toString('base64url')).toBe(
      signature,
    );
    expect(
      verify(null, bytes, createPublicKey(publicKeyPem), Buffer.from(signature, 'base64url')),
    ).toBe(true);
  });

  it('is the vector the README gives', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const value of [
      signature,
      JSON.stringify(message),
      privateKeyPem.split('\n')[1]!,
      Buffer.from(createPublicKey(publicKeyPem).export({ format: 'jwk' }).x!, 'base64url').toString(
        'hex',
      ),
    ]) {
      expect(readme).toContain(value);
    }
  });

  it('is what cekrek signs for that registration, with that key', () => {
    const signer = new SellerSigner(sellerSigningKey(privateKeyPem, box));
    expect(signer.publicKeyPem()).toBe(publicKeyPem);
    expect(signer.sign(claim)).toBe(signature);
    expect(signer.verify(claim, signature)).toBe(true);
  });
});
