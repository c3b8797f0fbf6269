// Changes to operator accounts (created, enabled, reset, roles changed):
// warnings on the admins' dashboard and in the audit viewer (a marker and a
// filter), in Indonesian and English; and, with OPERATOR_CHANGE_APPROVAL
// on, requests that a second admin approves or rejects, through the API and
// the pages, the one-time password shown to the approver. The command line
// stays direct, and audited.
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { operatorChangeActions } from '../src/audit/audit.events.ts';
import { cekrek } from './support/cli.ts';
import { describeOn, dialects } from './support/databases.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import {
  locationOf,
  oneTimePasswordOf,
  PageClient,
  signInThroughPages,
  textOf,
} from './support/backoffice.ts';

const password = 'a long test password 123';
const day = 86_400_000;

interface Problem {
  code: string;
  detail: string;
}

interface RequestBody {
  id: number;
  kind: string;
  status: string;
  operatorId: number | null;
  email: string | null;
  roles: string[] | null;
  requestedBy: { id: number; email: string };
  decidedBy: { id: number; email: string } | null;
}

/** The audit actions the page lists, in order. */
function actionsOn(html: string): string[] {
  return [...html.matchAll(/<dd><code>([\w.]+)<\/code><\/dd>/g)].map((m) => m[1]!);
}

