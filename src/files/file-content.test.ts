import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { assertPdf, cleanContent } from './file-content.ts';

const limits = { maxImagePixels: 50_000_000 };

function image(width = 20, height = 10) {
  return sharp({ create: { width, height, channels: 3, background: '#c03' } });
}

/** A photo as a phone takes it: sideways (orientation 6), with where it was taken. */
async function phonePhoto(): Promise<Buffer> {
  return image()
    .jpeg()
    .withMetadata({
      orientation: 6,
      exif: {
        IFD0: { Make: 'cekrek test phone' },
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 10/1 0/1' },
      },
    })
    .toBuffer();
}

/** The GPS IFD pointer tag (0x8825), in either byte order. */
function hasGpsTag(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
  return 'no error';
}

function pdf(body = 'a statement', tail = '%%EOF\n'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${body}\n${tail}`, 'latin1');
}

describe('images', () => {
  it('come back upright, in the same format, with no EXIF (GPS included)', async () => {
    const photo = await phonePhoto();
    const before = await sharp(photo).metadata();
    expect(before.exif && hasGpsTag(before.exif)).toBe(true);

    const clean = await cleanContent(photo, 'image/jpeg', limits);
    const after = await sharp(clean).metadata();
    expect(after.format).toBe('jpeg');
    expect([after.width, after.height]).toEqual([10, 20]);
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(clean.includes('cekrek test phone')).toBe(false);
  });

  it('keep PNG as PNG and WebP as WebP, without metadata', async () => {
    const withExif = { exif: { IFD0: { Make: 'cekrek test phone' } } };
    const png = await image().png().withMetadata(withExif).toBuffer();
    const webp = await image().webp().withMetadata(withExif).toBuffer();
    for (const [bytes, mime, format] of [
      [png, 'image/png', 'png'],
      [webp, 'image/webp', 'webp'],
    ] as const) {
      const meta = await sharp(await cleanContent(bytes, mime, limits)).metadata();
      expect(meta.format).toBe(format);
      expect(meta.exif).toBeUndefined();
    }
  });

  it('drop whatever was appended after the picture', async () => {
    const payload = Buffer.from('<?php system($_GET["c"]); ?>');
    const jpeg = Buffer.concat([await image().jpeg().toBuffer(), payload]);
    const clean = await cleanContent(jpeg, 'image/jpeg', limits);
    expect(clean.includes(payload)).toBe(false);
  });

  it('refuse a corrupt image as an unsupported file', async () => {
    const jpeg = await image().jpeg().toBuffer();
    const corrupt = Buffer.concat([jpeg.subarray(0, 40), Buffer.alloc(400, 0x5a)]);
    expect(await codeOf(cleanContent(corrupt, 'image/jpeg', limits))).toBe('unsupported_file_type');
    const pngHeadJpegBody = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      jpeg,
    ]);
    expect(await codeOf(cleanContent(pngHeadJpegBody, 'image/png', limits))).toBe(
      'unsupported_file_type',
    );
  });

  it('refuse one that would decode to too many pixels, before decoding it', async () => {
    // Four megapixels of one colour: a few kilobytes as PNG.
    const bomb = await image(2_000, 2_000).png({ palette: true }).toBuffer();
    expect(bomb.length).toBeLessThan(64 * 1024);
    const small = { maxImagePixels: 1_000_000 };
    expect(await codeOf(cleanContent(bomb, 'image/png', small))).toBe('payload_too_large');
    expect(await codeOf(cleanContent(bomb, 'image/png', limits))).toBe('no error');
  });
});

describe('PDFs', () => {
  it('are kept byte for byte when they have a header and an end marker', async () => {
    const file = pdf();
    expect(await cleanContent(file, 'application/pdf', limits)).toBe(file);
    expect(() => assertPdf(pdf('x', '%%EOF'))).not.toThrow();
  });

  it('are refused without %%EOF near the end', () => {
    expect(() => assertPdf(pdf('x', ''))).toThrow(AppError);
    expect(() => assertPdf(pdf('x', `%%EOF\n${'x'.repeat(2000)}`))).toThrow(AppError);
  });

  it('are refused without a proper header', () => {
    expect(() => assertPdf(Buffer.from('%PDF-\n%%EOF'))).toThrow(AppError);
  });
});
