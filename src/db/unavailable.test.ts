// Which errors mean "the database cannot be reached now", from the drivers
// themselves: a refused port, a server that never answers, a locked or
// missing SQLite file. A constraint or a damaged file is not one of them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeUnavailable, isDatabaseUnavailable } from './unavailable.ts';

async function caught(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('isDatabaseUnavailable', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cekrek-unavailable-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows a refused PostgreSQL connection, also when wrapped', async () => {
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres' });
    const error = await caught(() => client.connect());
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(isDatabaseUnavailable(new Error('while filing', { cause: error }))).toBe(true);
    expect(describeUnavailable(error)).toMatch(/ECONNREFUSED/);
  });

  it("knows the pool's timeout on a server that never answers", async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket));
    const port = await listen(silent);
    const pool = new pg.Pool({ host: '127.0.0.1', port, connectionTimeoutMillis: 100 });
    try {
      expect(isDatabaseUnavailable(await caught(() => pool.query('select 1')))).toBe(true);
    } finally {
      await pool.end();
      for (const socket of held) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('knows the SQLSTATEs of a server going away, starting or out of resources', () => {
    for (const code of ['57P01', '57P02', '57P03', '57014', '08006', '08001', '53300']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code).toBe(true);
    }
    for (const code of ['23505', '40001', '22P02', '42P01']) {
      expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code })), code).toBe(false);
    }
  });

  it('knows a SQLite file locked by another connection beyond the busy timeout', async () => {
    const file = join(dir, 'locked.db');
    const holder = new SqliteDatabase(file);
    holder.pragma('journal_mode = WAL');
    holder.exec('create table t (x)');
    const waiter = new SqliteDatabase(file);
    waiter.pragma('busy_timeout = 10');
    try {
      holder.exec('begin immediate');
      const error = await caught(() => waiter.exec('insert into t values (1)'));
      expect((error as { code: string }).code).toMatch(/^SQLITE_BUSY/);
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      holder.exec('rollback');
      waiter.close();
      holder.close();
    }
  });

  it('knows a SQLite file that cannot be opened', async () => {
    // A directory where the file should be: what a volume mounted wrong looks like.
    const error = await caught(() => new SqliteDatabase(dir));
    expect((error as { code: string }).code).toMatch(/^SQLITE_CANTOPEN/);
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('leaves a constraint, a damaged file and a plain bug to be a 500', async () => {
    const sqlite = new SqliteDatabase(':memory:');
    sqlite.exec('create table t (x unique)');
    sqlite.exec('insert into t values (1)');
    expect(isDatabaseUnavailable(await caught(() => sqlite.exec('insert into t values (1)')))).toBe(
      false,
    );
    sqlite.close();
    const damaged = join(dir, 'damaged.db');
    writeFileSync(damaged, Buffer.alloc(4096, 7));
    const notADatabase = await caught(() => new SqliteDatabase(damaged).pragma('user_version'));
    expect((notADatabase as { code: string }).code).toBe('SQLITE_NOTADB');
    expect(isDatabaseUnavailable(notADatabase)).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
