// How a process learns that other processes changed account summaries, so
// its check cache stays correct: LISTEN/NOTIFY on PostgreSQL, and on SQLite
// PRAGMA data_version (moves when another connection commits) followed by a
// read of the account_changes log.
import pg from 'pg';
import type SqliteDatabase from 'better-sqlite3';
import { accountChangeChannel } from './accounts.repository.ts';
import type { Database } from '../db/database.ts';

export interface ChangeListener {
  /** These accounts changed: forget what is cached of them. */
  changed(keys: readonly string[]): void;
  /** Changes may have been missed: rebuild everything. */
  lost(): void;
}

export interface ChangeFeed {
  start(listener: ChangeListener): Promise<void>;
  close(): Promise<void>;
}

interface Logger {
  warn(obj: object, msg: string): void;
}

export function changeFeedFor(database: Database, log: Logger): ChangeFeed {
  return database.dialect === 'sqlite'
    ? new SqliteChangeFeed(database.sqlite)
    : new PostgresChangeFeed(database.url, log);
}

const sqlitePollMs = 50;
const sqliteBatch = 10_000;
const sqliteRetentionMs = 60 * 60 * 1000;
const sqlitePruneEveryMs = 5 * 60 * 1000;

export class SqliteChangeFeed implements ChangeFeed {
  readonly #sqlite: SqliteDatabase.Database;
  #timer: NodeJS.Timeout | undefined;
  #lastSeq = 0;
  #dataVersion = -1;
  #lastPrune = 0;

  constructor(sqlite: SqliteDatabase.Database) {
    this.#sqlite = sqlite;
  }

  start(listener: ChangeListener): Promise<void> {
    const version = this.#sqlite.prepare('PRAGMA data_version').pluck();
    const bounds = this.#sqlite.prepare<[], { first: number | null; last: number | null }>(
      'SELECT min(seq) AS first, max(seq) AS last FROM account_changes',
    );
    const since = this.#sqlite.prepare<[number, number], { seq: number; key: string }>(
      'SELECT seq, key FROM account_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    const prune = this.#sqlite.prepare('DELETE FROM account_changes WHERE changed_at < ?');
    this.#lastSeq = bounds.get()?.last ?? 0;
    this.#dataVersion = version.get() as number;

    const poll = () => {
      const current = version.get() as number;
      if (current === this.#dataVersion) return;
      this.#dataVersion = current;
      const { first } = bounds.get() ?? { first: null };
      if (first !== null && first > this.#lastSeq + 1 && this.#lastSeq > 0) {
        // Entries we had not read were pruned: start over.
        this.#lastSeq = bounds.get()?.last ?? 0;
        listener.lost();
        return;
      }
      for (;;) {
        const rows = since.all(this.#lastSeq, sqliteBatch);
        if (rows.length === 0) break;
        this.#lastSeq = rows[rows.length - 1]!.seq;
        listener.changed(rows.map((r) => r.key));
        if (rows.length < sqliteBatch) break;
      }
    };
    const tick = () => {
      try {
        poll();
        const now = Date.now();
        if (now - this.#lastPrune > sqlitePruneEveryMs) {
          this.#lastPrune = now;
          prune.run(new Date(now - sqliteRetentionMs).toISOString());
        }
      } catch {
        // A busy database is retried on the next tick; losing track resets.
        listener.lost();
      }
    };
    this.#timer = setInterval(tick, sqlitePollMs);
    this.#timer.unref();
    return Promise.resolve();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return Promise.resolve();
  }
}

export class PostgresChangeFeed implements ChangeFeed {
  readonly #url: string;
  readonly #log: Logger;
  #client: pg.Client | undefined;
  #closed = false;
  #retryMs = 100;
  #listener: ChangeListener | undefined;

  constructor(url: string, log: Logger) {
    this.#url = url;
    this.#log = log;
  }

  async start(listener: ChangeListener): Promise<void> {
    this.#listener = listener;
    await this.#connect();
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('notification', (message) => {
      if (message.channel === accountChangeChannel && message.payload) {
        this.#listener?.changed(message.payload.split('\n'));
      }
    });
    client.on('error', (error) => this.#reconnectAfter(client, error));
    client.on('end', () => this.#reconnectAfter(client, new Error('connection ended')));
    await client.connect();
    await client.query(`LISTEN ${accountChangeChannel}`);
    this.#client = client;
    this.#retryMs = 100;
  }

  #reconnectAfter(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    this.#log.warn({ err: error.message }, 'account change feed lost; reconnecting');
    const retry = () => {
      if (this.#closed) return;
      this.#connect().then(
        () => this.#listener?.lost(),
        () => {
          this.#retryMs = Math.min(this.#retryMs * 2, 5000);
          setTimeout(retry, this.#retryMs).unref();
        },
      );
    };
    setTimeout(retry, this.#retryMs).unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }
}
