// The reviewer's pages through fastify.inject, on both databases: reports
// filed through the API appear in the queue (age, flags, grouping by account,
// filters); a report's page shows its chronology as text and its evidence
// through the audited file route; claim, release and decision work as forms
// with the CSRF token, and the check shows a verification at once; refusals
// (decided, claimed by another, a role without the permission, no session)
// are pages, not crashes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { createOperator } from './support/operators.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';
import { locationOf, PageClient, signInThroughPages, textOf } from './support/backoffice.ts';

const password = 'a long test password 123';
const htmlType = 'text/html; charset=utf-8';
const day = 24 * 60 * 60 * 1000;

function pdf(text = 'a transfer receipt'): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');
}

/** The part of the queue page that is one account's group, found by one of its reports. */
function groupOf(html: string, reportId: number): string {
  const groups = html.split('<li class="review-group"').slice(1);
  const group = groups.find((g) => g.includes(`href="/admin/laporan/${reportId}"`));
  if (!group) throw new Error(`report ${reportId} is in no group`);
  return group;
}

function fileIdsOf(html: string): { images: string[]; links: string[] } {
  return {
    images: [...html.matchAll(/<img src="\/admin\/berkas\/([0-9a-f]+)"/g)].map((m) => m[1]!),
    links: [...html.matchAll(/href="\/admin\/berkas\/([0-9a-f]+)"/g)].map((m) => m[1]!),
  };
}

