// The report form (/lapor), its receipt and the tracking page (/lacak) through
// fastify.inject: languages, prefilling, a report filed and tracked, every
// refusal answered with the form as it was typed, and tracking that tells a
// wrong token and an unknown ticket apart by nothing. The browser half is
// report.pages.browser.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const htmlType = 'text/html; charset=utf-8';

const clock = new ManualClock('2026-03-01T05:00:00Z');

let runtime: TestRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { env: { CEKREK_DEMO: 'on' }, clock });
});

afterAll(async () => {
  await runtime.close();
});

function get(url: string, headers: Record<string, string> = {}) {
  return runtime.app.inject({ url, headers: { accept: 'text/html', ...headers } });
}

/** The page's text without tags, with whitespace collapsed, for content assertions. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

interface Evidence {
  readonly content: Buffer;
  readonly fileName: string;
}

async function jpegs(count: number): Promise<Evidence[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      content: await smallJpeg(i),
      fileName: `bukti-${i}.jpg`,
    })),
  );
}

async function post(
  fields: Record<string, string>,
  evidence: readonly Evidence[],
  options: { url?: string; app?: TestRuntime['app']; remoteAddress?: string } = {},
) {
  const body = await multipart(
    fields,
    evidence.map((e) => ({ name: 'evidence', ...e })),
  );
  return (options.app ?? runtime.app).inject({
    method: 'POST',
    url: options.url ?? '/lapor',
    payload: body.payload,
    headers: { ...body.headers, accept: 'text/html' },
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
}

/** The tracking link of a receipt, as a browser would follow it. */
function trackingLinkOf(html: string): string {
  const link = /<a class="tracking-link" href="([^"]+)"/.exec(html)?.[1];
  if (!link) throw new Error('the receipt has no tracking link');
  return link.replaceAll('&amp;', '&');
}

const fieldLabels = [
  ['provider', 'Bank atau e-wallet'],
  ['number', 'Nomor rekening atau nomor HP e-wallet'],
  ['holderName', 'Nama pemilik rekening'],
  ['reportedPhone', 'Nomor telepon terlapor'],
  ['reportedSocials', 'Akun media sosial terlapor'],
  ['reportedWebsite', 'Situs web terlapor'],
  ['category', 'Jenis kejahatan'],
  ['transferDate', 'Tanggal transfer atau kejadian'],
  ['incidentTime', 'Jam kejadian'],
  ['amount', 'Jumlah kerugian (rupiah)'],
  ['platform', 'Tempat kejadian'],
  ['locationDetails', 'Rincian tempat kejadian'],
  ['city', 'Kota'],
  ['chronology', 'Kronologi'],
  ['reporterName', 'Nama Anda'],
  ['reporterEmail', 'E-mail Anda'],
  ['reporterPhone', 'Nomor HP Anda'],
  ['evidence', 'Berkas bukti'],
] as const;

