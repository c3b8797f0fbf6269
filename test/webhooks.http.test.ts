// The partner's webhook API through the whole runtime on both databases,
// with the server's own delivery worker and a real receiver on loopback
// (WEBHOOK_ALLOW_PRIVATE=on): only with a key of scope `watch`; the secret
// shown once; ping and queued events verified with standardwebhooks; a
// rotation's overlap signing with both secrets; deliveries listed with their
// attempts; a manual retry with the same webhook-id; another partner's
// endpoint not found; delete. Without WEBHOOK_ALLOW_PRIVATE, loopback,
// private, link-local and IPv6 loopback URLs, a name resolving to loopback
// and http:// are refused with 400 invalid_webhook_url. And the back office
// shows the endpoints and deliveries on the partner's page, with a retry.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { newMessageId } from '../src/webhooks/signing.ts';
import { describeEachDialect } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { startReceiver, type Received, type WebhookReceiver } from './support/webhook-receiver.ts';
import { createOperator } from './support/operators.ts';
import { PageClient, signInThroughPages, textOf } from './support/backoffice.ts';
import { ManualClock } from '../src/shared/clock.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };

async function partnerWithKey(runtime: TestRuntime, name: string, scopes: ['watch'] | ['check']) {
  const partners = runtime.services.partners;
  const partner = await partners.createPartner(
    { name, kind: 'bank', contactEmail: `api@${name.replaceAll(' ', '').toLowerCase()}.test` },
    actor,
  );
  const key = (await partners.issueKey(partner.id, { label: 'webhooks', scopes }, actor)).secret;
  await partners.reload();
  return { partner, key };
}

function verify(secret: string, received: Received): unknown {
  return new Webhook(secret).verify(received.body, {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  });
}

type Created = { id: string; url: string; events: string[]; secret: string; createdAt: string };
type DeliveryBody = {
  id: string;
  eventType: string;
  state: string;
  attempts: { at: string; statusCode: number | null; latencyMs: number; error: string | null }[];
};

