// Multipart bodies for inject, built by the platform's own FormData encoder.
import sharp from 'sharp';

export interface FilePart {
  readonly name: string;
  readonly content: Buffer;
  readonly fileName: string;
  readonly type?: string;
}

export async function multipart(
  fields: Readonly<Record<string, string>>,
  files: readonly FilePart[] = [],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) {
    form.append(
      file.name,
      new Blob([new Uint8Array(file.content)], { type: file.type ?? 'application/octet-stream' }),
      file.fileName,
    );
  }
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { 'content-type': response.headers.get('content-type')! },
  };
}

/** A small real JPEG, different for each seed. */
export function smallJpeg(seed = 0): Promise<Buffer> {
  return sharp({
    create: {
      width: 32,
      height: 24,
      channels: 3,
      background: { r: (seed * 40) % 256, g: 120, b: 200 },
    },
  })
    .jpeg()
    .toBuffer();
}

export const validReportFields = {
  provider: '014',
  number: '1234567890',
  holderName: 'Budi Santoso',
  category: 'online_shopping_fraud',
  chronology:
    'Saya membeli ponsel lewat Instagram, sudah transfer, lalu penjual tidak bisa dihubungi lagi.',
  amount: '1500000',
  transferDate: '2026-02-20',
  platform: 'Instagram',
  city: 'Bandung',
  reporterName: 'Siti Lestari',
  reporterEmail: 'siti@example.id',
  reporterPhone: '0812-1111-2222',
} as const;
