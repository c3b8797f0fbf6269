// Webhook endpoints and their deliveries, as partners and operators manage
// them: create (the secret shown once, stored sealed), list, delete, rotate
// (the old secret signs alongside the new for 24 hours), the last deliveries
// with their attempts, a manual retry and a ping. Each change is one
// transaction with its audit entry. Sending is the worker's (webhooks.worker.ts).
import type { Database, Executor } from '../db/database.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ActorType } from '../audit/audit.events.ts';
import type { WebhookDeliveryState, WebhookDisabledReason } from '../db/schema.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError } from '../shared/errors.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { checkWebhookUrl, type UrlPolicy } from './url-safety.ts';
import { newEndpointId, newMessageId, newSigningSecret } from './signing.ts';
import {
  endpointsOf,
  failPendingOf,
  findDelivery,
  findEndpoint,
  insertDelivery,
  insertEndpoint,
  lastDeliveries,
  markEndpointDeleted,
  replaceSecret,
  requeueDelivery,
  type AttemptRecord,
  type DeliveryRecord,
  type EndpointRecord,
} from './webhooks.repository.ts';

/** The events an endpoint may subscribe to (ping is sent on request, to any endpoint). */
export const webhookEvents = [
  'account.reported',
  'account.disputed',
  'account.dispute_closed',
  'account.normalized',
  'account.seller_verified',
  'account.seller_revoked',
] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

/** How long a rotated-out secret keeps signing. */
export const rotationOverlapMs = 24 * 3_600_000;
/** Endpoints a partner may have at once. */
export const maxEndpointsPerPartner = 20;
/** Deliveries listed per endpoint. */
export const listedDeliveries = 50;

export interface WebhookActor {
  readonly type: ActorType;
  readonly id: number | null;
  readonly label: string;
  readonly ip?: string | null | undefined;
}

export interface Endpoint {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly createdAt: Date;
  readonly state: 'enabled' | 'disabled';
  readonly disabledAt: Date | null;
  readonly disabledReason: WebhookDisabledReason | null;
  readonly failingSince: Date | null;
  /** Until when the previous secret still signs, if a rotation is in its overlap. */
  readonly previousSecretUntil: Date | null;
}

export interface CreatedEndpoint extends Endpoint {
  /** The signing secret: in this answer only. */
  readonly secret: string;
}

export interface Attempt {
  readonly at: Date;
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly error: string | null;
}

export interface Delivery {
  /** The message id (the webhook-id header). */
  readonly id: string;
  readonly eventType: string;
  readonly state: WebhookDeliveryState;
  readonly createdAt: Date;
  readonly deliveredAt: Date | null;
  readonly nextAttemptAt: Date | null;
  readonly attempts: readonly Attempt[];
}

export interface EndpointInput {
  readonly url: string;
  readonly events: readonly string[];
}

export interface WebhooksServiceDeps {
  readonly database: Database;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly urlPolicy: UrlPolicy;
  /** Nudges the delivery worker of this process after a commit. */
  readonly wakeDeliveries?: () => void;
}

const sealPurpose = 'webhook-secret';

/** The sealed secret is bound to its endpoint: a sealed value moved to another row does not open. */
export function sealSecret(box: SecretBox, publicId: string, secret: string): string {
  return box.seal(secret, sealPurpose, publicId);
}

export function openSecret(box: SecretBox, publicId: string, sealed: string): string {
  return box.openText(sealed, sealPurpose, publicId);
}

/** The secrets that sign now: the current one, and the previous one within its overlap. */
export function signingSecrets(box: SecretBox, endpoint: EndpointRecord, now: Date): string[] {
  const secrets = [openSecret(box, endpoint.publicId, endpoint.sealedSecret)];
  if (
    endpoint.sealedPreviousSecret &&
    endpoint.previousSecretUntil &&
    endpoint.previousSecretUntil.getTime() > now.getTime()
  ) {
    secrets.push(openSecret(box, endpoint.publicId, endpoint.sealedPreviousSecret));
  }
  return secrets;
}

