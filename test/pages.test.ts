// The public pages through fastify.inject: languages, every result state of
// the demo data, the form's redirects and errors, escaping, the shared rate
// limit, and hostile input. The browser half is pages.browser.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const htmlType = 'text/html; charset=utf-8';

/** Demo data is seeded relative to this instant, so the dates below are fixed. */
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

describe('every page', () => {
  const pages = [
    ['/', 200],
    ['/tentang', 200],
    ['/rekening/014/0000000001', 200],
    ['/rekening/014/1234567890', 200],
    ['/cek?jenis=bank&bank=&nomor=', 400],
    ['/halaman/yang/tidak/ada', 404],
  ] as const;

  it.each(pages)('%s answers HTML in UTF-8, Indonesian by default', async (url, status) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe(htmlType);
    expect(response.body.startsWith('<!doctype html><html lang="id">')).toBe(true);
    expect(response.body).toMatch(/<link rel="stylesheet" href="\/assets\/site\.[0-9a-f]+\.css"/);
    expect(response.body).toContain('English</a>');
    // No page needs a script; the one a check result carries only adds a copy button.
    const copyScript = /<script src="\/assets\/copy\.[0-9a-f]+\.js" defer><\/script>/g;
    expect(response.body.replace(copyScript, '')).not.toContain('<script');
  });

  it.each(pages)('%s answers in English with ?lang=en', async (url, status) => {
    const response = await get(`${url}${url.includes('?') ? '&' : '?'}lang=en`);
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe(htmlType);
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toContain('Bahasa Indonesia</a>');
  });
});

