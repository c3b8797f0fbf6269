// A partner's report in the back office, in Chromium at 360 px with and
// without JavaScript: the queue filtered by source shows "Mitra: <name>", and
// so does the report. No serious or critical axe violation, nothing wider
// than the screen.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { graveViolations, listenOnLoopback, phone, TestBrowser } from './support/browser.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };
let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;
const clock = new ManualClock(new Date());
let reportId: number;

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
  const partners = runtime.services.partners;
  const partner = await partners.createPartner(
    { name: 'Bank Contoh', kind: 'bank', contactEmail: 'api@bank.test' },
    actor,
  );
  const key = (await partners.issueKey(partner.id, { label: 'lapor', scopes: ['reports'] }, actor))
    .secret;
  await partners.reload();
  const body = await multipart({ ...validReportFields, number: '7776000001' }, [
    { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
  ]);
  const response = await runtime.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: body.payload,
    headers: { ...body.headers, authorization: `Bearer ${key}` },
  });
  const answer = response.json<{ ticket: string }>();
  const row = await runtime.database.db
    .selectFrom('reports')
    .select('id')
    .where('ticket', '=', answer.ticket)
    .executeTakeFirstOrThrow();
  reportId = Number(row.id);
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function expectAccessible(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) expect(await graveViolations(page)).toEqual([]);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, page.url()).toBeLessThanOrEqual(phone.width);
}

describe('a partner’s report in the back office', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`shows its source, and the queue filters by it (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const email = `source-${javaScriptEnabled ? 'js' : 'nojs'}@cekrek.test`;
      await createOperator(runtime, email, ['reviewer']);
      const { client } = await signedIn(runtime, clock, email);
      const page = await browser.page({ bypassCSP: true, javaScriptEnabled });
      await page
        .context()
        .addCookies([{ name: 'cekrek_session', value: client.cookie!, url: base }]);
      await page.goto(`${base}/admin/laporan`);
      await page.getByLabel('Sumber').selectOption('partner');
      await page.getByRole('button', { name: 'Terapkan' }).click();
      await page.waitForURL(/source=partner/);
      expect(await page.locator('main').innerText()).toContain('Mitra: Bank Contoh');
      await expectAccessible(page, javaScriptEnabled);
      await page.goto(`${base}/admin/laporan/${reportId}`);
      expect(await page.locator('main').innerText()).toContain('Mitra: Bank Contoh');
      await expectAccessible(page, javaScriptEnabled);
    });
  }
});
