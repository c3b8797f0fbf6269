// The proof of work with the challenge on, on both databases: the API takes
// no submission without a solved challenge (reports, seller registrations,
// normalization requests alike); the public forms still take one sent
// without JavaScript, flagged for the operator, under a tighter limit per
// client that answers with the form as it was typed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { solvedChallenge } from './support/challenge.ts';
import { describeOn, dialects } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { multipart, smallJpeg, validReportFields, type FilePart } from './support/multipart.ts';
import { registrationDocuments, validRegistrationFields } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

type Kind = 'report' | 'registration' | 'normalization';

const apiPaths: Record<Kind, string> = {
  report: '/api/v1/reports',
  registration: '/api/v1/registrations',
  normalization: '/api/v1/normalizations',
};
const formPaths: Record<Kind, string> = {
  report: '/lapor',
  registration: '/daftar-penjual',
  normalization: '/normalisasi',
};
const tables = {
  report: 'reports',
  registration: 'seller_registrations',
  normalization: 'normalization_requests',
} as const;

/** An account with a verified report, which an owner can ask to normalize. */
const disputedNumber = '7100000001';

const ownerFields = {
  provider: '014',
  holderName: 'Budi Santoso',
  nik: '3201014501900001',
  phone: '0812-3333-4444',
  email: 'owner@example.id',
  statement:
    'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
} as const;

let numbers = 7200000000;
/** A number no submission of this suite used yet: no duplicate rule gets in the way. */
function freshNumber(): string {
  numbers += 1;
  return String(numbers);
}

