// The partner pages in a real browser at 360 px, with and without
// JavaScript: add a partner, issue a key (shown once, with a copy button
// when scripts run), the partner page with its keys and usage tables; axe-core
// finds nothing serious and nothing scrolls sideways.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { totpCode } from '../src/operators/totp.ts';
import {
  graveViolations,
  listenOnLoopback,
  phone,
  TestBrowser,
  clickAndLoad,
} from './support/browser.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const password = 'a long test password 123';
const clock = new ManualClock(new Date());

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
let secret: string;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
  await createOperator(runtime, 'admin@cekrek.test', ['admin']);
  secret = (await signedIn(runtime, clock, 'admin@cekrek.test')).secret;
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function signIn(javaScriptEnabled: boolean): Promise<Page> {
  const page = await browser.page({ bypassCSP: true, viewport: phone, javaScriptEnabled });
  await page.goto(`${base}/admin/masuk`);
  await page.fill('#email', 'admin@cekrek.test');
  await page.fill('#password', password);
  await page.fill('#totp', await totpCode(secret, clock.now()));
  clock.advance(30_000);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${base}/admin`);
  return page;
}

async function check(page: Page, name: string, axe: boolean) {
  if (axe) expect(await graveViolations(page), name).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, name).toBeLessThanOrEqual(phone.width);
}

describe('partner pages in the browser', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`adds a partner and issues a key ${javaScriptEnabled ? 'with' : 'without'} JavaScript`, async () => {
      const page = await signIn(javaScriptEnabled);
      await page.goto(`${base}/admin/mitra`);
      await check(page, 'partners', javaScriptEnabled);
      await page.fill('#name', `Bank Contoh ${String(javaScriptEnabled)}`);
      await page.selectOption('#kind', 'bank');
      await page.fill('#contactEmail', 'api@bank.test');
      await page.getByRole('button', { name: 'Tambah mitra' }).click();
      await page.waitForURL(/\/admin\/mitra\/\d+\?info=created/);
      await check(page, 'partner', javaScriptEnabled);

      await page.fill('#label', 'produksi');
      await page.getByLabel('watch').check();
      await clickAndLoad(page, page.getByRole('button', { name: 'Terbitkan kunci' }));
      const key = await page.locator('#api-key').inputValue();
      expect(key).toMatch(/^ckr_live_[0-9A-Za-z]{36}$/);
      await expect(page.locator('button[data-copy="api-key"]').isVisible()).resolves.toBe(
        javaScriptEnabled,
      );
      await check(page, 'partner-key', javaScriptEnabled);

      await clickAndLoad(page, page.getByRole('link', { name: 'Kembali ke mitra' }));
      await expect(page.content()).resolves.not.toContain(key);
      await check(page, 'partner-keys', javaScriptEnabled);
    }, 120_000);
  }
});
