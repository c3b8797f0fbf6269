// How a process learns that other processes changed account summaries, so
// its check cache stays correct: LISTEN/NOTIFY on PostgreSQL, and on SQLite
// PRAGMA data_version (moves when another connection commits) followed by a
// read of the account_changes log.
//
// A feed also says whether it is hearing: while it is not (its connection is
// down, its poll fails) the check's memory may be going stale, and the feed
// calls `resumed()` only once every change it missed is accounted for.
import type pg from 'pg';
import type SqliteDatabase from 'better-sqlite3';
import { accountChangeChannel } from './accounts.repository.ts';
import { pgDriver, type Database } from '../db/database.ts';
import { describeUnavailable } from '../db/unavailable.ts';

export interface ChangeListener {
  /** These accounts changed: forget what is cached of them. */
  changed(keys: readonly string[]): void;
  /** Changes may be happening unheard from now on. */
  interrupted(): void;
  /** Every change is heard again and none was missed. */
  resumed(): void;
  /** Changes may have been missed: read everything again; starts reading after the call. */
  rebuild(): Promise<void>;
}

/** One listener that tells each of `listeners`, in order (the check, then the range lookup). */
export function everyListener(...listeners: readonly ChangeListener[]): ChangeListener {
  return {
    changed: (keys) => listeners.forEach((l) => l.changed(keys)),
    interrupted: () => listeners.forEach((l) => l.interrupted()),
    resumed: () => listeners.forEach((l) => l.resumed()),
    rebuild: async () => {
      await Promise.all(listeners.map((l) => l.rebuild()));
    },
  };
}

export interface ChangeFeed {
  start(listener: ChangeListener): Promise<void>;
  close(): Promise<void>;
}

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export function changeFeedFor(database: Database, log: Logger): ChangeFeed {
  return database.dialect === 'sqlite'
    ? new SqliteChangeFeed(database.sqlite, log)
    : new PostgresChangeFeed(database.url, log, { connectTimeoutMs: database.connectTimeoutMs });
}

const sqlitePollMs = 50;
const sqliteBatch = 10_000;
const sqliteRetentionMs = 60 * 60 * 1000;
const sqlitePruneEveryMs = 5 * 60 * 1000;
/**
 * The oldest entries a prune looks at: the log is in time order, so a prune
 * reads this many rows by key at most, however long the log (an import of
 * ten million accounts logs ten million), and prunes again on the next tick
 * while it finds a full batch to delete.
 */
const sqlitePrunePerTick = 5_000;

/**
 * The first and last entry of the log, read at every poll that sees a write.
 * Two subqueries: SQLite answers a lone min() or max() from the key's ends,
 * but both in one select scan the whole log.
 */
export const sqliteLogBoundsSql =
  'SELECT (SELECT min(seq) FROM account_changes) AS first, ' +
  '(SELECT max(seq) FROM account_changes) AS last';

/**
 * The log is replayable: a poll that fails leaves `lastSeq` at the last entry
 * handed over, so the next good poll hands over what was missed. Only when
 * entries not yet read were pruned is a rebuild needed.
 */
export class SqliteChangeFeed implements ChangeFeed {
  readonly #sqlite: SqliteDatabase.Database;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #lastSeq = 0;
  #dataVersion = -1;
  #lastPrune = 0;
  #pruneMore = false;
  #pollFailing = false;
  #rebuildNeeded = false;
  #rebuilding = false;
  #hearing = true;

  constructor(sqlite: SqliteDatabase.Database, log: Logger) {
    this.#sqlite = sqlite;
    this.#log = log;
  }

