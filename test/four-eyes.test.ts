// Four eyes means two people: a normalization proposal is confirmed by an
// operator who is neither the proposer nor linked to them (one created,
// enabled, reset or changed the roles of the other's account) within
// FOUR_EYES_INDEPENDENCE_DAYS. The attack (an admin who also mediates makes a
// second account and confirms with it), the same attack reversed, every kind
// of link, the period's boundary by a fixed clock, the page, and the links
// the migration takes from the audit log written before it.
import { Migrator, type Migration } from 'kysely';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditContent, insertAuditEntry, lockAuditHead } from '../src/audit/audit.repository.ts';
import { entryHash } from '../src/audit/audit.chain.ts';
import { migrateToLatest, migrations } from '../src/db/migrate.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { createTestDatabase, describeOn, dialects } from './support/databases.ts';
import { seedDispute } from './support/factories.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const password = 'a long test password 123';
const newPassword = 'my own new passphrase 42';
const day = 86_400_000;

interface Problem {
  code: string;
  detail: string;
}

for (const dialect of dialects) {
  describeOn(dialect)(`four eyes on ${dialect}`, () => {
    const clock = new ManualClock('2026-04-01T02:00:00Z');
    let runtime: TestRuntime;
    const secrets = new Map<string, string>();
    let disputes = 0;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
    });
    afterAll(async () => {
      await runtime.close();
    });

    /** Signs in an operator whose TOTP is enrolled (or enrols it now). */
    async function signIn(email: string, pass = password): Promise<AdminClient> {
      const { client, secret } = await signedIn(runtime, clock, email, pass, secrets.get(email));
      secrets.set(email, secret);
      return client;
    }

    /** An operator made at the command line: linked to no one. */
    async function independent(email: string, roles: string[]): Promise<AdminClient> {
      await createOperator(runtime, email, roles);
      return signIn(email);
    }

    /** An operator an admin creates through the API, signed in with the one-time password. */
    async function createdBy(admin: AdminClient, email: string): Promise<AdminClient> {
      const made = await admin.request('POST', '/api/v1/admin/operators', {
        email,
        roles: ['mediator'],
      });
      expect(made.statusCode, made.body).toBe(201);
      const otp = made.json<{ oneTimePassword: string }>().oneTimePassword;
      const client = await signIn(email, otp);
      const changed = await client.request('POST', '/api/v1/admin/password', {
        currentPassword: otp,
        newPassword,
      });
      expect(changed.statusCode, changed.body).toBe(200);
      return client;
    }

    async function newDispute(): Promise<number> {
      disputes += 1;
      await seedDispute(
        runtime.database,
        '014',
        `88800${String(disputes).padStart(5, '0')}`,
        clock.now().toISOString(),
      );
      const row = await runtime.database.db
        .selectFrom('normalization_requests')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }

    async function propose(client: AdminClient, id: number) {
      const proposed = await client.request('POST', `/api/v1/admin/normalizations/${id}/decision`, {
        decision: 'grant',
        reason: 'Bukti pemilik cukup untuk normalisasi ini.',
      });
      expect(proposed.statusCode, proposed.body).toBe(202);
    }

    function confirm(client: AdminClient, id: number, lang = 'id') {
      return client.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/confirmation?lang=${lang}`,
        { confirm: true, reason: 'Sesuai bukti.' },
      );
    }

    function expectLinkedRefusal(response: LightMyRequestResponse, days = 30) {
      expect(response.statusCode, response.body).toBe(403);
      const problem = response.json<Problem>();
      expect(problem.code).toBe('four_eyes');
      expect(problem.detail).toBe(
        `Anda dan operator yang mengusulkan atau meminta ini tidak dihitung sebagai dua orang: dalam ${days} hari terakhir salah satu dari Anda membuat, mengaktifkan kembali, mereset, atau mengubah peran akun yang lain. Operator lain yang harus memutuskan.`,
      );
    }

    async function statusOf(id: number): Promise<string> {
      const row = await runtime.database.db
        .selectFrom('normalization_requests')
        .select('status')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return row.status;
    }

    async function idOf(email: string): Promise<number> {
      return (await runtime.services.operators.list()).find((o) => o.email === email)!.id;
    }

    it('refuses the attack: an admin and mediator proposes, makes a second account and confirms with it', async () => {
      const boss = await independent('boss@cekrek.test', ['admin', 'mediator']);
      const id = await newDispute();
      await propose(boss, id);
      const puppet = await createdBy(boss, 'puppet@cekrek.test');

      expectLinkedRefusal(await confirm(puppet, id));
      const english = await confirm(puppet, id, 'en');
      expect(english.json<Problem>().detail).toBe(
        'You and the operator who proposed or requested this do not count as two people: within the last 30 days one of you created, re-enabled, reset or changed the roles of the other’s account. Another operator must decide.',
      );
      expect(await statusOf(id)).toBe('proposed');

      const [refusal] = await runtime.services.audit.list({
        action: 'access.denied',
        subjectType: 'normalization',
        subjectId: String(id),
        limit: 1,
      });
      expect(refusal).toMatchObject({
        actorId: await idOf('puppet@cekrek.test'),
        outcome: 'denied',
        details: {
          rule: 'four_eyes',
          why: 'linked',
          linkAction: 'operator.created',
          linkBy: await idOf('boss@cekrek.test'),
          linkOperator: await idOf('puppet@cekrek.test'),
          decision: 'grant',
        },
      });

      // The proposer keeps the rule they had before.
      const own = await confirm(boss, id);
      expect(own.json<Problem>()).toMatchObject({
        code: 'four_eyes',
        detail: 'Usulan harus dikonfirmasi oleh operator selain pengusulnya.',
      });

      // Another person confirms.
      const colleague = await independent('colleague@cekrek.test', ['mediator']);
      const confirmed = await confirm(colleague, id);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toEqual({ status: 'granted' });
    });

    it('refuses the attack reversed: the made account proposes, its maker confirms', async () => {
      const boss = await independent('boss-2@cekrek.test', ['admin', 'mediator']);
      const puppet = await createdBy(boss, 'puppet-2@cekrek.test');
      const id = await newDispute();
      await propose(puppet, id);
      expectLinkedRefusal(await confirm(boss, id));
      expect(await statusOf(id)).toBe('proposed');
    });

    it('counts enabling, password and TOTP resets and role changes as links', async () => {
      const boss = await independent('boss-3@cekrek.test', ['admin', 'mediator']);
      const changes: [string, (target: number) => Promise<void>][] = [
        [
          'roles',
          async (target) => {
            const r = await boss.request('PUT', `/api/v1/admin/operators/${target}/roles`, {
              roles: ['mediator', 'reviewer'],
            });
            expect(r.statusCode, r.body).toBe(200);
          },
        ],
        [
          'password',
          async (target) => {
            const r = await boss.request(
              'POST',
              `/api/v1/admin/operators/${target}/password-reset`,
            );
            expect(r.statusCode, r.body).toBe(200);
          },
        ],
        [
          'totp',
          async (target) => {
            const r = await boss.request('POST', `/api/v1/admin/operators/${target}/totp-reset`);
            expect(r.statusCode, r.body).toBe(200);
          },
        ],
        [
          'enable',
          async (target) => {
            await boss.request('POST', `/api/v1/admin/operators/${target}/disable`);
            const r = await boss.request('POST', `/api/v1/admin/operators/${target}/enable`);
            expect(r.statusCode, r.body).toBe(200);
          },
        ],
      ];
      for (const [name, change] of changes) {
        const email = `changed-${name}@cekrek.test`;
        const mediator = await independent(email, ['mediator']);
        const id = await newDispute();
        await propose(mediator, id);
        await change(await idOf(email));
        expectLinkedRefusal(await confirm(boss, id));
      }
    });

    it('counts a link for FOUR_EYES_INDEPENDENCE_DAYS (30) and no longer, by a fixed clock', async () => {
      const boss = await independent('boss-4@cekrek.test', ['admin', 'mediator']);
      const made = clock.now().getTime();
      const puppet = await createdBy(boss, 'puppet-4@cekrek.test');
      const id = await newDispute();
      await propose(puppet, id);

      clock.set(new Date(made + 30 * day - 2 * 60_000));
      const stillLinked = await signIn('boss-4@cekrek.test');
      expectLinkedRefusal(await confirm(stillLinked, id));

      clock.set(new Date(made + 30 * day));
      const afterwards = await signIn('boss-4@cekrek.test');
      const confirmed = await confirm(afterwards, id);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(await statusOf(id)).toBe('granted');
    });

    it('lets two independent operators decide, as before', async () => {
      const first = await independent('first@cekrek.test', ['mediator']);
      const second = await independent('second@cekrek.test', ['mediator']);
      const id = await newDispute();
      await propose(first, id);
      const confirmed = await confirm(second, id);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
    });

    it('tells a linked operator on the page, instead of offering the confirmation', async () => {
      const boss = await independent('boss-5@cekrek.test', ['admin', 'mediator']);
      const puppet = await createdBy(boss, 'puppet-5@cekrek.test');
      const id = await newDispute();
      await propose(boss, id);
      const page = await runtime.app.inject({
        url: `/admin/normalisasi/${id}`,
        headers: { cookie: `cekrek_session=${puppet.cookie}`, accept: 'text/html' },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('akun Anda dan akun pengusul saling terkait');
      expect(page.body).not.toContain(`action="/admin/normalisasi/${id}/konfirmasi"`);

      const posted = await runtime.app.inject({
        method: 'POST',
        url: `/admin/normalisasi/${id}/konfirmasi`,
        headers: {
          cookie: `cekrek_session=${puppet.cookie}`,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: puppet.csrf!, confirm: 'yes' }).toString(),
      });
      expect(posted.statusCode).toBe(403);
      expect(posted.body).toContain('tidak dihitung sebagai dua orang');
      expect(await statusOf(id)).toBe('proposed');
    });
  });

  describe(`four eyes with FOUR_EYES_INDEPENDENCE_DAYS=7 on ${dialect}`, () => {
    const clock = new ManualClock('2026-04-01T02:00:00Z');
    let runtime: TestRuntime;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { SIGN_IN_RATE_LIMIT: '0', FOUR_EYES_INDEPENDENCE_DAYS: '7' },
      });
    });
    afterAll(async () => {
      await runtime.close();
    });

    it('counts a link for the configured days', async () => {
      await createOperator(runtime, 'boss@cekrek.test', ['admin', 'mediator']);
      const { client: boss } = await signedIn(runtime, clock, 'boss@cekrek.test');
      const made = clock.now().getTime();
      const created = await boss.request('POST', '/api/v1/admin/operators', {
        email: 'made@cekrek.test',
        roles: ['mediator'],
      });
      const otp = created.json<{ oneTimePassword: string }>().oneTimePassword;
      const { client: puppet, secret } = await signedIn(runtime, clock, 'made@cekrek.test', otp);
      await puppet.request('POST', '/api/v1/admin/password', {
        currentPassword: otp,
        newPassword,
      });
      await seedDispute(runtime.database, '014', '8889000001', clock.now().toISOString());
      const id = Number(
        (
          await runtime.database.db
            .selectFrom('normalization_requests')
            .select('id')
            .executeTakeFirstOrThrow()
        ).id,
      );
      await boss.request('POST', `/api/v1/admin/normalizations/${id}/decision`, {
        decision: 'deny',
        reason: 'Laporan terverifikasi tetap berlaku.',
      });
      const body = { confirm: true, reason: 'Sesuai.' };
      const url = `/api/v1/admin/normalizations/${id}/confirmation`;
      const refused = await puppet.request('POST', url, body);
      expect(refused.json<Problem>().detail).toContain('dalam 7 hari terakhir');

      clock.set(new Date(made + 7 * day));
      const again = await signedIn(runtime, clock, 'made@cekrek.test', newPassword, secret);
      const confirmed = await again.client.request('POST', url, body);
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toEqual({ status: 'denied' });
    });
  });

  describe(`operator links from the audit log written before the migration, on ${dialect}`, () => {
    it('are filled in by the migration: operator to operator only, not the command line, not oneself', async () => {
      const t = await createTestDatabase(dialect, { migrate: false });
      try {
        const before = Object.fromEntries(
          Object.entries(migrations).filter(([name]) => name < '0010'),
        ) as Record<string, Migration>;
        const migrator = new Migrator({
          db: t.database.db,
          provider: { getMigrations: () => Promise.resolve(before) },
          migrationTableName: 'schema_migrations',
        });
        const { error } = await migrator.migrateToLatest();
        expect(error).toBeUndefined();
        const at = new Date('2026-03-01T00:00:00Z');
        const ids: number[] = [];
        for (const email of ['a@cekrek.test', 'b@cekrek.test', 'c@cekrek.test']) {
          const row = await t.database.db
            .insertInto('operators')
            .values({ email, password_hash: 'x', created_at: at, updated_at: at })
            .returning('id')
            .executeTakeFirstOrThrow();
          ids.push(Number(row.id));
        }
        const [a, b, c] = ids as [number, number, number];
        const operator = (id: number) => ({ type: 'operator' as const, id, label: `#${id}` });
        const entries = [
          { actor: operator(a), action: 'operator.created' as const, subject: b },
          { actor: operator(a), action: 'operator.disabled' as const, subject: c },
          { actor: operator(a), action: 'operator.roles_changed' as const, subject: a },
          {
            actor: { type: 'cli' as const, id: null, label: 'cli' },
            action: 'operator.created' as const,
            subject: c,
          },
          { actor: operator(b), action: 'operator.totp_reset' as const, subject: c },
        ];
        for (const e of entries) {
          // Written as an installation before keyed hashing wrote them.
          await t.database.db.transaction().execute(async (trx) => {
            const head = await lockAuditHead(trx, t.database.dialect);
            const content = auditContent(
              {
                actor: e.actor,
                action: e.action,
                subject: { type: 'operator', id: String(e.subject) },
              },
              at,
              head.lastHash,
            );
            await insertAuditEntry(trx, {
              ...content,
              seq: head.lastSeq + 1,
              hash: entryHash(content),
            });
          });
        }
        await migrateToLatest(t.database.db);
        const links = await t.database.db
          .selectFrom('operator_links')
          .select(['operator_id', 'by_operator_id', 'action'])
          .orderBy('id')
          .execute();
        expect(
          links.map((l) => [Number(l.by_operator_id), l.action, Number(l.operator_id)]),
        ).toEqual([
          [a, 'operator.created', b],
          [b, 'operator.totp_reset', c],
        ]);
      } finally {
        await t.close();
      }
    });
  });
}
