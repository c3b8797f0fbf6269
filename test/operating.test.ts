// Running cekrek: the command line, migrations, readiness, demo data, the key.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createRuntime, resolveSecretKey, type Runtime } from '../src/main.ts';
import { demoAccounts } from '../src/accounts/demo.ts';
import { personalDataSealedMarker } from '../src/db/migrate.ts';
import { sealClearPersonalData } from '../src/seal-personal-data.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { cekrek } from './support/cli.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

for (const dialect of dialects) {
  describeOn(dialect)(`operating on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect, { migrate: false });
    });
    afterAll(async () => {
      await t.close();
    });

    it('migrates with `cekrek migrate`, then has nothing to do', async () => {
      const first = await cekrek(['migrate'], t.env);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/applied: 0001_accounts/);
      const again = await cekrek(['migrate'], t.env);
      expect(again.stdout).toMatch(/up to date/);
    });

    it('marks a database it creates as holding nothing in clear, and only such a one', async () => {
      // Every value this code writes is sealed: the first start has no rows to scan for clear ones.
      const marker = () =>
        t.database.db
          .selectFrom('meta')
          .select('value')
          .where('key', '=', personalDataSealedMarker)
          .executeTakeFirst();
      expect(await marker()).toBeDefined();
      // A database that older code migrated keeps its scan at the next start.
      await t.database.db.deleteFrom('meta').where('key', '=', personalDataSealedMarker).execute();
      await sql`delete from schema_migrations where name = ${'0022_report_partial_indexes'}`.execute(
        t.database.db,
      );
      expect((await cekrek(['migrate'], t.env)).code).toBe(0);
      expect(await marker()).toBeUndefined();
    });

    it('answers before its background work starts when the caller starts it after listening', async () => {
      const config = loadConfig({ ...t.env, CEKREK_DEMO: 'off', LOG_LEVEL: 'silent' });
      const runtime = await createRuntime(config, { logger: false, backgroundLater: true });
      try {
        const ready = await runtime.app.inject('/readyz');
        expect(ready.statusCode).toBe(200);
        expect(ready.json()).toMatchObject({ checkFilter: 'warming' });
        expect(runtime.checks.isWarm).toBe(false);
        const started = runtime.startBackground();
        expect(runtime.startBackground()).toBe(started);
        await started;
        await expect.poll(() => runtime.checks.isWarm, { timeout: 10_000 }).toBe(true);
        expect((await runtime.app.inject('/readyz')).json()).toMatchObject({ checkFilter: 'warm' });
      } finally {
        await runtime.close();
      }
    });

    it('is not ready while a migration is pending', async () => {
      const config = loadConfig({ ...t.env, CEKREK_DEMO: 'off', LOG_LEVEL: 'silent' });
      const runtime = await createRuntime(config, { logger: false });
      try {
        expect((await runtime.app.inject('/readyz')).statusCode).toBe(200);
        await sql`delete from schema_migrations where name = ${'0001_accounts'}`.execute(
          runtime.database.db,
        );
        const response = await runtime.app.inject('/readyz');
        expect(response.statusCode).toBe(503);
        expect(response.json()).toEqual({ status: 'unavailable', reason: 'migrations_pending' });
        expect((await runtime.app.inject('/healthz')).statusCode).toBe(200);
      } finally {
        await runtime.close();
      }
    });
  });
}

describe('the command line', () => {
  it('exits non-zero with a one-line reason on bad configuration', async () => {
    const result = await cekrek(['migrate'], { PORT: 'eighty', DATA_DIR: '/tmp/never' });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^cekrek: invalid configuration: PORT/);
  });

  it('refuses an unknown command', async () => {
    const result = await cekrek(['frobnicate'], {});
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command/);
  });
});

describe('a fresh embedded installation', () => {
  let t: TestDatabase;
  let runtime: Runtime;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite', { migrate: false });
    runtime = await createRuntime(loadConfig({ ...t.env, LOG_LEVEL: 'silent' }), { logger: false });
  });
  afterAll(async () => {
    await runtime.close();
    await t.close();
  });

  it('is seeded with demo data showing every state, clearly marked', async () => {
    const statuses = new Set<string>();
    for (const account of demoAccounts) {
      const response = await runtime.app.inject(
        `/api/v1/accounts/${account.provider}/${encodeURIComponent(account.number)}`,
      );
      const body = response.json<{ status: string; demo: boolean; verifiedSeller: unknown }>();
      expect(body.demo).toBe(true);
      statuses.add(body.verifiedSeller ? 'verified seller' : body.status);
    }
    expect([...statuses].sort()).toEqual(['disputed', 'normalized', 'reported', 'verified seller']);
  });

  it('stores the names of the demo sellers sealed, like any other, with nothing left to seal', async () => {
    const names = await t.database.db
      .selectFrom('seller_registrations')
      .select('holder_name')
      .execute();
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((row) => row.holder_name.startsWith('p1.'))).toBe(true);
    const box = new SecretBox(resolveSecretKey(runtime.config));
    expect(await sealClearPersonalData(t.database, box)).toBe(0);
  });

  it('generates its secret key into DATA_DIR, readable by the owner only', () => {
    const file = join(t.dataDir, 'secret.key');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o077).toBe(0);
  });

  it('seeds only once, and never with CEKREK_DEMO=off', async () => {
    const again = await createRuntime(loadConfig({ ...t.env, LOG_LEVEL: 'silent' }), {
      logger: false,
    });
    const count = await again.database.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(demoAccounts.length);
    await again.close();

    const empty = await createTestDatabase('sqlite', { migrate: false });
    const off = await createRuntime(
      loadConfig({ ...empty.env, CEKREK_DEMO: 'off', LOG_LEVEL: 'silent' }),
      {
        logger: false,
      },
    );
    const none = await off.database.db.selectFrom('accounts').select('id').execute();
    expect(none).toEqual([]);
    await off.close();
    await empty.close();
  });
});
