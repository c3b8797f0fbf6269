// `cekrek operator create|disable` and `cekrek audit verify` as real processes.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { cekrek } from './support/cli.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

for (const dialect of dialects) {
  describeOn(dialect)(`operator and audit commands on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await t.close();
    });

    it('creates an operator with a one-time password, shown once', async () => {
      const result = await cekrek(
        [
          'operator',
          'create',
          '--email',
          'Admin@Cekrek.test',
          '--role',
          'admin',
          '--role',
          'reviewer',
        ],
        t.env,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/created operator admin@cekrek\.test \(admin, reviewer\)/);
      expect(result.stdout).toMatch(/one-time password .*: \w{5}-\w{5}-\w{5}-\w{5}/);
      const row = await t.database.db
        .selectFrom('operators')
        .select(['must_change_password', 'password_hash'])
        .where('email', '=', 'admin@cekrek.test')
        .executeTakeFirstOrThrow();
      expect(Boolean(row.must_change_password)).toBe(true);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
    });

    it('uses a given password as is, and refuses duplicates and unknown roles in one line', async () => {
      const given = await cekrek(
        [
          'operator',
          'create',
          '--email',
          'bot@cekrek.test',
          '--role',
          'reviewer',
          '--password',
          'automation password 42',
        ],
        t.env,
      );
      expect(given.code).toBe(0);
      expect(given.stdout).not.toMatch(/one-time password/);
      const again = await cekrek(
        ['operator', 'create', '--email', 'bot@cekrek.test', '--role', 'reviewer'],
        t.env,
      );
      expect(again.code).not.toBe(0);
      expect(again.stderr.trim()).toBe('cekrek: Operator exists');
      const badRole = await cekrek(
        ['operator', 'create', '--email', 'x@cekrek.test', '--role', 'root'],
        t.env,
      );
      expect(badRole.code).not.toBe(0);
      expect(badRole.stderr.trim().split('\n')).toHaveLength(1);
      expect(badRole.stderr).toMatch(/roles: Choose at least one known role/);
    });

    it('disables an operator', async () => {
      const result = await cekrek(['operator', 'disable', 'bot@cekrek.test'], t.env);
      expect(result.code, result.stderr).toBe(0);
      const row = await t.database.db
        .selectFrom('operators')
        .select('disabled_at')
        .where('email', '=', 'bot@cekrek.test')
        .executeTakeFirstOrThrow();
      expect(row.disabled_at).not.toBeNull();
      expect((await cekrek(['operator', 'disable', 'nobody@cekrek.test'], t.env)).code).not.toBe(0);
    });

    it('verifies the audit chain, and fails naming the first tampered entry', async () => {
      const ok = await cekrek(['audit', 'verify'], t.env);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/audit log intact: 3 entries, head 3 [0-9a-f]{64}/);

      if (dialect === 'postgres') {
        await sql`alter table audit_log disable trigger user`.execute(t.database.db);
      } else {
        await sql`drop trigger audit_log_no_update`.execute(t.database.db);
      }
      await sql`update audit_log set actor_label = 'someone else' where seq = 2`.execute(
        t.database.db,
      );
      const broken = await cekrek(['audit', 'verify'], t.env);
      expect(broken.code).not.toBe(0);
      expect(broken.stderr.trim()).toBe(
        'cekrek: audit log broken at entry 2: edited (its content does not match its hash)',
      );
    });
  });
}