for (const dialect of dialects) {
  describeOn(dialect)(`review pages on ${dialect}`, () => {
    let runtime: TestRuntime;
    const clock = new ManualClock('2026-03-10T03:00:00Z');

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
    });
    afterAll(async () => {
      await runtime.close();
    });

    async function fileReport(
      fields: Record<string, string>,
      evidence: { content: Buffer; fileName: string; type: string }[] = [],
    ): Promise<number> {
      const files = evidence.length
        ? evidence
        : [{ content: await smallJpeg(1), fileName: 'bukti.jpg', type: 'image/jpeg' }];
      const body = await multipart(
        { ...validReportFields, ...fields },
        files.map((f) => ({ name: 'evidence', ...f })),
      );
      const filed = await runtime.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: body.payload,
        headers: body.headers,
      });
      expect(filed.statusCode, filed.body).toBe(201);
      const { ticket } = filed.json<{ ticket: string }>();
      const row = await runtime.database.db
        .selectFrom('reports')
        .select('id')
        .where('ticket', '=', ticket)
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }

    async function operator(email: string, roles: string[]): Promise<PageClient> {
      const { operator: created } = await createOperator(runtime, email, roles);
      expect(created.email).toBe(email);
      const client = new PageClient(runtime.app);
      await signInThroughPages(client, clock, email, password);
      return client;
    }

    async function auditOf(action: string, subjectType: string, subjectId: string) {
      return runtime.services.audit.list({ action, subjectType, subjectId, limit: 20 });
    }

    let reviewer: PageClient;
    let registrar: PageClient;
    let shownImage = '';

    it('lists filed reports oldest first, grouped by account, with age and flags; filters work', async () => {
      const alone = await fileReport({ number: '5550003001', category: 'investment_fraud' });
      clock.advance(60_000);
      // Two reports on one account from one client (the tests' address): both are flagged.
      const first = await fileReport({ number: '5550003002', reporterEmail: 'a@example.id' });
      clock.advance(60_000);
      const second = await fileReport({ number: '5550003002', reporterEmail: 'b@example.id' });
      clock.advance(3 * day);

      reviewer = await operator('reviewer@cekrek.test', ['reviewer']);
      const queue = await reviewer.get('/admin/laporan');
      expect(queue.statusCode).toBe(200);
      expect(queue.headers['content-type']).toBe(htmlType);
      expect(queue.headers['cache-control']).toBe('no-store');
      const text = textOf(queue.body);
      expect(text).toContain('Antrean laporan');
      expect(text).toContain('Diajukan 3 Sedang ditinjau 0');
      expect(text).toContain(`#${alone} · Penipuan investasi`);
      expect(text).toContain('Umur laporan 3 hari');
      expect(text).toContain('5550 0030 01');
      expect(text).toContain('Belum diambil siapa pun');
      // Oldest first.
      const at = (id: number) => queue.body.indexOf(`href="/admin/laporan/${id}"`);
      expect(at(alone)).toBeGreaterThan(0);
      expect(at(alone)).toBeLessThan(at(first));
      expect(at(first)).toBeLessThan(at(second));
      // One group per account; the burst is flagged, in words.
      const burst = groupOf(queue.body, first);
      expect(burst).toContain(`href="/admin/laporan/${second}"`);
      expect(burst).not.toContain(`href="/admin/laporan/${alone}"`);
      expect(textOf(burst)).toContain('2 laporan atas rekening ini (semua status)');
      expect(textOf(burst)).toContain(
        'Ditandai Beberapa laporan atas rekening ini datang dari klien (alamat jaringan) yang sama',
      );
      expect(burst).toContain('record record-flagged');
      expect(groupOf(queue.body, alone)).not.toContain('record-flagged');
      // The navigation leads here.
      expect(queue.body).toContain('<a href="/admin/laporan" aria-current="page">Laporan</a>');

      const flagged = await reviewer.get('/admin/laporan?flagged=1');
      expect(flagged.body).toContain(`href="/admin/laporan/${first}"`);
      expect(flagged.body).toContain(`href="/admin/laporan/${second}"`);
      expect(flagged.body).not.toContain(`href="/admin/laporan/${alone}"`);
      expect(flagged.body).toMatch(
        /<input type="checkbox" id="flagged" name="flagged" value="1" checked/,
      );

      const byCategory = await reviewer.get('/admin/laporan?category=investment_fraud');
      expect(byCategory.body).toContain(`href="/admin/laporan/${alone}"`);
      expect(byCategory.body).not.toContain(`href="/admin/laporan/${first}"`);

      const verified = await reviewer.get('/admin/laporan?status=verified');
      expect(verified.statusCode).toBe(200);
      expect(textOf(verified.body)).toContain('Tidak ada laporan yang cocok dengan saringan ini.');

      const byProvider = await reviewer.get(
        `/admin/laporan?provider=${encodeURIComponent('014 · BCA — Bank Central Asia')}`,
      );
      expect(byProvider.body).toContain(`href="/admin/laporan/${alone}"`);
      const otherProvider = await reviewer.get('/admin/laporan?provider=ovo');
      expect(otherProvider.body).not.toContain(`href="/admin/laporan/${alone}"`);

      const byDate = await reviewer.get('/admin/laporan?from=2026-03-11&to=2026-03-12');
      expect(textOf(byDate.body)).toContain('Tidak ada laporan yang cocok');
      const sameDay = await reviewer.get('/admin/laporan?from=2026-03-10&to=2026-03-10');
      expect(sameDay.body).toContain(`href="/admin/laporan/${alone}"`);

      const wrong = await reviewer.get('/admin/laporan?provider=nowhere&from=2026-02-30');
      expect(wrong.statusCode).toBe(400);
      expect(textOf(wrong.body)).toContain('Bank atau e-wallet tidak dikenal');
      expect(textOf(wrong.body)).toContain('Masukkan tanggal yang valid (TTTT-BB-HH).');
      expect(wrong.body).toContain('value="nowhere"');

      const english = await reviewer.get('/admin/laporan?lang=en');
      expect(textOf(english.body)).toContain('Age 3 days');
      expect(textOf(english.body)).toContain(
        'Several reports on this account came from one client',
      );
      // ?lang sticks (a cookie): back to Indonesian for what follows.
      await reviewer.get('/admin?lang=id');
    });

    it('shows a report in full, the chronology as text, the evidence through the audited file route', async () => {
      const chronology =
        'Penjual minta transfer dulu.\n<script>alert(1)</script> lalu <b>hilang</b> & tidak bisa dihubungi.';
      const id = await fileReport(
        {
          number: '5550003003',
          chronology,
          incidentTime: '14:30',
          locationDetails: 'Akun @tokohp_murah',
          reportedWebsite: 'https://toko-murah.example',
        },
        [
          { content: await smallJpeg(2), fileName: 'transfer.jpg', type: 'image/jpeg' },
          { content: pdf(), fileName: 'mutasi.pdf', type: 'application/pdf' },
        ],
      );
      const page = await reviewer.get(`/admin/laporan/${id}`);
      expect(page.statusCode).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.body).not.toContain('<script');
      expect(page.body).not.toContain('<b>hilang');
      // (A form sends line breaks as CRLF.)
      expect(page.body).toMatch(
        /Penjual minta transfer dulu\.\r?\n&lt;script>alert\(1\)&lt;\/script> lalu &lt;b>hilang&lt;\/b> &amp; tidak bisa dihubungi\./,
      );
      expect(page.body).toContain('class="review-text review-chronology"');
      const text = textOf(page.body);
      expect(text).toContain(`Laporan #${id}`);
      expect(text).toContain('Bank Central Asia');
      expect(text).toContain('5550 0030 03');
      expect(page.body).toContain('href="/rekening/014/5550003003"');
      expect(text).toContain('Budi Santoso');
      expect(text).toContain('Tanggal transfer 20 Februari 2026');
      expect(text).toContain('Jam 14:30');
      expect(text).toContain('Kerugian Rp 1.500.000');
      expect(text).toContain('Instagram');
      expect(text).toContain('Akun @tokohp_murah');
      expect(text).toContain('Kota Bandung');
      expect(text).toContain('https://toko-murah.example');
      expect(page.body).not.toContain('href="https://toko-murah.example"');
      // The reporter's identity, opened for this view and audited.
      expect(text).toContain('Siti Lestari');
      expect(page.body).toContain('href="mailto:siti@example.id"');
      expect(page.body).toContain('href="tel:081211112222"');
      const viewed = await auditOf('report.viewed', 'report', String(id));
      expect(viewed).toHaveLength(1);
      expect(viewed[0]!.actorLabel).toBe('reviewer@cekrek.test');
      // The chronology keeps its line breaks on screen.
      const css = await runtime.app.inject({
        url: /href="(\/assets\/[^"]+\.css)"/.exec(page.body)![1]!,
      });
      expect(css.body).toMatch(/\.review-text \{\s*white-space: pre-wrap;/);

      // The image inline, the PDF as a link; each is opened through the audited route.
      const { images, links } = fileIdsOf(page.body);
      expect(images).toHaveLength(1);
      const pdfId = links.find((l) => !images.includes(l))!;
      expect(pdfId).toBeDefined();
      expect(page.body).toContain('alt="Bukti 1: transfer.jpg"');
      expect(text).toContain('Bukti 2: mutasi.pdf (PDF, diunduh, 1 KB)');
      shownImage = images[0]!;

      const image = await reviewer.get(`/admin/berkas/${shownImage}`);
      expect(image.statusCode).toBe(200);
      expect(image.headers['content-type']).toBe('image/jpeg');
      expect(image.headers['cache-control']).toBe('no-store');
      expect(image.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
      expect(image.headers['x-content-type-options']).toBe('nosniff');
      expect(image.rawPayload.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      const opened = await auditOf('file.viewed', 'file', shownImage);
      expect(opened).toHaveLength(1);
      expect(opened[0]!.details).toMatchObject({ owner: `report:${id}`, field: 'evidence' });

      const document = await reviewer.get(`/admin/berkas/${pdfId}`);
      expect(document.statusCode).toBe(200);
      expect(document.headers['content-type']).toBe('application/pdf');
      expect(document.headers['content-disposition']).toBe(`attachment; filename="${pdfId}.pdf"`);
      expect(await auditOf('file.viewed', 'file', pdfId)).toHaveLength(1);

      expect((await reviewer.get('/admin/berkas/0123456789abcdef')).statusCode).toBe(404);

      const english = await reviewer.get(`/admin/laporan/${id}?lang=en`);
      expect(textOf(english.body)).toContain('Chronology');
      expect(textOf(english.body)).toContain('Loss Rp 1,500,000');
      await reviewer.get('/admin?lang=id');
    });

    it('claims, releases and decides through the forms; the check shows the verification', async () => {
      const id = await fileReport({ number: '5550003004', category: 'online_shopping_fraud' });
      const path = `/admin/laporan/${id}`;
      const page = await reviewer.get(path);
      expect(page.body).toContain(`action="${path}/klaim"`);
      expect(page.body).toContain(`action="${path}/keputusan"`);
      expect(page.body).toContain('<optgroup label="Alasan verifikasi">');

      // Without the CSRF token nothing happens.
      const forged = await reviewer.post(`${path}/klaim`, {}, { csrf: null });
      expect(forged.statusCode).toBe(403);

      const claimed = await reviewer.post(`${path}/klaim`);
      expect(claimed.statusCode).toBe(303);
      expect(locationOf(claimed)).toBe(`${path}?info=claimed`);
      const mine = await reviewer.get(locationOf(claimed));
      expect(textOf(mine.body)).toContain('Laporan ini sekarang Anda tangani.');
      expect(textOf(mine.body)).toContain('Ditangani Anda, sampai');
      expect(mine.body).toContain(`action="${path}/lepas"`);
      expect(await auditOf('report.claimed', 'report', String(id))).toHaveLength(1);

      // Another reviewer sees who holds it, and a stale form of theirs changes nothing.
      const other = await operator('other-reviewer@cekrek.test', ['reviewer']);
      const held = await other.get(path);
      expect(textOf(held.body)).toContain(
        'Laporan ini sedang ditangani reviewer@cekrek.test sampai',
      );
      expect(held.body).not.toContain(`action="${path}/keputusan"`);
      const queue = await other.get('/admin/laporan');
      expect(textOf(groupOf(queue.body, id))).toContain('Ditangani reviewer@cekrek.test, sampai');
      const stale = await other.post(`${path}/keputusan`, {
        decision: 'reject',
        reason: 'other',
      });
      expect(stale.statusCode).toBe(409);
      expect(textOf(stale.body)).toContain('Operator lain sedang menangani laporan ini');

      const released = await reviewer.post(`${path}/lepas`);
      expect(locationOf(released)).toBe(`${path}?info=released`);
      expect(textOf((await reviewer.get(locationOf(released))).body)).toContain(
        'Laporan dikembalikan ke antrean.',
      );
      expect(locationOf(await reviewer.post(`${path}/klaim`))).toBe(`${path}?info=claimed`);

      // What is missing or does not fit is said on the form, which keeps what was typed.
      const empty = await reviewer.post(`${path}/keputusan`, { note: 'catatan <i>saya</i>' });
      expect(empty.statusCode).toBe(400);
      expect(textOf(empty.body)).toContain('Pilih verifikasi atau tolak.');
      expect(textOf(empty.body)).toContain('Pilih alasan keputusan.');
      expect(empty.body).toContain('catatan &lt;i>saya&lt;/i></textarea>');
      const mismatch = await reviewer.post(`${path}/keputusan`, {
        decision: 'verify',
        reason: 'not_fraud',
      });
      expect(mismatch.statusCode).toBe(400);
      expect(textOf(mismatch.body)).toContain('Pilih alasan yang sesuai dengan keputusan.');
      expect(mismatch.body).toMatch(/id="decision-verify" name="decision" value="verify" checked/);

      const before = await runtime.app.inject({ url: '/api/v1/accounts/014/5550003004' });
      expect(before.json()).toMatchObject({ status: 'clear' });

      const decided = await reviewer.post(`${path}/keputusan`, {
        decision: 'verify',
        reason: 'evidence_sufficient',
        note: 'Bukti transfer cocok.',
      });
      expect(decided.statusCode).toBe(303);
      expect(locationOf(decided)).toBe(`${path}?info=verified`);
      const done = textOf((await reviewer.get(locationOf(decided))).body);
      expect(done).toContain('Laporan diverifikasi');
      expect(done).toContain('Status Terverifikasi');
      expect(done).toContain('Alasan Bukti cukup');
      expect(done).toContain('Catatan Bukti transfer cocok.');
      expect(done).toContain('Diputuskan oleh Anda');
      expect(await auditOf('report.verified', 'report', String(id))).toHaveLength(1);

      const after = await runtime.app.inject({ url: '/api/v1/accounts/014/5550003004' });
      expect(after.json()).toMatchObject({
        status: 'reported',
        reports: { verified: 1, byCategory: { online_shopping_fraud: 1 } },
      });

      // A second decision (a stale page, a double submit) is refused on the page.
      const again = await reviewer.post(`${path}/keputusan`, {
        decision: 'reject',
        reason: 'duplicate',
      });
      expect(again.statusCode).toBe(409);
      expect(again.headers['content-type']).toBe(htmlType);
      const refused = textOf(again.body);
      expect(refused).toContain('Sudah diputuskan');
      expect(refused).toContain(
        'Laporan ini sudah diputuskan sebelumnya, jadi tidak ada yang diubah.',
      );
      expect(refused).toContain('Status Terverifikasi');
      expect(again.body).not.toContain(`action="${path}/keputusan"`);
      const reclaim = await reviewer.post(`${path}/klaim`);
      expect(reclaim.statusCode).toBe(409);
      expect(await auditOf('report.rejected', 'report', String(id))).toHaveLength(0);

      // The verified report leaves the open queue and shows under its status.
      expect((await reviewer.get('/admin/laporan')).body).not.toContain(`href="${path}"`);
      expect((await reviewer.get('/admin/laporan?status=verified')).body).toContain(
        `href="${path}"`,
      );
    });

    it('takes the next report nobody holds, and says so when none is left', async () => {
      const taker = await operator('taker@cekrek.test', ['reviewer']);
      await taker.get('/admin/laporan');
      let taken = 0;
      for (;;) {
        const next = await taker.post('/admin/laporan/berikutnya');
        expect(next.statusCode).toBe(303);
        if (locationOf(next) === '/admin/laporan?info=empty') break;
        expect(locationOf(next)).toMatch(/^\/admin\/laporan\/\d+\?info=claimed$/);
        taken++;
        expect(taken).toBeLessThan(100);
      }
      const empty = await taker.get('/admin/laporan?info=empty');
      expect(textOf(empty.body)).toContain('Tidak ada laporan yang menunggu: antrean kosong.');
      const id = await fileReport({ number: '5550003999', category: 'investment_fraud' });
      const next = await taker.post('/admin/laporan/berikutnya');
      expect(locationOf(next)).toBe(`/admin/laporan/${id}?info=claimed`);
    });

    it('links the dashboard figures to the queue for a reviewer only', async () => {
      const dashboard = await reviewer.get('/admin');
      expect(dashboard.body).toContain('href="/admin/laporan?status=submitted"');
      expect(dashboard.body).toContain('href="/admin/laporan?status=in_review"');
      expect(dashboard.body).toContain('<a href="/admin/laporan">Meninjau laporan rekening</a>');
      registrar = await operator('registrar@cekrek.test', ['registrar']);
      const theirs = await registrar.get('/admin');
      expect(theirs.body).not.toContain('href="/admin/laporan');
    });

    it('refuses a role without the permission and a visitor without a session', async () => {
      const queue = await registrar.get('/admin/laporan');
      expect(queue.statusCode).toBe(403);
      expect(queue.body).toContain('<h1>Tidak diizinkan</h1>');
      const report = await registrar.get('/admin/laporan/1');
      expect(report.statusCode).toBe(403);

      const file = await registrar.get(`/admin/berkas/${shownImage}`);
      expect(file.statusCode).toBe(403);
      expect(file.headers['content-type']).toBe(htmlType);
      expect(file.body).not.toContain('JFIF');
      const denied = await auditOf('access.denied', 'file', shownImage);
      expect(denied).toHaveLength(1);
      expect(denied[0]!.details).toMatchObject({ permission: 'reports.review' });
      expect(await auditOf('file.viewed', 'file', shownImage)).toHaveLength(1);

      const anonymous = new PageClient(runtime.app);
      const away = await anonymous.get('/admin/laporan?status=submitted');
      expect(away.statusCode).toBe(303);
      expect(locationOf(away)).toBe(
        `/admin/masuk?next=${encodeURIComponent('/admin/laporan?status=submitted')}`,
      );
      const noFile = await anonymous.get(`/admin/berkas/${shownImage}`);
      expect(noFile.statusCode).toBe(303);
      expect(locationOf(noFile)).toMatch(/^\/admin\/masuk\?next=/);
      const noPost = await anonymous.post('/admin/laporan/1/keputusan', {
        decision: 'verify',
        reason: 'evidence_sufficient',
      });
      expect(noPost.statusCode).toBe(303);
      expect(locationOf(noPost)).toBe('/admin/masuk');
    });
  });
}
