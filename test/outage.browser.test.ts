// The result page while the check cannot be sure of its answer, in a real
// browser (Debian's Chromium): it says the account cannot be checked right
// now, in the visitor's language, never "no reports"; it fits a phone and
// passes axe-core. The check's change log is made unreadable by another
// connection (a real failing poll), then readable again.
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../src/db/database.ts';
import { t } from '../src/shared/messages.ts';
import {
  clickAndLoad,
  graveViolations,
  listenOnLoopback,
  phone,
  TestBrowser,
} from './support/browser.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let other: Database;
let browser: TestBrowser;
let base: string;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { env: { CHECK_STALE_AFTER_MS: '200' } });
  base = await listenOnLoopback(runtime);
  other = openDatabase({ kind: 'sqlite', file: join(runtime.testDatabase.dataDir, 'cekrek.db') });
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await other?.close();
  await runtime?.close();
});

function phonePage(locale: string): Promise<Page> {
  return browser.page({ viewport: phone, locale, bypassCSP: true });
}

describe('the result page while the check cannot be sure', () => {
  it('says it cannot check right now, never "no reports", and says it again once it can', async () => {
    await sql`alter table account_changes rename to account_changes_away`.execute(other.db);
    await expect.poll(() => runtime.checks.freshness.trusted, { timeout: 15_000 }).toBe(false);

    const page = await phonePage('id-ID');
    await page.goto(base);
    await page.fill('#bank', 'bca');
    await page.fill('#number', '123-456-7890');
    await clickAndLoad(page, page.locator('button[type=submit]'));
    await expect.poll(() => page.url()).toBe(`${base}/rekening/014/1234567890`);
    const heading = page.locator('#status-heading');
    await expect(heading.textContent()).resolves.toContain(t('id', 'result.unavailable.heading'));
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain(t('id', 'result.status.clear'));
    expect(text).toContain(t('id', 'result.unavailable.text', { seconds: 5 }));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(phone.width);

    const grave = await graveViolations(page);
    expect(grave).toEqual([]);

    const english = await phonePage('en-GB');
    const response = await english.goto(`${base}/rekening/014/1234567890`);
    expect(response?.status()).toBe(503);
    expect(response?.headers()['retry-after']).toBe('5');
    await expect(english.locator('#status-heading').textContent()).resolves.toContain(
      t('en', 'result.unavailable.heading'),
    );

    await sql`alter table account_changes_away rename to account_changes`.execute(other.db);
    await expect.poll(() => runtime.checks.freshness.trusted, { timeout: 15_000 }).toBe(true);
    await page.click(`a:has-text("${t('id', 'result.unavailable.retry')}")`);
    await expect
      .poll(() => page.locator('#status-heading').textContent())
      .toContain(t('id', 'result.status.clear'));
  });
});
