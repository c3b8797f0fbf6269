// The two-role setup of the README on a real PostgreSQL: migrations run as the
// owner, the server as `cekrek_app`, which can read and append to the audit
// log but not change, remove or unprotect a single entry.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest, pendingMigrations } from '../src/db/migrate.ts';
import { createRuntime } from '../src/main.ts';
import { describeOn } from './support/databases.ts';
import { postgresAdminUrl } from './support/postgres.ts';

function urlAs(role: string, database: string): string {
  const url = new URL(postgresAdminUrl);
  url.username = role;
  url.password = '';
  url.pathname = `/${database}`;
  return url.toString();
}

async function asAdmin<T>(database: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describeOn('postgres')('audit log with the two PostgreSQL roles', () => {
  const name = `cekrek_roles_${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    await asAdmin('postgres', async (admin) => {
      for (const role of ['cekrek_owner', 'cekrek_app']) {
        await admin.query(
          `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} LOGIN; END IF; END $$`,
        );
      }
      await admin.query(`CREATE DATABASE ${name} OWNER cekrek_owner`);
    });
    await asAdmin(name, async (admin) => {
      await admin.query(`SET ROLE cekrek_owner`);
      await admin.query(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cekrek_app',
      );
      await admin.query(
        'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cekrek_app',
      );
    });
    const owner = openDatabase({ kind: 'postgres', url: urlAs('cekrek_owner', name) });
    await migrateToLatest(owner.db);
    await owner.close();
  });

  afterAll(async () => {
    await asAdmin('postgres', (admin) =>
      admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    );
  });

  it('serves as cekrek_app, appends to the audit log, and cannot change it', async () => {
    const url = urlAs('cekrek_app', name);
    const config = loadConfig({
      DATABASE_URL: url,
      CEKREK_SECRET_KEY: 'test-secret-key-000000000000000000000',
      DATA_DIR: '/tmp/cekrek-roles-test',
      LOG_LEVEL: 'silent',
    });
    const runtime = await createRuntime(config, { logger: false });
    try {
      expect(await pendingMigrations(runtime.database.db)).toEqual([]);
      expect((await runtime.app.inject('/readyz')).statusCode).toBe(200);
      await runtime.services.operators.create(
        { email: 'roles@cekrek.test', roles: ['admin'], password: 'a long test password 123' },
        { type: 'cli', id: null, label: 'test' },
      );
      expect((await runtime.services.audit.verify()).entries).toBe(1);

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await expect(client.query(`UPDATE audit_log SET ip = 'x'`)).rejects.toThrow(
          /permission denied/,
        );
        await expect(client.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/);
        await expect(client.query('TRUNCATE audit_log')).rejects.toThrow(/permission denied/);
        await expect(client.query('ALTER TABLE audit_log DISABLE TRIGGER USER')).rejects.toThrow(
          /must be owner/,
        );
        await expect(client.query('DROP TABLE audit_log')).rejects.toThrow(/must be owner/);
        // Who changed whose account, for the four-eyes rule: appended, never rewritten.
        await expect(client.query('DELETE FROM operator_links')).rejects.toThrow(
          /permission denied/,
        );
        await expect(client.query(`UPDATE operator_links SET action = 'x'`)).rejects.toThrow(
          /permission denied/,
        );
      } finally {
        await client.end();
      }
      expect((await runtime.services.audit.verify()).firstBreak).toBeNull();
    } finally {
      await runtime.close();
    }
  });
});
