// Normalization through the API and the back-office pages (inject), on both
// databases: an owner disputes verified reports, the check shows the dispute
// mark at once on every process, a mediator hears both sides and proposes,
// a second operator confirms (never the proposer), and the decision shows in
// the check; deadlines and the overdue listing move with a controllable clock.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { enqueueMail } from '../src/mail/mail.jobs.ts';
import { ManualClock } from '../src/shared/clock.ts';
import {
  createTestDatabase,
  dialects,
  describeOn,
  type TestDatabase,
} from './support/databases.ts';
import { seedDispute } from './support/factories.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

// Every mail as it is enqueued (the worker empties a sent job's payload).
vi.mock('../src/mail/mail.jobs.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../src/mail/mail.jobs.ts')>();
  return { ...original, enqueueMail: vi.fn(original.enqueueMail) };
});

const day = 86_400_000;

const ownerFields = {
  provider: '014',
  holderName: 'Budi Santoso',
  nik: '3201014501900001',
  phone: '0812-3333-4444',
  email: 'owner@example.id',
  statement:
    'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
} as const;

interface Submitted {
  ticket: string;
  trackingToken: string;
  status: string;
  dueAt: string;
}

interface CheckBody {
  status: string;
  reports: { verified: number };
  dispute: { since: string } | null;
  normalizedAt: string | null;
}

