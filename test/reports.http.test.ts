// Filing, tracking and reviewing reports through the API (inject), on both databases.
import { existsSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { solveChallenge } from 'altcha-lib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import { solvedChallenge } from './support/challenge.ts';

for (const dialect of dialects) {
  describeOn(dialect)(`reports API on ${dialect}`, () => {
    let runtime: TestRuntime;
    const clock = new ManualClock('2026-03-01T05:00:00Z');
    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock });
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function file(
      fields: Record<string, string> = {},
      evidence: number | Buffer[] = 2,
      headers: Record<string, string> = {},
    ) {
      const images = Array.isArray(evidence)
        ? evidence
        : await Promise.all(Array.from({ length: evidence }, (_, i) => smallJpeg(i)));
      const body = await multipart(
        { ...validReportFields, ...fields },
        images.map((content, i) => ({ name: 'evidence', content, fileName: `bukti-${i}.jpg` })),
      );
      return runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: body.payload,
        headers: { ...body.headers, ...headers },
      });
    }
    const storedFiles = () => {
      const dir = join(runtime.testDatabase.dataDir, 'files');
      return existsSync(dir) ? readdirSync(dir).filter((f) => /^[0-9a-f]{32}$/.test(f)).length : 0;
    };
    const reportCount = async () =>
      Number(
        (
          await runtime.database.db
            .selectFrom('reports')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('files a report, tracks it, and a reviewer verifies it into the check', async () => {
      const filed = await file({ number: '5550001111' });
      expect(filed.statusCode, filed.body).toBe(201);
      const { ticket, trackingToken, status } = filed.json<{
        ticket: string;
        trackingToken: string;
        status: string;
      }>();
      expect(status).toBe('submitted');
      expect(ticket).toMatch(/^LAP-/);

      const tracked = await runtime.app.inject({
        url: `/api/v1/tickets/${ticket}`,
        headers: { 'x-tracking-token': trackingToken },
      });
      expect(tracked.statusCode).toBe(200);
      expect(tracked.json()).toMatchObject({ ticket, kind: 'report', status: 'submitted' });
      const wrong = await runtime.app.inject({
        url: `/api/v1/tickets/${ticket}`,
        headers: { 'x-tracking-token': 'nope' },
      });
      const unknown = await runtime.app.inject({
        url: '/api/v1/tickets/LAP-0000-0000',
        headers: { 'x-tracking-token': trackingToken },
      });
      expect(wrong.statusCode).toBe(404);
      expect(unknown.statusCode).toBe(404);
      expect(wrong.body.replace(/"requestId":"[^"]+"/, '')).toBe(
        unknown.body.replace(/"requestId":"[^"]+"/, ''),
      );

      const before = await runtime.app.inject({ url: '/api/v1/accounts/014/5550001111' });
      expect(before.json()).toMatchObject({ status: 'clear' });

      await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
      const { client: reviewer } = await signedIn(runtime, clock, 'reviewer@cekrek.test');
      const queue = await reviewer.request('GET', '/api/v1/admin/reports');
      expect(queue.statusCode).toBe(200);
      const item = queue
        .json<{ reports: { id: number; account: { key: string } }[] }>()
        .reports.find((r) => r.account.key === '014:5550001111')!;
      expect(item).toBeDefined();
      const detail = await reviewer.request('GET', `/api/v1/admin/reports/${item.id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({
        reporter: { name: 'Siti Lestari', email: 'siti@example.id' },
        files: [{ mime: 'image/jpeg' }, { mime: 'image/jpeg' }],
      });
      const decided = await reviewer.request('POST', `/api/v1/admin/reports/${item.id}/decision`, {
        decision: 'verify',
        reason: 'evidence_sufficient',
      });
      expect(decided.statusCode, decided.body).toBe(200);
      const after = await runtime.app.inject({ url: '/api/v1/accounts/014/5550001111' });
      expect(after.json()).toMatchObject({
        status: 'reported',
        reports: { verified: 1, byCategory: { online_shopping_fraud: 1 } },
      });
      const again = await reviewer.request('POST', `/api/v1/admin/reports/${item.id}/decision`, {
        decision: 'reject',
        reason: 'other',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'already_decided' });
      // The public check never shows who reported.
      expect(after.body).not.toContain('Siti');
      expect(after.body).not.toContain('siti@example.id');
    });

    it('refuses a second open report from the same reporter on the same account', async () => {
      expect((await file({ number: '5550002222' })).statusCode).toBe(201);
      const second = await file({ number: '5550002222' });
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({ code: 'duplicate_report' });
    });

    it('names every bad field at once', async () => {
      const bad = await file({
        transferDate: '2999-01-01',
        chronology: 'terlalu pendek',
        reporterEmail: 'x',
      });
      expect(bad.statusCode).toBe(400);
      const fields = bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining(['transferDate', 'chronology', 'reporterEmail']),
      );
    });

    it('needs evidence', async () => {
      const none = await file({ number: '5550003333' }, 0);
      expect(none.statusCode).toBe(400);
      expect(none.json()).toMatchObject({ errors: [{ field: 'evidence' }] });
    });

    it('refuses a program renamed .jpg by its content, keeping nothing', async () => {
      const before = { files: storedFiles(), reports: await reportCount() };
      const elf = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]),
        Buffer.alloc(2000),
      ]);
      const refused = await file({ number: '5550004444' }, [await smallJpeg(1), elf]);
      expect(refused.statusCode).toBe(415);
      expect(refused.json()).toMatchObject({ code: 'unsupported_file_type' });
      expect({ files: storedFiles(), reports: await reportCount() }).toEqual(before);
    });

    it('stores a photo without its EXIF and GPS position', async () => {
      const photo = await sharp({
        create: { width: 40, height: 30, channels: 3, background: { r: 9, g: 9, b: 9 } },
      })
        .jpeg()
        .withMetadata({ exif: { IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '6/1 10/1 0/1' } } })
        .toBuffer();
      expect((await sharp(photo).metadata()).exif).toBeDefined();
      const filed = await file({ number: '5550005555' }, [photo]);
      expect(filed.statusCode, filed.body).toBe(201);
      const row = await runtime.database.db
        .selectFrom('files')
        .innerJoin('reports', 'reports.id', 'files.owner_id')
        .innerJoin('accounts', 'accounts.id', 'reports.account_id')
        .select('files.id')
        .where('accounts.key', '=', '014:5550005555')
        .executeTakeFirstOrThrow();
      const stored = await runtime.services.files.open(row.id);
      const metadata = await sharp(stored.bytes).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(stored.bytes.includes(Buffer.from('GPS'))).toBe(false);
    });

    it('refuses an oversized file, six files and a truncated body, keeping nothing', async () => {
      const before = { files: storedFiles(), reports: await reportCount() };
      const huge = Buffer.concat([await smallJpeg(2), Buffer.alloc(6 * 1024 * 1024)]);
      expect((await file({ number: '5550006666' }, [huge])).statusCode).toBe(413);
      const six = await file({ number: '5550006666' }, 6);
      expect(six.statusCode).toBe(400);
      expect(six.json()).toMatchObject({ code: 'too_many_files' });
      const body = await multipart({ ...validReportFields, number: '5550006666' }, [
        { name: 'evidence', content: await smallJpeg(3), fileName: 'a.jpg' },
      ]);
      const truncated = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: body.headers,
        payload: body.payload.subarray(0, body.payload.length - 200),
      });
      expect(truncated.statusCode).toBe(400);
      expect({ files: storedFiles(), reports: await reportCount() }).toEqual(before);
    });

    it('names a missing field', async () => {
      const rest: Record<string, string> = { ...validReportFields };
      delete rest.reporterPhone;
      const body = await multipart({ ...rest, number: '5550007777' }, [
        { name: 'evidence', content: await smallJpeg(4), fileName: 'a.jpg' },
      ]);
      const missing = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        ...body,
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.json()).toMatchObject({ errors: [{ field: 'reporterPhone' }] });
    });

    it('leaves no file and no half record when the database write fails', async () => {
      const before = { files: storedFiles(), reports: await reportCount() };
      const files = runtime.services.files;
      const crash = vi.spyOn(files, 'recordFiles').mockRejectedValueOnce(new Error('disk gone'));
      const failed = await file({ number: '5550008888' });
      crash.mockRestore();
      expect(failed.statusCode).toBe(500);
      expect({ files: storedFiles(), reports: await reportCount() }).toEqual(before);
      const tickets = await runtime.database.db
        .selectFrom('tickets')
        .select('ticket')
        .where('subject_id', 'not in', (eb) => eb.selectFrom('reports').select('id'))
        .execute();
      expect(tickets).toEqual([]);
    });

    it('sweeps a file whose record never came, once it is old enough', async () => {
      const files = runtime.services.files;
      const orphan = await files.stage({
        field: 'evidence',
        content: (async function* () {
          yield await smallJpeg(5);
        })(),
        fileName: 'orphan.jpg',
      });
      const before = storedFiles();
      // Staged "two hours ago": the sweeper goes by the file's time on disk.
      const old = new Date(clock.now().getTime() - 2 * 3_600_000);
      utimesSync(join(runtime.testDatabase.dataDir, 'files', orphan.id), old, old);
      const swept = await files.sweepOrphans({ olderThanMs: 3_600_000 });
      expect(swept.deleted).toBeGreaterThanOrEqual(1);
      expect(storedFiles()).toBe(before - swept.deleted);
      await expect(files.open(orphan.id)).rejects.toThrow();
    });

    it('flags a burst of reports on one account from one client', async () => {
      const client = { 'x-forwarded-for': '203.0.113.77' };
      const a = await file({ number: '5550009999', reporterEmail: 'a@example.id' }, 1, client);
      const b = await file({ number: '5550009999', reporterEmail: 'b@example.id' }, 1, client);
      expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
      const rows = await runtime.database.db
        .selectFrom('reports')
        .innerJoin('accounts', 'accounts.id', 'reports.account_id')
        .select(['reports.flagged', 'reports.flag_reasons'])
        .where('accounts.key', '=', '014:5550009999')
        .execute();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(Boolean(row.flagged)).toBe(true);
        expect(row.flag_reasons).toContain('burst_client');
      }
    });

    it("e-mails the reporter on receipt, in the report's language", async () => {
      const filed = await file({ number: '5550012345', reporterEmail: 'mail@example.id' }, 1, {
        'accept-language': 'en',
      });
      expect(filed.statusCode).toBe(201);
      const { ticket } = filed.json<{ ticket: string }>();
      await vi.waitFor(
        () => {
          const texts = runtime.outbox();
          expect(
            texts.some((text) => text.includes(ticket) && text.includes('mail@example.id')),
          ).toBe(true);
        },
        { timeout: 5000, interval: 100 },
      );
    });

    it('keeps a claimed report away from other reviewers until the claim runs out', async () => {
      expect((await file({ number: '5550013579' })).statusCode).toBe(201);
      await createOperator(runtime, 'claim-a@cekrek.test', ['reviewer']);
      await createOperator(runtime, 'claim-b@cekrek.test', ['reviewer']);
      const { client: a } = await signedIn(runtime, clock, 'claim-a@cekrek.test');
      const { client: b } = await signedIn(runtime, clock, 'claim-b@cekrek.test');
      const id = (
        await runtime.database.db
          .selectFrom('reports')
          .innerJoin('accounts', 'accounts.id', 'reports.account_id')
          .select('reports.id')
          .where('accounts.key', '=', '014:5550013579')
          .executeTakeFirstOrThrow()
      ).id;
      expect((await a.request('POST', `/api/v1/admin/reports/${id}/claim`, {})).statusCode).toBe(
        200,
      );
      const taken = await b.request('POST', `/api/v1/admin/reports/${id}/claim`, {});
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ code: 'already_claimed' });
      const blocked = await b.request('POST', `/api/v1/admin/reports/${id}/decision`, {
        decision: 'reject',
        reason: 'insufficient_evidence',
      });
      expect(blocked.json()).toMatchObject({ code: 'already_claimed' });
      clock.advance(20 * 60_000);
      expect((await b.request('POST', `/api/v1/admin/reports/${id}/claim`, {})).statusCode).toBe(
        409,
      );
      clock.advance(11 * 60_000);
      expect((await b.request('POST', `/api/v1/admin/reports/${id}/claim`, {})).statusCode).toBe(
        200,
      );
    });

    it('hands reviewers asking at the same moment different reports', async () => {
      for (const n of ['5551110001', '5551110002', '5551110003']) {
        expect((await file({ number: n, reporterEmail: `next-${n}@example.id` })).statusCode).toBe(
          201,
        );
      }
      const reviewers = [];
      for (const i of [1, 2, 3]) {
        await createOperator(runtime, `next-${i}@cekrek.test`, ['reviewer']);
        reviewers.push((await signedIn(runtime, clock, `next-${i}@cekrek.test`)).client);
      }
      const answers = await Promise.all(
        reviewers.map((r) => r.request('POST', '/api/v1/admin/reports/next', {})),
      );
      const ids = answers.map((a) => {
        expect(a.statusCode, a.body).toBe(200);
        return a.json<{ id: number }>().id;
      });
      expect(new Set(ids).size).toBe(3);
    });

    it('shows a verification at once in another app process, and tells the reporter', async () => {
      const other = await startTestRuntime(dialect, { clock, database: runtime.testDatabase });
      try {
        const filed = await file({ number: '5552220001', reporterEmail: 'told@example.id' });
        const { ticket } = filed.json<{ ticket: string }>();
        const check = () => other.app.inject({ url: '/api/v1/accounts/014/5552220001' });
        expect((await check()).json()).toMatchObject({ status: 'clear' });
        await createOperator(runtime, 'cross@cekrek.test', ['reviewer']);
        const { client } = await signedIn(runtime, clock, 'cross@cekrek.test');
        const id = (
          await runtime.database.db
            .selectFrom('reports')
            .select('id')
            .where('ticket', '=', ticket)
            .executeTakeFirstOrThrow()
        ).id;
        const decided = await client.request('POST', `/api/v1/admin/reports/${id}/decision`, {
          decision: 'verify',
          reason: 'confirmed_by_bank_or_police',
        });
        expect(decided.statusCode).toBe(200);
        await vi.waitFor(
          async () => expect((await check()).json()).toMatchObject({ status: 'reported' }),
          { timeout: 3000, interval: 20 },
        );
        await vi.waitFor(
          () => {
            const texts = runtime.outbox();
            const told = texts.filter((t) => t.includes(ticket) && t.includes('told@example.id'));
            expect(told.length).toBeGreaterThanOrEqual(2);
          },
          { timeout: 5000, interval: 100 },
        );
        // Reporters are personal data: never in a log line.
        expect(JSON.stringify(runtime.logs)).not.toContain('told@example.id');
        expect(JSON.stringify(runtime.logs)).not.toContain('Siti Lestari');
      } finally {
        await other.close();
      }
    });
  });
}

describe('report limits and the proof of work', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', {
      env: { CEKREK_CHALLENGE: 'on', REPORT_RATE_LIMIT: '4', REPORTER_RATE_LIMIT: '2' },
    });
  });
  afterAll(async () => {
    await runtime.close();
  });

  /** Files a report through the API, with a freshly solved challenge unless `altcha` is given. */
  async function post(fields: Record<string, string>, ip: string) {
    const altcha: Record<string, string> =
      'altcha' in fields ? {} : { altcha: await solvedChallenge(runtime.app) };
    const body = await multipart({ ...validReportFields, ...altcha, ...fields }, [
      { name: 'evidence', content: await smallJpeg(7), fileName: 'a.jpg' },
    ]);
    return runtime.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      remoteAddress: ip,
      ...body,
    });
  }
  async function solved(): Promise<string> {
    const challenge = await runtime.app.inject({ url: '/api/v1/challenge' });
    expect(challenge.headers['cache-control']).toBe('no-store');
    const c = challenge.json<{
      algorithm: string;
      challenge: string;
      salt: string;
      signature: string;
      maxnumber: number;
    }>();
    const solution = await solveChallenge(c.challenge, c.salt, c.algorithm, c.maxnumber).promise;
    return Buffer.from(
      JSON.stringify({
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: solution!.number,
        salt: c.salt,
        signature: c.signature,
      }),
    ).toString('base64');
  }

  it('accepts a solved challenge once, refuses a forged, replayed or missing one', async () => {
    const altcha = await solved();
    const ok = await post(
      { number: '6660000001', reporterEmail: 'p1@example.id', altcha },
      '10.1.0.1',
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const replay = await post(
      { number: '6660000002', reporterEmail: 'p2@example.id', altcha },
      '10.1.0.2',
    );
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'challenge_failed' });
    const forged = await post(
      {
        number: '6660000003',
        reporterEmail: 'p3@example.id',
        altcha: Buffer.from('{"number":1}').toString('base64'),
      },
      '10.1.0.3',
    );
    expect(forged.json()).toMatchObject({ code: 'challenge_failed' });
    for (const missing of [{}, { altcha: '' }] as Record<string, string>[]) {
      const body = await multipart(
        { ...validReportFields, number: '6660000004', reporterEmail: 'p4@example.id', ...missing },
        [{ name: 'evidence', content: await smallJpeg(7), fileName: 'a.jpg' }],
      );
      const none = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        remoteAddress: '10.1.0.4',
        ...body,
      });
      expect(none.statusCode).toBe(400);
      expect(none.json()).toMatchObject({ code: 'challenge_required' });
    }
    const flags = await runtime.database.db
      .selectFrom('reports')
      .innerJoin('accounts', 'accounts.id', 'reports.account_id')
      .select(['accounts.number', 'reports.flag_reasons'])
      .execute();
    expect(flags.find((f) => f.number === '6660000001')?.flag_reasons ?? null).toBeNull();
    expect(flags.some((f) => f.number === '6660000004')).toBe(false);
  });

  it('limits reports per client and per reporter e-mail', async () => {
    const ip = '10.2.0.1';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await post({ number: `66610000${i}0`, reporterEmail: `c${i}@example.id` }, ip)).statusCode,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    const same = 'same@example.id';
    expect((await post({ number: '6662000001', reporterEmail: same }, '10.3.0.1')).statusCode).toBe(
      201,
    );
    expect((await post({ number: '6662000002', reporterEmail: same }, '10.3.0.2')).statusCode).toBe(
      201,
    );
    const third = await post({ number: '6662000003', reporterEmail: same }, '10.3.0.3');
    expect(third.statusCode).toBe(429);
    expect(third.json()).toMatchObject({ code: 'rate_limited' });
  });
});
