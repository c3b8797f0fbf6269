// The audit log: append-only, hash-chained with a key the database does not
// hold, and `verify` names the first entry that was edited, deleted or
// reordered, on both databases; signed checkpoints catch a log cut short.
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { AuditService } from '../src/audit/audit.service.ts';
import { entryHash } from '../src/audit/audit.chain.ts';
import { checkpointJson, parseExpectedHead } from '../src/audit/audit.checkpoints.ts';
import { registerAuditJobs } from '../src/audit/audit.jobs.ts';
import { genesisHash } from '../src/audit/audit.events.ts';
import { allAuditEntries, insertAuditEntry } from '../src/audit/audit.repository.ts';
import { createJobWorker } from '../src/jobs/jobs.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import type { Database } from '../src/db/database.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

const actor = { type: 'operator', id: 7, label: 'auditor@cekrek.test' } as const;

const box = new SecretBox('test-secret-key-000000000000000000000');

/** What someone with direct database access (the owner) would have to do first. */
async function withoutProtection(database: Database, change: () => Promise<unknown>) {
  if (database.dialect === 'postgres') {
    await sql`alter table audit_log disable trigger user`.execute(database.db);
    await sql`alter table audit_checkpoints disable trigger user`.execute(database.db);
    try {
      await change();
    } finally {
      await sql`alter table audit_log enable trigger user`.execute(database.db);
      await sql`alter table audit_checkpoints enable trigger user`.execute(database.db);
    }
  } else {
    for (const trigger of [
      'audit_log_no_update',
      'audit_log_no_delete',
      'audit_checkpoints_no_update',
      'audit_checkpoints_no_delete',
    ]) {
      await sql`drop trigger if exists ${sql.id(trigger)}`.execute(database.db);
    }
    await change();
  }
}

/**
 * What an attacker without the key can do: recompute every hash from `fromSeq`
 * on with the plain SHA-256 and move the head, so the chain links again.
 */
async function recomputeWithoutKey(database: Database, fromSeq: number): Promise<void> {
  const entries = [];
  for await (const entry of allAuditEntries(database.db)) entries.push(entry);
  let previous = entries.find((e) => e.seq === fromSeq - 1)?.hash ?? genesisHash;
  for (const entry of entries.filter((e) => e.seq >= fromSeq)) {
    const hash = entryHash({ ...entry, prevHash: previous });
    await sql`update audit_log set prev_hash = ${previous}, hash = ${hash} where seq = ${entry.seq}`.execute(
      database.db,
    );
    previous = hash;
  }
  await sql`update audit_head set last_hash = ${previous} where id = 1`.execute(database.db);
}