for (const dialect of dialects) {
  describeOn(dialect)(`normalization on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-01T05:00:00Z');
    let t: TestDatabase;
    let runtime: TestRuntime;
    /** A second app process on the same database. */
    let other: TestRuntime;
    let reviewer: AdminClient;
    let mediatorA: AdminClient;
    let mediatorB: AdminClient;
    const secrets = new Map<string, string>();
    const env = { NORMALIZATION_DECISION_DAYS: '10' };

    async function signIn(email: string): Promise<AdminClient> {
      const known = secrets.get(email);
      const { client, secret } = await signedIn(runtime, clock, email, undefined, known);
      secrets.set(email, secret);
      return client;
    }

    beforeAll(async () => {
      vi.mocked(enqueueMail).mockClear();
      t = await createTestDatabase(dialect);
      runtime = await startTestRuntime(dialect, { database: t, clock, env });
      other = await startTestRuntime(dialect, { database: t, clock, env });
      await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
      await createOperator(runtime, 'mediator-a@cekrek.test', ['mediator']);
      await createOperator(runtime, 'mediator-b@cekrek.test', ['mediator']);
      reviewer = await signIn('reviewer@cekrek.test');
      mediatorA = await signIn('mediator-a@cekrek.test');
      mediatorB = await signIn('mediator-b@cekrek.test');
    });
    afterAll(async () => {
      await other?.close();
      await runtime?.close();
      await t?.close();
    });

    async function check(number: string, app = runtime): Promise<CheckBody> {
      const response = await app.app.inject(`/api/v1/accounts/014/${number}`);
      return response.json<CheckBody>();
    }

    /** Files a public report and has the reviewer verify it; returns its ticket and id. */
    async function verifiedReport(number: string, reporterEmail: string) {
      const body = await multipart({ ...validReportFields, number, reporterEmail }, [
        { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
      ]);
      const filed = await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
      expect(filed.statusCode, filed.body).toBe(201);
      const { ticket, trackingToken } = filed.json<{ ticket: string; trackingToken: string }>();
      const id = Number(
        (
          await runtime.database.db
            .selectFrom('reports')
            .select('id')
            .where('ticket', '=', ticket)
            .executeTakeFirstOrThrow()
        ).id,
      );
      const decided = await reviewer.request('POST', `/api/v1/admin/reports/${id}/decision`, {
        decision: 'verify',
        reason: 'evidence_sufficient',
      });
      expect(decided.statusCode, decided.body).toBe(200);
      return { id, ticket, trackingToken };
    }

    async function normalizationBody(
      fields: Record<string, string>,
      files: { savingsBookPhoto?: number; idCardPhoto?: number; evidence?: number } = {},
    ) {
      const parts = [];
      const { savingsBookPhoto = 1, idCardPhoto = 1, evidence = 2 } = files;
      for (let i = 0; i < savingsBookPhoto; i++) {
        parts.push({
          name: 'savingsBookPhoto',
          content: await smallJpeg(10 + i),
          fileName: 'buku.jpg',
        });
      }
      for (let i = 0; i < idCardPhoto; i++) {
        parts.push({ name: 'idCardPhoto', content: await smallJpeg(20 + i), fileName: 'ktp.jpg' });
      }
      for (let i = 0; i < evidence; i++) {
        parts.push({
          name: 'evidence',
          content: await smallJpeg(30 + i),
          fileName: `resi-${i}.jpg`,
        });
      }
      return multipart({ ...ownerFields, ...fields }, parts);
    }

    async function requestNormalization(
      fields: Record<string, string>,
      files?: Parameters<typeof normalizationBody>[1],
    ) {
      const body = await normalizationBody(fields, files);
      return runtime.app.inject({ method: 'POST', url: '/api/v1/normalizations', ...body });
    }

    async function normalizationId(ticket: string): Promise<number> {
      const row = await runtime.database.db
        .selectFrom('normalization_requests')
        .select('id')
        .where('ticket', '=', ticket)
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }

    /** The mails enqueued so far in this suite, to whom and what. */
    function mails(): Promise<{ to: string; subject: string; text: string }[]> {
      return Promise.resolve(vi.mocked(enqueueMail).mock.calls.map((call) => call[1]));
    }

    async function auditActions(subjectId: string): Promise<string[]> {
      const entries = await runtime.services.audit.list({
        subjectType: 'normalization',
        subjectId,
        limit: 200,
      });
      return entries.map((e) => e.action);
    }

    /** A back-office form posted with the session's cookie and CSRF token, as a browser would. */
    function pagePost(client: AdminClient, url: string, form: Record<string, string>) {
      return runtime.app.inject({
        method: 'POST',
        url,
        headers: {
          cookie: `cekrek_session=${client.cookie}`,
          accept: 'text/html',
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ _csrf: client.csrf ?? '', ...form }).toString(),
      });
    }

    function pageGet(client: AdminClient, url: string) {
      return runtime.app.inject({
        method: 'GET',
        url,
        headers: { cookie: `cekrek_session=${client.cookie}`, accept: 'text/html' },
      });
    }

    const code = (response: LightMyRequestResponse) => response.json<{ code: string }>().code;

    it('refuses an account with nothing to normalize, and names every bad field at once', async () => {
      const unknown = await requestNormalization({ number: '7770000001' });
      expect(unknown.statusCode).toBe(409);
      expect(code(unknown)).toBe('nothing_to_normalize');

      // A report that is not verified does not count: still nothing to normalize.
      const body = await multipart({ ...validReportFields, number: '7770000002' }, [
        { name: 'evidence', content: await smallJpeg(2), fileName: 'a.jpg' },
      ]);
      expect(
        (await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body })).statusCode,
      ).toBe(201);
      const unverified = await requestNormalization({ number: '7770000002' });
      expect(unverified.statusCode).toBe(409);
      expect(code(unverified)).toBe('nothing_to_normalize');

      const bad = await requestNormalization(
        { number: '7770000002', nik: '9901014501900001', statement: 'terlalu pendek' },
        { idCardPhoto: 0, evidence: 0 },
      );
      expect(bad.statusCode).toBe(400);
      const errors = bad.json<{ errors: { field: string; message: string }[] }>().errors;
      expect(errors.map((e) => e.field).sort()).toEqual(
        ['evidence', 'idCardPhoto', 'nik', 'statement'].sort(),
      );
      expect(errors.find((e) => e.field === 'nik')!.message).toContain('provinsi');
      const count = await runtime.database.db
        .selectFrom('normalization_requests')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(0);
    });

    it('runs the whole flow: dispute mark on every process, questions, mediation, four eyes, normalized', async () => {
      const first = await verifiedReport('7771000001', 'pelapor1@example.id');
      const second = await verifiedReport('7771000001', 'pelapor2@example.id');
      // The other process has the account cached as reported.
      await expect
        .poll(async () => (await check('7771000001', other)).reports.verified, { timeout: 5000 })
        .toBe(2);

      const filed = await requestNormalization({ number: '7771000001' });
      expect(filed.statusCode, filed.body).toBe(201);
      const submitted = filed.json<Submitted>();
      expect(submitted.ticket).toMatch(/^NOR-/);
      expect(submitted.status).toBe('submitted');
      expect(submitted.dueAt).toBe(new Date(clock.now().getTime() + 10 * day).toISOString());

      // The dispute mark, at once, here and on the other process.
      expect(await check('7771000001')).toMatchObject({
        status: 'disputed',
        dispute: { since: clock.now().toISOString() },
      });
      await expect
        .poll(async () => (await check('7771000001', other)).status, { timeout: 5000 })
        .toBe('disputed');

      const again = await requestNormalization({ number: '7771000001' });
      expect(again.statusCode).toBe(409);
      expect(code(again)).toBe('already_pending');

      const tracked = await runtime.app.inject({
        url: `/api/v1/tickets/${submitted.ticket}`,
        headers: { 'x-tracking-token': submitted.trackingToken },
      });
      expect(tracked.json()).toMatchObject({ kind: 'normalization', status: 'submitted' });

      // The queue and the request beside the reports, with the reporters' contact.
      const queue = await mediatorA.request('GET', '/api/v1/admin/normalizations');
      expect(queue.statusCode).toBe(200);
      const item = queue
        .json<{ normalizations: { id: number; ticket: string; disputedReports: number }[] }>()
        .normalizations.find((n) => n.ticket === submitted.ticket)!;
      expect(item).toMatchObject({ disputedReports: 2 });
      const id = item.id;
      const detail = await mediatorA.request('GET', `/api/v1/admin/normalizations/${id}`);
      expect(detail.statusCode).toBe(200);
      const shown = detail.json<{
        nik: string;
        contact: { email: string };
        channel: string;
        files: { field: string; sensitive: boolean; url: string }[];
        reports: { id: number; reporter: { email: string }; files: { url: string }[] }[];
      }>();
      expect(shown.nik).toBe('3201********0001');
      expect(detail.body).not.toContain('3201014501900001');
      expect(shown.contact.email).toBe('owner@example.id');
      expect(shown.channel).toBe('online');
      expect(shown.reports.map((r) => r.reporter.email).sort()).toEqual([
        'pelapor1@example.id',
        'pelapor2@example.id',
      ]);
      expect(
        shown.files
          .filter((f) => f.sensitive)
          .map((f) => f.field)
          .sort(),
      ).toEqual(['idCardPhoto', 'savingsBookPhoto']);
      // A mediator opens a reporter's evidence through the case: audited.
      const evidence = await mediatorA.request('GET', shown.reports[0]!.files[0]!.url);
      expect(evidence.statusCode).toBe(200);
      expect(evidence.headers['content-type']).toBe('image/jpeg');
      const fileViews = await runtime.services.audit.list({
        action: 'file.viewed',
        limit: 50,
      });
      expect(fileViews.some((e) => e.details.normalization === String(id))).toBe(true);
      // Not through another case, and not for a reviewer.
      expect((await reviewer.request('GET', shown.reports[0]!.files[0]!.url)).statusCode).toBe(403);

      // A question to the owner, answered on the answer page with the tracking code and a file.
      const asked = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/information-requests`,
        { party: 'owner', question: 'Mohon kirim foto resi pengiriman yang asli.' },
      );
      expect(asked.statusCode, asked.body).toBe(201);
      const questionId = asked.json<{ id: number }>().id;
      const ownerMail = (await mails()).find(
        (m) => m.to === 'owner@example.id' && m.text.includes('foto resi'),
      );
      expect(ownerMail?.text).toContain(`/lacak/jawab?tiket=${submitted.ticket}`);
      expect(ownerMail?.text).not.toContain(submitted.trackingToken);

      const page = await runtime.app.inject(
        `/lacak/jawab?tiket=${submitted.ticket}&token=${submitted.trackingToken}`,
      );
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Mohon kirim foto resi pengiriman yang asli.');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.body).toContain('<meta name="referrer" content="no-referrer"');
      const wrong = await runtime.app.inject(`/lacak/jawab?tiket=${submitted.ticket}&token=nope`);
      expect(wrong.statusCode).toBe(404);
      const answerBody = await multipart(
        {
          tiket: submitted.ticket,
          token: submitted.trackingToken,
          question: String(questionId),
          answer: 'Resi asli terlampir, nomor JNE 1234.',
        },
        [{ name: 'attachments', content: await smallJpeg(40), fileName: 'resi.jpg' }],
      );
      const answered = await runtime.app.inject({
        method: 'POST',
        url: '/lacak/jawab',
        ...answerBody,
      });
      expect(answered.statusCode, answered.body).toBe(200);
      expect(answered.body).toContain('Resi asli terlampir');

      // A question to a reporter, answered on their report's ticket.
      const toReporter = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/information-requests`,
        { party: 'reporter', reportId: first.id, question: 'Apakah barang sudah Anda terima?' },
      );
      expect(toReporter.statusCode).toBe(201);
      const reporterMail = (await mails()).find(
        (m) => m.to === 'pelapor1@example.id' && m.text.includes('barang sudah Anda terima'),
      );
      expect(reporterMail?.text).toContain(`/lacak/jawab?tiket=${first.ticket}`);
      const reporterPage = await runtime.app.inject(
        `/lacak/jawab?tiket=${first.ticket}&token=${first.trackingToken}`,
      );
      expect(reporterPage.body).toContain('Apakah barang sudah Anda terima?');
      // The other reporter's ticket shows nothing of it.
      const otherReporter = await runtime.app.inject(
        `/lacak/jawab?tiket=${second.ticket}&token=${second.trackingToken}`,
      );
      expect(otherReporter.body).not.toContain('Apakah barang sudah Anda terima?');

      const afterAnswers = (
        await mediatorA.request('GET', `/api/v1/admin/normalizations/${id}`)
      ).json<{
        status: string;
        informationRequests: { answer: string | null; files: { sensitive: boolean }[] }[];
      }>();
      expect(afterAnswers.status).toBe('in_review');
      expect(afterAnswers.informationRequests[0]).toMatchObject({
        answer: 'Resi asli terlampir, nomor JNE 1234.',
        files: [{ sensitive: true }],
      });

      // Mediation: both sides are told by e-mail.
      const scheduledAt = new Date(clock.now().getTime() + 3 * day).toISOString();
      const mediation = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/mediation`,
        {
          scheduledAt,
          place: 'Kantor layanan, Jl. Medan Merdeka Barat 9, Jakarta',
          videoLink: 'https://meet.example.id/mediasi-1',
          note: 'Bawa resi asli.',
        },
      );
      expect(mediation.statusCode, mediation.body).toBe(201);
      expect(mediation.json()).toMatchObject({ status: 'mediation' });
      const told = (await mails()).filter((m) => m.subject.includes('mediasi'));
      expect(told.map((m) => m.to).sort()).toEqual(
        ['owner@example.id', 'pelapor1@example.id', 'pelapor2@example.id'].sort(),
      );
      expect(told[0]!.text).toContain('https://meet.example.id/mediasi-1');
      const past = await mediatorA.request('POST', `/api/v1/admin/normalizations/${id}/mediation`, {
        scheduledAt: new Date(clock.now().getTime() - day).toISOString(),
        place: 'Kantor',
      });
      expect(past.statusCode).toBe(400);
      const sessionId = mediation.json<{ id: number }>().id;
      const outcome = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/mediations/${sessionId}/outcome`,
        { outcome: 'owner_upheld', note: 'Pelapor mengakui barang sudah diterima.' },
      );
      expect(outcome.statusCode, outcome.body).toBe(204);

      // The reporters are heard before a grant: told of the dispute, with a time to answer.
      const early = await mediatorA.request('POST', `/api/v1/admin/normalizations/${id}/decision`, {
        decision: 'grant',
        reason: 'Barang terbukti terkirim dan diterima; laporan keliru.',
      });
      expect(early.statusCode).toBe(409);
      expect(code(early)).toBe('reporters_not_heard');
      expect(early.json<{ errors: { field: string; message: string }[] }>().errors).toEqual([
        { field: `reports.${first.id}`, message: first.ticket },
        { field: `reports.${second.id}`, message: second.ticket },
      ]);
      const notices = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/reporter-notices`,
        { note: 'Mohon sertakan bukti pembayaran.' },
      );
      expect(notices.statusCode, notices.body).toBe(201);
      expect(notices.json()).toMatchObject({ sent: 2 });
      const noticeMails = (await mails()).filter((m) => m.subject.includes('disanggah'));
      expect(noticeMails.map((m) => m.to).sort()).toEqual(
        ['pelapor1@example.id', 'pelapor2@example.id'].sort(),
      );
      expect(noticeMails[0]!.text).toContain('Mohon sertakan bukti pembayaran.');
      const waiting = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/decision`,
        {
          decision: 'grant',
          reason: 'Barang terbukti terkirim dan diterima; laporan keliru.',
        },
      );
      expect(code(waiting)).toBe('reporters_not_heard');
      type Hearings = {
        reportersHeard: boolean;
        hearings: {
          reportId: number;
          state: string;
          notice: { informationRequestId: number; answeredAt: string | null } | null;
          excuse: { reason: string } | null;
        }[];
      };
      const told1 = (
        await mediatorA.request('GET', `/api/v1/admin/normalizations/${id}`)
      ).json<Hearings>();
      expect(told1.hearings.map((h) => h.state)).toEqual(['waiting', 'waiting']);
      const noticeAnswer = await multipart({
        tiket: first.ticket,
        token: first.trackingToken,
        question: String(told1.hearings[0]!.notice!.informationRequestId),
        answer: 'Barang memang tidak pernah saya terima.',
      });
      const noticeAnswered = await runtime.app.inject({
        method: 'POST',
        url: '/lacak/jawab',
        ...noticeAnswer,
      });
      expect(noticeAnswered.statusCode, noticeAnswered.body).toBe(200);
      const excused = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/reporter-excuses`,
        { reportId: second.id, reason: 'other', note: 'Pelapor menyatakan lewat telepon.' },
      );
      expect(excused.statusCode, excused.body).toBe(204);
      const heard = (
        await mediatorA.request('GET', `/api/v1/admin/normalizations/${id}`)
      ).json<Hearings>();
      expect(heard.reportersHeard).toBe(true);
      expect(heard.hearings.map((h) => h.state)).toEqual(['answered', 'excused']);
      expect(heard.hearings[1]!.excuse).toMatchObject({ reason: 'other' });

      // Four eyes: A proposes; A cannot confirm; B confirms.
      const proposed = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/decision`,
        { decision: 'grant', reason: 'Barang terbukti terkirim dan diterima; laporan keliru.' },
      );
      expect(proposed.statusCode, proposed.body).toBe(202);
      expect(proposed.json()).toEqual({ state: 'proposed' });
      expect((await check('7771000001')).status).toBe('disputed');
      const own = await mediatorA.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/confirmation`,
        { confirm: true },
      );
      expect(own.statusCode).toBe(403);
      expect(code(own)).toBe('four_eyes');
      const ownPage = await pagePost(mediatorA, `/admin/normalisasi/${id}/konfirmasi`, {
        confirm: 'yes',
      });
      expect(ownPage.statusCode).toBe(403);
      expect(ownPage.body).toContain('Usulan harus dikonfirmasi oleh operator selain pengusulnya.');
      const confirmed = await mediatorB.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/confirmation`,
        { confirm: true, reason: 'Sesuai bukti.' },
      );
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toEqual({ status: 'granted' });

      // Normalized in the check, at once, on both processes; the reports kept, marked.
      const normalized = await check('7771000001');
      expect(normalized).toMatchObject({
        status: 'normalized',
        reports: { verified: 0 },
        dispute: null,
        normalizedAt: clock.now().toISOString(),
      });
      await expect
        .poll(async () => (await check('7771000001', other)).status, { timeout: 5000 })
        .toBe('normalized');
      const reports = await runtime.database.db
        .selectFrom('reports')
        .select(['id', 'status'])
        .where('id', 'in', [first.id, second.id])
        .execute();
      expect(reports.map((r) => r.status)).toEqual(['normalized', 'normalized']);
      const reportTicket = await runtime.app.inject({
        url: `/api/v1/tickets/${first.ticket}`,
        headers: { 'x-tracking-token': first.trackingToken },
      });
      expect(reportTicket.json()).toMatchObject({ status: 'normalized' });
      const ownerTicket = await runtime.app.inject({
        url: `/api/v1/tickets/${submitted.ticket}`,
        headers: { 'x-tracking-token': submitted.trackingToken },
      });
      expect(
        ownerTicket.json<{ history: { status: string }[] }>().history.map((h) => h.status),
      ).toEqual(['submitted', 'in_review', 'mediation', 'proposed', 'granted']);
      const decidedMails = (await mails()).filter((m) =>
        m.subject.includes('Keputusan normalisasi: dikabulkan'),
      );
      expect(decidedMails.map((m) => m.to).sort()).toEqual(
        ['owner@example.id', 'pelapor1@example.id', 'pelapor2@example.id'].sort(),
      );

      const twice = await mediatorB.request(
        'POST',
        `/api/v1/admin/normalizations/${id}/confirmation`,
        { confirm: true },
      );
      expect(twice.statusCode).toBe(409);
      expect(code(twice)).toBe('already_decided');
      const late = await mediatorA.request('POST', `/api/v1/admin/normalizations/${id}/decision`, {
        decision: 'deny',
        reason: 'Terlambat, sudah diputuskan.',
      });
      expect(late.statusCode).toBe(409);
      expect(code(late)).toBe('already_decided');

      expect(await auditActions(String(id))).toEqual(
        expect.arrayContaining([
          'normalization.viewed',
          'normalization.information_requested',
          'normalization.mediation_scheduled',
          'normalization.mediation_recorded',
          'normalization.reporters_notified',
          'normalization.reporter_excused',
          'normalization.proposed',
          'access.denied',
          'normalization.granted',
        ]),
      );

      // A later verified report on the normalized account counts as usual.
      await verifiedReport('7771000001', 'pelapor3@example.id');
      expect(await check('7771000001')).toMatchObject({
        status: 'reported',
        reports: { verified: 1 },
      });
    });

    it('denies through the pages: the reports stand, the mark goes, the owner is told why', async () => {
      await verifiedReport('7772000001', 'pelapor@example.id');
      const filed = await requestNormalization({
        number: '7772000001',
        email: 'owner2@example.id',
      });
      expect(filed.statusCode).toBe(201);
      const { ticket } = filed.json<Submitted>();
      const id = await normalizationId(ticket);
      expect((await check('7772000001')).status).toBe('disputed');

      const casePage = await pageGet(mediatorA, `/admin/normalisasi/${id}`);
      expect(casePage.statusCode).toBe(200);
      expect(casePage.body).toContain('pelapor@example.id');
      expect(casePage.body).toContain('3201********0001');

      const missing = await pagePost(mediatorA, `/admin/normalisasi/${id}/usulan`, {
        decision: 'deny',
        reason: 'pendek',
      });
      expect(missing.statusCode).toBe(400);
      expect(missing.body).toContain('Tulis alasan keputusan dalam 10–2.000 karakter.');
      const proposed = await pagePost(mediatorA, `/admin/normalisasi/${id}/usulan`, {
        decision: 'deny',
        reason: 'Bukti sanggahan tidak sesuai dengan kronologi pelapor.',
      });
      expect(proposed.statusCode).toBe(303);
      expect(proposed.headers.location).toBe(`/admin/normalisasi/${id}?info=proposed#keputusan`);

      // Sent back once (a reason is needed), proposed again, then confirmed by B.
      const noReason = await pagePost(mediatorB, `/admin/normalisasi/${id}/konfirmasi`, {
        confirm: 'no',
      });
      expect(noReason.statusCode).toBe(400);
      const back = await pagePost(mediatorB, `/admin/normalisasi/${id}/konfirmasi`, {
        confirm: 'no',
        reason: 'Tambahkan rujukan ke bukti pelapor.',
      });
      expect(back.statusCode).toBe(303);
      expect(
        (await mediatorA.request('GET', `/api/v1/admin/normalizations/${id}`)).json(),
      ).toMatchObject({ status: 'in_review', proposal: null });
      await pagePost(mediatorA, `/admin/normalisasi/${id}/usulan`, {
        decision: 'deny',
        reason: 'Bukti transfer pelapor sah; barang tidak pernah dikirim.',
      });
      const confirmed = await pagePost(mediatorB, `/admin/normalisasi/${id}/konfirmasi`, {
        confirm: 'yes',
      });
      expect(confirmed.statusCode).toBe(303);

      expect(await check('7772000001')).toMatchObject({
        status: 'reported',
        reports: { verified: 1 },
        dispute: null,
        normalizedAt: null,
      });
      const told = (await mails()).find(
        (m) => m.to === 'owner2@example.id' && m.subject.includes('tidak dikabulkan'),
      );
      expect(told?.text).toContain('barang tidak pernah dikirim');
      expect(await auditActions(String(id))).toEqual(
        expect.arrayContaining(['normalization.proposal_rejected', 'normalization.denied']),
      );
    });

    it('never writes a NIK to a log line', () => {
      expect(runtime.logs.length).toBeGreaterThan(0);
      expect(JSON.stringify([runtime.logs, other.logs])).not.toContain('3201014501900001');
    });

    it('takes a request at a service desk: channel and operator recorded, audited', async () => {
      await verifiedReport('7773000001', 'pelapor@example.id');
      const body = await normalizationBody({ number: '7773000001', email: 'desk@example.id' });
      const denied = await reviewer.request('POST', '/api/v1/admin/normalizations');
      expect(denied.statusCode).toBe(403);
      const entered = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/admin/normalizations',
        payload: body.payload,
        headers: {
          ...body.headers,
          cookie: `cekrek_session=${mediatorA.cookie}`,
          'x-csrf-token': mediatorA.csrf!,
        },
      });
      expect(entered.statusCode, entered.body).toBe(201);
      const { ticket } = entered.json<Submitted>();
      const row = await runtime.database.db
        .selectFrom('normalization_requests')
        .select(['id', 'channel', 'entered_by'])
        .where('ticket', '=', ticket)
        .executeTakeFirstOrThrow();
      const operator = await runtime.services.operators.list();
      const a = operator.find((o) => o.email === 'mediator-a@cekrek.test')!;
      expect(row.channel).toBe('service_desk');
      expect(Number(row.entered_by)).toBe(a.id);
      expect(await auditActions(String(row.id))).toContain('normalization.entered');
      expect((await check('7773000001')).status).toBe('disputed');

      // The back-office form: multipart, its CSRF token in the address.
      await verifiedReport('7773000002', 'pelapor@example.id');
      const form = await pageGet(mediatorA, '/admin/normalisasi/baru');
      expect(form.statusCode).toBe(200);
      const action = /action="(\/admin\/normalisasi\/baru\?_csrf=[^"]+)"/.exec(form.body)?.[1];
      expect(action).toBeDefined();
      const pageBody = await normalizationBody({ number: '7773000002' });
      const withoutToken = await runtime.app.inject({
        method: 'POST',
        url: '/admin/normalisasi/baru',
        payload: pageBody.payload,
        headers: { ...pageBody.headers, cookie: `cekrek_session=${mediatorA.cookie}` },
      });
      expect(withoutToken.statusCode).toBe(403);
      const viaPage = await runtime.app.inject({
        method: 'POST',
        url: action!.replaceAll('&amp;', '&'),
        payload: pageBody.payload,
        headers: {
          ...pageBody.headers,
          cookie: `cekrek_session=${mediatorA.cookie}`,
          accept: 'text/html',
        },
      });
      expect(viaPage.statusCode, viaPage.body).toBe(200);
      expect(viaPage.body).toMatch(/NOR-[0-9A-Z]{4}-[0-9A-Z]{4}/);
      const channels = await runtime.database.db
        .selectFrom('normalization_requests')
        .innerJoin('accounts', 'accounts.id', 'normalization_requests.account_id')
        .select('normalization_requests.channel')
        .where('accounts.key', '=', '014:7773000002')
        .execute();
      expect(channels).toEqual([{ channel: 'service_desk' }]);
    });

    it('keeps deadlines by the clock: overdue requests listed and highlighted, counted on the dashboard', async () => {
      await verifiedReport('7774000001', 'pelapor@example.id');
      const filed = await requestNormalization({ number: '7774000001' });
      const { ticket, dueAt } = filed.json<Submitted>();
      const id = await normalizationId(ticket);
      // A request from before deadlines were stored: due the configured days after filing.
      await seedDispute(
        runtime.database,
        '014',
        '7774000002',
        new Date(clock.now().getTime() - 2 * day).toISOString(),
      );

      const overdueIds = async (client: AdminClient) =>
        (await client.request('GET', '/api/v1/admin/normalizations?overdue=true'))
          .json<{ normalizations: { id: number }[] }>()
          .normalizations.map((n) => n.id);
      expect(await overdueIds(mediatorA)).not.toContain(id);

      clock.set(new Date(new Date(dueAt).getTime() + 60_000));
      // Sessions lapse over days: sign in again.
      const mediator = await signIn('mediator-a@cekrek.test');
      expect(await overdueIds(mediator)).toContain(id);
      const queue = (await mediator.request('GET', '/api/v1/admin/normalizations')).json<{
        normalizations: { id: number; overdue: boolean; dueAt: string; account: { key: string } }[];
      }>().normalizations;
      expect(queue.find((n) => n.id === id)).toMatchObject({ overdue: true, dueAt });
      expect(queue.find((n) => n.account.key === '014:7774000002')).toMatchObject({
        overdue: true,
      });

      const page = await pageGet(mediator, '/admin/normalisasi');
      expect(page.statusCode).toBe(200);
      expect(page.body).toMatch(/class="record nz-item nz-overdue"/);
      expect(page.body).toContain('melewati batas waktu keputusan');
      expect(page.body).toContain('paling lambat 10 hari');

      const dashboard = await mediator.request('GET', '/api/v1/admin/dashboard');
      expect(
        dashboard.json<{ normalizations: { overdue: number } }>().normalizations.overdue,
      ).toBeGreaterThanOrEqual(2);
      const dashboardPage = await pageGet(mediator, '/admin');
      expect(dashboardPage.body).toContain('batas waktu 10 hari');
      expect(dashboardPage.body).toContain('href="/admin/normalisasi"');

      // The owner sees the promised date on their answer page.
      const answerPage = await runtime.app.inject(
        `/lacak/jawab?tiket=${ticket}&token=${filed.json<Submitted>().trackingToken}`,
      );
      expect(answerPage.body).toContain('Keputusan paling lambat');
    });
  });
}
