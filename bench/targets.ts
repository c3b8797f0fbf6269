// What the benches share: the databases they measure (the embedded SQLite
// file, and a throw-away database on the machine's PostgreSQL), and putting a
// PostgreSQL database in the state a running system's would be in.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const postgresAdminUrl =
  process.env.CEKREK_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface Target {
  readonly name: 'sqlite' | 'postgres';
  readonly env: Record<string, string>;
  dispose(): Promise<void>;
}

export function sqliteTarget(work: string): Target {
  return {
    name: 'sqlite',
    env: { DATA_DIR: join(work, 'sqlite') },
    dispose: () => Promise.resolve(),
  };
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: postgresAdminUrl,
    connectionTimeoutMillis: 3000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A throw-away database on the machine's PostgreSQL, or undefined when there is none. */
export async function postgresTarget(work: string): Promise<Target | undefined> {
  const name = `cekrek_bench_${randomBytes(4).toString('hex')}`;
  try {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    console.log(`PostgreSQL at ${postgresAdminUrl} unavailable (${String(error)}): skipped`);
    return undefined;
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    env: {
      DATA_DIR: join(work, 'postgres'),
      DATABASE_URL: url.toString(),
      CEKREK_SECRET_KEY: randomBytes(32).toString('base64url'),
    },
    dispose: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(),
  };
}

export async function settle(target: Target): Promise<void> {
  const url = target.env.DATABASE_URL;
  if (!url) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM ANALYZE');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}
