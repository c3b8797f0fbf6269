// Opens the database the configuration names: embedded SQLite (default) or
// PostgreSQL. Both are driven through the same Kysely queries; the raw driver
// handles are kept for the check's prepared statements (the hot path).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type pg from 'pg';
import { lazyRequire } from '../shared/lazy-require.ts';
import {
  Kysely,
  PostgresDialect,
  type Transaction,
  SqliteDialect,
  type SqliteDatabase as KyselySqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import type { DB } from './schema.ts';

export type DialectName = 'sqlite' | 'postgres';

/** What a query runs on: the database itself, or a transaction a caller opened. */
export type Executor = Kysely<DB> | Transaction<DB>;

export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly file: string }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      readonly poolSize?: number;
      /** Wait for a connection, new or free in the pool; then the query fails (answered 503). */
      readonly connectTimeoutMs?: number;
      /**
       * statement_timeout of every connection, and a slightly longer read
       * timeout on the client for a server that cannot even answer the
       * cancellation (a cut network). Unset for the command line: an import
       * or a migration may take long.
       */
      readonly queryTimeoutMs?: number;
      readonly onIdleError?: (error: Error) => void;
    };

interface DatabaseBase {
  readonly db: Kysely<DB>;
  close(): Promise<void>;
}

export interface SqliteHandle extends DatabaseBase {
  readonly dialect: 'sqlite';
  readonly sqlite: SqliteDatabase.Database;
  readonly file: string;
}

export interface PostgresHandle extends DatabaseBase {
  readonly dialect: 'postgres';
  readonly pool: pg.Pool;
  readonly url: string;
  /** For connections opened beside the pool (the change feed's). */
  readonly connectTimeoutMs: number;
}

export type Database = SqliteHandle | PostgresHandle;

/** better-sqlite3 binds neither Date nor boolean; store them as ISO text and 0/1. */
function toSqliteParameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

function sqliteParameters(parameters: readonly unknown[]): unknown[] {
  return parameters.map(toSqliteParameter);
}

/**
 * Transactions take the write lock at BEGIN. With a deferred BEGIN, a
 * transaction that reads and then writes fails with SQLITE_BUSY_SNAPSHOT when
 * another process (an import, the command line) committed in between; an
 * immediate one waits its turn (busy_timeout) instead.
 */
function immediate(sql: string): string {
  return /^begin$/i.test(sql.trim()) ? 'begin immediate' : sql;
}

function adaptSqlite(sqlite: SqliteDatabase.Database): KyselySqliteDatabase {
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      const statement = sqlite.prepare(immediate(sql));
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(...sqliteParameters(parameters)),
        run: (parameters) => {
          const result = statement.run(...sqliteParameters(parameters));
          return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
        },
        iterate: (parameters) => statement.iterate(...sqliteParameters(parameters)),
      };
    },
  };
}

export function openSqlite(file: string): SqliteDatabase.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Freed space is overwritten with zeros: a deleted or replaced row (an
  // emptied mail job, a value sealed later) leaves nothing readable behind.
  sqlite.pragma('secure_delete = ON');
  // Other processes (an import, the command line) write to the same file.
  sqlite.pragma('busy_timeout = 10000');
  return sqlite;
}

const int8 = 20;

function ignoreCheckedOutError(): void {
  // The statement that meets the dead connection reports it.
}

/** The PostgreSQL driver, loaded only by a process that uses PostgreSQL. */
export const pgDriver = lazyRequire<typeof pg>('pg');

/** Without a bound, a connection to an unreachable server waits for the kernel's TCP timeout (minutes). */
export const defaultConnectTimeoutMs = 5000;
/** Room for the server's own statement_timeout error to arrive before the client gives up. */
const readTimeoutMarginMs = 2000;

function timeoutOptions(target: { connectTimeoutMs?: number; queryTimeoutMs?: number }) {
  const options: pg.PoolConfig = {
    connectionTimeoutMillis: target.connectTimeoutMs ?? defaultConnectTimeoutMs,
    // A peer that vanished without closing is noticed by TCP keep-alive, not never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
  if (target.queryTimeoutMs !== undefined) {
    options.statement_timeout = target.queryTimeoutMs;
    options.query_timeout = target.queryTimeoutMs + readTimeoutMarginMs;
  }
  return options;
}

export function openDatabase(target: DatabaseTarget): Database {
  if (target.kind === 'sqlite') {
    const sqlite = openSqlite(target.file);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: adaptSqlite(sqlite) }) });
    return {
      dialect: 'sqlite',
      db,
      sqlite,
      file: target.file,
      close: () => db.destroy(),
    };
  }
  const driver = pgDriver();
  const pool = new driver.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    ...timeoutOptions(target),
    // Row ids are bigint; they stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === int8
          ? Number
          : (driver.types.getTypeParser(oid, format) as (
              value: string,
            ) => unknown)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection that dies (a server restart, a failover) is dropped by
  // the pool and replaced on next use; without a listener it would crash the process.
  pool.on('error', (error) => target.onIdleError?.(error));
  // The pool listens only to idle connections. One that dies while checked out
  // (between two statements of a transaction) would emit 'error' unheard,
  // which crashes the process; its next statement fails instead, and the pool
  // drops it when it is released.
  pool.on('connect', (client) => client.on('error', ignoreCheckedOutError));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    pool,
    url: target.url,
    connectTimeoutMs: target.connectTimeoutMs ?? defaultConnectTimeoutMs,
    close: () => db.destroy(),
  };
}
