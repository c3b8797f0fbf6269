// Tracking codes people keep, in Chromium at 360 px: the receipt's copy
// button puts the whole code on the clipboard; without JavaScript there is no
// button and the read-only field holds the whole code; a lost code is sent
// again, as a link, only to the reporter's address, and the old one stops
// working, with the same answer for anyone else.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  graveViolations,
  listenOnLoopback,
  phone,
  TestBrowser,
  clickAndLoad,
} from './support/browser.ts';
import { linksOf, outboxMessages } from './support/mail.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { env: { TRACKING_CODE_RATE_LIMIT: '3' } });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

const codePattern = /^[2-9A-HJ-NP-TW-Z]{24}$/;

async function expectAccessible(page: Page) {
  expect(await graveViolations(page)).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

async function evidence() {
  const buffer = await sharp({
    create: { width: 48, height: 32, channels: 3, background: { r: 40, g: 90, b: 160 } },
  })
    .jpeg()
    .toBuffer();
  return { name: 'bukti.jpg', mimeType: 'image/jpeg', buffer };
}

/** Files a report through the form; the page is left on the receipt. */
async function fileReport(page: Page, number: string, email: string) {
  await page.goto(`${base}/lapor`);
  await page.fill('#provider', '014 · BCA — Bank Central Asia');
  await page.fill('#number', number);
  await page.fill('#holderName', 'Budi Santoso');
  await page.selectOption('#category', 'online_shopping_fraud');
  await page.fill(
    '#transferDate',
    new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
  );
  await page.fill('#platform', 'Instagram');
  await page.fill(
    '#chronology',
    'Saya membeli ponsel lewat Instagram, sudah transfer, lalu penjual tidak bisa dihubungi.',
  );
  await page.fill('#reporterName', 'Siti Lestari');
  await page.fill('#reporterEmail', email);
  await page.fill('#reporterPhone', '0812-1111-2222');
  await page.setInputFiles('#evidence', [await evidence()]);
  // To the receipt's load: its copy buttons are shown by a deferred script.
  await clickAndLoad(page, page.getByRole('button', { name: 'Kirim laporan' }));
  await page.waitForSelector('#receipt-heading');
  return {
    ticket: (await page.locator('.receipt .ticket').innerText()).trim(),
    code: await page.locator('.receipt input.token').inputValue(),
  };
}

function renewalLinks(): string[] {
  return outboxMessages(runtime)
    .flatMap(linksOf)
    .filter((link) => link.includes('/lacak?tiket=') && link.includes('token='));
}

describe('tracking codes people keep', () => {
  let ticket = '';
  let code = '';
  const email = 'siti.kode@example.id';

  it('the receipt copies the whole code with one click', async () => {
    const page = await browser.page({
      bypassCSP: true,
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    ({ ticket, code } = await fileReport(page, '8880002222', email));
    expect(code).toMatch(codePattern);
    // The whole code is in sight, as in a screenshot: the field does not scroll.
    const cut = await page
      .locator('#tracking-code')
      .evaluate((input: HTMLInputElement) => input.scrollWidth > input.clientWidth);
    expect(cut).toBe(false);
    const button = page.locator('button[data-copy="tracking-code"]');
    await expect(button.isVisible()).resolves.toBe(true);
    await button.click();
    // The clipboard answers asynchronously: the status shows once the write has landed.
    await expect.poll(() => page.locator('#tracking-code-status').innerText()).toBe('Tersalin');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(code);

    // The link to keep carries the ticket and the code together, copied as whole.
    await page.locator('button[data-copy="tracking-link"]').click();
    const link = `${base}/lacak?tiket=${ticket}&token=${code}`;
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expectAccessible(page);

    await page.goto(link);
    await expect(page.locator('#tracked-heading').innerText()).resolves.toBe(`Tiket ${ticket}`);
    await expect(page.locator('#tracking-link').innerText()).resolves.toBe(link);
    await expectAccessible(page);
  });

  it('without JavaScript: no copy button, and the read-only field holds the whole code', async () => {
    const page = await browser.page({ javaScriptEnabled: false });
    const filed = await fileReport(page, '8880003333', 'lain.kode@example.id');
    expect(filed.code).toMatch(codePattern);
    const field = page.locator('#tracking-code');
    await expect(field.getAttribute('readonly')).resolves.not.toBeNull();
    await expect(page.locator('button[data-copy]').first().isVisible()).resolves.toBe(false);
    expect(await page.locator('button[data-copy]:visible').count()).toBe(0);
    // Select all in the field selects the whole code, nothing around it.
    await field.click();
    await page.keyboard.press('Control+A');
    const selected = await field.evaluate((input: HTMLInputElement) =>
      input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0),
    );
    expect(selected).toBe(filed.code);
  });

  it('a lost code: a new link to the reporter, the same answer for anyone else', async () => {
    const page = await browser.page({ bypassCSP: true });
    await page.goto(`${base}/lacak`);
    await page.getByRole('link', { name: 'Kehilangan kode pelacakan?' }).click();
    await page.waitForURL(/\/lacak\/kode-baru$/);
    await expectAccessible(page);

    const ask = async (address: string) => {
      await page.goto(`${base}/lacak/kode-baru`);
      await page.fill('#ticket', ticket.toLowerCase());
      await page.fill('#email', address);
      await clickAndLoad(page, page.getByRole('button', { name: 'Kirim tautan baru' }));
      await page.waitForSelector('#lost-code-sent');
      return page.locator('main').innerText();
    };

    const before = renewalLinks().length;
    const forStranger = await ask('penipu@example.id');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(renewalLinks()).toHaveLength(before);
    await expectAccessible(page);

    const forReporter = await ask(email);
    expect(forReporter).toBe(forStranger);
    expect(forReporter).toContain(
      'Jika alamat e-mail ini sama dengan yang Anda berikan saat mengirim, kami telah mengirim tautan pelacakan baru ke sana. Kode lama tidak berlaku lagi.',
    );
    await vi.waitFor(() => expect(renewalLinks()).toHaveLength(before + 1), { timeout: 10_000 });
    const link = renewalLinks().at(-1)!;
    expect(new URL(link).searchParams.get('tiket')).toBe(ticket);

    await page.goto(link.replace(/^https?:\/\/[^/]+/, base));
    await expect(page.locator('#tracked-heading').innerText()).resolves.toBe(`Tiket ${ticket}`);

    await page.goto(`${base}/lacak?tiket=${ticket}&token=${code}`);
    await expect(page.locator('.error-summary').innerText()).resolves.toContain(
      'Tiket tidak ditemukan atau kode pelacakan salah',
    );
  });

  it('in English, and the form again with the wait once the limit is reached', async () => {
    const page = await browser.page({ bypassCSP: true });
    await page.goto(`${base}/lacak/kode-baru?lang=en`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Ask for a new tracking code');
    await expectAccessible(page);
    // The limit is 3 an hour per address, and the last test used 2 of them.
    for (let i = 0; i < 2; i++) {
      await page.goto(`${base}/lacak/kode-baru?lang=en`);
      await page.fill('#ticket', ticket);
      await page.fill('#email', 'someone@example.id');
      await clickAndLoad(page, page.getByRole('button', { name: 'Send a new link' }));
    }
    await expect(page.locator('[role="alert"]').innerText()).resolves.toMatch(
      /^Too many requests from your address\. Try again in (about \d+ (minutes?|hours?)|less than a minute)\.$/,
    );
    await expect(page.inputValue('#email')).resolves.toBe('someone@example.id');
    await expectAccessible(page);
  });
});
