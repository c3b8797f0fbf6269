// Finding a submission by its ticket number in the back office, on both
// databases: the API (GET /api/v1/admin/tickets/{ticket}) and the page the
// header's search field leads to (/admin/tiket), for a role that may see the
// kind (to its page, whose viewing is audited), one that may not (403), an
// unknown number (404, said on the page) and something that is no number.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { postRegistration } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

for (const dialect of dialects) {
  describeOn(dialect)(`ticket search on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-02T03:00:00Z');
    let runtime: TestRuntime;
    let reviewer: AdminClient;
    let registrar: AdminClient;
    let report: { ticket: string; id: number };
    let registration: { ticket: string; id: number };

    async function idOf(table: 'reports' | 'seller_registrations', ticket: string) {
      const row = await runtime.database.db
        .selectFrom(table)
        .select('id')
        .where('ticket', '=', ticket)
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, { clock, env: { SIGN_IN_RATE_LIMIT: '0' } });
      await createOperator(runtime, 'reviewer@cekrek.test', ['reviewer']);
      await createOperator(runtime, 'registrar@cekrek.test', ['registrar']);
      reviewer = (await signedIn(runtime, clock, 'reviewer@cekrek.test')).client;
      registrar = (await signedIn(runtime, clock, 'registrar@cekrek.test')).client;
      const body = await multipart({ ...validReportFields, number: '7773000001' }, [
        { name: 'evidence', content: await smallJpeg(1), fileName: 'bukti.jpg' },
      ]);
      const filed = await runtime.app.inject({ method: 'POST', url: '/api/v1/reports', ...body });
      expect(filed.statusCode, filed.body).toBe(201);
      const reportTicket = filed.json<{ ticket: string }>().ticket;
      report = { ticket: reportTicket, id: await idOf('reports', reportTicket) };
      const registered = await postRegistration(runtime, { number: '7773000011' });
      expect(registered.statusCode, registered.body).toBe(201);
      const registrationTicket = registered.json<{ ticket: string }>().ticket;
      registration = {
        ticket: registrationTicket,
        id: await idOf('seller_registrations', registrationTicket),
      };
    });
    afterAll(async () => {
      await runtime?.close();
    });

    it('answers what a ticket belongs to, typed in any case and without dashes', async () => {
      const typed = report.ticket.toLowerCase().replaceAll('-', '');
      const found = await reviewer.request('GET', `/api/v1/admin/tickets/${typed}`);
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json()).toEqual({
        ticket: report.ticket,
        kind: 'report',
        id: report.id,
        path: `/admin/laporan/${report.id}`,
      });
      const seller = await registrar.request('GET', `/api/v1/admin/tickets/${registration.ticket}`);
      expect(seller.json()).toMatchObject({
        kind: 'registration',
        path: `/admin/pendaftaran/${registration.id}`,
      });
    });

    it('refuses a kind the role may not see, and tells an unknown number apart', async () => {
      const forbidden = await reviewer.request(
        'GET',
        `/api/v1/admin/tickets/${registration.ticket}`,
      );
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json<{ code: string }>().code).toBe('forbidden');
      const unknown = await reviewer.request('GET', '/api/v1/admin/tickets/LAP-0000-0000');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json<{ code: string }>().code).toBe('not_found');
      const anonymous = await runtime.app.inject({
        url: `/api/v1/admin/tickets/${report.ticket}`,
      });
      expect(anonymous.statusCode).toBe(401);
    });

    it('has a search field in the header of every back-office page', async () => {
      const dashboard = await reviewer.request('GET', '/admin');
      expect(dashboard.statusCode).toBe(200);
      expect(dashboard.body).toMatch(
        /<form class="bo-search" method="get" action="\/admin\/tiket" role="search"/,
      );
      expect(dashboard.body).toContain('name="tiket"');
    });

    it('leads from the search to the report’s page, which audits the viewing', async () => {
      const search = await reviewer.request(
        'GET',
        `/admin/tiket?tiket=${encodeURIComponent(` ${report.ticket.toLowerCase()} `)}`,
      );
      expect(search.statusCode).toBe(303);
      expect(search.headers.location).toBe(`/admin/laporan/${report.id}`);
      const page = await reviewer.request('GET', search.headers.location!);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(report.ticket);
      const audited = await runtime.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'report.viewed')
        .where('subject_id', '=', String(report.id))
        .execute();
      expect(audited.length).toBeGreaterThan(0);
      const english = await registrar.request(
        'GET',
        `/admin/tiket?tiket=${registration.ticket}&lang=en`,
      );
      expect(english.headers.location).toBe(`/admin/pendaftaran/${registration.id}?lang=en`);
    });

    it('answers the page with 403 for a kind the role may not see', async () => {
      const page = await registrar.request('GET', `/admin/tiket?tiket=${report.ticket}`);
      expect(page.statusCode).toBe(403);
      expect(page.headers['content-type']).toContain('text/html');
    });

    it('says on the page when no submission has the number, or it is no ticket number', async () => {
      const unknown = await reviewer.request('GET', '/admin/tiket?tiket=LAP-0000-0000');
      expect(unknown.statusCode).toBe(404);
      expect(textOf(unknown.body)).toContain(
        'Tidak ada laporan, pendaftaran atau permohonan dengan nomor tiket LAP-0000-0000.',
      );
      expect(unknown.body).toContain('value="LAP-0000-0000"');
      const invalid = await reviewer.request('GET', '/admin/tiket?tiket=bukan-tiket');
      expect(invalid.statusCode).toBe(400);
      expect(textOf(invalid.body)).toContain('Ini bukan nomor tiket.');
      const empty = await reviewer.request('GET', '/admin/tiket');
      expect(empty.statusCode).toBe(200);
      expect(empty.body).toContain('<label for="ticket-number">Nomor tiket</label>');
    });
  });
}
