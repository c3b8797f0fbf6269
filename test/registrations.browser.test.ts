// Seller registration in a real browser (Debian's Chromium through
// playwright-core; never a downloaded browser): a seller fills the form with
// the keyboard and sends it with its documents, a registrar approves it, the
// seller takes their link from the proof page, and a buyer opens it: the
// genuine page with the account exactly, the name check, and a tampered link
// that shows as not genuine. axe-core's rules on every one of these pages;
// nothing scrolls sideways on a 360 px screen. Screenshots go to /tmp/shots/.
import { createServer } from 'node:net';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import {
  clickAndLoad,
  desktop,
  graveViolations,
  listenOnLoopback,
  phone,
  shotsDir,
  TestBrowser,
} from './support/browser.ts';
import { smallJpeg } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { smallPdf } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const clock = new ManualClock(new Date());

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
let shots: string;

/** A free port, so that the links the server writes (PUBLIC_BASE_URL) lead back to it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  shots = shotsDir();
  const port = await freePort();
  runtime = await startTestRuntime('sqlite', {
    clock,
    env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` },
  });
  base = await listenOnLoopback(runtime, port);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

/** A fresh page that axe-core can run on (bypassCSP); closed in afterAll at the latest. */
function openPage(options: BrowserContextOptions = {}): Promise<Page> {
  return browser.page({ bypassCSP: true, ...options });
}

/** axe-core on the page as it is now: no serious or critical violation. */
async function expectAccessible(page: Page) {
  const grave = await graveViolations(page);
  expect(grave, page.url()).toEqual([]);
}

