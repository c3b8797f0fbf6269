// The back-office pages in a real browser (Debian's Chromium through
// playwright-core; never a downloaded browser): a new operator signs in and
// enrols TOTP with the keyboard alone, reaches the dashboard and signs out;
// axe-core's rules on every kind of back-office page; nothing scrolls
// sideways on a 360 px screen. Screenshots go to /tmp/shots/ for a look.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/operators/totp.ts';
import {
  desktop,
  graveViolations,
  listenOnLoopback,
  phone,
  shotsDir,
  TestBrowser,
  clickAndLoad,
} from './support/browser.ts';
import { seedDispute, seedReports } from './support/factories.ts';
import { createOperator } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const password = 'a long test password 123';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
let shots: string;

beforeAll(async () => {
  shots = shotsDir();
  // The real clock: the codes come from the same time the server checks them at.
  runtime = await startTestRuntime('sqlite', { env: { SIGN_IN_RATE_LIMIT: '0' } });
  const now = Date.now();
  const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
  await seedReports(runtime.database, [
    { provider: '014', number: '2222222221', status: 'submitted', reportedAt: daysAgo(1) },
    { provider: '014', number: '2222222222', status: 'submitted', reportedAt: daysAgo(2) },
    { provider: '008', number: '2222222223', status: 'in_review', reportedAt: daysAgo(10) },
  ]);
  await seedDispute(runtime.database, '009', '2222222224', daysAgo(20));
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

/** A code that stays valid while it is typed: near the end of a 30 s step, wait for the next. */
async function freshCode(secret: string): Promise<string> {
  const intoStep = Date.now() % 30_000;
  if (intoStep > 26_000) await new Promise((resolve) => setTimeout(resolve, 30_200 - intoStep));
  return totpCode(secret, new Date());
}

function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return { id: el?.id ?? '', tag: el?.tagName ?? '', text: (el?.textContent ?? '').trim() };
  });
}

/** No sideways scrolling; on failure, the elements that stick out are named. */
async function expectNoHorizontalScroll(page: Page) {
  const { width, wide } = await page.evaluate((limit) => {
    const out = Array.from(document.querySelectorAll('body *'))
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className.toString()}`)
      .slice(0, 5);
    return { width: document.documentElement.scrollWidth, wide: out };
  }, phone.width);
  expect(width, `${page.url()} ${wide.join(', ')}`).toBeLessThanOrEqual(phone.width);
}

async function screenshot(page: Page, name: string) {
  for (const [label, viewport] of [
    ['360', phone],
    ['1280', desktop],
  ] as const) {
    await page.setViewportSize(viewport);
    if (label === '360') await expectNoHorizontalScroll(page);
    await page.screenshot({ path: `${shots}/${name}-${label}.png`, fullPage: true });
  }
}

describe('a new operator, keyboard only', () => {
  it('signs in, enrols TOTP, sees the queues and signs out', async () => {
    await createOperator(runtime, 'keyboard@cekrek.test', ['reviewer']);
    const page = await browser.page({ viewport: desktop, locale: 'id-ID' });

    // An unauthenticated visit lands on the sign-in page, focus in the e-mail field.
    await page.goto(`${base}/admin`);
    await page.waitForURL(`${base}/admin/masuk`);
    // Autofocus lands at the page's next rendering, which may come after its load.
    await expect.poll(() => focused(page)).toMatchObject({ id: 'email' });
    await page.keyboard.type('keyboard@cekrek.test');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'password' });
    await page.keyboard.type(password);
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'totp' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'BUTTON', text: 'Masuk' });
    await page.keyboard.press('Enter');

    // Enrolment: the skip link, then the code field, then Enter.
    await page.waitForURL(`${base}/admin/totp`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Daftarkan aplikasi autentikator');
    await expect(
      page.locator('img.qr').evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).resolves.toBeGreaterThan(0);
    await screenshot(page, 'backoffice-enrolment');
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'A', text: 'Langsung ke isi halaman' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ id: 'main' });
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ id: 'code' });
    await page.keyboard.type(await freshCode(secret));
    await page.keyboard.press('Enter');

    // The dashboard with the queues.
    await page.waitForURL(`${base}/admin?info=enrolled`);
    await expect(page.locator('h1').innerText()).resolves.toBe('Dasbor');
    await expect(page.locator('[role=status]').innerText()).resolves.toContain(
      'Aplikasi autentikator terdaftar.',
    );
    const rows = (await page.locator('.queues > li').allInnerTexts()).map((row) =>
      row.replace(/\s+/g, ' ').trim(),
    );
    expect(rows).toEqual([
      'Laporan rekening batas waktu 7 hari Diajukan 2 Sedang ditinjau 1 Terlambat 1 melewati batas waktu',
      'Pendaftaran rekening penjual batas waktu 7 hari Diajukan 0 Sedang ditinjau 0 Terlambat 0',
      'Normalisasi rekening batas waktu 14 hari Diajukan 1 Sedang ditinjau 0 Terlambat 1 melewati batas waktu',
    ]);
    expect(await page.locator('.queue-late').count()).toBe(2);
    await screenshot(page, 'backoffice-dashboard');

    // Sign out: Tab until the button, then Enter.
    let found = false;
    for (let i = 0; i < 40 && !found; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      found = now.tag === 'BUTTON' && now.text === 'Keluar';
    }
    expect(found).toBe(true);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/admin/masuk?info=signed_out`);
    await expect(page.locator('[role=status]').innerText()).resolves.toContain(
      'Anda telah keluar.',
    );
    await page.goto(`${base}/admin`);
    await page.waitForURL(`${base}/admin/masuk`);
  }, 90_000);
});

