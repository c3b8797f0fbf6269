// `cekrek partner create|list` and `cekrek partner key create|roll|revoke` as
// real processes: the key printed once, only its keyed hash stored, every
// operation in the audit log as the command line's.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cekrek } from './support/cli.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

const keyPattern = /ckr_live_[0-9A-Za-z]{36}/;

for (const dialect of dialects) {
  describeOn(dialect)(`partner commands on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await t.close();
    });

    // Each command is a process that compiles the code first: slow on a busy machine.
    it(
      'creates a partner, issues, rolls and revokes a key, printing each key once',
      { timeout: 300_000 },
      async () => {
        const created = await cekrek(
          [
            'partner',
            'create',
            '--name',
            'Dompet Contoh',
            '--kind',
            'ewallet',
            '--email',
            'api@dompet.test',
            '--per-minute',
            '60',
          ],
          t.env,
        );
        expect(created.code, created.stderr).toBe(0);
        const partnerId = /created partner (\d+) Dompet Contoh \(ewallet\)/.exec(
          created.stdout,
        )?.[1];
        expect(partnerId).toBeDefined();

        const issued = await cekrek(
          [
            'partner',
            'key',
            'create',
            '--partner',
            partnerId!,
            '--scope',
            'check',
            '--scope',
            'watch',
          ],
          t.env,
        );
        expect(issued.code, issued.stderr).toBe(0);
        expect(issued.stdout).toMatch(/issued key \d+ "cli" for partner \d+ \(check, watch\)/);
        const key = keyPattern.exec(issued.stdout)?.[0];
        expect(key).toBeDefined();
        const keyId = /issued key (\d+)/.exec(issued.stdout)![1]!;

        const rows = await t.database.db.selectFrom('partner_keys').selectAll().execute();
        expect(JSON.stringify(rows)).not.toContain(key);

        const rolled = await cekrek(
          [
            'partner',
            'key',
            'roll',
            '--partner',
            partnerId!,
            '--key',
            keyId,
            '--expire-old-in',
            '0',
          ],
          t.env,
        );
        expect(rolled.code, rolled.stderr).toBe(0);
        const fresh = keyPattern.exec(rolled.stdout)?.[0];
        expect(fresh).toBeDefined();
        expect(fresh).not.toBe(key);
        const freshId = /rolled key into key (\d+)/.exec(rolled.stdout)![1]!;

        const revoked = await cekrek(
          ['partner', 'key', 'revoke', '--partner', partnerId!, '--key', freshId],
          t.env,
        );
        expect(revoked.code, revoked.stderr).toBe(0);
        expect(revoked.stdout).not.toMatch(keyPattern);
        const row = await t.database.db
          .selectFrom('partner_keys')
          .select('revoked_at')
          .where('id', '=', Number(freshId))
          .executeTakeFirstOrThrow();
        expect(row.revoked_at).not.toBeNull();

        const listed = await cekrek(['partner', 'list'], t.env);
        expect(listed.stdout).toContain('Dompet Contoh');
        expect(listed.stdout).not.toMatch(keyPattern);

        const audit = await t.database.db
          .selectFrom('audit_log')
          .select(['action', 'actor_type', 'details'])
          .where('action', 'like', 'partner.%')
          .orderBy('seq')
          .execute();
        expect(audit.map((a) => a.action)).toEqual([
          'partner.created',
          'partner.key_issued',
          'partner.key_rolled',
          'partner.key_revoked',
        ]);
        expect(audit.every((a) => a.actor_type === 'cli')).toBe(true);
        expect(audit.map((a) => a.details).join('\n')).not.toMatch(keyPattern);
      },
    );

    it(
      'refuses an unknown kind or scope in one line, exiting non-zero',
      { timeout: 120_000 },
      async () => {
        const kind = await cekrek(
          ['partner', 'create', '--name', 'X', '--kind', 'casino', '--email', 'x@x.test'],
          t.env,
        );
        expect(kind.code).not.toBe(0);
        expect(kind.stderr.trim().split('\n')).toHaveLength(1);
        expect(kind.stderr).toMatch(/^cekrek: .*kind/);
        const scope = await cekrek(
          ['partner', 'key', 'create', '--partner', '1', '--scope', 'everything'],
          t.env,
        );
        expect(scope.code).not.toBe(0);
        expect(scope.stderr).toMatch(/^cekrek: .*scopes/);
      },
    );
  });
}
