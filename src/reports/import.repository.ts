// The SQL of the bulk import's batches: the accounts a batch names (created
// with the summary its reports give them, or found) and its reports (skipped
// when their source id is stored). Two ways in, one per database, each the
// fastest that database has:
// - SQLite: statements prepared once per import and run row by row in the
//   batch's transaction. better-sqlite3 runs a prepared statement in about a
//   microsecond, where one bulk statement per 10,000 rows spent more time
//   building and parsing its JSON parameter than writing the rows.
// - PostgreSQL: the batch is COPYed into temporary tables and merged with a
//   few set-based statements (INSERT … SELECT … ON CONFLICT), on one
//   connection held for the whole import.
import type { PoolClient } from 'pg';
import { PostgresDialect, Kysely, sql, type Transaction } from 'kysely';
import { from as copyFrom } from 'pg-copy-streams';
import type { Statement } from 'better-sqlite3';
import type { DB } from '../db/schema.ts';
import type { Database, Executor } from '../db/database.ts';
import type { ImportAttribution } from './reports.repository.ts';

/** A new account's starting summary, from the reports of one batch. */
export interface StagedAccount {
  readonly provider: string;
  readonly number: string;
  readonly key: string;
  readonly keyHash: string;
  readonly count: number;
  /** JSON object of counts per category. */
  readonly categoryCounts: string;
  /** ISO-8601 UTC. */
  readonly first: string;
  readonly last: string;
}

export interface StagedReport {
  readonly key: string;
  readonly category: string;
  readonly sourceId: string;
  /** Sealed already. */
  readonly holderName: string | null;
  /** ISO-8601 UTC. */
  readonly reportedAt: string;
}

export interface BatchWrites {
  /** Accounts created by this batch: id → key and how many reports their summary counts. */
  readonly created: Map<number, { readonly key: string; readonly reports: number }>;
  /** The account id of every report inserted. */
  readonly inserted: number[];
}

/** Writes one batch inside the caller's transaction. */
export interface ImportWriter {
  /** The transaction a batch runs in: its statements, and the caller's (summaries, events). */
  transaction<T>(work: (trx: Executor) => Promise<T>): Promise<T>;
  writeBatch(
    trx: Executor,
    accounts: readonly StagedAccount[],
    reports: readonly StagedReport[],
  ): Promise<BatchWrites>;
  close(): Promise<void>;
}

interface WriterContext {
  readonly now: Date;
  readonly attribution: ImportAttribution | undefined;
}

function sourceOf(attribution: ImportAttribution | undefined): 'partner' | 'import' {
  return attribution ? 'partner' : 'import';
}

interface SqliteStatements {
  readonly createAccount: Statement;
  readonly findAccount: Statement;
  readonly insertReport: Statement;
}

function prepareSqlite(database: Extract<Database, { dialect: 'sqlite' }>): SqliteStatements {
  const { sqlite } = database;
  return {
    createAccount: sqlite
      .prepare(
        `insert into accounts (provider, number, key, key_hash, demo, created_at, updated_at,
                               verified_count, category_counts, first_reported_at, last_reported_at)
         values (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)
         on conflict (key) do nothing
         returning id`,
      )
      .pluck(),
    findAccount: sqlite.prepare('select id from accounts where key = ?').pluck(),
    insertReport: sqlite.prepare(
      `insert into reports (account_id, status, category, source, source_id, holder_name,
                            reported_at, verified_at, created_at, updated_at, partner_id, import_id)
       values (?, 'verified', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (source, source_id) do nothing`,
    ),
  };
}

/**
 * SQLite: the batch's transaction is Kysely's (it holds the one connection),
 * and the prepared statements run on that same connection inside it.
 */
function sqliteWriter(
  database: Extract<Database, { dialect: 'sqlite' }>,
  context: WriterContext,
): ImportWriter {
  const statements = prepareSqlite(database);
  const now = context.now.toISOString();
  const source = sourceOf(context.attribution);
  const partnerId = context.attribution?.partnerId ?? null;
  const importId = context.attribution?.importId ?? null;
  return {
    transaction: (work) => database.db.transaction().execute(work),
    writeBatch(_trx, accounts, reports) {
      const ids = new Map<string, number>();
      const created = new Map<number, { key: string; reports: number }>();
      for (const a of accounts) {
        let id = statements.createAccount.get(
          a.provider,
          a.number,
          a.key,
          a.keyHash,
          now,
          now,
          a.count,
          a.categoryCounts,
          a.first,
          a.last,
        ) as number | undefined;
        if (id === undefined) id = statements.findAccount.get(a.key) as number;
        else created.set(id, { key: a.key, reports: a.count });
        ids.set(a.key, id);
      }
      const inserted: number[] = [];
      for (const r of reports) {
        const accountId = ids.get(r.key)!;
        const { changes } = statements.insertReport.run(
          accountId,
          r.category,
          source,
          r.sourceId,
          r.holderName,
          r.reportedAt,
          now,
          now,
          now,
          partnerId,
          importId,
        );
        if (changes > 0) inserted.push(accountId);
      }
      return Promise.resolve({ created, inserted });
    },
    close: () => Promise.resolve(),
  };
}

