// The on-disk form of a stored file: AES-256-GCM under the "file" key that
// SecretBox derives from CEKREK_SECRET_KEY, with the file's id as associated
// data, so a stored file cannot be swapped for another under a different id.
// Layout: "CKF1" | 12-byte IV | ciphertext | 16-byte tag. Binary rather than
// SecretBox.seal's text form: files are megabytes, not short fields.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const magic = Buffer.from('CKF1', 'ascii');
const ivLength = 12;
const tagLength = 16;

function associatedData(id: string): Buffer {
  return Buffer.concat([magic, Buffer.from(`cekrek:file:${id}`, 'utf8')]);
}

export function sealFile(key: Buffer, id: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  cipher.setAAD(associatedData(id));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([magic, iv, body, cipher.getAuthTag()]);
}

/** Throws if the bytes were altered, belong to another id, or were sealed with another key. */
export function openSealedFile(key: Buffer, id: string, sealed: Buffer): Buffer {
  if (sealed.length < magic.length + ivLength + tagLength || !sealed.subarray(0, 4).equals(magic)) {
    throw new Error('not a sealed file');
  }
  const iv = sealed.subarray(magic.length, magic.length + ivLength);
  const body = sealed.subarray(magic.length + ivLength, sealed.length - tagLength);
  const tag = sealed.subarray(sealed.length - tagLength);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  decipher.setAAD(associatedData(id));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]);
}
