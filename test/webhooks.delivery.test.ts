// The webhook delivery worker on both databases, against a real HTTP
// receiver on loopback: signatures a receiver verifies with the
// standardwebhooks package, a 500 retried with the same webhook-id on the
// schedule, 410 disabling at once, redirects not followed, the timeout, five
// days of failures disabling the endpoint and mailing the partner, a dead
// endpoint not delaying another, two workers never sending one attempt
// twice, and the address check made again when connecting.
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { seedPartner } from './support/factories.ts';
import { Webhook } from 'standardwebhooks';
import { ManualClock } from '../src/shared/clock.ts';
import type { DialectName } from '../src/db/database.ts';
import { newMessageId } from '../src/webhooks/signing.ts';
import { insertDelivery } from '../src/webhooks/webhooks.repository.ts';
import { WebhooksService, type WebhookActor } from '../src/webhooks/webhooks.service.ts';
import { WebhookWorker, type WebhookWorkerOptions } from '../src/webhooks/webhooks.worker.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { queuedMails, serviceKit, type ServiceKit } from './support/services.ts';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const actor: WebhookActor = { type: 'system', id: null, label: 'partner test' };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function eventBody(n: number, at: Date): string {
  return JSON.stringify({
    type: 'account.reported',
    timestamp: at.toISOString(),
    data: {
      account: {
        provider: '014',
        number: String(8_800_000_000 + n),
        key: `014:${n}`,
        keyHash: 'ab',
      },
      status: 'reported',
      reports: { verified: 1 },
      changedAt: at.toISOString(),
    },
  });
}