describe('the report form', () => {
  it('is one multipart form in five steps, every field labelled and described', async () => {
    const response = await get('/lapor');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(htmlType);
    const html = response.body;
    expect(html.startsWith('<!doctype html><html lang="id">')).toBe(true);
    expect(html.match(/<form /g)).toHaveLength(1);
    expect(html).toMatch(
      /<form class="report-form" method="post" enctype="multipart\/form-data" action="\/lapor"/,
    );
    const legends = [
      ...html.matchAll(/<legend><h2><span class="step-count">([^<]+)<\/span>([^<]+)<\/h2>/g),
    ].map((m) => `${m[1]}: ${m[2]}`);
    expect(legends).toEqual([
      'Langkah 1 dari 5: Rekening',
      'Langkah 2 dari 5: Terlapor',
      'Langkah 3 dari 5: Kejadian dan kronologi',
      'Langkah 4 dari 5: Pelapor',
      'Langkah 5 dari 5: Bukti',
    ]);
    for (const [field, label] of fieldLabels) {
      expect(html, field).toContain(`<label for="${field}">${label}<`);
      expect(html, field).toContain(
        `id="${field}" name="${field}" aria-describedby="${field}-hint"`,
      );
      expect(html, field).toContain(`<p class="hint" id="${field}-hint">`);
    }
    expect(html).toContain(
      'type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf"',
    );
    // The browser refuses what the server would, before sending it (file-check.js).
    expect(html).toMatch(/id="evidence"[^>]*data-max-bytes="5242880"/);
    expect(html).toContain('data-too-large="Berkas “{fileName}” lebih besar dari 5 MB.');
    expect(textOf(html)).toContain('paling besar 5 MB per berkas');
    expect(html).toMatch(/id="transferDate"[^>]*type="date"[^>]*max="2026-03-01"/);
    expect(html).toMatch(/id="incidentTime"[^>]*type="time"/);
    expect(html).toMatch(/<textarea id="chronology" name="chronology"/);
    expect(html).toMatch(/id="reporterName"[^>]*autocomplete="name"/);
    expect(html).toMatch(/id="reporterEmail"[^>]*type="email"[^>]*autocomplete="email"/);
    expect(html).toMatch(/id="reporterPhone"[^>]*type="tel"[^>]*autocomplete="tel"/);
    expect(html).toContain('<input type="hidden" name="altcha" value/>');
    expect(html).toMatch(/<p id="altcha-status" class="altcha-status" aria-live="polite"/);
    expect(textOf(html)).toContain('Identitas Anda tidak pernah ditampilkan kepada publik');
    // Every category, fraud kinds grouped, and the home page's searchable bank chooser.
    expect(html).toContain('<optgroup label="Penipuan"><option value="online_shopping_fraud">');
    expect(html).toMatch(/id="provider" name="provider"[^>]*type="text" list="provider-list"/);
    expect(html).toContain('<option value="014 · BCA — Bank Central Asia"></option>');
    expect(html).toContain('<option value="DANA"></option>');
    expect(html).toContain('href="?lang=en"');
    expect(html).toContain('English</a>');
  });

  it('runs no inline script: self-hosted scripts, deferred, served under their hash', async () => {
    const html = (await get('/lapor')).body;
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(2);
    expect(scripts.map((s) => s[2])).toEqual(['', '']);
    expect(scripts[1]![1]).toMatch(/src="\/assets\/file-check\.[0-9a-f]{12}\.js" defer/);
    const src = /src="(\/assets\/altcha\.[0-9a-f]{12}\.js)" defer/.exec(scripts[0]![1]!)?.[1];
    expect(src).toBeDefined();
    const script = await runtime.app.inject({ url: src! });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.body).toContain("subtle.digest('SHA-256'");
    // Only the report form carries it.
    expect((await get('/')).body).not.toContain('<script');
    expect((await get('/lacak')).body).not.toContain('<script');
  });

  it('answers in English with ?lang=en, and keeps the language when posting', async () => {
    const response = await get('/lapor?lang=en');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('Bahasa Indonesia</a>');
    expect(response.body).toContain('action="/lapor?lang=en"');
    const text = textOf(response.body);
    expect(text).toContain('Report an account');
    expect(text).toContain('Your identity is never shown to the public');
    expect(response.body).toContain(
      '<optgroup label="Fraud"><option value="online_shopping_fraud">',
    );
  });

  it('comes with the account of a result page chosen already', async () => {
    const bank = await get('/lapor?bank=014&nomor=0000000001');
    expect(bank.body).toMatch(/id="provider"[^>]*value="014 · BCA — Bank Central Asia"/);
    expect(bank.body).toMatch(/id="number"[^>]*value="0000000001"/);
    const ewallet = await get('/lapor?bank=dana&nomor=6281200000005');
    expect(ewallet.body).toMatch(/id="provider"[^>]*value="DANA"/);
    const unknown = await get('/lapor?bank=nope&nomor=%3Cb%3E');
    expect(unknown.statusCode).toBe(200);
    expect(unknown.body).not.toMatch(/id="provider"[^>]*value="[^"]/);
    expect(unknown.body).toMatch(/id="number"[^>]*value="&lt;b>"/);
  });
});

