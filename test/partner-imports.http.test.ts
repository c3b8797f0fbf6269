// POST /api/v1/imports and GET /api/v1/imports/{id} through the whole app on
// both databases: only with a key of scope `import`; the CSV loaded by a job,
// each valid row a verified report from the partner, bad rows listed by line;
// another partner's import not found; the body size-limited; and an import
// interrupted half way by a restart finished by the next process without
// loading or counting a row twice.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueue } from '../src/jobs/jobs.ts';
import { resolveSecretKey } from '../src/main.ts';
import type { PartnerActor } from '../src/partners/partners.service.ts';
import { importReports } from '../src/reports/import.service.ts';
import { systemClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import '../src/reports/partner-imports.service.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const actor: PartnerActor = { type: 'cli', id: null, label: 'cli:test', ip: null };
const header = 'source_id,provider,number,category,reported_at,holder_name';

function csvOf(lines: readonly string[]): string {
  return `${[header, ...lines].join('\n')}\n`;
}

function rows(from: number, to: number): string[] {
  return Array.from(
    { length: to - from },
    (_, i) => `lap-${from + i},014,${8800000000 + from + i},online_shopping_fraud,2026-01-02,`,
  );
}

/** POSTs a body in chunked transfer encoding (no length) over a socket, as a streaming client does. */
async function postChunked(
  runtime: TestRuntime,
  headers: Record<string, string>,
  body: Iterable<Buffer>,
): Promise<{ statusCode: number; body: string }> {
  if (!runtime.app.server.listening) await runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = runtime.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const sending = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/v1/imports',
        headers: { ...headers, connection: 'close' },
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (piece: string) => (text += piece));
        response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, body: text }));
      },
    );
    // The server may answer and close before the whole body is sent: that is the point.
    sending.on('error', (error) => (sending.writableEnded ? undefined : reject(error)));
    Readable.from(body).pipe(sending);
  });
}

type ImportBody = {
  id: number;
  status: string;
  rows: number;
  imported: number;
  skipped: number;
  errors: { line: number; message: string }[];
};

