// The seller's proof in a real browser (Debian's Chromium), served at
// 127.0.0.1 with PUBLIC_BASE_URL unset, on a 360 px phone screen, with and
// without JavaScript: the QR code and the badge load and fit, the QR code
// downloads, the seller page names no development host, and a buyer goes
// from a check result's verified seller to the name check; a result page
// carries its share links. axe-core's rules on every one of these pages.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import {
  graveViolations,
  listenOnLoopback,
  phone,
  shotsDir,
  TestBrowser,
} from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { approvedSeller, type ApprovedSeller } from './support/sellers.ts';

const clock = new ManualClock(new Date());

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
let seller: ApprovedSeller;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { clock });
  base = await listenOnLoopback(runtime);
  seller = await approvedSeller(runtime, clock);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

/** axe-core runs in the page, so with JavaScript only: the HTML is the same without. */
async function expectAccessible(page: Page, javaScriptEnabled: boolean) {
  if (!javaScriptEnabled) return;
  expect(await graveViolations(page), page.url()).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

for (const javaScriptEnabled of [true, false]) {
  const how = javaScriptEnabled ? 'with JavaScript' : 'without JavaScript';

  // A shared machine: a page, its images and axe-core may take a while.
  describe(`the seller's proof ${how}`, { timeout: 60_000 }, () => {
    const openPage = () => browser.page({ bypassCSP: true, javaScriptEnabled });

    it('the seller QR loads when the page is opened at 127.0.0.1 with PUBLIC_BASE_URL unset', async () => {
      expect(base.startsWith('http://127.0.0.1:')).toBe(true);
      const page = await openPage();
      await page.goto(`${base}/daftar-penjual/bukti?tiket=${seller.ticket}`);
      await page.fill('#token', seller.token);
      await page.getByRole('button', { name: 'Tampilkan' }).click();
      await page.waitForSelector('#seller-link');
      await page.waitForLoadState('load');
      const images = await page.locator('.seller-assets img').all();
      expect(images).toHaveLength(2);
      for (const img of images) {
        const loaded = await img.evaluate((el) => {
          const image = el as HTMLImageElement;
          return { complete: image.complete, width: image.naturalWidth };
        });
        expect(loaded.complete && loaded.width > 0, (await img.getAttribute('src')) ?? '').toBe(
          true,
        );
        const box = (await img.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(phone.width);
      }
      await page.screenshot({
        path: `${shotsDir()}/seller-proof-${javaScriptEnabled ? 'js' : 'nojs'}.png`,
        fullPage: true,
      });
      await expectNoHorizontalScroll(page);
      await expectAccessible(page, javaScriptEnabled);
      expect(await page.locator('#seller-link').getAttribute('href')).toBe(
        `${base}${seller.sellerPath}`,
      );
      expect(await page.content()).not.toContain('localhost');
      // The copy button is only there when the script that makes it work runs.
      expect(await page.locator('button[data-copy="seller-link-url"]').isVisible()).toBe(
        javaScriptEnabled,
      );

      for (const [id, type] of [
        ['#qr-download-png', 'image/png'],
        ['#qr-download-svg', 'image/svg+xml; charset=utf-8'],
      ] as const) {
        const href = (await page.locator(id).getAttribute('href'))!;
        const response = await page.request.get(new URL(href, base).toString());
        expect(response.status(), href).toBe(200);
        expect(response.headers()['content-type']).toBe(type);
        expect(response.headers()['content-disposition']).toMatch(/^attachment; filename=/);
      }
    });

    it('shows a buyer the seller page without a development host name', async () => {
      const page = await openPage();
      await page.goto(`${base}${seller.sellerPath}`);
      await expect(page.locator('#verdict-heading').innerText()).resolves.toBe(
        'Tautan asli: penjual terverifikasi',
      );
      const text = await page.locator('main').innerText();
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('localhost');
      await expectNoHorizontalScroll(page);
      await expectAccessible(page, javaScriptEnabled);
    });

    it('leads a buyer from a verified seller in the check result to the name check', async () => {
      const page = await openPage();
      await page.goto(`${base}/rekening/${seller.provider}/${seller.number}`);
      await expect(page.locator('#share-title').innerText()).resolves.toBe('Bagikan halaman ini');
      const whatsapp = await page.locator('a[href^="https://wa.me/"]').getAttribute('href');
      expect(new URL(whatsapp!).searchParams.get('text')).toBe(
        `Cek dulu rekening ini sebelum transfer: ${base}/rekening/${seller.provider}/${seller.number}`,
      );
      expect(await page.locator('button[data-copy="share-url"]').isVisible()).toBe(
        javaScriptEnabled,
      );
      await expectNoHorizontalScroll(page);
      await expectAccessible(page, javaScriptEnabled);

      await page.locator('#seller-name-check').click();
      await page.waitForURL(/\/penjual\/[A-Za-z0-9_-]{16}\?sig=.+#cek-nama$/);
      await expect(page.locator('#verdict-heading').innerText()).resolves.toBe(
        'Tautan asli: penjual terverifikasi',
      );
      await page.locator('#nama').fill('Budi Santoso');
      await page.getByRole('button', { name: 'Cek nama' }).click();
      await page.waitForSelector('#name-result-heading');
      await expect(page.locator('#name-result-heading').innerText()).resolves.toBe('Cocok');
    });
  });
}
