// Every service one tap away, in a real browser (Debian's Chromium through
// playwright-core) on a 360 px phone, with JavaScript on and off: on every
// public page the header's menu button opens a list that reaches each
// service, the home page and the about page link every form, no request of
// the page answers an error (the icon included), and axe-core finds nothing
// serious. On a wide screen the menu is a row with no button to press.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickAndLoad,
  desktop,
  graveViolations,
  listenOnLoopback,
  shotsDir,
  TestBrowser,
} from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite');
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

const services = ['/', '/lapor', '/daftar-penjual', '/normalisasi', '/lacak'] as const;
const menuPaths = [...services, '/tentang', '/kontak'];

const publicPages = [
  '/',
  '/rekening/014/1234567890',
  '/lapor',
  '/daftar-penjual',
  '/normalisasi',
  '/lacak',
  '/tentang',
  '/kontak',
  '/daftar-penjual/bukti',
];

/** A page that records every response answering 400 or more (the icon's too). */
async function watchedPage(javaScriptEnabled: boolean, viewport = { width: 360, height: 740 }) {
  const page = await browser.page({ bypassCSP: true, javaScriptEnabled, viewport });
  const failures: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
  });
  return { page, failures };
}

/** The paths (without `lang`) of the links under `selector`. */
async function linkPaths(page: Page, selector: string): Promise<string[]> {
  const hrefs = await page
    .locator(`${selector} a[href]`)
    .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
  return hrefs.map((h) => new URL(h).pathname);
}

/** The favicon is asked for on load, in the background: let it arrive before judging. */
async function settle(page: Page) {
  await page.waitForLoadState('networkidle');
}

async function openMenu(page: Page) {
  const button = page.locator('.site-menu > summary');
  await expect(button.isVisible()).resolves.toBe(true);
  await button.click();
  await expect(page.locator('.site-menu').getAttribute('open')).resolves.toBe('');
}

for (const javaScriptEnabled of [true, false]) {
  describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}, 360 px`, () => {
    for (const path of publicPages) {
      it(`opens the header menu on ${path}, and the menu lists every service`, async () => {
        const { page, failures } = await watchedPage(javaScriptEnabled);
        const response = await page.goto(`${base}${path}`);
        expect(response?.status()).toBe(200);
        await settle(page);
        // Closed, the menu takes one button's room; its links are not shown yet.
        await expect(page.locator('.site-menu nav a').first().isVisible()).resolves.toBe(false);
        await openMenu(page);
        for (const link of await page.locator('.site-menu nav a').all()) {
          await expect(link.isVisible()).resolves.toBe(true);
        }
        expect(await linkPaths(page, '.site-menu nav')).toEqual(menuPaths);
        // axe-core is a script: it runs where scripts do, on the very same HTML.
        if (javaScriptEnabled) expect(await graveViolations(page)).toEqual([]);
        expect(failures).toEqual([]);
      });
    }

    it('reaches each service from the menu with a tap', async () => {
      const { page, failures } = await watchedPage(javaScriptEnabled);
      for (const path of menuPaths) {
        await page.goto(`${base}/kontak`);
        await openMenu(page);
        // The last link leads to the page it is on: its URL matches before the click.
        await clickAndLoad(page, page.locator(`.site-menu nav a[href="${path}"]`));
        await page.waitForURL((url) => url.pathname === path);
        await expect(page.locator('h1').isVisible(), path).resolves.toBe(true);
        await expect(
          page.locator(`.site-menu nav a[href="${path}"]`).getAttribute('aria-current'),
          path,
        ).resolves.toBe('page');
      }
      await settle(page);
      expect(failures).toEqual([]);
    });

    it('links every service from the home page and every form from the about page', async () => {
      const { page, failures } = await watchedPage(javaScriptEnabled);
      await page.goto(`${base}/`);
      const home = await linkPaths(page, 'main');
      for (const path of services) expect(home, path).toContain(path);
      await page.screenshot({ path: `${shotsDir()}/home-services.png`, fullPage: true });

      await page.goto(`${base}/tentang`);
      const about = await linkPaths(page, 'main');
      for (const path of services) expect(about, path).toContain(path);
      await expect(page.locator('#kontak').isVisible()).resolves.toBe(true);
      await settle(page);
      expect(failures).toEqual([]);
    });
  });
}

describe('a wide screen', () => {
  it('shows the menu as a row, with no button to press', async () => {
    const { page, failures } = await watchedPage(true, desktop);
    await page.goto(`${base}/lapor`);
    await settle(page);
    await expect(page.locator('.site-menu > summary').isVisible()).resolves.toBe(false);
    for (const link of await page.locator('.site-menu nav a').all()) {
      await expect(link.isVisible()).resolves.toBe(true);
    }
    const tops = await page
      .locator('.site-menu nav a')
      .evaluateAll((links) => links.map((a) => a.getBoundingClientRect().top));
    expect(new Set(tops).size).toBeLessThanOrEqual(2);
    expect(await graveViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shotsDir()}/menu-wide.png` });
    expect(failures).toEqual([]);
  });
});
