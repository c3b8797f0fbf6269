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

/** `work` on a client of the database at `url` (the server's admin database by default). */
export async function admin<T>(
  work: (client: pg.Client) => Promise<T>,
  url = postgresAdminUrl,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database on the machine's PostgreSQL, named `prefix` and a random part; undefined when there is none. */
export async function throwAwayDatabase(
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> } | undefined> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  try {
    await admin((c) => c.query(`CREATE DATABASE ${name}`));
  } catch (error) {
    console.log(`PostgreSQL at ${postgresAdminUrl} unavailable (${String(error)}): skipped`);
    return undefined;
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(),
  };
}

/** A throw-away database on the machine's PostgreSQL as a bench target, or undefined when there is none. */
export async function postgresTarget(work: string): Promise<Target | undefined> {
  const database = await throwAwayDatabase('cekrek_bench');
  if (!database) return undefined;
  return {
    name: 'postgres',
    env: {
      DATA_DIR: join(work, 'postgres'),
      DATABASE_URL: database.url,
      CEKREK_SECRET_KEY: randomBytes(32).toString('base64url'),
    },
    dispose: () => database.drop(),
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
