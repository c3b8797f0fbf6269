// The SQL of webhook endpoints, deliveries (the outbox rows) and attempts.
import type { Selectable } from 'kysely';
import type { DialectName, Executor } from '../db/database.ts';
import {
  toDate,
  toOptionalDate,
  type WebhookDeliveriesTable,
  type WebhookDeliveryState,
  type WebhookDisabledReason,
  type WebhookEndpointsTable,
} from '../db/schema.ts';

export interface EndpointRecord {
  readonly id: number;
  readonly publicId: string;
  readonly partnerId: number;
  readonly url: string;
  readonly events: readonly string[];
  /** Sealed secrets: never leave the service unopened, never leave it opened either. */
  readonly sealedSecret: string;
  readonly sealedPreviousSecret: string | null;
  readonly previousSecretUntil: Date | null;
  readonly createdAt: Date;
  readonly failingSince: Date | null;
  readonly disabledAt: Date | null;
  readonly disabledReason: WebhookDisabledReason | null;
  readonly deletedAt: Date | null;
}

export interface DeliveryRecord {
  readonly id: number;
  readonly messageId: string;
  readonly endpointId: number;
  readonly eventType: string;
  readonly body: string;
  readonly state: WebhookDeliveryState;
  readonly attempts: number;
  readonly nextAttemptAt: Date | null;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
}

export interface AttemptRecord {
  readonly deliveryId: number;
  readonly attemptedAt: Date;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
}

function parseEvents(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toEndpoint(row: Selectable<WebhookEndpointsTable>): EndpointRecord {
  return {
    id: Number(row.id),
    publicId: row.public_id,
    partnerId: Number(row.partner_id),
    url: row.url,
    events: parseEvents(row.events),
    sealedSecret: row.secret,
    sealedPreviousSecret: row.previous_secret,
    previousSecretUntil: toOptionalDate(row.previous_secret_until),
    createdAt: toDate(row.created_at),
    failingSince: toOptionalDate(row.failing_since),
    disabledAt: toOptionalDate(row.disabled_at),
    disabledReason: row.disabled_reason,
    deletedAt: toOptionalDate(row.deleted_at),
  };
}

function toDelivery(row: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  return {
    id: Number(row.id),
    messageId: row.message_id,
    endpointId: Number(row.endpoint_id),
    eventType: row.event_type,
    body: row.body,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: toOptionalDate(row.next_attempt_at),
    lockedUntil: toOptionalDate(row.locked_until),
    createdAt: toDate(row.created_at),
    deliveredAt: toOptionalDate(row.delivered_at),
  };
}

export interface NewEndpoint {
  readonly publicId: string;
  readonly partnerId: number;
  readonly url: string;
  readonly events: readonly string[];
  readonly sealedSecret: string;
}

export async function insertEndpoint(db: Executor, e: NewEndpoint, now: Date): Promise<number> {
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      public_id: e.publicId,
      partner_id: e.partnerId,
      url: e.url,
      events: JSON.stringify(e.events),
      secret: e.sealedSecret,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** A partner's endpoints that were not deleted, oldest first. */
export async function endpointsOf(db: Executor, partnerId: number): Promise<EndpointRecord[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toEndpoint);
}

export async function findEndpoint(
  db: Executor,
  partnerId: number,
  publicId: string,
): Promise<EndpointRecord | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('public_id', '=', publicId)
    .where('partner_id', '=', partnerId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toEndpoint(row);
}

export async function endpointsByIds(
  db: Executor,
  ids: readonly number[],
): Promise<Map<number, EndpointRecord>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('id', 'in', [...ids])
    .execute();
  return new Map(rows.map((row) => [Number(row.id), toEndpoint(row)]));
}

