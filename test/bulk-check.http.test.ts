// POST /api/v1/checks through the whole app, on both databases: only with a
// key of scope `check`; each entry the single check's body byte for byte, in
// request order; bad accounts as error entries; the summary; the accounts
// counted in the key's usage; more than 1000 refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { dialects, describeOn } from './support/databases.ts';
import { seedDispute, seedReports } from './support/factories.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };

for (const dialect of dialects) {
  describeOn(dialect)(`the bulk check on ${dialect}`, () => {
    let runtime: TestRuntime;
    let checkKey: string;
    let reportsKey: string;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect);
      const partners = runtime.services.partners;
      const partner = await partners.createPartner(
        { name: 'Pasar Contoh', kind: 'marketplace', contactEmail: 'api@pasar.test' },
        actor,
      );
      checkKey = (await partners.issueKey(partner.id, { label: 'cek', scopes: ['check'] }, actor))
        .secret;
      reportsKey = (
        await partners.issueKey(partner.id, { label: 'lapor', scopes: ['reports'] }, actor)
      ).secret;
      await partners.reload();
      await seedReports(runtime.database, [
        { provider: '014', number: '4000000001' },
        { provider: 'ovo', number: '081200004000' },
      ]);
      await seedDispute(runtime.database, '008', '4000000000003', '2026-03-01T00:00:00Z');
      // Written by another connection: read into the check at once rather than waiting for its feed.
      await runtime.services.checks.rebuild();
    });
    afterAll(() => runtime?.close());

    function bulk(accounts: unknown[], key: string | null = checkKey) {
      return runtime.app.inject({
        method: 'POST',
        url: '/api/v1/checks',
        headers: key ? { authorization: `Bearer ${key}` } : {},
        payload: { accounts },
      });
    }

    it('answers each account as the single check does, in order, with errors as entries', async () => {
      const asked = [
        { provider: '014', number: '4000000001' },
        { provider: 'bank-tidak-ada', number: '123' },
        { provider: '008', number: '4000000000003' },
        { provider: '002', number: '111222333444' },
        { provider: 'ovo', number: '0812-0000-4000' },
        { provider: '014', number: '12' },
        { provider: 'bca', number: 4000000001 },
      ];
      // Each account checked once singly first: the bulk call shows the same count of clients
      // (the single check counts its client, the bulk check does not, and a client counts once).
      for (const account of asked) {
        await runtime.app.inject(`/api/v1/accounts/${account.provider}/${String(account.number)}`);
      }
      const response = await bulk(asked);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{
        results: ({ status: string } | { error: { code: string; status: number } })[];
        summary: Record<string, number>;
      }>();
      expect(body.results).toHaveLength(asked.length);
      expect(body.summary).toEqual({
        clear: 1,
        reported: 3,
        disputed: 1,
        normalized: 0,
        invalid: 2,
      });
      expect((body.results[1] as { error: { code: string } }).error.code).toBe('invalid_provider');
      expect((body.results[5] as { error: { code: string } }).error.code).toBe(
        'invalid_account_number',
      );

      // Byte for byte: each entry is the single check's own body.
      const entries = JSON.parse(response.body, (_key, value: unknown) => value) as {
        results: unknown[];
      };
      for (const [index, account] of asked.entries()) {
        if ('error' in (body.results[index] as object)) continue;
        const single = await runtime.app.inject(
          `/api/v1/accounts/${account.provider}/${String(account.number)}`,
        );
        expect(single.statusCode).toBe(200);
        expect(response.body).toContain(single.body);
        expect(JSON.stringify(entries.results[index])).toBe(single.body);
      }
    });

    it('counts every account checked in the key’s usage', async () => {
      await bulk([
        { provider: '014', number: '5000000001' },
        { provider: '014', number: '5000000002' },
        { provider: '014', number: '5000000003' },
      ]);
      const me = await runtime.app.inject({
        url: '/api/v1/partner',
        headers: { authorization: `Bearer ${checkKey}` },
      });
      const usage = me.json<{ usage: { today: { checks: number } } }>().usage.today;
      expect(usage.checks).toBeGreaterThanOrEqual(3 + 7);
    });

    it('needs a key with the scope `check`', async () => {
      const none = await bulk([{ provider: '014', number: '4000000001' }], null);
      expect(none.statusCode).toBe(401);
      expect(none.json<{ code: string }>().code).toBe('invalid_api_key');
      const wrong = await bulk([{ provider: '014', number: '4000000001' }], reportsKey);
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json<{ code: string }>().code).toBe('insufficient_scope');
    });

    it('refuses more than 1000 accounts, and an empty list', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => ({
        provider: '014',
        number: String(6_000_000_000 + i),
      }));
      const over = await bulk(many);
      expect(over.statusCode).toBe(400);
      expect(over.json<{ code: string }>().code).toBe('too_many_accounts');
      const full = await bulk(many.slice(0, 1000));
      expect(full.statusCode).toBe(200);
      expect(full.json<{ results: unknown[] }>().results).toHaveLength(1000);
      const empty = await bulk([]);
      expect(empty.statusCode).toBe(400);
      expect(empty.json<{ code: string }>().code).toBe('validation_failed');
    });
  });
}
