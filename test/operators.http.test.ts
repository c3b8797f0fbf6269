// Operators through the API: sign-in with real TOTP codes, enrolment, session
// expiry and rotation, CSRF, lockout, sign-out, the permission matrix, and no
// secret in any log line.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { totpCode } from '../src/operators/totp.ts';
import { roles, type Role } from '../src/operators/policy.ts';
import { dialects, describeOn } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { tableAllows } from './support/permission-table.ts';

const password = 'a long test password 123';

for (const dialect of dialects) {
  describeOn(dialect)(`operators API on ${dialect}`, () => {
    let runtime: TestRuntime;
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    const secrets: string[] = [];

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
    });
    afterAll(async () => {
      await runtime.close();
    });

    function remember(client: AdminClient, ...more: string[]) {
      for (const value of [client.cookie, client.csrf, ...more]) if (value) secrets.push(value);
    }

    it('enrols TOTP at first sign-in and then rotates the session', async () => {
      await createOperator(runtime, 'enrol@cekrek.test', ['reviewer']);
      const client = new AdminClient(runtime.app);
      const first = await client.signIn('enrol@cekrek.test', password);
      expect(first.statusCode).toBe(200);
      const body = first.json<{
        stage: string;
        enrollment: { otpauthUrl: string; secret: string };
      }>();
      expect(body.stage).toBe('enrollment');
      expect(body.enrollment.otpauthUrl).toMatch(
        /^otpauth:\/\/totp\/cekrek:enrol%40cekrek\.test\?secret=/,
      );
      const cookie = first.cookies.find((c) => c.name === 'cekrek_session')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      remember(client, body.enrollment.secret);

      // The enrolment session can do nothing else.
      const blocked = await client.request('GET', '/api/v1/admin/dashboard');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json()).toMatchObject({ code: 'enrollment_required' });

      const wrong = await client.request('POST', '/api/v1/admin/totp', { code: '000000' });
      expect(wrong.json()).toMatchObject({ code: 'totp_required' });

      const enrolmentCookie = client.cookie;
      const done = await client.request('POST', '/api/v1/admin/totp', {
        code: await totpCode(body.enrollment.secret, clock.now()),
      });
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ stage: 'full' });
      expect(client.cookie).not.toBe(enrolmentCookie);
      remember(client);
      expect((await client.request('GET', '/api/v1/admin/dashboard')).statusCode).toBe(200);

      const stale = new AdminClient(runtime.app);
      stale.cookie = enrolmentCookie;
      expect((await stale.request('GET', '/api/v1/admin/session')).statusCode).toBe(401);
    });

    it('asks an enrolled operator for a valid TOTP code, and never accepts one twice', async () => {
      await createOperator(runtime, 'totp@cekrek.test', ['reviewer']);
      const { secret } = await signedIn(runtime, clock, 'totp@cekrek.test');
      const client = new AdminClient(runtime.app);

      const missing = await client.signIn('totp@cekrek.test', password);
      expect(missing.statusCode).toBe(401);
      expect(missing.json()).toMatchObject({ code: 'totp_required' });
      expect(missing.cookies).toHaveLength(0);
      expect((await client.signIn('totp@cekrek.test', password, '123456')).json()).toMatchObject({
        code: 'totp_required',
      });

      const code = await totpCode(secret, clock.now());
      const ok = await client.signIn('totp@cekrek.test', password, code);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ stage: 'full', operator: { email: 'totp@cekrek.test' } });
      expect(ok.json()).not.toHaveProperty('enrollment');
      remember(client, secret);

      const replay = await new AdminClient(runtime.app).signIn('totp@cekrek.test', password, code);
      expect(replay.statusCode).toBe(401);
      clock.advance(60_000);
    });

    it('answers an unknown e-mail exactly like a wrong password', async () => {
      await createOperator(runtime, 'same@cekrek.test', ['reviewer']);
      const unknown = await new AdminClient(runtime.app).signIn('nobody@cekrek.test', password);
      const wrong = await new AdminClient(runtime.app).signIn(
        'same@cekrek.test',
        'wrong password 123456',
      );
      const malformed = await new AdminClient(runtime.app).signIn('not an email', password);
      for (const response of [unknown, wrong, malformed]) {
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual({
          requestId: expect.any(String) as unknown,
          type: 'about:blank',
          title: 'E-mail atau kata sandi salah',
          status: 401,
          code: 'invalid_credentials',
          detail: 'Periksa e-mail dan kata sandi Anda, lalu coba lagi.',
        });
      }
    });

    it('locks an account after repeated failures, then lets it in after the lock', async () => {
      await createOperator(runtime, 'lock@cekrek.test', ['reviewer']);
      const { secret } = await signedIn(runtime, clock, 'lock@cekrek.test');
      const client = new AdminClient(runtime.app);
      for (let i = 0; i < 5; i++) {
        expect((await client.signIn('lock@cekrek.test', `wrong password ${i}xx`)).statusCode).toBe(
          401,
        );
      }
      const locked = await client.signIn(
        'lock@cekrek.test',
        password,
        await totpCode(secret, clock.now()),
      );
      expect(locked.statusCode).toBe(401);
      expect(locked.json()).toMatchObject({ code: 'invalid_credentials' });

      clock.advance(16 * 60_000);
      const open = await client.signIn(
        'lock@cekrek.test',
        password,
        await totpCode(secret, clock.now()),
      );
      expect(open.statusCode).toBe(200);
      const entries = await runtime.services.audit.list({
        action: 'session.locked',
        limit: 10,
      });
      expect(entries.some((e) => e.details.failures === 5)).toBe(true);
      clock.advance(30_000);
    });

    it('ends a session after idle time and after its absolute lifetime', async () => {
      await createOperator(runtime, 'expiry@cekrek.test', ['reviewer']);
      const { client, secret } = await signedIn(runtime, clock, 'expiry@cekrek.test');
      expect((await client.request('GET', '/api/v1/admin/session')).statusCode).toBe(200);
      clock.advance(29 * 60_000);
      expect((await client.request('GET', '/api/v1/admin/session')).statusCode).toBe(200);
      clock.advance(31 * 60_000);
      const idle = await client.request('GET', '/api/v1/admin/session');
      expect(idle.statusCode).toBe(401);
      expect(idle.json()).toMatchObject({ code: 'unauthorized' });

      const again = await signedIn(runtime, clock, 'expiry@cekrek.test', password, secret);
      for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
        clock.advance(20 * 60_000);
        expect((await again.client.request('GET', '/api/v1/admin/session')).statusCode).toBe(200);
      }
      clock.advance(40 * 60_000);
      expect((await again.client.request('GET', '/api/v1/admin/session')).statusCode).toBe(401);
    });

    it('refuses a write without the right CSRF token', async () => {
      await createOperator(runtime, 'admin-csrf@cekrek.test', ['admin']);
      const { client } = await signedIn(runtime, clock, 'admin-csrf@cekrek.test');
      const body = { email: 'csrf-made@cekrek.test', roles: ['reviewer'] };
      const none = await client.request('POST', '/api/v1/admin/operators', body, { csrf: null });
      expect(none.statusCode).toBe(403);
      expect(none.json()).toMatchObject({ code: 'csrf_failed' });
      const other = await client.request('POST', '/api/v1/admin/operators', body, {
        csrf: 'x'.repeat(64),
      });
      expect(other.json()).toMatchObject({ code: 'csrf_failed' });
      expect(await runtime.services.operators.list()).not.toContainEqual(
        expect.objectContaining({ email: 'csrf-made@cekrek.test' }),
      );
      const ok = await client.request('POST', '/api/v1/admin/operators', body);
      expect(ok.statusCode).toBe(201);
      const created = ok.json<{
        oneTimePassword: string;
        operator: { mustChangePassword: boolean };
      }>();
      expect(created.operator.mustChangePassword).toBe(true);
      remember(client, created.oneTimePassword);
    });

    it('makes a one-time password be changed before anything else', async () => {
      const { oneTimePassword } = await runtime.services.operators.create(
        { email: 'otp@cekrek.test', roles: ['mediator'] },
        { type: 'cli', id: null, label: 'test' },
      );
      expect(oneTimePassword).toMatch(/^[\w]{5}-[\w]{5}-[\w]{5}-[\w]{5}$/);
      const { client } = await signedIn(runtime, clock, 'otp@cekrek.test', oneTimePassword!);
      remember(client, oneTimePassword!);
      const blocked = await client.request('GET', '/api/v1/admin/dashboard');
      expect(blocked.json()).toMatchObject({ code: 'password_change_required' });
      const weak = await client.request('POST', '/api/v1/admin/password', {
        currentPassword: oneTimePassword,
        newPassword: 'short',
      });
      expect(weak.statusCode).toBe(400);
      const changed = await client.request('POST', '/api/v1/admin/password', {
        currentPassword: oneTimePassword,
        newPassword: 'a brand new passphrase 42',
      });
      expect(changed.json()).toMatchObject({ stage: 'full' });
      remember(client, 'a brand new passphrase 42');
      expect((await client.request('GET', '/api/v1/admin/dashboard')).statusCode).toBe(200);
    });

    it('signs out, and signs out everywhere', async () => {
      await createOperator(runtime, 'out@cekrek.test', ['reviewer']);
      const { client: a, secret } = await signedIn(runtime, clock, 'out@cekrek.test');
      const { client: b } = await signedIn(runtime, clock, 'out@cekrek.test', password, secret);
      const { client: c } = await signedIn(runtime, clock, 'out@cekrek.test', password, secret);
      const out = await a.request('DELETE', '/api/v1/admin/session');
      expect(out.statusCode).toBe(204);
      expect(out.cookies.find((x) => x.name === 'cekrek_session')?.value).toBe('');
      expect((await a.request('GET', '/api/v1/admin/session')).statusCode).toBe(401);
      expect((await b.request('GET', '/api/v1/admin/session')).statusCode).toBe(200);
      const everywhere = await b.request('DELETE', '/api/v1/admin/sessions');
      expect(everywhere.json()).toEqual({ ended: 2 });
      expect((await c.request('GET', '/api/v1/admin/session')).statusCode).toBe(401);
    });

    it('ends the sessions of a disabled operator at once', async () => {
      await createOperator(runtime, 'admin-off@cekrek.test', ['admin']);
      await createOperator(runtime, 'victim@cekrek.test', ['reviewer']);
      const { client: admin } = await signedIn(runtime, clock, 'admin-off@cekrek.test');
      const { client: victim } = await signedIn(runtime, clock, 'victim@cekrek.test');
      const target = (await runtime.services.operators.list()).find(
        (o) => o.email === 'victim@cekrek.test',
      )!;
      const disabled = await admin.request('POST', `/api/v1/admin/operators/${target.id}/disable`);
      expect(disabled.json()).toMatchObject({ operator: { disabled: true } });
      expect((await victim.request('GET', '/api/v1/admin/session')).statusCode).toBe(401);
      expect(
        (await new AdminClient(runtime.app).signIn('victim@cekrek.test', password)).statusCode,
      ).toBe(401);
    });

    it('checks every admin route against every role (the permission matrix)', async () => {
      const routes = runtime.app.adminRoutes;
      expect(routes.length).toBeGreaterThan(10);
      // Only the sign-in routes (API and page) are open without a session.
      const signInRoutes = ['/api/v1/admin/session', '/admin/masuk'];
      for (const route of routes) {
        expect(route.permission !== null || signInRoutes.includes(route.url), route.url).toBe(true);
      }
      expect(routes.some((r) => r.url === '/admin/operator')).toBe(true);
      const anonymous = new AdminClient(runtime.app);
      const clients = new Map<Role, AdminClient>();
      for (const role of roles) {
        await createOperator(runtime, `matrix-${role}@cekrek.test`, [role]);
        clients.set(role, (await signedIn(runtime, clock, `matrix-${role}@cekrek.test`)).client);
      }
      const bystander = (await createOperator(runtime, 'matrix-target@cekrek.test', ['reviewer']))
        .operator;
      for (const route of routes) {
        if (route.permission === null) continue;
        const url = route.url.replace(':id', String(bystander.id));
        const method = route.method as 'GET' | 'POST' | 'PUT' | 'DELETE';
        // Pages answer a browser: to the sign-in page, and a 403 page (its title says why).
        const page = !url.startsWith('/api/');
        const noSession = await anonymous.request(method, url, method === 'GET' ? undefined : {});
        if (page) {
          expect(noSession.statusCode, `${method} ${url} without a session`).toBe(303);
          expect(noSession.headers.location, url).toMatch(/^\/admin\/masuk(\?|$)/);
        } else {
          expect(noSession.statusCode, `${method} ${url} without a session`).toBe(401);
        }
        if (route.permission === 'session') continue;
        for (const role of roles) {
          const response = await clients
            .get(role)!
            .request(method, url, method === 'GET' ? undefined : {});
          const forbidden =
            response.statusCode === 403 &&
            (page
              ? response.body.includes('<h1>Tidak diizinkan</h1>')
              : response.json<{ code: string }>().code === 'forbidden');
          // Expected from the table written out by hand, not from the policy under test.
          const permitted = tableAllows([role], route.permission);
          expect(
            forbidden,
            `${role} ${method} ${url}: ${response.statusCode} ${response.body}`,
          ).toBe(!permitted);
        }
      }
      const denied = await runtime.services.audit.list({
        action: 'access.denied',
        limit: 200,
      });
      expect(denied.length).toBeGreaterThan(0);
    });

    it('never writes a password, TOTP secret or code, session token or CSRF token to the logs', () => {
      const logged = JSON.stringify(runtime.logs);
      expect(secrets.length).toBeGreaterThan(5);
      for (const secret of [...secrets, password]) expect(logged).not.toContain(secret);
    });
  });
}