describeEachDialect('partner webhooks API on %s', (dialect) => {
  let runtime: TestRuntime;
  let receiver: WebhookReceiver;
  let watch: Awaited<ReturnType<typeof partnerWithKey>>;
  // Real time, held still (the back office's sign-in moves it): standardwebhooks
  // refuses a timestamp more than five minutes off.
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    receiver = await startReceiver();
    runtime = await startTestRuntime(dialect, { env: { WEBHOOK_ALLOW_PRIVATE: 'on' }, clock });
    watch = await partnerWithKey(runtime, 'Bank Contoh', ['watch']);
  });
  afterAll(async () => {
    await runtime?.close();
    await receiver?.close();
  });

  function call(method: 'GET' | 'POST' | 'DELETE', url: string, key: string | null, body?: object) {
    return runtime.app.inject({
      method,
      url,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(body ? { payload: body } : {}),
    });
  }

  async function create(path: string, key = watch.key): Promise<Created> {
    const answer = await call('POST', '/api/v1/partner/webhooks', key, {
      url: receiver.url(path),
      events: ['account.reported', 'account.normalized'],
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Created>();
  }

  async function deliveries(id: string): Promise<DeliveryBody[]> {
    const answer = await call('GET', `/api/v1/partner/webhooks/${id}/deliveries`, watch.key);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<{ deliveries: DeliveryBody[] }>().deliveries;
  }

  async function until(id: string, test: (d: DeliveryBody[]) => boolean): Promise<DeliveryBody[]> {
    for (let i = 0; i < 200; i++) {
      const found = await deliveries(id);
      if (test(found)) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('the deliveries did not reach the expected state');
  }

  it('needs a key of scope watch', async () => {
    const none = await call('GET', '/api/v1/partner/webhooks', null);
    expect(none.statusCode).toBe(401);
    const other = await partnerWithKey(runtime, 'Polisi Contoh', ['check']);
    const wrong = await call('GET', '/api/v1/partner/webhooks', other.key);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'insufficient_scope' });
  });

  it('creates an endpoint with a secret shown once, lists it without, and pings it', async () => {
    const created = await create('/hook');
    expect(created.id).toMatch(/^we_[a-z2-7]+$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.secret.slice(6), 'base64')).toHaveLength(32);
    const listed = await call('GET', '/api/v1/partner/webhooks', watch.key);
    expect(listed.body).not.toContain(created.secret);
    expect(listed.body).not.toContain(created.secret.slice(6, 30));
    expect(listed.json<{ webhooks: unknown[] }>().webhooks).toEqual([
      expect.objectContaining({
        id: created.id,
        url: receiver.url('/hook'),
        events: ['account.reported', 'account.normalized'],
        state: 'enabled',
        disabledReason: null,
      }),
    ]);
    // The sealed secret in the database is not the secret.
    const stored = await runtime.database.db
      .selectFrom('webhook_endpoints')
      .select('secret')
      .where('public_id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(created.secret.slice(6));

    const ping = await call('POST', `/api/v1/partner/webhooks/${created.id}/ping`, watch.key);
    expect(ping.statusCode, ping.body).toBe(202);
    const { deliveryId } = ping.json<{ deliveryId: string }>();
    const [got] = await receiver.until(1, '/hook');
    expect(got!.headers['webhook-id']).toBe(deliveryId);
    expect(verify(created.secret, got!)).toMatchObject({
      type: 'ping',
      data: { endpointId: created.id },
    });
    const listedDeliveries = await until(created.id, (d) => d[0]?.state === 'delivered');
    expect(listedDeliveries[0]).toMatchObject({ id: deliveryId, eventType: 'ping' });
    expect(listedDeliveries[0]!.attempts).toEqual([
      expect.objectContaining({ statusCode: 204, error: null }),
    ]);
    // No secret in any log line.
    expect(JSON.stringify(runtime.logs)).not.toContain(created.secret.slice(6));
  });

  it('delivers a queued event row, and retries a failed one by hand with the same webhook-id', async () => {
    const created = await create('/flaky');
    receiver.on('/flaky', (n) => (n === 1 ? 500 : 200));
    const endpoint = await runtime.database.db
      .selectFrom('webhook_endpoints')
      .select('id')
      .where('public_id', '=', created.id)
      .executeTakeFirstOrThrow();
    const messageId = newMessageId();
    const now = clock.now();
    const body = JSON.stringify({
      type: 'account.reported',
      timestamp: now.toISOString(),
      data: {
        account: { provider: '014', number: '8800000001', key: '014:8800000001', keyHash: 'ab' },
        status: 'reported',
        reports: { verified: 2 },
        changedAt: now.toISOString(),
      },
    });
    await runtime.database.db
      .insertInto('webhook_deliveries')
      .values({
        message_id: messageId,
        endpoint_id: Number(endpoint.id),
        event_type: 'account.reported',
        body,
        state: 'pending',
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })
      .execute();
    const [first] = await receiver.until(1, '/flaky');
    expect(first!.body).toBe(body);
    expect(verify(created.secret, first!)).toMatchObject({ type: 'account.reported' });
    await until(created.id, (d) => d[0]?.attempts.length === 1);
    const retried = await call(
      'POST',
      `/api/v1/partner/webhooks/${created.id}/deliveries/${messageId}/retry`,
      watch.key,
    );
    expect(retried.statusCode, retried.body).toBe(202);
    const both = await receiver.until(2, '/flaky');
    expect(both.map((r) => r.headers['webhook-id'])).toEqual([messageId, messageId]);
    const [listed] = await until(created.id, (d) => d[0]?.state === 'delivered');
    expect(listed!.attempts.map((a) => a.statusCode)).toEqual([500, 200]);
    expect(listed!.attempts[0]!.error).toBe('answered 500');
    expect(typeof listed!.attempts[0]!.latencyMs).toBe('number');
    const unknown = await call(
      'POST',
      `/api/v1/partner/webhooks/${created.id}/deliveries/msg_nothere/retry`,
      watch.key,
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('signs with the old and the new secret for 24 hours after a rotation', async () => {
    const created = await create('/rotated');
    const rotated = await call('POST', `/api/v1/partner/webhooks/${created.id}/rotate`, watch.key);
    expect(rotated.statusCode, rotated.body).toBe(200);
    const fresh = rotated.json<Created>();
    expect(fresh.secret).toMatch(/^whsec_/);
    expect(fresh.secret).not.toBe(created.secret);
    const listed = (await call('GET', '/api/v1/partner/webhooks', watch.key)).json<{
      webhooks: { id: string; previousSecretUntil: string | null }[];
    }>();
    const until24h = listed.webhooks.find((w) => w.id === created.id)!.previousSecretUntil!;
    expect(new Date(until24h).getTime() - clock.now().getTime()).toBe(24 * 3_600_000);
    await call('POST', `/api/v1/partner/webhooks/${created.id}/ping`, watch.key);
    const [got] = await receiver.until(1, '/rotated');
    expect(String(got!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    // A receiver holding either secret accepts it.
    expect(verify(created.secret, got!)).toMatchObject({ type: 'ping' });
    expect(verify(fresh.secret, got!)).toMatchObject({ type: 'ping' });
    expect(() => verify(`whsec_${Buffer.alloc(32).toString('base64')}`, got!)).toThrow();
  });

  it('hides another partner’s endpoints, and deletes', async () => {
    const created = await create('/mine');
    const other = await partnerWithKey(runtime, 'Bank Lain', ['watch']);
    for (const [method, path] of [
      ['GET', `/api/v1/partner/webhooks/${created.id}/deliveries`],
      ['POST', `/api/v1/partner/webhooks/${created.id}/rotate`],
      ['POST', `/api/v1/partner/webhooks/${created.id}/ping`],
      ['DELETE', `/api/v1/partner/webhooks/${created.id}`],
    ] as const) {
      expect((await call(method, path, other.key)).statusCode).toBe(404);
    }
    const theirs = await call('GET', '/api/v1/partner/webhooks', other.key);
    expect(theirs.json()).toEqual({ webhooks: [] });
    const deleted = await call('DELETE', `/api/v1/partner/webhooks/${created.id}`, watch.key);
    expect(deleted.statusCode).toBe(204);
    const listed = await call('GET', '/api/v1/partner/webhooks', watch.key);
    expect(listed.body).not.toContain(created.id);
    const audit = await runtime.services.audit.list({ subjectId: created.id, limit: 10 });
    expect(audit.map((e) => e.action).sort()).toEqual(['webhook.created', 'webhook.deleted']);
    expect(JSON.stringify(audit)).not.toContain(created.secret.slice(6));
  });

  it('refuses unknown events', async () => {
    const answer = await call('POST', '/api/v1/partner/webhooks', watch.key, {
      url: receiver.url('/x'),
      events: ['account.stolen'],
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('shows the endpoints and deliveries on the partner’s back-office page, with a retry', async () => {
    const created = await create('/office');
    receiver.on('/office', 503);
    const ping = await call('POST', `/api/v1/partner/webhooks/${created.id}/ping`, watch.key);
    const { deliveryId } = ping.json<{ deliveryId: string }>();
    await until(created.id, (d) => d.find((x) => x.id === deliveryId)?.attempts.length === 1);
    await createOperator(runtime, `admin-${dialect}@cekrek.test`, ['admin']);
    const admin = new PageClient(runtime.app);
    await signInThroughPages(
      admin,
      clock,
      `admin-${dialect}@cekrek.test`,
      'a long test password 123',
    );
    const page = await admin.get(`/admin/mitra/${watch.partner.id}`);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain(created.id);
    expect(text).toContain(receiver.url('/office'));
    expect(text).toContain(deliveryId);
    expect(text).toContain('503');
    expect(page.body).not.toContain(created.secret.slice(6));
    receiver.on('/office', 200);
    const retryPath = `/admin/mitra/${watch.partner.id}/webhook/${created.id}/pengiriman/${deliveryId}/ulang`;
    const withoutCsrf = await admin.post(retryPath, {}, { csrf: null });
    expect(withoutCsrf.statusCode).toBe(403);
    const retried = await admin.post(retryPath, {});
    expect(retried.statusCode, retried.body).toBe(303);
    const again = await receiver.until(2, '/office');
    expect(again.map((r) => r.headers['webhook-id'])).toEqual([deliveryId, deliveryId]);
    const audit = await runtime.services.audit.list({
      action: 'webhook.delivery_retried',
      subjectId: created.id,
      limit: 5,
    });
    expect(audit[0]).toMatchObject({ actorType: 'operator' });
  });
});

describeEachDialect('webhook URLs without WEBHOOK_ALLOW_PRIVATE on %s', (dialect) => {
  let runtime: TestRuntime;
  let key: string;

  beforeAll(async () => {
    runtime = await startTestRuntime(dialect);
    key = (await partnerWithKey(runtime, 'Bank Aman', ['watch'])).key;
  });
  afterAll(() => runtime?.close());

  it.each([
    'https://127.0.0.1/hook',
    'https://10.1.2.3/hook',
    'https://192.168.1.20/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://localhost/hook',
    'https://localhost:8443/hook',
    'http://8.8.8.8/hook',
  ])('refuses %s with 400 invalid_webhook_url', async (url) => {
    const answer = await runtime.app.inject({
      method: 'POST',
      url: '/api/v1/partner/webhooks',
      headers: { authorization: `Bearer ${key}` },
      payload: { url, events: ['account.reported'] },
    });
    expect(answer.statusCode, answer.body).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'invalid_webhook_url' });
    const stored = await runtime.database.db.selectFrom('webhook_endpoints').select('id').execute();
    expect(stored).toHaveLength(0);
  });
});
