// The SQL of the audit log: append under the head's lock, read, filter.
import { sql } from 'kysely';
import type { DialectName, Executor } from '../db/database.ts';
import { toDate, type AuditCheckpointsTable, type AuditLogTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import type { CheckpointKind, StoredCheckpoint } from './audit.checkpoints.ts';
import type {
  ActorType,
  AuditDetails,
  AuditEntry,
  AuditEvent,
  AuditOutcome,
} from './audit.events.ts';

function rowToEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: Number(row.seq),
    at: toDate(row.at),
    actorType: row.actor_type as ActorType,
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    actorLabel: row.actor_label,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    ip: row.ip,
    outcome: row.outcome as AuditOutcome,
    details: JSON.parse(row.details) as AuditDetails,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** The head, locked until the transaction ends: appends queue behind it. */
export async function lockAuditHead(db: Executor, dialect: DialectName) {
  const query = db.selectFrom('audit_head').select(['last_seq', 'last_hash']).where('id', '=', 1);
  // SQLite transactions already hold the write lock (BEGIN IMMEDIATE).
  const row = await (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
  return { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

/** An entry's content, before its hash is known. */
export type AuditContent = Omit<AuditEntry, 'seq' | 'hash'>;

export function auditContent(event: AuditEvent, at: Date, prevHash: string): AuditContent {
  return {
    at: new Date(at.toISOString()),
    actorType: event.actor.type,
    actorId: event.actor.id,
    actorLabel: event.actor.label,
    action: event.action,
    subjectType: event.subject?.type ?? null,
    subjectId: event.subject?.id ?? null,
    ip: event.ip ?? null,
    outcome: event.outcome ?? 'success',
    details: event.details ?? {},
    prevHash,
  };
}

/** Writes the entry and moves the head to it; call with the head locked. */
export async function insertAuditEntry(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      seq: entry.seq,
      at: entry.at,
      actor_type: entry.actorType,
      actor_id: entry.actorId,
      actor_label: entry.actorLabel,
      action: entry.action,
      subject_type: entry.subjectType,
      subject_id: entry.subjectId,
      ip: entry.ip,
      outcome: entry.outcome,
      details: JSON.stringify(entry.details),
      prev_hash: entry.prevHash,
      hash: entry.hash,
    })
    .execute();
  await db
    .updateTable('audit_head')
    .set({ last_seq: entry.seq, last_hash: entry.hash })
    .where('id', '=', 1)
    .execute();
}

export async function readAuditHead(db: Executor) {
  const row = await db
    .selectFrom('audit_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return { lastSeq: Number(row.last_seq), lastHash: row.last_hash };
}

/** Every entry in sequence order, a page at a time. */
export async function* allAuditEntries(db: Executor, pageSize = 5000): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) yield rowToEntry(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = Number(last.seq);
  }
}

export async function auditHashExists(db: Executor, hash: string): Promise<boolean> {
  const row = await db
    .selectFrom('audit_log')
    .select('seq')
    .where('hash', '=', hash)
    .executeTakeFirst();
  return row !== undefined;
}

export interface AuditFilter {
  readonly actorId?: number | undefined;
  readonly action?: string | undefined;
  /** Any of these actions (the operator changes the viewer warns about). */
  readonly actions?: readonly string[] | undefined;
  readonly subjectType?: string | undefined;
  readonly subjectId?: string | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
  /** Entries older than this sequence number (paging, newest first). */
  readonly before?: number | undefined;
  readonly limit: number;
}

export async function findAuditEntries(db: Executor, filter: AuditFilter): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll();
  if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actions) query = query.where('action', 'in', filter.actions);
  if (filter.subjectType) query = query.where('subject_type', '=', filter.subjectType);
  if (filter.subjectId) query = query.where('subject_id', '=', filter.subjectId);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.before !== undefined) query = query.where('seq', '<', filter.before);
  const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
  return rows.map(rowToEntry);
}

/** For tests and tooling: how many entries the log holds. */
export async function countAuditEntries(db: Executor): Promise<number> {
  const row = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(db);
  return Number(row.rows[0]?.n ?? 0);
}

/** The hash of the entry at `seq`, if the log holds one. */
export async function auditHashAt(db: Executor, seq: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', seq)
    .executeTakeFirst();
  return row?.hash;
}

/** The highest sequence number the log holds (0 when empty). */
export async function lastAuditSeq(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

function rowToCheckpoint(row: Selectable<AuditCheckpointsTable>): StoredCheckpoint {
  return {
    kind: row.kind,
    seq: Number(row.seq),
    hash: row.hash,
    at: toDate(row.at),
    signature: row.signature,
  };
}

export async function insertAuditCheckpoint(
  db: Executor,
  kind: CheckpointKind,
  checkpoint: Omit<StoredCheckpoint, 'kind'>,
): Promise<void> {
  await db
    .insertInto('audit_checkpoints')
    .values({
      kind,
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      at: checkpoint.at,
      signature: checkpoint.signature,
    })
    .execute();
}

/** Every stored checkpoint, the keying one first, then by sequence number. */
export async function allAuditCheckpoints(db: Executor): Promise<StoredCheckpoint[]> {
  const rows = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .orderBy('kind', 'desc')
    .orderBy('seq')
    .orderBy('id')
    .execute();
  return rows.map(rowToCheckpoint);
}

export async function findKeyingCheckpoint(db: Executor): Promise<StoredCheckpoint | undefined> {
  const row = await db
    .selectFrom('audit_checkpoints')
    .selectAll()
    .where('kind', '=', 'keying')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? undefined : rowToCheckpoint(row);
}