  start(listener: ChangeListener): Promise<void> {
    const version = this.#sqlite.prepare('PRAGMA data_version').pluck();
    const bounds = this.#sqlite.prepare<[], { first: number | null; last: number | null }>(
      sqliteLogBoundsSql,
    );
    const since = this.#sqlite.prepare<[number, number], { seq: number; key: string }>(
      'SELECT seq, key FROM account_changes WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    const prune = this.#sqlite.prepare(
      'DELETE FROM account_changes WHERE seq IN (SELECT seq FROM (SELECT seq, changed_at ' +
        `FROM account_changes ORDER BY seq LIMIT ${sqlitePrunePerTick}) WHERE changed_at < ?)`,
    );
    this.#lastSeq = bounds.get()?.last ?? 0;
    this.#dataVersion = version.get() as number;

    const poll = () => {
      const current = version.get() as number;
      if (current === this.#dataVersion) return;
      const { first, last } = bounds.get() ?? { first: null, last: null };
      if (first !== null && first > this.#lastSeq + 1 && this.#lastSeq > 0) {
        // Entries we had not read were pruned: start over.
        this.#lastSeq = last ?? 0;
        this.#rebuildNeeded = true;
      } else {
        for (;;) {
          const rows = since.all(this.#lastSeq, sqliteBatch);
          if (rows.length === 0) break;
          this.#lastSeq = rows[rows.length - 1]!.seq;
          listener.changed(rows.map((r) => r.key));
          if (rows.length < sqliteBatch) break;
        }
      }
      // Only once the log was read: a poll that failed halfway is read again.
      this.#dataVersion = current;
    };
    const tick = () => {
      try {
        poll();
        const now = Date.now();
        if (this.#pruneMore || now - this.#lastPrune > sqlitePruneEveryMs) {
          this.#lastPrune = now;
          const { changes } = prune.run(new Date(now - sqliteRetentionMs).toISOString());
          this.#pruneMore = changes === sqlitePrunePerTick;
        }
        this.#pollRecovered();
      } catch (error) {
        this.#pollFailed(error);
      }
      if (this.#rebuildNeeded && !this.#rebuilding) this.#rebuild(listener);
      this.#report(listener);
    };
    this.#timer = setInterval(tick, sqlitePollMs);
    this.#timer.unref();
    return Promise.resolve();
  }

  #pollFailed(error: unknown): void {
    if (this.#pollFailing) return;
    this.#pollFailing = true;
    this.#log.warn({ err: describeUnavailable(error) }, 'account change log unreadable; retrying');
  }

  #pollRecovered(): void {
    if (!this.#pollFailing) return;
    this.#pollFailing = false;
    this.#log.info({}, 'account change log readable again');
  }

  #rebuild(listener: ChangeListener): void {
    this.#rebuildNeeded = false;
    this.#rebuilding = true;
    listener.rebuild().then(
      () => {
        this.#rebuilding = false;
      },
      (error: unknown) => {
        this.#rebuilding = false;
        this.#rebuildNeeded = true;
        this.#log.warn({ err: describeUnavailable(error) }, 'check rebuild failed; retrying');
      },
    );
  }

  /** Tells the listener when hearing stops or starts again (level, not edge: checked every tick). */
  #report(listener: ChangeListener): void {
    const hearing = !this.#pollFailing && !this.#rebuildNeeded && !this.#rebuilding;
    if (hearing === this.#hearing) return;
    this.#hearing = hearing;
    if (hearing) listener.resumed();
    else listener.interrupted();
  }

  close(): Promise<void> {
    clearInterval(this.#timer);
    return Promise.resolve();
  }
}

export interface PostgresChangeFeedOptions {
  /** Bound on (re)connecting, like the pool's. */
  readonly connectTimeoutMs: number;
  /**
   * How often the connection is asked to answer: a connection cut without
   * being closed (a network partition) delivers nothing and reports nothing.
   */
  readonly heartbeatMs?: number;
}

const firstRetryMs = 100;
const lastRetryMs = 5000;
const defaultHeartbeatMs = 2000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * A missed NOTIFY is gone for good: after a reconnect, the listener reads
 * everything again (rebuild), and only then is told it may trust its memory.
 * LISTEN is issued before that read, so a change is either in the read or
 * announced after it.
 */
export class PostgresChangeFeed implements ChangeFeed {
  readonly #url: string;
  readonly #log: Logger;
  readonly #connectTimeoutMs: number;
  readonly #heartbeatMs: number;
  #client: pg.Client | undefined;
  #closed = false;
  #retryMs = firstRetryMs;
  #listener: ChangeListener | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #beating = false;

  constructor(url: string, log: Logger, options: PostgresChangeFeedOptions) {
    this.#url = url;
    this.#log = log;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    this.#heartbeatMs = options.heartbeatMs ?? defaultHeartbeatMs;
  }

  async start(listener: ChangeListener): Promise<void> {
    this.#listener = listener;
    this.#client = await this.#open();
    this.#heartbeat = setInterval(() => this.#beat(), this.#heartbeatMs);
    this.#heartbeat.unref();
  }

  async #open(): Promise<pg.Client> {
    const client = new (pgDriver().Client)({
      connectionString: this.#url,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      query_timeout: this.#heartbeatMs,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel === accountChangeChannel && message.payload) {
        this.#listener?.changed(message.payload.split('\n'));
      }
    });
    client.on('error', (error) => this.#dropped(client, error));
    client.on('end', () => this.#dropped(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${accountChangeChannel}`);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    return client;
  }

  #beat(): void {
    const client = this.#client;
    if (!client || this.#beating) return;
    this.#beating = true;
    client
      .query('SELECT 1')
      .catch((error: Error) => this.#dropped(client, error))
      .finally(() => {
        this.#beating = false;
      });
  }

  #dropped(client: pg.Client, error: Error): void {
    if (this.#closed || this.#client !== client) return;
    this.#client = undefined;
    // A connection that stopped answering is let go, not waited for.
    void client.end().catch(() => undefined);
    this.#log.warn({ err: describeUnavailable(error) }, 'account change feed lost; reconnecting');
    this.#listener?.interrupted();
    this.#reconnectLater();
  }

  #reconnectLater(): void {
    setTimeout(() => void this.#reconnect(), this.#retryMs).unref();
  }

  async #reconnect(): Promise<void> {
    if (this.#closed) return;
    let client: pg.Client;
    try {
      client = await this.#open();
    } catch {
      this.#retryMs = Math.min(this.#retryMs * 2, lastRetryMs);
      this.#reconnectLater();
      return;
    }
    if (this.#closed) {
      void client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
    this.#retryMs = firstRetryMs;
    await this.#catchUp(client);
  }

  /** Rebuilds until it succeeds or this connection is lost too (the next one catches up then). */
  async #catchUp(client: pg.Client): Promise<void> {
    let delayMs = firstRetryMs;
    while (!this.#closed && this.#client === client) {
      try {
        await this.#listener?.rebuild();
        if (this.#closed || this.#client !== client) return;
        this.#log.info({}, 'account change feed back and caught up');
        this.#listener?.resumed();
        return;
      } catch (error) {
        this.#log.warn({ err: describeUnavailable(error) }, 'check rebuild failed; retrying');
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, lastRetryMs);
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = undefined;
    // A connection that stopped answering never says goodbye: do not wait for it.
    await Promise.race([client?.end().catch(() => undefined), sleep(this.#connectTimeoutMs)]);
  }
}