describe('filing a report', () => {
  it('shows the ticket and a tracking link once, and the link tracks the report', async () => {
    const filed = await post({ ...validReportFields, number: '7770001111' }, await jpegs(2));
    expect(filed.statusCode, filed.body).toBe(200);
    expect(filed.headers['cache-control']).toBe('no-store');
    const text = textOf(filed.body);
    expect(text).toContain('Laporan Anda sudah kami terima');
    const ticket = /LAP-[0-9A-Z]{4}-[0-9A-Z]{4}/.exec(text)?.[0];
    expect(ticket).toBeDefined();
    expect(text).toContain('Kode pelacakan hanya ditampilkan sekali');
    expect(text).toContain('Tanda terima dikirim ke e-mail Anda');
    expect(filed.body).not.toContain('siti@example.id');

    const link = trackingLinkOf(filed.body);
    expect(link).toMatch(new RegExp(`^/lacak\\?tiket=${ticket}&token=[\\w-]{20,}$`));
    expect(text).toContain(`http://localhost${link}`);

    const tracked = await get(link);
    expect(tracked.statusCode).toBe(200);
    expect(tracked.headers['cache-control']).toBe('no-store');
    expect(tracked.headers['referrer-policy']).toBe('no-referrer');
    const tracking = textOf(tracked.body);
    expect(tracking).toContain(`Tiket ${ticket}`);
    expect(tracking).toContain('Status saat ini: Diterima, menunggu pemeriksaan');
    expect(tracking).toContain('1 Maret 2026 pukul 12.00 WIB');

    const english = textOf((await get(`${link}&lang=en`)).body);
    expect(english).toContain('Current status: Received, awaiting review');
  });

  it('switches the receipt’s language to the tracking page, never to an empty form', async () => {
    const filed = await post({ ...validReportFields, number: '7770002222' }, await jpegs(1));
    const link = trackingLinkOf(filed.body);
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    const switchHref = /href="(\?[^"]*lang=en)"/.exec(filed.body)?.[1]?.replaceAll('&amp;', '&');
    expect(switchHref).toContain(`token=${token}`);
    const switched = await get(`/lapor${switchHref}`);
    expect(switched.statusCode).toBe(303);
    expect(switched.headers.location).toBe(`${link}&lang=en`);
  });

  it('shows the reviewer’s reason in words once the report is decided', async () => {
    const filed = await post({ ...validReportFields, number: '7770003333' }, await jpegs(1));
    const link = trackingLinkOf(filed.body);
    await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
    const { client } = await signedIn(runtime, clock, 'reviewer@cekrek.test');
    const queue = await client.request('GET', '/api/v1/admin/reports');
    const item = queue
      .json<{ reports: { id: number; account: { key: string } }[] }>()
      .reports.find((r) => r.account.key === '014:7770003333')!;
    const decided = await client.request('POST', `/api/v1/admin/reports/${item.id}/decision`, {
      decision: 'reject',
      reason: 'insufficient_evidence',
    });
    expect(decided.statusCode, decided.body).toBe(200);
    const text = textOf((await get(link)).body);
    expect(text).toContain('Status saat ini: Ditolak');
    expect(text).toContain('Alasan: Bukti belum cukup');
    expect(text).not.toContain('reason:');
    expect(textOf((await get(`${link}&lang=en`)).body)).toContain('Reason: Insufficient evidence');
  });
});

