// The SQL of partners' CSV imports: the waiting file (sealed chunks, or the
// whole body of an import queued before chunks), its progress and its bad
// lines, and the count of reports an import loaded.
import type { Executor } from '../db/database.ts';
import type { PartnerImportStatus } from '../db/schema.ts';

export interface ImportLineError {
  readonly line: number;
  readonly message: string;
}

export interface PartnerImportRecord {
  readonly id: number;
  readonly partnerId: number;
  readonly status: PartnerImportStatus;
  readonly rows: number;
  readonly imported: number;
  readonly skipped: number;
  readonly errors: readonly ImportLineError[];
}

export async function insertPartnerImport(
  db: Executor,
  row: { partnerId: number; keyId: number; uploadId: string; at: Date },
): Promise<number> {
  const inserted = await db
    .insertInto('partner_imports')
    .values({
      partner_id: row.partnerId,
      key_id: row.keyId,
      status: 'queued',
      upload_id: row.uploadId,
      created_at: row.at,
      updated_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function findPartnerImport(
  db: Executor,
  id: number,
): Promise<PartnerImportRecord | undefined> {
  const r = await db
    .selectFrom('partner_imports')
    .select(['id', 'partner_id', 'status', 'rows', 'imported', 'skipped', 'errors'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    r && {
      id: Number(r.id),
      partnerId: Number(r.partner_id),
      status: r.status,
      rows: Number(r.rows),
      imported: Number(r.imported),
      skipped: Number(r.skipped),
      errors: JSON.parse(r.errors) as ImportLineError[],
    }
  );
}

/** Where the import's CSV is: its chunks' upload id, or the whole body as first kept. */
export type ImportBodyRef =
  | { readonly kind: 'chunks'; readonly uploadId: string }
  | { readonly kind: 'text'; readonly text: string };

export async function importBody(db: Executor, id: number): Promise<ImportBodyRef | null> {
  const row = await db
    .selectFrom('partner_imports')
    .select(['body', 'upload_id'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row?.upload_id) return { kind: 'chunks', uploadId: row.upload_id };
  if (row?.body != null) return { kind: 'text', text: row.body };
  return null;
}

export async function insertImportChunk(
  db: Executor,
  chunk: { uploadId: string; seq: number; data: string; at: Date },
): Promise<void> {
  await db
    .insertInto('import_chunks')
    .values({ upload_id: chunk.uploadId, seq: chunk.seq, data: chunk.data, created_at: chunk.at })
    .execute();
}

/** The sealed chunk at `seq`, or undefined past the last one. */
export async function findImportChunk(
  db: Executor,
  uploadId: string,
  seq: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('import_chunks')
    .select('data')
    .where('upload_id', '=', uploadId)
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.data;
}

export async function deleteImportChunks(db: Executor, uploadId: string): Promise<void> {
  await db.deleteFrom('import_chunks').where('upload_id', '=', uploadId).execute();
}

/**
 * Deletes chunks older than `olderThan` that no waiting or running import
 * names: uploads cut short, and what a crash left between reading a body and
 * queueing its import. Returns the number of chunks deleted.
 */
export async function deleteStrayImportChunks(db: Executor, olderThan: Date): Promise<number> {
  const result = await db
    .deleteFrom('import_chunks')
    .where('created_at', '<', olderThan)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('partner_imports')
            .select('partner_imports.id')
            .whereRef('partner_imports.upload_id', '=', 'import_chunks.upload_id')
            .where('partner_imports.status', 'in', ['queued', 'running']),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function updatePartnerImport(
  db: Executor,
  id: number,
  change: {
    status?: PartnerImportStatus;
    rows?: number;
    imported?: number;
    skipped?: number;
    errors?: readonly ImportLineError[];
    dropBody?: boolean;
    at: Date;
  },
): Promise<void> {
  await db
    .updateTable('partner_imports')
    .set({
      ...(change.status && { status: change.status }),
      ...(change.rows !== undefined && { rows: change.rows }),
      ...(change.imported !== undefined && { imported: change.imported }),
      ...(change.skipped !== undefined && { skipped: change.skipped }),
      ...(change.errors && { errors: JSON.stringify(change.errors) }),
      ...(change.dropBody && { body: null }),
      updated_at: change.at,
    })
    .where('id', '=', id)
    .execute();
}

/** Reports this import stored, over every attempt: a restart never counts a row twice. */
export async function countImportedReports(db: Executor, importId: number): Promise<number> {
  const row = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('import_id', '=', importId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
