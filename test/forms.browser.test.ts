// The public forms helping rather than repeating, in a real browser (Debian's
// Chromium through playwright-core) on a 360 px screen, with JavaScript on and
// off: errors that name their field, files refused before they are sent (and,
// without the script, by the server, naming the file and the limit), the
// normalization form's first step that checks the account before asking for
// identity documents, the home page's bank chooser on every form, and the
// step each part of a long form is. axe-core finds nothing serious on any.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  clickAndLoad,
  graveViolations,
  listenOnLoopback,
  phone,
  TestBrowser,
} from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

// Several pages each, checked by axe-core, on a shared machine.
vi.setConfig({ testTimeout: 120_000 });

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  // A 1 MB limit keeps the oversized file small.
  runtime = await startTestRuntime('sqlite', { env: { UPLOAD_MAX_FILE_MB: '1' } });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

const withoutScripts = new WeakSet<Page>();

async function openPage(javaScriptEnabled: boolean): Promise<Page> {
  const page = await browser.page({ bypassCSP: true, javaScriptEnabled });
  if (!javaScriptEnabled) withoutScripts.add(page);
  return page;
}

/**
 * axe-core runs in the page: a page seen without JavaScript is checked as it
 * is, in a page with it, on the same site (so that its stylesheet applies).
 */
