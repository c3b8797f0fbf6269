// Normalization in a real browser (Debian's Chromium through playwright-core):
// the owner of a reported account asks for normalization from the result
// page, the check shows the dispute mark, a mediator asks a question (the
// owner answers with a file on the answer page), schedules a mediation and
// records it; a grant is refused until the reporter was told of the dispute
// (the victim answers on their ticket), then proposed; the proposer cannot
// confirm, a second operator does, the check shows the account normalized and
// the victim's tracking page says what that means for them. axe-core's rules
// on the pages, with and without JavaScript.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graveViolations, listenOnLoopback, TestBrowser, clickAndLoad } from './support/browser.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn, type AdminClient } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const number = '7775550001';

let runtime: TestRuntime;
let browser: TestBrowser;
let base: string;

/** The real clock: TOTP codes come from the same time the server checks them at. */
const realClock = { now: () => new Date(), advance: () => undefined };

beforeAll(async () => {
  runtime = await startTestRuntime('sqlite', { env: { SIGN_IN_RATE_LIMIT: '0' } });
  base = await listenOnLoopback(runtime);
  browser = await TestBrowser.launch();
});

afterAll(async () => {
  await browser?.close();
  await runtime?.close();
});

async function newPage(session?: AdminClient, javaScriptEnabled = true): Promise<Page> {
  // bypassCSP: axe-core is added as an inline script, which the pages' own CSP forbids.
  const page = await browser.page({ bypassCSP: true, javaScriptEnabled });
  if (session?.cookie) {
    await page.context().addCookies([{ name: 'cekrek_session', value: session.cookie, url: base }]);
  }
  page.setDefaultTimeout(15_000);
  return page;
}

async function checkBody(): Promise<{ status: string; reports: { verified: number } }> {
  const response = await fetch(`${base}/api/v1/accounts/014/${number}`);
  return (await response.json()) as { status: string; reports: { verified: number } };
}

async function jpeg(seed: number, name: string) {
  return { name, mimeType: 'image/jpeg', buffer: await smallJpeg(seed) };
}

/** A report filed by a victim and verified by a reviewer, through the API: its ticket and code. */
async function verifiedReport(): Promise<{ ticket: string; trackingToken: string }> {
  const body = await multipart(
    { ...validReportFields, number, reporterEmail: 'korban@example.id' },
    [{ name: 'evidence', content: await smallJpeg(3), fileName: 'bukti.jpg' }],
  );
  const filed = await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
  expect(filed.statusCode, filed.body).toBe(201);
  await createOperator(runtime, 'reviewer-nz@cekrek.test', ['reviewer']);
  const { client } = await signedIn(runtime, realClock, 'reviewer-nz@cekrek.test');
  const queue = await client.request('GET', '/api/v1/admin/reports');
  const id = queue.json<{ reports: { id: number }[] }>().reports[0]!.id;
  const decided = await client.request('POST', `/api/v1/admin/reports/${id}/decision`, {
    decision: 'verify',
    reason: 'evidence_sufficient',
  });
  expect(decided.statusCode, decided.body).toBe(200);
  return filed.json<{ ticket: string; trackingToken: string }>();
}

