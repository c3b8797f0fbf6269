// Every link in every mail cekrek sends leads somewhere real: on both
// databases, reports, seller registrations and a normalization go through
// their whole course, the mails are read back from the outbox as a recipient
// gets them, and each link to the site is followed. It must answer 200 with
// the ticket's own page, where the tracking code the recipient holds
// completes the form.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../src/shared/clock.ts';
import { describeOn, dialects } from './support/databases.ts';
import { linksOf, outboxMessages, type ParsedMessage } from './support/mail.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { AdminClient, createOperator, signedIn } from './support/operators.ts';
import { postRegistration } from './support/registrations.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const publicBaseUrl = 'https://cekrek.example.id';
const day = 86_400_000;

interface Filed {
  readonly ticket: string;
  readonly trackingToken: string;
}

/** The name/value pairs of a page's GET form that asks for a ticket, and where it goes. */
function lookupForm(html: string): { action: string; fields: Map<string, string> } {
  const form = /<form[^>]*method="get"[^>]*>[^]*?<\/form>/.exec(html)?.[0];
  if (!form) throw new Error('the page has no lookup form');
  const action = /action="([^"]+)"/.exec(form)?.[1] ?? '';
  const fields = new Map<string, string>();
  for (const [input] of form.matchAll(/<input[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (name) fields.set(name, /value="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  return { action, fields };
}

function ticketOf(message: ParsedMessage): string {
  const ticket = /\b(?:LAP|REG|NOR)-[0-9A-Z-]+/.exec(message.headers.get('subject') ?? '')?.[0];
  if (!ticket) throw new Error(`no ticket in "${message.headers.get('subject')}"`);
  return ticket;
}

for (const dialect of dialects) {
  describeOn(dialect)(`links in mail on ${dialect}`, () => {
    const clock = new ManualClock('2026-03-02T03:00:00Z');
    let runtime: TestRuntime;
    const staff = new Map<string, AdminClient>();
    /** Every ticket filed here, with the tracking code its holder was given. */
    const tokens = new Map<string, string>();
    let seq = 0;

    beforeAll(async () => {
      runtime = await startTestRuntime(dialect, {
        clock,
        env: { PUBLIC_BASE_URL: publicBaseUrl, SIGN_IN_RATE_LIMIT: '0' },
      });
      for (const [email, role] of [
        ['reviewer', 'reviewer'],
        ['registrar', 'registrar'],
        ['mediator-a', 'mediator'],
        ['mediator-b', 'mediator'],
      ] as const) {
        await createOperator(runtime, `${email}@cekrek.test`, [role]);
        staff.set(email, (await signedIn(runtime, clock, `${email}@cekrek.test`)).client);
      }
    });
    afterAll(async () => {
      await runtime?.close();
    });

    const operator = (name: string) => staff.get(name)!;

    function remember(response: LightMyRequestResponse): Filed {
      expect(response.statusCode, response.body).toBe(201);
      const filed = response.json<Filed>();
      tokens.set(filed.ticket, filed.trackingToken);
      return filed;
    }

    async function idOf(table: 'reports' | 'seller_registrations', ticket: string) {
      const row = await runtime.database.db
        .selectFrom(table)
        .select('id')
        .where('ticket', '=', ticket)
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }

    async function report(number: string, reporterEmail: string, lang = 'id'): Promise<Filed> {
      seq += 1;
      const body = await multipart({ ...validReportFields, number, reporterEmail }, [
        { name: 'evidence', content: await smallJpeg(seq), fileName: 'bukti.jpg' },
      ]);
      return remember(
        await runtime.app.inject({
          method: 'POST',
          url: `/api/v1/reports?lang=${lang}`,
          ...body,
          remoteAddress: `10.7.0.${seq}`,
        }),
      );
    }

    async function decideReport(filed: Filed, decision: 'verify' | 'reject', reason: string) {
      const id = await idOf('reports', filed.ticket);
      const decided = await operator('reviewer').request(
        'POST',
        `/api/v1/admin/reports/${id}/decision`,
        { decision, reason },
      );
      expect(decided.statusCode, decided.body).toBe(200);
      return id;
    }

    async function register(number: string, email: string): Promise<Filed> {
      return remember(await postRegistration(runtime, { number, email }));
    }

    async function decideRegistration(filed: Filed, decision: 'approve' | 'reject') {
      const id = await idOf('seller_registrations', filed.ticket);
      const decided = await operator('registrar').request(
        'POST',
        `/api/v1/admin/registrations/${id}/decision`,
        { decision, reason: decision === 'approve' ? 'documents_match' : 'documents_unreadable' },
      );
      expect(decided.statusCode, decided.body).toBe(200);
    }

    async function normalize(number: string): Promise<Filed> {
      const files = [
        { name: 'savingsBookPhoto', content: await smallJpeg(60), fileName: 'buku.jpg' },
        { name: 'idCardPhoto', content: await smallJpeg(61), fileName: 'ktp.jpg' },
        { name: 'evidence', content: await smallJpeg(62), fileName: 'resi.jpg' },
      ];
      const body = await multipart(
        {
          provider: '014',
          number,
          holderName: 'Budi Santoso',
          nik: '3201014501900001',
          phone: '0812-3333-4444',
          email: 'owner@example.id',
          statement:
            'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
        },
        files,
      );
      return remember(
        await runtime.app.inject({ method: 'POST', url: '/api/v1/normalizations', ...body }),
      );
    }

    /** Follows one link as the recipient would, then completes the page with the tracking code. */
    const siteLinks = ['/lapor', '/kontak', '/daftar-penjual'];

    async function follow(link: string, ticket: string): Promise<void> {
      const url = new URL(link);
      const where = `${link} (mail of ${ticket})`;
      const page = await runtime.app.inject({
        url: url.pathname + url.search,
        headers: { accept: 'text/html' },
      });
      expect(page.statusCode, where).toBe(200);
      expect(page.headers['content-type'], where).toContain('text/html');
      // The decision mails name the service desk's page.
      if (url.pathname === '/kontak') return;
      if (url.pathname.startsWith('/penjual/')) {
        expect(page.body, where).toContain('Tautan asli');
        return;
      }
      // A decision's next steps: a new report or registration, the service desk.
      if (siteLinks.includes(url.pathname)) return;
      // The seller's proof page: the ticket filled in, the tracking code to add.
      if (url.pathname === '/daftar-penjual/bukti') {
        expect(page.body, where).toContain(`value="${ticket}"`);
        return;
      }
      // A tracking page (the status, or the answer to a question): the ticket filled in.
      const form = lookupForm(page.body);
      expect(form.fields.get('tiket'), where).toBe(ticket);
      expect(form.fields.has('token'), where).toBe(true);
      const token = tokens.get(ticket);
      if (!token) throw new Error(`no tracking code for ${ticket}`);
      const query = new URLSearchParams({ ...Object.fromEntries(form.fields), token });
      const tracked = await runtime.app.inject({
        url: `${form.action}?${query.toString()}`,
        headers: { accept: 'text/html' },
      });
      expect(tracked.statusCode, `${where}, completed`).toBe(200);
      expect(tracked.body, `${where}, completed`).toContain(ticket);
      expect(tracked.body, `${where}, completed`).not.toContain('Tiket tidak ditemukan');
    }

    it('sends for every step of reports, registrations and a normalization; every link answers with its ticket', async () => {
      // Reports: received, verified, rejected; one reporter writes in English.
      const first = await report('7772000001', 'pelapor1@example.id');
      const second = await report('7772000001', 'pelapor2@example.id', 'en');
      const third = await report('7772000002', 'pelapor3@example.id');
      const firstId = await decideReport(first, 'verify', 'evidence_sufficient');
      const secondId = await decideReport(second, 'verify', 'evidence_sufficient');
      await decideReport(third, 'reject', 'insufficient_evidence');

      // Seller registrations: received, approved (with the seller page), rejected.
      await decideRegistration(await register('7772000011', 'penjual1@example.id'), 'approve');
      await decideRegistration(await register('7772000012', 'penjual2@example.id'), 'reject');

      // A normalization: received, a question to each side, a mediation, a decision.
      const dispute = await normalize('7772000001');
      const mediation = operator('mediator-a');
      const queue = await mediation.request('GET', '/api/v1/admin/normalizations');
      const id = queue
        .json<{ normalizations: { id: number; ticket: string }[] }>()
        .normalizations.find((n) => n.ticket === dispute.ticket)!.id;
      const base = `/api/v1/admin/normalizations/${id}`;
      for (const question of [
        { party: 'owner', question: 'Mohon kirim foto resi pengiriman yang asli.' },
        { party: 'reporter', reportId: firstId, question: 'Apakah barang sudah Anda terima?' },
      ]) {
        const asked = await mediation.request('POST', `${base}/information-requests`, question);
        expect(asked.statusCode, asked.body).toBe(201);
      }
      const scheduled = await mediation.request('POST', `${base}/mediation`, {
        scheduledAt: new Date(clock.now().getTime() + 3 * day).toISOString(),
        place: 'Kantor layanan, Jakarta',
        videoLink: 'https://meet.example.id/mediasi-1',
      });
      expect(scheduled.statusCode, scheduled.body).toBe(201);
      // The reporters are told of the dispute before a grant; here they answered by phone.
      const notified = await mediation.request('POST', `${base}/reporter-notices`, {});
      expect(notified.statusCode, notified.body).toBe(201);
      for (const reportId of [firstId, secondId]) {
        const excused = await mediation.request('POST', `${base}/reporter-excuses`, {
          reportId,
          reason: 'other',
          note: 'Pelapor menjawab lewat telepon.',
        });
        expect(excused.statusCode, excused.body).toBe(204);
      }
      const proposed = await mediation.request('POST', `${base}/decision`, {
        decision: 'grant',
        reason: 'Barang terbukti terkirim dan diterima; laporan keliru.',
      });
      expect(proposed.statusCode, proposed.body).toBe(202);
      const confirmed = await operator('mediator-b').request('POST', `${base}/confirmation`, {
        confirm: true,
        reason: 'Sesuai bukti.',
      });
      expect(confirmed.statusCode, confirmed.body).toBe(200);

      // 6 for the reports, 4 for the registrations; for the normalization 1 receipt,
      // 2 questions, 3 mediation notices (owner, two reporters), 2 dispute notices and 3 decisions.
      const expected = 6 + 4 + 1 + 2 + 3 + 2 + 3;
      await vi.waitFor(() => expect(outboxMessages(runtime)).toHaveLength(expected), {
        timeout: 15_000,
        interval: 100,
      });

      const messages = outboxMessages(runtime);
      const followed = new Set<string>();
      for (const message of messages) {
        const ticket = ticketOf(message);
        const links = linksOf(message).filter((link) => link.startsWith(`${publicBaseUrl}/`));
        // Every mail leads its reader back to the site.
        expect(links.length, message.headers.get('subject')).toBeGreaterThan(0);
        for (const link of links) {
          await follow(link, ticket);
          followed.add(new URL(link).pathname.replace(/\/penjual\/[^/]+$/, '/penjual/…'));
        }
        // Every link is on the site, or the mediation's own video call.
        for (const link of linksOf(message)) {
          expect(
            link.startsWith(`${publicBaseUrl}/`) || link === 'https://meet.example.id/mediasi-1',
            link,
          ).toBe(true);
        }
      }
      expect([...followed].sort()).toEqual(
        [
          '/lacak',
          '/lacak/jawab',
          '/penjual/…',
          '/daftar-penjual/bukti',
          '/daftar-penjual',
          '/kontak',
          '/lapor',
        ].sort(),
      );
      // The English reporter's mails are in English.
      const english = messages.filter((m) => ticketOf(m) === second.ticket);
      expect(english.length).toBeGreaterThanOrEqual(3);
      for (const m of english) expect(m.text).toContain('Hello,');
    });
  });
}