describe('security headers', () => {
  it('sends a strict CSP without inline scripts, no framing, and no HSTS over plain HTTP', async () => {
    const response = await get('/');
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('sends HSTS over HTTPS, as a trusted proxy reports it', async () => {
    const behindProxy = await startTestRuntime('sqlite', { env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const https = await behindProxy.app.inject({
        url: '/',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(https.headers['strict-transport-security']).toBe(
        'max-age=31536000; includeSubDomains',
      );
      // The same header from anyone else is not believed.
      const spoofed = await behindProxy.app.inject({
        url: '/',
        remoteAddress: '203.0.113.9',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    } finally {
      await behindProxy.close();
    }
  });
});

describe('language', () => {
  it('follows Accept-Language', async () => {
    const english = await get('/', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Check an account before you transfer');
    const indonesian = await get('/', { 'accept-language': 'id-ID,id;q=0.9,en;q=0.8' });
    expect(indonesian.body).toContain('<html lang="id">');
    expect(indonesian.body).toContain('Cek rekening sebelum transfer');
    expect(english.headers.vary).toContain('Accept-Language');
  });

  it('sets a lang cookie for a year when ?lang is given, and the choice sticks', async () => {
    const chosen = await get('/tentang?lang=en');
    const cookie = chosen.cookies.find((c) => c.name === 'lang');
    expect(cookie).toMatchObject({ value: 'en', path: '/', sameSite: 'Lax', maxAge: 31_536_000 });

    const later = await get('/', { cookie: 'lang=en' });
    expect(later.body).toContain('<html lang="en">');
    expect(later.cookies).toHaveLength(0);
    // ?lang wins over the cookie, and replaces it.
    const back = await get('/?lang=id', { cookie: 'lang=en', 'accept-language': 'en' });
    expect(back.body).toContain('<html lang="id">');
    expect(back.cookies.find((c) => c.name === 'lang')?.value).toBe('id');
  });

  it('keeps ?lang on the site’s own links and in the form', async () => {
    const response = await get('/?lang=en');
    expect(response.body).toContain('href="/tentang?lang=en"');
    expect(response.body).toContain('<input type="hidden" name="lang" value="en"/>');
    expect(response.body).toContain('href="?lang=id"');
    const result = await get('/rekening/014/0000000001?lang=en');
    expect(result.body).toContain('href="/tentang?lang=en#kontak"');
    expect(result.body).toContain('href="/?lang=en">Check another account</a>');
  });
});

describe('home page', () => {
  it('has the kind switch, the bank chooser with every bank, the e-wallets and the number field', async () => {
    const { body } = await get('/');
    expect(body).toContain('<form class="check-form card" method="get" action="/cek"');
    expect(body).toMatch(/<input type="radio" id="jenis-bank" name="jenis" value="bank" checked/);
    expect(body).toMatch(/<input type="radio" id="jenis-ewallet" name="jenis" value="ewallet"\/>/);
    expect(body).toContain('list="bank-list"');
    expect(body).toContain('<option value="014 · BCA — Bank Central Asia"></option>');
    expect(body).toContain('<option value="008 · Mandiri — Bank Mandiri"></option>');
    for (const [slug, name] of [
      ['ovo', 'OVO'],
      ['gopay', 'GoPay'],
      ['dana', 'DANA'],
      ['shopeepay', 'ShopeePay'],
      ['linkaja', 'LinkAja'],
    ]) {
      expect(body).toContain(`<option value="${slug}">${name}</option>`);
    }
    expect(body).toMatch(/<input type="text" class="number-input" id="number" name="nomor"/);
    expect(body).toContain('inputmode="numeric" autocomplete="off"');
    expect(textOf(body)).toContain('“Belum ada laporan” bukan jaminan bahwa rekening aman.');
    expect(textOf(body)).toContain('Apa itu cekrek?');
  });

  it('suggests the demo accounts, marked as demo data', async () => {
    const text = textOf((await get('/')).body);
    expect(text).toContain('DATA DEMO');
    expect(text).toContain('Situs ini memuat DATA DEMO');
    expect(text).toContain('BCA 0000 0000 01 — Dilaporkan');
    expect(text).toContain('DANA 0812-0000-0005 — Dilaporkan');
    expect(text).toContain('BNI 0000 0000 04 — Belum ada laporan · Penjual terverifikasi');
  });
});

describe('result page', () => {
  it('reported: count, categories with counts, first and last dates, a strong warning', async () => {
    const response = await get('/rekening/014/0000000001');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const text = textOf(response.body);
    expect(response.body).toContain('class="status status-reported"');
    expect(text).toContain('BCA — Bank Central Asia 0000 0000 01');
    expect(text).toContain('Dilaporkan');
    expect(text).toContain('3 laporan terverifikasi');
    expect(text).toContain('Jangan transfer ke rekening ini.');
    expect(text).toContain('Penipuan transaksi online 2 laporan');
    expect(text).toContain('Penipuan investasi 1 laporan');
    expect(text).toContain('Laporan pertama 13 Agustus 2025');
    expect(text).toContain('Laporan terakhir 17 Februari 2026');
    expect(text).toContain('DATA DEMO');
    expect(response.body).toContain('<meta name="robots" content="noindex"/>');
    expect(response.body).toContain('href="/">Cek rekening lain</a>');
  });

  it('reported, in English with the English names and dates', async () => {
    const text = textOf((await get('/rekening/014/0000000001?lang=en')).body);
    expect(text).toContain('Reported');
    expect(text).toContain('3 verified reports');
    expect(text).toContain('Do not transfer money to this account.');
    expect(text).toContain('Online shopping fraud 2 reports');
    expect(text).toContain('Investment fraud 1 report');
    expect(text).toContain('First report 13 August 2025');
    expect(text).toContain('Latest report 17 February 2026');
    expect(text).toContain('DEMO DATA');
    expect(text).toContain('Check another account');
  });

  it('disputed: the dispute mark with its date, and the reports', async () => {
    const { body } = await get('/rekening/008/0000000000002');
    const text = textOf(body);
    expect(body).toContain('class="status status-disputed"');
    expect(text).toContain('Dalam proses sanggah / normalisasi');
    expect(text).toContain('Sejak 26 Februari 2026');
    expect(text).toContain('1 laporan terverifikasi');
    expect(text).toContain('Penipuan transaksi online 1 laporan');
    expect(text).toContain('Laporan pertama 31 Desember 2025');
    expect(textOf((await get('/rekening/008/0000000000002?lang=en')).body)).toContain(
      'Under dispute / normalization Since 26 February 2026',
    );
  });

  it('normalized: the mark with its date, and no report counts', async () => {
    const { body } = await get('/rekening/002/000000000000003');
    const text = textOf(body);
    expect(body).toContain('class="status status-normalized"');
    expect(text).toContain('Telah dinormalisasi Pada 30 Januari 2026');
    expect(text).not.toContain('laporan terverifikasi');
    expect(textOf((await get('/rekening/002/000000000000003?lang=en')).body)).toContain(
      'Normalized On 30 January 2026',
    );
  });

  it('verified seller: business name, masked holder, verified date, and no reports', async () => {
    const { body } = await get('/rekening/009/0000000004');
    const text = textOf(body);
    expect(body).toContain('class="status status-seller"');
    expect(text).toContain('Penjual terverifikasi');
    expect(text).toContain('Nama usaha Toko Contoh Sejahtera (DEMO)');
    expect(text).toContain('Nama pemilik rekening B*** S******');
    expect(text).toContain('Diverifikasi pada 1 Desember 2025');
    expect(text).toContain('Belum ada laporan');
    expect(text).not.toContain('Budi');
    expect(text).not.toContain('Santoso');
  });

  it('reported e-wallet: DANA and the phone number as people write it', async () => {
    const text = textOf((await get('/rekening/dana/6281200000005')).body);
    expect(text).toContain('DANA 0812-0000-0005');
    expect(text).toContain('E-wallet');
    expect(text).toContain('1 laporan terverifikasi');
    expect(text).toContain('Judi online 1 laporan');
    expect(text).toContain('Laporan terakhir 24 Februari 2026');
  });

  it('clear: no reports, never a guarantee, with tips, and no demo label', async () => {
    const { body } = await get('/rekening/014/1234567890');
    const text = textOf(body);
    expect(body).toContain('class="status status-clear"');
    expect(text).toContain('Belum ada laporan');
    expect(text).toContain('Ini bukan jaminan bahwa rekening ini aman');
    expect(text).toContain('Sebelum transfer');
    expect(text).not.toContain('DATA DEMO');
    expect(text).not.toContain('Dilaporkan');
    expect(textOf((await get('/rekening/014/1234567890?lang=en')).body)).toContain(
      'No reports yet There are no verified reports',
    );
  });

  it('notes an unusual length gently, and still answers', async () => {
    const response = await get('/rekening/014/12345');
    expect(response.statusCode).toBe(200);
    const text = textOf(response.body);
    expect(text).toContain('nomor ini terdiri dari 5 angka');
    expect(text).toContain('BCA biasanya 10 angka');
    expect(response.body).toContain('class="status status-clear"');
  });

  it('redirects aliases and written forms to the canonical URL, keeping ?lang', async () => {
    const cases = [
      ['/rekening/bca/000-000-0001', '/rekening/014/0000000001'],
      ['/rekening/BCA/0000000001', '/rekening/014/0000000001'],
      ['/rekening/014/000%20000%200001', '/rekening/014/0000000001'],
      ['/rekening/dana/0812-0000-0005', '/rekening/dana/6281200000005'],
      ['/rekening/dana/+62%20812%200000%200005', '/rekening/dana/6281200000005'],
      ['/rekening/bca/0000000001?lang=en', '/rekening/014/0000000001?lang=en'],
    ];
    for (const [from, to] of cases) {
      const response = await get(from!);
      expect(response.statusCode, from).toBe(308);
      expect(response.headers.location, from).toBe(to);
    }
  });
});

describe('the form at /cek', () => {
  it('redirects with 303 to the canonical result, from a name, a code, an alias or a label', async () => {
    const banks = ['bca', 'BCA', '014', 'Bank Central Asia', '014 · BCA — Bank Central Asia'];
    for (const bank of banks) {
      const query = new URLSearchParams({
        jenis: 'bank',
        bank,
        ewallet: '',
        nomor: '000-000-0001',
      });
      const response = await get(`/cek?${query.toString()}`);
      expect(response.statusCode, bank).toBe(303);
      expect(response.headers.location, bank).toBe('/rekening/014/0000000001');
    }
  });

  it('uses the chooser of the chosen kind', async () => {
    const ewallet = await get('/cek?jenis=ewallet&bank=bca&ewallet=dana&nomor=0812-0000-0005');
    expect(ewallet.headers.location).toBe('/rekening/dana/6281200000005');
    const bank = await get('/cek?jenis=bank&bank=bca&ewallet=dana&nomor=0000000001');
    expect(bank.headers.location).toBe('/rekening/014/0000000001');
  });

  it('keeps ?lang through the redirect', async () => {
    const response = await get('/cek?jenis=bank&bank=014&nomor=0000000001&lang=en');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/rekening/014/0000000001?lang=en');
  });

  it('shows the form again with 400, the typed values and a message per field', async () => {
    const response = await get('/cek?jenis=bank&bank=Bank+Antah&ewallet=&nomor=12ab');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toBe(htmlType);
    const { body } = response;
    expect(body).toContain('value="Bank Antah"');
    expect(body).toContain('value="12ab"');
    expect(body).toContain('<p class="field-error" id="bank-error">');
    expect(body).toContain('<p class="field-error" id="number-error">');
    expect(body).toContain('aria-describedby="bank-hint bank-error"');
    const text = textOf(body);
    expect(text).toContain('Pilih bank atau e-wallet dari daftar.');
    expect(text).toContain('Nomor hanya boleh berisi angka 0–9');
    expect(body).toMatch(/<title>Kesalahan: /);
  });

  it('names the e-wallet field when no e-wallet was chosen, and keeps the kind', async () => {
    const response = await get('/cek?jenis=ewallet&bank=&ewallet=&nomor=0812-0000-0005&lang=en');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="field-error" id="ewallet-error">');
    expect(response.body).toMatch(/id="jenis-ewallet" name="jenis" value="ewallet" checked/);
    expect(textOf(response.body)).toContain('Choose a bank or e-wallet from the list.');
    expect(response.body).toContain('value="0812-0000-0005"');
  });

  it('explains a too short bank number and a number that is not a mobile number', async () => {
    const short = await get('/cek?jenis=bank&bank=bca&nomor=123');
    expect(short.statusCode).toBe(400);
    expect(textOf(short.body)).toContain('Nomor terlalu pendek');
    const landline = await get('/cek?jenis=ewallet&ewallet=ovo&nomor=021-555-1234');
    expect(landline.statusCode).toBe(400);
    expect(textOf(landline.body)).toContain('Masukkan nomor ponsel Indonesia');
    expect(landline.body).toMatch(/<option value="ovo" selected/);
  });

  it('a result URL with a bad number shows the form the same way', async () => {
    const response = await get('/rekening/bca/12x');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('value="bca"');
    expect(textOf(response.body)).toContain('Nomor hanya boleh berisi angka 0–9');
    const unknown = await get('/rekening/999/1234567890');
    expect(unknown.statusCode).toBe(400);
    expect(textOf(unknown.body)).toContain('Pilih bank atau e-wallet dari daftar.');
  });

  it('keeps the form values through the language switch', async () => {
    const { body } = await get('/cek?jenis=bank&bank=xyz&nomor=1');
    expect(body).toContain('href="?jenis=bank&amp;bank=xyz&amp;nomor=1&amp;lang=en"');
  });

  it('sends /cek without any field to the home page', async () => {
    const response = await get('/cek');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
  });

  it('shows HTML typed into the fields as text, never as markup', async () => {
    const attack = '<script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const query = new URLSearchParams({ jenis: 'bank', bank: attack, nomor: attack });
    const response = await get(`/cek?${query.toString()}`);
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('<script');
    expect(response.body).not.toContain('<img');
    // Inside a quoted attribute only < & " need escaping; > may stay.
    expect(response.body).toContain(
      'value="&lt;script>alert(1)&lt;/script>&quot;>&lt;img src=x onerror=alert(2)>"',
    );
    const inPath = await get(
      `/rekening/${encodeURIComponent(attack)}/${encodeURIComponent(attack)}`,
    );
    expect(inPath.statusCode).toBe(400);
    expect(inPath.body).not.toContain('<script');
    expect(inPath.body).not.toContain('<img');
    const notFound = await get(`/${encodeURIComponent(attack)}?q=${encodeURIComponent(attack)}`);
    expect(notFound.statusCode).toBe(404);
    expect(notFound.body).not.toContain('<script');
    expect(notFound.body).not.toContain('<img');
  });
});

describe('about page', () => {
  it('shows the contact numbers as tel: links and the e-mail as a mailto: link', async () => {
    const response = await get('/tentang');
    expect(response.statusCode).toBe(200);
    const { body } = response;
    const { contact } = runtime.config;
    expect(contact.phones.length).toBeGreaterThan(0);
    for (const phone of contact.phones) {
      expect(body).toContain(`href="tel:${phone.replace(/[^\d+]/g, '')}">${phone}</a>`);
    }
    expect(body).toContain(`href="mailto:${contact.email}">${contact.email}</a>`);
    const text = textOf(body);
    expect(text).toContain('Tentang cekrek');
    expect(text).toContain('Normalisasi rekening');
    expect(text).toContain(`Pengelola ${contact.organization}`);
    expect(textOf((await get('/tentang?lang=en')).body)).toContain('About cekrek');
  });
});

describe('errors and assets', () => {
  it('answers unknown paths with an HTML 404 page to browsers, problem JSON to others', async () => {
    const page = await get('/tidak-ada');
    expect(page.statusCode).toBe(404);
    expect(page.headers['content-type']).toBe(htmlType);
    expect(textOf(page.body)).toContain('Halaman tidak ditemukan');
    const english = await get('/tidak-ada', { 'accept-language': 'en' });
    expect(textOf(english.body)).toContain('Page not found');
    const json = await runtime.app.inject({ url: '/tidak-ada', headers: { accept: '*/*' } });
    expect(json.statusCode).toBe(404);
    expect(json.headers['content-type']).toContain('application/problem+json');
  });

  it('keeps the API on problem JSON even when the client asks for HTML', async () => {
    const response = await get('/api/v1/accounts/999/1234567890');
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const missing = await get('/api/v1/nothing');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
  });

  it('answers a failure with an HTML 500 page that shows the request id and no internals', async () => {
    const spy = vi.spyOn(runtime.checks, 'check').mockImplementation(() => {
      throw new Error('database exploded at /secret/path');
    });
    try {
      const response = await get('/rekening/014/1234567890', { 'x-request-id': 'req-500-test' });
      expect(response.statusCode).toBe(500);
      expect(response.headers['content-type']).toBe(htmlType);
      const text = textOf(response.body);
      expect(text).toContain('Terjadi kesalahan pada server');
      expect(text).toContain('req-500-test');
      expect(text).not.toContain('exploded');
      expect(text).not.toContain('/secret/path');
    } finally {
      spy.mockRestore();
    }
  });

  it('serves the stylesheet under its content hash, cached for a year', async () => {
    const home = await get('/');
    const href = /href="(\/assets\/site\.[0-9a-f]+\.css)"/.exec(home.body)?.[1];
    expect(href).toBeDefined();
    const css = await runtime.app.inject({ url: href! });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain(':has(#jenis-ewallet:checked)');
    expect((await get('/assets/site.0000.css')).statusCode).toBe(404);
  });

  it('answers path tricks, huge and repeated input with 4xx, never 500', async () => {
    const urls = [
      '/rekening/014/..%2F..%2Fetc%2Fpasswd',
      '/rekening/..%2F..%2F/0000000001',
      '/rekening/../../etc/passwd',
      '/rekening/014/../../package.json',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/../../package.json',
      '/tentang/..%2F..%2F..%2Fetc%2Fpasswd',
      `/rekening/014/${'9'.repeat(3000)}`,
      `/rekening/${'x'.repeat(3000)}/0000000001`,
      `/rekening/014/${'9'.repeat(5000)}`,
      `/cek?jenis=bank&bank=${'a'.repeat(2000)}&nomor=${'1'.repeat(1500)}`,
      `/cek?jenis=${'x'.repeat(3000)}`,
      '/cek?jenis=bank&jenis=ewallet&bank=bca&bank=bni&nomor=1&nomor=2',
      '/cek?jenis=bank&bank=%E0%A4%A&nomor=%',
      '/rekening/014/%E0%A4%A',
      '/rekening/%00/%00',
      '/cek?jenis=ewallet&ewallet=__proto__&nomor=constructor',
    ];
    for (const url of urls) {
      const response = await get(url);
      expect(response.statusCode, url).toBeGreaterThanOrEqual(300);
      expect(response.statusCode, url).toBeLessThan(500);
    }
    const huge = await get(`/cek?jenis=bank&bank=bca&nomor=${'1'.repeat(3000)}`);
    expect(huge.statusCode).toBe(400);
    expect(textOf(huge.body)).toContain('Nomor terlalu panjang');
  });
});

describe('rate limit shared by the pages and the API', () => {
  let limited: TestRuntime;

  beforeAll(async () => {
    limited = await startTestRuntime('sqlite', { env: { CHECK_RATE_LIMIT: '2' } });
  });

  afterAll(async () => {
    await limited.close();
  });

  const from = (remoteAddress: string, url: string, headers: Record<string, string> = {}) =>
    limited.app.inject({ url, remoteAddress, headers: { accept: 'text/html', ...headers } });

  it('counts page checks and API checks together, then answers an HTML 429 with Retry-After', async () => {
    const client = '203.0.113.10';
    expect((await from(client, '/rekening/014/1234567890')).statusCode).toBe(200);
    expect((await from(client, '/api/v1/accounts/014/1234567890')).statusCode).toBe(200);

    const page = await from(client, '/rekening/014/1234567890');
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toBe(htmlType);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(0);
    const text = textOf(page.body);
    expect(text).toContain('Terlalu banyak pemeriksaan');
    expect(text).toMatch(/Coba lagi (kurang dari satu menit|sekitar 1 menit) lagi/);

    const api = await from(client, '/api/v1/accounts/014/1234567890');
    expect(api.statusCode).toBe(429);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ code: 'rate_limited' });

    // The form only redirects; the result page it leads to is what counts.
    const form = await from(client, '/cek?jenis=bank&bank=bca&nomor=1234567890&lang=en');
    expect(form.statusCode).toBe(303);
    const result = await from(client, form.headers.location as string);
    expect(result.statusCode).toBe(429);
    expect(result.body).toContain('<html lang="en">');
    expect(textOf(result.body)).toContain('Too many checks');
  });

  it('answers the HTML 429 on a page route even without Accept: text/html', async () => {
    const client = '203.0.113.11';
    const plain = (url: string) => limited.app.inject({ url, remoteAddress: client });
    await plain('/api/v1/accounts/014/1234567890');
    await plain('/api/v1/accounts/014/1234567890');
    const page = await plain('/rekening/014/1234567890');
    expect(page.statusCode).toBe(429);
    expect(page.headers['content-type']).toBe(htmlType);
    expect(page.headers['retry-after']).toBeDefined();
  });

  it('leaves the home and about pages unlimited', async () => {
    const client = '203.0.113.12';
    for (let i = 0; i < 5; i++) {
      expect((await from(client, '/')).statusCode).toBe(200);
      expect((await from(client, '/tentang')).statusCode).toBe(200);
    }
  });

  it('suggests no demo accounts when the database holds no demo data', async () => {
    const text = textOf((await from('203.0.113.13', '/')).body);
    expect(text).not.toContain('DATA DEMO');
  });
});
