// Uploaded PDFs through the HTTP API, on both databases: one with active
// content is refused (415, the field named, the reason in Indonesian and
// English) and nothing is stored; a plain one is kept; and every route that
// serves a stored file sends PDFs as downloads under a sandbox CSP, never
// sniffed, and images with the same restrictive headers.
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn, type AdminClient } from './support/operators.ts';
import { PageClient, signInThroughPages } from './support/backoffice.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

async function plainPdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 100]);
  return Buffer.from(await document.save());
}

/** JavaScript run when the file is opened, hidden in a compressed object stream. */
async function scriptedPdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage([200, 100]);
  document.catalog.set(
    PDFName.of('OpenAction'),
    document.context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert(1)') }),
  );
  return Buffer.from(await document.save({ useObjectStreams: true }));
}

function expectServedSafely(response: LightMyRequestResponse, kind: 'pdf' | 'image'): void {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  expect(response.headers['cache-control']).toBe('no-store');
  const disposition = String(response.headers['content-disposition']);
  if (kind === 'pdf') {
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(disposition).toMatch(/^attachment; filename="[0-9a-f]+\.pdf"$/);
  } else {
    expect(disposition).toMatch(/^inline; /);
  }
}

for (const dialect of dialects) {
  describeOn(dialect)(`uploaded PDFs on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-10T03:00:00Z');
    let runtime: TestRuntime;
    let staff: AdminClient;
    let pages: PageClient;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
      await createOperator(runtime, 'staff@cekrek.test', ['reviewer', 'mediator', 'registrar']);
      const signed = await signedIn(runtime, clock, 'staff@cekrek.test');
      staff = signed.client;
      await createOperator(runtime, 'pages@cekrek.test', ['reviewer', 'mediator']);
      pages = new PageClient(runtime.app);
      await signInThroughPages(pages, clock, 'pages@cekrek.test', 'a long test password 123');
    });
    afterAll(async () => {
      await runtime?.close();
    });

    async function fileReport(evidence: Buffer, lang = 'id', number = '1234567890') {
      const body = await multipart({ ...validReportFields, number }, [
        { name: 'evidence', content: evidence, fileName: 'mutasi.pdf', type: 'application/pdf' },
        { name: 'evidence', content: await smallJpeg(3), fileName: 'bukti.jpg' },
      ]);
      return runtime.app.inject({
        method: 'POST',
        url: `/api/v1/reports?lang=${lang}`,
        ...body,
      });
    }

    async function storedFiles(): Promise<number> {
      const row = await runtime.database.db
        .selectFrom('files')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    it('refuses a PDF with JavaScript: 415, the field and the reason, nothing stored', async () => {
      const before = await storedFiles();
      const refused = await fileReport(await scriptedPdf());
      expect(refused.statusCode, refused.body).toBe(415);
      const problem = refused.json<{
        code: string;
        errors: { field: string; message: string }[];
      }>();
      expect(problem.code).toBe('unsupported_file_type');
      expect(problem.errors).toEqual([
        { field: 'evidence', message: expect.stringContaining('skrip') as unknown },
      ]);
      const english = await fileReport(await scriptedPdf(), 'en');
      expect(english.json<{ errors: { message: string }[] }>().errors[0]?.message).toContain(
        'scripts',
      );
      expect(await storedFiles()).toBe(before);
    });

    it('keeps a plain PDF and serves every stored file as a sandboxed, unsniffed download', async () => {
      const filed = await fileReport(await plainPdf(), 'id', '5550001234');
      expect(filed.statusCode, filed.body).toBe(201);
      const { ticket } = filed.json<{ ticket: string }>();
      const report = await runtime.database.db
        .selectFrom('reports')
        .select('id')
        .where('ticket', '=', ticket)
        .executeTakeFirstOrThrow();
      const files = await runtime.database.db
        .selectFrom('files')
        .select(['id', 'mime'])
        .where('owner_kind', '=', 'report')
        .where('owner_id', '=', Number(report.id))
        .execute();
      const pdf = files.find((f) => f.mime === 'application/pdf')!;
      const jpeg = files.find((f) => f.mime === 'image/jpeg')!;

      expectServedSafely(await staff.request('GET', `/api/v1/admin/files/${pdf.id}`), 'pdf');
      expectServedSafely(await staff.request('GET', `/api/v1/admin/files/${jpeg.id}`), 'image');
      expectServedSafely(await pages.get(`/admin/berkas/${pdf.id}`), 'pdf');
      expectServedSafely(await pages.get(`/admin/berkas/${jpeg.id}`), 'image');

      // The same report's evidence opened by a mediator through a normalization request.
      const verified = await staff.request('POST', `/api/v1/admin/reports/${report.id}/decision`, {
        decision: 'verify',
        reason: 'evidence_sufficient',
      });
      expect(verified.statusCode, verified.body).toBe(200);
      const owner = await multipart(
        {
          provider: '014',
          number: '5550001234',
          holderName: 'Budi Santoso',
          nik: '3201014501900001',
          phone: '0812-3333-4444',
          email: 'owner@example.id',
          statement:
            'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir.',
        },
        [
          { name: 'savingsBookPhoto', content: await smallJpeg(10), fileName: 'buku.jpg' },
          { name: 'idCardPhoto', content: await smallJpeg(11), fileName: 'ktp.jpg' },
          {
            name: 'evidence',
            content: await plainPdf(),
            fileName: 'resi.pdf',
            type: 'application/pdf',
          },
        ],
      );
      const normalized = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/normalizations',
        ...owner,
      });
      expect(normalized.statusCode, normalized.body).toBe(201);
      const request = await runtime.database.db
        .selectFrom('normalization_requests')
        .select('id')
        .where('ticket', '=', normalized.json<{ ticket: string }>().ticket)
        .executeTakeFirstOrThrow();
      const ownerPdf = await runtime.database.db
        .selectFrom('files')
        .select('id')
        .where('owner_kind', '=', 'normalization')
        .where('owner_id', '=', Number(request.id))
        .where('mime', '=', 'application/pdf')
        .executeTakeFirstOrThrow();
      for (const fileId of [ownerPdf.id, pdf.id]) {
        expectServedSafely(
          await staff.request('GET', `/api/v1/admin/normalizations/${request.id}/files/${fileId}`),
          'pdf',
        );
        expectServedSafely(
          await pages.get(`/admin/normalisasi/${request.id}/berkas/${fileId}`),
          'pdf',
        );
      }
    });
  });
}
