// `cekrek backup FILE` as a real process: a consistent copy of the embedded
// database taken while another connection keeps writing (as the server does),
// which opens as a whole database with every migration and a prefix of the
// writes; a file that exists is never overwritten; on PostgreSQL it refuses
// in one line that points to pg_dump.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrations } from '../src/db/migrate.ts';
import { cekrek } from './support/cli.ts';
import { createTestDatabase, describeOn, tempDir, type TestDatabase } from './support/databases.ts';

describeOn('sqlite')('cekrek backup on the embedded database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await sql`create table backup_probe (n integer not null)`.execute(t.database.db);
  });
  afterAll(() => t?.close());

  it('copies the database whole while it is being written to', async () => {
    const target = join(tempDir(), 'cekrek-backup.sqlite');
    let written = 0;
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await sql`insert into backup_probe (n) values (${++written})`.execute(t.database.db);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const result = await cekrek(['backup', target], t.env);
    writing = false;
    await writer;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/backup written to .*cekrek-backup\.sqlite/);
    expect(result.stdout).toMatch(/secret key is not in it/);
    expect(existsSync(`${target}.partial`)).toBe(false);

    const copy = new SqliteDatabase(target, { readonly: true, fileMustExist: true });
    try {
      expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
      const applied = copy.prepare('select name from schema_migrations order by name').all();
      expect(applied.map((r) => (r as { name: string }).name)).toEqual(
        Object.keys(migrations).sort(),
      );
      // A consistent snapshot: rows 1..k with no gap, k at most what was written.
      const probe = copy.prepare('select count(*) as c, max(n) as m from backup_probe').get() as {
        c: number;
        m: number | null;
      };
      expect(probe.c).toBe(probe.m ?? 0);
      expect(probe.c).toBeLessThanOrEqual(written);
    } finally {
      copy.close();
    }

    const again = await cekrek(['backup', target], t.env);
    expect(again.code).not.toBe(0);
    expect(again.stderr.trim()).toMatch(/^cekrek: .*exists/);
  });
});

describeOn('postgres')('cekrek backup on PostgreSQL', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
  });
  afterAll(() => t?.close());

  it('refuses in one line that points to pg_dump', async () => {
    const result = await cekrek(['backup', join(tempDir(), 'x.sqlite')], t.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/pg_dump/);
  });
});
