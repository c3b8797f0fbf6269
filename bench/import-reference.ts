// What the import is measured against: the least a program must do to put
// the same file into each database, in a process of its own like the import.
// Prints one JSON line { rows, ms }.
//
//   node bin/run-ts.js bench/import-reference.ts sqlite FILE.db FILE.csv
//     A bare better-sqlite3 loop over the file, on a database migrated by
//     cekrek (same tables, indexes and pragmas): each row upserts its account
//     (key as written, its key hash) and inserts its report, skipping a
//     stored source id; a transaction per 50,000 rows.
//   node bin/run-ts.js bench/import-reference.ts postgres URL FILE.csv
//     A plain COPY of the file into a table of its columns with the import's
//     unique key (source_id).
//   node bin/run-ts.js bench/import-reference.ts postgres-merge URL FILE.csv
//     The least that puts the same rows into cekrek's own tables, on a
//     database migrated by cekrek: the file COPYed into a staging table, then
//     per 50,000 rows one statement upserting their accounts (key as written,
//     its hash, their count) and one inserting their reports, skipping a
//     stored source id. What the tables' indexes cost, without cekrek's code.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openSqlite } from '../src/db/database.ts';
import { readCsvRecords } from '../src/shared/csv-records.ts';

const transactionRows = 50_000;

async function sqliteReference(file: string, csv: string): Promise<number> {
  const db = openSqlite(file);
  const upsertAccount = db
    .prepare(
      `insert into accounts (provider, number, key, key_hash, created_at, updated_at,
                             verified_count, category_counts, first_reported_at, last_reported_at)
       values (?, ?, ?, ?, ?, ?, 1, '{}', ?, ?)
       on conflict (key) do update set verified_count = verified_count + 1
       returning id`,
    )
    .pluck();
  const insertReport = db.prepare(
    `insert into reports (account_id, status, category, source, source_id, holder_name,
                          reported_at, verified_at, created_at, updated_at)
     values (?, 'verified', ?, 'import', ?, ?, ?, ?, ?, ?)
     on conflict (source, source_id) do nothing`,
  );
  const now = new Date().toISOString();
  let rows = 0;
  let header = true;
  db.exec('begin');
  for await (const { fields } of readCsvRecords(createReadStream(csv), {
    maxRecordSize: 16 * 1024,
  })) {
    if (header) {
      header = false;
      continue;
    }
    const [sourceId, provider, number, category, reportedAt, holderName] = fields;
    const key = `${provider}:${number}`;
    const hash = createHash('sha256').update(key).digest('hex');
    const id = upsertAccount.get(provider, number, key, hash, now, now, reportedAt, reportedAt);
    insertReport.run(id, category, sourceId, holderName || null, reportedAt, now, now, now);
    if (++rows % transactionRows === 0) {
      db.exec('commit');
      db.exec('begin');
    }
  }
  db.exec('commit');
  db.close();
  return rows;
}

async function postgresReference(url: string, csv: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create table reference_reports (
      source_id text not null unique, provider text not null, number text not null,
      category text not null, reported_at text not null, holder_name text)`);
    const copy = client.query(
      copyFrom('copy reference_reports from stdin with (format csv, header true)'),
    );
    await pipeline(createReadStream(csv), copy);
    return Number(copy.rowCount);
  } finally {
    await client.end();
  }
}

async function postgresMergeReference(url: string, csv: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create temporary table reference_staging (
      source_id text, provider text, number text, category text, reported_at text,
      holder_name text, n bigint generated always as identity)`);
    const copy = client.query(
      copyFrom(`copy reference_staging (source_id, provider, number, category, reported_at,
        holder_name) from stdin with (format csv, header true)`),
    );
    await pipeline(createReadStream(csv), copy);
    const rows = Number(copy.rowCount);
    const now = new Date().toISOString();
    for (let first = 1; first <= rows; first += transactionRows) {
      const slice = [first, first + transactionRows];
      await client.query('begin');
      await client.query(
        `insert into accounts (provider, number, key, key_hash, created_at, updated_at,
                               verified_count, category_counts, first_reported_at, last_reported_at)
         select provider, number, key, encode(sha256(convert_to(key, 'UTF8')), 'hex'), $3, $3,
                count(*), '{}', min(reported_at::timestamptz), max(reported_at::timestamptz)
         from (select *, provider || ':' || number as key from reference_staging
               where n >= $1 and n < $2) s
         group by provider, number, key
         on conflict (key) do update set verified_count = accounts.verified_count + excluded.verified_count`,
        [...slice, now],
      );
      await client.query(
        `insert into reports (account_id, status, category, source, source_id, holder_name,
                              reported_at, verified_at, created_at, updated_at)
         select a.id, 'verified', s.category, 'import', s.source_id, nullif(s.holder_name, ''),
                s.reported_at::timestamptz, $3, $3, $3
         from reference_staging s join accounts a on a.key = s.provider || ':' || s.number
         where s.n >= $1 and s.n < $2
         on conflict (source, source_id) do nothing`,
        [...slice, now],
      );
      await client.query('commit');
    }
    return rows;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const [kind, target, csv] = process.argv.slice(2);
  if (!kind || !target || !csv) {
    throw new Error(
      'usage: bench/import-reference.ts sqlite|postgres|postgres-merge FILE.db|URL FILE.csv',
    );
  }
  const began = performance.now();
  const rows =
    kind === 'sqlite'
      ? await sqliteReference(target, csv)
      : kind === 'postgres'
        ? await postgresReference(target, csv)
        : await postgresMergeReference(target, csv);
  console.log(JSON.stringify({ rows, ms: performance.now() - began }));
}

await main();
