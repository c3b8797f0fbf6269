// Partners and their API keys through the API, on both databases: the key's
// format and checksum, its keyed hash, shown once and never again, the same
// 401 for unknown, revoked and expired keys, rolling with an overlap,
// revocation seen at once by a second app process on the same database, the
// audit trail, and no key in any log line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { resolveSecretKey } from '../src/main.ts';
import { hashKey, isWellFormedKey, keyChecksum } from '../src/partners/api-key.ts';
import { requireKey } from '../src/partners/partners.http.ts';
import { isAppError } from '../src/shared/errors.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';

interface IssuedBody {
  id: number;
  key: string;
  shown: string;
  scopes: string[];
  expiresAt: string | null;
}

for (const dialect of dialects) {
  describeOn(dialect)(`partners and API keys on ${dialect}`, () => {
    let shared: TestDatabase;
    let first: TestRuntime;
    let second: TestRuntime;
    let admin: AdminClient;
    let partnerId: number;
    const clock = new ManualClock('2026-03-01T08:00:00Z');
    /** Every answer after a key's creation, to check that none holds it. */
    const answers: string[] = [];

    beforeAll(async () => {
      shared = await createTestDatabase(dialect);
      first = await startTestRuntime(dialect, { clock, database: shared });
      second = await startTestRuntime(dialect, { clock, database: shared });
      await createOperator(first, 'admin@cekrek.test', ['admin']);
      ({ client: admin } = await signedIn(first, clock, 'admin@cekrek.test'));
      const created = await admin.request('POST', '/api/v1/admin/partners', {
        name: 'Bank Contoh',
        kind: 'bank',
        contactEmail: 'api@bank.test',
        perMinute: 120,
        providerCodes: ['014'],
      });
      expect(created.statusCode, created.body).toBe(201);
      partnerId = created.json<{ id: number }>().id;
    });
    afterAll(async () => {
      await second?.close();
      await first?.close();
      await shared?.close();
    });

    async function issue(
      body: Record<string, unknown> = { label: 'produksi', scopes: ['check'] },
    ): Promise<IssuedBody> {
      const response = await admin.request(
        'POST',
        `/api/v1/admin/partners/${partnerId}/keys`,
        body,
      );
      expect(response.statusCode, response.body).toBe(201);
      return response.json<IssuedBody>();
    }

    async function keyed(
      runtime: TestRuntime,
      key: string | undefined,
      url = '/api/v1/partner',
    ): Promise<LightMyRequestResponse> {
      const response = await runtime.app.inject({
        method: 'GET',
        url,
        headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      });
      answers.push(response.body);
      return response;
    }

    async function adminGet(url: string): Promise<LightMyRequestResponse> {
      const response = await admin.request('GET', url);
      answers.push(response.body);
      return response;
    }

    function withoutRequestId(response: LightMyRequestResponse): unknown {
      const body = response.json<Record<string, unknown>>();
      delete body.requestId;
      return body;
    }

    /** Milliseconds until the process answers the key with this status (other processes hear of changes). */
    async function until(runtime: TestRuntime, key: string, status: number): Promise<number> {
      const started = Date.now();
      while (Date.now() - started < 2000) {
        if ((await keyed(runtime, key)).statusCode === status) return Date.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`the key is not answered ${status}`);
    }

    const untilRefused = (runtime: TestRuntime, key: string) => until(runtime, key, 401);
    const untilAccepted = (runtime: TestRuntime, key: string) => until(runtime, key, 200);

    it('issues a key in the ckr_live_ format with its CRC32 checksum, stored only as a keyed hash', async () => {
      const issued = await issue({ label: 'produksi', scopes: ['check', 'watch'] });
      expect(issued.key).toMatch(/^ckr_live_[0-9A-Za-z]{36}$/);
      expect(keyChecksum(issued.key.slice(9, 39))).toBe(issued.key.slice(39));
      expect(isWellFormedKey(issued.key)).toBe(true);
      expect(issued.shown).toBe(`${issued.key.slice(0, 12)}…${issued.key.slice(-4)}`);
      expect(issued.scopes).toEqual(['check', 'watch']);

      const row = await shared.database.db
        .selectFrom('partner_keys')
        .selectAll()
        .where('id', '=', issued.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(issued.key.slice(12, -4));
      const hashingKey = new SecretBox(resolveSecretKey(first.config)).key('partner-key');
      expect(row.key_hash).toBe(hashKey(issued.key, hashingKey));

      expect(await untilAccepted(second, issued.key)).toBeLessThan(1000);
      const self = await keyed(second, issued.key);
      expect(self.statusCode, self.body).toBe(200);
      expect(self.json()).toEqual({
        partner: { id: partnerId, name: 'Bank Contoh', kind: 'bank' },
        key: {
          id: issued.id,
          label: 'produksi',
          shown: issued.shown,
          scopes: ['check', 'watch'],
          createdAt: clock.now().toISOString(),
          expiresAt: null,
        },
        limits: { perMinute: 120, perDay: 100_000 },
        usage: { today: { requests: 2, checks: 0, reports: 0 } },
      });

      const details = await adminGet(`/api/v1/admin/partners/${partnerId}`);
      expect(details.statusCode).toBe(200);
      const body = details.json<{
        providerCodes: string[];
        keys: { id: number; lastUsedAt: string | null }[];
        usage: { day: string; requests: number }[];
      }>();
      expect(body.providerCodes).toEqual(['014']);
      expect(body.usage).toHaveLength(30);
      expect(body.usage.at(-1)).toMatchObject({ day: '2026-03-01' });
      expect(body.keys.find((k) => k.id === issued.id)).toBeDefined();
      await adminGet('/api/v1/admin/partners');

      for (const answer of answers) expect(answer).not.toContain(issued.key);
      for (const line of [...first.logs, ...second.logs]) {
        expect(JSON.stringify(line)).not.toContain(issued.key);
      }
    });

    it('counts use per key and day, with lastUsedAt', async () => {
      const issued = await issue();
      for (let i = 0; i < 3; i++) expect((await keyed(first, issued.key)).statusCode).toBe(200);
      const details = await adminGet(`/api/v1/admin/partners/${partnerId}`);
      const key = details
        .json<{ keys: { id: number; lastUsedAt: string | null }[] }>()
        .keys.find((k) => k.id === issued.id);
      expect(key?.lastUsedAt).toBe(clock.now().toISOString());
      const today = details.json<{ usage: { requests: number }[] }>().usage.at(-1);
      expect(today?.requests).toBeGreaterThanOrEqual(3);
    });

    it('answers unknown, malformed, missing, revoked and expired keys the same 401', async () => {
      const revoked = await issue();
      const expiring = await issue({
        label: 'sementara',
        scopes: ['check'],
        expiresAt: new Date(clock.now().getTime() + 60_000).toISOString(),
      });
      expect((await keyed(first, expiring.key)).statusCode).toBe(200);
      const deleted = await admin.request(
        'DELETE',
        `/api/v1/admin/partners/${partnerId}/keys/${revoked.id}`,
      );
      expect(deleted.statusCode).toBe(204);
      clock.advance(61_000);

      const body = revoked.key.slice(9, 39);
      const unknown = `ckr_live_${body.split('').reverse().join('')}`;
      const candidates = [
        revoked.key,
        expiring.key,
        `${unknown}${keyChecksum(unknown.slice(9))}`,
        `${revoked.key.slice(0, -1)}${revoked.key.endsWith('0') ? '1' : '0'}`,
        'not-a-key',
        undefined,
      ];
      const refusals = [];
      for (const key of candidates) {
        const response = await keyed(first, key);
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
        refusals.push(withoutRequestId(response));
      }
      expect(new Set(refusals.map((r) => JSON.stringify(r))).size).toBe(1);
      expect(refusals[0]).toMatchObject({ code: 'invalid_api_key', status: 401 });
    });

    it('makes a revoked key fail at once on a second process on the same database', async () => {
      const issued = await issue();
      await untilAccepted(second, issued.key);
      const deleted = await admin.request(
        'DELETE',
        `/api/v1/admin/partners/${partnerId}/keys/${issued.id}`,
      );
      expect(deleted.statusCode).toBe(204);
      expect((await keyed(first, issued.key)).statusCode).toBe(401);
      expect(await untilRefused(second, issued.key)).toBeLessThan(1000);
    });

    it('rolls a key: a new key with the same scopes, the old one working for the overlap', async () => {
      const old = await issue({ label: 'rolling', scopes: ['check', 'reports'] });
      const rolled = await admin.request(
        'POST',
        `/api/v1/admin/partners/${partnerId}/keys/${old.id}/roll`,
        { expireOldInSeconds: 60 },
      );
      expect(rolled.statusCode, rolled.body).toBe(201);
      const fresh = rolled.json<IssuedBody & { rolledFrom: number }>();
      answers.push(rolled.body);
      expect(fresh.key).not.toBe(old.key);
      expect(fresh).toMatchObject({ scopes: ['check', 'reports'], rolledFrom: old.id });
      await untilAccepted(second, fresh.key);
      expect((await keyed(second, old.key)).statusCode).toBe(200);
      clock.advance(61_000);
      expect((await keyed(second, old.key)).statusCode).toBe(401);
      expect((await keyed(second, fresh.key)).statusCode).toBe(200);

      const now = await admin.request(
        'POST',
        `/api/v1/admin/partners/${partnerId}/keys/${fresh.id}/roll`,
        { expireOldInSeconds: 0 },
      );
      expect(now.statusCode).toBe(201);
      expect((await keyed(first, fresh.key)).statusCode).toBe(401);
      expect(await untilRefused(second, fresh.key)).toBeLessThan(1000);
      for (const answer of answers.slice(answers.indexOf(rolled.body) + 1)) {
        expect(answer).not.toContain(fresh.key);
      }
    });

    it('keeps keys and operator sessions apart', async () => {
      const issued = await issue();
      const asAdmin = await first.app.inject({
        method: 'GET',
        url: '/api/v1/admin/partners',
        headers: { authorization: `Bearer ${issued.key}` },
      });
      expect(asAdmin.statusCode).toBe(401);
      expect(asAdmin.json()).toMatchObject({ code: 'unauthorized' });
      const withCookie = await admin.request('GET', '/api/v1/partner');
      expect(withCookie.statusCode).toBe(401);
      expect(withCookie.json()).toMatchObject({ code: 'invalid_api_key' });
    });

    it('refuses a key without the scope a route needs with 403 insufficient_scope', async () => {
      const issued = await issue({ label: 'hanya cek', scopes: ['check'] });
      const guard = requireKey(first.services.partners, 'watch');
      const request = { headers: { authorization: `Bearer ${issued.key}` } };
      const reply = { header: () => reply };
      const refused: unknown = await (
        guard as unknown as (q: unknown, r: unknown) => Promise<void>
      )(request, reply).catch((error: unknown) => error);
      expect(isAppError(refused) && refused.code).toBe('insufficient_scope');
      const allowed = requireKey(first.services.partners, 'check');
      await expect(
        (allowed as unknown as (q: unknown, r: unknown) => Promise<void>)(request, reply),
      ).resolves.toBeUndefined();
    });

    it('records every partner and key operation in the audit log, never the key', async () => {
      const updated = await admin.request('PATCH', `/api/v1/admin/partners/${partnerId}`, {
        perDay: 5000,
        providerCodes: ['014', '008'],
      });
      expect(updated.statusCode, updated.body).toBe(200);
      expect(updated.json()).toMatchObject({ perDay: 5000, providerCodes: ['008', '014'] });
      const entries = await shared.database.db
        .selectFrom('audit_log')
        .select(['action', 'details', 'subject_id'])
        .where('action', 'like', 'partner.%')
        .execute();
      const actions = new Set(entries.map((e) => e.action));
      expect([...actions].sort()).toEqual([
        'partner.created',
        'partner.key_issued',
        'partner.key_revoked',
        'partner.key_rolled',
        'partner.updated',
      ]);
      const keys = answers.join('\n').match(/ckr_live_[0-9A-Za-z]{36}/g) ?? [];
      for (const entry of entries) {
        for (const key of keys) expect(entry.details).not.toContain(key);
        expect(entry.details).not.toMatch(/ckr_live_[0-9A-Za-z]{36}/);
      }
    });

    it('validates partners and keys with field errors', async () => {
      const badKind = await admin.request('POST', '/api/v1/admin/partners', {
        name: 'X',
        kind: 'casino',
        contactEmail: 'x@x.test',
      });
      expect(badKind.statusCode).toBe(400);
      const badCode = await admin.request('PATCH', `/api/v1/admin/partners/${partnerId}`, {
        providerCodes: ['zzz-not-a-bank'],
      });
      expect(badCode.statusCode).toBe(400);
      expect(badCode.json()).toMatchObject({
        code: 'validation_failed',
        errors: [{ field: 'providerCodes' }],
      });
      const noScope = await admin.request('POST', `/api/v1/admin/partners/${partnerId}/keys`, {
        label: 'x',
        scopes: [],
      });
      expect(noScope.statusCode).toBe(400);
      const past = await admin.request('POST', `/api/v1/admin/partners/${partnerId}/keys`, {
        label: 'x',
        scopes: ['check'],
        expiresAt: '2020-01-01T00:00:00Z',
      });
      expect(past.json()).toMatchObject({ errors: [{ field: 'expiresAt' }] });
      const missing = await admin.request(
        'DELETE',
        `/api/v1/admin/partners/${partnerId}/keys/999999`,
      );
      expect(missing.statusCode).toBe(404);
    });
  });
}

describe('key checksums', () => {
  it('encodes the CRC32 in six base62 characters', () => {
    expect(keyChecksum('')).toBe('000000');
    expect(keyChecksum('a'.repeat(30))).toMatch(/^[0-9A-Za-z]{6}$/);
  });
});