async function submission(
  kind: Kind,
  fields: Record<string, string>,
): Promise<{ fields: Record<string, string>; files: FilePart[] }> {
  switch (kind) {
    case 'report':
      return {
        fields: { ...validReportFields, number: freshNumber(), ...fields },
        files: [{ name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' }],
      };
    case 'registration':
      return {
        fields: { ...validRegistrationFields, number: freshNumber(), ...fields },
        files: await registrationDocuments(),
      };
    case 'normalization':
      return {
        fields: { ...ownerFields, number: disputedNumber, ...fields },
        files: [
          { name: 'savingsBookPhoto', content: await smallJpeg(2), fileName: 'buku.jpg' },
          { name: 'idCardPhoto', content: await smallJpeg(3), fileName: 'ktp.jpg' },
          { name: 'evidence', content: await smallJpeg(4), fileName: 'resi.jpg' },
        ],
      };
  }
}

for (const dialect of dialects) {
  describeOn(dialect)(`the proof of work on ${dialect}`, () => {
    let runtime: TestRuntime;
    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        env: { CEKREK_CHALLENGE: 'on', NOJS_SUBMISSION_RATE_LIMIT: '2' },
      });
      await seedReports(runtime.database, [{ provider: '014', number: disputedNumber }]);
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function send(
      kind: Kind,
      to: 'api' | 'form',
      fields: Record<string, string> = {},
      ip = '198.51.100.1',
    ): Promise<LightMyRequestResponse> {
      const sent = await submission(kind, fields);
      const body = await multipart(sent.fields, sent.files);
      return runtime.app.inject({
        method: 'POST',
        url: to === 'api' ? apiPaths[kind] : formPaths[kind],
        payload: body.payload,
        headers: { ...body.headers, ...(to === 'form' ? { accept: 'text/html' } : {}) },
        remoteAddress: ip,
      });
    }

    async function rows(kind: Kind): Promise<number> {
      const row = await runtime.database.db
        .selectFrom(tables[kind])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }

    function storedFiles(): number {
      const dir = join(runtime.testDatabase.dataDir, 'files');
      return existsSync(dir) ? readdirSync(dir).filter((f) => /^[0-9a-f]{32}$/.test(f)).length : 0;
    }

    /** The flag reasons of the newest row of a kind that has them. */
    async function newestFlags(kind: 'report' | 'registration'): Promise<string> {
      const row = await runtime.database.db
        .selectFrom(tables[kind])
        .select('flag_reasons')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return String(row.flag_reasons);
    }

    it('refuses an API submission without a solved challenge, keeping nothing', async () => {
      for (const kind of ['report', 'registration', 'normalization'] as const) {
        const before = { rows: await rows(kind), files: storedFiles() };
        for (const missing of [{}, { altcha: '' }] as Record<string, string>[]) {
          const refused = await send(kind, 'api', missing);
          expect(refused.statusCode, `${kind}: ${refused.body}`).toBe(400);
          expect(refused.json(), kind).toMatchObject({ code: 'challenge_required' });
        }
        expect({ rows: await rows(kind), files: storedFiles() }, kind).toEqual(before);
      }
    });

    it('refuses an API submission without one before looking at its fields', async () => {
      for (const kind of ['report', 'registration', 'normalization'] as const) {
        const refused = await runtime.app.inject({
          method: 'POST',
          url: apiPaths[kind],
          ...(await multipart({ provider: 'bca', number: '1' }, [])),
        });
        expect(refused.statusCode, `${kind}: ${refused.body}`).toBe(400);
        expect(refused.json(), kind).toMatchObject({ code: 'challenge_required' });
      }
    });

    it('refuses a forged one as failed, and takes a solved one', async () => {
      const forged = Buffer.from('{"number":1}').toString('base64');
      for (const kind of ['report', 'registration', 'normalization'] as const) {
        const refused = await send(kind, 'api', { altcha: forged });
        expect(refused.json(), kind).toMatchObject({ code: 'challenge_failed' });
        const filed = await send(kind, 'api', { altcha: await solvedChallenge(runtime.app) });
        expect(filed.statusCode, `${kind}: ${filed.body}`).toBe(201);
        if (kind !== 'normalization') expect(await newestFlags(kind)).not.toContain('no_challenge');
      }
    });

    it('takes a form sent without JavaScript, flagged for the operator', async () => {
      // The normalization filed above through the API is still open: this one needs its own account.
      await seedReports(runtime.database, [{ provider: '014', number: '7100000002' }]);
      const sent: [Kind, Record<string, string>][] = [
        ['report', {}],
        ['registration', {}],
        ['normalization', { number: '7100000002' }],
      ];
      for (const [i, [kind, fields]] of sent.entries()) {
        const before = await rows(kind);
        const page = await send(kind, 'form', fields, `198.51.100.${10 + i}`);
        expect(page.statusCode, `${kind}: ${page.body.slice(0, 300)}`).toBe(200);
        expect(page.headers['content-type']).toContain('text/html');
        expect(await rows(kind), kind).toBe(before + 1);
        if (kind !== 'normalization') expect(await newestFlags(kind)).toContain('no_challenge');
      }
    });

    it('limits forms without JavaScript more tightly, answering with the form as typed', async () => {
      const ip = '198.51.100.50';
      for (let i = 0; i < 2; i++) {
        expect((await send('report', 'form', {}, ip)).statusCode).toBe(200);
      }
      const before = { reports: await rows('report'), registrations: await rows('registration') };
      const typed = { holderName: 'Rahmat Kurniawan', platform: 'Marketplace Kilat' };
      const limited = await send('report', 'form', typed, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('text/html');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toContain('Terlalu banyak permintaan');
      expect(limited.body).toContain('value="Rahmat Kurniawan"');
      expect(limited.body).toContain('value="Marketplace Kilat"');
      // One limit for the three forms.
      const registration = await send('registration', 'form', { businessName: 'Toko Kilat' }, ip);
      expect(registration.statusCode).toBe(429);
      expect(registration.body).toContain('value="Toko Kilat"');
      expect({ reports: await rows('report'), registrations: await rows('registration') }).toEqual(
        before,
      );
      // The same client with JavaScript (a solved challenge) is not held by it.
      const solved = await send(
        'report',
        'form',
        { altcha: await solvedChallenge(runtime.app) },
        ip,
      );
      expect(solved.statusCode).toBe(200);
      expect(await rows('report')).toBe(before.reports + 1);
    });
  });
}
