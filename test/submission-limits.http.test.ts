// Submission limits fair to people behind one address (carrier NAT), on both
// databases: only accepted submissions use up a client's allowance; reports,
// seller registrations and normalization requests each have their own; a
// form refused at its limit says in words when to try again and keeps what
// was typed.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { multipart, smallJpeg, validReportFields, type FilePart } from './support/multipart.ts';
import { registrationDocuments, validRegistrationFields } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

type Kind = 'report' | 'registration' | 'normalization';

const apiPaths: Record<Kind, string> = {
  report: '/api/v1/reports',
  registration: '/api/v1/registrations',
  normalization: '/api/v1/normalizations',
};
const formPaths: Record<Kind, string> = {
  report: '/lapor',
  registration: '/daftar-penjual',
  normalization: '/normalisasi',
};

/** Accounts with a verified report, which an owner can ask to normalize (one request each). */
const disputedNumbers = Array.from({ length: 6 }, (_, i) => String(7300000001 + i));

const ownerFields = {
  provider: '014',
  holderName: 'Budi Santoso',
  nik: '3201014501900001',
  phone: '0812-3333-4444',
  email: 'owner@example.id',
  statement:
    'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
} as const;

let numbers = 7400000000;
/** A number no submission of this suite used yet: no duplicate rule gets in the way. */
function freshNumber(): string {
  numbers += 1;
  return String(numbers);
}

