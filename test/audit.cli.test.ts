// `cekrek audit checkpoint` and `cekrek audit verify --head` as real
// processes, on both databases: a printed checkpoint is what exposes a log
// that the database owner cut short and whose stored checkpoints they erased.
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditService } from '../src/audit/audit.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { cekrek } from './support/cli.ts';
import {
  createTestDatabase,
  describeOn,
  dialects,
  type TestDatabase,
} from './support/databases.ts';

const secretKey = 'cli-test-secret-key-0000000000000000000';
const actor = { type: 'cli', id: null, label: 'cli:test' } as const;

for (const dialect of dialects) {
  describeOn(dialect)(`audit checkpoint and verify --head on ${dialect}`, () => {
    let t: TestDatabase;
    let env: Record<string, string>;

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      env = { ...t.env, CEKREK_SECRET_KEY: secretKey };
      const audit = new AuditService(
        t.database,
        new ManualClock('2026-05-01T00:00:00Z'),
        new SecretBox(secretKey),
      );
      for (let i = 0; i < 5; i++) await audit.recordAlone({ actor, action: 'audit.viewed' });
    });
    afterAll(async () => {
      await t.close();
    });

    it('prints a signed head, and verify --head fails in one line once the log is cut short', async () => {
      const taken = await cekrek(['audit', 'checkpoint'], env);
      expect(taken.code, taken.stderr).toBe(0);
      const printed = taken.stdout.trim();
      expect(JSON.parse(printed)).toMatchObject({
        seq: 5,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
        signature: expect.stringMatching(/^[A-Za-z0-9_-]{86}$/) as unknown,
      });
      const publicKey = await cekrek(['audit', 'checkpoint', '--public-key'], env);
      expect(publicKey.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);

      const intact = await cekrek(['audit', 'verify', '--head', printed], env);
      expect(intact.code, intact.stderr).toBe(0);
      expect(intact.stdout).toMatch(
        /audit log intact: 5 entries, head 5 [0-9a-f]{64}; it holds entry 5/,
      );

      // As the owner: protection off, the last entries and the stored checkpoints gone, the head moved back.
      const third = await t.database.db
        .selectFrom('audit_log')
        .select('hash')
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow();
      if (dialect === 'postgres') {
        await sql`alter table audit_log disable trigger user`.execute(t.database.db);
        await sql`alter table audit_checkpoints disable trigger user`.execute(t.database.db);
      } else {
        await sql`drop trigger audit_log_no_delete`.execute(t.database.db);
        await sql`drop trigger audit_checkpoints_no_delete`.execute(t.database.db);
      }
      await sql`delete from audit_log where seq > 3`.execute(t.database.db);
      await sql`delete from audit_checkpoints where kind = 'checkpoint'`.execute(t.database.db);
      await sql`update audit_head set last_seq = 3, last_hash = ${third.hash}`.execute(
        t.database.db,
      );

      const blind = await cekrek(['audit', 'verify'], env);
      expect(blind.code, blind.stderr).toBe(0);
      const against = await cekrek(['audit', 'verify', '--head', printed], env);
      expect(against.code).not.toBe(0);
      expect(against.stderr.trim()).toBe(
        'cekrek: audit log broken at entry 5: truncated (the log ends at 4 but a checkpoint names entry 5)',
      );
      const bad = await cekrek(['audit', 'verify', '--head', 'latest'], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    }, 300_000);
  });
}
