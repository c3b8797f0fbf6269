// Watches and webhooks. A partner watches accounts by the SHA-256 of their
// canonical key (accounts.key_hash), or every account of the provider codes an
// admin assigned to it; each state change of a watched account enqueues one
// delivery per subscribed endpoint in the transaction of the change (the
// deliveries table is the outbox), and a delivery worker sends them with the
// Standard Webhooks headers, recording every attempt.
import { type Kysely } from 'kysely';
import { columnTypes } from './columns.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const t = columnTypes(db);

  await db.schema
    .createTable('partner_watches')
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    // lower-case hex SHA-256 of the canonical key (accounts.key_hash holds it upper-case)
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_watches_pk', ['partner_id', 'key_hash'])
    .execute();
  // a change finds its watchers by the account's hash, whatever the number of watches
  await db.schema
    .createIndex('partner_watches_key_hash')
    .on('partner_watches')
    .column('key_hash')
    .execute();

  // a bank or e-wallet partner watching every account of a provider code it holds
  await db.schema
    .createTable('partner_provider_watches')
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('partner_provider_watches_pk', ['provider', 'partner_id'])
    .execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // shown to the partner: 'we_' + random
    .addColumn('public_id', 'text', (c) => c.notNull().unique())
    .addColumn('partner_id', 'bigint', (c) => c.notNull().references('partners.id'))
    .addColumn('url', 'text', (c) => c.notNull())
    // JSON array of event types
    .addColumn('events', 'text', (c) => c.notNull())
    // SecretBox-sealed 'whsec_…' (it must sign, so it is encrypted, not hashed)
    .addColumn('secret', 'text', (c) => c.notNull())
    // the secret a rotation replaced, signing alongside until previous_secret_until
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    // the first failure of the current run of failures (null: the last attempt succeeded)
    .addColumn('failing_since', t.timestamp)
    .addColumn('disabled_at', t.timestamp)
    // 'gone' (410), 'failing' (5 days of failures), 'partner' (deleted by the partner)
    .addColumn('disabled_reason', 'text')
    .addColumn('deleted_at', t.timestamp)
    .execute();
  await db.schema
    .createIndex('webhook_endpoints_partner')
    .on('webhook_endpoints')
    .column('partner_id')
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    // the webhook-id header, the same on every attempt: 'msg_' + random
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('endpoint_id', 'bigint', (c) => c.notNull().references('webhook_endpoints.id'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    // the JSON body, fixed when the event happened
    .addColumn('body', 'text', (c) => c.notNull())
    // 'pending', 'delivered', 'failed' (no attempts left, or the endpoint disabled)
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', t.timestamp)
    // a worker's claim on it; a claim past this time is free again (the worker died)
    .addColumn('locked_until', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('delivered_at', t.timestamp)
    .execute();
  // the worker's queue: what is due, oldest first
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['state', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('delivery_id', 'bigint', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('attempted_at', t.timestamp, (c) => c.notNull())
    // the HTTP status answered, null when none (timeout, refused, redirect not followed…)
    .addColumn('status_code', 'integer')
    // why it failed, in a few words, without the response body
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_attempts_delivery')
    .on('webhook_attempts')
    .column('delivery_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhook_endpoints').execute();
  await db.schema.dropTable('partner_provider_watches').execute();
  await db.schema.dropTable('partner_watches').execute();
}
