// The audit log: append-only, hash-chained, and `verify` names the first entry
// that was edited, deleted or reordered, on both databases.
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditService } from '../src/audit/audit.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import type { Database } from '../src/db/database.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

const actor = { type: 'operator', id: 7, label: 'auditor@cekrek.test' } as const;

/** What someone with direct database access would have to do first. */
async function withoutProtection(database: Database, change: () => Promise<unknown>) {
  if (database.dialect === 'postgres') {
    await sql`alter table audit_log disable trigger user`.execute(database.db);
    try {
      await change();
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(database.db);
    }
  } else {
    await sql`drop trigger audit_log_no_update`.execute(database.db);
    await sql`drop trigger audit_log_no_delete`.execute(database.db);
    await change();
  }
}

for (const dialect of dialects) {
  describeOn(dialect)(`audit log on ${dialect}`, () => {
    let t: TestDatabase;
    let audit: AuditService;
    const clock = new ManualClock('2026-04-01T00:00:00Z');

    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      audit = new AuditService(t.database, clock);
      for (let i = 1; i <= 6; i++) {
        clock.advance(1000);
        await audit.recordAlone({
          actor,
          action: 'operator.created',
          subject: { type: 'operator', id: String(100 + i) },
          ip: '198.51.100.1',
          details: { email: `op${i}@cekrek.test`, roles: ['reviewer'] },
        });
      }
    });
    afterEach(async () => {
      await t.close();
    });

    it('chains every entry to the one before and verifies clean', async () => {
      const report = await audit.verify();
      expect(report).toMatchObject({ entries: 6, headSeq: 6, firstBreak: null });
      const entries = await audit.list({ limit: 10 });
      expect(entries.map((e) => e.seq)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(entries[0]!.prevHash).toBe(entries[1]!.hash);
      expect(entries[5]!.prevHash).toBe('0'.repeat(64));
      expect(entries[0]).toMatchObject({
        actorLabel: 'auditor@cekrek.test',
        action: 'operator.created',
        subjectId: '106',
        outcome: 'success',
        details: { email: 'op6@cekrek.test', roles: ['reviewer'] },
      });
    });

    it('refuses UPDATE and DELETE from the application', async () => {
      await expect(
        sql`update audit_log set actor_label = 'someone else' where seq = 3`.execute(t.database.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where seq = 3`.execute(t.database.db)).rejects.toThrow(
        /append-only/,
      );
      expect((await audit.verify()).firstBreak).toBeNull();
    });

    it('names an edited entry', async () => {
      await withoutProtection(t.database, () =>
        sql`update audit_log set details = ${'{"email":"forged@cekrek.test","roles":["admin"]}'} where seq = 3`.execute(
          t.database.db,
        ),
      );
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 3, problem: 'edited' });
    });

    it('names a deleted entry, in the middle and at the end', async () => {
      await withoutProtection(t.database, () =>
        sql`delete from audit_log where seq = 4`.execute(t.database.db),
      );
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 4, problem: 'deleted' });
    });

    it('names a deleted last entry', async () => {
      await withoutProtection(t.database, () =>
        sql`delete from audit_log where seq = 6`.execute(t.database.db),
      );
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 6, problem: 'deleted' });
    });

    it('names a deletion hidden by renumbering', async () => {
      await withoutProtection(t.database, async () => {
        await sql`delete from audit_log where seq = 2`.execute(t.database.db);
        await sql`update audit_log set seq = seq - 1 where seq > 2`.execute(t.database.db);
      });
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 2, problem: 'deleted' });
    });

    it('names reordered entries', async () => {
      await withoutProtection(t.database, async () => {
        await sql`update audit_log set seq = 100 where seq = 4`.execute(t.database.db);
        await sql`update audit_log set seq = 4 where seq = 5`.execute(t.database.db);
        await sql`update audit_log set seq = 5 where seq = 100`.execute(t.database.db);
      });
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 4, problem: 'reordered' });
    });

    it('keeps one chain when entries are written concurrently', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          audit.recordAlone({ actor, action: 'audit.viewed', details: { n: i } }),
        ),
      );
      expect(await audit.verify()).toMatchObject({ entries: 26, firstBreak: null });
    });
  });
}
