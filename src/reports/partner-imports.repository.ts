// The SQL of partners' CSV imports: the waiting file, its progress and its
// bad lines, and the count of reports an import loaded.
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
  row: { partnerId: number; keyId: number; body: string; at: Date },
): Promise<number> {
  const inserted = await db
    .insertInto('partner_imports')
    .values({
      partner_id: row.partnerId,
      key_id: row.keyId,
      status: 'queued',
      body: row.body,
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

export async function importBody(db: Executor, id: number): Promise<string | null> {
  const row = await db
    .selectFrom('partner_imports')
    .select('body')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.body ?? null;
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
