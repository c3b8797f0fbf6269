// The import's batches on both databases (prepared statements on SQLite,
// COPY and set-based merges on PostgreSQL): a batch the database refuses
// leaves nothing of itself, the batches before it stay, the connection goes
// back to the pool, and loading the file again finishes it without counting
// a row twice.
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findSummary } from '../src/accounts/accounts.repository.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { importReports } from '../src/reports/import.service.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

const clock = new ManualClock('2026-06-01T10:00:00Z');
const box = new SecretBox('test-secret-key-000000000000000000000');
const header = 'source_id,provider,number,category,reported_at,holder_name';

/** Nine rows, one account each; the fifth is refused by the database while the trigger is there. */
const file = [
  header,
  ...Array.from(
    { length: 9 },
    (_, i) =>
      `${i === 4 ? 'boom' : `batch-${i + 1}`},014,30000000${i + 1}0,extortion,2026-01-0${i + 1},Budi`,
  ),
].join('\n');

function load(t: TestDatabase, changed: string[][] = []) {
  return importReports(t.database, () => Readable.from([file]), {
    clock,
    box,
    batchSize: 3,
    onChanged: (keys) => changed.push([...keys]),
  });
}

async function refuseBoom(t: TestDatabase): Promise<void> {
  const db = t.database.db;
  if (t.database.dialect === 'sqlite') {
    await sql`create trigger refuse_boom before insert on reports when new.source_id = 'boom'
              begin select raise(abort, 'refused'); end`.execute(db);
    return;
  }
  await sql`create function refuse_boom() returns trigger language plpgsql as $$
            begin if new.source_id = 'boom' then raise exception 'refused'; end if; return new; end $$`.execute(
    db,
  );
  await sql`create trigger refuse_boom before insert on reports
            for each row execute function refuse_boom()`.execute(db);
}

async function allowBoom(t: TestDatabase): Promise<void> {
  const db = t.database.db;
  if (t.database.dialect === 'sqlite') {
    await sql`drop trigger refuse_boom`.execute(db);
    return;
  }
  await sql`drop trigger refuse_boom on reports`.execute(db);
  await sql`drop function refuse_boom()`.execute(db);
}

async function storedSourceIds(t: TestDatabase): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('reports')
    .select('source_id')
    .where('source', '=', 'import')
    .orderBy('source_id')
    .execute();
  return rows.map((r) => r.source_id ?? '');
}

for (const dialect of dialects) {
  describeOn(dialect)(`import batches on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => {
      await t?.close();
    });

    it('keeps the batches before a refused one, nothing of it, and finishes when loaded again', async () => {
      await refuseBoom(t);
      const changed: string[][] = [];
      await expect(load(t, changed)).rejects.toThrow(/refused/);
      expect(await storedSourceIds(t)).toEqual(['batch-1', 'batch-2', 'batch-3']);
      expect(changed).toEqual([['014:3000000010', '014:3000000020', '014:3000000030']]);
      // The refused batch's accounts were created in its transaction: gone with it.
      expect(await findSummary(t.database.db, '014:3000000040')).toBeUndefined();
      if (t.database.dialect === 'postgres') {
        expect(t.database.pool.idleCount).toBe(t.database.pool.totalCount);
      }

      await allowBoom(t);
      const again = await load(t);
      expect(again).toMatchObject({ read: 9, loaded: 6, alreadyPresent: 3, invalid: 0 });
      expect(await storedSourceIds(t)).toHaveLength(9);
      expect(await findSummary(t.database.db, '014:3000000050')).toMatchObject({
        verifiedCount: 1,
        categoryCounts: { extortion: 1 },
      });
      expect((await findSummary(t.database.db, '014:3000000010'))?.verifiedCount).toBe(1);
    });

    it('sets the key hash the range lookup reads on every account it creates', async () => {
      const row = await t.database.db
        .selectFrom('accounts')
        .select(['key', 'key_hash'])
        .where('key', '=', '014:3000000090')
        .executeTakeFirstOrThrow();
      expect(row.key_hash).toMatch(/^[0-9A-F]{64}$/);
    });
  });
}
