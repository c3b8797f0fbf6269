// The report form and the tracking page in a real browser (Debian's Chromium
// through playwright-core; never a downloaded browser): axe-core's rules on
// every state of the pages, a 360 px wide phone screen, and a report filed by
// keyboard alone with JavaScript on, where the page's own script solves the
// proof-of-work challenge the server asks for.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickAndLoad,
  graveViolations,
  listenOnLoopback,
  phone,
  TestBrowser,
} from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let plain: TestRuntime;
let challenged: TestRuntime;
let browser: TestBrowser;

let base: string;
let challengedBase: string;

beforeAll(async () => {
  // The real clock: the challenge's expiry is checked against it.
  plain = await startTestRuntime('sqlite', { env: { CEKREK_DEMO: 'on' } });
  challenged = await startTestRuntime('sqlite', { env: { CEKREK_CHALLENGE: 'on' } });
  base = await listenOnLoopback(plain);
  challengedBase = await listenOnLoopback(challenged);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await plain?.close();
  await challenged?.close();
});

async function expectNoHorizontalScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * 86_400_000);
}

/**
 * A recent past date whose day and month are one number: it is typed the same
 * into a day-first and a month-first date field (the order follows the
 * browser's own language, not the page's).
 */
function sameDayAndMonth(): string {
  const yesterday = daysAgo(1);
  let year = yesterday.getUTCFullYear();
  let month = yesterday.getUTCMonth() + 1;
  if (yesterday.getUTCDate() < month) month -= 1;
  if (month === 0) {
    year -= 1;
    month = 12;
  }
  const twoDigits = String(month).padStart(2, '0');
  return `${year}-${twoDigits}-${twoDigits}`;
}

