// The import against the least a program must do with the same file, on each
// database, in the same run: on SQLite a bare better-sqlite3 loop (accounts
// upserted, reports inserted, 50,000 rows a transaction), on PostgreSQL a
// plain COPY into a table with the same unique key (bench/import-reference.ts),
// and beside it the same rows merged by bare SQL into cekrek's own tables:
// what their indexes cost on their own, with no cekrek code.
// Then the bytes each listed account takes on disk, and the check's p99
// against a running server with and without an import running beside it.
//
//   BENCH_IMPORT_ROWS=200000 node bin/run-ts.js bench/import-speed.ts
import { mkdtempSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { generateImportCsv, type AccountSample } from './generate.ts';
import { runNode, stop, stopAll, waitForOk } from './children.ts';
import { loadPaths, runLoad, startServer } from './common.ts';
import { admin, throwAwayDatabase, type Target } from './targets.ts';
import type { LoadResult } from './load.ts';

const loadSeconds = Number(process.env.BENCH_IMPORT_LOAD_SECONDS ?? 5);
const serverCpu = 0;
const loadCpu = 1;

export interface ImportSpeed {
  readonly name: 'sqlite' | 'postgres';
  readonly rows: number;
  readonly referenceRowsPerSecond: number;
  /** PostgreSQL: bare set-based SQL putting the rows into cekrek's tables. */
  readonly mergeRowsPerSecond?: number;
  readonly importRowsPerSecond: number;
  readonly bytesPerAccount: number;
  readonly listedAccounts: number;
  /** Largest tables and indexes, bytes. */
  readonly objects: readonly { name: string; bytes: number }[];
  readonly idle?: LoadResult;
  readonly importing?: LoadResult;
  /** The import that ran beside the load, rows per second. */
  readonly besideRowsPerSecond?: number;
}

async function cekrek(args: readonly string[], env: Record<string, string>): Promise<string> {
  const run = await runNode(['bin/cekrek.js', ...args], env);
  if (run.code !== 0) throw new Error(`cekrek ${args.join(' ')} failed: ${run.stderr.trim()}`);
  return run.stdout.trim();
}

/** The importer's own time, from its summary line ("… in 3.2 s"). */
async function timedImport(csv: string, env: Record<string, string>): Promise<number> {
  const line = await cekrek(['import', csv], env);
  const seconds = /in ([\d.]+) s/.exec(line)?.[1];
  if (!seconds) throw new Error(`no time in the import's summary: ${line}`);
  return Number(seconds) * 1000;
}

async function reference(
  kind: 'sqlite' | 'postgres' | 'postgres-merge',
  target: string,
  csv: string,
) {
  const run = await runNode(['bin/run-ts.js', 'bench/import-reference.ts', kind, target, csv], {});
  if (run.code !== 0) throw new Error(`${kind} reference failed: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { rows: number; ms: number };
}

function sqliteSize(file: string) {
  const db = new SqliteDatabase(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const listed = db
      .prepare('select count(*) from accounts where verified_count > 0')
      .pluck()
      .get() as number;
    const objects = db
      .prepare('select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc')
      .all() as { name: string; bytes: number }[];
    const wal = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    return { listed, bytes: statSync(file).size + wal, objects };
  } finally {
    db.close();
  }
}

async function postgresSize(url: string) {
  return admin(async (c) => {
    await c.query('VACUUM ANALYZE');
    const listed = await c.query<{ n: string }>(
      'select count(*) as n from accounts where verified_count > 0',
    );
    const objects = await c.query<{ name: string; bytes: string }>(
      `select c.relname as name, pg_relation_size(c.oid) as bytes from pg_class c
       join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'i', 't')
       order by 2 desc`,
    );
    const total = await c.query<{ bytes: string }>(
      'select pg_database_size(current_database()) as bytes',
    );
    return {
      listed: Number(listed.rows[0]!.n),
      bytes: Number(total.rows[0]!.bytes),
      objects: objects.rows.map((r) => ({ name: r.name, bytes: Number(r.bytes) })),
    };
  }, url);
}

function load(url: string, pathsFile: string): Promise<LoadResult> {
  return runLoad(
    { url, pathsFile, connections: 10, seconds: loadSeconds, warmupSeconds: 1 },
    loadCpu,
  );
}

/**
 * The check's latency with nobody else writing, then with a second file
 * (new source ids, so every row is loaded) importing from another process.
 */
async function servedWhileImporting(
  target: Target,
  present: readonly AccountSample[],
  second: string,
  work: string,
) {
  const { child: server, base } = await startServer(target.env, serverCpu);
  try {
    await waitForOk(`${base}/readyz`, server, 180_000);
    const pathsFile = join(work, `import-paths-${target.name}.json`);
    writeFileSync(pathsFile, JSON.stringify(loadPaths(present)));
    const idle = await load(base, pathsFile);
    const importing = timedImport(second, target.env);
    const beside = await load(base, pathsFile);
    const ms = await importing;
    return { idle, importing: beside, ms };
  } finally {
    await stop(server);
  }
}

async function measureSqlite(
  work: string,
  csv: string,
  second: string,
  present: readonly AccountSample[],
  rows: number,
): Promise<ImportSpeed> {
  const referenceDir = join(work, 'sqlite-reference');
  await cekrek(['migrate'], { DATA_DIR: referenceDir });
  const ref = await reference('sqlite', join(referenceDir, 'cekrek.db'), csv);
  console.log(`   sqlite: bare loop ${n(ref.rows / (ref.ms / 1000))} rows/s`);
  const target: Target = {
    name: 'sqlite',
    env: { DATA_DIR: join(work, 'sqlite-import') },
    dispose: () => Promise.resolve(),
  };
  await cekrek(['migrate'], target.env);
  const ms = await timedImport(csv, target.env);
  console.log(`   sqlite: cekrek import ${n(rows / (ms / 1000))} rows/s`);
  const size = sqliteSize(join(target.env.DATA_DIR!, 'cekrek.db'));
  const served = await servedWhileImporting(target, present, second, work);
  return result('sqlite', rows, ref, ms, size, served);
}

async function measurePostgres(
  work: string,
  csv: string,
  second: string,
  present: readonly AccountSample[],
  rows: number,
): Promise<ImportSpeed | undefined> {
  const referenceDb = await throwAwayDatabase('cekrek_import');
  if (!referenceDb) return undefined;
  let ref: { rows: number; ms: number };
  try {
    ref = await reference('postgres', referenceDb.url, csv);
    console.log(`   postgres: COPY ${n(ref.rows / (ref.ms / 1000))} rows/s`);
  } finally {
    await referenceDb.drop();
  }
  const mergeDb = await throwAwayDatabase('cekrek_import');
  if (!mergeDb) return undefined;
  let merge: { rows: number; ms: number };
  try {
    await cekrek(['migrate'], {
      DATA_DIR: join(work, 'postgres-merge'),
      DATABASE_URL: mergeDb.url,
      CEKREK_SECRET_KEY: randomBytes(32).toString('base64url'),
    });
    merge = await reference('postgres-merge', mergeDb.url, csv);
    console.log(`   postgres: bare SQL merge ${n(merge.rows / (merge.ms / 1000))} rows/s`);
  } finally {
    await mergeDb.drop();
  }
  const database = await throwAwayDatabase('cekrek_import');
  if (!database) return undefined;
  try {
    const target: Target = {
      name: 'postgres',
      env: {
        DATA_DIR: join(work, 'postgres-import'),
        DATABASE_URL: database.url,
        CEKREK_SECRET_KEY: randomBytes(32).toString('base64url'),
      },
      dispose: () => database.drop(),
    };
    await cekrek(['migrate'], target.env);
    const ms = await timedImport(csv, target.env);
    console.log(`   postgres: cekrek import ${n(rows / (ms / 1000))} rows/s`);
    const size = await postgresSize(database.url);
    const served = await servedWhileImporting(target, present, second, work);
    return {
      ...result('postgres', rows, ref, ms, size, served),
      mergeRowsPerSecond: merge.rows / (merge.ms / 1000),
    };
  } finally {
    await database.drop();
  }
}

function result(
  name: 'sqlite' | 'postgres',
  rows: number,
  ref: { rows: number; ms: number },
  ms: number,
  size: { listed: number; bytes: number; objects: readonly { name: string; bytes: number }[] },
  served: { idle: LoadResult; importing: LoadResult; ms: number },
): ImportSpeed {
  return {
    name,
    rows,
    referenceRowsPerSecond: ref.rows / (ref.ms / 1000),
    importRowsPerSecond: rows / (ms / 1000),
    bytesPerAccount: size.bytes / size.listed,
    listedAccounts: size.listed,
    objects: size.objects.slice(0, 8),
    idle: served.idle,
    importing: served.importing,
    besideRowsPerSecond: rows / (served.ms / 1000),
  };
}

const n = (value: number) => Math.round(value).toLocaleString('en');

export function importSpeedTable(results: readonly ImportSpeed[]): string {
  const lines = [
    '| database | rows | reference | reference rows/s | import rows/s | import/reference | bytes/listed account | check p99 idle | check p99 importing | import rows/s beside |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.name} | ${n(r.rows)} | ${r.name === 'sqlite' ? 'better-sqlite3 loop' : 'COPY'} | ${n(r.referenceRowsPerSecond)} | ${n(r.importRowsPerSecond)} | ${((100 * r.importRowsPerSecond) / r.referenceRowsPerSecond).toFixed(0)}% | ${n(r.bytesPerAccount)} | ${r.idle ? `${r.idle.p99} ms (${n(r.idle.requestsPerSecond)}/s)` : '-'} | ${r.importing ? `${r.importing.p99} ms (${n(r.importing.requestsPerSecond)}/s)` : '-'} | ${r.besideRowsPerSecond ? n(r.besideRowsPerSecond) : '-'} |`,
    );
  }
  for (const r of results) {
    if (r.mergeRowsPerSecond === undefined) continue;
    lines.push(
      `${r.name}: bare SQL merge into cekrek's tables ${n(r.mergeRowsPerSecond)} rows/s (${((100 * r.mergeRowsPerSecond) / r.referenceRowsPerSecond).toFixed(0)}% of COPY); the import runs at ${((100 * r.importRowsPerSecond) / r.mergeRowsPerSecond).toFixed(0)}% of it`,
    );
  }
  for (const r of results) {
    lines.push(
      `${r.name}: ${n(r.listedAccounts)} listed accounts; largest: ${r.objects.map((o) => `${o.name} ${(o.bytes / r.listedAccounts).toFixed(0)} B`).join(', ')}`,
    );
  }
  return lines.join('\n');
}

export async function measureImportSpeed(work: string, rows: number): Promise<ImportSpeed[]> {
  const csv = join(work, 'import-speed.csv');
  const second = join(work, 'import-speed-second.csv');
  const generated = await generateImportCsv(csv, rows);
  await generateImportCsv(second, rows, { seed: 9, sourcePrefix: 'second' });
  console.log(
    `\n== import speed: ${n(rows)} rows, against a bare loop (SQLite) and COPY (PostgreSQL)`,
  );
  const results = [await measureSqlite(work, csv, second, generated.present, rows)];
  const postgres = await measurePostgres(work, csv, second, generated.present, rows);
  if (postgres) results.push(postgres);
  return results;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cekrek-import-'));
  try {
    const results = await measureImportSpeed(
      work,
      Number(process.env.BENCH_IMPORT_ROWS ?? 200_000),
    );
    console.log(`\n${importSpeedTable(results)}`);
  } finally {
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await main();
}
