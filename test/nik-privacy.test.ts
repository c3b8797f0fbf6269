// The NIK never leaves in a public answer. On both databases, seller
// registrations and normalization requests are filed through the API and the
// form, in Indonesian and English, each with its own NIK typed in a different
// way; the registrations are approved and one request is granted; then every
// answer the public can get about them is searched for each NIK in any form:
// the 201 bodies, the receipts, /lacak, the tickets API, the answer page, the
// seller's proof, page, badge and name check, and the check (API and page),
// in both languages. The mails and the log lines are searched too.
//
// The rule: a public answer holds no five consecutive digits of a NIK (with
// or without spaces, dots or dashes between them) and no masked form that
// keeps its first digits; at most its last four may show.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { outboxMessages } from './support/mail.ts';
import { multipart, smallJpeg, validReportFields, type FilePart } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { registrationDocuments, validRegistrationFields } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

/** Structurally valid NIKs (province, regency, district, birth date, serial), each as typed. */
const niks = {
  registrationApi: { nik: '7371084712880159', typed: '7371084712880159' },
  registrationForm: { nik: '5171036609950427', typed: '5171 0366 0995 0427' },
  registrationFormEn: { nik: '1271022505910733', typed: '1271-0225-0591-0733' },
  normalizationApi: { nik: '6471052103870316', typed: '647105.210387.0316' },
  normalizationForm: { nik: '3578041708930582', typed: '3578 04 170893 0582' },
  normalizationFormEn: { nik: '6171064909960841', typed: '6171064909960841' },
} as const;

const allNiks = Object.values(niks).map((n) => n.nik);

/** Windows of `length` consecutive digits of the NIK. */
function windows(nik: string, length: number): string[] {
  return Array.from({ length: nik.length - length + 1 }, (_, i) => nik.slice(i, i + length));
}

/**
 * Where a NIK shows in a text, if it does: five of its digits in a row in a
 * number (ten inside any run of digits, letters around it or not), or its
 * start before a mask. Digits written in groups (spaces, dots, dashes) read as
 * one number; SVG geometry is not text. Log lines, full of request ids and
 * timestamps, are held to ten digits (`shortest`).
 */
function nikTraces(text: string, nik: string, shortest = 5): string[] {
  const joined = text
    .replace(/\s(?:d|points|viewBox|transform)="[^"]*"/g, '')
    .replace(/(?<=\d)[ \t.\-\u00a0\u202f]+(?=\d)/g, '');
  const traces: string[] = [];
  for (const [run] of joined.matchAll(/\d{5,}/g)) {
    const long = windows(nik, Math.max(shortest, 10)).some((w) => run.includes(w));
    if (long) traces.push(run);
  }
  for (const [number] of joined.matchAll(/(?<![\p{L}\d])\d{5,}(?![\p{L}\d])/gu)) {
    if (windows(nik, shortest).some((w) => number.includes(w))) traces.push(number);
  }
  const masked = new RegExp(`(?<![\\p{L}\\d])${nik.slice(0, 4)}[*•×xX#_]`, 'u').exec(joined);
  if (masked) traces.push(masked[0]);
  return [...new Set(traces)];
}

describe('the NIK search', () => {
  const nik = '7371084712880159';
  it('finds a NIK whole, grouped, cut short or masked at the end', () => {
    for (const text of [
      `{"nik":"${nik}"}`,
      '<td>7371 0847 1288 0159</td>',
      '7371-0847-1288-0159',
      '737108.471288.0159',
      'NIK 7371084712******',
      '7371********0159',
      '7371••••••••0159',
      '…88015…',
      'token=ab7371084712880159cd',
    ]) {
      expect(nikTraces(text, nik), text).not.toEqual([]);
    }
  });

  it('lets the last four digits and unrelated numbers through', () => {
    for (const text of [
      'NIK ************0159',
      'Tiket REG-8HSB-KS1K, 2026-03-02T03:00:00.000Z',
      'Rekening 7772 0000 11, telepon 0812-3333-4444',
      'reqId 3e24f4e0-b8dc-471084b2-e408304ab751, path d="M73 71.0847 12.88"',
    ]) {
      expect(nikTraces(text, nik), text).toEqual([]);
    }
  });
});

interface Filed {
  readonly ticket: string;
  readonly trackingToken: string;
}

