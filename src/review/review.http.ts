// What the back-office APIs of reports, seller registrations and requests for
// normalization say alike: the problems a route may answer, the id in the
// path, a queue's page, the operator behind a request, and the parts of a
// queue item and of a detail that mean the same on each (the account, the
// flag, the claim, the decision, the files, the account's other reports).
// Each is written once so the three APIs never describe one thing two ways.
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { actorOf } from '../backoffice/auth.ts';
import { fileUrl } from '../files/stored-file.http.ts';
import type { FileRecord } from '../files/files.service.ts';
import { problemSchema } from '../http/problems.ts';
import { rowId } from '../shared/text-input.ts';
import type { QueueState, Reviewer, ReviewState } from './review.service.ts';

/** The problems a back-office route may answer, besides 500. */
export const problems = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
  409: problemSchema,
  413: problemSchema,
  415: problemSchema,
  429: problemSchema,
};

export const idParams = z.object({ id: rowId() });

/** The operator behind an admin request: always signed in, so always with an id. */
export function operatorActor(request: FastifyRequest): Reviewer {
  return actorOf(request) as Reviewer;
}

// ---------------------------------------------------------------------------
// Queues

/** The queue's page number in the query string; a page holds pageSize rows. */
export const pageQuery = z.coerce.number().int().min(1).max(10_000).default(1);
export const pageSize = 50;

/** The rows of a page, for the service's filter. */
export function rowsOf(page: number): { limit: number; offset: number } {
  return { limit: pageSize, offset: (page - 1) * pageSize };
}

/** `flagged=true|false` in the query string; absent, both. */
export const flaggedQuery = z.enum(['true', 'false']).optional();

export function flaggedOf(value: 'true' | 'false' | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}

const dayMs = 86_400_000;

// ---------------------------------------------------------------------------
// Parts of queue items and details

export const accountSchema = z.object({
  provider: z.string(),
  number: z.string(),
  key: z.string(),
});

export function toAccountBody(row: {
  readonly provider: string;
  readonly number: string;
  readonly accountKey: string;
}): z.infer<typeof accountSchema> {
  return { provider: row.provider, number: row.number, key: row.accountKey };
}

const flagFields = { flagged: z.boolean(), flagReasons: z.array(z.string()) };
const claimFields = {
  claimedBy: z.number().int().nullable(),
  claimedUntil: z.iso.datetime().nullable(),
};

/** A queue item's flag, age and claim. */
export const queueStateFields = {
  ...flagFields,
  createdAt: z.iso.datetime(),
  ageDays: z.number().int(),
  ...claimFields,
};

export function toQueueStateBody(item: QueueState, now: Date) {
  return {
    flagged: item.flagged,
    flagReasons: [...item.flagReasons],
    createdAt: item.createdAt.toISOString(),
    ageDays: Math.floor((now.getTime() - item.createdAt.getTime()) / dayMs),
    claimedBy: item.claimedBy,
    claimedUntil: item.claimedUntil?.toISOString() ?? null,
  };
}

/** A detail's flag, filing time and claim. */
export const reviewStateFields = { ...flagFields, createdAt: z.iso.datetime(), ...claimFields };

export function toReviewStateBody(row: ReviewState) {
  return {
    flagged: row.flagged,
    flagReasons: [...row.flagReasons],
    createdAt: row.createdAt.toISOString(),
    claimedBy: row.claimedBy,
    claimedUntil: row.claimedUntil?.toISOString() ?? null,
  };
}

/** A decision (or a re-check): who, when, why; null until taken. */
export const decisionSchema = z
  .object({
    by: z.number().int().nullable(),
    at: z.iso.datetime(),
    reason: z.string().nullable(),
    note: z.string().nullable(),
  })
  .nullable();

export function toDecisionBody(
  by: number | null,
  at: Date | null,
  reason: string | null,
  note: string | null,
): z.infer<typeof decisionSchema> {
  return at ? { by, at: at.toISOString(), reason, note } : null;
}

/** A file as every back-office view lists it; the url is set by the view. */
export const fileFields = {
  id: z.string(),
  field: z.string(),
  mime: z.string(),
  size: z.number().int(),
  name: z.string().nullable(),
};

/** A file opened through the audited file route (files.routes.ts). */
export const fileSchema = z.object({ ...fileFields, url: z.string() });

export function toFileBody(f: FileRecord): z.infer<typeof fileSchema> {
  return {
    id: f.id,
    field: f.field,
    mime: f.mime,
    size: f.size,
    name: f.originalName,
    url: fileUrl(f.id),
  };
}

export const reportStatuses = [
  'submitted',
  'in_review',
  'verified',
  'rejected',
  'normalized',
] as const;

/** Another report on the same account, as the reviewer and the registrar see it listed. */
export const accountReportSchema = z.object({
  id: z.number().int(),
  status: z.enum(reportStatuses),
  category: z.string(),
  source: z.string(),
  createdAt: z.iso.datetime(),
});

export function toAccountReportBody(o: {
  readonly id: number;
  readonly status: (typeof reportStatuses)[number];
  readonly category: string;
  readonly source: string;
  readonly createdAt: Date;
}): z.infer<typeof accountReportSchema> {
  return {
    id: o.id,
    status: o.status,
    category: o.category,
    source: o.source,
    createdAt: o.createdAt.toISOString(),
  };
}

/** A reporter's contact, as opened for a reviewer or a mediator. */
export const reporterSchema = z.object({ name: z.string(), email: z.string(), phone: z.string() });