describe('normalization, from the owner to the check', () => {
  it('is requested, mediated, proposed, confirmed by another operator and shown normalized', async () => {
    const victim = await verifiedReport();
    expect(await checkBody()).toMatchObject({ status: 'reported', reports: { verified: 1 } });

    // The owner, from the result page of their account.
    const owner = await newPage();
    await owner.goto(`${base}/rekening/014/${number}`);
    await owner.getByRole('link', { name: 'Ajukan normalisasi rekening' }).click();
    await owner.waitForURL(/\/normalisasi\?/);
    expect(await owner.inputValue('#provider')).toBe('014 · BCA — Bank Central Asia');
    expect(await owner.inputValue('#number')).toBe(number);
    expect(await graveViolations(owner)).toEqual([]);
    await owner.fill('#holderName', 'Budi Santoso');
    await owner.fill('#nik', '3201014501900001');
    await owner.fill('#phone', '0812-3333-4444');
    await owner.fill('#email', 'pemilik@example.id');
    await owner.fill('#statement', 'terlalu pendek');
    await owner.setInputFiles('#savingsBookPhoto', await jpeg(11, 'buku.jpg'));
    await owner.setInputFiles('#idCardPhoto', await jpeg(12, 'ktp.jpg'));
    await owner.setInputFiles('#evidence', [
      await jpeg(13, 'resi.jpg'),
      await jpeg(14, 'chat.jpg'),
    ]);
    await clickAndLoad(owner, owner.locator('form.nz-form button[type="submit"]'));
    // Refused: what was typed comes back, the files must be chosen again.
    expect(await owner.locator('.error-summary').innerText()).toContain('30–5.000 karakter');
    expect(await owner.inputValue('#nik')).toBe('3201014501900001');
    expect(await graveViolations(owner)).toEqual([]);
    await owner.fill(
      '#statement',
      'Barang sudah saya kirim dan diterima pembeli; resi dan percakapan terlampir.',
    );
    await owner.setInputFiles('#savingsBookPhoto', await jpeg(11, 'buku.jpg'));
    await owner.setInputFiles('#idCardPhoto', await jpeg(12, 'ktp.jpg'));
    await owner.setInputFiles('#evidence', [
      await jpeg(13, 'resi.jpg'),
      await jpeg(14, 'chat.jpg'),
    ]);
    await clickAndLoad(owner, owner.locator('form.nz-form button[type="submit"]'));
    const ticket = (await owner.locator('.receipt .ticket').innerText()).trim();
    const token = await owner.locator('.receipt input.token').inputValue();
    // The receipt shows the tracking code: the page sends no Referer on.
    expect(await owner.locator('meta[name="referrer"]').getAttribute('content')).toBe(
      'no-referrer',
    );
    // The address to copy is styled like every receipt's, so it is never cut off.
    expect(await owner.locator('.receipt-save code.token').count()).toBe(1);
    expect(ticket).toMatch(/^NOR-/);
    expect(await graveViolations(owner)).toEqual([]);

    // The dispute mark, in the API and on the result page.
    expect((await checkBody()).status).toBe('disputed');
    await owner.goto(`${base}/rekening/014/${number}`);
    expect(await owner.locator('#status-heading').innerText()).toBe(
      'Dalam proses sanggah / normalisasi',
    );

    // Two mediators.
    await createOperator(runtime, 'mediator-1@cekrek.test', ['mediator']);
    await createOperator(runtime, 'mediator-2@cekrek.test', ['mediator']);
    const firstClient = (await signedIn(runtime, realClock, 'mediator-1@cekrek.test')).client;
    const first = await newPage(firstClient);
    const second = await newPage(
      (await signedIn(runtime, realClock, 'mediator-2@cekrek.test')).client,
    );

    await first.goto(`${base}/admin`);
    await first.getByRole('link', { name: 'Normalisasi rekening' }).first().click();
    await first.waitForURL(`${base}/admin/normalisasi`);
    await first.getByRole('link', { name: new RegExp(ticket) }).click();
    await first.waitForURL(/\/admin\/normalisasi\/\d+$/);
    const caseUrl = first.url();
    const text = await first.locator('main').innerText();
    expect(text).toContain('korban@example.id');
    expect(text).toContain('pemilik@example.id');
    expect(text).toContain('3201********0001');
    expect(await graveViolations(first)).toEqual([]);

    // A question to the owner, answered with a file on the answer page.
    await first.fill('#question', 'Mohon kirim foto resi pengiriman yang asli.');
    await first.locator('form[action*="/pertanyaan"] button[type="submit"]').click();
    await first.waitForURL(/info=asked/);
    await owner.goto(`${base}/lacak/jawab?tiket=${ticket}&token=${token}`);
    expect(await owner.locator('main').innerText()).toContain('foto resi pengiriman yang asli');
    expect(await graveViolations(owner)).toEqual([]);
    await owner.locator('textarea[name="answer"]').fill('Resi asli JNE terlampir.');
    await owner.setInputFiles('input[name="attachments"]', await jpeg(15, 'resi-asli.jpg'));
    await clickAndLoad(owner, owner.locator('form[action^="/lacak/jawab"] button[type="submit"]'));
    expect(await owner.locator('[role=status]').innerText()).toContain(
      'jawaban Anda sudah diterima',
    );

    // Mediation: scheduled, then its outcome recorded.
    await first.goto(caseUrl);
    expect(await first.locator('main').innerText()).toContain('Resi asli JNE terlampir.');
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000 + 7 * 3_600_000)
      .toISOString()
      .slice(0, 16);
    await first.fill('#scheduledAt', inThreeDays);
    await first.fill('#place', 'Kantor layanan, Jakarta');
    await first.fill('#videoLink', 'https://meet.example.id/mediasi');
    await first.locator('form[action$="/mediasi"] button[type="submit"]').click();
    await first.waitForURL(/info=scheduled/);
    await first.locator('input[name="outcome"][value="owner_upheld"]').check();
    await first.locator('form[action$="/mediasi/hasil"] button[type="submit"]').click();
    await first.waitForURL(/info=recorded/);

    // A grant is refused while the reporter has not been heard, with or without JavaScript.
    const plain = await newPage(firstClient, false);
    await plain.goto(caseUrl);
    expect(await plain.locator('#hearing-title').innerText()).toBe('Mendengar pelapor');
    expect(await plain.locator('#pelapor').innerText()).toContain('Belum diberi tahu');
    await plain.locator('#decision-grant').check();
    await plain.fill('#reason', 'Pengiriman terbukti; pelapor mengakuinya dalam mediasi.');
    await clickAndLoad(plain, plain.locator('form[action$="/usulan"] button[type="submit"]'));
    expect(await plain.locator('.error-summary').innerText()).toContain(victim.ticket);
    await plain.close();

    // The mediator tells the reporter; the grant waits for their answer.
    await first.goto(caseUrl);
    await first.fill('#notice-note', 'Mohon sertakan bukti pembayaran Anda.');
    await first.locator('form[action$="/pemberitahuan"] button[type="submit"]').click();
    await first.waitForURL(/info=noticed/);
    expect(await first.locator('#pelapor').innerText()).toContain('Menunggu jawaban');
    expect(await graveViolations(first)).toEqual([]);
    await first.locator('#decision-grant').check();
    await first.fill('#reason', 'Pengiriman terbukti; pelapor mengakuinya dalam mediasi.');
    await clickAndLoad(first, first.locator('form[action$="/usulan"] button[type="submit"]'));
    expect(await first.locator('.error-summary').innerText()).toContain(
      'Normalisasi belum dapat dikabulkan',
    );
    // axe-core is a script: it runs where scripts do, on the very same HTML.
    expect(await graveViolations(first)).toEqual([]);

    // The victim answers on their ticket's answer page.
    const reporter = await newPage();
    await reporter.goto(`${base}/lacak/jawab?tiket=${victim.ticket}&token=${victim.trackingToken}`);
    expect(await reporter.locator('main').innerText()).toContain('menyanggah laporan Anda');
    expect(await graveViolations(reporter)).toEqual([]);
    await reporter.locator('textarea[name="answer"]').fill('Barang baru saya terima kemarin.');
    await clickAndLoad(
      reporter,
      reporter.locator('form[action^="/lacak/jawab"] button[type="submit"]'),
    );

    // The proposal; its author is offered no confirmation.
    await first.goto(caseUrl);
    expect(await first.locator('#pelapor').innerText()).toContain('Sudah menjawab');
    await first.locator('#decision-grant').check();
    await first.fill('#reason', 'Pengiriman terbukti; pelapor mengakuinya dalam mediasi.');
    await first.locator('form[action$="/usulan"] button[type="submit"]').click();
    await first.waitForURL(/info=proposed/);
    expect(await first.locator('form[action$="/konfirmasi"]').count()).toBe(0);
    expect(await first.locator('main').innerText()).toContain(
      'Anda mengusulkan keputusan ini: operator lain harus mengonfirmasinya.',
    );
    expect((await checkBody()).status).toBe('disputed');

    // The second operator confirms.
    await second.goto(caseUrl);
    await second.locator('#confirm-yes').check();
    await second.locator('form[action$="/konfirmasi"] button[type="submit"]').click();
    await second.waitForURL(/info=confirmed/);
    expect(await second.locator('main').innerText()).toContain('Dikabulkan');

    // Normalized in the check: the API and the result page.
    expect(await checkBody()).toMatchObject({ status: 'normalized', reports: { verified: 0 } });
    await owner.goto(`${base}/rekening/014/${number}`);
    expect(await owner.locator('#status-heading').innerText()).toBe('Telah dinormalisasi');

    // The victim's tracking page says what it means for them, why, and what they can still do.
    for (const javaScriptEnabled of [true, false]) {
      const tracking = await newPage(undefined, javaScriptEnabled);
      await tracking.goto(`${base}/lacak?tiket=${victim.ticket}&token=${victim.trackingToken}`);
      const told = await tracking.locator('main').innerText();
      expect(told).toContain('laporan Anda tidak lagi dihitung');
      expect(told).toContain('Alasan petugas: Pengiriman terbukti');
      expect(told).toContain('polisi');
      expect(await tracking.locator('a[href="/kontak"]').count()).toBeGreaterThan(0);
      if (javaScriptEnabled) expect(await graveViolations(tracking)).toEqual([]);
      await tracking.close();
    }
  }, 180_000);
});
