// The private lookup (api.md "Private lookup") on both databases: the lines
// of listed accounts, the padding, ETag and 304, a bad prefix, and the key
// hash kept by every path that writes accounts (the import, the migration).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Migrator, sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFastRange } from '../src/accounts/range.fast-path.http.ts';
import { keyHash, renderRange } from '../src/accounts/range.ts';
import { migrations } from '../src/db/migrate.ts';
import { problemSchema } from '../src/http/problems.ts';
import { importReports } from '../src/reports/import.service.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { createTestDatabase, dialects, describeOn } from './support/databases.ts';
import { seedDispute, seedReports } from './support/factories.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const reportedKey = '014:1234567890';
const reportedHash = 'EAE596E94E87546CD1568C01245F7A9CBA75B9A550BCE0F8F2700054C372249F';
const disputedKey = 'ovo:6281234567890';

function linesOf(body: string): string[] {
  expect(body.endsWith('\n')).toBe(true);
  return body.slice(0, -1).split('\n');
}

for (const dialect of dialects) {
  describeOn(dialect)(`private range lookup on ${dialect}`, () => {
    let runtime: TestRuntime;
    const get = (prefix: string, headers: Record<string, string> = {}) =>
      runtime.app.inject({ method: 'GET', url: `/api/v1/range/${prefix}`, headers });

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect);
      await seedReports(runtime.database, [
        { provider: '014', number: '1234567890' },
        { provider: '014', number: '1234567890', category: 'investment_fraud' },
        { provider: '014', number: '1234567890', category: 'narcotics', status: 'submitted' },
      ]);
      await seedDispute(runtime.database, 'ovo', '081234567890', '2026-03-01T00:00:00Z');
    });
    afterAll(async () => {
      await runtime.close();
    });

    it('answers a listed account as its suffix, verified count and status, padded', async () => {
      expect(keyHash(reportedKey)).toBe(reportedHash);
      const response = await get('eae59');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.headers['cache-control']).toBe('public, max-age=300');
      const lines = linesOf(response.body);
      expect(lines).toContain(`${reportedHash.slice(5)}:2:reported`);
      expect(lines[0]!.startsWith('6E94E875')).toBe(true);
      expect(lines.length).toBeGreaterThanOrEqual(64);
      expect(lines.length).toBeLessThanOrEqual(127);
      for (const line of lines.slice(1)) expect(line).toMatch(/^[0-9A-F]{59}:0:clear$/);
    });

    it('names a disputed account, and pads an empty bucket the same way', async () => {
      const hash = keyHash(disputedKey);
      const lines = linesOf((await get(hash.slice(0, 5))).body);
      expect(lines).toContain(`${hash.slice(5)}:0:disputed`);

      const empty = linesOf((await get('00000')).body);
      expect(empty.length).toBeGreaterThanOrEqual(64);
      for (const line of empty) expect(line).toMatch(/^[0-9A-F]{59}:0:clear$/);
    });

    it('answers the same bytes and ETag until the bucket changes; 304 on If-None-Match', async () => {
      const first = await get('EAE59');
      const again = await get('eae59');
      expect(again.rawPayload).toEqual(first.rawPayload);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(again.headers.etag).toBe(etag);

      const notModified = await get('EAE59', { 'if-none-match': `W/"x", ${etag}` });
      expect(notModified.statusCode).toBe(304);
      expect(notModified.body).toBe('');
      expect(notModified.headers.etag).toBe(etag);
      expect(notModified.headers['cache-control']).toBe('public, max-age=300');

      // Written as a service of this process writes: it tells the check, which tells the lookup.
      runtime.checks.changed(
        await seedReports(runtime.database, [{ provider: 'bca', number: '123-456-7890' }]),
      );
      // Other processes' answers are dropped when the change feed brings the change round.
      let changed = await get('EAE59', { 'if-none-match': etag });
      for (let tries = 0; changed.statusCode === 304 && tries < 100; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        changed = await get('EAE59', { 'if-none-match': etag });
      }
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(etag);
      expect(linesOf(changed.body)).toContain(`${reportedHash.slice(5)}:3:reported`);
    });

    it('names a clear verified seller verified_seller, and leaves out a clear account', async () => {
      await seedReports(runtime.database, [
        { provider: '008', number: '1111111111', status: 'submitted' },
        { provider: '008', number: '2222222222', status: 'submitted' },
      ]);
      await runtime.database.db
        .updateTable('accounts')
        .set({ seller_verified_at: new Date('2026-02-01T00:00:00Z') })
        .where('key', '=', '008:2222222222')
        .execute();
      const clear = keyHash('008:1111111111');
      const seller = keyHash('008:2222222222');
      expect(linesOf((await get(clear.slice(0, 5))).body).join('\n')).not.toContain(clear.slice(5));
      expect(linesOf((await get(seller.slice(0, 5))).body)).toContain(
        `${seller.slice(5)}:0:verified_seller`,
      );
    });

    it('answers over HTTP (the fast path) as the route does, header by header', async () => {
      await runtime.app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(runtime.app.server.address() as AddressInfo).port}`;
      const routed = await get('EAE59');
      const fast = await fetch(`${base}/api/v1/range/eae59`, {
        headers: { 'x-request-id': 'range-fast-1' },
      });
      expect(fast.status).toBe(200);
      expect(Buffer.from(await fast.arrayBuffer()).equals(routed.rawPayload)).toBe(true);
      expect(fast.headers.get('x-request-id')).toBe('range-fast-1');
      for (const name of ['content-type', 'content-length', 'etag', 'cache-control']) {
        expect(fast.headers.get(name)).toBe(String(routed.headers[name]));
      }
      expect(fast.headers.get('x-content-type-options')).toBe('nosniff');
      const etag = String(routed.headers.etag);
      const notModified = await fetch(`${base}/api/v1/range/EAE59`, {
        headers: { 'if-none-match': etag },
      });
      expect(notModified.status).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
      const refused = await fetch(`${base}/api/v1/range/EAE5Z`);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { code: string }).code).toBe('invalid_prefix');
      // The request line names only the route, never the prefix asked for.
      expect(JSON.stringify(runtime.logs)).not.toContain('EAE59');
    });

    it('refuses a prefix that is not 5 hex characters with invalid_prefix', async () => {
      for (const prefix of ['EAE5', 'EAE591', 'XYZ12', 'eae5%20']) {
        const response = await get(prefix);
        expect(response.statusCode).toBe(400);
        expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
        expect(problemSchema.parse(response.json())).toMatchObject({ code: 'invalid_prefix' });
      }
    });

    it('is documented as rangeLookup in the API document', async () => {
      const document = (await runtime.app.inject({ url: '/api/v1/openapi.json' })).json<{
        paths: Record<string, { get: { operationId: string } }>;
      }>();
      expect(document.paths['/api/v1/range/{prefix}']?.get.operationId).toBe('rangeLookup');
    });

    it('finds accounts the bulk import created', async () => {
      const box = new SecretBox('test-secret-key-000000000000000000000');
      const csv =
        'source_id,provider,number,category,reported_at\n' +
        'range-1,bni,0099887766,online_shopping_fraud,2026-01-02\n';
      await importReports(runtime.database, () => Readable.from([csv]), {
        clock: new ManualClock('2026-06-01T10:00:00Z'),
        box,
      });
      const hash = keyHash('009:0099887766');
      expect(linesOf((await get(hash.slice(0, 5))).body)).toContain(`${hash.slice(5)}:1:reported`);
    });
  });

  describeOn(dialect)(`key hash migration on ${dialect}`, () => {
    it('fills the hash of accounts written before it', async () => {
      const t = await createTestDatabase(dialect, { migrate: false });
      try {
        const migrator = new Migrator({
          db: t.database.db,
          provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
          migrationTableName: 'schema_migrations',
        });
        const before = await migrator.migrateTo('0013_ticket_contact');
        expect(before.error).toBeUndefined();
        await sql`insert into accounts (provider, number, key, demo, created_at, updated_at)
                  values ('014', '1234567890', ${reportedKey}, ${dialect === 'postgres' ? sql`false` : sql`0`},
                          '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`.execute(t.database.db);
        const after = await migrator.migrateToLatest();
        expect(after.error).toBeUndefined();
        const row = await t.database.db
          .selectFrom('accounts')
          .select('key_hash')
          .where('key', '=', reportedKey)
          .executeTakeFirstOrThrow();
        expect(row.key_hash).toBe(reportedHash);
      } finally {
        await t.close();
      }
    });
  });
}

