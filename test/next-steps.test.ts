// What happens next is always stated: the receipts of a report and a seller
// registration say within how many days a decision usually comes
// (REPORT_REVIEW_DAYS, REGISTRATION_REVIEW_DAYS), the tracking page and the
// ticket's JSON say by when while none is made (and plainly when that date
// has passed), and the decision mails say what the outcome means and what
// the person can still do, in their language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedReports } from './support/factories.ts';
import { renderMail } from '../src/mail/templates.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { registrationDocuments, validRegistrationFields } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const day = 86_400_000;
const context = { publicBaseUrl: 'https://cekrek.example.id' };

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

describe('the expected time to a decision', () => {
  const clock = new ManualClock('2026-03-02T03:00:00Z');
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', {
      clock,
      env: {
        REPORT_REVIEW_DAYS: '4',
        REGISTRATION_REVIEW_DAYS: '2',
        NORMALIZATION_DECISION_DAYS: '9',
      },
    });
    await seedReports(runtime.database, [{ provider: '014', number: '7774000099' }]);
  });
  afterAll(async () => {
    await runtime.close();
  });

  async function postPage(
    url: string,
    fields: Record<string, string>,
    parts: Parameters<typeof multipart>[1],
  ) {
    const body = await multipart(fields, parts);
    return runtime.app.inject({
      method: 'POST',
      url,
      payload: body.payload,
      headers: { ...body.headers, accept: 'text/html' },
    });
  }

  let seq = 0;

  async function fileReport(lang: 'id' | 'en' = 'id') {
    seq += 1;
    const filed = await postPage(
      lang === 'en' ? '/lapor?lang=en' : '/lapor',
      { ...validReportFields, number: `777400000${seq}` },
      [{ name: 'evidence', content: await smallJpeg(seq), fileName: 'bukti.jpg' }],
    );
    expect(filed.statusCode).toBe(200);
    const ticket = /LAP-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(filed.body)![0];
    const token = /id="tracking-code" value="([^"]+)"/.exec(filed.body)![1]!;
    return { page: filed, ticket, token };
  }

  it('is on the receipt of a report and of a seller registration, in days', async () => {
    const report = await fileReport();
    expect(textOf(report.page.body)).toContain(
      'Biasanya ada keputusan dalam 4 hari sejak dikirim.',
    );
    const english = await fileReport('en');
    expect(textOf(english.page.body)).toContain(
      'A decision usually comes within 4 days of submission.',
    );
    const registered = await postPage(
      '/daftar-penjual',
      { ...validRegistrationFields, number: '7774000011' },
      await registrationDocuments(),
    );
    expect(registered.statusCode, registered.body).toBe(200);
    expect(textOf(registered.body)).toContain('Biasanya ada keputusan dalam 2 hari sejak dikirim.');
  });

  it('is on the receipt of a request for normalization, in days', async () => {
    const requested = await postPage(
      '/normalisasi',
      {
        provider: '014',
        number: '7774000099',
        holderName: 'Budi Santoso',
        nik: '3201014501900001',
        phone: '0812-3333-4444',
        email: 'owner@example.id',
        statement:
          'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir.',
      },
      [
        { name: 'savingsBookPhoto', content: await smallJpeg(2), fileName: 'buku.jpg' },
        { name: 'idCardPhoto', content: await smallJpeg(3), fileName: 'ktp.jpg' },
        { name: 'evidence', content: await smallJpeg(4), fileName: 'resi.jpg' },
      ],
    );
    expect(requested.statusCode, requested.body).toBe(200);
    expect(textOf(requested.body)).toContain('Biasanya ada keputusan dalam 9 hari sejak dikirim.');
  });

  it('is on the tracking page and in the JSON while no decision is made', async () => {
    const { ticket, token } = await fileReport();
    const tracked = await runtime.app.inject({
      url: `/lacak?tiket=${ticket}&token=${token}`,
      headers: { accept: 'text/html' },
    });
    expect(tracked.statusCode).toBe(200);
    const text = textOf(tracked.body);
    expect(text).toContain('Kapan ada keputusan');
    expect(text).toContain('Biasanya ada keputusan dalam 4 hari sejak dikirim.');
    expect(text).toContain('Perkiraan keputusan: sekitar 6 Maret 2026.');
    const json = await runtime.app.inject({
      url: `/api/v1/tickets/${ticket}`,
      headers: { 'x-tracking-token': token },
    });
    expect(json.json()).toMatchObject({
      ticket,
      kind: 'report',
      status: 'submitted',
      expectedBy: new Date(clock.now().getTime() + 4 * day).toISOString(),
    });
  });

  it('says plainly when the usual time has passed', async () => {
    const { ticket, token } = await fileReport();
    clock.advance(5 * day);
    const tracked = await runtime.app.inject({
      url: `/lacak?tiket=${ticket}&token=${token}&lang=en`,
      headers: { accept: 'text/html' },
    });
    const text = textOf(tracked.body);
    expect(text).toContain('This is taking longer than usual.');
    expect(text).not.toContain('Expected decision');
  });
});

