// Seller registrations in tests: valid fields, the three documents, and
// registering through the API as a seller would.
import type { LightMyRequestResponse } from 'fastify';
import type { Runtime } from '../../src/main.ts';
import { multipart, smallJpeg, type FilePart } from './multipart.ts';

export const validRegistrationFields = {
  provider: '014',
  number: '7770001111',
  holderName: 'Budi Santoso',
  phone: '0812-3333-4444',
  email: 'budi@example.id',
  nik: '3201011505900001',
  businessName: 'Toko Maju Jaya',
  businessType: 'fashion',
} as const;

/** A small valid PDF: the header and the end marker the store checks for. */
export function smallPdf(text = 'Nomor Induk Berusaha 1234567890123'): Buffer {
  return Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`, 'latin1');
}

export async function registrationDocuments(seed = 0): Promise<FilePart[]> {
  return [
    { name: 'businessPermit', content: smallPdf(), fileName: 'nib.pdf', type: 'application/pdf' },
    {
      name: 'savingsBookPhoto',
      content: await smallJpeg(seed + 1),
      fileName: 'tabungan.jpg',
      type: 'image/jpeg',
    },
    {
      name: 'idCardPhoto',
      content: await smallJpeg(seed + 2),
      fileName: 'ktp.jpg',
      type: 'image/jpeg',
    },
  ];
}

export interface Registered {
  readonly ticket: string;
  readonly trackingToken: string;
}

/** Registers through the API; the response as it came. */
export async function postRegistration(
  runtime: Runtime,
  fields: Record<string, string> = {},
  documents?: FilePart[],
  options: { headers?: Record<string, string>; ip?: string } = {},
): Promise<LightMyRequestResponse> {
  const body = await multipart(
    { ...validRegistrationFields, ...fields },
    documents ?? (await registrationDocuments()),
  );
  return runtime.app.inject({
    method: 'POST',
    url: '/api/v1/registrations',
    payload: body.payload,
    headers: { ...body.headers, ...options.headers },
    remoteAddress: options.ip ?? '127.0.0.1',
  });
}
