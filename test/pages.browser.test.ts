// The public pages in a real browser (Debian's Chromium through playwright-core;
// never a downloaded browser): checking from the home page in Indonesian and
// English, with JavaScript on and off, on a 360 px wide phone screen, and
// axe-core's accessibility rules on every kind of page.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graveViolations, listenOnLoopback, phone, TestBrowser } from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { env: { CEKREK_DEMO: 'on' } });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function expectNoHorizontalScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

/** What the JS-off context cannot evaluate, Playwright reads from the DOM itself. */
async function htmlLang(page: Page) {
  return page.locator('html').getAttribute('lang');
}

for (const javaScriptEnabled of [true, false]) {
  describe(`checking from the home page, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    // An Indonesian phone: the site must answer in Indonesian without being asked.
    const options: BrowserContextOptions = { javaScriptEnabled, locale: 'id-ID', viewport: phone };

    it('finds a reported bank account in Indonesian, choosing the bank by typing "bca"', async () => {
      const page = await browser.page(options);
      await page.goto(base);
      expect(await htmlLang(page)).toBe('id');
      if (javaScriptEnabled) await expectNoHorizontalScroll(page);
      await expect(page.locator('#bank').isVisible()).resolves.toBe(true);
      await expect(page.locator('#ewallet').isVisible()).resolves.toBe(false);

      await page.fill('#bank', 'bca');
      await page.fill('#number', '000-000-0001');
      await page.getByRole('button', { name: 'Cek sekarang' }).click();

      await page.waitForURL(`${base}/rekening/014/0000000001`);
      await expect(page.locator('h1').innerText()).resolves.toMatch(/BCA[\s\S]*0000 0000 01/);
      await expect(page.locator('#status-heading').innerText()).resolves.toBe('Dilaporkan');
      await expect(page.locator('.status-reported').innerText()).resolves.toContain(
        '3 laporan terverifikasi',
      );
      await expect(page.locator('.demo-badge').first().innerText()).resolves.toBe('DATA DEMO');
      if (javaScriptEnabled) await expectNoHorizontalScroll(page);
    });

    it('switches to English with the header link, and the choice sticks', async () => {
      const page = await browser.page(options);
      await page.goto(base);
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`${base}/?lang=en`);
      expect(await htmlLang(page)).toBe('en');

      await page.fill('#bank', '014');
      await page.fill('#number', '000-000-0001');
      await page.getByRole('button', { name: 'Check now' }).click();

      await page.waitForURL(`${base}/rekening/014/0000000001?lang=en`);
      expect(await htmlLang(page)).toBe('en');
      await expect(page.locator('#status-heading').innerText()).resolves.toBe('Reported');
      await expect(page.locator('.status-reported').innerText()).resolves.toContain(
        '3 verified reports',
      );
      await expect(page.locator('.status-reported').innerText()).resolves.toContain(
        'Online shopping fraud',
      );

      // Without ?lang, the cookie keeps English; the switch goes back.
      await page.goto(`${base}/tentang`);
      expect(await htmlLang(page)).toBe('en');
      await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
      await page.waitForURL(`${base}/tentang?lang=id`);
      expect(await htmlLang(page)).toBe('id');
      await expect(page.locator('h1').innerText()).resolves.toBe('Tentang cekrek');
    });

    it('checks an e-wallet through the bank / e-wallet switch', async () => {
      const page = await browser.page(options);
      await page.goto(base);
      await page.getByLabel('E-wallet', { exact: true }).check();
      // The switch is CSS only (:has), so it works the same without JavaScript.
      await expect(page.locator('#bank').isVisible()).resolves.toBe(false);
      await expect(page.locator('#ewallet').isVisible()).resolves.toBe(true);

      await page.selectOption('#ewallet', 'dana');
      await page.fill('#number', '0812-0000-0005');
      await page.getByRole('button', { name: 'Cek sekarang' }).click();

      await page.waitForURL(`${base}/rekening/dana/6281200000005`);
      await expect(page.locator('h1').innerText()).resolves.toMatch(/DANA[\s\S]*0812-0000-0005/);
      await expect(page.locator('#status-heading').innerText()).resolves.toBe('Dilaporkan');
      await expect(page.locator('.status-reported').innerText()).resolves.toContain('Judi online');
    });

    it('shows what to fix, keeping what was typed', async () => {
      const page = await browser.page(options);
      await page.goto(base);
      await page.fill('#bank', 'Bank Antah Berantah');
      await page.fill('#number', '12ab');
      await page.getByRole('button', { name: 'Cek sekarang' }).click();

      await page.waitForURL(/\/cek\?/);
      await expect(page.locator('#bank').inputValue()).resolves.toBe('Bank Antah Berantah');
      await expect(page.locator('#number').inputValue()).resolves.toBe('12ab');
      await expect(page.locator('#bank-error').innerText()).resolves.toContain(
        'Pilih bank atau e-wallet dari daftar.',
      );
      await expect(page.locator('#number-error').innerText()).resolves.toContain(
        'Nomor hanya boleh berisi angka',
      );
      if (javaScriptEnabled) await expectNoHorizontalScroll(page);

      // Fixing the fields on the same page leads to the result.
      await page.fill('#bank', '014 · BCA — Bank Central Asia');
      await page.fill('#number', '1234 5678 90');
      await page.getByRole('button', { name: 'Cek sekarang' }).click();
      await page.waitForURL(`${base}/rekening/014/1234567890`);
      await expect(page.locator('#status-heading').innerText()).resolves.toBe('Belum ada laporan');
    });
  });
}

describe('a 360 px wide screen', () => {
  it('never scrolls sideways', async () => {
    const page = await browser.page({ viewport: phone, locale: 'id-ID' });
    const paths = [
      '/',
      '/?lang=en',
      '/rekening/014/0000000001',
      '/rekening/008/0000000000002',
      '/rekening/002/000000000000003',
      '/rekening/009/0000000004',
      '/rekening/dana/6281200000005',
      `/rekening/014/${'1'.repeat(20)}`,
      '/tentang',
      '/tentang?lang=en',
      '/halaman-tidak-ada',
      `/cek?jenis=bank&bank=${'x'.repeat(150)}&nomor=${'9'.repeat(150)}`,
    ];
    for (const path of paths) {
      await page.goto(base + path);
      await expectNoHorizontalScroll(page);
    }
  });
});

describe('accessibility (axe-core)', () => {
  const paths = [
    '/',
    '/?lang=en',
    '/rekening/014/0000000001',
    '/rekening/008/0000000000002',
    '/rekening/002/000000000000003',
    '/rekening/009/0000000004',
    '/rekening/dana/6281200000005',
    '/rekening/014/1234567890',
    '/rekening/014/12345?lang=en',
    '/tentang',
    '/halaman-tidak-ada',
    '/cek?jenis=bank&bank=xyz&nomor=12ab',
    '/cek?jenis=ewallet&ewallet=&nomor=021&lang=en',
  ];

  it.each(paths)('%s has no serious or critical violation', async (path) => {
    const page = await browser.page({ bypassCSP: true, viewport: phone, locale: 'id-ID' });
    const response = await page.goto(base + path);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    const grave = await graveViolations(page);
    expect(grave).toEqual([]);
    await page.context().close();
  });
});
