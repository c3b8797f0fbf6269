// What a change of a watched account leaves in the outbox, on both databases:
// one pending delivery per live endpoint subscribed to the event, with the
// body the contract gives, for each cause (a report verified, an import, a
// partner's import, a normalization filed, granted and denied, a seller
// approved and revoked); nothing for an unwatched account, nor for an
// endpoint not subscribed, disabled or deleted; watches by provider code;
// no delivery without its change nor change without its delivery; and the
// match by the key_hash index.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toAccountRef } from '../src/shared/account-number.ts';
import { AuditService } from '../src/audit/audit.service.ts';
import type { AuditEntry, AuditEvent } from '../src/audit/audit.events.ts';
import type { Executor } from '../src/db/database.ts';
import { resolveSecretKey } from '../src/main.ts';
import { parseNormalizationInput } from '../src/normalizations/normalization-input.ts';
import { importReports } from '../src/reports/import.service.ts';
import { ReportsService } from '../src/reports/reports.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { enqueueAccountEvents } from '../src/watches/watches.service.ts';
import { watchersQuery } from '../src/watches/watches.repository.ts';
import { describeEachDialect } from './support/databases.ts';
import { seedOperator, seedReports, type OperatorActor } from './support/factories.ts';
import { cliActor } from './support/operators.ts';
import { postRegistration } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { stagedJpeg } from './support/services.ts';