async function until(runtime: TestRuntime, key: string, id: number): Promise<ImportBody> {
  for (let i = 0; i < 200; i++) {
    const answer = await runtime.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${id}`,
      headers: { authorization: `Bearer ${key}` },
    });
    const body = answer.json<ImportBody>();
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the import did not finish');
}

async function partnerWithKeys(runtime: TestRuntime, name: string) {
  const partners = runtime.services.partners;
  const partner = await partners.createPartner(
    { name, kind: 'police', contactEmail: `api@${name.length}.test` },
    actor,
  );
  const importKey = (
    await partners.issueKey(partner.id, { label: 'impor', scopes: ['import'] }, actor)
  ).secret;
  const reportsKey = (
    await partners.issueKey(partner.id, { label: 'lapor', scopes: ['reports'] }, actor)
  ).secret;
  await partners.reload();
  return { partner, importKey, reportsKey };
}

for (const dialect of dialects) {
  describeOn(dialect)(`partner imports on ${dialect}`, () => {
    let runtime: TestRuntime;
    let keys: Awaited<ReturnType<typeof partnerWithKeys>>;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { env: { IMPORT_MAX_MB: '1' } });
      keys = await partnerWithKeys(runtime, 'Polda Contoh');
    });
    afterAll(() => runtime?.close());

    function send(body: string, key: string | null, type = 'text/csv') {
      return runtime.app.inject({
        method: 'POST',
        url: '/api/v1/imports',
        headers: { 'content-type': type, ...(key ? { authorization: `Bearer ${key}` } : {}) },
        payload: body,
      });
    }

    it('loads each valid row as a verified report from the partner, bad rows by line', async () => {
      const body = csvOf([...rows(0, 3), 'lap-x,014,12,online_shopping_fraud,2026-01-02,']);
      const sent = await send(body, keys.importKey);
      expect(sent.statusCode, sent.body).toBe(202);
      const queued = sent.json<{ id: number; status: string }>();
      expect(queued.status).toBe('queued');
      const done = await until(runtime, keys.importKey, queued.id);
      expect(done).toMatchObject({ status: 'done', rows: 4, imported: 3, skipped: 1 });
      expect(done.errors).toHaveLength(1);
      expect(done.errors[0]!.line).toBe(5);
      const stored = await runtime.database.db
        .selectFrom('reports')
        .select(['status', 'source', 'partner_id'])
        .where('import_id', '=', queued.id)
        .execute();
      expect(stored).toHaveLength(3);
      // The check of this same process knows at once (its filter and cache were told).
      const checked = await runtime.app.inject('/api/v1/accounts/014/8800000001');
      expect(checked.json<{ status: string }>().status).toBe('reported');
      for (const row of stored) {
        expect(row).toMatchObject({ status: 'verified', source: 'partner' });
        expect(Number(row.partner_id)).toBe(keys.partner.id);
      }
      // The same file again: nothing new, every row skipped.
      const again = (await send(body, keys.importKey)).json<{ id: number }>();
      expect(await until(runtime, keys.importKey, again.id)).toMatchObject({
        imported: 0,
        skipped: 4,
      });
    });

    it('fails an unreadable file with the line that says why', async () => {
      const sent = await send('not,a,header\n1,2,3\n', keys.importKey);
      const failed = await until(runtime, keys.importKey, sent.json<{ id: number }>().id);
      expect(failed.status).toBe('failed');
      expect(failed.errors[0]!.line).toBe(1);
    });

    it('needs a key of scope import, and shows an import to its own partner only', async () => {
      expect((await send(csvOf(rows(10, 11)), null)).statusCode).toBe(401);
      const wrongScope = await send(csvOf(rows(10, 11)), keys.reportsKey);
      expect(wrongScope.statusCode).toBe(403);
      expect(wrongScope.json<{ code: string }>().code).toBe('insufficient_scope');
      const mine = (await send(csvOf(rows(10, 11)), keys.importKey)).json<{ id: number }>();
      const other = await partnerWithKeys(runtime, 'Marketplace Lain');
      const theirs = await runtime.app.inject({
        method: 'GET',
        url: `/api/v1/imports/${mine.id}`,
        headers: { authorization: `Bearer ${other.importKey}` },
      });
      expect(theirs.statusCode).toBe(404);
      await until(runtime, keys.importKey, mine.id);
    });

    it('takes CSV only, up to IMPORT_MAX_MB', async () => {
      const json = await send('{"rows":[]}', keys.importKey, 'application/json');
      expect(json.statusCode).toBe(415);
      const big = csvOf(rows(0, 1)) + 'x'.repeat(1024 * 1024);
      const tooBig = await send(big, keys.importKey);
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json<{ code: string }>().code).toBe('payload_too_large');
    });

    it('refuses a streamed body without a length once it passes IMPORT_MAX_MB, keeping none of it', async () => {
      const before = await runtime.database.db
        .selectFrom('partner_imports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const line = Buffer.from(`${rows(0, 1)[0]}\n`);
      function* endless(): Generator<Buffer> {
        yield Buffer.from(`${header}\n`);
        for (let sent = 0; sent < 3 * 1024 * 1024; sent += line.length * 100) {
          yield Buffer.concat(Array.from({ length: 100 }, () => line));
        }
      }
      const refused = await postChunked(
        runtime,
        { 'content-type': 'text/csv', authorization: `Bearer ${keys.importKey}` },
        endless(),
      );
      expect(refused.statusCode).toBe(413);
      expect((JSON.parse(refused.body) as { code: string }).code).toBe('payload_too_large');
      const after = await runtime.database.db
        .selectFrom('partner_imports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect(await runtime.database.db.selectFrom('import_chunks').selectAll().execute()).toEqual(
        [],
      );
    });
  });

  describeOn(dialect)(`a partner import across a restart on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect, { migrate: false });
    });
    afterAll(() => t?.close());

    it('finishes after a restart half way, without loading or counting a row twice', async () => {
      const first = await startTestRuntime(dialect, { database: t });
      const keys = await partnerWithKeys(first, 'Bank Restart');
      const all = rows(100, 140);
      const now = new Date();
      const box = new SecretBox(resolveSecretKey(first.config));
      // The body as it was streamed in: sealed chunks, split inside a line and
      // inside a character (the holder's name), read back in order.
      const named = all.map((line) => `${line}Siti Rahayu Ñuñez`);
      const bytes = Buffer.from(csvOf(named), 'utf8');
      const split = bytes.indexOf('Ñ', bytes.length / 2) + 1;
      const uploadId = 'restart-upload';
      for (const [seq, piece] of [bytes.subarray(0, split), bytes.subarray(split)].entries()) {
        await first.database.db
          .insertInto('import_chunks')
          .values({
            upload_id: uploadId,
            seq,
            data: box.seal(piece, 'import-body', `${uploadId}:${seq}`),
            created_at: now,
          })
          .execute();
      }
      // The state a crash leaves: the import running, its first half stored, its job pending.
      const inserted = await first.database.db
        .insertInto('partner_imports')
        .values({
          partner_id: keys.partner.id,
          key_id: 1,
          status: 'running',
          upload_id: uploadId,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const importId = Number(inserted.id);
      const keyId = await first.database.db
        .selectFrom('partner_keys')
        .select('id')
        .where('partner_id', '=', keys.partner.id)
        .executeTakeFirstOrThrow();
      await first.database.db
        .updateTable('partner_imports')
        .set({ key_id: Number(keyId.id) })
        .where('id', '=', importId)
        .execute();
      await importReports(first.database, () => Readable.from([csvOf(named.slice(0, 20))]), {
        clock: systemClock,
        box,
        attribution: { partnerId: keys.partner.id, importId },
      });
      await first.close();
      await enqueue(
        t.database.db,
        { kind: 'reports.partner-import', payload: { importId } },
        new Date(),
      );

      const second = await startTestRuntime(dialect, { database: t });
      try {
        const done = await until(second, keys.importKey, importId);
        expect(done).toMatchObject({ status: 'done', rows: 40, imported: 40, skipped: 0 });
        const stored = await second.database.db
          .selectFrom('reports')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('partner_id', '=', keys.partner.id)
          .executeTakeFirstOrThrow();
        expect(Number(stored.n)).toBe(40);
        const left = await second.database.db.selectFrom('import_chunks').selectAll().execute();
        expect(left).toHaveLength(0);
      } finally {
        await second.close();
      }
    });
  });
}
