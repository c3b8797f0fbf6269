// ReportsService on both databases, built as src/main.ts builds it, with the
// collaborators chosen here: the real file store (over the test's DATA_DIR),
// audit log and check; a counter for the job worker's wake-up (no worker
// runs, so queued mail stays in the jobs table, read back and opened); and,
// in one test, a reporter limit that refuses. No HTTP: what a route would
// validate is parsed by the same input rules.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toAccountRef } from '../src/shared/account-number.ts';
import { parseReportInput } from '../src/reports/report-input.ts';
import { ReportsService, type Decision } from '../src/reports/reports.service.ts';
import type { RateLimiter } from '../src/shared/rate-limiter.ts';
import { trackTicket } from '../src/tickets/tickets.service.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { seedOperator, type OperatorActor } from './support/factories.ts';
import { validReportFields } from './support/multipart.ts';
import { queuedMails, serviceKit, stagedJpeg, type ServiceKit } from './support/services.ts';

const verify: Decision = { decision: 'verify', reason: 'evidence_sufficient', note: null };
const claimMinutes = 30;

/** A limit every reporter is already over. */
const refusingLimiter: RateLimiter = {
  limit: 1,
  hit: () => ({ allowed: false, limit: 1, remaining: 0, resetSeconds: 3600 }),
  peek: () => ({ allowed: false, limit: 1, remaining: 0, resetSeconds: 3600 }),
};

