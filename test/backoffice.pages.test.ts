// The back-office pages through fastify.inject: sign-in with its
// double-submit token, enrolment → password change → dashboard with real TOTP
// codes, redirects by session stage, CSRF on every form, roles, operator
// management with one-time passwords shown once, the audit log and its
// filters, escaping, English, safe `next` targets, and no secret in the logs.
// The browser half is backoffice.browser.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { totpCode } from '../src/operators/totp.ts';
import { dialects, describeOn } from './support/databases.ts';
import { seedDispute, seedReports } from './support/factories.ts';
import { createOperator, cliActor } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import {
  csrfOf,
  locationOf,
  oneTimePasswordOf,
  PageClient,
  secretOf,
  signInThroughPages,
  textOf,
} from './support/backoffice.ts';

const password = 'a long test password 123';
const htmlType = 'text/html; charset=utf-8';

for (const dialect of dialects) {
  describeOn(dialect)(`back-office pages on ${dialect}`, () => {
    let runtime: TestRuntime;
    const clock = new ManualClock('2026-03-10T03:00:00Z');
    /** Every secret the tests saw; none may appear in a log line. */
    const secrets: string[] = [];

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
    });
    afterAll(async () => {
      await runtime.close();
    });

    const client = () => new PageClient(runtime.app);

    async function admin(email: string) {
      await createOperator(runtime, email, ['admin']);
      const c = client();
      const secret = await signInThroughPages(c, clock, email, password);
      secrets.push(secret, ...c.cookies.values());
      return c;
    }

    function remember(c: PageClient) {
      for (const value of [...c.cookies.values(), c.csrf]) if (value) secrets.push(value);
    }

    describe('the sign-in page', () => {
      it('is a private HTML form with a double-submit token in a strict cookie', async () => {
        const page = await client().get('/admin/masuk');
        expect(page.statusCode).toBe(200);
        expect(page.headers['content-type']).toBe(htmlType);
        expect(page.headers['cache-control']).toBe('no-store');
        expect(page.headers['x-robots-tag']).toContain('noindex');
        expect(page.headers['content-security-policy']).toContain("script-src 'self'");
        expect(page.body.startsWith('<!doctype html><html lang="id">')).toBe(true);
        expect(page.body).not.toContain('<script');
        expect(page.body).toContain('<label for="email">E-mail</label>');
        expect(page.body).toContain('<label for="password">Kata sandi</label>');
        expect(page.body).toContain('<label for="totp">Kode autentikator (6 angka)</label>');
        expect(textOf(page.body)).toContain('Saat pertama kali masuk, kosongkan saja');
        expect(page.body).toContain('href="#main"');
        const cookie = page.cookies.find((c) => c.name === 'cekrek_signin')!;
        expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin/masuk' });
        expect(cookie.maxAge).toBeLessThanOrEqual(30 * 60);
        expect(cookie.secure).toBeUndefined();
        expect(csrfOf(page.body)).toBe(cookie.value);
      });

      it('marks the token cookie Secure over HTTPS', async () => {
        const page = await runtime.app.inject({
          url: '/admin/masuk',
          headers: { 'x-forwarded-proto': 'https' },
        });
        // TRUST_PROXY is off in tests: the forwarded protocol is not believed.
        expect(page.cookies.find((c) => c.name === 'cekrek_signin')?.secure).toBeUndefined();
      });

      it('refuses a POST without the matching token (login CSRF)', async () => {
        await createOperator(runtime, 'csrf-login@cekrek.test', ['reviewer']);
        const form = { email: 'csrf-login@cekrek.test', password };
        // No token at all, as a cross-site form would post.
        const bare = await runtime.app.inject({
          method: 'POST',
          url: '/admin/masuk',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams(form).toString(),
        });
        expect(bare.statusCode).toBe(403);
        expect(bare.cookies.find((c) => c.name === 'cekrek_session')).toBeUndefined();

        const c = client();
        await c.get('/admin/masuk');
        const wrong = await c.post('/admin/masuk', form, { csrf: 'x'.repeat(43) });
        expect(wrong.statusCode).toBe(403);
        expect(textOf(wrong.body)).toContain('Formulir ini sudah kedaluwarsa');
        expect(wrong.body).toContain('value="csrf-login@cekrek.test"');
        expect(c.cookies.has('cekrek_session')).toBe(false);

        // The field without the cookie (another browser's token) fails too.
        const stranger = client();
        const token = c.csrf!;
        const missingCookie = await stranger.post('/admin/masuk', form, { csrf: token });
        expect(missingCookie.statusCode).toBe(403);

        // With both, the same form signs in.
        const ok = await c.post('/admin/masuk', form);
        expect(ok.statusCode).toBe(303);
        expect(locationOf(ok)).toBe('/admin/totp');
        expect(c.cookies.has('cekrek_session')).toBe(true);
        // The token is used up: the cookie is cleared.
        expect(c.cookies.has('cekrek_signin')).toBe(false);
        remember(c);
      });

      it('answers wrong credentials like an unknown e-mail, keeping the e-mail, never the password', async () => {
        await createOperator(runtime, 'wrong@cekrek.test', ['reviewer']);
        const wrong = await client().signIn('wrong@cekrek.test', 'not the password 999');
        const unknown = await client().signIn('nobody@cekrek.test', 'not the password 999');
        for (const response of [wrong, unknown]) {
          expect(response.statusCode).toBe(401);
          expect(response.headers['cache-control']).toBe('no-store');
          expect(textOf(response.body)).toContain(
            'Periksa e-mail dan kata sandi Anda, lalu coba lagi.',
          );
          expect(response.body).not.toContain('not the password 999');
          expect(response.body).toContain('autofocus');
          expect(response.cookies.find((c) => c.name === 'cekrek_session')).toBeUndefined();
        }
        expect(wrong.body).toContain('value="wrong@cekrek.test"');
        expect(unknown.body).toContain('value="nobody@cekrek.test"');
        const normalize = (html: string) =>
          html.replace(/value="[^"]*"/g, 'value=""').replace(/[\w.-]+@cekrek\.test/g, 'E');
        expect(normalize(wrong.body)).toBe(normalize(unknown.body));
      });

      it('asks an enrolled operator for the TOTP code, keeping the e-mail', async () => {
        await createOperator(runtime, 'needs-code@cekrek.test', ['reviewer']);
        const c = client();
        const secret = await signInThroughPages(c, clock, 'needs-code@cekrek.test', password);
        const again = client();
        const missing = await again.signIn('needs-code@cekrek.test', password);
        expect(missing.statusCode).toBe(401);
        expect(missing.body).toContain('value="needs-code@cekrek.test"');
        expect(missing.body).toContain('id="totp-error"');
        expect(missing.body).toContain('aria-invalid="true"');
        expect(textOf(missing.body)).toContain('Masukkan kode 6 angka yang benar');
        const ok = await again.signIn(
          'needs-code@cekrek.test',
          password,
          await totpCode(secret, clock.now()),
        );
        expect(ok.statusCode).toBe(303);
        expect(locationOf(ok)).toBe('/admin');
        clock.advance(30_000);
        remember(again);
        secrets.push(secret);
      });
    });

    it('leads a new operator from a one-time password through enrolment and the password change to the dashboard', async () => {
      await seedReports(runtime.database, [
        { provider: '014', number: '1111111111', status: 'submitted', reportedAt: '2026-03-08' },
        { provider: '014', number: '1111111112', status: 'in_review', reportedAt: '2026-01-15' },
      ]);
      await seedDispute(runtime.database, '014', '1111111113', '2026-01-01T00:00:00Z');
      const { oneTimePassword } = await runtime.services.operators.create(
        { email: 'fresh@cekrek.test', roles: ['reviewer'] },
        cliActor,
      );
      const c = client();
      const first = await c.signIn('fresh@cekrek.test', oneTimePassword!);
      expect(first.statusCode).toBe(303);
      expect(locationOf(first)).toBe('/admin/totp');

      // Until enrolled, every other page leads back to enrolment.
      expect(locationOf(await c.get('/admin'))).toBe('/admin/totp');
      expect(locationOf(await c.get('/admin/kata-sandi'))).toBe('/admin/totp');

      const enrolment = await c.get('/admin/totp');
      expect(enrolment.statusCode).toBe(200);
      expect(enrolment.headers['cache-control']).toBe('no-store');
      expect(enrolment.body).toMatch(/<img class="qr" src="data:image\/svg\+xml;base64,[\w+/=]+"/);
      expect(enrolment.body).not.toContain('<svg xmlns');
      const secret = secretOf(enrolment.body);
      expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
      expect(enrolment.body).toMatch(/id="totp-secret">([A-Z2-7]{4} )+[A-Z2-7]{1,4}</);
      const qr = /src="data:image\/svg\+xml;base64,([^"]+)"/.exec(enrolment.body)![1]!;
      expect(Buffer.from(qr, 'base64').toString('utf8')).toMatch(/^<svg xmlns=/);
      secrets.push(secret, oneTimePassword!);

      const wrongCode = await c.post('/admin/totp', { code: '000000' });
      expect(wrongCode.statusCode).toBe(400);
      expect(wrongCode.body).toContain('id="code-error"');
      expect(secretOf(wrongCode.body)).toBe(secret);

      const enrolmentCookie = c.cookies.get('cekrek_session');
      const enrolled = await c.post('/admin/totp', { code: await totpCode(secret, clock.now()) });
      clock.advance(30_000);
      expect(enrolled.statusCode).toBe(303);
      expect(locationOf(enrolled)).toBe('/admin/kata-sandi');
      expect(c.cookies.get('cekrek_session')).not.toBe(enrolmentCookie);

      // Before the password change, the dashboard leads to it.
      expect(locationOf(await c.get('/admin'))).toBe('/admin/kata-sandi');
      const form = await c.get('/admin/kata-sandi');
      expect(textOf(form.body)).toContain('Anda masuk dengan kata sandi sekali pakai');
      expect(form.body).toContain('autocomplete="new-password"');

      const mismatch = await c.post('/admin/kata-sandi', {
        currentPassword: oneTimePassword!,
        newPassword: 'my own new passphrase 42',
        confirmPassword: 'my own new passphrase 43',
      });
      expect(mismatch.statusCode).toBe(400);
      expect(mismatch.body).toContain('href="#confirmPassword"');
      expect(textOf(mismatch.body)).toContain('Kedua kata sandi baru tidak sama.');

      const weak = await c.post('/admin/kata-sandi', {
        currentPassword: oneTimePassword!,
        newPassword: 'short',
        confirmPassword: 'short',
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.body).toContain('id="newPassword-error"');
      expect(textOf(weak.body)).toContain('Kata sandi minimal 12 karakter.');
      expect(weak.body).not.toContain(oneTimePassword!);

      const wrongCurrent = await c.post('/admin/kata-sandi', {
        currentPassword: 'not it at all 12345',
        newPassword: 'my own new passphrase 42',
        confirmPassword: 'my own new passphrase 42',
      });
      expect(wrongCurrent.body).toContain('id="currentPassword-error"');

      const changed = await c.post('/admin/kata-sandi', {
        currentPassword: oneTimePassword!,
        newPassword: 'my own new passphrase 42',
        confirmPassword: 'my own new passphrase 42',
      });
      expect(changed.statusCode).toBe(303);
      expect(locationOf(changed)).toBe('/admin?info=password_changed');

      const dashboard = await c.get(locationOf(changed));
      expect(dashboard.statusCode).toBe(200);
      expect(dashboard.headers['cache-control']).toBe('no-store');
      expect(dashboard.headers['x-robots-tag']).toContain('noindex');
      const text = textOf(dashboard.body);
      expect(text).toContain('Kata sandi Anda telah diganti.');
      expect(text).toContain('fresh@cekrek.test');
      expect(text).toContain('Peninjau laporan');
      // Reports: 1 submitted, 1 in review (overdue); normalizations: 1 submitted, overdue.
      expect(text).toContain(
        'Laporan rekening batas waktu 7 hari Diajukan 1 Sedang ditinjau 1 Terlambat 1 melewati batas waktu',
      );
      expect(text).toContain(
        'Pendaftaran rekening penjual batas waktu 7 hari Diajukan 0 Sedang ditinjau 0 Terlambat 0 ',
      );
      expect(text).toContain(
        'Normalisasi rekening batas waktu 14 hari Diajukan 1 Sedang ditinjau 0 Terlambat 1 melewati batas waktu',
      );
      expect(dashboard.body).toContain('<li class="queue queue-late" id="queue-reports">');
      expect(dashboard.body).toContain('<li class="queue" id="queue-registrations">');
      expect(text).toContain('2 pengajuan melewati batas waktu pemrosesan.');
      // A reviewer is offered no operator management and no audit log.
      expect(dashboard.body).not.toContain('href="/admin/operator"');
      expect(dashboard.body).not.toContain('href="/admin/audit"');
      expect(dashboard.body).toContain('action="/admin/keluar"');
      expect(dashboard.body).toContain('action="/admin/keluar-semua"');
      expect(dashboard.body).toContain('aria-current="page"');
      remember(c);

      // Signing out ends the session; the next visit goes to the sign-in page.
      const out = await c.post('/admin/keluar');
      expect(out.statusCode).toBe(303);
      expect(locationOf(out)).toBe('/admin/masuk?info=signed_out');
      expect(c.cookies.has('cekrek_session')).toBe(false);
      expect(textOf((await c.get(locationOf(out))).body)).toContain('Anda telah keluar.');
      expect(locationOf(await c.get('/admin'))).toBe('/admin/masuk');

      // And signing in again now asks for a code.
      const back = await c.signIn(
        'fresh@cekrek.test',
        'my own new passphrase 42',
        await totpCode(secret, clock.now()),
      );
      clock.advance(30_000);
      expect(locationOf(back)).toBe('/admin');
    });

    it('signs out everywhere', async () => {
      await createOperator(runtime, 'everywhere@cekrek.test', ['mediator']);
      const a = client();
      const secret = await signInThroughPages(a, clock, 'everywhere@cekrek.test', password);
      const b = client();
      await signInThroughPages(b, clock, 'everywhere@cekrek.test', password, { secret });
      await a.get('/admin');
      const out = await a.post('/admin/keluar-semua');
      expect(locationOf(out)).toBe('/admin/masuk?info=signed_out_everywhere');
      expect(locationOf(await b.get('/admin'))).toBe('/admin/masuk');
    });

    it('refuses a form without its CSRF token', async () => {
      const c = await admin('csrf-admin@cekrek.test');
      await c.get('/admin/operator/baru');
      const refused = await c.post(
        '/admin/operator',
        { email: 'csrf-made@cekrek.test', roles: 'reviewer' },
        { csrf: null },
      );
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toBe(htmlType);
      expect(textOf(refused.body)).toContain('Token keamanan formulir tidak cocok.');
      const forged = await c.post(
        '/admin/operator',
        { email: 'csrf-made@cekrek.test', roles: 'reviewer' },
        { csrf: 'y'.repeat(64) },
      );
      expect(forged.statusCode).toBe(403);
      const signOut = await c.post('/admin/keluar', {}, { csrf: null });
      expect(signOut.statusCode).toBe(403);
      expect((await c.get('/admin')).statusCode).toBe(200);
      expect(await runtime.services.operators.list()).not.toContainEqual(
        expect.objectContaining({ email: 'csrf-made@cekrek.test' }),
      );
    });

    it('shows a reviewer a 403 page for operators and the audit log, and audits the attempt', async () => {
      await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
      const c = client();
      await signInThroughPages(c, clock, 'reviewer@cekrek.test', password);
      for (const path of ['/admin/operator', '/admin/operator/baru', '/admin/audit']) {
        const page = await c.get(path);
        expect(page.statusCode, path).toBe(403);
        expect(page.headers['content-type']).toBe(htmlType);
        expect(page.headers['cache-control']).toBe('no-store');
        expect(textOf(page.body)).toContain('Tidak diizinkan');
        expect(textOf(page.body)).toContain('Peran Anda tidak mengizinkan tindakan ini.');
        expect(page.body).toContain('href="/admin"');
      }
      await c.get('/admin');
      const post = await c.post('/admin/operator', { email: 'x@cekrek.test', roles: 'admin' });
      expect(post.statusCode).toBe(403);
      const denied = await runtime.services.audit.list({
        action: 'access.denied',
        subjectId: 'GET /admin/audit',
        limit: 10,
      });
      expect(denied.length).toBeGreaterThan(0);
    });

    it('lets an admin create an operator and shows the one-time password once', async () => {
      const c = await admin('creator@cekrek.test');
      const list = await c.get('/admin/operator');
      expect(list.statusCode).toBe(200);
      expect(textOf(list.body)).toContain('creator@cekrek.test');
      expect(list.body).toContain('href="/admin/operator/baru"');

      const form = await c.get('/admin/operator/baru');
      expect(form.body).toContain('<legend id="roles">Peran</legend>');
      expect(form.body).toContain('name="roles" value="reviewer"');

      const noRole = await c.post('/admin/operator', { email: 'made@cekrek.test' });
      expect(noRole.statusCode).toBe(400);
      expect(noRole.body).toContain('value="made@cekrek.test"');
      expect(noRole.body).toContain('href="#roles"');
      const badEmail = await c.post('/admin/operator', {
        email: 'not-an-email',
        roles: 'reviewer',
      });
      expect(badEmail.statusCode).toBe(400);
      expect(badEmail.body).toContain('href="#email"');
      expect(badEmail.body).toMatch(/name="roles" value="reviewer" checked/);

      const created = await c.post('/admin/operator', {
        email: 'made@cekrek.test',
        roles: ['reviewer', 'mediator'],
      });
      expect(created.statusCode).toBe(201);
      expect(created.headers['cache-control']).toBe('no-store');
      const otp = oneTimePasswordOf(created.body);
      expect(otp).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
      expect(textOf(created.body)).toContain('hanya ditampilkan sekali');
      secrets.push(otp);

      const made = (await runtime.services.operators.list()).find(
        (o) => o.email === 'made@cekrek.test',
      )!;
      expect(made.roles).toEqual(['mediator', 'reviewer']);
      expect(made.mustChangePassword).toBe(true);
      for (const path of ['/admin/operator', `/admin/operator/${made.id}`, '/admin/audit']) {
        expect((await c.get(path)).body, path).not.toContain(otp);
      }
      const duplicate = await c.post('/admin/operator', {
        email: 'made@cekrek.test',
        roles: 'reviewer',
      });
      expect(duplicate.statusCode).toBe(409);
      expect(textOf(duplicate.body)).toContain('Sudah ada operator dengan e-mail ini.');

      // The new operator signs in with it and must change it.
      const newcomer = client();
      const first = await newcomer.signIn('made@cekrek.test', otp);
      expect(locationOf(first)).toBe('/admin/totp');
    });

    it('changes roles, disables and enables, resets password and TOTP through forms', async () => {
      const c = await admin('manager@cekrek.test');
      await createOperator(runtime, 'managed@cekrek.test', ['reviewer']);
      const target = (await runtime.services.operators.list()).find(
        (o) => o.email === 'managed@cekrek.test',
      )!;
      const targetClient = client();
      const targetSecret = await signInThroughPages(
        targetClient,
        clock,
        'managed@cekrek.test',
        password,
      );
      const page = `/admin/operator/${target.id}`;
      const detail = await c.get(page);
      expect(detail.statusCode).toBe(200);
      expect(detail.body).toContain(`action="${page}/nonaktifkan"`);

      const roles = await c.post(`${page}/peran`, { roles: ['registrar', 'mediator'] });
      expect(roles.statusCode).toBe(303);
      expect(locationOf(roles)).toBe(`${page}?info=roles_changed`);
      expect(textOf((await c.get(locationOf(roles))).body)).toContain('Peran disimpan.');
      expect((await runtime.services.operators.get(target.id)).roles).toEqual([
        'mediator',
        'registrar',
      ]);
      // New roles end the operator's sessions.
      expect(locationOf(await targetClient.get('/admin'))).toBe('/admin/masuk');

      const none = await c.post(`${page}/peran`, {});
      expect(none.statusCode).toBe(400);
      expect(textOf(none.body)).toContain('Pilih paling sedikit satu peran');

      const disabled = await c.post(`${page}/nonaktifkan`);
      expect(locationOf(disabled)).toBe(`${page}?info=disabled`);
      const after = await c.get(locationOf(disabled));
      expect(textOf(after.body)).toContain('Nonaktif');
      expect(after.body).toContain(`action="${page}/aktifkan"`);
      const refused = await client().signIn(
        'managed@cekrek.test',
        password,
        await totpCode(targetSecret, clock.now()),
      );
      expect(refused.statusCode).toBe(401);
      await c.post(`${page}/aktifkan`);
      expect((await runtime.services.operators.get(target.id)).disabled).toBe(false);

      await c.get(page);
      const reset = await c.post(`${page}/reset-kata-sandi`);
      expect(reset.statusCode).toBe(200);
      expect(reset.headers['cache-control']).toBe('no-store');
      const newOtp = oneTimePasswordOf(reset.body);
      secrets.push(newOtp);
      expect((await c.get(page)).body).not.toContain(newOtp);

      const totpReset = await c.post(`${page}/reset-totp`);
      expect(locationOf(totpReset)).toBe(`${page}?info=totp_reset`);
      const fresh = await client().signIn('managed@cekrek.test', newOtp);
      expect(locationOf(fresh)).toBe('/admin/totp');

      // Yourself: no disable button; the service refuses it anyway.
      const me = (await runtime.services.operators.list()).find(
        (o) => o.email === 'manager@cekrek.test',
      )!;
      const mine = await c.get(`/admin/operator/${me.id}`);
      expect(mine.body).not.toContain('/nonaktifkan"');
      const selfDisable = await c.post(`/admin/operator/${me.id}/nonaktifkan`);
      expect(selfDisable.statusCode).toBe(400);
      expect(textOf(selfDisable.body)).toContain(
        'Anda tidak dapat menonaktifkan akun Anda sendiri.',
      );

      expect((await c.get('/admin/operator/99999')).statusCode).toBe(404);
      expect((await c.get('/admin/operator/abc')).statusCode).toBe(400);
    });

    it('shows the audit log newest first, filtered and paged, and audits the viewing', async () => {
      const c = await admin('auditor@cekrek.test');
      const { audit, operators } = runtime.services;
      const auditor = (await operators.list()).find((o) => o.email === 'auditor@cekrek.test')!;

      const all = await c.get('/admin/audit');
      expect(all.statusCode).toBe(200);
      expect(all.body).toContain('<select id="actor" name="actor"');
      expect(all.body).toContain('Akun operator dibuat (operator.created)');
      expect(all.body).toContain(`<option value="${auditor.id}">auditor@cekrek.test</option>`);
      const seqs = [...all.body.matchAll(/ · #(\d+)</g)].map((m) => Number(m[1]));
      expect(seqs.length).toBeGreaterThan(3);
      expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);

      const byAction = await c.get('/admin/audit?action=operator.totp_enrolled&actor=');
      const actions = [...byAction.body.matchAll(/<dd><code>([\w.]+)<\/code><\/dd>/g)].map(
        (m) => m[1],
      );
      expect(actions.length).toBeGreaterThan(0);
      expect(new Set(actions)).toEqual(new Set(['operator.totp_enrolled']));
      expect(byAction.body).toMatch(/<option value="operator.totp_enrolled" selected/);

      const byActor = await c.get(`/admin/audit?actor=${auditor.id}`);
      expect(textOf(byActor.body)).toContain('auditor@cekrek.test (operator #');
      expect(textOf(byActor.body)).not.toContain('cli');

      const bySubject = await c.get(
        `/admin/audit?subjectType=operator&subjectId=${auditor.id}&action=session.signed_in`,
      );
      const subjects = [...bySubject.body.matchAll(/<code>(operator:\d+)<\/code>/g)].map(
        (m) => m[1],
      );
      expect(new Set(subjects)).toEqual(new Set([`operator:${auditor.id}`]));

      // Dates are WIB days; the whole "to" day counts.
      const today = await c.get('/admin/audit?from=2026-03-10&to=2026-03-10');
      expect(today.statusCode).toBe(200);
      expect(today.body).toContain('class="record');
      const before = await c.get('/admin/audit?to=2026-03-09');
      expect(textOf(before.body)).toContain('Tidak ada entri yang cocok.');
      const badRange = await c.get('/admin/audit?from=2026-03-11&to=2026-03-10');
      expect(badRange.statusCode).toBe(400);
      expect(textOf(badRange.body)).toContain('Tanggal awal harus sebelum tanggal akhir.');
      const badDate = await c.get('/admin/audit?from=2026-02-30&action=nope');
      expect(badDate.statusCode).toBe(400);
      expect(badDate.body).toContain('href="#from"');
      expect(badDate.body).toContain('href="#action"');

      // Paging: 50 a page, then entries before the last one shown.
      for (let i = 0; i < 55; i++) {
        await audit.recordAlone({
          actor: cliActor,
          action: 'audit.verified',
          details: { run: i },
        });
      }
      const first = await c.get('/admin/audit?action=audit.verified');
      const firstSeqs = [...first.body.matchAll(/ · #(\d+)</g)].map((m) => Number(m[1]));
      expect(firstSeqs).toHaveLength(50);
      const older = /href="(\/admin\/audit\?action=audit.verified&amp;before=(\d+))"/.exec(
        first.body,
      );
      expect(Number(older![2])).toBe(firstSeqs.at(-1));
      const second = await c.get(older![1]!.replace(/&amp;/g, '&'));
      const secondSeqs = [...second.body.matchAll(/ · #(\d+)</g)].map((m) => Number(m[1]));
      expect(secondSeqs).toHaveLength(5);
      expect(Math.max(...secondSeqs)).toBeLessThan(Math.min(...firstSeqs));
      expect(second.body).toContain('Entri terbaru');

      const viewed = await audit.list({ action: 'audit.viewed', actorId: auditor.id, limit: 50 });
      expect(viewed.length).toBeGreaterThanOrEqual(7);
      expect(viewed.some((e) => e.details.action === 'operator.totp_enrolled')).toBe(true);
    });

    it('escapes HTML in e-mails, audit details and form values', async () => {
      const c = await admin('escape@cekrek.test');
      const { operator } = await createOperator(runtime, 'plain@cekrek.test', ['reviewer']);
      // Such an address never passes the service's check: written straight into the table.
      await runtime.database.db
        .updateTable('operators')
        .set({ email: '<img src=x onerror=alert(1)>@evil.test' })
        .where('id', '=', operator.id)
        .execute();
      await runtime.services.audit.recordAlone({
        actor: { type: 'cli', id: null, label: '<b>cli</b>' },
        action: 'audit.verified',
        subject: { type: 'operator', id: '"><script>alert(2)</script>' },
        details: { note: '<script>alert(3)</script>', list: ['<i>a</i>', 'b'] },
      });
      for (const path of ['/admin/operator', `/admin/operator/${operator.id}`, '/admin/audit']) {
        const page = await c.get(path);
        expect(page.body, path).not.toContain('<img src=x');
        expect(page.body, path).not.toMatch(/<script>alert/);
        expect(page.body, path).not.toContain('<b>cli</b>');
      }
      const list = await c.get('/admin/operator');
      expect(list.body).toContain('&lt;img src=x onerror=alert(1)>@evil.test');
      const log = await c.get('/admin/audit?action=audit.verified');
      expect(log.body).toContain('&lt;script>alert(3)&lt;/script>');
      expect(log.body).toContain('&lt;i>a&lt;/i>, b');
      expect(log.body).toContain('&lt;b>cli&lt;/b>');

      const hostile = await client().signIn('"><script>alert(4)</script>', 'whatever 1234567');
      expect(hostile.statusCode).toBe(401);
      expect(hostile.body).not.toContain('<script>alert(4)');
      expect(hostile.body).toContain('value="&quot;>&lt;script>alert(4)&lt;/script>"');
    });

    it('answers in English with ?lang=en, and keeps it on links, forms and redirects', async () => {
      const page = await client().get('/admin/masuk?lang=en');
      expect(page.body).toContain('<html lang="en">');
      expect(textOf(page.body)).toContain('Operator sign-in');
      expect(page.body).toContain('action="/admin/masuk?lang=en"');
      expect(page.body).toContain('Bahasa Indonesia</a>');

      await createOperator(runtime, 'english@cekrek.test', ['admin']);
      const c = client();
      await c.get('/admin/masuk?lang=en');
      const first = await c.post('/admin/masuk?lang=en', {
        email: 'english@cekrek.test',
        password,
      });
      expect(locationOf(first)).toBe('/admin/totp?lang=en');
      const enrolment = await c.get(locationOf(first));
      expect(textOf(enrolment.body)).toContain('Set up your authenticator app');
      const secret = secretOf(enrolment.body);
      secrets.push(secret);
      const done = await c.post('/admin/totp?lang=en', {
        code: await totpCode(secret, clock.now()),
      });
      clock.advance(30_000);
      expect(locationOf(done)).toBe('/admin?info=enrolled&lang=en');
      const dashboard = await c.get(locationOf(done));
      const text = textOf(dashboard.body);
      expect(text).toContain('Your authenticator app is set up.');
      expect(text).toContain('Account reports');
      expect(text).toContain('Manage operators');
      // The lang cookie keeps English without ?lang.
      const later = await c.get('/admin/audit');
      expect(later.body).toContain('<html lang="en">');
      expect(textOf(later.body)).toContain('Operator account created (operator.created)');
    });

    it('sends the unauthenticated to the sign-in page and back, never elsewhere', async () => {
      const anonymous = client();
      const audit = await anonymous.get('/admin/audit?action=session.signed_in');
      expect(audit.statusCode).toBe(303);
      expect(locationOf(audit)).toBe(
        '/admin/masuk?next=%2Fadmin%2Faudit%3Faction%3Dsession.signed_in',
      );
      expect(audit.headers['cache-control']).toBe('no-store');
      expect(locationOf(await anonymous.get('/admin'))).toBe('/admin/masuk');
      expect(locationOf(await anonymous.get('/admin/operator/1'))).toBe(
        '/admin/masuk?next=%2Fadmin%2Foperator%2F1',
      );
      // A stale cookie is dropped on the way.
      const stale = await runtime.app.inject({
        url: '/admin',
        headers: { cookie: 'cekrek_session=gone' },
      });
      expect(locationOf(stale)).toBe('/admin/masuk');
      expect(stale.cookies.find((x) => x.name === 'cekrek_session')?.value).toBe('');

      // The form keeps `next` in its action, and signing in goes there.
      const form = await anonymous.get(locationOf(audit));
      expect(form.body).toContain(
        'action="/admin/masuk?next=%2Fadmin%2Faudit%3Faction%3Dsession.signed_in"',
      );
      await createOperator(runtime, 'next@cekrek.test', ['admin']);
      const c = client();
      const secret = await signInThroughPages(c, clock, 'next@cekrek.test', password);
      const again = client();
      await again.get(locationOf(audit));
      const signedIn = await again.post(locationOf(audit), {
        email: 'next@cekrek.test',
        password,
        totp: await totpCode(secret, clock.now()),
      });
      clock.advance(30_000);
      expect(locationOf(signedIn)).toBe('/admin/audit?action=session.signed_in');
      secrets.push(secret);

      // Already signed in: the sign-in page leads on.
      expect(locationOf(await again.get('/admin/masuk'))).toBe('/admin');

      // Anything but the back office's own paths is ignored.
      for (const evil of [
        '//evil.example',
        '//evil.example/admin',
        'https://evil.example/admin',
        '/\\evil.example',
        '/admin\\..\\',
        '/administrator',
        '/admin//evil.example',
        'javascript:alert(1)',
      ]) {
        const url = `/admin/masuk?next=${encodeURIComponent(evil)}`;
        const page = await client().get(url);
        expect(page.body, evil).toContain('action="/admin/masuk"');
        const other = client();
        await other.get(url);
        const response = await other.post(url, {
          email: 'next@cekrek.test',
          password,
          totp: await totpCode(secret, clock.now()),
        });
        clock.advance(30_000);
        expect(locationOf(response), evil).toBe('/admin');
      }
    });

    it('never writes a password, TOTP secret or code, session token or CSRF token to the logs', () => {
      const logged = JSON.stringify(runtime.logs);
      expect(secrets.length).toBeGreaterThan(10);
      for (const secret of [...secrets, password]) expect(logged).not.toContain(secret);
    });
  });
}

describe('the sign-in rate limit on the page', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', { env: { SIGN_IN_RATE_LIMIT: '2' } });
  });
  afterAll(async () => {
    await runtime.close();
  });

  it('answers 429 with the form again and how long to wait', async () => {
    const c = new PageClient(runtime.app, '10.9.8.7');
    for (let i = 0; i < 2; i++) {
      expect((await c.signIn('limit@cekrek.test', 'wrong password 1234')).statusCode).toBe(401);
    }
    const limited = await c.signIn('limit@cekrek.test', 'wrong password 1234');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toBe(htmlType);
    expect(limited.headers['retry-after']).toBeDefined();
    // The wait in words, like every public page, never a count of seconds.
    expect(textOf(limited.body)).toMatch(
      /Terlalu banyak percobaan masuk. Coba lagi (sekitar \d+ (menit|jam)|kurang dari satu menit) lagi\./,
    );
    expect(textOf(limited.body)).not.toMatch(/\d+ detik/);
    expect(limited.body).toContain('<form');
    expect(csrfOf(limited.body)).toBe(c.cookies.get('cekrek_signin'));
  });
});