describeOn('sqlite')('private range lookup of the demo data', () => {
  it('finds the demo reported account as the README example shows', async () => {
    const runtime = await startTestRuntime('sqlite', { env: { CEKREK_DEMO: 'on' } });
    try {
      const hash = keyHash('014:0000000001');
      const response = await runtime.app.inject({ url: `/api/v1/range/${hash.slice(0, 5)}` });
      expect(linesOf(response.body)).toContain(`${hash.slice(5)}:3:reported`);
    } finally {
      await runtime.close();
    }
  });
});

describe('private range lookup fast path', () => {
  it('answers only the plain success itself and hands the rest to Fastify', async () => {
    const answer = renderRange(Buffer.alloc(32, 1), 'EAE59', '', 0);
    const handler = withFastRange(
      {
        ranges: { lookup: (prefix) => (prefix === 'EAE59' ? answer : Promise.reject(new Error())) },
        limiter: undefined,
        trustProxy: false,
        logger: () => pino({ level: 'silent' }),
      },
      (_request, response) => {
        response.writeHead(599);
        response.end();
      },
    );
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/range/`;
    try {
      const fast = await fetch(`${base}eae59`);
      expect(fast.status).toBe(200);
      expect(Buffer.from(await fast.arrayBuffer()).equals(answer.body)).toBe(true);
      for (const handedOver of ['EAE5Z', 'EAE59?x=1', 'EAE5%39', 'EAE590', '00000']) {
        expect((await fetch(base + handedOver)).status).toBe(599);
      }
      expect((await fetch(`${base}EAE59`, { method: 'POST' })).status).toBe(599);
    } finally {
      server.close();
    }
  });
});