export function toEndpoint(record: EndpointRecord): Endpoint {
  return {
    id: record.publicId,
    url: record.url,
    events: record.events,
    createdAt: record.createdAt,
    state: record.disabledAt ? 'disabled' : 'enabled',
    disabledAt: record.disabledAt,
    disabledReason: record.disabledReason,
    failingSince: record.failingSince,
    previousSecretUntil: record.previousSecretUntil,
  };
}

function toDelivery(delivery: DeliveryRecord, attempts: readonly AttemptRecord[]): Delivery {
  return {
    id: delivery.messageId,
    eventType: delivery.eventType,
    state: delivery.state,
    createdAt: delivery.createdAt,
    deliveredAt: delivery.deliveredAt,
    nextAttemptAt: delivery.state === 'pending' ? delivery.nextAttemptAt : null,
    attempts: attempts.map((a) => ({
      at: a.attemptedAt,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
    })),
  };
}

/** The ping's body, in the shape of every event. */
export function pingBody(endpointId: string, at: Date): string {
  return JSON.stringify({ type: 'ping', timestamp: at.toISOString(), data: { endpointId } });
}

export class WebhooksService {
  readonly #database: Database;
  readonly #audit: AuditService;
  readonly #clock: Clock;
  readonly #box: SecretBox;
  readonly #urlPolicy: UrlPolicy;
  readonly #wake: () => void;

  constructor(deps: WebhooksServiceDeps) {
    this.#database = deps.database;
    this.#audit = deps.audit;
    this.#clock = deps.clock;
    this.#box = deps.box;
    this.#urlPolicy = deps.urlPolicy;
    this.#wake = deps.wakeDeliveries ?? (() => undefined);
  }

