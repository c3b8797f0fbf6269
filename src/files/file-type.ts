// What a file is, told by its first bytes alone: a name or a declared type is
// whatever the sender chose. Four fixed signatures are all cekrek accepts, so
// they are checked here rather than through a general detector; the image
// decoder and the PDF check then confirm the rest of the file.
import type { FileMime } from '../db/schema.ts';

export type { FileMime };

/** Enough leading bytes to tell every accepted type apart. */
export const signatureLength = 12;

function startsWith(head: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (head.length < offset + signature.length) return false;
  return signature.every((byte, i) => head[offset + i] === byte);
}

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

const jpeg = [0xff, 0xd8, 0xff];
const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const riff = ascii('RIFF');
const webp = ascii('WEBP');
const pdf = ascii('%PDF-');

/** The accepted type the bytes begin with, or null for anything else. */
export function detectFileType(head: Uint8Array): FileMime | null {
  if (startsWith(head, jpeg)) return 'image/jpeg';
  if (startsWith(head, png)) return 'image/png';
  if (startsWith(head, riff) && startsWith(head, webp, 8)) return 'image/webp';
  if (startsWith(head, pdf)) return 'application/pdf';
  return null;
}

export function isImage(mime: FileMime): mime is Exclude<FileMime, 'application/pdf'> {
  return mime !== 'application/pdf';
}
