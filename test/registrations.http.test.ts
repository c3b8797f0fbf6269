// Seller registrations through the API and the pages (inject), on both
// databases: registering, encryption at rest, the registrar's queue and
// decision, the signed seller link, the name check, a verified report on a
// verified seller, revocation, and the retention of rejected documents.
import { createPublicKey, verify } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enqueue } from '../src/jobs/jobs.ts';
import '../src/registrations/registrations.jobs.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { dialects, describeOn } from './support/databases.ts';
import { locationOf, PageClient, signInThroughPages, textOf } from './support/backoffice.ts';
import { multipart, smallJpeg, validReportFields, type FilePart } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import {
  postRegistration,
  registrationDocuments,
  validRegistrationFields,
} from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const nik = validRegistrationFields.nik;
const password = 'a long test password 123';

interface Problem {
  code: string;
  errors?: { field: string; message: string }[];
}

/** The same text with one character replaced by another of the base64url alphabet. */
function changed(text: string, index: number): string {
  const replacement = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + replacement + text.slice(index + 1);
}

for (const dialect of dialects) {
  describeOn(dialect)(`seller registrations on ${dialect}`, () => {
    let runtime: TestRuntime;
    let registrar: AdminClient;
    let otherRegistrar: AdminClient;
    let reviewer: AdminClient;
    const clock = new ManualClock('2026-03-01T05:00:00Z');
    let approved: { id: number; ticket: string; token: string; page: string };

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock });
      await createOperator(runtime, 'registrar@cekrek.test', ['registrar']);
      await createOperator(runtime, 'registrar2@cekrek.test', ['registrar']);
      await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
      registrar = (await signedIn(runtime, clock, 'registrar@cekrek.test')).client;
      otherRegistrar = (await signedIn(runtime, clock, 'registrar2@cekrek.test')).client;
      reviewer = (await signedIn(runtime, clock, 'reviewer@cekrek.test')).client;
    });
    afterAll(async () => {
      await runtime.close();
    });

    const db = () => runtime.database.db;

    async function registrationIdOf(number: string): Promise<number> {
      const row = await db()
        .selectFrom('seller_registrations as r')
        .innerJoin('accounts as a', 'a.id', 'r.account_id')
        .select('r.id')
        .where('a.number', '=', number)
        .orderBy('r.id', 'desc')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }

    const check = async (number: string) =>
      (await runtime.app.inject({ url: `/api/v1/accounts/014/${number}` })).json<{
        status: string;
        verifiedSeller: { businessName: string; holderName: string; verifiedAt: string } | null;
      }>();

    const blobDir = () => join(runtime.testDatabase.dataDir, 'files');

    it('registers an account with its documents, tracks it, and refuses a second one', async () => {
      const filed = await postRegistration(runtime);
      expect(filed.statusCode, filed.body).toBe(201);
      const { ticket, trackingToken, status } = filed.json<{
        ticket: string;
        trackingToken: string;
        status: string;
      }>();
      expect(status).toBe('submitted');
      expect(ticket).toMatch(/^REG-/);
      const tracked = await runtime.app.inject({
        url: `/api/v1/tickets/${ticket}`,
        headers: { 'x-tracking-token': trackingToken },
      });
      expect(tracked.json()).toMatchObject({ kind: 'registration', status: 'submitted' });

      const id = await registrationIdOf('7770001111');
      const files = await db()
        .selectFrom('files')
        .select(['id', 'field', 'sensitive', 'mime'])
        .where('owner_kind', '=', 'registration')
        .where('owner_id', '=', id)
        .orderBy('field')
        .execute();
      expect(files.map((f) => [f.field, Boolean(f.sensitive)])).toEqual([
        ['businessPermit', true],
        ['idCardPhoto', true],
        ['savingsBookPhoto', true],
      ]);
      // The permit's words are in the PDF as sent, and nowhere on disk.
      for (const file of files) {
        const stored = readFileSync(join(blobDir(), file.id));
        expect(stored.includes(Buffer.from('Nomor Induk Berusaha'))).toBe(false);
        expect(stored.subarray(0, 4).toString('latin1')).not.toBe('%PDF');
      }

      const again = await postRegistration(runtime, { email: 'other@example.id' });
      expect(again.statusCode).toBe(409);
      expect(again.json<Problem>().code).toBe('already_registered');
      approved = { id, ticket, token: trackingToken, page: '' };
    });

    it('names each fault of the NIK and every missing field at once', async () => {
      const faults = {
        '9901011505900001': 'Dua angka pertama NIK bukan kode provinsi',
        '3201013202900001': 'Tanggal lahir pada NIK',
        '3201011505900000': 'Empat angka terakhir NIK tidak boleh 0000',
        '32010115059': 'NIK terdiri dari 16 angka',
      };
      for (const [bad, message] of Object.entries(faults)) {
        const refused = await postRegistration(runtime, { number: '7770009999', nik: bad });
        expect(refused.statusCode, bad).toBe(400);
        const error = refused.json<Problem>().errors?.find((e) => e.field === 'nik');
        expect(error?.message, bad).toContain(message);
      }
      const docs = (await registrationDocuments()).filter((d) => d.name !== 'idCardPhoto');
      const many = await postRegistration(
        runtime,
        { number: '7770009999', businessType: 'other', email: 'x', holderName: '' },
        docs,
      );
      expect(many.statusCode).toBe(400);
      expect(many.json<Problem>().errors?.map((e) => e.field)).toEqual(
        expect.arrayContaining(['holderName', 'email', 'businessTypeOther', 'idCardPhoto']),
      );
      // A woman's NIK has 40 added to the day of birth: 55 is the 15th.
      const woman = await postRegistration(runtime, {
        number: '7770002222',
        nik: '3201015505900002',
        holderName: 'Siti Aminah',
      });
      expect(woman.statusCode, woman.body).toBe(201);
    });

    it('keeps the NIK out of the database in plain text', async () => {
      let everything: string;
      if (dialect === 'sqlite') {
        const dir = runtime.testDatabase.dataDir;
        // The write-ahead log holds recent pages before they reach the main file.
        everything = readdirSync(dir)
          .filter((name) => name.startsWith('cekrek.db'))
          .map((name) => readFileSync(join(dir, name)).toString('latin1'))
          .join('');
        expect(everything).toContain('Toko Maju Jaya');
      } else {
        const tables = await sql<{ tablename: string }>`
          select tablename from pg_tables where schemaname = 'public'`.execute(db());
        const dumps: string[] = [];
        for (const { tablename } of tables.rows) {
          const rows = await sql<{ row: string }>`
            select t::text as row from ${sql.table(tablename)} t`.execute(db());
          dumps.push(...rows.rows.map((r) => r.row));
        }
        everything = dumps.join('\n');
        expect(everything).toContain('Toko Maju Jaya');
      }
      expect(everything).not.toContain(nik);
      expect(everything).not.toContain('3201015505900002');
      const row = await db()
        .selectFrom('seller_registrations')
        .select(['nik_sealed', 'nik_hash', 'contact_sealed'])
        .where('id', '=', approved.id)
        .executeTakeFirstOrThrow();
      expect(row.nik_sealed).toMatch(/^v1\./);
      expect(row.nik_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.contact_sealed).not.toContain('budi@example.id');
    });

    it('shows the registrar the registration with the NIK masked, and audits the reveal', async () => {
      const queue = await registrar.request('GET', '/api/v1/admin/registrations');
      expect(queue.statusCode).toBe(200);
      const items = queue.json<{ registrations: { id: number; account: { key: string } }[] }>()
        .registrations;
      expect(items.some((r) => r.id === approved.id)).toBe(true);
      const forbidden = await reviewer.request('GET', `/api/v1/admin/registrations/${approved.id}`);
      expect(forbidden.statusCode).toBe(403);

      const detail = await registrar.request('GET', `/api/v1/admin/registrations/${approved.id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({
        status: 'submitted',
        holderName: 'Budi Santoso',
        contact: { phone: '081233334444', email: 'budi@example.id' },
        nik: { masked: '3201********0001', erased: false },
        files: expect.arrayContaining([
          expect.objectContaining({ field: 'idCardPhoto', mime: 'image/jpeg' }),
          expect.objectContaining({ field: 'businessPermit', mime: 'application/pdf' }),
        ]) as unknown,
      });
      expect(detail.body).not.toContain(nik);

      const revealed = await registrar.request(
        'POST',
        `/api/v1/admin/registrations/${approved.id}/nik`,
        {},
      );
      expect(revealed.json()).toEqual({ nik });
      const audit = runtime.services.audit;
      const reveals = await audit.list({ action: 'registration.nik_revealed', limit: 10 });
      expect(reveals.map((e) => e.subjectId)).toContain(String(approved.id));
      expect(JSON.stringify(reveals)).not.toContain(nik);
      expect(
        (await audit.list({ action: 'registration.viewed', limit: 10 })).length,
      ).toBeGreaterThan(0);

      // The back office page: typed details next to the documents, through the audited file route.
      const page = await registrar.request('GET', `/admin/pendaftaran/${approved.id}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('3201********0001');
      expect(page.body).toMatch(/<img src="\/admin\/berkas\/[0-9a-f]{32}"/);
      expect(page.body).not.toContain(nik);
    });

    it('never writes the NIK to a log line', () => {
      expect(runtime.logs.length).toBeGreaterThan(0);
      expect(JSON.stringify(runtime.logs)).not.toContain(nik);
    });

    it('lets one registrar claim it, and approval shows the verified seller in the check at once', async () => {
      expect(await check('7770001111')).toMatchObject({ status: 'clear', verifiedSeller: null });
      const url = `/api/v1/admin/registrations/${approved.id}`;
      expect((await registrar.request('POST', `${url}/claim`, {})).statusCode).toBe(200);
      const taken = await otherRegistrar.request('POST', `${url}/claim`, {});
      expect(taken.json<Problem>().code).toBe('already_claimed');
      const wrongReason = await registrar.request('POST', `${url}/decision`, {
        decision: 'approve',
        reason: 'documents_unreadable',
      });
      expect(wrongReason.statusCode).toBe(400);
      const decided = await registrar.request('POST', `${url}/decision`, {
        decision: 'approve',
        reason: 'documents_match',
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json()).toEqual({ status: 'approved' });
      expect(await check('7770001111')).toMatchObject({
        status: 'clear',
        verifiedSeller: {
          businessName: 'Toko Maju Jaya',
          holderName: 'B*** S******',
          verifiedAt: clock.now().toISOString(),
        },
      });
      const again = await registrar.request('POST', `${url}/decision`, {
        decision: 'reject',
        reason: 'other',
      });
      expect(again.statusCode).toBe(409);
      expect(again.json<Problem>().code).toBe('already_decided');
      const tracked = await runtime.app.inject({
        url: `/api/v1/tickets/${approved.ticket}`,
        headers: { 'x-tracking-token': approved.token },
      });
      expect(tracked.json()).toMatchObject({ status: 'approved' });
      // The seller hears of it by e-mail, in the language they registered in.
      await vi.waitFor(
        () => {
          const texts = runtime.outbox();
          expect(
            texts.some(
              (text) =>
                text.includes('budi@example.id') &&
                text.includes(approved.ticket) &&
                text.includes('Disetujui'),
            ),
          ).toBe(true);
        },
        { timeout: 5000, interval: 100 },
      );
    });

    it('gives the seller a signed link; a changed link is not genuine', async () => {
      const links = await runtime.app.inject({
        url: `/api/v1/registrations/${approved.ticket}/links`,
        headers: { 'x-tracking-token': approved.token },
      });
      expect(links.statusCode).toBe(200);
      const { sellerPage, qrCode, badge } = links.json<{
        sellerPage: string;
        qrCode: string;
        badge: string;
      }>();
      expect(sellerPage).toMatch(/\/penjual\/[A-Za-z0-9_-]{16}\?sig=[A-Za-z0-9_-]{86}$/);
      const wrongToken = await runtime.app.inject({
        url: `/api/v1/registrations/${approved.ticket}/links`,
        headers: { 'x-tracking-token': 'nope' },
      });
      expect(wrongToken.statusCode).toBe(404);
      const path = new URL(sellerPage).pathname + new URL(sellerPage).search;
      approved = { ...approved, page: path };

      const genuine = await runtime.app.inject({ url: path, headers: { accept: 'text/html' } });
      expect(genuine.statusCode).toBe(200);
      expect(genuine.body).toContain('Tautan asli');
      expect(genuine.body).toContain('7770 0011 11');
      expect(genuine.body).toContain('<code>7770001111</code>');
      expect(genuine.body).toContain('B*** S******');
      expect(genuine.body).not.toContain('Budi Santoso');

      const [publicId, signature] = [
        path.split('/')[2]!.split('?')[0]!,
        new URL(sellerPage).searchParams.get('sig')!,
      ];
      for (const forged of [
        `/penjual/${publicId}?sig=${changed(signature, 40)}`,
        `/penjual/${publicId}?sig=${changed(signature, 85)}`,
        `/penjual/${changed(publicId, 5)}?sig=${signature}`,
        `/penjual/${publicId}`,
      ]) {
        const page = await runtime.app.inject({ url: forged, headers: { accept: 'text/html' } });
        expect(page.statusCode, forged).toBe(404);
        expect(page.body, forged).toContain('Tautan tidak asli');
        expect(page.body, forged).not.toContain('7770');
      }

      const api = await runtime.app.inject({
        url: `/api/v1/sellers/${publicId}?signature=${signature}`,
      });
      expect(api.json()).toMatchObject({
        genuine: true,
        seller: { account: { key: '014:7770001111' }, businessName: 'Toko Maju Jaya' },
      });
      const forgedApi = await runtime.app.inject({
        url: `/api/v1/sellers/${publicId}?signature=${changed(signature, 0)}`,
      });
      expect(forgedApi.json()).toMatchObject({
        genuine: false,
        state: 'not_genuine',
        seller: null,
      });

      // Anyone with the public key can check a link without asking.
      const key = await runtime.app.inject({ url: '/api/v1/registrations/signing-key' });
      const publicKey = createPublicKey(key.json<{ publicKey: string }>().publicKey);
      // The signed text as the README writes it out, from what the API tells anyone.
      const { verifiedAt } = api.json<{ seller: { verifiedAt: string } }>().seller;
      expect(verifiedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const message = Buffer.from(
        `cekrek-seller/v1\n${publicId}\n014:7770001111\n${verifiedAt}`,
        'utf8',
      );
      expect(verify(null, message, publicKey, Buffer.from(signature, 'base64url'))).toBe(true);

      const qr = await runtime.app.inject({
        url: new URL(qrCode).pathname + new URL(qrCode).search,
      });
      expect(qr.statusCode).toBe(200);
      expect(qr.headers['content-type']).toContain('image/svg+xml');
      expect(qr.body).toMatch(/^<svg/);
      const badgeSvg = await runtime.app.inject({
        url: new URL(badge).pathname + new URL(badge).search,
      });
      expect(badgeSvg.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(badgeSvg.body).toContain('Penjual terverifikasi');
      expect(badgeSvg.body).toContain('BCA 7770 0011 11');
      const forgedBadge = await runtime.app.inject({
        url: `/penjual/${publicId}/lencana.svg?sig=${changed(signature, 3)}`,
      });
      expect(forgedBadge.body).toContain('Tidak terverifikasi');
      expect(forgedBadge.body).not.toContain('7770');
    });

    it('answers a name check with match, close match or no match, never the name, and limits it', async () => {
      const url = new URL(approved.page, 'http://x');
      const publicId = url.pathname.split('/')[2]!;
      const signature = url.searchParams.get('sig')!;
      const ask = (name: string, ip = '10.9.0.1', sig = signature) =>
        runtime.app.inject({
          method: 'POST',
          url: `/api/v1/sellers/${publicId}/name-check`,
          payload: { signature: sig, name },
          remoteAddress: ip,
        });
      const cases: [string, string][] = [
        ['budi santoso', 'match'],
        ['Bpk. BUDI  SANTOSO, S.E.', 'match'],
        ['Budi', 'close_match'],
        ['Budi Santosa', 'close_match'],
        ['Andi Wijaya', 'no_match'],
      ];
      for (const [name, result] of cases) {
        const answer = await ask(name);
        expect(answer.statusCode, name).toBe(200);
        expect(answer.json(), name).toEqual({ result, holderName: 'B*** S******' });
      }
      expect((await ask('Budi', '10.9.0.2', changed(signature, 10))).statusCode).toBe(404);
      expect((await ask('Bpk.', '10.9.0.3')).statusCode).toBe(400);

      // The page's form answers in words.
      const page = await runtime.app.inject({
        method: 'POST',
        url: `/penjual/${publicId}/cek-nama`,
        payload: new URLSearchParams({ sig: signature, nama: 'Budi Santoso' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        remoteAddress: '10.9.0.4',
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<span>Cocok</span>');
      expect(page.body).toContain('7770 0011 11');

      const statuses: number[] = [];
      for (let i = 0; i < 11; i++) statuses.push((await ask('Budi', '10.9.0.5')).statusCode);
      expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
      expect(statuses[10]).toBe(429);
      // The page says when to try again in words.
      const limited = await runtime.app.inject({
        method: 'POST',
        url: `/penjual/${publicId}/cek-nama`,
        payload: new URLSearchParams({ sig: signature, nama: 'Budi' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        remoteAddress: '10.9.0.5',
      });
      expect(textOf(limited.body)).toMatch(/Coba lagi sekitar \d+ (menit|jam) lagi/);
      // The limit is per seller page: another page is not refused for this one's checks.
      const otherPage = `${publicId.slice(0, -1)}${publicId.endsWith('A') ? 'B' : 'A'}`;
      const elsewhere = await runtime.app.inject({
        method: 'POST',
        url: `/api/v1/sellers/${otherPage}/name-check`,
        payload: { signature, name: 'Budi' },
        remoteAddress: '10.9.0.5',
      });
      expect(elsewhere.statusCode).toBe(404);
    });

    it('puts a verified seller back in the queue when a report on it is verified; the check shows both', async () => {
      const body = await multipart({ ...validReportFields, number: '7770001111' }, [
        { name: 'evidence', content: await smallJpeg(9), fileName: 'bukti.jpg' },
      ]);
      const filed = await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
      expect(filed.statusCode, filed.body).toBe(201);
      const reports = await reviewer.request('GET', '/api/v1/admin/reports');
      const report = reports
        .json<{ reports: { id: number; account: { key: string } }[] }>()
        .reports.find((r) => r.account.key === '014:7770001111')!;
      const verified = await reviewer.request(
        'POST',
        `/api/v1/admin/reports/${report.id}/decision`,
        {
          decision: 'verify',
          reason: 'evidence_sufficient',
        },
      );
      expect(verified.statusCode, verified.body).toBe(200);

      const queue = await registrar.request('GET', '/api/v1/admin/registrations');
      const item = queue
        .json<{
          registrations: { id: number; status: string; flagged: boolean; flagReasons: string[] }[];
        }>()
        .registrations.find((r) => r.id === approved.id);
      expect(item).toMatchObject({
        status: 'approved',
        flagged: true,
        flagReasons: ['reported_after_approval'],
      });
      expect(await check('7770001111')).toMatchObject({
        status: 'reported',
        verifiedSeller: { businessName: 'Toko Maju Jaya' },
      });
      const page = await runtime.app.inject({
        url: approved.page,
        headers: { accept: 'text/html' },
      });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Rekening ini juga dilaporkan');
      expect(page.body).toContain('memeriksa ulang');
      const flags = await runtime.services.audit.list({
        action: 'registration.flagged',
        limit: 10,
      });
      expect(flags.map((e) => e.subjectId)).toContain(String(approved.id));

      // The registrar revokes it: the check and the seller page stop showing it at once.
      const revoked = await registrar.request(
        'POST',
        `/api/v1/admin/registrations/${approved.id}/decision`,
        { decision: 'reject', reason: 'suspected_fraud' },
      );
      expect(revoked.json()).toEqual({ status: 'revoked' });
      expect(await check('7770001111')).toMatchObject({ status: 'reported', verifiedSeller: null });
      const gone = await runtime.app.inject({
        url: approved.page,
        headers: { accept: 'text/html' },
      });
      expect(gone.statusCode).toBe(410);
      expect(gone.body).toContain('Verifikasi penjual dicabut');
      const badge = await runtime.app.inject({
        url: approved.page.replace('?', '/lencana.svg?'),
      });
      expect(badge.body).toContain('Tidak terverifikasi');
    });

    it('revokes an approved registration on request', async () => {
      const id = await registrationIdOf('7770002222');
      const url = `/api/v1/admin/registrations/${id}`;
      await registrar.request('POST', `${url}/decision`, {
        decision: 'approve',
        reason: 'documents_match',
      });
      expect((await check('7770002222')).verifiedSeller).not.toBeNull();
      const revoked = await registrar.request('POST', `${url}/revocation`, {
        reason: 'owner_request',
      });
      expect(revoked.json()).toEqual({ status: 'revoked' });
      expect((await check('7770002222')).verifiedSeller).toBeNull();
      const twice = await registrar.request('POST', `${url}/revocation`, { reason: 'other' });
      expect(twice.json<Problem>().code).toBe('already_decided');
    });

    it('erases the documents and NIK of a rejected registration after the retention period', async () => {
      expect((await postRegistration(runtime, { number: '7770005555' })).statusCode).toBe(201);
      const rejectedId = await registrationIdOf('7770005555');
      const rejected = await registrar.request(
        'POST',
        `/api/v1/admin/registrations/${rejectedId}/decision`,
        { decision: 'reject', reason: 'documents_unreadable' },
      );
      expect(rejected.json()).toEqual({ status: 'rejected' });
      const filesOf = (id: number) =>
        db()
          .selectFrom('files')
          .select('id')
          .where('owner_kind', '=', 'registration')
          .where('owner_id', '=', id)
          .execute();
      const documents = await filesOf(rejectedId);
      expect(documents).toHaveLength(3);
      const kept = await filesOf(approved.id);

      // 89 days on, nothing happens; past 90 (REGISTRATION_RETENTION_DAYS), the job erases.
      clock.advance(89 * 86_400_000);
      expect(await runtime.services.registrations.eraseExpiredDocuments()).toBe(0);
      clock.advance(2 * 86_400_000);
      await enqueue(db(), { kind: 'registrations.retention', payload: {} }, clock.now());
      await vi.waitFor(
        async () => {
          expect(await filesOf(rejectedId)).toEqual([]);
          // The rows go in the transaction, the encrypted content right after it.
          for (const file of documents) expect(existsSync(join(blobDir(), file.id))).toBe(false);
        },
        { timeout: 10_000, interval: 100 },
      );
      const row = await db()
        .selectFrom('seller_registrations')
        .select(['nik_sealed', 'contact_sealed', 'nik_hash', 'documents_erased_at'])
        .where('id', '=', rejectedId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ nik_sealed: null, contact_sealed: null });
      expect(row.nik_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.documents_erased_at).not.toBeNull();
      const erased = await runtime.services.audit.list({
        action: 'registration.documents_erased',
        limit: 10,
      });
      expect(erased.map((e) => [e.subjectId, e.actorType])).toEqual([
        [String(rejectedId), 'system'],
      ]);
      // Other registrations keep their documents.
      expect(await filesOf(approved.id)).toEqual(kept);
    });
  });
}

describe('seller registration pages', () => {
  let runtime: TestRuntime;
  const clock = new ManualClock('2026-03-01T05:00:00Z');
  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite', { clock });
  });
  afterAll(async () => {
    await runtime.close();
  });

  async function postForm(fields: Record<string, string>, documents?: FilePart[]) {
    const body = await multipart(
      { ...validRegistrationFields, ...fields },
      documents ?? (await registrationDocuments()),
    );
    return runtime.app.inject({
      method: 'POST',
      url: '/daftar-penjual',
      payload: body.payload,
      headers: { ...body.headers, accept: 'text/html' },
    });
  }

  it('sends the form back with what was typed and what to fix, then files it', async () => {
    const form = await runtime.app.inject({ url: '/daftar-penjual' });
    expect(form.statusCode).toBe(200);
    for (const id of ['provider', 'number', 'holderName', 'nik', 'businessType', 'idCardPhoto']) {
      expect(form.body).toContain(`id="${id}"`);
    }
    const docs = (await registrationDocuments()).filter((d) => d.name !== 'businessPermit');
    const refused = await postForm({ number: '8880001111', nik: '3201011505900000' }, docs);
    expect(refused.statusCode).toBe(400);
    const text = textOf(refused.body);
    expect(text).toContain('Empat angka terakhir NIK tidak boleh 0000');
    expect(text).toContain('Lampirkan satu berkas izin usaha');
    expect(text).toContain('pilih lagi ketiga berkasnya');
    expect(refused.body).toContain('value="Toko Maju Jaya"');
    expect(refused.body).toContain('value="8880001111"');
    expect(refused.body).toMatch(/<option value="fashion" selected/);

    const sent = await postForm({ number: '8880001111' });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toMatch(/id="ticket">REG-/);
    expect(sent.body).toContain('/lacak?tiket=REG-');
    // The tracking code is on the page: no Referer may carry the page's address on.
    expect(sent.headers['referrer-policy']).toBe('no-referrer');
    expect(sent.body).toContain('<meta name="referrer" content="no-referrer"');
    const ticket = /id="ticket">(REG-[^<]+)</.exec(sent.body)![1]!;
    const token = /id="tracking-token" value="([^"]+)"/.exec(sent.body)![1]!;

    const twice = await postForm({ number: '8880001111', email: 'lain@example.id' });
    expect(twice.statusCode).toBe(409);
    expect(textOf(twice.body)).toContain('Rekening sudah terdaftar');

    const proof = (tiket: string, code: string) =>
      runtime.app.inject({
        method: 'POST',
        url: '/daftar-penjual/bukti',
        payload: new URLSearchParams({ tiket, token: code }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const proven = await proof(ticket, token);
    expect(textOf(proven.body)).toContain('belum ada bukti');
    expect(proven.headers['referrer-policy']).toBe('no-referrer');
    expect((await proof(ticket, 'salah')).statusCode).toBe(404);

    // The registrar, through the back-office pages.
    await createOperator(runtime, 'pages-registrar@cekrek.test', ['registrar']);
    const client = new PageClient(runtime.app);
    await signInThroughPages(client, clock, 'pages-registrar@cekrek.test', password);
    const queue = await client.get('/admin/pendaftaran');
    expect(queue.statusCode).toBe(200);
    const id = /href="\/admin\/pendaftaran\/(\d+)"/.exec(queue.body)![1]!;
    const page = await client.get(`/admin/pendaftaran/${id}`);
    expect(textOf(page.body)).toContain('3201********0001');
    const revealed = await client.post(`/admin/pendaftaran/${id}/nik`);
    expect(revealed.body).toContain(validRegistrationFields.nik);
    expect(locationOf(await client.post(`/admin/pendaftaran/${id}/klaim`))).toContain(
      'info=claimed',
    );
    await client.get(`/admin/pendaftaran/${id}`);
    const missing = await client.post(`/admin/pendaftaran/${id}/keputusan`, {
      decision: 'approve',
    });
    expect(missing.statusCode).toBe(400);
    const approvedPage = await client.post(`/admin/pendaftaran/${id}/keputusan`, {
      decision: 'approve',
      reason: 'confirmed_with_seller',
    });
    expect(locationOf(approvedPage)).toContain('info=approved');

    const links = await proof(ticket, token);
    expect(links.statusCode).toBe(200);
    expect(links.body).toMatch(
      /id="seller-link" href="http[^"]+\/penjual\/[A-Za-z0-9_-]{16}\?sig=/,
    );
    expect(links.body).toContain('/qr.svg?sig=');
    expect(links.body).toContain('/lencana.svg?sig=');
  });
});
