// No personal data in clear at rest, on both databases: a report, a seller
// registration and a normalization request are filed with distinctive names,
// e-mails, phones and NIKs; their mails stay queued while SMTP is down, then
// go out through the outbox; and at each point every file under DATA_DIR
// (database, WAL, SHM, stored files, outbox) and, on PostgreSQL, a pg_dump of
// the database are searched as bytes for every value and its common
// encodings. The values still reach the operators who may see them, and no
// log line carries them.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import {
  createTestDatabase,
  describeOn,
  dialects,
  type TestDatabase,
} from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn } from './support/operators.ts';
import {
  postRegistration,
  registrationDocuments,
  validRegistrationFields,
} from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const run = promisify(execFile);

const reporter = {
  reporterName: 'Zelda Quintessa Marwick',
  reporterEmail: 'zelda.marwick7731@example.id',
  reporterPhone: '0812-7731-4455',
};
const reported = {
  holderName: 'Xavier Ulbricht Penno',
  reportedPhone: '0857-9911-2233',
  reportedSocials: '@xavier_penno_7731',
  chronology:
    'Saya transfer untuk ponsel, lalu kurir bernama Quimby Fairweather tidak pernah datang dan nomornya mati.',
};
const seller = {
  holderName: 'Yolanda Brisbane Ortiz',
  email: 'yolanda.ortiz5521@example.id',
  phone: '0813-5521-6677',
  nik: '3273025708880007',
};
const owner = {
  holderName: 'Wilhelmina Osgood Trask',
  nik: '3174014107850009',
  phone: '0821-4433-9988',
  email: 'wilhelmina.trask4433@example.id',
  statement:
    'Barang sudah saya kirim lewat JNE kepada Thaddeus Wexford dan diterima; resi dan percakapan terlampir.',
};

/** Each personal value, and the other ways it could be written down. */
function spellings(value: string): string[] {
  const forms = new Set([value, value.toLowerCase(), value.toUpperCase()]);
  forms.add(JSON.stringify(value).slice(1, -1));
  forms.add(encodeURIComponent(value));
  const digits = value.replace(/\D/g, '');
  if (/^[\d\s().+-]+$/.test(value) && digits.length >= 9) {
    forms.add(digits);
    if (digits.startsWith('0')) forms.add(`62${digits.slice(1)}`);
  }
  return [...forms];
}

const personalValues = [
  ...Object.values(reporter),
  reported.holderName,
  reported.reportedPhone,
  reported.reportedSocials,
  'Quimby Fairweather',
  ...Object.values(seller),
  owner.holderName,
  owner.nik,
  owner.phone,
  owner.email,
  'Thaddeus Wexford',
];