describe('accessibility of the back office (axe-core)', () => {
  it('has no serious or critical violation on any kind of page, nor sideways scrolling at 360 px', async () => {
    const { operator: admin } = await createOperator(runtime, 'axe-admin@cekrek.test', ['admin']);
    await createOperator(runtime, 'axe-target@cekrek.test', ['mediator']);
    // A decision of the admin's, so that the dashboard shows the decisions per operator too.
    await seedReports(runtime.database, [
      { provider: '014', number: '2222222225', reportedAt: new Date().toISOString() },
    ]);
    await runtime.database.db
      .updateTable('reports')
      .set({ decided_by: admin.id, decided_at: new Date() })
      .where('status', '=', 'verified')
      .where('decided_by', 'is', null)
      .execute();
    const page = await browser.page({ bypassCSP: true, viewport: phone, locale: 'id-ID' });
    const checked: string[] = [];
    const check = async (label: string) => {
      expect(await graveViolations(page), label).toEqual([]);
      await expectNoHorizontalScroll(page);
      checked.push(label);
    };

    await page.goto(`${base}/admin/masuk`);
    await check('sign-in');
    await page.fill('#email', 'axe-admin@cekrek.test');
    await page.fill('#password', 'wrong password 12345');
    await clickAndLoad(page, page.getByRole('button', { name: 'Masuk' }));
    // The error summary has the focus and links to the field; autofocus may land after the load.
    await expect.poll(() => focused(page)).toMatchObject({ tag: 'SECTION' });
    await check('sign-in with an error');
    await page.screenshot({ path: `${shots}/backoffice-signin-error-360.png`, fullPage: true });

    await page.fill('#password', password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    await page.waitForURL(`${base}/admin/totp`);
    await check('enrolment');
    const secret = (await page.locator('#totp-secret').innerText()).replace(/\s/g, '');
    await page.fill('#code', '000000');
    await clickAndLoad(page, page.getByRole('button', { name: 'Selesaikan pendaftaran' }));
    await check('enrolment with an error');
    await page.fill('#code', await freshCode(secret));
    await page.getByRole('button', { name: 'Selesaikan pendaftaran' }).click();
    await page.waitForURL(/\/admin\?info=enrolled$/);
    await check('dashboard');
    await expect(page.locator('#figures-operators').count()).resolves.toBe(1);
    await page.setViewportSize(desktop);
    await page.screenshot({ path: `${shots}/backoffice-figures-1280.png`, fullPage: true });
    await page.setViewportSize(phone);
    await page.screenshot({ path: `${shots}/backoffice-figures-360.png`, fullPage: true });

    for (const path of [
      '/admin/operator',
      '/admin/operator/baru',
      `/admin/operator/${admin.id}`,
      '/admin/audit',
      '/admin/audit?from=2026-02-30',
      '/admin/kata-sandi',
      '/admin/tidak-ada',
      '/admin/audit?action=session.signed_in&lang=en',
    ]) {
      await page.goto(base + path);
      await check(path);
    }

    // Back to Indonesian (the English page above set the language cookie).
    await page.goto(`${base}/admin/operator/baru?lang=id`);
    await page.fill('#email', 'axe-made@cekrek.test');
    await clickAndLoad(page, page.getByRole('button', { name: 'Buat operator' }));
    await check('create with an error');
    await page.getByLabel('Mediator').check();
    await clickAndLoad(page, page.getByRole('button', { name: 'Buat operator' }));
    await expect(page.locator('#one-time-password').innerText()).resolves.toMatch(/\w{5}-\w{5}/);
    await check('one-time password');
    await page.setViewportSize(desktop);
    await page.screenshot({ path: `${shots}/backoffice-otp-1280.png`, fullPage: true });
    await page.goto(`${base}/admin/operator`);
    await page.screenshot({ path: `${shots}/backoffice-operators-1280.png`, fullPage: true });
    await page.goto(`${base}/admin/operator/${admin.id}`);
    await page.screenshot({ path: `${shots}/backoffice-operator-1280.png`, fullPage: true });
    await page.goto(`${base}/admin/audit`);
    await page.screenshot({ path: `${shots}/backoffice-audit-1280.png`, fullPage: true });
    await page.setViewportSize(phone);
    await page.screenshot({ path: `${shots}/backoffice-audit-360.png`, fullPage: true });

    // A reviewer's 403 page.
    const reviewer = await browser.page({ bypassCSP: true, viewport: phone, locale: 'id-ID' });
    await createOperator(runtime, 'axe-reviewer@cekrek.test', ['reviewer']);
    await reviewer.goto(`${base}/admin/masuk`);
    await reviewer.fill('#email', 'axe-reviewer@cekrek.test');
    await reviewer.fill('#password', password);
    await reviewer.getByRole('button', { name: 'Masuk' }).click();
    await reviewer.waitForURL(`${base}/admin/totp`);
    const reviewerSecret = (await reviewer.locator('#totp-secret').innerText()).replace(/\s/g, '');
    await reviewer.fill('#code', await freshCode(reviewerSecret));
    await reviewer.getByRole('button', { name: 'Selesaikan pendaftaran' }).click();
    await reviewer.waitForURL(/\/admin\?info=enrolled$/);
    const forbidden = await reviewer.goto(`${base}/admin/audit`);
    expect(forbidden?.status()).toBe(403);
    expect(await graveViolations(reviewer), '403').toEqual([]);
    await expectNoHorizontalScroll(reviewer);

    expect(checked.length).toBeGreaterThanOrEqual(14);
  }, 120_000);
});
