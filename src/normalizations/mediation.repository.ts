// The SQL of mediating a request for normalization: mediation sessions and
// their outcomes, the questions put to the owner or a reporter and their
// answers, and which files belong to the case. Rows are mapped to domain
// types here and go no further.
import type { Executor } from '../db/database.ts';
import { optionalNumber, parseStringList } from '../db/row-values.ts';
import {
  toDate,
  toOptionalDate,
  type InformationParty,
  type InformationPurpose,
  type MediationOutcome,
  type ReporterExcuseReason,
} from '../db/schema.ts';

// ---------------------------------------------------------------------------
// Mediation sessions

export interface MediationRecord {
  readonly id: number;
  readonly normalizationId: number;
  readonly scheduledAt: Date;
  readonly place: string | null;
  readonly videoLink: string | null;
  readonly note: string | null;
  readonly scheduledBy: number;
  readonly createdAt: Date;
  readonly outcome: MediationOutcome | null;
  readonly outcomeNote: string | null;
  readonly recordedBy: number | null;
  readonly recordedAt: Date | null;
}

export async function insertMediation(
  db: Executor,
  row: {
    normalizationId: number;
    scheduledAt: Date;
    place: string | null;
    videoLink: string | null;
    note: string | null;
    scheduledBy: number;
    at: Date;
  },
): Promise<number> {
  const inserted = await db
    .insertInto('mediation_sessions')
    .values({
      normalization_id: row.normalizationId,
      scheduled_at: row.scheduledAt,
      place: row.place,
      video_link: row.videoLink,
      note: row.note,
      scheduled_by: row.scheduledBy,
      created_at: row.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

export async function listMediations(
  db: Executor,
  normalizationId: number,
): Promise<MediationRecord[]> {
  const rows = await db
    .selectFrom('mediation_sessions')
    .selectAll()
    .where('normalization_id', '=', normalizationId)
    .orderBy('scheduled_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    normalizationId: Number(r.normalization_id),
    scheduledAt: toDate(r.scheduled_at),
    place: r.place,
    videoLink: r.video_link,
    note: r.note,
    scheduledBy: Number(r.scheduled_by),
    createdAt: toDate(r.created_at),
    outcome: r.outcome,
    outcomeNote: r.outcome_note,
    recordedBy: optionalNumber(r.recorded_by),
    recordedAt: toOptionalDate(r.recorded_at),
  }));
}

/** Records a session's outcome once; false if it has one already or is not this request's. */
export async function recordMediationOutcome(
  db: Executor,
  normalizationId: number,
  sessionId: number,
  outcome: { outcome: MediationOutcome; note: string | null; by: number; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('mediation_sessions')
    .set({
      outcome: outcome.outcome,
      outcome_note: outcome.note,
      recorded_by: outcome.by,
      recorded_at: outcome.at,
    })
    .where('id', '=', sessionId)
    .where('normalization_id', '=', normalizationId)
    .where('outcome', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function mediationExists(
  db: Executor,
  normalizationId: number,
  sessionId: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('mediation_sessions')
    .select('id')
    .where('id', '=', sessionId)
    .where('normalization_id', '=', normalizationId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countMediations(db: Executor, normalizationId: number): Promise<number> {
  const row = await db
    .selectFrom('mediation_sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('normalization_id', '=', normalizationId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------
// Information requests

export interface InformationRequestRecord {
  readonly id: number;
  readonly normalizationId: number;
  readonly party: InformationParty;
  readonly reportId: number | null;
  readonly question: string;
  readonly askedBy: number;
  readonly askedAt: Date;
  readonly dueAt: Date;
  readonly answeredAt: Date | null;
  readonly answer: string | null;
  readonly answerFiles: readonly string[];
  /** A mediator's question, or the dispute notice that asks a reporter to be heard. */
  readonly purpose: InformationPurpose;
}

export async function insertInformationRequest(
  db: Executor,
  row: {
    normalizationId: number;
    party: InformationParty;
    reportId: number | null;
    question: string;
    askedBy: number;
    askedAt: Date;
    dueAt: Date;
    purpose?: InformationPurpose;
  },
): Promise<number> {
  const inserted = await db
    .insertInto('information_requests')
    .values({
      purpose: row.purpose ?? 'question',
      normalization_id: row.normalizationId,
      party: row.party,
      report_id: row.reportId,
      question: row.question,
      asked_by: row.askedBy,
      asked_at: row.askedAt,
      due_at: row.dueAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(inserted.id);
}

/** The questions of one request, or those put to one party (the owner, or a report's reporter). */
export async function listInformationRequests(
  db: Executor,
  where:
    | { readonly normalizationId: number }
    | { readonly owner: number }
    | { readonly reportId: number },
): Promise<InformationRequestRecord[]> {
  let query = db.selectFrom('information_requests').selectAll();
  if ('normalizationId' in where) {
    query = query.where('normalization_id', '=', where.normalizationId);
  } else if ('owner' in where) {
    query = query.where('normalization_id', '=', where.owner).where('party', '=', 'owner');
  } else {
    query = query.where('report_id', '=', where.reportId).where('party', '=', 'reporter');
  }
  const rows = await query.orderBy('asked_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    normalizationId: Number(r.normalization_id),
    party: r.party,
    reportId: optionalNumber(r.report_id),
    question: r.question,
    askedBy: Number(r.asked_by),
    askedAt: toDate(r.asked_at),
    dueAt: toDate(r.due_at),
    answeredAt: toOptionalDate(r.answered_at),
    answer: r.answer,
    answerFiles: parseStringList(r.answer_files),
    purpose: r.purpose === 'dispute_notice' ? 'dispute_notice' : 'question',
  }));
}

/** Answers a question once; false if it was answered already. */
export async function answerInformationRequest(
  db: Executor,
  id: number,
  answer: { text: string; fileIds: readonly string[]; at: Date },
): Promise<boolean> {
  const result = await db
    .updateTable('information_requests')
    .set({
      answer: answer.text,
      answer_files: JSON.stringify(answer.fileIds),
      answered_at: answer.at,
    })
    .where('id', '=', id)
    .where('answered_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------
// Why a reporter cannot be asked

export interface ReporterExcuseRecord {
  readonly reportId: number;
  readonly reason: ReporterExcuseReason;
  readonly note: string | null;
  readonly recordedBy: number;
  readonly recordedAt: Date;
}

/** Records why a report's reporter cannot be asked; false if a reason is recorded already. */
export async function insertReporterExcuse(
  db: Executor,
  normalizationId: number,
  excuse: ReporterExcuseRecord,
): Promise<boolean> {
  const exists = await db
    .selectFrom('reporter_excuses')
    .select('id')
    .where('normalization_id', '=', normalizationId)
    .where('report_id', '=', excuse.reportId)
    .executeTakeFirst();
  if (exists) return false;
  await db
    .insertInto('reporter_excuses')
    .values({
      normalization_id: normalizationId,
      report_id: excuse.reportId,
      reason: excuse.reason,
      note: excuse.note,
      recorded_by: excuse.recordedBy,
      recorded_at: excuse.recordedAt,
    })
    .execute();
  return true;
}

export async function listReporterExcuses(
  db: Executor,
  normalizationId: number,
): Promise<ReporterExcuseRecord[]> {
  const rows = await db
    .selectFrom('reporter_excuses')
    .selectAll()
    .where('normalization_id', '=', normalizationId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    reportId: Number(r.report_id),
    reason: r.reason,
    note: r.note,
    recordedBy: Number(r.recorded_by),
    recordedAt: toDate(r.recorded_at),
  }));
}

/** Whether a file is one of this request's or of the reports it disputes. */
export async function fileBelongsToCase(
  db: Executor,
  normalizationId: number,
  fileId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('files as f')
    .select('f.id')
    .where('f.id', '=', fileId)
    .where((eb) =>
      eb.or([
        eb.and([eb('f.owner_kind', '=', 'normalization'), eb('f.owner_id', '=', normalizationId)]),
        eb.and([
          eb('f.owner_kind', '=', 'report'),
          eb(
            'f.owner_id',
            'in',
            eb
              .selectFrom('normalization_reports as l')
              .select('l.report_id')
              .where('l.normalization_id', '=', normalizationId),
          ),
        ]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
