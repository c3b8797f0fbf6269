// The signature on a verified seller's link (Ed25519, node:crypto). A link
// carries the registration's public id and a signature over a canonical
// message (the public id, the account key and the verification time), so a
// link whose id or signature was changed, or that was made up, does not
// verify; and anyone holding the public key (a marketplace, a chat app) can
// check a link without asking cekrek.
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { SecretBox } from '../shared/secret-box.ts';

/** What a link vouches for. */
export interface SellerClaim {
  readonly publicId: string;
  /** The account's canonical key, e.g. "014:1234567890". */
  readonly accountKey: string;
  /** When the registrar approved the registration. */
  readonly verifiedAt: Date;
}

/**
 * The PKCS#8 DER header of an Ed25519 private key (RFC 8410): the 32-byte
 * seed follows it. With it a seed derived from CEKREK_SECRET_KEY becomes a key.
 */
const pkcs8Ed25519Prefix = Buffer.from('302e020100300506032b657004220420', 'hex');

/** 64 bytes in base64url without padding. */
const signaturePattern = /^[A-Za-z0-9_-]{86}$/;

export function canonicalMessage(claim: SellerClaim): Buffer {
  return Buffer.from(
    ['cekrek-seller/v1', claim.publicId, claim.accountKey, claim.verifiedAt.toISOString()].join(
      '\n',
    ),
    'utf8',
  );
}

function ed25519Key(key: KeyObject): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error('SELLER_SIGNING_KEY must be an Ed25519 private key');
  }
  return key;
}

/**
 * The signing key: SELLER_SIGNING_KEY (PKCS#8 PEM, or its DER in base64) when
 * set, else one derived from CEKREK_SECRET_KEY, so every process of an
 * installation signs alike without another secret to distribute.
 */
export function sellerSigningKey(configured: string | undefined, box: SecretBox): KeyObject {
  if (configured === undefined) {
    const seed = box.key('seller-signing');
    return createPrivateKey({
      key: Buffer.concat([pkcs8Ed25519Prefix, seed]),
      format: 'der',
      type: 'pkcs8',
    });
  }
  const text = configured.trim();
  if (text.startsWith('-----BEGIN')) return ed25519Key(createPrivateKey(text));
  return ed25519Key(
    createPrivateKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'pkcs8' }),
  );
}

export class SellerSigner {
  readonly #privateKey: KeyObject;
  readonly #publicKey: KeyObject;

  constructor(privateKey: KeyObject) {
    this.#privateKey = ed25519Key(privateKey);
    this.#publicKey = createPublicKey(privateKey);
  }

  /** The signature, base64url (86 characters). */
  sign(claim: SellerClaim): string {
    return sign(null, canonicalMessage(claim), this.#privateKey).toString('base64url');
  }

  /**
   * Whether the signature is this key's over this claim. Only the one
   * canonical spelling of a signature is accepted: base64url has spare bits
   * in its last character, and a link that differs in any character must
   * not verify.
   */
  verify(claim: SellerClaim, signature: string): boolean {
    if (!signaturePattern.test(signature)) return false;
    const bytes = Buffer.from(signature, 'base64url');
    if (bytes.length !== 64 || bytes.toString('base64url') !== signature) return false;
    return verify(null, canonicalMessage(claim), this.#publicKey, bytes);
  }

  /** The public key (SPKI PEM), for whoever wants to check links themselves. */
  publicKeyPem(): string {
    return this.#publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }
}