async function submission(
  kind: Kind,
  fields: Record<string, string>,
): Promise<{ fields: Record<string, string>; files: FilePart[] }> {
  switch (kind) {
    case 'report':
      return {
        fields: {
          ...validReportFields,
          number: freshNumber(),
          reporterEmail: `pelapor${numbers}@example.id`,
          ...fields,
        },
        files: [{ name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' }],
      };
    case 'registration':
      return {
        fields: { ...validRegistrationFields, number: freshNumber(), ...fields },
        files: await registrationDocuments(),
      };
    case 'normalization':
      return {
        fields: { ...ownerFields, number: disputedNumbers[0]!, ...fields },
        files: [
          { name: 'savingsBookPhoto', content: await smallJpeg(2), fileName: 'buku.jpg' },
          { name: 'idCardPhoto', content: await smallJpeg(3), fileName: 'ktp.jpg' },
          { name: 'evidence', content: await smallJpeg(4), fileName: 'resi.jpg' },
        ],
      };
  }
}

/** The page's text without tags, with whitespace collapsed. */
function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describeEachDialect('submission limits on %s', (dialect) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime(dialect, {
      env: {
        REPORT_RATE_LIMIT: '10',
        REGISTRATION_RATE_LIMIT: '3',
        NORMALIZATION_RATE_LIMIT: '2',
      },
    });
    await seedReports(
      runtime.database,
      disputedNumbers.map((number) => ({ provider: '014', number })),
    );
  });
  afterAll(async () => {
    await runtime.close();
  });

  async function send(
    kind: Kind,
    to: 'api' | 'form',
    ip: string,
    fields: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const sent = await submission(kind, fields);
    const body = await multipart(sent.fields, sent.files);
    return runtime.app.inject({
      method: 'POST',
      url: to === 'api' ? apiPaths[kind] : formPaths[kind],
      payload: body.payload,
      headers: { ...body.headers, ...(to === 'form' ? { accept: 'text/html' } : {}) },
      remoteAddress: ip,
    });
  }

  it('takes ten valid reports after an invalid one from one address, then refuses the eleventh', async () => {
    const ip = '100.64.0.1';
    const invalid = await send('report', 'api', ip, { chronology: 'terlalu pendek' });
    expect(invalid.statusCode).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await send('report', 'api', ip)).statusCode);
    expect(statuses).toEqual(Array.from({ length: 10 }, () => 201));
    const eleventh = await send('report', 'api', ip);
    expect(eleventh.statusCode).toBe(429);
    expect(eleventh.json()).toMatchObject({ code: 'rate_limited' });
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
    // The problem's detail says the wait in words; Retry-After keeps the seconds.
    expect(eleventh.json<{ detail: string }>().detail).toMatch(/sekitar \d+ (menit|jam) lagi/);

    // Reports, registrations and normalizations have allowances of their own.
    expect((await send('registration', 'api', ip)).statusCode).toBe(201);
    const normalization = await send('normalization', 'api', ip);
    expect(normalization.statusCode, normalization.body).toBe(201);
  });

  it('counts no refused registration or normalization, and limits each on its own', async () => {
    const ip = '100.64.0.2';
    const duplicate = { number: freshNumber() };
    expect((await send('registration', 'api', ip, duplicate)).statusCode).toBe(201);
    // Refused: already registered (409) and invalid (400); neither counts.
    expect((await send('registration', 'api', ip, duplicate)).statusCode).toBe(409);
    expect((await send('registration', 'api', ip, { nik: '123' })).statusCode).toBe(400);
    expect((await send('registration', 'api', ip)).statusCode).toBe(201);
    expect((await send('registration', 'api', ip)).statusCode).toBe(201);
    expect((await send('registration', 'api', ip)).statusCode).toBe(429);

    const open = { number: disputedNumbers[1]! };
    expect((await send('normalization', 'api', ip, open)).statusCode).toBe(201);
    expect((await send('normalization', 'api', ip, open)).statusCode).toBe(409);
    const second = await send('normalization', 'api', ip, { number: disputedNumbers[2]! });
    expect(second.statusCode, second.body).toBe(201);
    expect(
      (await send('normalization', 'api', ip, { number: disputedNumbers[3]! })).statusCode,
    ).toBe(429);
    // Another address behind its own NAT is not held by this one's count.
    const other = await send('normalization', 'api', '100.64.0.3', {
      number: disputedNumbers[3]!,
    });
    expect(other.statusCode, other.body).toBe(201);
  });

  it('answers a form at its limit with the wait in words and everything typed', async () => {
    const ip = '100.64.0.4';
    for (let i = 0; i < 3; i++) {
      expect((await send('registration', 'form', ip)).statusCode).toBe(200);
    }
    const typed = { holderName: 'Rahmat Kurniawan', businessName: 'Toko Kilat Jaya' };
    const limited = await send('registration', 'form', ip, typed);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('text/html');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const text = textOf(limited.body);
    expect(text).toMatch(/Coba lagi sekitar \d+ (menit|jam) lagi\./);
    expect(text).not.toMatch(/\d+ detik/);
    expect(limited.body).toContain('value="Rahmat Kurniawan"');
    expect(limited.body).toContain('value="Toko Kilat Jaya"');
    expect(limited.body).toContain(`value="${validRegistrationFields.phone}"`);
  });

  it('keeps what was typed in the report and normalization forms at their limits', async () => {
    const ip = '100.64.0.5';
    for (let i = 0; i < 10; i++) expect((await send('report', 'form', ip)).statusCode).toBe(200);
    const report = await send('report', 'form', ip, {
      holderName: 'Dewi Anggraini',
      platform: 'Marketplace Kilat',
      chronology: 'Saya transfer untuk sepatu, lalu nomor penjual tidak aktif lagi sejak kemarin.',
    });
    expect(report.statusCode).toBe(429);
    expect(textOf(report.body)).toMatch(/sekitar \d+ (menit|jam) lagi/);
    expect(report.body).toContain('value="Dewi Anggraini"');
    expect(report.body).toContain('value="Marketplace Kilat"');
    expect(report.body).toContain('sejak kemarin.</textarea>');

    const ip2 = '100.64.0.6';
    for (const number of disputedNumbers.slice(4, 6)) {
      const sent = await send('normalization', 'form', ip2, { number });
      expect(sent.statusCode, textOf(sent.body).slice(0, 400)).toBe(200);
    }
    const normalization = await send('normalization', 'form', ip2, {
      number: '7300009999',
      holderName: 'Agus Salim',
    });
    expect(normalization.statusCode).toBe(429);
    expect(textOf(normalization.body)).toMatch(/sekitar \d+ (menit|jam) lagi/);
    expect(normalization.body).toContain('value="Agus Salim"');
    expect(normalization.body).toContain('value="7300009999"');
  });
});