function evidence(name: string, red: number) {
  return sharp({
    create: { width: 48, height: 32, channels: 3, background: { r: red, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer()
    .then((buffer) => ({ name, mimeType: 'image/jpeg', buffer }));
}

/** Fills every required field (and a few optional ones) the quick way, for page states. */
async function fillValidReport(page: Page, number: string) {
  await page.fill('#provider', '014 · BCA — Bank Central Asia');
  await page.fill('#number', number);
  await page.fill('#holderName', 'Budi Santoso');
  await page.selectOption('#category', 'online_shopping_fraud');
  await page.fill('#transferDate', daysAgo(3).toISOString().slice(0, 10));
  await page.fill('#platform', 'Instagram');
  await page.fill(
    '#chronology',
    'Saya membeli ponsel lewat Instagram, sudah transfer, lalu penjual tidak bisa dihubungi.',
  );
  await page.fill('#reporterName', 'Siti Lestari');
  await page.fill('#reporterEmail', `siti+${number}@example.id`);
  await page.fill('#reporterPhone', '0812-1111-2222');
  await page.setInputFiles('#evidence', [await evidence('bukti.jpg', 10)]);
}

describe('accessibility (axe-core) and a 360 px screen', () => {
  async function expectAccessible(page: Page) {
    expect(await graveViolations(page)).toEqual([]);
    await expectNoHorizontalScroll(page);
  }

  it.each(['/lapor', '/lapor?lang=en', '/lapor?bank=014&nomor=0000000001', '/lacak'])(
    '%s has no serious or critical violation and no sideways scrolling',
    async (path) => {
      const page = await browser.page({ bypassCSP: true });
      const response = await page.goto(base + path);
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
      await expectAccessible(page);
    },
  );

  it('the form sent back with errors, summary focused', async () => {
    const page = await browser.page({ bypassCSP: true });
    await page.goto(`${base}/lapor`);
    await page.fill('#holderName', 'x'.repeat(150));
    await page.fill('#chronology', 'terlalu pendek');
    await clickAndLoad(page, page.getByRole('button', { name: 'Kirim laporan' }));
    await page.waitForSelector('.error-summary');
    expect(await page.title()).toBe('Kesalahan: Laporkan rekening · cekrek');
    // Autofocus lands at the page's next rendering, which may come after its load.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.className))
      .toBe('error-summary');
    await expect(page.inputValue('#chronology')).resolves.toBe('terlalu pendek');
    // A link of the summary leads to its field.
    await page.locator('.error-summary a[href="#chronology"]').click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('chronology');
    await expectAccessible(page);
  });

  it('the receipt and the tracking page it links to', async () => {
    const page = await browser.page({ bypassCSP: true });
    await page.goto(`${base}/lapor`);
    await fillValidReport(page, '8880001111');
    await clickAndLoad(page, page.getByRole('button', { name: 'Kirim laporan' }));
    await page.waitForSelector('#receipt-heading');
    await expectAccessible(page);

    await page.locator('a.tracking-link').click();
    await page.waitForURL(/\/lacak\?tiket=LAP-/);
    await expect(page.locator('#tracked-heading').innerText()).resolves.toMatch(/^Tiket LAP-/);
    await expectAccessible(page);

    await page.goto(`${base}/lacak?tiket=LAP-0000-0000&token=salah`);
    await expect(page.locator('.error-summary').innerText()).resolves.toContain(
      'Tiket tidak ditemukan atau kode pelacakan salah',
    );
    await expectAccessible(page);
  });
});

describe('filing a report by keyboard, JavaScript on, with the proof of work', () => {
  it('solves the challenge in the page and shows the ticket', async () => {
    const page = await browser.page();
    await page.goto(`${challengedBase}/lapor`);
    await expect(page.locator('#altcha-status').innerText()).resolves.toMatch(/Memverifikasi|Siap/);

    /** Tab forward to a field, as a keyboard user does. */
    async function tabTo(id: string) {
      for (let presses = 0; presses < 60; presses++) {
        if ((await page.evaluate(() => document.activeElement?.id)) === id) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`#${id} never got the focus`);
    }
    async function typeInto(id: string, text: string) {
      await tabTo(id);
      await page.keyboard.type(text);
    }

    await tabTo('provider');
    await page.keyboard.type('BCA');
    await expect(page.inputValue('#provider')).resolves.toBe('BCA');
    await typeInto('number', '8880 0022 22');
    await typeInto('holderName', 'Budi Santoso');
    await typeInto('reportedSocials', '@tokoponsel');
    await tabTo('category');
    await page.keyboard.press('ArrowDown');
    await expect(page.inputValue('#category')).resolves.toBe('online_shopping_fraud');
    const date = sameDayAndMonth();
    const [year, month] = date.split('-');
    await typeInto('transferDate', `${month}${month}${year}`);
    await expect(page.inputValue('#transferDate')).resolves.toBe(date);
    await typeInto('amount', '1.500.000');
    await typeInto('platform', 'Instagram');
    await typeInto('city', 'Bandung');
    await typeInto(
      'chronology',
      'Saya membeli ponsel lewat Instagram, sudah transfer, lalu penjual memblokir saya.',
    );
    await typeInto('reporterName', 'Siti Lestari');
    await typeInto('reporterEmail', 'siti@example.id');
    await typeInto('reporterPhone', '0812-1111-2222');
    await tabTo('evidence');
    await page.setInputFiles('#evidence', [
      await evidence('transfer.jpg', 20),
      await evidence('chat.jpg', 200),
    ]);

    await page.waitForFunction(
      () => document.getElementById('altcha-status')?.textContent === 'Siap dikirim',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Kirim laporan');
    await page.keyboard.press('Enter');

    await page.waitForSelector('#receipt-heading');
    // The receipt's stylesheet, before its width is judged.
    await page.waitForLoadState('load');
    const ticket = await page.locator('.receipt .ticket').innerText();
    expect(ticket).toMatch(/^LAP-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await expectNoHorizontalScroll(page);

    // The server saw a solved challenge: the report is not flagged for lacking one.
    const report = await challenged.database.db
      .selectFrom('reports')
      .select(['flag_reasons', 'flagged'])
      .where('ticket', '=', ticket)
      .executeTakeFirstOrThrow();
    expect(String(report.flag_reasons)).not.toContain('no_challenge');
    const spent = await challenged.database.db.selectFrom('challenge_uses').select('id').execute();
    expect(spent).toHaveLength(1);
  });

  it('still files the report with JavaScript off, flagged for the reviewer', async () => {
    const page = await browser.page({ javaScriptEnabled: false });
    await page.goto(`${challengedBase}/lapor`);
    await fillValidReport(page, '8880003333');
    await page.getByRole('button', { name: 'Kirim laporan' }).click();
    await page.waitForSelector('#receipt-heading');
    const ticket = await page.locator('.receipt .ticket').innerText();
    const report = await challenged.database.db
      .selectFrom('reports')
      .select('flag_reasons')
      .where('ticket', '=', ticket)
      .executeTakeFirstOrThrow();
    expect(String(report.flag_reasons)).toContain('no_challenge');
  });
});

describe('the report form at its limit', () => {
  let limited: TestRuntime;
  let limitedBase: string;
  beforeAll(async () => {
    limited = await startTestRuntime('sqlite', { env: { REPORT_RATE_LIMIT: '1' } });
    limitedBase = await listenOnLoopback(limited);
  });
  afterAll(async () => {
    await limited?.close();
  });

  it('says in words when to try again and keeps what was typed, with JavaScript on and off', async () => {
    const first = await browser.page();
    await first.goto(`${limitedBase}/lapor`);
    await fillValidReport(first, '8880004444');
    await first.getByRole('button', { name: 'Kirim laporan' }).click();
    await first.waitForSelector('#receipt-heading');

    for (const javaScriptEnabled of [true, false]) {
      const page = await browser.page({ javaScriptEnabled, bypassCSP: true });
      await page.goto(`${limitedBase}/lapor`);
      await fillValidReport(page, '8880005555');
      await page.fill('#platform', 'Marketplace Kilat');
      await clickAndLoad(page, page.getByRole('button', { name: 'Kirim laporan' }));
      await page.waitForSelector('.error-summary');
      const summary = await page.locator('.error-summary').innerText();
      expect(summary).toMatch(/Coba lagi sekitar \d+ (menit|jam) lagi\./);
      expect(summary).not.toMatch(/detik/);
      await expect(page.inputValue('#number')).resolves.toBe('8880005555');
      await expect(page.inputValue('#platform')).resolves.toBe('Marketplace Kilat');
      await expect(page.inputValue('#chronology')).resolves.toContain('lewat Instagram');
      await expect(page.inputValue('#reporterEmail')).resolves.toBe('siti+8880005555@example.id');
      if (javaScriptEnabled) {
        expect(await graveViolations(page)).toEqual([]);
        await expectNoHorizontalScroll(page);
      }
    }
  });
});