describe('a refused report', () => {
  const typed = {
    ...validReportFields,
    number: '7770004444',
    holderName: 'Toko "Murah" & <Jaya>',
    reportedSocials: '@tokomurah',
    locationDetails: '<img src=x onerror=alert(1)>',
    chronology:
      'Saya transfer lalu diblokir. <b>Tebal</b> <script>alert("x")</script> dan tidak ada barang.',
    reporterEmail: 'bukan-email',
  };

  it('answers 400 with every typed value kept and escaped, and every fault named', async () => {
    const refused = await post(typed, await jpegs(1));
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['cache-control']).toBe('no-store');
    const html = refused.body;
    expect(html).toContain('<title>Kesalahan: Laporkan rekening · cekrek</title>');
    expect(html).toMatch(/<section class="error-summary"[^>]*autofocus/);
    expect(html).toContain(
      '<a href="#reporterEmail">E-mail Anda: Masukkan alamat e-mail yang valid',
    );
    expect(html).toContain(
      '<a href="#evidence">Berkas bukti: Berkas yang Anda pilih tadi belum terkirim',
    );
    expect(html).toMatch(
      /id="reporterEmail" name="reporterEmail" aria-invalid="true" aria-describedby="reporterEmail-hint reporterEmail-error"/,
    );
    expect(html).toContain('<p class="field-error" id="reporterEmail-error">');
    expect(html).toMatch(/id="provider"[^>]*value="014 · BCA — Bank Central Asia"/);
    expect(html).toContain('<option value="online_shopping_fraud" selected>');
    expect(html).toContain('value="Toko &quot;Murah&quot; &amp; &lt;Jaya>"');
    expect(html).toContain('value="&lt;img src=x onerror=alert(1)>"');
    expect(html).toContain(
      '&lt;b>Tebal&lt;/b> &lt;script>alert(&quot;x&quot;)&lt;/script> dan tidak ada barang.</textarea>',
    );
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<b>Tebal');
    for (const field of ['reportedSocials', 'platform', 'city', 'reporterName', 'amount']) {
      const value = typed[field as keyof typeof typed];
      expect(html, field).toMatch(new RegExp(`id="${field}"[^>]*value="${value}"`));
    }
    expect(html).toMatch(/id="transferDate"[^>]*value="2026-02-20"/);
    expect(html).toMatch(/id="reporterEmail"[^>]*value="bukan-email"/);
    expect(html).toMatch(/id="reporterPhone"[^>]*value="0812-1111-2222"/);
    // Files are never kept; the file field says so.
    expect(html).toMatch(/id="evidence" name="evidence" aria-invalid="true"/);
  });

  it('names a missing evidence file together with the other faults', async () => {
    const refused = await post({ ...typed, chronology: 'pendek' }, []);
    expect(refused.statusCode).toBe(400);
    const summary = /<section class="error-summary"[\s\S]*?<\/section>/.exec(refused.body)![0];
    const links = [...summary.matchAll(/<a href="#(\w+)">/g)].map((m) => m[1]);
    expect(links).toEqual(['chronology', 'reporterEmail', 'evidence']);
    expect(textOf(summary)).toContain('Lampirkan 1 sampai 5 berkas bukti');
  });

  it('answers a program renamed .jpg with 415 and the form again, as typed', async () => {
    const program = Buffer.concat([
      Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]),
      Buffer.alloc(500),
    ]);
    const refused = await post({ ...validReportFields, number: '7770005555' }, [
      ...(await jpegs(1)),
      { content: program, fileName: 'foto.jpg' },
    ]);
    expect(refused.statusCode).toBe(415);
    expect(refused.headers['content-type']).toBe(htmlType);
    const text = textOf(refused.body);
    expect(text).toContain('Jenis berkas tidak didukung');
    // The summary names the file refused, and the field it was sent in.
    expect(text).toContain(
      'Berkas “foto.jpg” tidak bisa diterima: kirim berkas JPEG, PNG, WebP atau PDF.',
    );
    expect(text).toContain('Berkas bukti: Jenis berkas tidak didukung.');
    expect(refused.body).toContain('enctype="multipart/form-data"');
    expect(refused.body).toMatch(/id="number"[^>]*value="7770005555"/);
    expect(refused.body).toMatch(/id="holderName"[^>]*value="Budi Santoso"/);
  });

  it('answers a second open report on the same account with 409 and the form', async () => {
    const fields = { ...validReportFields, number: '7770006666' };
    expect((await post(fields, await jpegs(1))).statusCode).toBe(200);
    const again = await post(fields, await jpegs(1));
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toContain('Laporan sudah ada');
    expect(again.body).toMatch(/id="number"[^>]*value="7770006666"/);
    // Sending it again cannot succeed: no asking for the files again.
    expect(textOf(again.body)).not.toContain('pilih lagi berkasnya');
  });

  it('answers in English when the form was posted in English', async () => {
    const refused = await post(typed, await jpegs(1), { url: '/lapor?lang=en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<html lang="en">');
    expect(textOf(refused.body)).toContain('Please fix the following');
    expect(textOf(refused.body)).toContain('please choose them again');
  });
});