export async function markEndpointDeleted(db: Executor, id: number, now: Date): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({
      deleted_at: now,
      disabled_at: now,
      disabled_reason: 'partner',
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function replaceSecret(
  db: Executor,
  id: number,
  change: { sealedSecret: string; sealedPrevious: string; previousUntil: Date },
  now: Date,
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({
      secret: change.sealedSecret,
      previous_secret: change.sealedPrevious,
      previous_secret_until: change.previousUntil,
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Disables a live endpoint; false when it was disabled already (by another process). */
export async function disableEndpoint(
  db: Executor,
  id: number,
  reason: WebhookDisabledReason,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('webhook_endpoints')
    .set({ disabled_at: now, disabled_reason: reason, updated_at: now })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** The endpoint failed an attempt: the run of failures starts now unless it already had. */
export async function noteFailure(db: Executor, id: number, now: Date): Promise<Date> {
  await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: now })
    .where('id', '=', id)
    .where('failing_since', 'is', null)
    .execute();
  const row = await db
    .selectFrom('webhook_endpoints')
    .select('failing_since')
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toOptionalDate(row.failing_since) ?? now;
}

/** Every pending delivery of the endpoint fails (it was disabled or deleted). */
export async function failPendingOf(db: Executor, endpointId: number): Promise<number> {
  const result = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'failed', next_attempt_at: null, locked_until: null })
    .where('endpoint_id', '=', endpointId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface NewDelivery {
  readonly messageId: string;
  readonly endpointId: number;
  readonly eventType: string;
  readonly body: string;
}

export async function insertDelivery(db: Executor, d: NewDelivery, now: Date): Promise<void> {
  await db
    .insertInto('webhook_deliveries')
    .values({
      message_id: d.messageId,
      endpoint_id: d.endpointId,
      event_type: d.eventType,
      body: d.body,
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .execute();
}

/** The endpoint's last deliveries, newest first, with all their attempts (oldest first). */
export async function lastDeliveries(
  db: Executor,
  endpointId: number,
  limit: number,
): Promise<{ delivery: DeliveryRecord; attempts: AttemptRecord[] }[]> {
  const rows = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  const deliveries = rows.map(toDelivery);
  if (deliveries.length === 0) return [];
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      deliveries.map((d) => d.id),
    )
    .orderBy('id')
    .execute();
  const byDelivery = new Map<number, AttemptRecord[]>();
  for (const a of attempts) {
    const id = Number(a.delivery_id);
    const list = byDelivery.get(id) ?? [];
    list.push({
      deliveryId: id,
      attemptedAt: toDate(a.attempted_at),
      statusCode: a.status_code,
      error: a.error,
      latencyMs: a.latency_ms,
    });
    byDelivery.set(id, list);
  }
  return deliveries.map((delivery) => ({
    delivery,
    attempts: byDelivery.get(delivery.id) ?? [],
  }));
}

export async function findDelivery(
  db: Executor,
  endpointId: number,
  messageId: string,
): Promise<DeliveryRecord | undefined> {
  const row = await db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return row && toDelivery(row);
}

/** Due again now, whatever its state (a delivered or failed one too). */
export async function requeueDelivery(db: Executor, id: number, now: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: now, delivered_at: null })
    .where('id', '=', id)
    .execute();
}

export interface Candidate {
  readonly id: number;
  readonly endpointId: number;
}

/**
 * Due deliveries, oldest first, leaving out the endpoints this worker has as
 * many in flight as it allows (so one slow endpoint's backlog never hides the
 * others' deliveries). Served by the (state, next_attempt_at) index.
 */
export async function dueCandidates(
  db: Executor,
  now: Date,
  skipEndpoints: readonly number[],
  limit: number,
): Promise<Candidate[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .select(['id', 'endpoint_id'])
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]));
  if (skipEndpoints.length > 0) query = query.where('endpoint_id', 'not in', [...skipEndpoints]);
  // next_attempt_at alone: the index's order, without a sort of every due row
  const rows = await query.orderBy('next_attempt_at').limit(limit).execute();
  return rows.map((r) => ({ id: Number(r.id), endpointId: Number(r.endpoint_id) }));
}

