// /statistik and /data-terbuka in Chromium with JavaScript off, on a 360 px
// phone: the period chosen by the plain form, the charts as SVG images named
// by their captions with their tables, suppressed cells as "—", nothing
// scrolling sideways, and axe-core's rules.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  graveViolations,
  listenOnLoopback,
  phone,
  shotsDir,
  TestBrowser,
} from './support/browser.ts';
import { seedReports } from './support/factories.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

/** The month `n` months before this one, 'YYYY-MM', and a time in it. */
function monthsAgo(n: number): { month: string; at: string } {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - n, 10, 8));
  return { month: d.toISOString().slice(0, 7), at: d.toISOString() };
}

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite');
  const busy = monthsAgo(1);
  const quiet = monthsAgo(3);
  await seedReports(runtime.database, [
    ...Array.from({ length: 6 }, (_, i) => ({
      provider: '014',
      number: String(1_100_000_000 + i),
      reportedAt: busy.at,
    })),
    ...Array.from({ length: 5 }, (_, i) => ({
      provider: 'dana',
      number: `0812000${String(10_000 + i)}`,
      category: 'online_gambling',
      reportedAt: busy.at,
    })),
    ...Array.from({ length: 3 }, (_, i) => ({
      provider: '014',
      number: String(1_200_000_000 + i),
      reportedAt: quiet.at,
    })),
  ]);
  await runtime.services.statistics.rebuild({ full: true });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

/** axe-core in a page with scripts, over the content the script-less page shows. */
async function expectAccessible(page: Page) {
  const checked = await browser.page({ bypassCSP: true });
  await checked.goto(`${base}/kontak`);
  await checked.setContent(await page.content());
  expect(await graveViolations(checked)).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

it('shows the charts without JavaScript, chooses the period by the form, and is accessible', async () => {
  const page = await browser.page({ bypassCSP: true, javaScriptEnabled: false });
  await page.goto(`${base}/tentang`);
  await page.locator('footer').getByRole('link', { name: 'Statistik' }).click();
  await page.waitForURL(`${base}/statistik`);
  await expect(page.locator('h1').innerText()).resolves.toBe('Statistik');
  const charts = page.locator('figure.chart [role="img"]');
  await expect(charts.count()).resolves.toBe(6);
  await expect(page.getByRole('img', { name: 'Laporan per bulan' }).isVisible()).resolves.toBe(
    true,
  );
  await expectAccessible(page);

  // The tables, opened: 6 verified in the busy month, 3 (fewer than 5) shown as "—".
  for (const summary of await page.locator('#chart-reports summary').all()) await summary.click();
  const busy = monthsAgo(1).month;
  const quiet = monthsAgo(3).month;
  const row = (month: string) => page.locator('#chart-reports tbody tr', { hasText: month });
  await expect(row(busy).locator('td').nth(1).innerText()).resolves.toBe('11');
  await expect(row(quiet).locator('td').nth(1).innerText()).resolves.toBe('—');
  await expectAccessible(page);
  await page.screenshot({ path: join(shotsDir(), 'statistik-360.png'), fullPage: true });

  await page.fill('#from', busy);
  await page.fill('#to', busy);
  await page.getByRole('button', { name: 'Tampilkan' }).click();
  await page.waitForURL(`${base}/statistik?from=${busy}&to=${busy}`);
  await expect(page.locator('#chart-reports tbody tr').count()).resolves.toBe(1);
  await expectAccessible(page);
});

it('shows the open data page in English, with its files, dictionary and licence', async () => {
  const page = await browser.page({ bypassCSP: true, javaScriptEnabled: false });
  await page.goto(`${base}/data-terbuka?lang=en`);
  await expect(page.locator('h1').innerText()).resolves.toBe('Open data');
  await expect(page.locator('.data-dictionary tbody tr').count()).resolves.toBe(9);
  await expect(page.getByRole('link', { name: /CC BY 4\.0/ }).getAttribute('href')).resolves.toBe(
    'https://creativecommons.org/licenses/by/4.0/',
  );
  await expectAccessible(page);
  const wide = await browser.page({
    bypassCSP: true,
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 },
  });
  await wide.goto(`${base}/statistik?lang=en`);
  await expect(wide.locator('h1').innerText()).resolves.toBe('Statistics');
});
