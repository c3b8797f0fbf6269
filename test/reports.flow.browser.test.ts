// The flow the system exists for, in a real browser (Debian's Chromium through
// playwright-core): a victim files a report through the form, a reviewer
// signs in with TOTP, finds it in the queue, claims and verifies it, and the
// check of the account shows it reported at once.
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/operators/totp.ts';
import { listenOnLoopback, TestBrowser, clickAndLoad } from './support/browser.ts';
import { createOperator } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const password = 'a long test password 123';
const number = '7770001234';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  // The real clock: TOTP codes come from the same time the server checks them at.
  runtime = await startTestRuntime('sqlite', { env: { SIGN_IN_RATE_LIMIT: '0' } });
  await createOperator(runtime, 'reviewer-flow@cekrek.test', ['reviewer'], password);
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function newPage(): Promise<Page> {
  const page = await browser.page();
  page.setDefaultTimeout(15_000);
  return page;
}

async function freshCode(secret: string): Promise<string> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 26_000) await new Promise((resolve) => setTimeout(resolve, 30_200 - intoStep));
  return totpCode(secret, new Date());
}

function photo(red: number) {
  return sharp({
    create: { width: 64, height: 48, channels: 3, background: { r: red, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer()
    .then((buffer) => ({ name: `bukti-${red}.jpg`, mimeType: 'image/jpeg', buffer }));
}

async function checkStatus(): Promise<string> {
  const response = await fetch(`${base}/api/v1/accounts/014/${number}`);
  return ((await response.json()) as { status: string }).status;
}

describe('a report, from the victim to the check', () => {
  it('is filed through the form, verified by a reviewer, and shown by the check', async () => {
    expect(await checkStatus()).toBe('clear');

    // The victim, starting from the result page of the account.
    const victim = await newPage();
    await victim.goto(`${base}/rekening/014/${number}`);
    await victim.getByRole('link', { name: 'Laporkan rekening ini' }).click();
    await victim.waitForURL(/\/lapor\?/);
    expect(await victim.inputValue('#number')).toBe(number);
    await victim.fill('#holderName', 'Budi Santoso');
    await victim.selectOption('#category', 'online_shopping_fraud');
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10);
    await victim.fill('#transferDate', lastWeek);
    await victim.fill('#amount', '1500000');
    await victim.fill('#platform', 'Instagram');
    await victim.fill(
      '#chronology',
      'Saya membeli ponsel lewat Instagram, sudah transfer, lalu penjual memblokir saya.',
    );
    await victim.fill('#reporterName', 'Siti Lestari');
    await victim.fill('#reporterEmail', 'siti.flow@example.id');
    await victim.fill('#reporterPhone', '0812-1111-2222');
    await victim.setInputFiles('#evidence', [await photo(10), await photo(200)]);
    await clickAndLoad(victim, victim.locator('form[action^="/lapor"] button[type="submit"]'));
    const ticket = (await victim.locator('.receipt .ticket').innerText()).trim();
    expect(ticket).toMatch(/^LAP-/);
    expect(await checkStatus()).toBe('clear');

    // The reviewer: sign in, enrol TOTP, change the one-time password if asked.
    const reviewer = await newPage();
    await reviewer.goto(`${base}/admin/masuk`);
    await reviewer.fill('#email', 'reviewer-flow@cekrek.test');
    await reviewer.fill('#password', password);
    await reviewer.keyboard.press('Enter');
    await reviewer.waitForURL(`${base}/admin/totp`);
    const secret = (await reviewer.locator('#totp-secret').innerText()).replace(/\s/g, '');
    await reviewer.fill('#code', await freshCode(secret));
    await reviewer.keyboard.press('Enter');
    await reviewer.waitForURL(/\/admin(\?|$)/);

    await reviewer.getByRole('link', { name: 'Laporan', exact: true }).first().click();
    await reviewer.waitForURL(/\/admin\/laporan/);
    // The only report in the queue: the one just filed.
    await reviewer.locator('.record-title a').first().click();
    await reviewer.waitForURL(/\/admin\/laporan\/\d+/);
    expect(await reviewer.locator('body').innerText()).toContain('siti.flow@example.id');
    expect(await reviewer.locator('img[src*="/admin/berkas/"]').count()).toBe(2);

    await clickAndLoad(reviewer, reviewer.locator('form[action*="/klaim"] button[type="submit"]'));
    await reviewer.locator('#decision-verify').check();
    await reviewer.selectOption('#reason', 'evidence_sufficient');
    await reviewer.fill('#note', 'Bukti transfer dan percakapan cocok.');
    await clickAndLoad(
      reviewer,
      reviewer.locator('form[action*="/keputusan"] button[type="submit"]'),
    );

    // At once: the API and the result page.
    expect(await checkStatus()).toBe('reported');
    await victim.goto(`${base}/rekening/014/${number}`);
    expect(await victim.locator('h2, .status').first().innerText()).toBeTruthy();
    expect(await victim.locator('body').innerText()).toMatch(/1 laporan/i);
    expect(await victim.locator('body').innerText()).not.toContain('Siti');
  }, 120_000);
});
