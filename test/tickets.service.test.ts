// Tickets on both databases: tracking codes people can read aloud and select
// whole, and a new code for whoever lost theirs, sent only to the address
// given with the submission (the same answer either way, audited).
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  issueTicket,
  normalizeTrackingCode,
  ticketContactHash,
  trackingCodeAlphabet,
  TicketsService,
  trackTicket,
} from '../src/tickets/tickets.service.ts';
import { parseReportInput } from '../src/reports/report-input.ts';
import { ReportsService } from '../src/reports/reports.service.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { validReportFields } from './support/multipart.ts';
import { queuedMails, serviceKit, stagedJpeg, type ServiceKit } from './support/services.ts';

const email = 'Korban.Penipuan@example.id';

describeEachDialect('Tickets on %s', (dialect) => {
  let t: TestDatabase;
  let kit: ServiceKit;
  let tickets: TicketsService;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    kit = await serviceKit(t);
    tickets = new TicketsService({
      database: kit.database,
      box: kit.box,
      clock: kit.clock,
      audit: kit.audit,
      publicBaseUrl: kit.publicBaseUrl,
      wakeJobs: kit.wakeJobs,
    });
  });
  afterAll(() => t.close());

  async function issue(subjectId: number) {
    return kit.database.db.transaction().execute((trx) =>
      issueTicket(trx, {
        kind: 'report',
        // Far from the ids of reports filed below, which have tickets too.
        subjectId: 100_000 + subjectId,
        lang: 'id',
        status: 'submitted',
        at: kit.clock.now(),
        contactHash: ticketContactHash(kit.box, email),
      }),
    );
  }

  async function auditActions(ticket: string): Promise<string[]> {
    const entries = await kit.audit.list({ limit: 50 });
    return entries.filter((e) => e.subjectId === ticket).map((e) => e.action);
  }

  it('issues codes of letters and digits only, none of them easily confused', async () => {
    for (let i = 1; i <= 20; i++) {
      const { trackingToken } = await issue(1000 + i);
      expect(trackingToken).toMatch(/^[A-Z0-9]{24}$/);
      for (const symbol of trackingToken) expect(trackingCodeAlphabet).toContain(symbol);
      expect(trackingToken).not.toMatch(/[01ILOUV]/);
    }
  });

  it('tracks with the code as typed: lower case, spaces and dashes between groups', async () => {
    const { ticket, trackingToken } = await issue(1);
    const spaced = trackingToken
      .toLowerCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    expect(normalizeTrackingCode(spaced)).toBe(trackingToken);
    expect((await trackTicket(kit.database, ticket, spaced))?.ticket).toBe(ticket);
    expect(await trackTicket(kit.database, ticket, 'X'.repeat(24))).toBeUndefined();
  });

  it('sends a new code to the address given, and the old code stops working', async () => {
    const { ticket, trackingToken } = await issue(2);
    const before = (await queuedMails(kit)).length;
    await tickets.renewCode(ticket.toLowerCase(), '  korban.penipuan@EXAMPLE.id ', '198.51.100.7');
    const mails = (await queuedMails(kit)).slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe('korban.penipuan@EXAMPLE.id');
    const link = /https:\/\/cekrek\.test\/lacak\?tiket=([A-Z0-9-]+)&token=([A-Z0-9]+)/.exec(
      mails[0]!.text,
    );
    expect(link?.[1]).toBe(ticket);
    const fresh = link![2]!;
    expect(fresh).not.toBe(trackingToken);
    expect(await trackTicket(kit.database, ticket, trackingToken)).toBeUndefined();
    expect((await trackTicket(kit.database, ticket, fresh))?.ticket).toBe(ticket);
    expect(await auditActions(ticket)).toContain('ticket.code_renewed');
    expect(kit.wakes.count).toBeGreaterThan(0);
  });

  it('sends nothing and changes nothing for another address or an unknown ticket', async () => {
    const { ticket, trackingToken } = await issue(3);
    const before = (await queuedMails(kit)).length;
    await tickets.renewCode(ticket, 'penipu@example.id', '198.51.100.8');
    await tickets.renewCode('LAP-ZZZZ-ZZZZ', email, '198.51.100.8');
    expect(await queuedMails(kit)).toHaveLength(before);
    expect((await trackTicket(kit.database, ticket, trackingToken))?.ticket).toBe(ticket);
    expect(await auditActions(ticket)).toEqual(['ticket.code_request_unmatched']);
    const entries = await kit.audit.list({ limit: 50 });
    expect(JSON.stringify(entries)).not.toContain('penipu@example.id');
  });

  it('cannot renew a ticket issued without an address (an imported or older one)', async () => {
    const { ticket, trackingToken } = await kit.database.db.transaction().execute((trx) =>
      issueTicket(trx, {
        kind: 'report',
        subjectId: 100_004,
        lang: 'en',
        status: 'submitted',
        at: kit.clock.now(),
      }),
    );
    const before = (await queuedMails(kit)).length;
    await tickets.renewCode(ticket, email, '198.51.100.9');
    expect(await queuedMails(kit)).toHaveLength(before);
    expect((await trackTicket(kit.database, ticket, trackingToken))?.ticket).toBe(ticket);
  });

  it("renews a filed report's code with the reporter's address, and only with it", async () => {
    const reports = new ReportsService({
      database: kit.database,
      clock: kit.clock,
      box: kit.box,
      files: kit.files,
      audit: kit.audit,
      checks: kit.checks,
      challenges: kit.challenges,
      reporterLimiter: undefined,
      publicBaseUrl: kit.publicBaseUrl,
      claimMs: 30 * 60_000,
      wakeJobs: kit.wakeJobs,
    });
    const reporterEmail = 'pelapor.kode@example.id';
    const input = parseReportInput(
      { ...validReportFields, number: '7700112233', reporterEmail },
      kit.clock.now(),
    );
    const evidence = [await stagedJpeg(kit.files, 'evidence', 1, { fileName: 'bukti.jpg' })];
    const { ticket, trackingToken } = await reports.submit(input, evidence, {
      client: '127.0.0.1',
      lang: 'id',
      challenge: undefined,
    });
    const before = (await queuedMails(kit)).length;
    await tickets.renewCode(ticket, 'orang.lain@example.id', '198.51.100.10');
    expect(await queuedMails(kit)).toHaveLength(before);
    await tickets.renewCode(ticket, reporterEmail, '198.51.100.10');
    const mails = (await queuedMails(kit)).slice(before);
    expect(mails.map((m) => m.to)).toEqual([reporterEmail]);
    expect(await trackTicket(kit.database, ticket, trackingToken)).toBeUndefined();
  });
});