for (const dialect of dialects) {
  describeOn(dialect)(`no NIK in a public answer on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-02T03:00:00Z');
    let runtime: TestRuntime;
    let registrar: AdminClient;
    let reviewer: AdminClient;
    let mediatorA: AdminClient;
    let mediatorB: AdminClient;
    /** Every public answer collected, by what was asked. */
    const answers = new Map<string, string>();
    let seq = 0;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { PUBLIC_BASE_URL: 'https://cekrek.example.id', SIGN_IN_RATE_LIMIT: '0' },
      });
      const staff = [
        ['registrar', 'registrar'],
        ['reviewer', 'reviewer'],
        ['mediator-a', 'mediator'],
        ['mediator-b', 'mediator'],
      ] as const;
      const clients: AdminClient[] = [];
      for (const [name, role] of staff) {
        await createOperator(runtime, `${name}@cekrek.test`, [role]);
        clients.push((await signedIn(runtime, clock, `${name}@cekrek.test`)).client);
      }
      [registrar, reviewer, mediatorA, mediatorB] = clients as [
        AdminClient,
        AdminClient,
        AdminClient,
        AdminClient,
      ];
    });
    afterAll(async () => {
      await runtime?.close();
    });

    function keep(label: string, response: LightMyRequestResponse): LightMyRequestResponse {
      expect(response.statusCode, `${label}: ${response.body.slice(0, 300)}`).toBeLessThan(400);
      answers.set(label, response.body);
      return response;
    }

    /** A public GET as a browser (pages) or a client (API) makes it. */
    function publicGet(url: string, headers: Record<string, string> = {}) {
      seq += 1;
      return runtime.app.inject({ url, headers, remoteAddress: `10.8.0.${seq % 250}` });
    }

    /** A page in Indonesian and in English. */
    async function keepPage(label: string, path: string) {
      const glue = path.includes('?') ? '&' : '?';
      keep(`${label} (id)`, await publicGet(path, { accept: 'text/html' }));
      keep(`${label} (en)`, await publicGet(`${path}${glue}lang=en`, { accept: 'text/html' }));
    }

    /** An API answer, asked in Indonesian and in English. */
    async function keepApi(label: string, path: string, headers: Record<string, string> = {}) {
      keep(`${label} (id)`, await publicGet(path, { ...headers, 'accept-language': 'id' }));
      keep(`${label} (en)`, await publicGet(path, { ...headers, 'accept-language': 'en' }));
    }

    /** The ticket and tracking code a receipt page gives, from its tracking link. */
    function receiptTicket(html: string): Filed {
      const href = /class="tracking-link" href="([^"]+)"/.exec(html)?.[1];
      if (!href) throw new Error('the receipt has no tracking link');
      const url = new URL(href.replaceAll('&amp;', '&'), 'https://x');
      return {
        ticket: url.searchParams.get('tiket')!,
        trackingToken: url.searchParams.get('token')!,
      };
    }

    async function keepTracking(label: string, filed: Filed) {
      const query = new URLSearchParams({ tiket: filed.ticket, token: filed.trackingToken });
      await keepPage(`${label} /lacak`, `/lacak?${query.toString()}`);
      await keepApi(`${label} tickets API`, `/api/v1/tickets/${filed.ticket}`, {
        'x-tracking-token': filed.trackingToken,
      });
    }

    async function keepCheck(label: string, number: string) {
      await keepApi(`${label} check API`, `/api/v1/accounts/014/${number}`);
      await keepPage(`${label} check page`, `/rekening/014/${number}`);
    }

    async function registerThroughApi(number: string, nik: string): Promise<Filed> {
      const body = await multipart(
        { ...validRegistrationFields, number, nik, email: `api-${number}@example.id` },
        await registrationDocuments(),
      );
      const filed = keep(
        `registration ${number} 201`,
        await runtime.app.inject({ method: 'POST', url: '/api/v1/registrations', ...body }),
      );
      expect(filed.statusCode).toBe(201);
      return filed.json<Filed>();
    }

    async function registerThroughForm(number: string, nik: string, lang: 'id' | 'en') {
      const body = await multipart(
        { ...validRegistrationFields, number, nik, email: `form-${number}@example.id` },
        await registrationDocuments(),
      );
      const receipt = keep(
        `registration ${number} receipt (${lang})`,
        await runtime.app.inject({
          method: 'POST',
          url: `/daftar-penjual?lang=${lang}`,
          payload: body.payload,
          headers: { ...body.headers, accept: 'text/html' },
        }),
      );
      expect(receipt.statusCode).toBe(200);
      return receiptTicket(receipt.body);
    }

    async function approve(filed: Filed) {
      const row = await runtime.database.db
        .selectFrom('seller_registrations')
        .select('id')
        .where('ticket', '=', filed.ticket)
        .executeTakeFirstOrThrow();
      const decided = await registrar.request(
        'POST',
        `/api/v1/admin/registrations/${row.id}/decision`,
        { decision: 'approve', reason: 'documents_match' },
      );
      expect(decided.statusCode, decided.body).toBe(200);
    }

    /** After approval: the proof, the seller page, its badge, QR code and name check. */
    async function keepSeller(label: string, filed: Filed) {
      const links = keep(
        `${label} links API`,
        await publicGet(`/api/v1/registrations/${filed.ticket}/links`, {
          'x-tracking-token': filed.trackingToken,
        }),
      ).json<{ sellerPage: string; qrCode: string; badge: string }>();
      for (const lang of ['id', 'en']) {
        keep(
          `${label} proof (${lang})`,
          await runtime.app.inject({
            method: 'POST',
            url: `/daftar-penjual/bukti?lang=${lang}`,
            payload: new URLSearchParams({
              tiket: filed.ticket,
              token: filed.trackingToken,
            }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
          }),
        );
      }
      const page = new URL(links.sellerPage);
      const publicId = page.pathname.split('/')[2]!;
      const sig = page.searchParams.get('sig')!;
      await keepPage(`${label} seller page`, page.pathname + page.search);
      await keepPage(`${label} badge`, new URL(links.badge).pathname + new URL(links.badge).search);
      // The QR code is the seller page's address, searched above as the page it leads to.
      expect(links.qrCode).toContain(`/penjual/${publicId}/qr.svg?sig=${sig}`);
      await keepApi(`${label} seller API`, `/api/v1/sellers/${publicId}?signature=${sig}`);
      keep(
        `${label} name check API`,
        await runtime.app.inject({
          method: 'POST',
          url: `/api/v1/sellers/${publicId}/name-check`,
          payload: { signature: sig, name: 'Budi Santoso' },
          remoteAddress: `10.9.${seq % 250}.1`,
        }),
      );
      for (const lang of ['id', 'en']) {
        keep(
          `${label} name check page (${lang})`,
          await runtime.app.inject({
            method: 'POST',
            url: `/penjual/${publicId}/cek-nama?lang=${lang}`,
            payload: new URLSearchParams({ sig, nama: 'Budi Santoso' }).toString(),
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
            remoteAddress: `10.9.${seq % 250}.2`,
          }),
        );
      }
    }

    async function verifiedReport(number: string) {
      seq += 1;
      const body = await multipart(
        { ...validReportFields, number, reporterEmail: `pelapor-${number}@example.id` },
        [{ name: 'evidence', content: await smallJpeg(seq), fileName: 'bukti.jpg' }],
      );
      const filed = await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
      expect(filed.statusCode, filed.body).toBe(201);
      const row = await runtime.database.db
        .selectFrom('reports')
        .select('id')
        .where('ticket', '=', filed.json<Filed>().ticket)
        .executeTakeFirstOrThrow();
      const decided = await reviewer.request('POST', `/api/v1/admin/reports/${row.id}/decision`, {
        decision: 'verify',
        reason: 'evidence_sufficient',
      });
      expect(decided.statusCode, decided.body).toBe(200);
    }

    async function normalizationBody(number: string, nik: string) {
      const files: FilePart[] = [
        { name: 'savingsBookPhoto', content: await smallJpeg(70), fileName: 'buku.jpg' },
        { name: 'idCardPhoto', content: await smallJpeg(71), fileName: 'ktp.jpg' },
        { name: 'evidence', content: await smallJpeg(72), fileName: 'resi.jpg' },
      ];
      return multipart(
        {
          provider: '014',
          number,
          holderName: 'Budi Santoso',
          nik,
          phone: '0812-3333-4444',
          email: `owner-${number}@example.id`,
          statement:
            'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
        },
        files,
      );
    }

    it('files registrations and normalizations, approves and grants, and collects every public answer', async () => {
      // Seller registrations: through the API, and the form in both languages.
      const viaApi = await registerThroughApi('7773000001', niks.registrationApi.typed);
      const viaForm = await registerThroughForm('7773000002', niks.registrationForm.typed, 'id');
      const viaFormEn = await registerThroughForm(
        '7773000003',
        niks.registrationFormEn.typed,
        'en',
      );
      const registrations = [
        ['7773000001', viaApi],
        ['7773000002', viaForm],
        ['7773000003', viaFormEn],
      ] as const;
      for (const [number, filed] of registrations) {
        await keepTracking(`registration ${number} submitted`, filed);
        await approve(filed);
        await keepTracking(`registration ${number} approved`, filed);
        await keepSeller(`registration ${number}`, filed);
        await keepCheck(`registration ${number}`, number);
      }

      // Normalizations: an owner disputes verified reports, through the API and the form.
      for (const number of ['7773000011', '7773000012', '7773000013']) await verifiedReport(number);
      const apiFiled = keep(
        'normalization 7773000011 201',
        await runtime.app.inject({
          method: 'POST',
          url: '/api/v1/normalizations',
          ...(await normalizationBody('7773000011', niks.normalizationApi.typed)),
        }),
      );
      expect(apiFiled.statusCode, apiFiled.body).toBe(201);
      const normalizations: [string, Filed][] = [['7773000011', apiFiled.json<Filed>()]];
      for (const [number, nik, lang] of [
        ['7773000012', niks.normalizationForm.typed, 'id'],
        ['7773000013', niks.normalizationFormEn.typed, 'en'],
      ] as const) {
        const body = await normalizationBody(number, nik);
        const receipt = keep(
          `normalization ${number} receipt (${lang})`,
          await runtime.app.inject({
            method: 'POST',
            url: `/normalisasi?lang=${lang}`,
            payload: body.payload,
            headers: { ...body.headers, accept: 'text/html' },
          }),
        );
        expect(receipt.statusCode, receipt.body.slice(0, 500)).toBe(200);
        normalizations.push([number, receiptTicket(receipt.body)]);
      }

      // A question to each owner, answered on the answer page; the first request granted.
      const queue = (await mediatorA.request('GET', '/api/v1/admin/normalizations')).json<{
        normalizations: { id: number; ticket: string }[];
      }>().normalizations;
      for (const [number, filed] of normalizations) {
        await keepTracking(`normalization ${number} submitted`, filed);
        await keepCheck(`normalization ${number} disputed`, number);
        const id = queue.find((n) => n.ticket === filed.ticket)!.id;
        const asked = await mediatorA.request(
          'POST',
          `/api/v1/admin/normalizations/${id}/information-requests`,
          { party: 'owner', question: 'Mohon kirim foto resi pengiriman yang asli.' },
        );
        expect(asked.statusCode, asked.body).toBe(201);
        const query = new URLSearchParams({ tiket: filed.ticket, token: filed.trackingToken });
        await keepPage(`normalization ${number} answer page`, `/lacak/jawab?${query.toString()}`);
      }
      const [grantedNumber, granted] = normalizations[0]!;
      const grantedId = queue.find((n) => n.ticket === granted.ticket)!.id;
      // The reporters are told of the dispute first; here they answered by phone.
      const notified = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${grantedId}/reporter-notices`,
        {},
      );
      expect(notified.statusCode, notified.body).toBe(201);
      const hearings = (
        await mediatorA.request('GET', `/api/v1/admin/normalizations/${grantedId}`)
      ).json<{ hearings: { reportId: number }[] }>().hearings;
      for (const { reportId } of hearings) {
        const excused = await mediatorA.request(
          'POST',
          `/api/v1/admin/normalizations/${grantedId}/reporter-excuses`,
          { reportId, reason: 'other', note: 'Pelapor menjawab lewat telepon.' },
        );
        expect(excused.statusCode, excused.body).toBe(204);
      }
      const proposed = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${grantedId}/decision`,
        { decision: 'grant', reason: 'Barang terbukti terkirim dan diterima; laporan keliru.' },
      );
      expect(proposed.statusCode, proposed.body).toBe(202);
      const confirmed = await mediatorB.request(
        'POST',
        `/api/v1/admin/normalizations/${grantedId}/confirmation`,
        { confirm: true, reason: 'Sesuai bukti.' },
      );
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      await keepTracking(`normalization ${grantedNumber} granted`, granted);
      await keepCheck(`normalization ${grantedNumber} normalized`, grantedNumber);

      // Each page in both languages, each API in both; sanity: the answers are the real ones.
      expect(answers.size).toBeGreaterThan(80);
      expect(answers.get('registration 7773000001 seller page (id)')).toContain('Tautan asli');
      expect(answers.get('registration 7773000003 receipt (en)')).toContain('lang="en"');
      expect(answers.get('normalization 7773000012 disputed check API (en)')).toContain(
        '"disputed"',
      );
    });

    it('finds no NIK in any of those answers', () => {
      expect(answers.size).toBeGreaterThan(0);
      const found: string[] = [];
      for (const [label, body] of answers) {
        for (const nik of allNiks) {
          for (const trace of nikTraces(body, nik)) found.push(`${label}: ${trace}`);
        }
      }
      expect(found).toEqual([]);
    });

    it('finds no NIK in the mails sent or in a log line', async () => {
      // Registrations: 3 receipts, 3 approvals; reports: 3 receipts, 3 verdicts;
      // normalizations: 3 receipts, 3 questions, the dispute notice to the granted
      // request's reporter, the grant to its owner and its reporter.
      await vi.waitFor(() => expect(outboxMessages(runtime)).toHaveLength(6 + 6 + 3 + 3 + 1 + 2), {
        timeout: 30_000,
        interval: 200,
      });
      const mails = outboxMessages(runtime).map((m) => `${m.text}\n${m.html}`);
      const logs = JSON.stringify(runtime.logs);
      const found = allNiks.flatMap((nik) => [
        ...mails.flatMap((mail) => nikTraces(mail, nik)),
        ...nikTraces(logs, nik, 10),
      ]);
      expect(found).toEqual([]);
    });
  });
}
