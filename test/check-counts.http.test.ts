// "Checked by N clients" through the whole app, on both databases: the fast
// path and the Fastify route count the client (its forwarded address behind
// a trusted proxy, its key when keyed), a client twice counts once; the bulk
// check and the range lookup count nothing and answer the same bodies; the
// result page says it in Indonesian by default and in English; the early
// warning is for operators only.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { textOf } from './support/backoffice.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };
const password = 'a long test password 123';

interface CheckBody {
  status: string;
  checks: { last30Days: string };
}

for (const dialect of dialects) {
  describeOn(dialect)(`checked by N clients on ${dialect}`, () => {
    let runtime: TestRuntime;
    let base: string;
    let checkKey: string;
    const clock = new ManualClock(new Date());

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { TRUST_PROXY: '127.0.0.1', SIGN_IN_RATE_LIMIT: '0', EARLY_WARNING_MIN_CLIENTS: '3' },
      });
      const partners = runtime.services.partners;
      const partner = await partners.createPartner(
        { name: 'Bank Contoh', kind: 'bank', contactEmail: 'api@bank.test' },
        actor,
      );
      checkKey = (await partners.issueKey(partner.id, { label: 'cek', scopes: ['check'] }, actor))
        .secret;
      await partners.reload();
      await seedReports(runtime.database, [
        { provider: '014', number: '8000000009', status: 'submitted' },
        { provider: '014', number: '8000000010', status: 'verified' },
      ]);
      await runtime.services.checks.rebuild();
      await runtime.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
    });
    afterAll(() => runtime?.close());

    /** A plain check on the fast path, from the address given. */
    async function fastCheck(number: string, from: string, key?: string): Promise<CheckBody> {
      const response = await fetch(`${base}/api/v1/accounts/014/${number}`, {
        headers: {
          'x-forwarded-for': from,
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
      });
      expect(response.status).toBe(200);
      return (await response.json()) as CheckBody;
    }

    it('counts distinct clients on the fast path: none, 1+, 10+, a client twice once', async () => {
      const bulkFirst = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: { authorization: `Bearer ${checkKey}` },
        payload: { accounts: [{ provider: '014', number: '8000000001' }] },
      });
      expect(bulkFirst.json<{ results: CheckBody[] }>().results[0]!.checks.last30Days).toBe('none');
      expect((await fastCheck('8000000001', '198.51.100.1')).checks.last30Days).toBe('1+');
      for (let i = 0; i < 3; i++) await fastCheck('8000000001', '198.51.100.1');
      for (let i = 2; i <= 9; i++) await fastCheck('8000000001', `198.51.100.${i}`);
      expect((await fastCheck('8000000001', '198.51.100.9')).checks.last30Days).toBe('1+');
      expect((await fastCheck('8000000001', '198.51.100.10')).checks.last30Days).toBe('10+');
      // A key is one client, wherever it calls from.
      await fastCheck('8000000002', '198.51.100.1', checkKey);
      expect((await fastCheck('8000000002', '198.51.100.2', checkKey)).checks.last30Days).toBe(
        '1+',
      );
    });

    it('does not count the bulk check, and gives there the single check’s body', async () => {
      const asBulk = () =>
        runtime.app.inject({
          method: 'POST',
          url: '/api/v1/checks',
          headers: { authorization: `Bearer ${checkKey}` },
          payload: { accounts: [{ provider: '014', number: '8000000003' }] },
        });
      for (let i = 0; i < 12; i++) await asBulk();
      const single = await runtime.app.inject({
        url: '/api/v1/accounts/014/8000000003',
        headers: { 'x-forwarded-for': '203.0.113.7' },
      });
      expect(single.json<CheckBody>().checks.last30Days).toBe('1+');
      const bulk = await asBulk();
      expect(bulk.body).toContain(single.body);
    });

    it('counts the result page, and says so in Indonesian by default and in English', async () => {
      for (let i = 1; i <= 10; i++) {
        await runtime.app.inject({
          url: '/rekening/014/8000000004',
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
        });
      }
      const id = await runtime.app.inject({
        url: '/rekening/014/8000000004',
        headers: { 'x-forwarded-for': '203.0.113.1' },
      });
      expect(id.statusCode).toBe(200);
      expect(textOf(id.body)).toContain(
        'Dicek oleh 10 pengguna atau lebih dalam 30 hari terakhir.',
      );
      expect(textOf(id.body)).toContain('pencarian privat berdasarkan awalan hash tidak dihitung');
      const en = await runtime.app.inject({
        url: '/rekening/014/8000000004?lang=en',
        headers: { 'x-forwarded-for': '203.0.113.1' },
      });
      expect(textOf(en.body)).toContain('Checked by 10 or more people in the last 30 days.');
      expect(textOf(en.body)).toContain('Bulk checks by partners and private lookups');
      const api = await runtime.app.inject({
        url: '/api/v1/accounts/014/8000000004',
        headers: { 'x-forwarded-for': '203.0.113.1' },
      });
      expect(api.json<CheckBody>().checks.last30Days).toBe('10+');
    });

    it('shows operators the early warning, and nobody else', async () => {
      for (const number of ['8000000009', '8000000010']) {
        for (let i = 1; i <= 4; i++) await fastCheck(number, `192.0.2.${i}`);
      }
      await runtime.services.checkCounts.flush();

      const anonymous = await runtime.app.inject('/api/v1/admin/dashboard/early-warnings');
      expect([401, 403]).toContain(anonymous.statusCode);
      const page = await runtime.app.inject('/admin');
      expect([302, 303]).toContain(page.statusCode);

      await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer'], password);
      const { client } = await signedIn(runtime, clock, 'reviewer@cekrek.test', password);
      const response = await client.request('GET', '/api/v1/admin/dashboard/early-warnings');
      expect(response.statusCode).toBe(200);
      const body = response.json<{
        counting: boolean;
        minClients: number;
        accounts: { key: string; recent: number; pendingReports: { id: number }[] }[];
      }>();
      expect(body.counting).toBe(true);
      expect(body.minClients).toBe(3);
      const keys = body.accounts.map((a) => a.key);
      // 8000000001 (10 clients) and 8000000004 rose more; the verified one is left out.
      expect(keys).toContain('014:8000000009');
      expect(keys).not.toContain('014:8000000010');
      expect(keys.indexOf('014:8000000001')).toBeLessThan(keys.indexOf('014:8000000009'));
      const reported = body.accounts.find((a) => a.key === '014:8000000009')!;
      expect(reported.pendingReports).toHaveLength(1);

      const dashboard = await client.request('GET', '/admin');
      expect(dashboard.statusCode).toBe(200);
      expect(dashboard.body).toContain('id="early-warning"');
      expect(dashboard.body).toContain(`/admin/laporan/${reported.pendingReports[0]!.id}`);
    });
  });
}
