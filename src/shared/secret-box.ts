// Encryption at rest for sensitive fields (TOTP secrets, NIK, identity
// documents): AES-256-GCM with a key derived per purpose (HKDF-SHA256) from
// CEKREK_SECRET_KEY, and keyed hashes (HMAC-SHA256) for matching a value
// without decrypting it. Node's crypto does all of it; no library needed.
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

const version = 'v1';
const ivLength = 12;
const tagLength = 16;
/**
 * IVs are cut from a block of random bytes drawn at once: a call to the
 * system's generator costs more than the encryption of a short value, and
 * a bulk import seals a name per row. Every byte is still used once.
 */
const ivBlockLength = ivLength * 1024;

export type SecretPurpose =
  | 'totp'
  | 'nik'
  | 'file'
  | 'field'
  | 'nik-index'
  | 'session'
  | 'seller-signing'
  | 'audit-chain'
  | 'audit-checkpoint'
  | 'range-padding'
  | 'mail'
  | 'personal'
  | 'ticket-contact'
  | 'partner-key'
  | 'import-body'
  | 'webhook-secret';

export class SecretBox {
  readonly #master: Buffer;
  readonly #keys = new Map<string, Buffer>();
  #ivBlock = Buffer.alloc(0);
  #ivOffset = 0;

  constructor(secretKey: string) {
    if (secretKey.length < 32) throw new Error('the secret key must be at least 32 characters');
    this.#master = Buffer.from(secretKey, 'utf8');
  }

  /** A 32-byte key for one purpose; different purposes never share a key. */
  key(purpose: SecretPurpose): Buffer {
    let key = this.#keys.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#master, 'cekrek', `cekrek:${purpose}`, 32));
      this.#keys.set(purpose, key);
    }
    return key;
  }

  /** Encrypts to a compact text: "v1.<iv>.<ciphertext>.<tag>" (base64url). */
  seal(plaintext: string | Buffer, purpose: SecretPurpose, associated = ''): string {
    const iv = this.#nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key(purpose), iv, {
      authTagLength: tagLength,
    });
    cipher.setAAD(Buffer.from(associated, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return [version, iv, body, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  #nextIv(): Buffer {
    if (this.#ivOffset + ivLength > this.#ivBlock.length) {
      this.#ivBlock = randomBytes(ivBlockLength);
      this.#ivOffset = 0;
    }
    const iv = this.#ivBlock.subarray(this.#ivOffset, this.#ivOffset + ivLength);
    this.#ivOffset += ivLength;
    return iv;
  }

  /** Decrypts what seal() produced; throws if it was altered or sealed for something else. */
  open(sealed: string, purpose: SecretPurpose, associated = ''): Buffer {
    const [v, iv, body, tag] = sealed.split('.');
    if (v !== version || !iv || body === undefined || !tag) throw new Error('not a sealed value');
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.key(purpose),
      Buffer.from(iv, 'base64url'),
      {
        authTagLength: tagLength,
      },
    );
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  }

  openText(sealed: string, purpose: SecretPurpose, associated = ''): string {
    return this.open(sealed, purpose, associated).toString('utf8');
  }

  /** A keyed hash: equal inputs match, and nobody without the key can test guesses. */
  keyedHash(value: string, purpose: SecretPurpose): string {
    return createHmac('sha256', this.key(purpose)).update(value, 'utf8').digest('hex');
  }
}
