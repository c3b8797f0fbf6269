// `cekrek backup FILE`: a consistent copy of the embedded database while the
// server keeps running, through SQLite's online backup. The server runs in
// WAL mode, so the copy's read snapshot never blocks its writers; copying in
// one step after the first keeps a busy server's writes from restarting the
// copy over and over. The copy goes to FILE.partial and is renamed only when
// whole, so FILE is never half a database.
import { existsSync, renameSync, rmSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import type { Database } from './database.ts';

export interface BackupOutcome {
  readonly file: string;
  readonly pages: number;
  readonly bytes: number;
}

export class BackupRefused extends Error {}

/** Pages copied per step once the first step is done: in effect, all that are left. */
const remainingPages = 2 ** 30;

export async function backupDatabase(database: Database, file: string): Promise<BackupOutcome> {
  if (database.dialect !== 'sqlite') {
    throw new BackupRefused(
      'cekrek backup copies the embedded database; for PostgreSQL use pg_dump or continuous archiving (see the README)',
    );
  }
  if (existsSync(file)) throw new BackupRefused(`${file} exists: choose a new file name`);
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  try {
    const { totalPages } = await database.sqlite.backup(partial, {
      progress: () => remainingPages,
    });
    const copy = new SqliteDatabase(partial, { fileMustExist: true });
    let pageSize: number;
    try {
      // One file, with nothing beside it to forget: the server turns WAL on again when it opens it.
      copy.pragma('journal_mode = DELETE');
      pageSize = Number(copy.pragma('page_size', { simple: true }));
    } finally {
      copy.close();
    }
    renameSync(partial, file);
    return { file, pages: totalPages, bytes: totalPages * pageSize };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
