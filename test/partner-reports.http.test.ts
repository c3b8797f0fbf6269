// POST /api/v1/reports with a partner's key, through the whole app on both
// databases: no proof of work and no per-client allowance, but the same
// validation; bad keys and missing scopes refused, never taken as anonymous;
// the report carries its partner into the reviewers' queue (filterable by
// source); Idempotency-Key replays the first answer, refuses reuse with
// another request, and a concurrent twin gets the same answer.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };

for (const dialect of dialects) {
  describeOn(dialect)(`reports from partners on ${dialect}`, () => {
    let runtime: TestRuntime;
    let reportsKey: string;
    let checkKey: string;
    let partnerId: number;
    const clock = new ManualClock('2026-03-01T05:00:00Z');

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { CEKREK_CHALLENGE: 'on', REPORT_RATE_LIMIT: '1' },
      });
      const partners = runtime.services.partners;
      const partner = await partners.createPartner(
        { name: 'Bank Contoh', kind: 'bank', contactEmail: 'api@bank.test' },
        actor,
      );
      partnerId = partner.id;
      reportsKey = (
        await partners.issueKey(partner.id, { label: 'lapor', scopes: ['reports'] }, actor)
      ).secret;
      checkKey = (await partners.issueKey(partner.id, { label: 'cek', scopes: ['check'] }, actor))
        .secret;
      await partners.reload();
    });
    afterAll(() => runtime?.close());

    async function file(
      fields: Record<string, string>,
      headers: Record<string, string>,
      options: { seeds?: number[]; reversed?: boolean } = {},
    ) {
      const images = await Promise.all((options.seeds ?? [0, 1]).map((seed) => smallJpeg(seed)));
      const entries = Object.entries({ ...validReportFields, ...fields });
      const body = await multipart(
        Object.fromEntries(options.reversed ? entries.reverse() : entries),
        images.map((content, i) => ({ name: 'evidence', content, fileName: `bukti-${i}.jpg` })),
      );
      return runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: body.payload,
        headers: { ...body.headers, ...headers },
      });
    }
    const keyed = (key = reportsKey, more: Record<string, string> = {}) => ({
      authorization: `Bearer ${key}`,
      ...more,
    });

    it('files without the proof of work or the per-client allowance, and records the partner', async () => {
      const first = await file({ number: '7770000001', reporterEmail: 'a@bank.test' }, keyed());
      expect(first.statusCode, first.body).toBe(201);
      const second = await file({ number: '7770000002', reporterEmail: 'b@bank.test' }, keyed());
      expect(second.statusCode, second.body).toBe(201);
      const row = await runtime.database.db
        .selectFrom('reports')
        .select(['partner_id', 'flag_reasons', 'source'])
        .where('ticket', '=', first.json<{ ticket: string }>().ticket)
        .executeTakeFirstOrThrow();
      expect(Number(row.partner_id)).toBe(partnerId);
      expect(row.source).toBe('public');
      expect(row.flag_reasons ?? '[]').not.toContain('no_challenge');
      const usage = await runtime.services.partners.partnerDetails(partnerId);
      expect(usage.usage.at(-1)?.reports).toBe(2);
    });

    it('still validates a keyed filing', async () => {
      const refused = await file({ chronology: 'pendek' }, keyed());
      expect(refused.statusCode).toBe(400);
      expect(refused.json<{ code: string }>().code).toBe('validation_failed');
    });

    it('refuses a bad key and a key without the scope, never as anonymous', async () => {
      const anonymous = await file({ number: '7770000009' }, {});
      expect(anonymous.json<{ code: string }>().code).toBe('challenge_required');
      const bad = await file({ number: '7770000009' }, keyed('ckr_live_bukan-kunci'));
      expect(bad.statusCode).toBe(401);
      expect(bad.json<{ code: string }>().code).toBe('invalid_api_key');
      const empty = await file({ number: '7770000009' }, { authorization: 'Basic eA==' });
      expect(empty.statusCode).toBe(401);
      const wrongScope = await file({ number: '7770000009' }, keyed(checkKey));
      expect(wrongScope.statusCode).toBe(403);
      expect(wrongScope.json<{ code: string }>().code).toBe('insufficient_scope');
    });

    it('replays the first answer for the same key and request, however it is encoded', async () => {
      const fields = { number: '7770000010', reporterEmail: 'idem@bank.test' };
      const headers = keyed(reportsKey, { 'idempotency-key': 'laporan-10' });
      const first = await file(fields, headers);
      expect(first.statusCode, first.body).toBe(201);
      const again = await file({ ...fields, number: '777-000-0010' }, headers, { reversed: true });
      expect(again.statusCode, again.body).toBe(201);
      expect(again.json()).toEqual(first.json());
      const stored = await runtime.database.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('reporter_email_hash', 'is not', null)
        .where('partner_id', '=', partnerId)
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(3);
    });

    it('refuses the same key with a different request', async () => {
      const headers = keyed(reportsKey, { 'idempotency-key': 'laporan-11' });
      const fields = { number: '7770000011', reporterEmail: 'reuse@bank.test' };
      expect((await file(fields, headers)).statusCode).toBe(201);
      const otherFiles = await file(fields, headers, { seeds: [0, 2] });
      expect(otherFiles.statusCode).toBe(422);
      expect(otherFiles.json<{ code: string }>().code).toBe('idempotency_key_reused');
      const otherFields = await file({ ...fields, amount: '99' }, headers);
      expect(otherFields.json<{ code: string }>().code).toBe('idempotency_key_reused');
    });

    it('answers concurrent twins once', async () => {
      const headers = keyed(reportsKey, { 'idempotency-key': 'laporan-12' });
      const fields = { number: '7770000012', reporterEmail: 'twin@bank.test' };
      const [a, b] = await Promise.all([file(fields, headers), file(fields, headers)]);
      expect([a.statusCode, b.statusCode], a.body + b.body).toEqual([201, 201]);
      expect(a.json()).toEqual(b.json());
    });

    it('keeps answers at least a day, then lets them go', async () => {
      clock.advance(25 * 3_600_000);
      const headers = keyed(reportsKey, { 'idempotency-key': 'laporan-13' });
      const fields = { number: '7770000013', reporterEmail: 'late@bank.test' };
      expect((await file(fields, headers)).statusCode).toBe(201);
      const old = await runtime.database.db
        .selectFrom('idempotency_keys')
        .select('idempotency_key')
        .where('idempotency_key', '=', 'laporan-10')
        .executeTakeFirst();
      expect(old).toBeUndefined();
    });

    it('shows the source in the reviewers’ queue, with a filter by source and partner', async () => {
      await createOperator(runtime, 'source@cekrek.test', ['reviewer']);
      const { client } = await signedIn(runtime, clock, 'source@cekrek.test');
      type Queue = { reports: { partner: { id: number; name: string } | null }[] };
      const partnerQueue = await client.request('GET', '/api/v1/admin/reports?source=partner');
      expect(partnerQueue.statusCode, partnerQueue.body).toBe(200);
      const items = partnerQueue.json<Queue>().reports;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((i) => i.partner?.name === 'Bank Contoh')).toBe(true);
      const byId = await client.request('GET', `/api/v1/admin/reports?partnerId=${partnerId}`);
      expect(byId.json<Queue>().reports).toHaveLength(items.length);
      const publicQueue = await client.request('GET', '/api/v1/admin/reports?source=public');
      expect(publicQueue.json<Queue>().reports.every((i) => i.partner === null)).toBe(true);
      const page = await client.request('GET', '/admin/laporan?source=partner');
      expect(page.body).toContain('Mitra: Bank Contoh');
      expect(page.body).not.toContain('<dd>Masyarakat</dd>');
      const byPartner = await client.request('GET', `/admin/laporan?partner=${partnerId}`);
      expect(byPartner.body).toContain('Mitra: Bank Contoh');
      expect(byPartner.body).toContain(`<option value="${partnerId}" selected`);
      const id = (items[0] as unknown as { id: number }).id;
      const report = await client.request('GET', `/admin/laporan/${id}`);
      expect(report.body).toContain('Mitra: Bank Contoh');
    });
  });
}