/**
 * Takes the lease of those of `ids` still due and free, until `lockedUntil`.
 * On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent workers
 * pass over each other's claims; the WHERE is checked again on the locked row,
 * so a row another worker claimed meanwhile is left out. On SQLite the single
 * UPDATE is atomic (one writer at a time).
 */
export async function claimDeliveries(
  db: Executor,
  dialect: DialectName,
  ids: readonly number[],
  now: Date,
  lockedUntil: Date,
): Promise<DeliveryRecord[]> {
  if (ids.length === 0) return [];
  const free = db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('id', 'in', [...ids])
    .where('state', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]));
  const candidates = dialect === 'postgres' ? free.forUpdate().skipLocked() : free;
  const rows = await db
    .updateTable('webhook_deliveries')
    .set({ locked_until: lockedUntil })
    .where('id', 'in', candidates)
    .where('state', '=', 'pending')
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returningAll()
    .execute();
  return rows.map(toDelivery);
}

export interface AttemptOutcome {
  readonly deliveryId: number;
  /** The lease the worker holds: nothing is written when it was lost. */
  readonly lockedUntil: Date;
  readonly attemptedAt: Date;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
  readonly state: WebhookDeliveryState;
  readonly nextAttemptAt: Date | null;
}

/** Records an attempt and moves the delivery on; false when the lease was lost. */
export async function recordAttempt(db: Executor, outcome: AttemptOutcome): Promise<boolean> {
  const moved = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      state: outcome.state,
      next_attempt_at: outcome.nextAttemptAt,
      locked_until: null,
      delivered_at: outcome.state === 'delivered' ? outcome.attemptedAt : null,
    }))
    .where('id', '=', outcome.deliveryId)
    .where('locked_until', '=', outcome.lockedUntil)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) === 0) return false;
  await db
    .insertInto('webhook_attempts')
    .values({
      delivery_id: outcome.deliveryId,
      attempted_at: outcome.attemptedAt,
      status_code: outcome.statusCode,
      error: outcome.error,
      latency_ms: outcome.latencyMs,
    })
    .execute();
  return true;
}

/** A delivery of an endpoint that is gone: failed without an attempt. */
export async function abandonDelivery(db: Executor, id: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ state: 'failed', next_attempt_at: null, locked_until: null })
    .where('id', '=', id)
    .execute();
}

/** Whom to tell when a partner's endpoint is disabled. */
export async function partnerContact(
  db: Executor,
  partnerId: number,
): Promise<{ name: string; email: string } | undefined> {
  const row = await db
    .selectFrom('partners')
    .select(['name', 'contact_email'])
    .where('id', '=', partnerId)
    .executeTakeFirst();
  return row && { name: row.name, email: row.contact_email };
}

/**
 * Delivered: the deliveries of `ids` whose lease is still `lockedUntil`, in
 * one statement (a batch of successes); the ids it moved.
 */
export async function markDelivered(
  db: Executor,
  ids: readonly number[],
  lockedUntil: Date,
  at: Date,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      state: 'delivered',
      next_attempt_at: null,
      locked_until: null,
      delivered_at: at,
    }))
    .where('id', 'in', [...ids])
    .where('locked_until', '=', lockedUntil)
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export async function insertAttempts(
  db: Executor,
  attempts: readonly AttemptRecord[],
): Promise<void> {
  if (attempts.length === 0) return;
  await db
    .insertInto('webhook_attempts')
    .values(
      attempts.map((a) => ({
        delivery_id: a.deliveryId,
        attempted_at: a.attemptedAt,
        status_code: a.statusCode,
        error: a.error,
        latency_ms: a.latencyMs,
      })),
    )
    .execute();
}

/** Endpoints that answered 2xx: no run of failures (written only where there was one). */
export async function noteSuccesses(db: Executor, endpointIds: readonly number[]): Promise<void> {
  if (endpointIds.length === 0) return;
  await db
    .updateTable('webhook_endpoints')
    .set({ failing_since: null })
    .where('id', 'in', [...endpointIds])
    .where('failing_since', 'is not', null)
    .execute();
}
