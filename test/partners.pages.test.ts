// The partner pages of the back office (/admin/mitra): add a partner, set its
// limits and provider codes, issue a key shown once with a copy button, roll
// and revoke it, and the usage table; CSRF on every form, admins only.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { describeEachDialect } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { createOperator } from './support/operators.ts';
import { locationOf, PageClient, signInThroughPages, textOf } from './support/backoffice.ts';

const password = 'a long test password 123';
const keyPattern = /ckr_live_[0-9A-Za-z]{36}/;

describeEachDialect('partner pages on %s', (dialect) => {
  let runtime: TestRuntime;
  let admin: PageClient;
  const clock = new ManualClock('2026-03-01T08:00:00Z');

  beforeAll(async () => {
    runtime = await startTestRuntime(dialect, { clock });
    await createOperator(runtime, 'admin@cekrek.test', ['admin']);
    await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
    admin = new PageClient(runtime.app);
    await signInThroughPages(admin, clock, 'admin@cekrek.test', password);
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('is in the menu and on the dashboard of an admin, and of nobody else', async () => {
    const dashboard = await admin.get('/admin');
    expect(dashboard.body).toContain('href="/admin/mitra"');
    await createOperator(runtime, 'mediator@cekrek.test', ['mediator']);
    const mediator = new PageClient(runtime.app);
    await signInThroughPages(mediator, clock, 'mediator@cekrek.test', password);
    const theirs = await mediator.get('/admin');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('href="/admin/mitra"');
  });

  it('adds a partner, issues a key once, rolls and revokes it, and shows usage', async () => {
    const list = await admin.get('/admin/mitra');
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).toContain('Tambah mitra');

    const refused = await admin.post('/admin/mitra', { name: '', kind: 'bank', contactEmail: 'x' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('error-summary');

    const created = await admin.post('/admin/mitra', {
      name: 'Bank Contoh',
      kind: 'bank',
      contactEmail: 'api@bank.test',
      perMinute: '',
      perDay: '',
    });
    expect(created.statusCode, created.body).toBe(303);
    const partnerPage = locationOf(created).split('?')[0]!;
    expect(partnerPage).toMatch(/^\/admin\/mitra\/\d+$/);

    await admin.get(partnerPage);
    const saved = await admin.post(partnerPage, {
      name: 'Bank Contoh',
      contactEmail: 'api@bank.test',
      perMinute: '30',
      perDay: '1000',
      providerCodes: '014',
    });
    expect(saved.statusCode, saved.body).toBe(303);

    const withoutCsrf = await admin.post(
      `${partnerPage}/kunci`,
      { label: 'produksi', scopes: 'check' },
      { csrf: null },
    );
    expect(withoutCsrf.statusCode).toBe(403);

    const issued = await admin.post(`${partnerPage}/kunci`, {
      label: 'produksi',
      scopes: ['check', 'watch'],
      expiresOn: '',
    });
    expect(issued.statusCode, issued.body).toBe(201);
    const key = keyPattern.exec(issued.body)?.[0];
    expect(key).toBeDefined();
    expect(issued.body).toContain('data-copy="api-key"');

    const used = await runtime.app.inject({
      method: 'GET',
      url: '/api/v1/partner',
      headers: { authorization: `Bearer ${key!}` },
    });
    expect(used.statusCode).toBe(200);

    const page = await admin.get(partnerPage);
    expect(page.body).not.toContain(key);
    expect(page.body).toContain(`${key!.slice(0, 12)}…${key!.slice(-4)}`);
    const text = textOf(page.body);
    for (const column of [
      'Permintaan',
      'Rekening dicek',
      'Laporan',
      'Ditolak',
      'Terakhir dipakai',
    ]) {
      expect(text).toContain(column);
    }
    const keyId = /\/kunci\/(\d+)\/ganti/.exec(page.body)?.[1];
    expect(keyId).toBeDefined();
    expect(page.body).toContain('value="30"');
    expect(page.body).toContain('value="014"');

    const rolled = await admin.post(`${partnerPage}/kunci/${keyId!}/ganti`, {
      expireOldInSeconds: '0',
    });
    expect(rolled.statusCode).toBe(201);
    const fresh = keyPattern.exec(rolled.body)?.[0];
    expect(fresh).not.toBe(key);
    const freshId = /\/kunci\/(\d+)\/ganti/.exec((await admin.get(partnerPage)).body)?.[1];
    const revoked = await admin.post(`${partnerPage}/kunci/${freshId!}/cabut`);
    expect(revoked.statusCode).toBe(303);
    const after = await admin.get(locationOf(revoked));
    expect(textOf(after.body)).toContain('Kunci dicabut');
    expect(after.body).not.toMatch(keyPattern);
  });

  it('is for admins only', async () => {
    const reviewer = new PageClient(runtime.app);
    await signInThroughPages(reviewer, clock, 'reviewer@cekrek.test', password);
    const page = await reviewer.get('/admin/mitra');
    expect(page.statusCode).toBe(403);
  });
});
