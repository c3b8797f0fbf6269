// The watches API on both databases: adding hashes (either case, stored
// lower-case, counted once), what was watched already, removing, the list's
// pages by cursor, 10,000 hashes in one call and 10,001 refused, a bad hash
// named by position, the key's scope (403) and its absence (401); provider
// watches for banks and e-wallets, refused to other partners and to a bank
// without codes, kept in step with the codes an admin sets; the admin's page.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../src/shared/clock.ts';
import { describeEachDialect } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';

function hashOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

interface Problem {
  code: string;
  detail: string;
  errors?: { field: string; message: string }[];
}

describeEachDialect('watches API on %s', (dialect) => {
  let runtime: TestRuntime;
  let admin: AdminClient;
  const clock = new ManualClock('2026-03-01T08:00:00Z');
  let bankId: number;
  let bankKey: string;
  let checkOnlyKey: string;
  let shopKey: string;
  let emptyBankKey: string;

  async function partner(body: Record<string, unknown>, scopes: string[]) {
    const created = await admin.request('POST', '/api/v1/admin/partners', {
      contactEmail: 'api@partner.test',
      ...body,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: number }>().id;
    const issued = await admin.request('POST', `/api/v1/admin/partners/${id}/keys`, {
      label: 'produksi',
      scopes,
    });
    expect(issued.statusCode, issued.body).toBe(201);
    return { id, key: issued.json<{ key: string }>().key };
  }

  beforeAll(async () => {
    runtime = await startTestRuntime(dialect, { clock });
    await createOperator(runtime, 'admin@cekrek.test', ['admin']);
    ({ client: admin } = await signedIn(runtime, clock, 'admin@cekrek.test'));
    ({ id: bankId, key: bankKey } = await partner(
      { name: 'Bank Contoh', kind: 'bank', providerCodes: ['014'] },
      ['watch'],
    ));
    const issued = await admin.request('POST', `/api/v1/admin/partners/${bankId}/keys`, {
      label: 'cek',
      scopes: ['check'],
    });
    checkOnlyKey = issued.json<{ key: string }>().key;
    ({ key: shopKey } = await partner({ name: 'Toko Daring', kind: 'marketplace' }, ['watch']));
    ({ key: emptyBankKey } = await partner({ name: 'Bank Baru', kind: 'bank' }, ['watch']));
  });
  afterAll(async () => {
    await runtime?.close();
  });

  async function call(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT',
    url: string,
    key: string | undefined,
    payload?: unknown,
  ): Promise<LightMyRequestResponse> {
    return runtime.app.inject({
      method,
      url,
      headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  }

  async function allPages(key: string): Promise<{ hashes: string[]; pages: number }> {
    const hashes: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string =
        '/api/v1/partner/watches' + (cursor ? `?cursor=${encodeURIComponent(cursor)}` : '');
      const page = await call('GET', url, key);
      expect(page.statusCode, page.body).toBe(200);
      const body = page.json<{ hashes: string[]; nextCursor: string | null }>();
      hashes.push(...body.hashes);
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null);
    return { hashes, pages };
  }

  it('adds hashes in either case, stored lower-case and counted once; says which were watched', async () => {
    const a = hashOf('014:1234567890');
    const b = hashOf('008:5550001111');
    const first = await call('POST', '/api/v1/partner/watches', bankKey, {
      hashes: [a.toUpperCase(), b, a],
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ added: 2, alreadyWatched: 0 });

    const again = await call('POST', '/api/v1/partner/watches', bankKey, {
      hashes: [a, b.toUpperCase(), hashOf('014:1')],
    });
    expect(again.json()).toEqual({ added: 1, alreadyWatched: 2 });

    const rows = await runtime.database.db
      .selectFrom('partner_watches')
      .select('key_hash')
      .where('partner_id', '=', bankId)
      .orderBy('key_hash')
      .execute();
    expect(rows.map((r) => r.key_hash)).toEqual([a, b, hashOf('014:1')].sort());

    const listed = await call('GET', '/api/v1/partner/watches', bankKey);
    expect(listed.json()).toEqual({ hashes: [a, b, hashOf('014:1')].sort(), nextCursor: null });

    const removed = await call('DELETE', '/api/v1/partner/watches', bankKey, {
      hashes: [a.toUpperCase(), hashOf('never watched')],
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json()).toEqual({ removed: 1 });
    expect((await allPages(bankKey)).hashes).toEqual([b, hashOf('014:1')].sort());
  });

  it('refuses the whole call for a bad hash, naming its positions', async () => {
    const response = await call('POST', '/api/v1/partner/watches', bankKey, {
      hashes: [hashOf('x'), 'abc', hashOf('y'), 42, `${hashOf('z').slice(0, 63)}g`],
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json<Problem>();
    expect(problem.code).toBe('invalid_hash');
    expect(problem.errors?.map((e) => e.field)).toEqual(['hashes[1]', 'hashes[3]', 'hashes[4]']);
    expect(problem.detail).toContain('1, 3, 4');
    expect((await allPages(bankKey)).hashes).not.toContain(hashOf('x'));

    const empty = await call('POST', '/api/v1/partner/watches', bankKey, { hashes: [] });
    expect(empty.statusCode).toBe(400);
    const english = await runtime.app.inject({
      method: 'DELETE',
      url: '/api/v1/partner/watches?lang=en',
      headers: { authorization: `Bearer ${bankKey}` },
      payload: { hashes: ['nope'] },
    });
    expect(english.json<Problem>().detail).toContain('positions 0');
  });

  it('takes 10,000 hashes in one call, lists them in pages by cursor, and refuses 10,001', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => hashOf(`bulk:${i}`));
    const over = await call('POST', '/api/v1/partner/watches', shopKey, {
      hashes: [...many, hashOf('one more')],
    });
    expect(over.statusCode).toBe(400);
    expect(over.json<Problem>().code).toBe('too_many_hashes');

    const started = performance.now();
    const added = await call('POST', '/api/v1/partner/watches', shopKey, { hashes: many });
    const took = performance.now() - started;
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toEqual({ added: 10_000, alreadyWatched: 0 });
    // Set-based: a few statements, not ten thousand (generous for a shared machine).
    expect(took).toBeLessThan(5000);

    const again = await call('POST', '/api/v1/partner/watches', shopKey, {
      hashes: many.slice(0, 5000),
    });
    expect(again.json()).toEqual({ added: 0, alreadyWatched: 5000 });

    const { hashes, pages } = await allPages(shopKey);
    expect(pages).toBe(10);
    expect(hashes).toEqual([...many].sort());

    const first = (await call('GET', '/api/v1/partner/watches', shopKey)).json<{
      nextCursor: string;
    }>();
    const same = (await call('GET', '/api/v1/partner/watches', shopKey)).json<{
      nextCursor: string;
    }>();
    expect(same.nextCursor).toBe(first.nextCursor);

    const bad = await call('GET', '/api/v1/partner/watches?cursor=not-a-cursor', shopKey);
    expect(bad.statusCode).toBe(400);
    expect(bad.json<Problem>().code).toBe('validation_failed');

    const removed = await call('DELETE', '/api/v1/partner/watches', shopKey, { hashes: many });
    expect(removed.json()).toEqual({ removed: 10_000 });
    expect(await allPages(shopKey)).toEqual({ hashes: [], pages: 1 });
  });

  it('wants a key (401) holding the scope watch (403), and counts the calls as requests', async () => {
    const body = { hashes: [hashOf('a')] };
    for (const [method, url] of [
      ['POST', '/api/v1/partner/watches'],
      ['DELETE', '/api/v1/partner/watches'],
      ['GET', '/api/v1/partner/watches'],
      ['PUT', '/api/v1/partner/watches/providers'],
      ['GET', '/api/v1/partner/watches/providers'],
    ] as const) {
      const payload = method === 'PUT' ? { watch: true } : method === 'GET' ? undefined : body;
      const none = await call(method, url, undefined, payload);
      expect(none.statusCode, `${method} ${url}`).toBe(401);
      expect(none.json<Problem>().code).toBe('invalid_api_key');
      const scoped = await call(method, url, checkOnlyKey, payload);
      expect(scoped.statusCode, `${method} ${url}`).toBe(403);
      expect(scoped.json<Problem>().code).toBe('insufficient_scope');
    }
    await runtime.services.partners.flushUsage();
    const before = await call('GET', '/api/v1/partner', bankKey);
    await call('GET', '/api/v1/partner/watches', bankKey);
    await call('POST', '/api/v1/partner/watches', bankKey, body);
    const after = await call('GET', '/api/v1/partner', bankKey);
    const requests = (r: LightMyRequestResponse) =>
      r.json<{ usage: { today: { requests: number } } }>().usage.today.requests;
    expect(requests(after) - requests(before)).toBe(3);
  });

  it('lets a bank watch every account of its provider codes, in step with the codes an admin sets', async () => {
    const unwatched = await call('GET', '/api/v1/partner/watches/providers', bankKey);
    expect(unwatched.json()).toEqual({ providerCodes: ['014'], watching: false });

    const on = await call('PUT', '/api/v1/partner/watches/providers', bankKey, { watch: true });
    expect(on.statusCode, on.body).toBe(200);
    expect(on.json()).toEqual({ providerCodes: ['014'], watching: true });
    const providers = async () =>
      (
        await runtime.database.db
          .selectFrom('partner_provider_watches')
          .select('provider')
          .where('partner_id', '=', bankId)
          .orderBy('provider')
          .execute()
      ).map((r) => r.provider);
    expect(await providers()).toEqual(['014']);

    const page = await admin.request('GET', `/admin/mitra/${bankId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Rekening dipantau (hash)');
    expect(page.body).toContain('Ya: 014');

    // The admin gives other codes: the removed one stops being watched, the new ones are watched.
    const changed = await admin.request('PATCH', `/api/v1/admin/partners/${bankId}`, {
      providerCodes: ['008', '009'],
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await providers()).toEqual(['008', '009']);
    const now = await call('GET', '/api/v1/partner/watches/providers', bankKey);
    expect(now.json()).toEqual({ providerCodes: ['008', '009'], watching: true });

    const off = await call('PUT', '/api/v1/partner/watches/providers', bankKey, { watch: false });
    expect(off.json()).toEqual({ providerCodes: ['008', '009'], watching: false });
    expect(await providers()).toEqual([]);
    // Not watching: a change of codes starts nothing.
    await admin.request('PATCH', `/api/v1/admin/partners/${bankId}`, { providerCodes: ['014'] });
    expect(await providers()).toEqual([]);
    const shown = await admin.request('GET', `/admin/mitra/${bankId}?lang=en`);
    expect(shown.body).toContain('Watches every account of its provider codes');
    expect(shown.body).toMatch(/<dd>No<\/dd>/);
  });

  it('refuses provider watches to other partners (403) and to a bank without codes (409)', async () => {
    const shop = await call('PUT', '/api/v1/partner/watches/providers', shopKey, { watch: true });
    expect(shop.statusCode).toBe(403);
    expect(shop.json<Problem>().code).toBe('not_provider_partner');
    const empty = await call('PUT', '/api/v1/partner/watches/providers', emptyBankKey, {
      watch: true,
    });
    expect(empty.statusCode).toBe(409);
    expect(empty.json<Problem>().code).toBe('no_provider_codes');
    const bad = await call('PUT', '/api/v1/partner/watches/providers', emptyBankKey, {
      watch: 'yes',
    });
    expect(bad.statusCode).toBe(400);
  });
});