/** COPY text format: backslash, tab and line ends escaped, null as \N. */
function copyField(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/[\\\t\n\r]/g, (c) =>
        c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
      )
    : value;
}

async function copyInto(client: PoolClient, table: string, lines: Iterable<string>): Promise<void> {
  const stream = client.query(copyFrom(`copy ${table} from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let text = '';
  for (const line of lines) {
    text += line;
    if (text.length > 1 << 16) {
      if (!stream.write(text)) await new Promise((r) => stream.once('drain', r));
      text = '';
    }
  }
  stream.end(text);
  await done;
}

function* accountLines(accounts: readonly StagedAccount[]): Generator<string> {
  for (const a of accounts) {
    yield `${copyField(a.provider)}\t${copyField(a.number)}\t${copyField(a.key)}\t${a.keyHash}\t${a.count}\t${copyField(a.categoryCounts)}\t${a.first}\t${a.last}\n`;
  }
}

function* reportLines(reports: readonly StagedReport[]): Generator<string> {
  for (const r of reports) {
    yield `${copyField(r.key)}\t${r.category}\t${copyField(r.sourceId)}\t${copyField(r.holderName)}\t${r.reportedAt}\n`;
  }
}

/** A Kysely on one checked-out client: the import's statements and the shared repositories' run on the session that holds the staging tables. */
function kyselyOn(client: PoolClient): Kysely<DB> {
  // Kysely releases its connection after each use: this one stays checked out until the import closes it.
  const held = {
    query: (...args: Parameters<PoolClient['query']>) => client.query(...args),
    release: () => undefined,
  };
  const pool = { connect: () => Promise.resolve(held), end: () => Promise.resolve() };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as never }) });
}

/**
 * PostgreSQL: one pool connection for the whole import, with two temporary
 * tables emptied at every commit. Each batch: COPY into them, then the
 * accounts not stored yet are created in one statement, and the reports in
 * another that finds each account by its key. That lookup is a subquery per
 * row, not a join: the temporary tables have no statistics, and a join may
 * be planned as a hash of every stored account, a scan that grows with the
 * table where an index probe per report stays constant.
 */
async function postgresWriter(
  database: Extract<Database, { dialect: 'postgres' }>,
  context: WriterContext,
): Promise<ImportWriter> {
  const client = await database.pool.connect();
  const db = kyselyOn(client);
  try {
    await sql`create temporary table if not exists import_accounts (
        provider text, number text, key text, key_hash text, verified_count integer,
        category_counts text, first_reported_at timestamptz, last_reported_at timestamptz
      ) on commit delete rows`.execute(db);
    await sql`create temporary table if not exists import_reports (
        key text, category text, source_id text, holder_name text, reported_at timestamptz
      ) on commit delete rows`.execute(db);
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  const { now, attribution } = context;
  const source = sourceOf(attribution);
  const partnerId = attribution?.partnerId ?? null;
  const importId = attribution?.importId ?? null;
  return {
    transaction: (work) => db.transaction().execute((trx: Transaction<DB>) => work(trx)),
    async writeBatch(trx, accounts, reports) {
      await copyInto(client, 'import_accounts', accountLines(accounts));
      await copyInto(client, 'import_reports', reportLines(reports));
      const made = await sql<{ id: string; key: string; verified_count: number }>`
        insert into accounts (provider, number, key, key_hash, demo, created_at, updated_at,
                              verified_count, category_counts, first_reported_at, last_reported_at)
        select provider, number, key, key_hash, false, ${now}, ${now},
               verified_count, category_counts, first_reported_at, last_reported_at
        from import_accounts
        on conflict (key) do nothing
        returning id, key, verified_count`.execute(trx);
      const created = new Map<number, { key: string; reports: number }>();
      for (const row of made.rows) {
        created.set(Number(row.id), { key: row.key, reports: Number(row.verified_count) });
      }
      const stored = await sql<{ account_id: string }>`
        insert into reports (account_id, status, category, source, source_id, holder_name,
                             reported_at, verified_at, created_at, updated_at, partner_id, import_id)
        select (select a.id from accounts a where a.key = r.key), 'verified', r.category,
               ${source}, r.source_id, r.holder_name,
               r.reported_at, ${now}, ${now}, ${now}, ${partnerId}, ${importId}
        from import_reports r
        on conflict (source, source_id) do nothing
        returning account_id`.execute(trx);
      return { created, inserted: stored.rows.map((row) => Number(row.account_id)) };
    },
    async close() {
      try {
        await sql`drop table if exists import_accounts, import_reports`.execute(db);
        client.release();
      } catch (error) {
        client.release(error as Error);
      }
    },
  };
}

/** The writer for this database; close it when the import ends, however it ends. */
export function openImportWriter(
  database: Database,
  now: Date,
  attribution?: ImportAttribution,
): Promise<ImportWriter> {
  const context = { now, attribution };
  return database.dialect === 'sqlite'
    ? Promise.resolve(sqliteWriter(database, context))
    : postgresWriter(database, context);
}
