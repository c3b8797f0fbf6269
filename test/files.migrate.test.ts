// `cekrek files migrate` as a real process, on both databases: the files
// recorded on the local disk move into an S3 bucket (s3rver, see
// support/s3.ts) and back, sealed as they are; a run stopped by --limit, a
// crash between copy and delete, and a file that fails to copy are each
// finished by running the command again, with nothing lost; the S3 secret
// is never printed.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { S3Blobs } from '../src/files/s3-blobs.ts';
import { FileStore, type FileRecord } from '../src/files/files.service.ts';
import { systemClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { cekrek } from './support/cli.ts';
import {
  createTestDatabase,
  describeOn,
  dialects,
  type TestDatabase,
} from './support/databases.ts';
import { startTestS3, type TestS3 } from './support/s3.ts';

const box = new SecretBox('a-test-secret-key-for-the-file-store-000');
const prefix = 'files/';

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

for (const dialect of dialects) {
  describeOn(dialect)(`cekrek files migrate on ${dialect}`, () => {
    let t: TestDatabase;
    let s3: TestS3;
    let bucket: string;
    let env: Record<string, string>;
    let onDisk: FileStore;
    let inBucket: FileStore;
    let records: FileRecord[];

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      s3 = await startTestS3();
      bucket = await s3.newBucket();
      env = { ...t.env, ...s3.env(bucket, prefix) };
      const deps = { database: t.database, box, clock: systemClock, dataDir: t.dataDir };
      onDisk = new FileStore(deps);
      inBucket = new FileStore({ ...deps, blobs: new S3Blobs(s3.settings(bucket, prefix)) });
      const batch = onDisk.batch();
      for (let i = 0; i < 5; i += 1) {
        await batch.add({ field: 'evidence', content: Readable.from([pdf(`receipt ${i}`)]) });
      }
      records = await t.database.db
        .transaction()
        .execute((trx) => onDisk.recordFiles(trx, { kind: 'report', id: 7 }, batch.files));
    });
    afterAll(async () => {
      await inBucket?.close();
      await s3?.close();
      await t?.close();
    });

    const ids = () => records.map((r) => r.id).sort();
    const diskNames = () => readdirSync(onDisk.directory).sort();
    const bucketNames = async () =>
      (await s3.raw.keys(bucket, prefix)).map((key) => key.slice(prefix.length));

    async function run(args: string[]) {
      const result = await cekrek(['files', 'migrate', ...args], env);
      const printed = result.stdout + result.stderr;
      expect(printed).not.toContain(env.S3_SECRET_ACCESS_KEY);
      return result;
    }

    async function expectEveryFileOpens(store: FileStore) {
      for (const record of records) {
        const file = await store.open(record.id);
        expect(sha256(file.bytes)).toBe(record.sha256);
      }
    }

    it('refuses without an S3 store to move to, or with an unknown target', async () => {
      const bare = await cekrek(['files', 'migrate', '--to', 's3'], t.env);
      expect(bare.code).toBe(1);
      expect(bare.stderr).toMatch(/FILE_STORE_URL must name the S3 store/);
      const unknown = await run(['--to', 'gcs']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/--to must be s3 or disk/);
      expect(diskNames()).toEqual(ids());
    });

    it('moves the files to S3 in two runs, finishing what a crash left half done', async () => {
      // What cekrek did not write stays where it is.
      writeFileSync(join(onDisk.directory, 'README'), 'not cekrek');
      writeFileSync(join(onDisk.directory, `${'f'.repeat(32)}.partial`), 'half a file');

      const first = await run(['--to', 's3', '--limit', '2']);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(`to s3://${bucket}/${prefix}`);
      expect(first.stdout).toMatch(/moved 2, completed 0 copied before, failed 0, left 3/);
      expect(first.stdout).toMatch(/run the command again/);
      const moved = await bucketNames();
      expect(moved).toHaveLength(2);
      expect([...moved, ...diskNames().filter((n) => /^[0-9a-f]{32}$/.test(n))].sort()).toEqual(
        ids(),
      );

      // A run that stopped between copying a file and deleting it: both stores hold it.
      const halfDone = diskNames().find((n) => ids().includes(n))!;
      await s3.raw.put(bucket, prefix + halfDone, readFileSync(join(onDisk.directory, halfDone)));

      const second = await run(['--to', 's3']);
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/moved 2, completed 1 copied before, failed 0, left 0/);
      expect(await bucketNames()).toEqual(ids());
      expect(diskNames()).toEqual(['README', `${'f'.repeat(32)}.partial`]);
      // Still sealed in the bucket, and whole: every record's file opens from there.
      for (const id of ids()) {
        expect((await s3.raw.get(bucket, prefix + id)).includes('%PDF')).toBe(false);
      }
      await expectEveryFileOpens(inBucket);
    });

    it('moves them back, a file that fails to copy staying in S3 until the next run', async () => {
      // Something in the way on disk: a folder under one file's name.
      const blocked = ids()[2]!;
      mkdirSync(join(onDisk.directory, blocked));
      const failing = await run(['--to', 'disk']);
      expect(failing.code).toBe(1);
      expect(failing.stdout).toMatch(/moved 4, completed 0 copied before, failed 1, left 0/);
      expect(failing.stderr).toContain(`${blocked}: not moved`);
      expect(failing.stderr).toMatch(/1 files were not moved/);
      expect(await bucketNames()).toEqual([blocked]);

      rmdirSync(join(onDisk.directory, blocked));
      const rerun = await run(['--to', 'disk']);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stdout).toMatch(/moved 1, completed 0 copied before, failed 0, left 0/);
      expect(await bucketNames()).toEqual([]);
      await expectEveryFileOpens(onDisk);

      const nothingLeft = await run(['--to', 'disk']);
      expect(nothingLeft.stdout).toMatch(/moved 0, completed 0 copied before, failed 0, left 0/);
    });
  });
}