async function expectNoHorizontalScroll(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

function focusedId(page: Page) {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

/** Types into the focused control, then moves on with Tab, checking where focus went. */
async function typeAndTab(page: Page, id: string, text: string) {
  expect(await focusedId(page)).toBe(id);
  if (text) await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}

describe('registering a seller account, keyboard first', () => {
  let ticket = '';
  let token = '';
  let sellerPage = '';

  it('fills the form with the keyboard, sends the documents, and shows the ticket', async () => {
    const page = await openPage();
    await page.goto(`${base}/daftar-penjual`);
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    await page.locator('#provider').focus();
    // The searchable chooser takes a bank's name as typed (its list offers the labels).
    await page.keyboard.type('BCA');
    await expect(page.locator('#provider').inputValue()).resolves.toBe('BCA');
    await page.keyboard.press('Tab');
    await typeAndTab(page, 'number', '777-000-1111');
    await typeAndTab(page, 'holderName', 'Budi Santoso');
    await typeAndTab(page, 'businessName', 'Toko Maju Jaya');
    expect(await focusedId(page)).toBe('businessType');
    await page.keyboard.type('Pakaian');
    await expect(page.locator('#businessType').inputValue()).resolves.toBe('fashion');
    await page.keyboard.press('Tab');
    await typeAndTab(page, 'businessTypeOther', '');
    await typeAndTab(page, 'nik', '3201 0115 0590 0001');
    await typeAndTab(page, 'phone', '0812-3333-4444');
    await typeAndTab(page, 'email', 'budi@example.id');
    expect(await focusedId(page)).toBe('savingsBookPhoto');

    await page.locator('#savingsBookPhoto').setInputFiles({
      name: 'tabungan.jpg',
      mimeType: 'image/jpeg',
      buffer: await smallJpeg(1),
    });
    await page.locator('#idCardPhoto').setInputFiles({
      name: 'ktp.jpg',
      mimeType: 'image/jpeg',
      buffer: await smallJpeg(2),
    });
    await page.locator('#businessPermit').setInputFiles({
      name: 'nib.pdf',
      mimeType: 'application/pdf',
      buffer: smallPdf(),
    });
    await page.getByRole('button', { name: 'Kirim pendaftaran' }).focus();
    await page.keyboard.press('Enter');

    await page.waitForSelector('#ticket');
    // The receipt's stylesheet and images, before its layout is judged.
    await page.waitForLoadState('load');
    ticket = await page.locator('#ticket').innerText();
    token = await page.locator('#tracking-token').inputValue();
    expect(ticket).toMatch(/^REG-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(token.length).toBeGreaterThan(20);
    await page.screenshot({ path: `${shots}/seller-receipt.png`, fullPage: true });
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it('shows what to fix, keeping what was typed', async () => {
    const page = await openPage();
    await page.goto(`${base}/daftar-penjual`);
    await page.fill('#provider', '014 · BCA — Bank Central Asia');
    await page.fill('#number', '7770002222');
    await page.fill('#holderName', 'Siti Aminah');
    await page.fill('#nik', '9901011505900001');
    await clickAndLoad(page, page.getByRole('button', { name: 'Kirim pendaftaran' }));
    await page.waitForSelector('.error-summary');
    await expect(page.locator('#nik-error').innerText()).resolves.toContain('kode provinsi');
    await expect(page.locator('#holderName').inputValue()).resolves.toBe('Siti Aminah');
    await expect(page.locator('#nik').inputValue()).resolves.toBe('9901011505900001');
    // The summary has the focus, so a screen reader starts at what to fix; autofocus may land
    // after the load.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.className))
      .toBe('error-summary');
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it('is approved by a registrar, and the seller takes their link from the proof page', async () => {
    await createOperator(runtime, 'registrar@cekrek.test', ['registrar']);
    const { client } = await signedIn(runtime, clock, 'registrar@cekrek.test');
    const queue = await client.request('GET', '/api/v1/admin/registrations');
    const id = queue.json<{ registrations: { id: number }[] }>().registrations[0]!.id;
    const decided = await client.request('POST', `/api/v1/admin/registrations/${id}/decision`, {
      decision: 'approve',
      reason: 'documents_match',
    });
    expect(decided.statusCode, decided.body).toBe(200);

    // The registrar's page, in the registrar's session: typed details next to the documents.
    const office = await openPage({ viewport: desktop });
    await office
      .context()
      .addCookies([{ name: 'cekrek_session', value: client.cookie!, url: base }]);
    await office.goto(`${base}/admin/pendaftaran/${id}`);
    await expect(office.locator('h1').innerText()).resolves.toBe(`Pendaftaran #${id}`);
    await office.screenshot({ path: `${shots}/registrar-registration.png`, fullPage: true });
    await expectAccessible(office);
    await office.goto(`${base}/admin/pendaftaran?status=approved`);
    await expectAccessible(office);

    const page = await openPage();
    await page.goto(`${base}/daftar-penjual/bukti?tiket=${ticket}`);
    await expectAccessible(page);
    await page.fill('#token', token);
    // The QR code and the badge are judged below: they load by the page's load.
    await clickAndLoad(page, page.getByRole('button', { name: 'Tampilkan' }));
    await page.waitForSelector('#seller-link');
    await page.screenshot({ path: `${shots}/seller-proof.png`, fullPage: true });
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
    // The QR code and the badge are images the browser could load.
    for (const img of await page.locator('.seller-assets img').all()) {
      expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    }
    sellerPage = (await page.locator('#seller-link').getAttribute('href'))!;
    expect(sellerPage.startsWith(`${base}/penjual/`)).toBe(true);
  });

  it('shows a buyer the genuine seller page, the account exactly, and checks a name', async () => {
    const page = await openPage();
    await page.goto(sellerPage);
    await expect(page.locator('#verdict-heading').innerText()).resolves.toBe(
      'Tautan asli: penjual terverifikasi',
    );
    await expect(page.locator('#seller-number').innerText()).resolves.toBe('7770 0011 11');
    await expect(page.locator('.seller-account').innerText()).resolves.toContain(
      'BCA — Bank Central Asia',
    );
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);

    await page.locator('#nama').focus();
    await page.keyboard.type('Bpk. Budi Santoso');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#name-result-heading');
    await page.waitForLoadState('load');
    await expect(page.locator('#name-result-heading').innerText()).resolves.toBe('Cocok');
    await page.screenshot({ path: `${shots}/seller-page.png`, fullPage: true });
    await expectAccessible(page);

    await page.fill('#nama', 'Andi Wijaya');
    // The page shown still has a result heading: wait for the next one.
    await clickAndLoad(page, page.getByRole('button', { name: 'Cek nama' }));
    await page.waitForSelector('#name-result-heading');
    await expect(page.locator('#name-result-heading').innerText()).resolves.toBe('Tidak cocok');
    expect(await page.content()).not.toContain('Budi Santoso');

    await page.goto(`${sellerPage}&lang=en`);
    await expect(page.locator('#verdict-heading').innerText()).resolves.toBe(
      'Genuine link: verified seller',
    );
    await expectAccessible(page);
  });

  it('shows a tampered link as not genuine', async () => {
    const page = await openPage();
    const url = new URL(sellerPage);
    const signature = url.searchParams.get('sig')!;
    const changed = signature[20] === 'A' ? 'B' : 'A';
    url.searchParams.set('sig', signature.slice(0, 20) + changed + signature.slice(21));
    await page.goto(url.toString());
    await expect(page.locator('#verdict-heading').innerText()).resolves.toBe('Tautan tidak asli');
    expect(await page.content()).not.toContain('7770');
    await expectAccessible(page);
    await expectNoHorizontalScroll(page);
  });

  it('shows the verified seller in the check', async () => {
    const page = await openPage();
    await page.goto(`${base}/rekening/014/7770001111`);
    await expect(page.locator('#seller-heading').innerText()).resolves.toBe(
      'Penjual terverifikasi',
    );
    await expect(page.locator('.status-seller').innerText()).resolves.toContain('Toko Maju Jaya');
  });
});