for (const dialect of dialects) {
  describeOn(dialect)(`warnings about operator changes on ${dialect}`, () => {
    const clock = new ManualClock('2026-05-04T03:00:00Z');
    let runtime: TestRuntime;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
    });
    afterAll(async () => {
      await runtime.close();
    });

    it('shows recent changes to operator accounts on the admins’ dashboard and marks them in the audit viewer', async () => {
      await createOperator(runtime, 'warden@cekrek.test', ['admin']);
      await createOperator(runtime, 'mediator@cekrek.test', ['mediator']);
      const admin = new PageClient(runtime.app);
      const adminSecret = await signInThroughPages(admin, clock, 'warden@cekrek.test', password);

      // Made through the pages: created, roles changed, password and TOTP reset.
      await admin.get('/admin/operator/baru');
      const created = await admin.post('/admin/operator', {
        email: 'newbie@cekrek.test',
        roles: 'reviewer',
      });
      expect(created.statusCode).toBe(201);
      const newbie = (await runtime.services.operators.list()).find(
        (o) => o.email === 'newbie@cekrek.test',
      )!;
      const page = `/admin/operator/${newbie.id}`;
      await admin.get(page);
      expect(
        locationOf(await admin.post(`${page}/peran`, { roles: ['reviewer', 'mediator'] })),
      ).toBe(`${page}?info=roles_changed`);
      await admin.get(page);
      expect((await admin.post(`${page}/reset-kata-sandi`)).statusCode).toBe(200);
      await admin.get(page);
      expect(locationOf(await admin.post(`${page}/reset-totp`))).toBe(`${page}?info=totp_reset`);

      const dashboard = await admin.get('/admin');
      expect(dashboard.statusCode).toBe(200);
      const card = textOf(
        /<section[^>]*id="operator-changes"[\s\S]*?<\/section>/.exec(dashboard.body)![0],
      );
      expect(card).toContain('Perubahan akun operator');
      for (const line of [
        'warden@cekrek.test membuat akun newbie@cekrek.test',
        'warden@cekrek.test mengubah peran newbie@cekrek.test',
        'warden@cekrek.test membuat kata sandi sekali pakai baru untuk newbie@cekrek.test',
        'warden@cekrek.test mengatur ulang autentikator newbie@cekrek.test',
        // The command line's changes too.
        'test membuat akun warden@cekrek.test',
      ]) {
        expect(card).toContain(`Perubahan operator ${line}`);
      }
      expect(dashboard.body).toContain('href="/admin/audit?operatorChanges=on"');

      const english = await admin.get('/admin?lang=en');
      const englishCard = textOf(
        /<section[^>]*id="operator-changes"[\s\S]*?<\/section>/.exec(english.body)![0],
      );
      expect(englishCard).toContain('Changes to operator accounts');
      expect(englishCard).toContain(
        'Operator change warden@cekrek.test created the account newbie@cekrek.test',
      );
      expect(englishCard).toContain('warden@cekrek.test changed the roles of newbie@cekrek.test');

      // Only admins see them.
      const mediator = new PageClient(runtime.app);
      const mediatorSecret = await signInThroughPages(
        mediator,
        clock,
        'mediator@cekrek.test',
        password,
      );
      const theirs = await mediator.get('/admin');
      expect(theirs.statusCode).toBe(200);
      expect(theirs.body).not.toContain('id="operator-changes"');
      expect(theirs.body).not.toContain('newbie@cekrek.test');

      // The audit viewer: a marker on each change, none on other entries, and a filter.
      const log = await admin.get('/admin/audit?lang=id');
      const records = [...log.body.matchAll(/<li class="(record[^"]*)">([\s\S]*?)<\/li>/g)];
      const created_ = records.find((r) => r[2]!.includes('<code>operator.created</code>'))!;
      expect(created_[1]).toBe('record record-change');
      expect(textOf(created_[2]!)).toContain('Perubahan operator Akun operator dibuat');
      const signedIn_ = records.find((r) => r[2]!.includes('<code>session.signed_in</code>'))!;
      expect(signedIn_[1]).toBe('record');
      expect(signedIn_[2]).not.toContain('Perubahan operator');
      expect(log.body).toContain('id="operatorChanges" name="operatorChanges" value="on"');

      const filtered = await admin.get('/admin/audit?operatorChanges=on&lang=id');
      expect(filtered.statusCode).toBe(200);
      expect(filtered.body).toMatch(
        /id="operatorChanges" name="operatorChanges" value="on" checked/,
      );
      const shown = actionsOn(filtered.body);
      expect(new Set(shown)).toEqual(
        new Set([
          'operator.created',
          'operator.roles_changed',
          'operator.password_reset',
          'operator.totp_reset',
        ]),
      );
      expect(textOf((await admin.get('/admin/audit?operatorChanges=on&lang=en')).body)).toContain(
        'Operator change Operator account created',
      );

      // The same through the API.
      const { client: api } = await signedIn(
        runtime,
        clock,
        'warden@cekrek.test',
        password,
        adminSecret,
      );
      const entries = await api.request('GET', '/api/v1/admin/audit?operatorChanges=true');
      const apiActions = entries
        .json<{ entries: { action: string }[] }>()
        .entries.map((e) => e.action);
      expect(apiActions.length).toBe(shown.length);
      expect(
        apiActions.every((a) => (operatorChangeActions as readonly string[]).includes(a)),
      ).toBe(true);
      const apiDashboard = await api.request('GET', '/api/v1/admin/dashboard');
      expect(apiDashboard.json()).toMatchObject({
        operatorChanges: {
          days: 30,
          total: 6,
          pendingApprovals: 0,
          recent: expect.arrayContaining([
            expect.objectContaining({
              action: 'operator.created',
              by: 'warden@cekrek.test',
              operator: { id: newbie.id, email: 'newbie@cekrek.test' },
            }),
          ]) as unknown,
        },
      });
      const { client: mediatorApi } = await signedIn(
        runtime,
        clock,
        'mediator@cekrek.test',
        password,
        mediatorSecret,
      );
      expect(
        (await mediatorApi.request('GET', '/api/v1/admin/dashboard')).json(),
      ).not.toHaveProperty('operatorChanges');

      // After the period they are no longer recent.
      clock.advance(31 * day);
      const later = new PageClient(runtime.app);
      await signInThroughPages(later, clock, 'warden@cekrek.test', password, {
        secret: adminSecret,
      });
      const quiet = await later.get('/admin');
      expect(textOf(quiet.body)).toContain(
        'Tidak ada perubahan akun operator dalam 30 hari terakhir.',
      );
    });

    it('applies operator changes at once when no second admin is required', async () => {
      await createOperator(runtime, 'direct@cekrek.test', ['admin']);
      const { client } = await signedIn(runtime, clock, 'direct@cekrek.test');
      const made = await client.request('POST', '/api/v1/admin/operators', {
        email: 'direct-made@cekrek.test',
        roles: ['reviewer'],
      });
      expect(made.statusCode).toBe(201);
      const pending = await client.request('GET', '/api/v1/admin/operator-changes');
      expect(pending.json()).toEqual({ requests: [] });
    });
  });

  describe(`operator changes approved by a second admin on ${dialect}`, () => {
    const clock = new ManualClock('2026-05-04T03:00:00Z');
    let runtime: TestRuntime;
    const secrets = new Map<string, string>();

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { SIGN_IN_RATE_LIMIT: '0', OPERATOR_CHANGE_APPROVAL: 'on' },
      });
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function signIn(email: string, pass = password): Promise<AdminClient> {
      const { client, secret } = await signedIn(runtime, clock, email, pass, secrets.get(email));
      secrets.set(email, secret);
      return client;
    }

    async function admin(email: string): Promise<AdminClient> {
      await createOperator(runtime, email, ['admin']);
      return signIn(email);
    }

    async function operatorId(email: string): Promise<number> {
      return (await runtime.services.operators.list()).find((o) => o.email === email)!.id;
    }

    function decide(
      client: AdminClient,
      id: number,
      decision: 'approve' | 'reject',
      reason?: string,
    ) {
      return client.request('POST', `/api/v1/admin/operator-changes/${id}/decision`, {
        decision,
        ...(reason ? { reason } : {}),
      });
    }

    function requestOf(response: LightMyRequestResponse): RequestBody {
      expect(response.statusCode, response.body).toBe(202);
      return response.json<{ request: RequestBody }>().request;
    }

    it('keeps a new operator as a request until another admin approves it, and shows the approver the one-time password', async () => {
      const alpha = await admin('alpha@cekrek.test');
      const beta = await admin('beta@cekrek.test');
      const asked = await alpha.request('POST', '/api/v1/admin/operators', {
        email: 'New@Cekrek.test',
        roles: ['mediator'],
      });
      const request = requestOf(asked);
      expect(request).toMatchObject({
        kind: 'create',
        status: 'pending',
        operatorId: null,
        email: 'new@cekrek.test',
        roles: ['mediator'],
        requestedBy: { email: 'alpha@cekrek.test' },
        decidedBy: null,
      });
      expect(asked.body).not.toContain('oneTimePassword');
      expect(await runtime.services.operators.list()).not.toContainEqual(
        expect.objectContaining({ email: 'new@cekrek.test' }),
      );

      const twice = await alpha.request('POST', '/api/v1/admin/operators', {
        email: 'new@cekrek.test',
        roles: ['reviewer'],
      });
      expect(twice.statusCode).toBe(409);
      expect(twice.json<Problem>()).toMatchObject({
        code: 'already_pending',
        detail: 'Perubahan yang sama untuk operator ini sudah menunggu persetujuan.',
      });

      const own = await decide(alpha, request.id, 'approve');
      expect(own.statusCode).toBe(403);
      expect(own.json<Problem>()).toMatchObject({
        code: 'four_eyes',
        detail: 'Perubahan operator harus disetujui oleh admin selain yang memintanya.',
      });
      const refused = await runtime.services.audit.list({
        action: 'access.denied',
        subjectType: 'operator_change',
        subjectId: String(request.id),
        limit: 5,
      });
      expect(refused[0]).toMatchObject({
        actorLabel: 'alpha@cekrek.test',
        details: { rule: 'four_eyes', why: 'same_operator', kind: 'create' },
      });

      const listed = await beta.request('GET', '/api/v1/admin/operator-changes');
      expect(listed.json<{ requests: RequestBody[] }>().requests.map((r) => r.id)).toContain(
        request.id,
      );

      const approved = await decide(beta, request.id, 'approve');
      expect(approved.statusCode, approved.body).toBe(200);
      const body = approved.json<{
        request: RequestBody;
        operator: { id: number; email: string; mustChangePassword: boolean; roles: string[] };
        oneTimePassword: string;
      }>();
      expect(body.request).toMatchObject({
        status: 'approved',
        decidedBy: { email: 'beta@cekrek.test' },
        operatorId: body.operator.id,
      });
      expect(body.operator).toMatchObject({
        email: 'new@cekrek.test',
        roles: ['mediator'],
        mustChangePassword: true,
      });
      expect(body.oneTimePassword).toMatch(/^\w{5}-\w{5}-\w{5}-\w{5}$/);
      expect((await decide(beta, request.id, 'approve')).json<Problem>().code).toBe(
        'already_decided',
      );

      // Audited: the request, the change made by the approver for the requester, the approval.
      const log = await runtime.services.audit.list({ limit: 10 });
      const created = log.find((e) => e.action === 'operator.created')!;
      expect(created).toMatchObject({
        actorLabel: 'beta@cekrek.test',
        subjectId: String(body.operator.id),
        details: { requestedBy: 'alpha@cekrek.test', request: request.id },
      });
      const trail = log
        .filter((e) => e.subjectType === 'operator_change' && e.outcome === 'success')
        .map((e) => [e.action, e.actorLabel]);
      expect(trail).toEqual([
        ['operator.change_approved', 'beta@cekrek.test'],
        ['operator.change_requested', 'alpha@cekrek.test'],
      ]);
      // Both admins are linked to the new account for the four-eyes rule.
      const links = await runtime.database.db
        .selectFrom('operator_links')
        .select('by_operator_id')
        .where('operator_id', '=', body.operator.id)
        .execute();
      expect(links.map((l) => Number(l.by_operator_id)).sort()).toEqual(
        [await operatorId('alpha@cekrek.test'), await operatorId('beta@cekrek.test')].sort(),
      );

      // The new operator signs in with the password the approver was shown.
      const first = await new AdminClient(runtime.app).signIn(
        'new@cekrek.test',
        body.oneTimePassword,
      );
      expect(first.json()).toMatchObject({ stage: 'enrollment' });
    });

    it('holds role changes, enabling and resets too; a rejection changes nothing; disabling stays direct', async () => {
      const alpha = await signIn('alpha@cekrek.test');
      const gamma = await admin('gamma@cekrek.test');
      await createOperator(runtime, 'target@cekrek.test', ['reviewer']);
      const target = await operatorId('target@cekrek.test');

      const roles = requestOf(
        await alpha.request('PUT', `/api/v1/admin/operators/${target}/roles`, {
          roles: ['registrar'],
        }),
      );
      expect(roles).toMatchObject({ kind: 'roles', operatorId: target, roles: ['registrar'] });
      expect((await runtime.services.operators.get(target)).roles).toEqual(['reviewer']);
      const rejected = await decide(gamma, roles.id, 'reject', 'Tidak perlu.');
      expect(rejected.json()).toMatchObject({
        request: { status: 'rejected', reason: 'Tidak perlu.' },
        operator: null,
        oneTimePassword: null,
      });
      expect((await runtime.services.operators.get(target)).roles).toEqual(['reviewer']);

      const again = requestOf(
        await alpha.request('PUT', `/api/v1/admin/operators/${target}/roles`, {
          roles: ['registrar'],
        }),
      );
      expect((await decide(gamma, again.id, 'approve')).statusCode).toBe(200);
      expect((await runtime.services.operators.get(target)).roles).toEqual(['registrar']);

      const reset = requestOf(
        await alpha.request('POST', `/api/v1/admin/operators/${target}/password-reset`),
      );
      const resetDone = await decide(gamma, reset.id, 'approve');
      expect(resetDone.json<{ oneTimePassword: string }>().oneTimePassword).toMatch(/^\w{5}-/);
      expect((await runtime.services.operators.get(target)).mustChangePassword).toBe(true);

      const totp = requestOf(
        await alpha.request('POST', `/api/v1/admin/operators/${target}/totp-reset`),
      );
      // The requester may withdraw their own request.
      const withdrawn = await decide(alpha, totp.id, 'reject');
      expect(withdrawn.json()).toMatchObject({ request: { status: 'rejected' } });

      const disabled = await alpha.request('POST', `/api/v1/admin/operators/${target}/disable`);
      expect(disabled.statusCode).toBe(200);
      expect(disabled.json()).toMatchObject({ operator: { disabled: true } });
      const enable = requestOf(
        await alpha.request('POST', `/api/v1/admin/operators/${target}/enable`),
      );
      expect((await runtime.services.operators.get(target)).disabled).toBe(true);
      expect((await decide(gamma, enable.id, 'approve')).statusCode).toBe(200);
      expect((await runtime.services.operators.get(target)).disabled).toBe(false);
    });

    it('lets no one decide a change to their own account, and no admin linked to the requester approve', async () => {
      const alpha = await signIn('alpha@cekrek.test');
      const beta = await signIn('beta@cekrek.test');
      const gamma = await signIn('gamma@cekrek.test');
      const gammaId = await operatorId('gamma@cekrek.test');

      const forGamma = requestOf(
        await alpha.request('PUT', `/api/v1/admin/operators/${gammaId}/roles`, {
          roles: ['admin', 'mediator'],
        }),
      );
      for (const decision of ['approve', 'reject'] as const) {
        const own = await decide(gamma, forGamma.id, decision);
        expect(own.statusCode).toBe(403);
        expect(own.json<Problem>().detail).toBe(
          'Perubahan pada akun Anda sendiri diputuskan oleh admin lain.',
        );
      }
      expect((await decide(beta, forGamma.id, 'approve')).statusCode).toBe(200);
      // New roles ended gamma's sessions; alpha (who asked) and gamma are now linked.
      const gammaAgain = await signIn('gamma@cekrek.test');

      // alpha asks for delta, beta approves: both are linked to delta.
      const forDelta = requestOf(
        await alpha.request('POST', '/api/v1/admin/operators', {
          email: 'delta@cekrek.test',
          roles: ['admin'],
        }),
      );
      const deltaDone = await decide(beta, forDelta.id, 'approve');
      expect(deltaDone.statusCode, deltaDone.body).toBe(200);
      const otp = deltaDone.json<{ oneTimePassword: string }>().oneTimePassword;
      const delta = await signIn('delta@cekrek.test', otp);
      await delta.request('POST', '/api/v1/admin/password', {
        currentPassword: otp,
        newPassword: 'a different long passphrase 77',
      });

      const forEpsilon = requestOf(
        await alpha.request('POST', '/api/v1/admin/operators', {
          email: 'epsilon@cekrek.test',
          roles: ['reviewer'],
        }),
      );
      for (const linkedAdmin of [delta, gammaAgain]) {
        const linked = await decide(linkedAdmin, forEpsilon.id, 'approve');
        expect(linked.statusCode).toBe(403);
        expect(linked.json<Problem>()).toMatchObject({ code: 'four_eyes' });
        expect(linked.json<Problem>().detail).toContain('tidak dihitung sebagai dua orang');
      }
      const fromBeta = requestOf(
        await beta.request('POST', '/api/v1/admin/operators', {
          email: 'zeta@cekrek.test',
          roles: ['reviewer'],
        }),
      );
      expect((await decide(delta, fromBeta.id, 'approve')).statusCode).toBe(403);
      const [refusal] = await runtime.services.audit.list({
        action: 'access.denied',
        subjectType: 'operator_change',
        subjectId: String(fromBeta.id),
        limit: 1,
      });
      expect(refusal).toMatchObject({
        actorLabel: 'delta@cekrek.test',
        details: { rule: 'four_eyes', why: 'linked', linkAction: 'operator.created' },
      });

      const eta = await admin('eta@cekrek.test');
      expect((await decide(eta, forEpsilon.id, 'approve')).statusCode).toBe(200);
    });

    it('works through the pages: requested, shown to the other admin, approved with the one-time password', async () => {
      await createOperator(runtime, 'page-alpha@cekrek.test', ['admin']);
      await createOperator(runtime, 'page-beta@cekrek.test', ['admin']);
      const requester = new PageClient(runtime.app);
      await signInThroughPages(requester, clock, 'page-alpha@cekrek.test', password);
      const approver = new PageClient(runtime.app);
      await signInThroughPages(approver, clock, 'page-beta@cekrek.test', password);

      await requester.get('/admin/operator/baru');
      const asked = await requester.post('/admin/operator', {
        email: 'paged@cekrek.test',
        roles: 'reviewer',
      });
      expect(asked.statusCode).toBe(303);
      expect(locationOf(asked)).toBe('/admin/operator/permintaan?info=requested');
      const mine = await requester.get(locationOf(asked));
      expect(textOf(mine.body)).toContain(
        'Permintaan dicatat. Admin lain harus menyetujuinya sebelum berlaku.',
      );
      const request = (await runtime.services.operatorChanges.list(['pending'])).find(
        (r) => r.email === 'paged@cekrek.test',
      )!;
      const entry = new RegExp(
        `<li class="record record-change" id="request-${request.id}">[\\s\\S]*?</li>`,
      );
      const myEntry = entry.exec(mine.body)![0];
      expect(textOf(myEntry)).toContain('Buat operator paged@cekrek.test');
      expect(textOf(myEntry)).toContain('Permintaan Anda: admin lain harus menyetujuinya.');
      expect(myEntry).not.toContain('/setujui"');
      expect(myEntry).toContain(`action="/admin/operator/permintaan/${request.id}/tolak"`);

      const dashboard = await approver.get('/admin');
      expect(textOf(dashboard.body)).toMatch(
        /\d+ perubahan operator menunggu persetujuan admin kedua\./,
      );
      const theirs = await approver.get('/admin/operator/permintaan');
      expect(entry.exec(theirs.body)![0]).toContain(
        `action="/admin/operator/permintaan/${request.id}/setujui"`,
      );
      const approved = await approver.post(`/admin/operator/permintaan/${request.id}/setujui`);
      expect(approved.statusCode).toBe(200);
      expect(approved.headers['cache-control']).toBe('no-store');
      expect(textOf(approved.body)).toContain('Perubahan disetujui');
      const otp = oneTimePasswordOf(approved.body);
      expect((await requester.get('/admin/operator/permintaan')).body).not.toContain(otp);
      const first = await new PageClient(runtime.app).signIn('paged@cekrek.test', otp);
      expect(locationOf(first)).toBe('/admin/totp');

      // A change on the operator page waits too.
      const paged = await operatorId('paged@cekrek.test');
      const page = `/admin/operator/${paged}`;
      const detail = await requester.get(page);
      expect(textOf(detail.body)).toContain('menunggu persetujuan admin lain');
      const roles = await requester.post(`${page}/peran`, { roles: ['mediator'] });
      expect(locationOf(roles)).toBe(`${page}?info=requested`);
      expect(textOf((await requester.get(locationOf(roles))).body)).toContain(
        'Permintaan dicatat: perubahan berlaku setelah admin lain menyetujuinya.',
      );
      expect((await runtime.services.operators.get(paged)).roles).toEqual(['reviewer']);

      // The approver's own approval shows on the English page too.
      const english = await approver.get('/admin/operator/permintaan?lang=en');
      expect(textOf(english.body)).toContain('Change the roles of paged@cekrek.test');
      expect(textOf(english.body)).toContain('Create the operator paged@cekrek.test');
    });

    it('refuses a direct change by an operator in the service, while the command line stays direct and audited', async () => {
      const { operators } = runtime.services;
      const someone = {
        type: 'operator' as const,
        id: await operatorId('alpha@cekrek.test'),
        label: 'alpha',
      };
      await expect(
        operators.create({ email: 'sneaky@cekrek.test', roles: ['admin'] }, someone),
      ).rejects.toThrow(/second admin/);

      const made = await cekrek(
        ['operator', 'create', '--email', 'shell@cekrek.test', '--role', 'admin'],
        { ...runtime.testDatabase.env, OPERATOR_CHANGE_APPROVAL: 'on' },
      );
      expect(made.code, made.stderr).toBe(0);
      expect(made.stdout).toMatch(/one-time password .*: \w{5}-\w{5}-\w{5}-\w{5}/);
      const id = await operatorId('shell@cekrek.test');
      const [entry] = await runtime.services.audit.list({
        action: 'operator.created',
        subjectType: 'operator',
        subjectId: String(id),
        limit: 1,
      });
      expect(entry).toMatchObject({ actorType: 'cli', details: { email: 'shell@cekrek.test' } });
    });
  });
}
