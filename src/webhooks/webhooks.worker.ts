// The delivery worker: claims due webhook_deliveries rows under a lease,
// sends each with the Standard Webhooks headers, records the attempt and
// moves the delivery on (delivered, retried later, or failed). It polls
// every 250 ms and on wake(); every state is in the database, so a restart
// loses nothing and a claim whose process died expires with its lease (the
// delivery is sent again with the same webhook-id: at least once).
//
// Isolation: at most `concurrency` sends in flight in this process, and at
// most `perEndpoint` to one endpoint; claims pass over endpoints already at
// their cap, so a slow or dead endpoint ties up its own slots only. Requests
// never send: a change only writes rows, and this worker delivers them.
import { WakeablePause } from '../shared/wakeable-pause.ts';
import type { Database, Executor } from '../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { enqueueMail } from '../mail/mail.service.ts';
import type { JobLogger } from '../jobs/jobs.service.ts';
import type { WebhookDisabledReason } from '../db/schema.ts';
import { signatureHeader } from './signing.ts';
import { createSender, type AttemptResult, type Send } from './sender.ts';
import { signingSecrets } from './webhooks.service.ts';
import { disabledMail } from './webhooks.mail.ts';
import {
  abandonDelivery,
  claimDeliveries,
  disableEndpoint,
  dueCandidates,
  endpointsByIds,
  failPendingOf,
  noteFailure,
  markDelivered,
  insertAttempts,
  noteSuccesses,
  partnerContact,
  recordAttempt,
  type AttemptRecord,
  type DeliveryRecord,
  type EndpointRecord,
} from './webhooks.repository.ts';

/** After the first attempt: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h; then failed. */
export const retryScheduleMs: readonly number[] = [
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];
/** ±20 %. */
export const retryJitter = 0.2;
/** An endpoint that failed every attempt for this long is disabled. */
export const failingDisableMs = 5 * 24 * 3_600_000;

export interface WebhookWorkerOptions {
  readonly database: Database;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly audit: AuditService;
  readonly logger: JobLogger;
  /** WEBHOOK_ALLOW_PRIVATE: http:// and private addresses (development, tests). */
  readonly allowPrivate: boolean;
  /** Nudges the job worker (the partner's mail when an endpoint is disabled). */
  readonly wakeJobs?: () => void;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  readonly concurrency?: number;
  readonly perEndpoint?: number;
  readonly random?: () => number;
  /** Another transport than HTTP (tests of the bookkeeping). */
  readonly send?: Send;
}

/** A receiver's answer is awaited this long (api.md: 10 seconds), unless a test says otherwise. */
export const deliveryTimeoutMs = 10_000;
const defaults = { timeoutMs: deliveryTimeoutMs, pollMs: 250, concurrency: 32, perEndpoint: 2 };
/** Candidates read per claim. */
const candidateBatch = 64;
/** How long finished attempts wait for others to share their transaction, and freed slots their claim. */
const batchWindowMs = 2;
/** How long stop() waits for the sends in flight before cutting them off. */
const stopGraceMs = 2_000;
/** Attempts recorded per transaction, at most. */
const recordBatch = 200;

interface PendingRecord {
  readonly delivery: DeliveryRecord;
  readonly endpoint: EndpointRecord;
  readonly lockedUntil: Date;
  readonly attemptedAt: Date;
  readonly result: AttemptResult;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}
const maxPollBackoffMs = 30_000;

/** The delay before the attempt after the `attempts`-th, or null when none is left. */
export function nextDelayMs(attempts: number, random: () => number = Math.random): number | null {
  const base = retryScheduleMs[attempts - 1];
  if (base === undefined) return null;
  return Math.round(base * (1 - retryJitter + 2 * retryJitter * random()));
}

export class WebhookWorker {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #box: SecretBox;
  readonly #audit: AuditService;
  readonly #log: JobLogger;
  readonly #wakeJobs: () => void;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #perEndpoint: number;
  readonly #random: () => number;
  readonly #send: Send;
  readonly #closeSender: () => void;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #perEndpointInFlight = new Map<number, number>();
  #loop: Promise<void> | undefined;
  #stopping = false;
  readonly #pause = new WakeablePause();
  readonly #toRecord: PendingRecord[] = [];
  #flushing: Promise<void> | undefined;
  #nudged: NodeJS.Timeout | undefined;
  /** Stopping cut the sends in flight off: what they answer is not theirs to record. */
  #cutOff = false;