describeEachDialect('webhook delivery on %s', (dialect: DialectName) => {
  let testDatabase: TestDatabase;
  let kit: ServiceKit;
  let webhooks: WebhooksService;
  let receiver: WebhookReceiver;
  let partnerId: number;
  const workers: WebhookWorker[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase(dialect);
    // Real time: standardwebhooks refuses a timestamp more than five minutes off.
    kit = await serviceKit(testDatabase, { clock: new ManualClock(new Date()) });
    webhooks = new WebhooksService({
      database: kit.database,
      audit: kit.audit,
      clock: kit.clock,
      box: kit.box,
      urlPolicy: { allowPrivate: true },
    });
    const now = kit.clock.now();
    partnerId = await seedPartner(kit.database, now);
  });
  afterAll(async () => {
    await testDatabase?.close();
  });
  beforeEach(async () => {
    receiver = await startReceiver();
    kit.clock.set(new Date());
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await receiver.close();
  });

  function worker(options: Partial<WebhookWorkerOptions> = {}): WebhookWorker {
    const w = new WebhookWorker({
      database: kit.database,
      clock: kit.clock,
      box: kit.box,
      audit: kit.audit,
      logger: silent,
      allowPrivate: true,
      timeoutMs: 1_000,
      random: () => 0.5,
      ...options,
    });
    workers.push(w);
    return w;
  }

  async function endpoint(path: string) {
    const created = await webhooks.create(
      partnerId,
      { url: receiver.url(path), events: ['account.reported'] },
      actor,
    );
    const row = await kit.database.db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('public_id', '=', created.id)
      .executeTakeFirstOrThrow();
    return { ...created, rowId: Number(row.id) };
  }

  async function enqueue(endpointRowId: number, n = 1): Promise<string> {
    const messageId = newMessageId();
    const now = kit.clock.now();
    await insertDelivery(
      kit.database.db,
      {
        messageId,
        endpointId: endpointRowId,
        eventType: 'account.reported',
        body: eventBody(n, now),
      },
      now,
    );
    return messageId;
  }

  async function delivery(messageId: string) {
    return kit.database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('message_id', '=', messageId)
      .executeTakeFirstOrThrow();
  }

  async function attempts(messageId: string) {
    const d = await delivery(messageId);
    return kit.database.db
      .selectFrom('webhook_attempts')
      .select(['status_code', 'error', 'latency_ms'])
      .where('delivery_id', '=', d.id)
      .orderBy('id')
      .execute();
  }

  it('sends the body unchanged, signed so that standardwebhooks verifies it', async () => {
    const target = await endpoint('/ok');
    const id = await enqueue(target.rowId, 1);
    expect(await worker().drain()).toBe(1);
    const [got] = await receiver.until(1, '/ok');
    expect(got!.headers['webhook-id']).toBe(id);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['user-agent']).toBe('cekrek');
    expect(got!.body).toBe((await delivery(id)).body);
    const verified = new Webhook(target.secret).verify(got!.body, {
      'webhook-id': String(got!.headers['webhook-id']),
      'webhook-timestamp': String(got!.headers['webhook-timestamp']),
      'webhook-signature': String(got!.headers['webhook-signature']),
    });
    expect(verified).toMatchObject({ type: 'account.reported' });
    expect(await delivery(id)).toMatchObject({ state: 'delivered', attempts: 1 });
    const [attempt] = await attempts(id);
    expect(attempt).toMatchObject({ status_code: 204, error: null });
  });

  it('retries a 500 after about five seconds, with the same webhook-id', async () => {
    const target = await endpoint('/flaky');
    receiver.on('/flaky', (call) => (call === 1 ? 500 : 200));
    const id = await enqueue(target.rowId);
    const w = worker();
    await w.drain();
    const first = await delivery(id);
    expect(first).toMatchObject({ state: 'pending', attempts: 1 });
    expect(new Date(first.next_attempt_at!).getTime() - kit.clock.now().getTime()).toBeCloseTo(
      5_000,
      -3,
    );
    expect(await w.drain()).toBe(0); // not due yet
    kit.clock.advance(5_001);
    expect(await w.drain()).toBe(1);
    const got = receiver.at('/flaky');
    expect(got.map((r) => r.headers['webhook-id'])).toEqual([id, id]);
    expect(await delivery(id)).toMatchObject({ state: 'delivered', attempts: 2 });
    expect((await attempts(id)).map((a) => a.status_code)).toEqual([500, 200]);
    const endpointRow = await kit.database.db
      .selectFrom('webhook_endpoints')
      .select('failing_since')
      .where('id', '=', target.rowId)
      .executeTakeFirstOrThrow();
    expect(endpointRow.failing_since).toBeNull();
  });

  it('gives up after the last retry of the schedule', async () => {
    const target = await endpoint('/down');
    receiver.on('/down', 503);
    const id = await enqueue(target.rowId);
    const w = worker();
    for (const hours of [0, 5 / 3600, 5 / 60, 0.5, 2, 5, 10, 10]) {
      kit.clock.advance(hours * 3_600_000 * 1.01);
      await w.drain();
    }
    expect(await delivery(id)).toMatchObject({ state: 'failed', attempts: 8 });
    expect(receiver.at('/down')).toHaveLength(8);
  });

  it('disables the endpoint at once on 410, failing its pending deliveries, and mails the partner', async () => {
    const target = await endpoint('/gone');
    receiver.on('/gone', 410);
    const ids = [await enqueue(target.rowId, 1), await enqueue(target.rowId, 2)];
    await worker({ perEndpoint: 1, concurrency: 1 }).drain();
    expect(receiver.at('/gone')).toHaveLength(1);
    const states = await Promise.all(ids.map(async (id) => (await delivery(id)).state));
    expect(states).toEqual(['failed', 'failed']);
    const [listed] = (await webhooks.list(partnerId)).filter((e) => e.id === target.id);
    expect(listed).toMatchObject({ state: 'disabled', disabledReason: 'gone' });
    const mails = await queuedMails(kit);
    expect(mails.at(-1)).toMatchObject({ to: 'api@bank.test' });
    expect(mails.at(-1)!.text).toContain(target.id);
    const audit = await kit.audit.list({ action: 'webhook.disabled', limit: 50 });
    expect(audit.some((e) => e.subjectId === target.id)).toBe(true);
  });

  it('never follows a redirect: a 3xx is a failed attempt', async () => {
    const target = await endpoint('/moved');
    receiver.on('/moved', { redirect: receiver.url('/elsewhere') });
    const id = await enqueue(target.rowId);
    await worker().drain();
    expect(receiver.at('/elsewhere')).toHaveLength(0);
    expect(await delivery(id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect(await attempts(id)).toEqual([
      expect.objectContaining({ status_code: 302, error: 'redirect not followed' }),
    ]);
  });

  it('gives up on an answer that does not come within the timeout', async () => {
    const target = await endpoint('/silent');
    receiver.on('/silent', 'hang');
    const id = await enqueue(target.rowId);
    const begun = Date.now();
    await worker({ timeoutMs: 400 }).drain();
    expect(Date.now() - begun).toBeLessThan(3_000);
    const [attempt] = await attempts(id);
    expect(attempt).toMatchObject({ status_code: null, error: 'timeout after 400 ms' });
    expect(attempt!.latency_ms).toBeGreaterThanOrEqual(350);
  });

  it('disables an endpoint that failed everything for five days, and mails its partner', async () => {
    const target = await endpoint('/broken');
    receiver.on('/broken', 500);
    const w = worker();
    await enqueue(target.rowId, 1);
    await w.drain();
    const about = async () => (await queuedMails(kit)).filter((m) => m.text.includes(target.id));
    expect(await about()).toHaveLength(0);
    kit.clock.advance(4 * 24 * 3_600_000);
    await enqueue(target.rowId, 2);
    await w.drain();
    expect((await webhooks.list(partnerId)).find((e) => e.id === target.id)).toMatchObject({
      state: 'enabled',
    });
    kit.clock.advance(24 * 3_600_000);
    const last = await enqueue(target.rowId, 3);
    await w.drain();
    expect((await webhooks.list(partnerId)).find((e) => e.id === target.id)).toMatchObject({
      state: 'disabled',
      disabledReason: 'failing',
    });
    expect((await delivery(last)).state).toBe('failed');
    const pending = await kit.database.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('endpoint_id', '=', target.rowId)
      .where('state', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(0);
    const mails = await about();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toBe('api@bank.test');
    expect(mail.subject).toContain('dinonaktifkan');
    expect(mail.text).toContain('selama 5 hari');
    expect(mail.text).toContain('failed for 5 days');
    expect(mail.text.indexOf('Yth.')).toBeLessThan(mail.text.indexOf('Dear'));
  });

  it('does not let an endpoint that never answers delay another', async () => {
    const dead = await endpoint('/dead');
    const alive = await endpoint('/alive');
    receiver.on('/dead', 'hang');
    for (let i = 0; i < 20; i++) await enqueue(dead.rowId, i);
    for (let i = 0; i < 30; i++) await enqueue(alive.rowId, i);
    const w = worker({ timeoutMs: 2_500, concurrency: 4, perEndpoint: 2 });
    const begun = Date.now();
    w.start();
    await receiver.until(30, '/alive', 2_000);
    expect(Date.now() - begun).toBeLessThan(2_000);
    expect(receiver.at('/dead').length).toBeLessThanOrEqual(2);
  });

  it('never sends one attempt twice with several workers on the same rows', async () => {
    const target = await endpoint('/shared');
    receiver.on('/shared', { status: 200, delayMs: 5 });
    const ids = new Set<string>();
    for (let i = 0; i < 60; i++) ids.add(await enqueue(target.rowId, i));
    const a = worker({ perEndpoint: 3 });
    const b = worker({ perEndpoint: 3 });
    const c = worker({ perEndpoint: 3 });
    await Promise.all([a.drain(), b.drain(), c.drain()]);
    const got = receiver.at('/shared').map((r) => String(r.headers['webhook-id']));
    expect(got).toHaveLength(60);
    expect(new Set(got)).toEqual(ids);
  });

  it('stops without waiting out a receiver that hangs; the send is left to its lease', async () => {
    const target = await endpoint('/stuck');
    receiver.on('/stuck', 'hang');
    const id = await enqueue(target.rowId);
    const w = worker({ timeoutMs: 10_000 });
    w.start();
    await receiver.until(1, '/stuck');
    const begun = Date.now();
    await w.stop();
    expect(Date.now() - begun).toBeLessThan(4_000);
    const row = await delivery(id);
    expect(row).toMatchObject({ state: 'pending', attempts: 0 });
    expect(new Date(row.locked_until!).getTime()).toBeGreaterThan(kit.clock.now().getTime());
    expect(await attempts(id)).toEqual([]);
  });

  it('never sends unsigned: a secret that cannot be opened is a failed attempt', async () => {
    const target = await endpoint('/unsigned');
    const other = await endpoint('/other');
    const sealedElsewhere = await kit.database.db
      .selectFrom('webhook_endpoints')
      .select('secret')
      .where('id', '=', other.rowId)
      .executeTakeFirstOrThrow();
    // Another endpoint's sealed secret: bound to its own id, it does not open here.
    await kit.database.db
      .updateTable('webhook_endpoints')
      .set({ secret: sealedElsewhere.secret })
      .where('id', '=', target.rowId)
      .execute();
    const id = await enqueue(target.rowId);
    await worker().drain();
    expect(receiver.at('/unsigned')).toHaveLength(0);
    expect(await attempts(id)).toEqual([
      expect.objectContaining({ status_code: null, error: 'signing secret unavailable' }),
    ]);
    expect(await delivery(id)).toMatchObject({ state: 'pending', attempts: 1 });
  });

  it('checks the address again when it connects: a name that resolves to loopback is refused', async () => {
    const target = await webhooks.create(
      partnerId,
      { url: `https://localhost:${receiver.port}/rebound`, events: ['account.reported'] },
      actor,
    );
    const row = await kit.database.db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('public_id', '=', target.id)
      .executeTakeFirstOrThrow();
    const id = await enqueue(Number(row.id));
    await worker({ allowPrivate: false }).drain();
    expect(receiver.at('/rebound')).toHaveLength(0);
    expect(await attempts(id)).toEqual([
      expect.objectContaining({ status_code: null, error: 'address not allowed' }),
    ]);
  });
});
