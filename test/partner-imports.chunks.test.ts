// A partner import's body on both databases: kept in sealed chunks as it
// streams in (several for a body of some size, none holding plaintext),
// loaded from them by the job and deleted after; refused past the limit, or
// cut short by the client, it leaves neither chunks nor an import; the sweep
// deletes chunks that never became an import, and only those.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedPartner } from './support/factories.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { isAppError } from '../src/shared/errors.ts';
import {
  PartnerImportsService,
  strayChunkGraceMs,
} from '../src/reports/partner-imports.service.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';

const header = 'source_id,provider,number,category,reported_at,holder_name';
const holder = 'Siti Rahayu Kusumawardani';

function csvLines(count: number): string[] {
  return Array.from(
    { length: count },
    (_, i) => `pol-${i},014,${7700000000 + i},online_shopping_fraud,2026-02-03,${holder}`,
  );
}

/** The CSV in pieces of about 16 KiB, as a socket would hand it over. */
function streamOf(text: string, failAfterBytes?: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  function* pieces(): Generator<Buffer> {
    for (let at = 0; at < bytes.length; at += 16 * 1024) {
      if (failAfterBytes !== undefined && at >= failAfterBytes) throw new Error('client went away');
      yield bytes.subarray(at, at + 16 * 1024);
    }
  }
  return Readable.from(pieces());
}

for (const dialect of dialects) {
  describeOn(dialect)(`partner import bodies in chunks on ${dialect}`, () => {
    let t: TestDatabase;
    let service: PartnerImportsService;
    const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
    const sender = { partnerId: 0, keyId: 0 };

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      const now = clock.now();
      const partnerId = await seedPartner(t.database, now, 'police');
      const key = await t.database.db
        .insertInto('partner_keys')
        .values({
          partner_id: partnerId,
          label: 'impor',
          key_hash: 'x'.repeat(64),
          shown: 'ckr_live_xxx…xxxx',
          scopes: '["import"]',
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      sender.partnerId = partnerId;
      sender.keyId = Number(key.id);
      service = new PartnerImportsService({
        database: t.database,
        clock,
        box: new SecretBox('k'.repeat(40)),
        wakeJobs: () => {},
      });
    });
    afterAll(() => t?.close());

    const chunks = () =>
      t.database.db.selectFrom('import_chunks').select(['upload_id', 'seq', 'data']).execute();
    const importsCount = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('partner_imports')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('keeps a body in sealed chunks, loads it from them, and deletes them after', async () => {
      const text = `${[header, ...csvLines(12_000)].join('\n')}\n`;
      expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 256 * 1024);
      const queued = await service.queue(sender, streamOf(text), 10 * 1024 * 1024);
      const kept = await chunks();
      expect(kept.length).toBeGreaterThan(3);
      expect(kept.map((c) => Number(c.seq)).sort((a, b) => a - b)).toEqual(kept.map((_, i) => i));
      for (const chunk of kept) {
        // Plaintext with a space or a comma, which base64url never holds: a
        // bare name or number could turn up in ciphertext by chance.
        expect(chunk.data).not.toContain(holder);
        expect(chunk.data).not.toContain(',7700000000,');
        expect(chunk.data).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
      }
      await service.run(queued.id);
      const done = await service.find(sender.partnerId, queued.id);
      expect(done).toMatchObject({ status: 'done', rows: 12_000, imported: 12_000, skipped: 0 });
      expect(await chunks()).toHaveLength(0);
    });

    it('refuses a body past the limit as it passes it, keeping nothing', async () => {
      const before = await importsCount();
      const text = `${[header, ...csvLines(20_000)].join('\n')}\n`;
      const refused = await service
        .queue(sender, streamOf(text), 512 * 1024)
        .catch((e: unknown) => e);
      expect(isAppError(refused) && refused.code).toBe('payload_too_large');
      expect(await chunks()).toHaveLength(0);
      expect(await importsCount()).toBe(before);
    });

    it('keeps nothing of a body whose client went away half way', async () => {
      const before = await importsCount();
      const text = `${[header, ...csvLines(20_000)].join('\n')}\n`;
      const cut = await service
        .queue(sender, streamOf(text, 600 * 1024), 10 * 1024 * 1024)
        .catch((e: unknown) => e);
      expect(cut).toBeInstanceOf(Error);
      expect(await chunks()).toHaveLength(0);
      expect(await importsCount()).toBe(before);
    });

    it('refuses an empty body', async () => {
      const refused = await service
        .queue(sender, streamOf('\n  \n'), 1024)
        .catch((e: unknown) => e);
      expect(isAppError(refused) && refused.code).toBe('validation_failed');
      expect(await chunks()).toHaveLength(0);
    });

    it('sweeps chunks that never became an import, and only those, after the grace', async () => {
      const queued = await service.queue(
        sender,
        streamOf(`${[header, ...csvLines(3)].join('\n')}\n`),
        1024 * 1024,
      );
      await t.database.db
        .insertInto('import_chunks')
        .values({ upload_id: 'stray', seq: 0, data: 'v1.x.y.z', created_at: clock.now() })
        .execute();
      expect(await service.sweepStrayChunks()).toBe(0);
      clock.advance(strayChunkGraceMs + 1000);
      expect(await service.sweepStrayChunks()).toBe(1);
      const left = await chunks();
      expect(left).toHaveLength(1);
      await service.run(queued.id);
      expect(await chunks()).toHaveLength(0);
    });
  });
}