  constructor(options: WebhookWorkerOptions) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#box = options.box;
    this.#audit = options.audit;
    this.#log = options.logger;
    this.#wakeJobs = options.wakeJobs ?? (() => undefined);
    this.#timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
    this.#pollMs = options.pollMs ?? defaults.pollMs;
    this.#concurrency = options.concurrency ?? defaults.concurrency;
    this.#perEndpoint = options.perEndpoint ?? defaults.perEndpoint;
    this.#random = options.random ?? Math.random;
    if (options.send) {
      this.#send = options.send;
      this.#closeSender = () => undefined;
    } else {
      const sender = createSender({
        allowPrivate: options.allowPrivate,
        timeoutMs: this.#timeoutMs,
      });
      this.#send = sender.send;
      this.#closeSender = () => sender.close();
    }
  }

  /** How long a claim lasts: longer than any send, short enough for a dead process's claims to return soon. */
  get leaseMs(): number {
    return this.#timeoutMs + 5_000;
  }

  start(): void {
    if (this.#loop) return;
    this.#stopping = false;
    this.#cutOff = false;
    this.#loop = this.#runLoop();
  }

  /** Something was just queued in this process: look now rather than at the next poll. */
  wake(): void {
    this.#pause.wake();
  }

  /**
   * Wakes the loop a moment later, once for all the sends that finish
   * meanwhile: their slots are refilled with one claim, not one each.
   */
  #nudge(): void {
    if (this.#nudged) return;
    this.#nudged = setTimeout(() => {
      this.#nudged = undefined;
      this.wake();
    }, batchWindowMs);
  }

  /**
   * Ends the loop and waits a little for the sends in flight; those still
   * waiting on their receiver then are cut off unrecorded: their lease runs
   * out and the next process sends them again, with the same webhook-id.
   */
  async stop(graceMs = stopGraceMs): Promise<void> {
    this.#stopping = true;
    this.wake();
    await this.#loop;
    this.#loop = undefined;
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([this.idle(), grace]);
    if (this.#inFlight.size > 0) {
      this.#cutOff = true;
      this.#closeSender();
      await this.idle();
    }
    clearTimeout(this.#nudged);
    this.#closeSender();
  }

  /** Waits until no send is in flight. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /** Claims what is due and starts sending it (not waiting for the sends); the number started. */
  async fill(): Promise<number> {
    let started = 0;
    while (!this.#stopping && this.#inFlight.size < this.#concurrency) {
      const now = this.#clock.now();
      const saturated = [...this.#perEndpointInFlight]
        .filter(([, n]) => n >= this.#perEndpoint)
        .map(([id]) => id);
      const candidates = await dueCandidates(this.#database.db, now, saturated, candidateBatch);
      if (candidates.length === 0) break;
      const free = this.#concurrency - this.#inFlight.size;
      const chosen: number[] = [];
      const planned = new Map<number, number>();
      for (const c of candidates) {
        if (chosen.length >= free) break;
        const load =
          (this.#perEndpointInFlight.get(c.endpointId) ?? 0) + (planned.get(c.endpointId) ?? 0);
        if (load >= this.#perEndpoint) continue;
        planned.set(c.endpointId, (planned.get(c.endpointId) ?? 0) + 1);
        chosen.push(c.id);
      }
      if (chosen.length === 0) break;
      const lockedUntil = new Date(now.getTime() + this.leaseMs);
      const claimed = await claimDeliveries(
        this.#database.db,
        this.#database.dialect,
        chosen,
        now,
        lockedUntil,
      );
      if (claimed.length === 0) break;
      const endpoints = await endpointsByIds(this.#database.db, [
        ...new Set(claimed.map((d) => d.endpointId)),
      ]);
      for (const delivery of claimed) {
        this.#start(delivery, endpoints.get(delivery.endpointId), lockedUntil);
        started += 1;
      }
    }
    return started;
  }

  /** Sends everything due now, and waits for it; for tests and the command line. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const started = await this.fill();
      total += started;
      if (started === 0 && this.#inFlight.size === 0) return total;
      await Promise.race([...this.#inFlight]);
    }
  }

  #start(delivery: DeliveryRecord, endpoint: EndpointRecord | undefined, lockedUntil: Date): void {
    const endpointId = delivery.endpointId;
    this.#perEndpointInFlight.set(endpointId, (this.#perEndpointInFlight.get(endpointId) ?? 0) + 1);
    const running = this.#deliver(delivery, endpoint, lockedUntil)
      .catch((error: unknown) => {
        this.#log.warn(
          { deliveryId: delivery.messageId, error: error instanceof Error ? error.name : 'error' },
          'webhook delivery could not be recorded; it will be tried again',
        );
      })
      .finally(() => {
        this.#inFlight.delete(running);
        const left = (this.#perEndpointInFlight.get(endpointId) ?? 1) - 1;
        if (left <= 0) this.#perEndpointInFlight.delete(endpointId);
        else this.#perEndpointInFlight.set(endpointId, left);
        // A slot is free: look for more soon (the loop only; drain() waits on its own).
        this.#nudge();
      });
    this.#inFlight.add(running);
  }

  async #deliver(
    delivery: DeliveryRecord,
    endpoint: EndpointRecord | undefined,
    lockedUntil: Date,
  ): Promise<void> {
    if (!endpoint || endpoint.disabledAt || endpoint.deletedAt) {
      await abandonDelivery(this.#database.db, delivery.id);
      return;
    }
    const attemptedAt = this.#clock.now();
    const timestamp = Math.floor(attemptedAt.getTime() / 1000);
    let secrets: string[];
    try {
      secrets = signingSecrets(this.#box, endpoint, attemptedAt);
    } catch {
      // Sealed under another CEKREK_SECRET_KEY, or altered: a failed attempt, never an unsigned one.
      const unsigned = {
        status: null,
        ok: false,
        error: 'signing secret unavailable',
        latencyMs: 0,
      };
      await this.#record(delivery, endpoint, lockedUntil, attemptedAt, unsigned);
      return;
    }
    const result = await this.#send({
      url: endpoint.url,
      body: delivery.body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'cekrek',
        'webhook-id': delivery.messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, delivery.messageId, timestamp, delivery.body),
      },
    });
    if (this.#cutOff) return;
    await this.#record(delivery, endpoint, lockedUntil, attemptedAt, result);
  }

  /**
   * Records an attempt. Attempts that finish together are written together,
   * in one transaction (a group commit): on SQLite every commit waits for the
   * disk, and one commit per delivery would cap the rate at the disk's.
   */
  #record(
    delivery: DeliveryRecord,
    endpoint: EndpointRecord,
    lockedUntil: Date,
    attemptedAt: Date,
    result: AttemptResult,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#toRecord.push({
        delivery,
        endpoint,
        lockedUntil,
        attemptedAt,
        result,
        resolve,
        reject,
      });
      this.#flushRecords();
    });
  }

  #flushRecords(): void {
    if (this.#flushing) return;
    this.#flushing = (async () => {
      // Let the attempts finishing about now join this transaction.
      await new Promise((resolve) => setTimeout(resolve, batchWindowMs));
      while (this.#toRecord.length > 0) {
        const batch = this.#toRecord.splice(0, recordBatch);
        try {
          const disabled = await this.#database.db.transaction().execute(async (trx) => {
            await this.#applySuccesses(
              trx,
              batch.filter((r) => r.result.ok),
            );
            const found: { endpoint: EndpointRecord; reason: WebhookDisabledReason }[] = [];
            for (const record of batch.filter((r) => !r.result.ok)) {
              const reason = await this.#apply(trx, record);
              if (reason) found.push({ endpoint: record.endpoint, reason });
            }
            return found;
          });
          for (const record of batch) record.resolve();
          for (const { endpoint, reason } of disabled) {
            this.#wakeJobs();
            this.#log.warn(
              { endpointId: endpoint.publicId, partnerId: endpoint.partnerId, reason },
              'webhook endpoint disabled',
            );
          }
        } catch (error) {
          for (const record of batch) record.reject(error);
        }
      }
    })().finally(() => {
      this.#flushing = undefined;
      if (this.#toRecord.length > 0) this.#flushRecords();
    });
  }

  /** The batch's 2xx answers, set-based: three statements however many (per lease). */
  async #applySuccesses(trx: Executor, records: readonly PendingRecord[]): Promise<void> {
    const byLease = new Map<number, PendingRecord[]>();
    for (const record of records) {
      const lease = record.lockedUntil.getTime();
      byLease.set(lease, [...(byLease.get(lease) ?? []), record]);
    }
    const now = this.#clock.now();
    const attempts: AttemptRecord[] = [];
    const endpoints = new Set<number>();
    for (const [lease, group] of byLease) {
      const held = new Set(
        await markDelivered(
          trx,
          group.map((r) => r.delivery.id),
          new Date(lease),
          now,
        ),
      );
      for (const { delivery, endpoint, attemptedAt, result } of group) {
        if (!held.has(delivery.id)) continue;
        endpoints.add(endpoint.id);
        attempts.push({
          deliveryId: delivery.id,
          attemptedAt,
          statusCode: result.status,
          error: null,
          latencyMs: result.latencyMs,
        });
      }
    }
    await insertAttempts(trx, attempts);
    await noteSuccesses(trx, [...endpoints]);
  }

  /** One failed attempt's writes, in the batch's transaction; the reason when it disabled the endpoint. */
  async #apply(trx: Executor, record: PendingRecord): Promise<WebhookDisabledReason | null> {
    const { delivery, endpoint, lockedUntil, attemptedAt, result } = record;
    const attempts = delivery.attempts + 1;
    const gone = result.status === 410;
    const delay = gone ? null : nextDelayMs(attempts, this.#random);
    const state = delay === null ? 'failed' : 'pending';
    const nextAttemptAt = delay === null ? null : new Date(attemptedAt.getTime() + delay);
    const now = this.#clock.now();
    const held = await recordAttempt(trx, {
      deliveryId: delivery.id,
      lockedUntil,
      attemptedAt,
      statusCode: result.status,
      error: result.error,
      latencyMs: result.latencyMs,
      state,
      nextAttemptAt,
    });
    if (!held) return null;
    const failingSince = await noteFailure(trx, endpoint.id, now);
    let reason: WebhookDisabledReason | null = null;
    if (gone) reason = 'gone';
    else if (now.getTime() - failingSince.getTime() >= failingDisableMs) reason = 'failing';
    if (reason === null || !(await disableEndpoint(trx, endpoint.id, reason, now))) return null;
    const failed = await failPendingOf(trx, endpoint.id);
    await this.#audit.record(trx, {
      actor: { type: 'system', id: null, label: 'webhook delivery' },
      action: 'webhook.disabled',
      subject: { type: 'webhook', id: endpoint.publicId },
      details: {
        partnerId: endpoint.partnerId,
        reason,
        failingSince: failingSince.toISOString(),
        pendingFailed: failed,
      },
    });
    const contact = await partnerContact(trx, endpoint.partnerId);
    if (contact) {
      await enqueueMail(
        trx,
        disabledMail({ ...contact, endpoint, reason, at: now, failingSince }),
        now,
        this.#box,
      );
    }
    return reason;
  }

  async #runLoop(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      try {
        await this.fill();
        if (failures > 0) this.#log.info({ failures }, 'webhook worker polls again');
        failures = 0;
      } catch (error) {
        failures += 1;
        if (failures === 1) {
          this.#log.warn(
            { error: error instanceof Error ? error.name : 'error' },
            'webhook worker could not poll',
          );
        }
      }
      if (this.#stopping) break;
      const delay =
        failures === 0 ? this.#pollMs : Math.min(this.#pollMs * 2 ** failures, maxPollBackoffMs);
      await this.#sleep(delay);
    }
  }

  #sleep(ms: number): Promise<void> {
    return this.#pause.sleep(ms);
  }
}

export function createWebhookWorker(options: WebhookWorkerOptions): WebhookWorker {
  return new WebhookWorker(options);
}
