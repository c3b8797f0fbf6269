// Bad bytes answer 400, never 500, and inputs mean what they say: NUL and
// undecodable bytes in filters, paths, JSON and multipart bodies; broken
// percent-encoding; ids past the integer column; calendar dates, whole-rupiah
// amounts, minimums on visible characters and no bidirectional controls in
// what is stored.
import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { roles } from '../src/operators/policy.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { seedReports } from './support/factories.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator, signedIn, type AdminClient } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

/** Sends raw bytes over a real connection and reads the answer: status line, headers, body. */
function rawRequest(port: number, request: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.end(request);
  });
}

interface Problem {
  code: string;
  status: number;
  errors?: { field: string; message: string }[];
}

function problemOf(response: LightMyRequestResponse): Problem {
  expect(response.headers['content-type']).toContain('application/problem+json');
  return response.json<Problem>();
}

function fieldsOf(response: LightMyRequestResponse): string[] {
  return (problemOf(response).errors ?? []).map((e) => e.field);
}

for (const dialect of dialects) {
  describeOn(dialect)(`bad bytes and what inputs mean on ${dialect}`, () => {
    let runtime: TestRuntime;
    let admin: AdminClient;
    const clock = new ManualClock('2026-03-01T05:00:00Z');

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
      await createOperator(runtime, 'every-role@cekrek.test', [...roles]);
      admin = (await signedIn(runtime, clock, 'every-role@cekrek.test')).client;
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function fileReport(fields: Record<string, string>) {
      const body = await multipart({ ...validReportFields, ...fields }, [
        { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
      ]);
      return runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        headers: body.headers,
        payload: body.payload,
      });
    }

    /** The stored report on a BCA account, as the reviewer's API shows it. */
    async function reportFor(number: string) {
      const queue = await admin.request('GET', '/api/v1/admin/reports?status=submitted');
      const item = queue
        .json<{ reports: { id: number; account: { number: string } }[] }>()
        .reports.find((r) => r.account.number === number)!;
      const detail = await admin.request('GET', `/api/v1/admin/reports/${item.id}`);
      return detail.json<{
        reported: { holderName: string };
        incident: { amount: number | null; chronology: string };
      }>();
    }

    it('refuses NUL and undecodable bytes in admin API filters with 400, naming the filter', async () => {
      for (const url of [
        '/api/v1/admin/audit?action=%00',
        '/api/v1/admin/audit?subjectType=a%00&subjectId=%00',
        '/api/v1/admin/reports?provider=%00',
      ]) {
        const response = await admin.request('GET', url);
        expect(response.statusCode, url).toBe(400);
        expect(problemOf(response).code).toBe('validation_failed');
      }
      const both = await admin.request('GET', '/api/v1/admin/audit?subjectType=a%00&subjectId=%00');
      expect(fieldsOf(both)).toEqual(['subjectType', 'subjectId']);
      const message = problemOf(both).errors![0]!.message;
      expect(message).toContain('NUL');
    });

    it('answers broken percent-encoding with a problem body, or the error page for a browser', async () => {
      for (const url of ['/api/v1/accounts/%E0%A4%A/123', '/api/v1/accounts/014/%FF']) {
        const response = await runtime.app.inject({ url });
        expect(response.statusCode, url).toBe(400);
        expect(problemOf(response).code).toBe('bad_request');
        expect(response.headers['x-request-id']).toBeTruthy();
        expect(response.headers['x-content-type-options']).toBe('nosniff');
      }
      const english = await runtime.app.inject({
        url: '/api/v1/accounts/%ZZ/1',
        headers: { 'accept-language': 'en' },
      });
      expect(problemOf(english)).toMatchObject({ code: 'bad_request', title: 'Bad request' });

      const page = await runtime.app.inject({
        url: '/rekening/%ZZ/1',
        headers: { accept: 'text/html' },
      });
      expect(page.statusCode).toBe(400);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toBeTruthy();

      // In a query the parser would keep "%FF" as three characters: refused instead.
      for (const url of ['/api/v1/providers?x=%FF', '/api/v1/categories?lang=%E0%A4', '/cek?q=%']) {
        const response = await runtime.app.inject({ url });
        expect(response.statusCode, url).toBe(400);
      }
      expect(problemOf(await runtime.app.inject({ url: '/api/v1/providers?x=%C0%80' })).code).toBe(
        'bad_request',
      );
      expect((await runtime.app.inject({ url: '/api/v1/providers?x=%25FF' })).statusCode).toBe(200);
    });

    it('answers a parameter past the length limit 414 and a wrong content length 400, as problems', async () => {
      const long = await runtime.app.inject({ url: `/api/v1/accounts/014/${'1'.repeat(4100)}` });
      expect(long.statusCode).toBe(414);
      expect(problemOf(long).code).toBe('uri_too_long');

      const wrongLength = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/admin/session',
        headers: { 'content-type': 'application/json', 'content-length': '5' },
        payload: '{"email":"a@b.id","password":"x"}',
      });
      expect(wrongLength.statusCode).toBe(400);
      expect(problemOf(wrongLength).code).toBe('bad_request');
    });

    it('refuses ids past the integer column with 400, not a database error', async () => {
      for (const url of [
        '/api/v1/admin/reports/2147483648',
        '/api/v1/admin/registrations/2147483648',
        '/api/v1/admin/normalizations/2147483648',
        '/api/v1/admin/audit?actor=2147483648',
      ]) {
        const response = await admin.request('GET', url);
        expect(response.statusCode, url).toBe(400);
        expect(problemOf(response).code).toBe('validation_failed');
      }
      expect((await admin.request('GET', '/api/v1/admin/reports/2147483647')).statusCode).toBe(404);
    });

    it('refuses JSON whose strings are not text: NUL, lone surrogates, undecodable bytes', async () => {
      const bodies = [
        '{"email":"a\\u0000@b.id","password":"x"}',
        '{"email":"a@b.id","password":"\\ud800"}',
        Buffer.concat([
          Buffer.from('{"email":"a'),
          Buffer.from([0xff]),
          Buffer.from('","password":"x"}'),
        ]),
      ];
      for (const payload of bodies) {
        const response = await runtime.app.inject({
          method: 'POST',
          url: '/api/v1/admin/session',
          headers: { 'content-type': 'application/json' },
          payload,
        });
        expect(response.statusCode).toBe(400);
        expect(problemOf(response).code).toBe('validation_failed');
      }
      const note = await admin.request('POST', '/api/v1/admin/reports/1/decision', {
        decision: 'reject',
        reason: 'insufficient_evidence',
        note: 'a\u0000b',
      });
      expect(note.statusCode).toBe(400);
      expect(fieldsOf(note)).toEqual(['note']);
    });

    it('refuses a multipart field that is not text, naming it', async () => {
      const response = await fileReport({ city: 'Band\u0000ung' });
      expect(response.statusCode).toBe(400);
      expect(fieldsOf(response)).toEqual(['city']);
    });

    it('refuses a date that is not on the calendar and an amount with a decimal part', async () => {
      const date = await fileReport({ number: '5550002001', transferDate: '2025-02-30' });
      expect(date.statusCode).toBe(400);
      expect(fieldsOf(date)).toEqual(['transferDate']);

      for (const amount of ['100.5', '1,5', '1.50']) {
        const response = await fileReport({ number: '5550002002', amount });
        expect(response.statusCode, amount).toBe(400);
        expect(fieldsOf(response)).toEqual(['amount']);
      }
      const grouped = await fileReport({ number: '5550002003', amount: 'Rp 1.500.000' });
      expect(grouped.statusCode, grouped.body).toBe(201);
      expect((await reportFor('5550002003')).incident.amount).toBe(1_500_000);
    });

    it('counts minimums on visible characters: zero-width padding does not make a name', async () => {
      const padded = await fileReport({
        number: '5550002004',
        holderName: 'A\u200B\u200B\u200B',
        chronology: `Saya ditipu.${'\u200B'.repeat(40)}`,
      });
      expect(padded.statusCode).toBe(400);
      expect(fieldsOf(padded)).toEqual(['holderName', 'chronology']);
    });

    it('stores names and free text without bidirectional controls', async () => {
      const filed = await fileReport({
        number: '5550002005',
        holderName: 'Budi \u202Eotnas\u202C',
        chronology: `Penjual \u2066menghilang\u2069 setelah saya transfer uang\u200F untuk ponsel.`,
      });
      expect(filed.statusCode, filed.body).toBe(201);
      const report = await reportFor('5550002005');
      expect(report.reported.holderName).toBe('Budi otnas');
      expect(report.incident.chronology).toBe(
        'Penjual menghilang setelah saya transfer uang untuk ponsel.',
      );
    });

    it('shows no bidirectional control on a page, even from text stored before the rules', async () => {
      await seedReports(runtime.database, [{ provider: '014', number: '5550002006' }]);
      const row = await runtime.database.db
        .selectFrom('reports')
        .select('id')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      await runtime.database.db
        .updateTable('reports')
        .set({ holder_name: 'Budi \u202Eotnas\u202C', chronology: 'a\u2066b\u2069c' })
        .where('id', '=', row.id)
        .execute();
      const page = await runtime.app.inject({
        url: `/admin/laporan/${row.id}`,
        headers: { accept: 'text/html', cookie: `cekrek_session=${admin.cookie}` },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Budi otnas');
      expect(page.body).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    });

    it('reads a number copied with the invisible direction marks chat apps put around it', async () => {
      const filed = await fileReport({
        number: '\u202A5550002007\u202C',
        reporterPhone: '\u202A+62 812-1111-2222\u202C',
      });
      expect(filed.statusCode, filed.body).toBe(201);
      const check = await runtime.app.inject({
        url: `/cek?jenis=bank&bank=014&nomor=${encodeURIComponent('\u202A5550002007\u202C')}`,
        headers: { accept: 'text/html' },
      });
      expect(check.statusCode).toBe(303);
      expect(check.headers.location).toBe('/rekening/014/5550002007');
    });

    it('answers bytes that are not UTF-8 in a real request target with a problem body', async () => {
      await runtime.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = runtime.app.server.address() as { port: number };
      const requests = [
        Buffer.concat([
          Buffer.from('GET /api/v1/accounts/014/12'),
          Buffer.from([0xff, 0xfe]),
          Buffer.from('34 HTTP/1.1\r\nHost: cekrek.test\r\nConnection: close\r\n\r\n'),
        ]),
        Buffer.from(
          'GET /api/v1/accounts/%ZZ/1 HTTP/1.1\r\nHost: cekrek.test\r\nConnection: close\r\n\r\n',
        ),
        Buffer.from(
          'GET /api/v1/accounts/014/1234567890?x=%FF HTTP/1.1\r\nHost: cekrek.test\r\nConnection: close\r\n\r\n',
        ),
      ];
      for (const request of requests) {
        const answer = await rawRequest(port, request);
        expect(answer).toMatch(/^HTTP\/1\.1 400 /);
        expect(answer.toLowerCase()).toContain('content-type: application/problem+json');
        expect(answer).toContain('"code":"bad_request"');
      }
    });
  });
}