function hashOf(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

interface DeliveryRow {
  id: number;
  message_id: string;
  endpoint_id: number;
  event_type: string;
  body: string;
  state: string;
  attempts: number;
  next_attempt_at: unknown;
  created_at: unknown;
}

const ownerFields = {
  provider: '014',
  holderName: 'Budi Santoso',
  nik: '3201014501900001',
  phone: '0812-3333-4444',
  email: 'pemilik@example.id',
  statement:
    'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
} as const;

describeEachDialect('account events for watchers on %s', (dialect) => {
  let runtime: TestRuntime;
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  let bank: number;
  let shop: number;
  /** The bank's endpoints: every event, reported only, disabled, deleted. */
  let all: number;
  let reportedOnly: number;
  let shopAll: number;
  let reviewer: OperatorActor;
  let mediator: OperatorActor;
  let secondMediator: OperatorActor;
  let registrar: OperatorActor;
  let seen = 0;

  async function endpoint(
    partnerId: number,
    events: string[],
    state: { disabled?: boolean; deleted?: boolean } = {},
  ): Promise<number> {
    const now = clock.now();
    const row = await runtime.database.db
      .insertInto('webhook_endpoints')
      .values({
        public_id: `we_${Math.random().toString(36).slice(2)}`,
        partner_id: partnerId,
        url: 'https://hooks.partner.test/cekrek',
        events: JSON.stringify(events),
        secret: 'sealed:not-a-real-secret',
        created_at: now,
        updated_at: now,
        disabled_at: state.disabled ? now : null,
        disabled_reason: state.disabled ? 'gone' : null,
        deleted_at: state.deleted ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  beforeAll(async () => {
    runtime = await startTestRuntime(dialect, { clock });
    const partners = runtime.services.partners;
    const partner = (name: string, kind: 'bank' | 'marketplace', providerCodes: string[] = []) =>
      partners.createPartner(
        { name, kind, contactEmail: 'api@partner.test', providerCodes },
        cliActor,
      );
    bank = (await partner('Bank Contoh', 'bank', ['008'])).id;
    shop = (await partner('Toko Daring', 'marketplace')).id;
    const every = [
      'account.reported',
      'account.disputed',
      'account.dispute_closed',
      'account.normalized',
      'account.seller_verified',
      'account.seller_revoked',
    ];
    all = await endpoint(bank, every);
    reportedOnly = await endpoint(bank, ['account.reported']);
    await endpoint(bank, every, { disabled: true });
    await endpoint(bank, every, { deleted: true });
    shopAll = await endpoint(shop, every);
    reviewer = await seedOperator(runtime.database, 'reviewer@cekrek.test', ['reviewer']);
    mediator = await seedOperator(runtime.database, 'mediator@cekrek.test', ['mediator']);
    secondMediator = await seedOperator(runtime.database, 'mediator-2@cekrek.test', ['mediator']);
    registrar = await seedOperator(runtime.database, 'registrar@cekrek.test', ['registrar']);
  });
  afterAll(async () => {
    await runtime?.close();
  });

  /** The deliveries written since the last call, oldest first. */
  async function newDeliveries(): Promise<DeliveryRow[]> {
    const rows = (await runtime.database.db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('id', '>', seen)
      .orderBy('id')
      .execute()) as unknown as DeliveryRow[];
    if (rows.length > 0) seen = Number(rows.at(-1)!.id);
    return rows;
  }

  function watch(partnerId: number, ...keys: string[]) {
    return runtime.services.watches.add(
      partnerId,
      keys.map((k) => hashOf(k).toUpperCase()),
    );
  }

  /** The body the contract gives, as the exact text sent. */
  function bodyOf(
    type: string,
    key: string,
    status: string,
    verified: number,
    at = clock.now(),
  ): string {
    const [provider, number] = key.split(':');
    return JSON.stringify({
      type,
      timestamp: at.toISOString(),
      data: {
        account: { provider, number, key, keyHash: hashOf(key) },
        status,
        reports: { verified },
        changedAt: at.toISOString(),
      },
    });
  }

  function summary(rows: readonly DeliveryRow[]) {
    return rows
      .map((r) => ({ endpoint: Number(r.endpoint_id), type: r.event_type, body: r.body }))
      .sort((a, b) => a.endpoint - b.endpoint || a.body.localeCompare(b.body));
  }

  async function submittedReport(number: string, provider = '014'): Promise<number> {
    await seedReports(runtime.database, [{ provider, number, status: 'submitted' }]);
    const row = await runtime.database.db
      .selectFrom('reports')
      .innerJoin('accounts', 'accounts.id', 'reports.account_id')
      .select('reports.id')
      .where('accounts.key', '=', toAccountRef(provider, number).key)
      .where('reports.status', '=', 'submitted')
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  const verify = { decision: 'verify', reason: 'evidence_sufficient', note: null } as const;

  it('a verified report: one pending delivery per subscribed live endpoint, with the body', async () => {
    const key = '014:1110000001';
    const id = await submittedReport('1110000001');
    // Nobody watches anything yet: nothing is left, whatever the endpoints.
    const everyAccount = await runtime.database.db.selectFrom('accounts').select('id').execute();
    const left = await runtime.database.db.transaction().execute((trx) =>
      enqueueAccountEvents(
        trx,
        dialect,
        'account.reported',
        everyAccount.map((a) => Number(a.id)),
        clock.now(),
      ),
    );
    expect(left).toBe(0);
    await watch(bank, key);
    expect(await newDeliveries()).toEqual([]);
    clock.advance(60_000);

    await runtime.services.reports.decide(id, reviewer, verify);

    const rows = await newDeliveries();
    const body = bodyOf('account.reported', key, 'reported', 1);
    expect(summary(rows)).toEqual([
      { endpoint: all, type: 'account.reported', body },
      { endpoint: reportedOnly, type: 'account.reported', body },
    ]);
    for (const row of rows) {
      expect(row.message_id).toMatch(/^msg_[a-z2-7]{26}$/);
      expect(row.state).toBe('pending');
      expect(Number(row.attempts)).toBe(0);
      expect(new Date(row.next_attempt_at as string)).toEqual(clock.now());
      expect(new Date(row.created_at as string)).toEqual(clock.now());
    }
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(2);
    expect(JSON.stringify(rows)).not.toMatch(/reporter|email/i);
  });

  it('sends nothing for an unwatched account, nor for a rejected report', async () => {
    const unwatched = await submittedReport('1110000002');
    await runtime.services.reports.decide(unwatched, reviewer, verify);
    await watch(bank, '014:1110000003');
    const rejected = await submittedReport('1110000003');
    await runtime.services.reports.decide(rejected, reviewer, {
      decision: 'reject',
      reason: 'insufficient_evidence',
      note: null,
    });
    expect(await newDeliveries()).toEqual([]);
  });

  it('matches watches by provider code, once per endpoint when a partner watches both ways', async () => {
    await runtime.services.watches.setProviderWatch(bank, true);
    const key = '008:2220000001';
    const id = await submittedReport('2220000001', '008');
    await runtime.services.reports.decide(id, reviewer, verify);
    const body = bodyOf('account.reported', key, 'reported', 1);
    expect(summary(await newDeliveries())).toEqual([
      { endpoint: all, type: 'account.reported', body },
      { endpoint: reportedOnly, type: 'account.reported', body },
    ]);

    // The shop watches the same account by its hash: its endpoint gets it too, the bank's once each.
    await watch(bank, '008:2220000002');
    await watch(shop, '008:2220000002');
    const both = await submittedReport('2220000002', '008');
    await runtime.services.reports.decide(both, reviewer, verify);
    const second = bodyOf('account.reported', '008:2220000002', 'reported', 1);
    expect(summary(await newDeliveries())).toEqual([
      { endpoint: all, type: 'account.reported', body: second },
      { endpoint: reportedOnly, type: 'account.reported', body: second },
      { endpoint: shopAll, type: 'account.reported', body: second },
    ]);
  });

  it('an import (cekrek import and a partner’s): one delivery per changed account and endpoint', async () => {
    await watch(shop, '014:3330000001', '014:3330000002');
    const csv = [
      'source_id,provider,number,category,reported_at,holder_name',
      'imp-1,014,3330000001,online_shopping_fraud,2026-02-01,',
      'imp-2,014,3330000001,online_gambling,2026-02-02,',
      'imp-3,014,3330000009,online_shopping_fraud,2026-02-01,',
      'imp-4,008,3330000010,online_shopping_fraud,2026-02-01,',
    ].join('\n');
    const box = new SecretBox(resolveSecretKey(runtime.config));
    await importReports(runtime.database, () => Readable.from([csv]), { clock, box });
    expect(summary(await newDeliveries())).toEqual(
      [
        {
          endpoint: shopAll,
          type: 'account.reported',
          body: bodyOf('account.reported', '014:3330000001', 'reported', 2),
        },
        // 008 is the bank's provider code.
        ...[all, reportedOnly].map((endpoint) => ({
          endpoint,
          type: 'account.reported',
          body: bodyOf('account.reported', '008:3330000010', 'reported', 1),
        })),
      ].sort((a, b) => a.endpoint - b.endpoint),
    );
    // The same file again stores nothing, and so sends nothing.
    await importReports(runtime.database, () => Readable.from([csv]), { clock, box });
    expect(await newDeliveries()).toEqual([]);

    const key = await runtime.services.partners.issueKey(
      shop,
      { label: 'impor', scopes: ['import'] },
      cliActor,
    );
    const queued = await runtime.services.partnerImports.queue(
      { partnerId: shop, keyId: key.key.id },
      Readable.from([
        [
          'source_id,provider,number,category,reported_at,holder_name',
          'p-1,014,3330000002,online_shopping_fraud,2026-02-03,',
        ].join('\n'),
      ]),
      1024 * 1024,
    );
    await runtime.services.partnerImports.run(queued.id);
    expect(summary(await newDeliveries())).toEqual([
      {
        endpoint: shopAll,
        type: 'account.reported',
        body: bodyOf('account.reported', '014:3330000002', 'reported', 1),
      },
    ]);
  });

  async function fileNormalization(number: string): Promise<number> {
    const files = runtime.services.files;
    const filed = await runtime.services.normalizations.submit(
      parseNormalizationInput({ ...ownerFields, number }),
      {
        savingsBookPhoto: [await stagedJpeg(files, 'savingsBookPhoto', 11, { sensitive: true })],
        idCardPhoto: [await stagedJpeg(files, 'idCardPhoto', 12, { sensitive: true })],
        evidence: [await stagedJpeg(files, 'evidence', 13, { fileName: 'resi.jpg' })],
      },
      { lang: 'id', challenge: undefined },
    );
    const row = await runtime.database.db
      .selectFrom('normalization_requests')
      .select('id')
      .where('ticket', '=', filed.ticket)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  it('a normalization filed (disputed), then granted (normalized) or denied (dispute closed)', async () => {
    const normalizations = runtime.services.normalizations;
    for (const number of ['4440000001', '4440000002']) {
      await watch(bank, `014:${number}`);
      await seedReports(runtime.database, [{ provider: '014', number }]);
    }
    const granted = await fileNormalization('4440000001');
    expect(summary(await newDeliveries())).toEqual([
      {
        endpoint: all,
        type: 'account.disputed',
        body: bodyOf('account.disputed', '014:4440000001', 'disputed', 1),
      },
    ]);
    for (const h of (await normalizations.detail(granted, mediator)).hearings) {
      await normalizations.excuseReporter(granted, mediator, {
        reportId: h.reportId,
        reason: 'no_contact',
        note: null,
      });
    }
    await normalizations.propose(granted, mediator, { decision: 'grant', reason: 'Resi sah.' });
    expect(await newDeliveries()).toEqual([]);
    clock.advance(1000);
    await normalizations.confirm(granted, secondMediator, { confirm: true, reason: null });
    expect(summary(await newDeliveries())).toEqual([
      {
        endpoint: all,
        type: 'account.normalized',
        body: bodyOf('account.normalized', '014:4440000001', 'normalized', 0),
      },
    ]);

    const denied = await fileNormalization('4440000002');
    expect((await newDeliveries()).map((r) => r.event_type)).toEqual(['account.disputed']);
    await normalizations.detail(denied, mediator);
    await normalizations.propose(denied, mediator, { decision: 'deny', reason: 'Bukti kuat.' });
    await normalizations.confirm(denied, secondMediator, { confirm: true, reason: null });
    expect(summary(await newDeliveries())).toEqual([
      {
        endpoint: all,
        type: 'account.dispute_closed',
        body: bodyOf('account.dispute_closed', '014:4440000002', 'reported', 1),
      },
    ]);
  });

  it('a seller registration approved (seller_verified), then revoked (seller_revoked)', async () => {
    const key = '014:5550000001';
    await watch(bank, key);
    const filed = await postRegistration(runtime, { number: '5550000001' });
    expect(filed.statusCode, filed.body).toBe(201);
    const row = await runtime.database.db
      .selectFrom('seller_registrations')
      .select('id')
      .where('ticket', '=', filed.json<{ ticket: string }>().ticket)
      .executeTakeFirstOrThrow();
    const id = Number(row.id);
    expect(await newDeliveries()).toEqual([]);
    const registrations = runtime.services.registrations;
    await registrations.decide(id, registrar, {
      decision: 'approve',
      reason: 'documents_match',
      note: null,
    });
    expect(summary(await newDeliveries())).toEqual([
      {
        endpoint: all,
        type: 'account.seller_verified',
        body: bodyOf('account.seller_verified', key, 'clear', 0),
      },
    ]);
    await registrations.revoke(id, registrar, { reason: 'documents_mismatch', note: null });
    expect(summary(await newDeliveries())).toEqual([
      {
        endpoint: all,
        type: 'account.seller_revoked',
        body: bodyOf('account.seller_revoked', key, 'clear', 0),
      },
    ]);
  });

  it('leaves neither the change nor its deliveries when the transaction fails after them', async () => {
    const key = '014:6660000001';
    await watch(bank, key);
    const id = await submittedReport('6660000001');
    /** The decision's audit entry, the last statement of its transaction, fails. */
    class FailingAudit extends AuditService {
      override record(trx: Executor, event: AuditEvent): Promise<AuditEntry> {
        if (event.action.startsWith('report.')) throw new Error('the disk is full');
        return super.record(trx, event);
      }
    }
    const box = new SecretBox(resolveSecretKey(runtime.config));
    const reports = new ReportsService({
      database: runtime.database,
      clock,
      box,
      files: runtime.services.files,
      audit: new FailingAudit(runtime.database, clock, box),
      checks: runtime.checks,
      challenges: runtime.services.challenges,
      reporterLimiter: undefined,
      publicBaseUrl: 'https://cekrek.test',
      claimMs: 30 * 60_000,
      wakeJobs: () => undefined,
    });
    await expect(reports.decide(id, reviewer, verify)).rejects.toThrow('the disk is full');
    const report = await runtime.database.db
      .selectFrom('reports')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(report.status).toBe('submitted');
    expect(await newDeliveries()).toEqual([]);

    // The same by hand: enqueued, then a later statement fails.
    const account = await runtime.database.db
      .selectFrom('accounts')
      .select('id')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    await expect(
      runtime.database.db.transaction().execute(async (trx) => {
        const left = await enqueueAccountEvents(
          trx,
          dialect,
          'account.reported',
          [Number(account.id)],
          clock.now(),
        );
        expect(left).toBe(2);
        await sql`select * from no_such_table`.execute(trx);
      }),
    ).rejects.toThrow();
    expect(await newDeliveries()).toEqual([]);

    // And it goes through once nothing fails.
    await runtime.services.reports.decide(id, reviewer, verify);
    expect((await newDeliveries()).length).toBe(2);
  });

  it('finds the watchers through the key_hash index', async () => {
    const accounts = await runtime.database.db
      .selectFrom('accounts')
      .select('id')
      .orderBy('id')
      .limit(5)
      .execute();
    const ids = accounts.map((a) => Number(a.id));
    const db = runtime.database.db;
    if (dialect === 'sqlite') {
      const plan = await sql<{
        detail: string;
      }>`explain query plan ${watchersQuery(dialect, ids)}`.execute(db);
      const text = plan.rows.map((r) => r.detail).join('\n');
      expect(text).toContain('partner_watches_key_hash');
      return;
    }
    // A million watched hashes of a partner without endpoints, the statistics up to date.
    const quiet = await runtime.services.partners.createPartner(
      { name: 'Pemantau', kind: 'other', contactEmail: 'x@partner.test' },
      cliActor,
    );
    await sql`
      insert into partner_watches (partner_id, key_hash, created_at)
      select ${quiet.id}, lpad(to_hex(i), 64, '0'), now()
      from generate_series(1, 1000000) i`.execute(db);
    await sql`analyze partner_watches`.execute(db);
    const plan = await sql<{
      'QUERY PLAN': string;
    }>`explain ${watchersQuery(dialect, ids)}`.execute(db);
    const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index (Only )?Scan using partner_watches_key_hash/);
    expect(text).not.toContain('Seq Scan on partner_watches');
  }, 120_000);
});
