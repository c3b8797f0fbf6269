// The SQL of stored files: their rows, written in the submitting transaction.
import type { Selectable } from 'kysely';
import type { Executor } from '../db/database.ts';
import { toDate, type FileMime, type FilesTable } from '../db/schema.ts';

export type FileOwnerKind = 'report' | 'registration' | 'normalization';

export interface FileRecord {
  readonly id: string;
  readonly ownerKind: FileOwnerKind;
  readonly ownerId: number | null;
  readonly field: string;
  readonly position: number;
  readonly mime: FileMime;
  readonly size: number;
  readonly sha256: string;
  readonly originalName: string | null;
  readonly sensitive: boolean;
  readonly createdAt: Date;
}

/** Both databases accept this many bound values in one statement with room to spare. */
const idsPerQuery = 500;

function rowToFile(row: Selectable<FilesTable>): FileRecord {
  return {
    id: row.id,
    ownerKind: row.owner_kind as FileOwnerKind,
    ownerId: row.owner_id === null ? null : Number(row.owner_id),
    field: row.field,
    position: row.position,
    mime: row.mime,
    size: Number(row.size),
    sha256: row.sha256,
    originalName: row.original_name,
    sensitive: Boolean(row.sensitive),
    createdAt: toDate(row.created_at),
  };
}

export async function insertFileRows(db: Executor, files: readonly FileRecord[]): Promise<void> {
  if (files.length === 0) return;
  await db
    .insertInto('files')
    .values(
      files.map((f) => ({
        id: f.id,
        owner_kind: f.ownerKind,
        owner_id: f.ownerId,
        field: f.field,
        position: f.position,
        mime: f.mime,
        size: f.size,
        sha256: f.sha256,
        original_name: f.originalName,
        sensitive: f.sensitive,
        created_at: f.createdAt,
      })),
    )
    .execute();
}

export async function findFile(db: Executor, id: string): Promise<FileRecord | undefined> {
  const row = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  return row && rowToFile(row);
}

export async function listFilesOf(
  db: Executor,
  ownerKind: FileOwnerKind,
  ownerId: number,
): Promise<FileRecord[]> {
  const rows = await db
    .selectFrom('files')
    .selectAll()
    .where('owner_kind', '=', ownerKind)
    .where('owner_id', '=', ownerId)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(rowToFile);
}

/** Which of these ids have a row. */
export async function listFileIds(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let start = 0; start < ids.length; start += idsPerQuery) {
    const rows = await db
      .selectFrom('files')
      .select('id')
      .where('id', 'in', ids.slice(start, start + idsPerQuery))
      .execute();
    for (const row of rows) found.add(row.id);
  }
  return found;
}