/** Every byte pattern to look for: UTF-8 and UTF-16LE of every spelling. */
const needles = personalValues.flatMap((value) =>
  spellings(value).flatMap((form) => [
    { value, form, bytes: Buffer.from(form, 'utf8') },
    { value, form: `${form} (UTF-16)`, bytes: Buffer.from(form, 'utf16le') },
  ]),
);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Where each value was found in clear, as "value in place". */
function foundIn(place: string, bytes: Buffer): string[] {
  return needles.filter((n) => bytes.includes(n.bytes)).map((n) => `${n.form} in ${place}`);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

for (const dialect of dialects) {
  describeOn(dialect)(`personal data at rest on ${dialect}`, () => {
    const clock = new ManualClock('2026-04-01T03:00:00Z');
    let t: TestDatabase;
    let runtime: TestRuntime;
    const logs: Record<string, unknown>[] = [];

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      // SMTP is down: nothing listens where SMTP_URL points.
      runtime = await startTestRuntime(dialect, {
        database: t,
        clock,
        env: { SMTP_URL: `smtp://127.0.0.1:${await freePort()}`, SIGN_IN_RATE_LIMIT: '0' },
      });
    });
    afterAll(async () => {
      await runtime?.close();
      await t?.close();
    });

    async function searchEverything(): Promise<string[]> {
      const found = filesUnder(t.dataDir).flatMap((path) =>
        foundIn(path.slice(t.dataDir.length + 1), readFileSync(path)),
      );
      if (dialect === 'postgres') {
        const url = t.env.DATABASE_URL!;
        const { stdout } = await run('pg_dump', ['--no-owner', url], {
          maxBuffer: 256 * 1024 * 1024,
          encoding: 'buffer',
        });
        found.push(...foundIn('pg_dump', stdout));
      }
      found.push(...foundIn('logs', Buffer.from(JSON.stringify([...logs, ...runtime.logs]))));
      return found;
    }

    async function mailJobs() {
      return t.database.db
        .selectFrom('jobs')
        .select(['id', 'attempts', 'done_at'])
        .where('kind', '=', 'mail.send')
        .execute();
    }

    it('files a report, a seller registration and a normalization with personal values', async () => {
      const evidence = await multipart(
        { ...validReportFields, number: '7310001111', ...reporter, ...reported },
        [{ name: 'evidence', content: await smallJpeg(1), fileName: `${reported.holderName}.jpg` }],
      );
      const report = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        ...evidence,
      });
      expect(report.statusCode, report.body).toBe(201);
      const reportId = Number(
        (
          await t.database.db
            .selectFrom('reports')
            .select('id')
            .where('ticket', '=', report.json<{ ticket: string }>().ticket)
            .executeTakeFirstOrThrow()
        ).id,
      );

      const documents = (await registrationDocuments()).map((d) => ({
        ...d,
        fileName: `${d.name} ${seller.holderName}${d.fileName.slice(d.fileName.lastIndexOf('.'))}`,
      }));
      const registration = await postRegistration(
        runtime,
        { ...validRegistrationFields, number: '7320002222', ...seller },
        documents,
      );
      expect(registration.statusCode, registration.body).toBe(201);

      // The operator who may see them still does, in clear.
      await createOperator(runtime, 'staff@cekrek.test', ['reviewer', 'mediator']);
      const { client: staff } = await signedIn(runtime, clock, 'staff@cekrek.test');
      const viewed = await staff.request('GET', `/api/v1/admin/reports/${reportId}`);
      expect(viewed.statusCode, viewed.body).toBe(200);
      expect(viewed.body).toContain(reported.holderName);
      expect(viewed.body).toContain(reporter.reporterEmail);
      expect(viewed.body).toContain('Quimby Fairweather');
      const verified = await staff.request('POST', `/api/v1/admin/reports/${reportId}/decision`, {
        decision: 'verify',
        reason: 'evidence_sufficient',
      });
      expect(verified.statusCode, verified.body).toBe(200);

      const dispute = await multipart({ provider: '014', number: '7310001111', ...owner }, [
        { name: 'savingsBookPhoto', content: await smallJpeg(10), fileName: 'buku.jpg' },
        {
          name: 'idCardPhoto',
          content: await smallJpeg(11),
          fileName: `KTP ${owner.holderName}.jpg`,
        },
        { name: 'evidence', content: await smallJpeg(12), fileName: 'resi.jpg' },
      ]);
      const normalization = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/normalizations',
        ...dispute,
      });
      expect(normalization.statusCode, normalization.body).toBe(201);
      const requestId = Number(
        (
          await t.database.db
            .selectFrom('normalization_requests')
            .select('id')
            .where('ticket', '=', normalization.json<{ ticket: string }>().ticket)
            .executeTakeFirstOrThrow()
        ).id,
      );
      const mediated = await staff.request('GET', `/api/v1/admin/normalizations/${requestId}`);
      expect(mediated.statusCode, mediated.body).toBe(200);
      expect(mediated.body).toContain(owner.holderName);
      expect(mediated.body).toContain('Thaddeus Wexford');
    });

    it('keeps none of them in clear while the mail waits for SMTP', async () => {
      // Every mail has been tried at least once and is still queued.
      await vi.waitFor(
        async () => {
          const jobs = await mailJobs();
          expect(jobs.length).toBeGreaterThanOrEqual(4);
          expect(jobs.every((j) => j.attempts >= 1 && j.done_at === null)).toBe(true);
        },
        { timeout: 30_000, interval: 200 },
      );
      expect(await searchEverything()).toEqual([]);
    });

    it('keeps none of them in clear once the mail went out through the outbox', async () => {
      logs.push(...runtime.logs);
      await runtime.close();
      runtime = await startTestRuntime(dialect, { database: t, clock });
      // The retries were scheduled for later; that time has come.
      clock.advance(6 * 3_600_000);
      await vi.waitFor(
        async () => {
          const jobs = await mailJobs();
          expect(jobs.every((j) => j.done_at !== null)).toBe(true);
        },
        { timeout: 30_000, interval: 200 },
      );
      // The mails were written, to the people who filed, and only the outbox reader opens them.
      const mails = runtime.outbox();
      expect(mails.some((m) => m.includes(reporter.reporterEmail))).toBe(true);
      expect(mails.some((m) => m.includes(seller.email))).toBe(true);
      expect(mails.some((m) => m.includes(owner.email))).toBe(true);
      const payloads = await t.database.db
        .selectFrom('jobs')
        .select('payload')
        .where('kind', '=', 'mail.send')
        .execute();
      expect(payloads.every((p) => p.payload === '{}')).toBe(true);
      expect(await searchEverything()).toEqual([]);
      if (dialect === 'sqlite') {
        expect(
          t.database.dialect === 'sqlite' &&
            t.database.sqlite.pragma('secure_delete', { simple: true }),
        ).toBe(1);
      }
    });

    it('seals rows that an older version stored in clear, once, at start', async () => {
      // As an older cekrek wrote them: a holder name and a file name in clear.
      await sql`update reports set holder_name = ${'Ignatius Clearwater'} where source = 'public'`.execute(
        t.database.db,
      );
      await sql`update files set original_name = ${'Ignatius Clearwater.jpg'}`.execute(
        t.database.db,
      );
      await sql`delete from meta where key = 'personal_data_sealed'`.execute(t.database.db);
      await runtime.close();
      runtime = await startTestRuntime(dialect, { database: t, clock });
      const stored = await t.database.db.selectFrom('reports').select('holder_name').execute();
      expect(stored.every((r) => r.holder_name === null || r.holder_name.startsWith('p1.'))).toBe(
        true,
      );
      const files = filesUnder(t.dataDir).map((path) => readFileSync(path));
      expect(files.some((bytes) => bytes.includes('Ignatius Clearwater'))).toBe(false);
      if (dialect === 'postgres') {
        const { stdout } = await run('pg_dump', ['--no-owner', t.env.DATABASE_URL!], {
          maxBuffer: 256 * 1024 * 1024,
        });
        expect(stdout).not.toContain('Ignatius Clearwater');
      }
    });
  });
}
