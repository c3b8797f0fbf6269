// "Checked by N clients" on the result page in Chromium with JavaScript off,
// on a 360 px phone: the step in Indonesian by default and in English, the
// note on what is not counted, nothing scrolling sideways, and axe-core's
// rules; the same rules over the dashboard's early warning as a reviewer gets it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toAccountRef } from '../src/shared/account-number.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { graveViolations, listenOnLoopback, phone, TestBrowser } from './support/browser.ts';
import { seedReports } from './support/factories.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', {
    clock,
    env: { TRUST_PROXY: '127.0.0.1', SIGN_IN_RATE_LIMIT: '0', EARLY_WARNING_MIN_CLIENTS: '3' },
  });
  // Ten people behind the trusted proxy checked the account.
  for (let i = 1; i <= 10; i++) {
    await runtime.app.inject({
      url: '/api/v1/accounts/014/8100000001',
      headers: { 'x-forwarded-for': `198.51.100.${i}` },
    });
  }
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

/** axe-core in a page with scripts, over the content the script-less page shows. */
async function expectAccessible(page: Page) {
  await expectHtmlAccessible(await page.content());
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

async function expectHtmlAccessible(html: string) {
  const checked = await browser.page({ bypassCSP: true });
  await checked.goto(`${base}/kontak`);
  await checked.setContent(html);
  expect(await graveViolations(checked)).toEqual([]);
  const width = await checked.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(phone.width);
}

it('says how many checked the account, in Indonesian first and in English, accessibly', async () => {
  const page = await browser.page({ bypassCSP: true, javaScriptEnabled: false });
  await page.goto(`${base}/rekening/014/8100000001`);
  const section = page.locator('section.checked-by');
  await expect(section.locator('h2').innerText()).resolves.toBe('Dicek dalam 30 hari terakhir');
  await expect(section.locator('[data-checked]').innerText()).resolves.toBe(
    'Dicek oleh 10 pengguna atau lebih dalam 30 hari terakhir.',
  );
  await expect(section.innerText()).resolves.toContain('tidak dihitung');
  await expectAccessible(page);

  await page.goto(`${base}/rekening/014/8100000001?lang=en`);
  await expect(section.locator('[data-checked]').innerText()).resolves.toBe(
    'Checked by 10 or more people in the last 30 days.',
  );
  await expect(section.innerText()).resolves.toContain('are not counted');
  await expectAccessible(page);
});

it('lists the early warning on the dashboard for a reviewer, accessibly', async () => {
  await seedReports(runtime.database, [
    { provider: '014', number: '8100000002', status: 'submitted' },
  ]);
  const account = toAccountRef('014', '8100000002');
  for (let i = 1; i <= 5; i++) runtime.services.checks.count(account, `192.0.2.${i}`);
  await runtime.services.checkCounts.flush();
  await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
  const { client } = await signedIn(runtime, clock, 'reviewer@cekrek.test');
  const dashboard = await client.request('GET', '/admin');
  expect(dashboard.statusCode).toBe(200);
  expect(dashboard.body).toContain('data-account="014:8100000002"');
  await expectHtmlAccessible(dashboard.body);
});