describe('decision mails with next steps', () => {
  it('tells a reporter of a verified report what it means and to go to the bank and the police', () => {
    const mail = renderMail(
      { kind: 'report_decided', ticket: 'LAP-7K3Q-9M2X', decision: 'verified' },
      'id',
      context,
    );
    expect(mail.text).toContain('kini melihatnya sebagai rekening yang dilaporkan');
    expect(mail.text).toContain('hubungi bank atau penyedia dompet elektronik Anda');
    expect(mail.text).toContain('buat laporan ke kepolisian');
    expect(mail.text).toContain('simpan semua bukti');
  });

  it('tells a reporter of a rejected report the reason, what it means, and what is left to do', () => {
    const mail = renderMail(
      {
        kind: 'report_decided',
        ticket: 'LAP-7K3Q-9M2X',
        decision: 'rejected',
        reason: 'Insufficient evidence',
        reasonCode: 'insufficient_evidence',
      },
      'en',
      context,
    );
    expect(mail.text).toContain('Hello,');
    expect(mail.text).toContain('Reason: Insufficient evidence');
    expect(mail.text).toContain('the evidence you sent is not enough');
    expect(mail.text).toContain('you can submit a new report: https://cekrek.example.id/lapor');
    expect(mail.text).toContain('contact us: https://cekrek.example.id/kontak');
    expect(mail.html).toContain('<a href="https://cekrek.example.id/kontak">');
  });

  it('tells an approved seller how to use the page, QR code and badge', () => {
    const mail = renderMail(
      {
        kind: 'registration_decided',
        ticket: 'REG-7K3Q-9M2X',
        decision: 'approved',
        sellerPage: 'https://cekrek.example.id/penjual/abc?sig=x',
        proofUrl: 'https://cekrek.example.id/daftar-penjual/bukti?tiket=REG-7K3Q-9M2X',
      },
      'id',
      context,
    );
    expect(mail.subject).toBe('Pendaftaran rekening REG-7K3Q-9M2X: Disetujui');
    expect(mail.text).toContain('tampil sebagai rekening penjual terverifikasi');
    expect(mail.text).toContain('https://cekrek.example.id/penjual/abc?sig=x');
    expect(mail.text).toContain('pasang kode QR atau lencana penjual');
    expect(mail.text).toContain('/daftar-penjual/bukti?tiket=REG-7K3Q-9M2X');
  });

  it('tells a rejected seller the reason, what it means and how to register again', () => {
    const mail = renderMail(
      {
        kind: 'registration_decided',
        ticket: 'REG-7K3Q-9M2X',
        decision: 'rejected',
        reason: 'Dokumen tidak terbaca',
        reasonCode: 'documents_unreadable',
      },
      'id',
      context,
    );
    expect(mail.subject).toBe('Pendaftaran rekening REG-7K3Q-9M2X: Ditolak');
    expect(mail.text).toContain('Alasan: Dokumen tidak terbaca');
    expect(mail.text).toContain('tidak cukup jelas untuk dibaca');
    expect(mail.text).toContain('Anda dapat mendaftar lagi');
    expect(mail.text).toContain('https://cekrek.example.id/daftar-penjual');
    expect(mail.text).toContain('https://cekrek.example.id/kontak');
  });
});
