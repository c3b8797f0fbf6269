// Operator changes in a real browser (Debian's Chromium through
// playwright-core), with OPERATOR_CHANGE_APPROVAL on: one admin asks for a
// new operator, the other sees the request on the dashboard, approves it and
// is shown the one-time password; the warnings on the dashboard and the
// audit viewer's marker and filter. axe-core's rules and no sideways
// scrolling at 360 px on each page. Screenshots go to /tmp/shots/.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { totpCode } from '../src/operators/totp.ts';
import {
  clickAndLoad,
  desktop,
  graveViolations,
  listenOnLoopback,
  phone,
  shotsDir,
  TestBrowser,
} from './support/browser.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const password = 'a long test password 123';
// The server's clock, which the test moves so that a code is typed for the time
// it checks; it starts now, since the browser keeps cookies by its own clock.
const clock = new ManualClock(new Date());

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
let shots: string;
const secrets = new Map<string, string>();

beforeAll(async () => {
  shots = shotsDir();
  runtime = await startTestRuntime('sqlite', {
    clock,
    env: { SIGN_IN_RATE_LIMIT: '0', OPERATOR_CHANGE_APPROVAL: 'on' },
  });
  for (const email of ['asker@cekrek.test', 'approver@cekrek.test']) {
    await createOperator(runtime, email, ['admin']);
    secrets.set(email, (await signedIn(runtime, clock, email)).secret);
  }
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function signInAs(email: string): Promise<Page> {
  const page = await browser.page({ bypassCSP: true, viewport: phone, locale: 'id-ID' });
  await page.goto(`${base}/admin/masuk`);
  await page.fill('#email', email);
  await page.fill('#password', password);
  await page.fill('#totp', await totpCode(secrets.get(email)!, clock.now()));
  clock.advance(30_000);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(`${base}/admin`);
  return page;
}

/** axe-core, no sideways scrolling at 360 px, and a screenshot at both widths. */
async function check(page: Page, name: string) {
  expect(await graveViolations(page), name).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, name).toBeLessThanOrEqual(phone.width);
  await page.screenshot({ path: `${shots}/${name}-360.png`, fullPage: true });
  await page.setViewportSize(desktop);
  await page.screenshot({ path: `${shots}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize(phone);
}

describe('operator changes with a second admin, in the browser', () => {
  it('asks, approves, shows the one-time password to the approver, and warns on the dashboard and in the audit log', async () => {
    const asker = await signInAs('asker@cekrek.test');
    await asker.goto(`${base}/admin/operator/baru`);
    await asker.fill('#email', 'browser-made@cekrek.test');
    await asker.getByLabel('Peninjau').check();
    await asker.getByRole('button', { name: 'Buat operator' }).click();
    await asker.waitForURL(`${base}/admin/operator/permintaan?info=requested`);
    await expect(asker.locator('[role=status]').innerText()).resolves.toContain(
      'Admin lain harus menyetujuinya',
    );
    const mine = asker.locator('li.record-change', { hasText: 'browser-made@cekrek.test' });
    await expect(mine.innerText()).resolves.toContain('Permintaan Anda');
    await expect(mine.getByRole('button', { name: 'Setujui' }).count()).resolves.toBe(0);
    await check(asker, 'operator-changes-requested');

    const approver = await signInAs('approver@cekrek.test');
    const pending = approver.locator('#operator-changes .notice a');
    await expect(pending.innerText()).resolves.toBe(
      '1 perubahan operator menunggu persetujuan admin kedua.',
    );
    await check(approver, 'operator-changes-dashboard');
    await pending.click();
    await approver.waitForURL(`${base}/admin/operator/permintaan`);
    await check(approver, 'operator-changes-pending');
    await clickAndLoad(
      approver,
      approver
        .locator('li.record-change', { hasText: 'browser-made@cekrek.test' })
        .getByRole('button', { name: 'Setujui' }),
    );
    await expect(approver.locator('h1').innerText()).resolves.toBe('Perubahan disetujui');
    await expect(approver.locator('#one-time-password').innerText()).resolves.toMatch(
      /^\w{5}-\w{5}-\w{5}-\w{5}$/,
    );
    await check(approver, 'operator-changes-approved');

    // The dashboard now names who made the account, and for whom it was asked.
    await approver.goto(`${base}/admin`);
    const warning = approver.locator('#operator-changes li', {
      hasText: 'browser-made@cekrek.test',
    });
    await expect(warning.innerText()).resolves.toContain(
      'approver@cekrek.test membuat akun browser-made@cekrek.test',
    );
    await expect(warning.innerText()).resolves.toContain('Diminta oleh asker@cekrek.test');

    // The audit viewer: the filter by checkbox, each change marked.
    await approver.goto(`${base}/admin/audit`);
    await approver.getByLabel('Hanya perubahan akun operator').check();
    await approver.getByRole('button', { name: 'Terapkan' }).click();
    await approver.waitForURL(/operatorChanges=on/);
    const entries = approver.locator('.audit-entries > li');
    expect(await entries.count()).toBeGreaterThan(0);
    expect(await entries.count()).toBe(
      await approver.locator('.audit-entries .badge-change').count(),
    );
    await check(approver, 'operator-changes-audit');
  }, 120_000);
});
