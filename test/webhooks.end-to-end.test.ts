// Watches and webhooks together, through the partner API and real state
// changes, on both databases: a partner watches an account by the SHA-256 of
// its key and registers an endpoint; the account is reported (an import): the
// receiver on loopback gets `account.reported`, signed so that the
// standardwebhooks package verifies it, with the body api.md describes and
// nothing about reporters; an account nobody watches sends nothing; a
// reviewer's decision is answered while the receiver it causes a delivery to
// never answers. (Each other cause's delivery rows: test/watches.events.test.ts.)
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { importReports } from '../src/reports/import.service.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { ManualClock, systemClock } from '../src/shared/clock.ts';
import { resolveSecretKey } from '../src/main.ts';
import { describeEachDialect } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { startReceiver, type Received, type WebhookReceiver } from './support/webhook-receiver.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

describeEachDialect('watches and webhooks end to end on %s', (dialect) => {
  let runtime: TestRuntime;
  let receiver: WebhookReceiver;
  let key: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    runtime = await startTestRuntime(dialect, { env: { WEBHOOK_ALLOW_PRIVATE: 'on' } });
    const partners = runtime.services.partners;
    const partner = await partners.createPartner(
      { name: 'Bank Penjaga', kind: 'bank', contactEmail: 'api@penjaga.test' },
      actor,
    );
    key = (await partners.issueKey(partner.id, { label: 'pantau', scopes: ['watch'] }, actor))
      .secret;
    await partners.reload();
  });
  afterAll(async () => {
    await runtime?.close();
    await receiver?.close();
  });

  function call(method: 'POST' | 'GET', url: string, body?: object) {
    return runtime.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(body ? { payload: body } : {}),
    });
  }

  function verified(secret: string, received: Received): unknown {
    return new Webhook(secret).verify(received.body, {
      'webhook-id': String(received.headers['webhook-id']),
      'webhook-timestamp': String(received.headers['webhook-timestamp']),
      'webhook-signature': String(received.headers['webhook-signature']),
    });
  }

  async function importRows(lines: readonly string[]) {
    const csv = ['source_id,provider,number,category,reported_at,holder_name', ...lines].join('\n');
    await importReports(runtime.database, () => Readable.from([csv]), {
      clock: systemClock,
      box: new SecretBox(resolveSecretKey(runtime.config)),
    });
  }

  it('tells a watching receiver of a report, signed, and nothing of other accounts', async () => {
    const watched = '014:6200000001';
    const watching = await call('POST', '/api/v1/partner/watches', {
      hashes: [sha256(watched).toUpperCase()],
    });
    expect(watching.statusCode, watching.body).toBe(200);
    const created = await call('POST', '/api/v1/partner/webhooks', {
      url: receiver.url('/cekrek'),
      events: ['account.reported', 'account.disputed'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { secret } = created.json<{ secret: string }>();

    await importRows([
      'e2e-1,014,6200000001,online_shopping_fraud,2026-02-03,Nama Pelaku',
      'e2e-2,014,6200000002,online_shopping_fraud,2026-02-03,',
    ]);
    const [reported] = await receiver.until(1, '/cekrek');
    const event = verified(secret, reported!) as Record<string, unknown>;
    expect(event).toMatchObject({
      type: 'account.reported',
      data: {
        account: { provider: '014', number: '6200000001', key: watched, keyHash: sha256(watched) },
        status: 'reported',
        reports: { verified: 1 },
      },
    });
    expect(reported!.body).not.toMatch(/Nama Pelaku|reporter/i);

    // Nothing for the unwatched account, whatever else happened.
    await new Promise((resolve) => setTimeout(resolve, 800));
    const bodies = receiver.at('/cekrek').map((r) => r.body);
    expect(bodies.some((body) => body.includes('6200000002'))).toBe(false);
    expect(new Set(receiver.at('/cekrek').map((r) => r.headers['webhook-id'])).size).toBe(
      receiver.at('/cekrek').length,
    );
  });

  it('answers the request that caused an event without waiting for its receiver', async () => {
    const watched = '014:6200000003';
    receiver.on('/diam', 'hang');
    await call('POST', '/api/v1/partner/watches', { hashes: [sha256(watched)] });
    const created = await call('POST', '/api/v1/partner/webhooks', {
      url: receiver.url('/diam'),
      events: ['account.reported'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const endpointId = created.json<{ id: string }>().id;
    await seedReports(runtime.database, [
      { provider: '014', number: '6200000003', status: 'submitted' },
    ]);
    const report = await runtime.database.db
      .selectFrom('reports')
      .innerJoin('accounts', 'accounts.id', 'reports.account_id')
      .select('reports.id')
      .where('accounts.key', '=', watched)
      .executeTakeFirstOrThrow();
    await createOperator(runtime, 'penelaah@cekrek.test', ['reviewer']);
    // The clock only makes the TOTP codes of the sign-in; the server keeps its own.
    const { client } = await signedIn(runtime, new ManualClock(new Date()), 'penelaah@cekrek.test');

    const decided = client.request('POST', `/api/v1/admin/reports/${String(report.id)}/decision`, {
      decision: 'verify',
      reason: 'evidence_sufficient',
    });
    // The delivery reaches a receiver that holds it and never answers…
    await receiver.until(1, '/diam');
    // …and the decision is answered all the same, its delivery still unanswered.
    const response = await decided;
    expect(response.statusCode, response.body).toBe(200);
    const delivery = await runtime.database.db
      .selectFrom('webhook_deliveries')
      .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
      .select(['webhook_deliveries.attempts', 'webhook_deliveries.state'])
      .where('webhook_endpoints.public_id', '=', endpointId)
      .executeTakeFirstOrThrow();
    expect({ attempts: Number(delivery.attempts), state: delivery.state }).toEqual({
      attempts: 0,
      state: 'pending',
    });
  });
});
