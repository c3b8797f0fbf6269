// Two app runtimes that share no disk (each its own DATA_DIR), on one
// PostgreSQL and one S3 bucket (s3rver, see support/s3.ts): a report filed
// through one shows its evidence to a reviewer signed in on the other; the
// object holds only sealed bytes and neither DATA_DIR gets a file; an
// upload orphaned on one is swept by the other through the bucket's
// listing; the S3 secret is in no log line; and while the store is down, a
// file is answered 503 with Retry-After and a submission records nothing.
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { createTestDatabase, describeOn, tempDir, type TestDatabase } from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { startTestS3, type TestS3 } from './support/s3.ts';

const prefix = 'evidence/';
const hour = 60 * 60 * 1000;

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');
}

describeOn('postgres')('stored files in S3, shared by two app runtimes', () => {
  const clock = new ManualClock('2026-03-10T03:00:00Z');
  let t: TestDatabase;
  let s3: TestS3;
  let bucket: string;
  let env: Record<string, string>;
  let filing: TestRuntime;
  let reviewing: TestRuntime;
  const dataDirs = [tempDir('cekrek-app-a-'), tempDir('cekrek-app-b-')];

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    s3 = await startTestS3();
    bucket = await s3.newBucket();
    env = s3.env(bucket, prefix);
    filing = await startTestRuntime('postgres', {
      clock,
      database: t,
      env: { ...env, DATA_DIR: dataDirs[0]! },
    });
    reviewing = await startTestRuntime('postgres', {
      clock,
      database: t,
      env: { ...env, DATA_DIR: dataDirs[1]!, SIGN_IN_RATE_LIMIT: '0' },
    });
  });
  afterAll(async () => {
    await filing?.close();
    await reviewing?.close();
    await s3?.close();
    await t?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('shows evidence filed through one runtime to a reviewer on the other', async () => {
    const marker = 'transfer receipt 5550001234, sealed before it leaves';
    const body = await multipart({ ...validReportFields, number: '5550001234' }, [
      { name: 'evidence', content: pdf(marker), fileName: 'mutasi.pdf', type: 'application/pdf' },
      { name: 'evidence', content: await smallJpeg(4), fileName: 'bukti.jpg' },
    ]);
    const filed = await filing.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
    expect(filed.statusCode, filed.body).toBe(201);
    const { ticket } = filed.json<{ ticket: string }>();
    const files = await t.database.db
      .selectFrom('files')
      .innerJoin('reports', 'reports.id', 'files.owner_id')
      .select(['files.id', 'files.mime', 'files.sha256'])
      .where('files.owner_kind', '=', 'report')
      .where('reports.ticket', '=', ticket)
      .orderBy('files.position')
      .execute();
    expect(files.map((f) => f.mime)).toEqual(['application/pdf', 'image/jpeg']);

    // In the bucket, sealed; on neither machine's disk.
    expect((await s3.raw.keys(bucket, prefix)).sort()).toEqual(
      files.map((f) => prefix + f.id).sort(),
    );
    const object = await s3.raw.get(bucket, prefix + files[0]!.id);
    expect(object.subarray(0, 4).toString('latin1')).toBe('CKF1');
    expect(object.includes(marker)).toBe(false);
    expect(object.includes('%PDF')).toBe(false);
    for (const dir of dataDirs) expect(existsSync(join(dir, 'files'))).toBe(false);

    await createOperator(reviewing, 'reviewer@cekrek.test', ['reviewer']);
    const { client } = await signedIn(reviewing, clock, 'reviewer@cekrek.test');
    for (const file of files) {
      const served = await client.request('GET', `/api/v1/admin/files/${file.id}`);
      expect(served.statusCode, served.body).toBe(200);
      expect(served.headers['content-type']).toBe(file.mime);
      expect(createHash('sha256').update(served.rawPayload).digest('hex')).toBe(file.sha256);
    }
    const pdfServed = await client.request('GET', `/api/v1/admin/files/${files[0]!.id}`);
    expect(pdfServed.rawPayload.toString('latin1')).toContain(marker);
  });

  it('sweeps, on one runtime, an upload the other staged and never recorded', async () => {
    const orphan = await filing.services.files.stage({
      field: 'evidence',
      content: Readable.from([pdf('never recorded')]),
    });
    const before = await s3.raw.keys(bucket, prefix);
    expect(before).toContain(prefix + orphan.id);
    // Two hours on (the store dates objects by the real clock): only the file without a record goes.
    clock.set(new Date(Date.now() + 2 * hour));
    const outcome = await reviewing.services.files.sweepOrphans({ olderThanMs: hour });
    expect(outcome).toMatchObject({ deleted: 1, kept: before.length - 1 });
    expect(await s3.raw.keys(bucket, prefix)).toEqual(
      before.filter((key) => key !== prefix + orphan.id),
    );
  });

  it('writes the S3 secret in no log line', () => {
    const secret = env.S3_SECRET_ACCESS_KEY!;
    expect(filing.logs.length).toBeGreaterThan(0);
    for (const runtime of [filing, reviewing]) {
      expect(JSON.stringify(runtime.logs)).not.toContain(secret);
    }
  });

  it('answers 503 while the store is down, and records no submission', async () => {
    const [file] = await t.database.db.selectFrom('files').select('id').limit(1).execute();
    await createOperator(reviewing, 'late@cekrek.test', ['reviewer']);
    const { client } = await signedIn(reviewing, clock, 'late@cekrek.test');
    const reports = async () =>
      Number(
        (
          await t.database.db
            .selectFrom('reports')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await reports();
    await s3.close();

    const served = await client.request('GET', `/api/v1/admin/files/${file!.id}`);
    expect(served.statusCode, served.body).toBe(503);
    expect(served.json<{ code: string }>().code).toBe('unavailable');
    expect(served.headers['retry-after']).toBe('5');

    const body = await multipart({ ...validReportFields, number: '5550009999' }, [
      { name: 'evidence', content: pdf('while the store is down'), fileName: 'x.pdf' },
    ]);
    const filed = await filing.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
    expect(filed.statusCode, filed.body).toBe(503);
    expect(await reports()).toBe(before);
  });
});