describe('the rate limit of filed reports', () => {
  let limited: TestRuntime;

  beforeAll(async () => {
    limited = await startTestRuntime('sqlite', { env: { REPORT_RATE_LIMIT: '1' }, clock });
  });

  afterAll(async () => {
    await limited.close();
  });

  it('answers 429 with the form, in the form’s words, and Retry-After', async () => {
    const options = { app: limited.app, remoteAddress: '203.0.113.20' };
    const first = await post({ ...validReportFields }, await jpegs(1), options);
    expect(first.statusCode).toBe(200);
    const second = await post(
      { ...validReportFields, number: '7770007777' },
      await jpegs(1),
      options,
    );
    expect(second.statusCode).toBe(429);
    expect(second.headers['content-type']).toBe(htmlType);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    const text = textOf(second.body);
    expect(text).toContain('Terlalu banyak permintaan');
    expect(text).not.toContain('pemeriksaan');
    expect(text).not.toContain('pilih lagi berkasnya');
    expect(second.body).toContain('enctype="multipart/form-data"');
  });
});

describe('the tracking page', () => {
  it('is a GET form for the ticket and the tracking code, prefilled from the query', async () => {
    const empty = await get('/lacak');
    expect(empty.statusCode).toBe(200);
    expect(empty.headers['cache-control']).toBe('no-store');
    expect(empty.headers['referrer-policy']).toBe('no-referrer');
    expect(empty.body).toMatch(/<form class="card" method="get" action="\/lacak"/);
    expect(empty.body).toContain('<label for="ticket">Nomor tiket</label>');
    expect(empty.body).toContain('<label for="token">Kode pelacakan</label>');
    expect(empty.body).not.toContain('error-summary');

    // The e-mail's link carries the ticket only: the form, to be finished, without complaint.
    const fromMail = await get('/lacak?tiket=LAP-7K3Q-9M2X');
    expect(fromMail.statusCode).toBe(200);
    expect(fromMail.body).toMatch(/id="ticket" name="tiket" value="LAP-7K3Q-9M2X"/);
    expect(fromMail.body).not.toContain('error-summary');

    const english = await get('/lacak?lang=en');
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('<input type="hidden" name="lang" value="en"/>');
    expect(textOf(english.body)).toContain('Track a report');
  });

  it('asks for both fields when one is left empty', async () => {
    const response = await get('/lacak?tiket=LAP-7K3Q-9M2X&token=');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<a href="#token">Kode pelacakan: Wajib diisi.</a>');
    expect(response.body).toMatch(/id="token" name="token" value[^>]*aria-invalid="true"/);
  });

  it('says the same for a wrong token and an unknown ticket, and stores neither', async () => {
    const filed = await post({ ...validReportFields, number: '7770008888' }, await jpegs(1));
    const link = trackingLinkOf(filed.body);
    const params = new URLSearchParams(link.split('?')[1]);
    const ticket = params.get('tiket')!;
    const token = params.get('token')!;

    const answers = await Promise.all([
      get(`/lacak?tiket=${ticket}&token=salah`),
      get(`/lacak?tiket=LAP-0000-0000&token=${token}`),
      get(`/lacak?tiket=bukan-tiket&token=${token}`),
    ]);
    const summaries = answers.map((answer) => {
      expect(answer.statusCode).toBe(404);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(answer.body).not.toContain('Status saat ini');
      return textOf(/<section class="error-summary"[\s\S]*?<\/section>/.exec(answer.body)![0]);
    });
    expect(summaries[0]).toContain('Tiket tidak ditemukan atau kode pelacakan salah');
    expect(new Set(summaries).size).toBe(1);
    // Lower case and without dashes, as people type it, the ticket is still found.
    const typedLoosely = await get(
      `/lacak?tiket=${ticket.toLowerCase().replaceAll('-', ' ')}&token=${token}`,
    );
    expect(typedLoosely.statusCode).toBe(200);
  });
});