async function expectAccessible(page: Page) {
  let checked = page;
  if (withoutScripts.has(page)) {
    checked = await openPage(true);
    await checked.goto(`${base}/kontak`);
    await checked.setContent(await page.content());
  }
  expect(await graveViolations(checked)).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

async function photo(name: string) {
  const buffer = await sharp({
    create: { width: 48, height: 32, channels: 3, background: { r: 20, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer();
  return { name, mimeType: 'image/jpeg', buffer };
}

/** A JPEG's signature, then more bytes than the 1 MB limit allows. */
function oversized(name: string) {
  const buffer = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(1_300_000)]);
  return { name, mimeType: 'image/jpeg', buffer };
}

async function fillReport(page: Page, number: string) {
  await page.fill('#provider', '014 · BCA — Bank Central Asia');
  await page.fill('#number', number);
  await page.fill('#holderName', 'Budi Santoso');
  await page.selectOption('#category', 'online_shopping_fraud');
  await page.fill('#transferDate', daysAgo(3));
  await page.fill('#platform', 'Instagram');
  await page.fill(
    '#chronology',
    'Saya membeli ponsel lewat Instagram, sudah transfer, lalu penjual tidak bisa dihubungi.',
  );
  await page.fill('#reporterName', 'Siti Lestari');
  await page.fill('#reporterEmail', `siti+${number}@example.id`);
  await page.fill('#reporterPhone', '0812-1111-2222');
}

async function summaryText(page: Page): Promise<string> {
  return page.locator('.error-summary').first().innerText();
}

describe.each([true, false])('with JavaScript %s', (javaScriptEnabled) => {
  it('the error summary names fields', async () => {
    const page = await openPage(javaScriptEnabled);
    await page.goto(`${base}/lapor`);
    await page.fill('#number', '7770001234');
    await clickAndLoad(page, page.locator('form.report-form button[type="submit"]'));
    await page.waitForURL(`${base}/lapor`);
    await page.locator('.error-summary').waitFor();
    const summary = await summaryText(page);
    expect(summary).toContain('Bank atau e-wallet: Pilih bank atau e-wallet dari daftar.');
    expect(summary).toContain('Nama pemilik rekening: Wajib diisi.');
    expect(summary).toContain('Berkas bukti:');
    // What was typed stays; the links lead to the fields.
    expect(await page.inputValue('#number')).toBe('7770001234');
    const first = page.locator('.error-summary a').first();
    expect(await first.getAttribute('href')).toBe('#provider');
    await expectAccessible(page);
  });

  it('the seller registration’s summary names fields too', async () => {
    const page = await openPage(javaScriptEnabled);
    await page.goto(`${base}/daftar-penjual`);
    await clickAndLoad(page, page.locator('form.registration-form button[type="submit"]'));
    await page.waitForURL(`${base}/daftar-penjual`);
    await page.locator('.error-summary').waitFor();
    const summary = await summaryText(page);
    expect(summary).toMatch(/Nama pemilik rekening[^:\n]*: /);
    expect(summary).toContain('Bank atau e-wallet: Pilih bank atau e-wallet dari daftar.');
    await expectAccessible(page);
  });

  it('every form has the home page’s searchable bank chooser, and says which step is which', async () => {
    const page = await openPage(javaScriptEnabled);
    for (const [path, id] of [
      ['/', 'bank'],
      ['/lapor', 'provider'],
      ['/daftar-penjual', 'provider'],
      ['/normalisasi', 'provider'],
    ] as const) {
      await page.goto(base + path);
      const chooser = page.locator(`input#${id}[type="text"]`);
      expect(await chooser.getAttribute('list'), path).toBe(`${id}-list`);
      const options = page.locator(`datalist#${id}-list option`);
      expect(await options.count(), path).toBeGreaterThan(50);
      expect(
        await page
          .locator(`datalist#${id}-list option[value="014 · BCA — Bank Central Asia"]`)
          .count(),
        path,
      ).toBe(1);
      await expectAccessible(page);
    }
    await page.goto(`${base}/lapor`);
    const legends = await page.locator('fieldset.step legend').allInnerTexts();
    expect(legends.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'Langkah 1 dari 5 Rekening',
      'Langkah 2 dari 5 Terlapor',
      'Langkah 3 dari 5 Kejadian dan kronologi',
      'Langkah 4 dari 5 Pelapor',
      'Langkah 5 dari 5 Bukti',
    ]);
  });

  it('the normalization form checks the account before asking for identity documents', async () => {
    const page = await openPage(javaScriptEnabled);
    await page.goto(`${base}/normalisasi`);
    expect(await page.locator('fieldset.step legend').innerText()).toContain('Langkah 1 dari 4');
    expect(await page.locator('#nik').count()).toBe(0);
    expect(await page.locator('input[type="file"]').count()).toBe(0);
    await expectAccessible(page);

    await page.fill('#provider', 'BCA');
    await page.fill('#number', '7770009999');
    await page.getByRole('button', { name: 'Periksa rekening' }).click();
    await page.waitForURL(/\/normalisasi\?provider=BCA&number=7770009999/);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Tidak ada yang perlu dinormalisasi');
    expect(text).toContain('BCA 7770009999 tidak memiliki laporan terverifikasi');
    expect(await page.locator('#nik').count()).toBe(0);
    expect(await page.inputValue('#provider')).toBe('014 · BCA — Bank Central Asia');
    await expectAccessible(page);

    // A number that is not one: said in the first step, named by its field.
    await page.fill('#number', '12');
    await clickAndLoad(page, page.getByRole('button', { name: 'Periksa rekening' }));
    await page.locator('.error-summary').waitFor();
    expect(await summaryText(page)).toMatch(/Nomor rekening[^:\n]*: /);
    await expectAccessible(page);
  });
});

describe('a file that cannot be accepted', () => {
  it('is refused in the browser before it is sent, next to the field and in the summary', async () => {
    const page = await openPage(true);
    await page.goto(`${base}/lapor`);
    await fillReport(page, '7770002345');
    await page.setInputFiles('#evidence', [oversized('besar.jpg')]);
    const note = page.locator('#evidence-check');
    await note.waitFor();
    expect(await note.innerText()).toBe(
      'Berkas “besar.jpg” lebih besar dari 1 MB. Pilih berkas yang lebih kecil.',
    );
    expect(
      await page.locator('#evidence').evaluate((input: HTMLInputElement) => input.files?.length),
    ).toBe(0);
    expect(await page.locator('#evidence').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#file-check-summary').innerText()).toContain(
      'Berkas bukti: Berkas “besar.jpg” lebih besar dari 1 MB.',
    );
    await expectAccessible(page);

    // The form waits for another file: nothing is sent.
    let posted = false;
    page.on('request', (request) => {
      if (request.method() === 'POST') posted = true;
    });
    await page.locator('form.report-form button[type="submit"]').click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe('file-check-summary');
    expect(posted).toBe(false);

    const text = { name: 'catatan.txt', mimeType: 'text/plain', buffer: Buffer.from('halo') };
    await page.setInputFiles('#evidence', [text]);
    expect(await note.innerText()).toBe(
      'Berkas “catatan.txt” bukan JPEG, PNG, WebP atau PDF. Pilih berkas lain.',
    );

    // A good file clears the refusal.
    await page.setInputFiles('#evidence', [await photo('bukti.jpg')]);
    expect(await page.locator('#evidence-check').count()).toBe(0);
    expect(await page.locator('#file-check-summary').isHidden()).toBe(true);
  });

  it('without JavaScript, is refused by the server, which names the file and the limit', async () => {
    const page = await openPage(false);
    await page.goto(`${base}/lapor`);
    await fillReport(page, '7770003456');
    await page.setInputFiles('#evidence', [oversized('besar.jpg')]);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      clickAndLoad(page, page.locator('form.report-form button[type="submit"]')),
    ]);
    expect(response.status()).toBe(413);
    const summary = await summaryText(page);
    expect(summary).toContain('Berkas “besar.jpg” lebih besar dari batas 1 MB per berkas.');
    expect(summary).toContain('Berkas bukti: Berkas terlalu besar.');
    expect(await page.inputValue('#holderName')).toBe('Budi Santoso');
    await expectAccessible(page);
  });
});