  async create(
    partnerId: number,
    input: EndpointInput,
    actor: WebhookActor,
  ): Promise<CreatedEndpoint> {
    const events = [...new Set(input.events)];
    const unknown = events.filter((e) => !(webhookEvents as readonly string[]).includes(e));
    if (events.length === 0 || unknown.length > 0) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'events', reason: 'webhook.events_invalid' }],
      });
    }
    const url = (await checkWebhookUrl(input.url, this.#urlPolicy)).toString();
    const existing = await endpointsOf(this.#database.db, partnerId);
    if (existing.length >= maxEndpointsPerPartner) {
      throw new AppError('validation_failed', {
        errors: [{ field: 'url', reason: 'webhook.too_many' }],
        params: { max: maxEndpointsPerPartner },
      });
    }
    const publicId = newEndpointId();
    const secret = newSigningSecret();
    const now = this.#clock.now();
    await this.#database.db.transaction().execute(async (trx) => {
      await insertEndpoint(
        trx,
        {
          publicId,
          partnerId,
          url,
          events,
          sealedSecret: sealSecret(this.#box, publicId, secret),
        },
        now,
      );
      await this.#record(trx, actor, 'webhook.created', publicId, {
        partnerId,
        // the host only: a URL's path or query may carry the receiver's own token
        host: new URL(url).host,
        events,
      });
    });
    const created = await this.#endpoint(partnerId, publicId);
    return { ...toEndpoint(created), secret };
  }

  async list(partnerId: number): Promise<Endpoint[]> {
    return (await endpointsOf(this.#database.db, partnerId)).map(toEndpoint);
  }

  async delete(partnerId: number, publicId: string, actor: WebhookActor): Promise<void> {
    const endpoint = await this.#endpoint(partnerId, publicId);
    const now = this.#clock.now();
    await this.#database.db.transaction().execute(async (trx) => {
      await markEndpointDeleted(trx, endpoint.id, now);
      const failed = await failPendingOf(trx, endpoint.id);
      await this.#record(trx, actor, 'webhook.deleted', publicId, {
        partnerId,
        pendingFailed: failed,
      });
    });
  }

  /** A new secret (shown once); the old one keeps signing alongside for 24 hours. */
  async rotate(partnerId: number, publicId: string, actor: WebhookActor): Promise<CreatedEndpoint> {
    const endpoint = await this.#endpoint(partnerId, publicId);
    const secret = newSigningSecret();
    const now = this.#clock.now();
    const previousUntil = new Date(now.getTime() + rotationOverlapMs);
    await this.#database.db.transaction().execute(async (trx) => {
      await replaceSecret(
        trx,
        endpoint.id,
        {
          sealedSecret: sealSecret(this.#box, publicId, secret),
          sealedPrevious: endpoint.sealedSecret,
          previousUntil,
        },
        now,
      );
      await this.#record(trx, actor, 'webhook.secret_rotated', publicId, {
        partnerId,
        previousSignsUntil: previousUntil.toISOString(),
      });
    });
    return { ...toEndpoint(await this.#endpoint(partnerId, publicId)), secret };
  }

  async deliveries(partnerId: number, publicId: string): Promise<Delivery[]> {
    const endpoint = await this.#endpoint(partnerId, publicId);
    const found = await lastDeliveries(this.#database.db, endpoint.id, listedDeliveries);
    return found.map(({ delivery, attempts }) => toDelivery(delivery, attempts));
  }

  /** Every endpoint of a partner with its last deliveries (the back office's view). */
  async overview(
    partnerId: number,
    perEndpoint = 20,
  ): Promise<{ endpoint: Endpoint; deliveries: Delivery[] }[]> {
    const endpoints = await endpointsOf(this.#database.db, partnerId);
    const out: { endpoint: Endpoint; deliveries: Delivery[] }[] = [];
    for (const endpoint of endpoints) {
      const found = await lastDeliveries(this.#database.db, endpoint.id, perEndpoint);
      out.push({
        endpoint: toEndpoint(endpoint),
        deliveries: found.map(({ delivery, attempts }) => toDelivery(delivery, attempts)),
      });
    }
    return out;
  }

  /** Due again now, a failed or delivered one too; refused while the endpoint is disabled. */
  async retry(
    partnerId: number,
    publicId: string,
    messageId: string,
    actor: WebhookActor,
  ): Promise<Delivery> {
    const endpoint = await this.#endpoint(partnerId, publicId);
    const delivery = await findDelivery(this.#database.db, endpoint.id, messageId);
    if (!delivery) throw new AppError('not_found');
    if (endpoint.disabledAt) {
      throw new AppError('already_decided', { message: 'the endpoint is disabled' });
    }
    const now = this.#clock.now();
    await this.#database.db.transaction().execute(async (trx) => {
      await requeueDelivery(trx, delivery.id, now);
      await this.#record(trx, actor, 'webhook.delivery_retried', publicId, {
        partnerId,
        deliveryId: messageId,
        previousState: delivery.state,
      });
    });
    this.#wake();
    const [again] = (await lastDeliveries(this.#database.db, endpoint.id, listedDeliveries)).filter(
      (d) => d.delivery.id === delivery.id,
    );
    return again ? toDelivery(again.delivery, again.attempts) : toDelivery(delivery, []);
  }

  /** Queues a `ping` to the endpoint; its delivery id. */
  async ping(partnerId: number, publicId: string): Promise<string> {
    const endpoint = await this.#endpoint(partnerId, publicId);
    if (endpoint.disabledAt) {
      throw new AppError('already_decided', { message: 'the endpoint is disabled' });
    }
    const now = this.#clock.now();
    const messageId = newMessageId();
    await insertDelivery(
      this.#database.db,
      {
        messageId,
        endpointId: endpoint.id,
        eventType: 'ping',
        body: pingBody(publicId, now),
      },
      now,
    );
    this.#wake();
    return messageId;
  }

  async #endpoint(partnerId: number, publicId: string): Promise<EndpointRecord> {
    const found = await findEndpoint(this.#database.db, partnerId, publicId);
    if (!found) throw new AppError('not_found');
    return found;
  }

  async #record(
    trx: Executor,
    actor: WebhookActor,
    action:
      'webhook.created' | 'webhook.deleted' | 'webhook.secret_rotated' | 'webhook.delivery_retried',
    publicId: string,
    details: Record<string, string | number | boolean | null | readonly string[]>,
  ): Promise<void> {
    await this.#audit.record(trx, {
      actor: { type: actor.type, id: actor.id, label: actor.label },
      action,
      subject: { type: 'webhook', id: publicId },
      ip: actor.ip,
      details,
    });
  }
}
