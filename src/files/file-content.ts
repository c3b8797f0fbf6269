// Makes an upload safe to keep: images are decoded and encoded again by sharp
// (libvips), which drops everything but the pixels (EXIF with GPS, XMP, ICC,
// comments, trailing data, anything smuggled after the image), after turning
// the picture upright; PDFs are checked for their header and end marker, and
// refused when they carry anything active (pdf-inspection.ts).
import type { FormatEnum, Metadata } from 'sharp';
import { lazyRequire } from '../shared/lazy-require.ts';
import { AppError } from '../shared/errors.ts';
import { isImage, type FileMime } from './file-type.ts';
import { inspectPdf, type PdfRefusal } from './pdf-inspection.ts';

export interface ContentLimits {
  /** Width × height an image may declare: a small file can decode to gigabytes. */
  readonly maxImagePixels: number;
}

type ImageMime = Exclude<FileMime, 'application/pdf'>;

const sharpFormat: Record<ImageMime, keyof FormatEnum> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** Long enough for a large photo on a slow machine, short enough that a hostile one cannot hold a worker. */
const imageTimeoutSeconds = 20;
/** PDF readers look for the end marker in the last kilobyte; so do we. */
const pdfTailLength = 1024;

/** `field` names the upload in the error a refused PDF answers with. */
export async function cleanContent(
  bytes: Buffer,
  mime: FileMime,
  limits: ContentLimits,
  field = 'file',
): Promise<Buffer> {
  if (isImage(mime)) return reencodeImage(bytes, mime, limits);
  assertPdf(bytes);
  await assertInertPdf(bytes, field);
  return bytes;
}

const pdfRefusalReasons: Record<PdfRefusal, string> = {
  encrypted: 'file.pdf_encrypted',
  unreadable: 'file.pdf_unreadable',
  active_content: 'file.pdf_active_content',
};

/** Refuses a PDF that is encrypted, unreadable, or carries scripts, actions or attachments. */
export async function assertInertPdf(bytes: Buffer, field: string): Promise<void> {
  const verdict = await inspectPdf(bytes);
  if (verdict.ok) return;
  throw new AppError('unsupported_file_type', {
    errors: [{ field, reason: pdfRefusalReasons[verdict.reason] }],
  });
}

function unsupported(cause?: unknown): AppError {
  return new AppError('unsupported_file_type', { cause });
}

const sharp = lazyRequire<typeof import('sharp').default>('sharp');

export async function reencodeImage(
  bytes: Buffer,
  mime: ImageMime,
  limits: ContentLimits,
): Promise<Buffer> {
  const format = sharpFormat[mime];
  const options = { limitInputPixels: limits.maxImagePixels, failOn: 'error' } as const;
  let metadata: Metadata;
  try {
    // Reading the header decodes no pixels: the pixel limit is checked below,
    // so that an image too large is told apart from a broken one.
    metadata = await sharp()(bytes, { failOn: 'error' }).metadata();
  } catch (error) {
    throw unsupported(error);
  }
  // libvips picks its decoder by content too; both must agree on what this is.
  if (metadata.format !== format) throw unsupported();
  if ((metadata.width ?? 0) * (metadata.height ?? 0) > limits.maxImagePixels) {
    throw new AppError('payload_too_large', { message: 'image has too many pixels' });
  }
  try {
    // Without keepMetadata()/withMetadata(), sharp writes no metadata at all;
    // rotate() first applies the EXIF orientation that is about to be dropped.
    return await sharp()(bytes, options)
      .rotate()
      .timeout({ seconds: imageTimeoutSeconds })
      .toFormat(format, format === 'png' ? {} : { quality: 85 })
      .toBuffer();
  } catch (error) {
    throw unsupported(error);
  }
}

export function assertPdf(bytes: Buffer): void {
  if (!/^%PDF-\d\.\d/.test(bytes.subarray(0, 8).toString('latin1'))) throw unsupported();
  if (!bytes.subarray(-pdfTailLength).includes('%%EOF', 0, 'latin1')) throw unsupported();
}