for (const dialect of dialects) {
  describeOn(dialect)(`audit log on ${dialect}`, () => {
    let t: TestDatabase;
    let audit: AuditService;
    const clock = new ManualClock('2026-04-01T00:00:00Z');

    beforeEach(async () => {
      t = await createTestDatabase(dialect);
      audit = new AuditService(t.database, clock, box);
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

    it('refuses to change or remove a stored checkpoint', async () => {
      await audit.checkpoint();
      await expect(
        sql`update audit_checkpoints set seq = 1`.execute(t.database.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_checkpoints`.execute(t.database.db)).rejects.toThrow(
        /append-only/,
      );
    });

    it('keys every entry: a chain recomputed without the key does not verify', async () => {
      await withoutProtection(t.database, async () => {
        await sql`update audit_log set details = ${'{"email":"forged@cekrek.test","roles":["admin"]}'} where seq = 3`.execute(
          t.database.db,
        );
        await recomputeWithoutKey(t.database, 3);
      });
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 3, problem: 'edited' });
      // Nor with the whole chain recomputed, nor with it made under another key.
      await withoutProtection(t.database, () => recomputeWithoutKey(t.database, 1));
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 1, problem: 'edited' });
      const otherKey = new AuditService(
        t.database,
        clock,
        new SecretBox('another-secret-key-00000000000000000000'),
      );
      expect((await otherKey.verify()).firstBreak).not.toBeNull();
    });

    it('detects a log cut short against a checkpoint written down elsewhere', async () => {
      const printed = checkpointJson(await audit.checkpoint());
      expect(JSON.parse(printed)).toMatchObject({
        seq: 6,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
      });
      expect((await audit.verify(parseExpectedHead(printed))).firstBreak).toBeNull();
      const fourth = await audit.list({ limit: 1, before: 5 });

      // The owner drops the protection, deletes the last two entries and moves the head back.
      await withoutProtection(t.database, async () => {
        await sql`delete from audit_log where seq > 4`.execute(t.database.db);
        await sql`update audit_head set last_seq = 4, last_hash = ${fourth[0]!.hash} where id = 1`.execute(
          t.database.db,
        );
      });
      // The stored checkpoint still names entry 6.
      expect((await audit.verify()).firstBreak).toMatchObject({ seq: 6, problem: 'truncated' });
      // Deleting the stored checkpoints too leaves only the copy kept elsewhere to tell.
      await withoutProtection(t.database, () =>
        sql`delete from audit_checkpoints where kind = 'checkpoint'`.execute(t.database.db),
      );
      expect((await audit.verify()).firstBreak).toBeNull();
      const against = await audit.verify(parseExpectedHead(printed));
      expect(against.firstBreak).toMatchObject({ seq: 6, problem: 'truncated' });
      const { seq, hash } = JSON.parse(printed) as { seq: number; hash: string };
      const seqHash = `${seq}:${hash}`;
      expect((await audit.verify(parseExpectedHead(seqHash))).firstBreak).toMatchObject({
        problem: 'truncated',
      });

      // New entries written at 5 and 6 are other entries than the checkpoint's.
      await audit.recordAlone({ actor, action: 'audit.viewed' });
      await audit.recordAlone({ actor, action: 'audit.viewed' });
      expect((await audit.verify(parseExpectedHead(printed))).firstBreak).toMatchObject({
        seq: 6,
        problem: 'rewritten',
      });
    });

    it('refuses a checkpoint that is not signed with the key', async () => {
      const checkpoint = JSON.parse(checkpointJson(await audit.checkpoint())) as {
        signature: string;
      };
      const altered = JSON.stringify({ ...checkpoint, at: '2030-01-01T00:00:00.000Z' });
      expect((await audit.verify(parseExpectedHead(altered))).firstBreak).toMatchObject({
        problem: 'forged',
      });
      expect(() => parseExpectedHead('six:abc')).toThrow(/--head/);
    });

    it('cannot be downgraded: without the keying checkpoint the log does not verify', async () => {
      await withoutProtection(t.database, async () => {
        await sql`delete from audit_checkpoints`.execute(t.database.db);
        await recomputeWithoutKey(t.database, 1);
      });
      expect((await audit.verify()).firstBreak).toMatchObject({ problem: 'unkeyed' });
    });

    it('keeps verifying entries written before keying began, fixed by the keying checkpoint', async () => {
      const legacy = await createTestDatabase(dialect);
      try {
        // Three entries as an older cekrek wrote them: plain SHA-256, no checkpoint.
        let previous = genesisHash;
        for (let seq = 1; seq <= 3; seq++) {
          const content = {
            at: new Date(`2025-01-0${seq}T00:00:00.000Z`),
            actorType: 'cli' as const,
            actorId: null,
            actorLabel: 'cli:root',
            action: 'operator.created',
            subjectType: null,
            subjectId: null,
            ip: null,
            outcome: 'success' as const,
            details: { n: seq },
            prevHash: previous,
          };
          previous = entryHash(content);
          await insertAuditEntry(legacy.database.db, { ...content, seq, hash: previous });
        }
        const upgraded = new AuditService(legacy.database, clock, box);
        expect((await upgraded.verify()).firstBreak).toMatchObject({ problem: 'unkeyed' });
        await upgraded.ensureKeyed();
        await upgraded.recordAlone({ actor, action: 'audit.viewed' });
        await upgraded.recordAlone({ actor, action: 'audit.viewed' });
        expect(await upgraded.verify()).toMatchObject({ entries: 5, firstBreak: null });

        // A keyed entry passed off as an unkeyed one is refused.
        await withoutProtection(legacy.database, () => recomputeWithoutKey(legacy.database, 5));
        expect((await upgraded.verify()).firstBreak).toMatchObject({ seq: 5, problem: 'edited' });
      } finally {
        await legacy.close();
      }
    });

    it('logs a signed checkpoint every day (the recurring job)', async () => {
      const lines: { obj: Record<string, unknown>; msg: string }[] = [];
      const logger = {
        info: (obj: object, msg: string) =>
          lines.push({ obj: obj as Record<string, unknown>, msg }),
        warn: () => undefined,
        error: (obj: object, msg: string) =>
          lines.push({ obj: obj as Record<string, unknown>, msg }),
      };
      const worker = createJobWorker({ database: t.database, clock, logger, pruneEveryMs: 0 });
      registerAuditJobs(worker, audit, logger);
      await worker.scheduleRecurrences();
      expect(await worker.drain()).toBe(0);
      clock.advance(24 * 60 * 60_000);
      expect(await worker.drain()).toBe(1);
      const logged = lines.find((l) => l.msg === 'audit checkpoint');
      expect(logged).toBeDefined();
      const printed = JSON.stringify(logged!.obj.auditCheckpoint);
      expect(JSON.parse(printed)).toMatchObject({ seq: 6 });
      expect((await audit.verify(parseExpectedHead(printed))).firstBreak).toBeNull();
      // And the next one is due a day later.
      clock.advance(24 * 60 * 60_000);
      expect(await worker.drain()).toBe(1);
      expect(lines.filter((l) => l.msg === 'audit checkpoint')).toHaveLength(2);
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