describeEachDialect('ReportsService on %s', (dialect) => {
  let t: TestDatabase;
  let kit: ServiceKit;
  let reports: ReportsService;
  let reviewer: OperatorActor;
  let otherReviewer: OperatorActor;

  function reportsService(reporterLimiter?: RateLimiter): ReportsService {
    return new ReportsService({
      database: kit.database,
      clock: kit.clock,
      box: kit.box,
      files: kit.files,
      audit: kit.audit,
      checks: kit.checks,
      challenges: kit.challenges,
      reporterLimiter,
      publicBaseUrl: kit.publicBaseUrl,
      claimMs: claimMinutes * 60_000,
      wakeJobs: kit.wakeJobs,
    });
  }

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    kit = await serviceKit(t);
    reports = reportsService();
    reviewer = await seedOperator(t.database, 'reviewer@cekrek.test', ['reviewer']);
    otherReviewer = await seedOperator(t.database, 'reviewer-2@cekrek.test', ['reviewer']);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function file(number: string, reporterEmail: string, service = reports) {
    const input = parseReportInput(
      { ...validReportFields, number, reporterEmail },
      kit.clock.now(),
    );
    const evidence = [await stagedJpeg(kit.files, 'evidence', 1, { fileName: 'bukti.jpg' })];
    return service.submit(input, evidence, {
      client: '127.0.0.1',
      lang: 'id',
      challenge: undefined,
    });
  }

  async function idOf(ticket: string): Promise<number> {
    const row = await t.database.db
      .selectFrom('reports')
      .select('id')
      .where('ticket', '=', ticket)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async function statusInCheck(number: string) {
    return (await kit.checks.check(toAccountRef('014', number))).result.status;
  }

  function storedFiles(): string[] {
    return readdirSync(kit.files.directory).sort();
  }

  it('files a report: a ticket, its evidence, mail to the reporter, the worker nudged, the check unchanged', async () => {
    const wakes = kit.wakes.count;
    const filed = await file('7770000001', 'korban@example.id');

    expect(filed.status).toBe('submitted');
    expect(filed.ticket).toMatch(/^LAP-/);
    const tracked = await trackTicket(kit.database, filed.ticket, filed.trackingToken);
    expect(tracked).toMatchObject({ kind: 'report', status: 'submitted', lang: 'id' });

    const id = await idOf(filed.ticket);
    const [queued] = (await reports.queue({ limit: 50, offset: 0 })).filter((r) => r.id === id);
    expect(queued).toMatchObject({
      status: 'submitted',
      provider: '014',
      number: '7770000001',
      holderName: 'Budi Santoso',
      flagged: false,
    });
    const evidence = await kit.files.filesOf({ kind: 'report', id });
    expect(evidence).toMatchObject([
      { field: 'evidence', mime: 'image/jpeg', originalName: 'bukti.jpg' },
    ]);
    // The holder's name is sealed at rest, and opened for the services.
    const stored = await t.database.db
      .selectFrom('reports')
      .select('holder_name')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.holder_name).not.toContain('Budi');

    expect((await queuedMails(kit)).at(-1)).toMatchObject({
      to: 'korban@example.id',
      subject: `Laporan Anda telah kami terima — tiket ${filed.ticket}`,
    });
    expect(kit.wakes.count).toBe(wakes + 1);
    // Only a verified report counts.
    expect(await statusInCheck('7770000001')).toBe('clear');
  });

  it('refuses a second open report from the same reporter on the same account, keeping none of its files', async () => {
    await file('7770000002', 'dua@example.id');
    const files = storedFiles();
    const wakes = kit.wakes.count;

    await expect(file('7770000002', 'dua@example.id')).rejects.toMatchObject({
      code: 'duplicate_report',
    });
    expect(storedFiles()).toEqual(files);
    expect(kit.wakes.count).toBe(wakes);
  });

  it('stops a reporter over their limit before anything is written', async () => {
    const files = storedFiles();
    const count = async () =>
      (await t.database.db.selectFrom('reports').select('id').execute()).length;
    const before = await count();

    await expect(
      file('7770000003', 'banyak@example.id', reportsService(refusingLimiter)),
    ).rejects.toMatchObject({ code: 'rate_limited', params: { seconds: 3600 } });
    expect(await count()).toBe(before);
    expect(storedFiles()).toEqual(files);
  });

  it('is claimed by one reviewer, kept from another, verified, and counts in the check at once', async () => {
    const filed = await file('7770000004', 'empat@example.id');
    const id = await idOf(filed.ticket);
    // Asked once before the decision: the answer is now in the check's cache.
    expect(await statusInCheck('7770000004')).toBe('clear');

    const { claimedUntil } = await reports.claim(id, reviewer);
    expect(claimedUntil).toEqual(new Date(kit.clock.now().getTime() + claimMinutes * 60_000));
    await expect(reports.claim(id, otherReviewer)).rejects.toMatchObject({
      code: 'already_claimed',
    });
    await expect(reports.decide(id, otherReviewer, verify)).rejects.toMatchObject({
      code: 'already_claimed',
    });

    const wakes = kit.wakes.count;
    kit.clock.advance(60_000);
    await expect(reports.decide(id, reviewer, verify)).resolves.toEqual({ status: 'verified' });
    expect(await statusInCheck('7770000004')).toBe('reported');
    expect(kit.wakes.count).toBe(wakes + 1);

    const tracked = await trackTicket(kit.database, filed.ticket, filed.trackingToken);
    expect(tracked?.history.map((e) => e.status)).toEqual(['submitted', 'in_review', 'verified']);
    expect((await queuedMails(kit)).at(-1)).toMatchObject({
      to: 'empat@example.id',
      subject: `Laporan ${filed.ticket} telah diverifikasi`,
    });
    const audited = await kit.audit.list({
      subjectType: 'report',
      subjectId: String(id),
      limit: 10,
    });
    expect(audited.map((e) => [e.action, e.actorId])).toEqual([
      ['report.verified', reviewer.id],
      ['report.claimed', reviewer.id],
    ]);
    expect((await kit.audit.verify()).firstBreak).toBeNull();

    await expect(reports.decide(id, reviewer, verify)).rejects.toMatchObject({
      code: 'already_decided',
    });
  });

  it('rejects only for a reason of rejection, and tells the reporter why', async () => {
    const filed = await file('7770000005', 'lima@example.id');
    const id = await idOf(filed.ticket);

    await expect(
      reports.decide(id, reviewer, {
        decision: 'reject',
        reason: 'evidence_sufficient',
        note: null,
      }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'reason', reason: 'report.decision.reason' }],
    });
    await expect(
      reports.decide(id, reviewer, {
        decision: 'reject',
        reason: 'insufficient_evidence',
        note: 'Bukti transfer tidak terbaca.',
      }),
    ).resolves.toEqual({ status: 'rejected' });

    expect(await statusInCheck('7770000005')).toBe('clear');
    const mail = (await queuedMails(kit)).at(-1);
    expect(mail).toMatchObject({ to: 'lima@example.id' });
    expect(mail?.text).toContain('Bukti belum cukup');
  });
});
