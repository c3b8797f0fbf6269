// How a process learns that another one issued, rolled or revoked a key, so
// its in-memory keys stay current: LISTEN/NOTIFY on PostgreSQL; on SQLite,
// PRAGMA data_version (moves when another connection commits) and then the
// keys' revision in `meta`. While a feed is not hearing, the service reads
// keys from the database instead of trusting its memory.
import type pg from 'pg';
import type SqliteDatabase from 'better-sqlite3';
import { pgDriver, type Database } from '../db/database.ts';
import { describeUnavailable } from '../db/unavailable.ts';
import { partnerKeyChannel } from './partners.repository.ts';

export interface KeyChangeListener {
  /** Keys changed somewhere: read them again. */
  reload(): Promise<void>;
  /** Changes may go unheard from now on: do not trust memory. */
  interrupted(): void;
  /** Every change is heard again and memory was reloaded after the gap. */
  resumed(): void;
}

export interface KeyFeed {
  start(listener: KeyChangeListener): Promise<void>;
  close(): Promise<void>;
}

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export function keyFeedFor(database: Database, log: Logger): KeyFeed {
  return database.dialect === 'sqlite'
    ? new SqliteKeyFeed(database.sqlite, log)
    : new PostgresKeyFeed(database.url, database.connectTimeoutMs, log);
}

const sqlitePollMs = 50;

export class SqliteKeyFeed implements KeyFeed {
  readonly #sqlite: SqliteDatabase.Database;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;
  #busy = false;

  constructor(sqlite: SqliteDatabase.Database, log: Logger) {
    this.#sqlite = sqlite;
    this.#log = log;
  }

  start(listener: KeyChangeListener): Promise<void> {
    const version = this.#sqlite.prepare('PRAGMA data_version').pluck();
    const revision = this.#sqlite
      .prepare("SELECT value FROM meta WHERE key = 'partner_keys.revision'")
      .pluck();
    let seenVersion = version.get() as number;
    let seenRevision = revision.get() as string | undefined;
    const tick = async () => {
      const current = version.get() as number;
      if (current === seenVersion && !this.#failing) return;
      const now = revision.get() as string | undefined;
      if (now !== seenRevision || this.#failing) await listener.reload();
      seenVersion = current;
      seenRevision = now;
    };
    this.#timer = setInterval(() => {
      if (this.#busy) return;
      this.#busy = true;
      tick()
        .then(() => this.#recovered(listener))
        .catch((error: unknown) => this.#failed(listener, error))
        .finally(() => {
          this.#busy = false;
        });
    }, sqlitePollMs);
    this.#timer.unref();
    return Promise.resolve();
  }

  #failed(listener: KeyChangeListener, error: unknown): void {
    if (this.#failing) return;
    this.#failing = true;
    this.#log.warn({ err: describeUnavailable(error) }, 'partner key changes unreadable; retrying');
    listener.interrupted();
  }

  #recovered(listener: KeyChangeListener): void {
    if (!this.#failing) return;
    this.#failing = false;
    this.#log.info({}, 'partner key changes readable again');
    listener.resumed();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return Promise.resolve();
  }
}

const firstRetryMs = 100;
const lastRetryMs = 5000;
const heartbeatMs = 2000;

/** A missed NOTIFY is gone: after a reconnect the listener reloads, and only then trusts memory. */
export class PostgresKeyFeed implements KeyFeed {
  readonly #url: string;
  readonly #connectTimeoutMs: number;
  readonly #log: Logger;
  #client: pg.Client | undefined;
  #listener: KeyChangeListener | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #retryMs = firstRetryMs;
  #closed = false;

  constructor(url: string, connectTimeoutMs: number, log: Logger) {
    this.#url = url;
    this.#connectTimeoutMs = connectTimeoutMs;
    this.#log = log;
  }

  async start(listener: KeyChangeListener): Promise<void> {
    this.#listener = listener;
    this.#client = await this.#open();
    this.#heartbeat = setInterval(() => {
      const client = this.#client;
      client?.query('SELECT 1').catch((error: Error) => this.#dropped(client, error));
    }, heartbeatMs);
    this.#heartbeat.unref();
  }

  async #open(): Promise<pg.Client> {
    const client = new (pgDriver().Client)({
      connectionString: this.#url,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      query_timeout: heartbeatMs,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel !== partnerKeyChannel) return;
      this.#listener?.reload().catch((error: unknown) => this.#dropped(client, toError(error)));
    });
    client.on('error', (error) => this.#dropped(client, error));
    client.on('end', () => this.#dropped(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${partnerKeyChannel}`);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  #dropped(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    this.#log.warn({ err: describeUnavailable(error) }, 'partner key feed lost; reconnecting');
    this.#listener?.interrupted();
    this.#reconnectLater();
  }

  #reconnectLater(): void {
    setTimeout(() => void this.#reconnect(), this.#retryMs).unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    try {
      const client = await this.#open();
      if (this.#closed) {
        void client.end().catch(() => undefined);
        return;
      }
      this.#client = client;
      // LISTEN came first: a change is either in this reload or announced after it.
      await this.#listener?.reload();
      this.#retryMs = firstRetryMs;
      this.#log.info({}, 'partner key feed back and caught up');
      this.#listener?.resumed();
    } catch {
      this.#retryMs = Math.min(this.#retryMs * 2, lastRetryMs);
      const client = this.#client;
      this.#client = undefined;
      void client?.end().catch(() => undefined);
      this.#reconnectLater();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    await Promise.race([
      client?.end().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, this.#connectTimeoutMs).unref()),
    ]);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
