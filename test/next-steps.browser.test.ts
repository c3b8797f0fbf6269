// What happens next, in Chromium at 360 px with and without JavaScript: the
// tracking page says when a decision usually comes; the back office's header
// search leads from a ticket number to the report, and the search page says
// when a number leads nowhere. No serious or critical axe violation, nothing
// wider than the screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { graveViolations, listenOnLoopback, phone, TestBrowser } from './support/browser.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
const clock = new ManualClock(new Date());
let filed: { ticket: string; trackingToken: string; id: number };

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
  const body = await multipart({ ...validReportFields, number: '7775000001' }, [
    { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
  ]);
  const response = await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
  const answer = response.json<{ ticket: string; trackingToken: string }>();
  const row = await runtime.database.db
    .selectFrom('reports')
    .select('id')
    .where('ticket', '=', answer.ticket)
    .executeTakeFirstOrThrow();
  filed = { ...answer, id: Number(row.id) };
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function expectAccessible(page: Page, javaScriptEnabled: boolean) {
  // axe-core is a script: it runs where scripts do, on the very same HTML.
  if (javaScriptEnabled) expect(await graveViolations(page)).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

describe('the tracking page', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`says when a decision usually comes (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const page = await browser.page({ bypassCSP: true, javaScriptEnabled });
      await page.goto(`${base}/lacak?tiket=${filed.ticket}&token=${filed.trackingToken}`);
      const expected = page.locator('.expected-decision');
      await expect.poll(() => expected.innerText()).toContain('Kapan ada keputusan');
      expect(await expected.innerText()).toContain('Biasanya ada keputusan dalam 5 hari');
      expect(await expected.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\d/);
      await expectAccessible(page, javaScriptEnabled);
    });
  }
});

describe('the back office’s ticket search', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`leads from the header’s field to the report, and says when a number leads nowhere (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const email = `reviewer-${javaScriptEnabled ? 'js' : 'nojs'}@cekrek.test`;
      await createOperator(runtime, email, ['reviewer']);
      const { client } = await signedIn(runtime, clock, email);
      const page = await browser.page({ bypassCSP: true, javaScriptEnabled });
      await page
        .context()
        .addCookies([{ name: 'cekrek_session', value: client.cookie!, url: base }]);
      await page.goto(`${base}/admin`);
      const field = page.getByRole('searchbox', { name: 'Nomor tiket' });
      await expectAccessible(page, javaScriptEnabled);
      await field.fill(filed.ticket.toLowerCase());
      await field.press('Enter');
      await page.waitForURL(`${base}/admin/laporan/${filed.id}`);
      expect(await page.locator('main').innerText()).toContain(filed.ticket);

      await page.goto(`${base}/admin/tiket?tiket=LAP-0000-0000`);
      expect(await page.locator('.error-summary').innerText()).toContain(
        'Tidak ada laporan, pendaftaran atau permohonan dengan nomor tiket LAP-0000-0000.',
      );
      await expectAccessible(page, javaScriptEnabled);
    });
  }
});
