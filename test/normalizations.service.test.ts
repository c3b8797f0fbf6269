// NormalizationsService on both databases, built as src/main.ts builds it,
// with the collaborators chosen here: the real file store (over the test's
// DATA_DIR) and check; an audit log that records events in memory and
// writes nothing (what is audited is asserted, the chain is test/audit.test.ts's);
// a counter for the job worker's wake-up, with queued mail read back from
// the jobs table. Verified reports are seeded through the repositories.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toAccountRef } from '../src/shared/account-number.ts';
import { parseNormalizationInput } from '../src/normalizations/normalization-input.ts';
import {
  answerDays,
  NormalizationsService,
  type NormalizationFiles,
} from '../src/normalizations/normalizations.service.ts';
import { FourEyesRule } from '../src/operators/four-eyes.ts';
import { issueTicket, trackTicket } from '../src/tickets/tickets.service.ts';
import { createTestDatabase, describeEachDialect, type TestDatabase } from './support/databases.ts';
import { seedOperator, seedReports, type OperatorActor } from './support/factories.ts';
import {
  queuedMails,
  RecordingAudit,
  serviceKit,
  stagedJpeg,
  type ServiceKit,
} from './support/services.ts';

const day = 86_400_000;
const decisionDays = 10;

const ownerFields = {
  provider: '014',
  holderName: 'Budi Santoso',
  nik: '3201014501900001',
  phone: '0812-3333-4444',
  email: 'pemilik@example.id',
  statement:
    'Barang sudah saya kirim lewat JNE dan diterima pembeli; resi dan percakapan terlampir sebagai bukti.',
} as const;

describeEachDialect('NormalizationsService on %s', (dialect) => {
  let t: TestDatabase;
  let kit: ServiceKit;
  let audit: RecordingAudit;
  let normalizations: NormalizationsService;
  let mediator: OperatorActor;
  let secondMediator: OperatorActor;

  beforeAll(async () => {
    t = await createTestDatabase(dialect);
    kit = await serviceKit(t, {
      audit: (deps) => (audit = new RecordingAudit(deps)),
    });
    normalizations = new NormalizationsService({
      database: kit.database,
      clock: kit.clock,
      box: kit.box,
      files: kit.files,
      audit: kit.audit,
      checks: kit.checks,
      challenges: kit.challenges,
      publicBaseUrl: kit.publicBaseUrl,
      decisionDays,
      fourEyes: new FourEyesRule(30, kit.clock),
      wakeJobs: kit.wakeJobs,
    });
    mediator = await seedOperator(t.database, 'mediator@cekrek.test', ['mediator']);
    secondMediator = await seedOperator(t.database, 'mediator-2@cekrek.test', ['mediator']);
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Verified reports on the account, as the check sees them at once. */
  async function reported(number: string, count = 2): Promise<void> {
    const seeds = Array.from({ length: count }, () => ({ provider: '014', number }));
    kit.checks.changed(await seedReports(t.database, seeds));
  }

  /** The owner's photos and evidence, staged as the form's upload would stage them. */
  async function ownerFiles(): Promise<NormalizationFiles> {
    return {
      savingsBookPhoto: [await stagedJpeg(kit.files, 'savingsBookPhoto', 11, { sensitive: true })],
      idCardPhoto: [await stagedJpeg(kit.files, 'idCardPhoto', 12, { sensitive: true })],
      evidence: [
        await stagedJpeg(kit.files, 'evidence', 13, { fileName: 'resi.jpg' }),
        await stagedJpeg(kit.files, 'evidence', 14, { fileName: 'chat.jpg' }),
      ],
    };
  }

  async function submit(number: string) {
    const input = parseNormalizationInput({ ...ownerFields, number });
    return normalizations.submit(input, await ownerFiles(), { lang: 'id', challenge: undefined });
  }

  async function idOf(ticket: string): Promise<number> {
    const row = await t.database.db
      .selectFrom('normalization_requests')
      .select('id')
      .where('ticket', '=', ticket)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async function statusInCheck(number: string) {
    return (await kit.checks.check(toAccountRef('014', number))).result.status;
  }

  it('files a request: a ticket, its files, the dispute mark in the check at once, mail to the owner', async () => {
    await reported('7775550001');
    expect(await statusInCheck('7775550001')).toBe('reported');
    const wakes = kit.wakes.count;

    const filed = await submit('7775550001');

    expect(filed.status).toBe('submitted');
    expect(filed.ticket).toMatch(/^NOR-/);
    expect(filed.dueAt).toEqual(new Date(kit.clock.now().getTime() + decisionDays * day));
    expect(await statusInCheck('7775550001')).toBe('disputed');
    const tracked = await trackTicket(kit.database, filed.ticket, filed.trackingToken);
    expect(tracked).toMatchObject({ kind: 'normalization', status: 'submitted' });

    const id = await idOf(filed.ticket);
    const files = await kit.files.filesOf({ kind: 'normalization', id });
    expect(files.map((f) => [f.field, f.sensitive])).toEqual([
      ['savingsBookPhoto', true],
      ['idCardPhoto', true],
      ['evidence', false],
      ['evidence', false],
    ]);
    const queue = await normalizations.queue({
      statuses: ['submitted'],
      overdueOnly: false,
      limit: 50,
      offset: 0,
    });
    expect(queue.map((item) => item.id)).toContain(id);

    const mail = (await queuedMails(kit)).at(-1);
    expect(mail?.to).toBe('pemilik@example.id');
    expect(mail?.text).toContain(filed.ticket);
    expect(kit.wakes.count).toBe(wakes + 1);
    // Filed online by the owner: nothing for the operators' audit log yet.
    expect(audit.actionsOn('normalization', id)).toEqual([]);
  });

  it('refuses a second request while one is open, and one on an account with nothing verified', async () => {
    await reported('7775550002');
    await submit('7775550002');

    await expect(submit('7775550002')).rejects.toMatchObject({ code: 'already_pending' });
    await expect(submit('7775550099')).rejects.toMatchObject({ code: 'nothing_to_normalize' });
  });

  it('is taken on by a mediator, who asks the owner a question the owner answers on the ticket', async () => {
    await reported('7775550003');
    const filed = await submit('7775550003');
    const id = await idOf(filed.ticket);

    await expect(normalizations.claim(id, mediator)).resolves.toEqual({ status: 'in_review' });
    const detail = await normalizations.detail(id, mediator);
    expect(detail.nik).toBe('3201********0001');
    expect(detail.contact).toEqual({ phone: '081233334444', email: 'pemilik@example.id' });
    expect(detail.reports).toHaveLength(2);
    expect(detail.request.handledBy).toBe(mediator.id);

    const wakes = kit.wakes.count;
    const asked = await normalizations.askInformation(id, mediator, {
      party: 'owner',
      reportId: null,
      question: 'Mohon kirim foto resi pengiriman yang asli.',
    });
    expect(asked.dueAt).toEqual(new Date(kit.clock.now().getTime() + answerDays * day));
    expect(kit.wakes.count).toBe(wakes + 1);
    const question = (await queuedMails(kit)).at(-1);
    expect(question?.to).toBe('pemilik@example.id');
    expect(question?.text).toContain('foto resi pengiriman yang asli');

    const view = await normalizations.partyView(filed.ticket, filed.trackingToken);
    expect(view).toMatchObject({ party: 'owner', status: 'in_review' });
    expect(view?.questions.map((q) => [q.id, q.open, q.overdue])).toEqual([
      [asked.id, true, false],
    ]);
    await expect(normalizations.partyView(filed.ticket, 'not-the-token')).resolves.toBeUndefined();

    const attachment = await stagedJpeg(kit.files, 'attachments', 15, {
      fileName: 'resi-asli.jpg',
    });
    await normalizations.answer(
      filed.ticket,
      filed.trackingToken,
      asked.id,
      'Resi asli terlampir.',
      [attachment],
    );
    const answered = await normalizations.partyView(filed.ticket, filed.trackingToken);
    expect(answered?.questions.map((q) => q.open)).toEqual([false]);
    await expect(
      normalizations.answer(filed.ticket, filed.trackingToken, asked.id, 'Sekali lagi.', []),
    ).rejects.toMatchObject({ code: 'already_decided' });

    const tracked = await trackTicket(kit.database, filed.ticket, filed.trackingToken);
    expect(tracked?.history.map((e) => e.status)).toEqual(['submitted', 'in_review']);
    expect(audit.actionsOn('normalization', id)).toEqual([
      'normalization.claimed',
      'normalization.viewed',
      'normalization.information_requested',
    ]);
  });

  it('takes two people to decide: the proposer cannot confirm, another mediator can', async () => {
    await reported('7775550004');
    const filed = await submit('7775550004');
    const id = await idOf(filed.ticket);
    const grant = { confirm: true, reason: null };
    // The seeded reports have no reporter's contact: the mediator says so, per report.
    for (const h of (await normalizations.detail(id, mediator)).hearings) {
      await normalizations.excuseReporter(id, mediator, {
        reportId: h.reportId,
        reason: 'no_contact',
        note: null,
      });
    }

    await normalizations.propose(id, mediator, {
      decision: 'grant',
      reason: 'Pengiriman terbukti dengan resi.',
    });
    await expect(normalizations.confirm(id, mediator, grant)).rejects.toMatchObject({
      code: 'four_eyes',
    });
    expect(audit.events.at(-1)).toMatchObject({ action: 'access.denied', outcome: 'denied' });
    expect(await statusInCheck('7775550004')).toBe('disputed');

    await expect(normalizations.confirm(id, secondMediator, grant)).resolves.toEqual({
      status: 'granted',
    });
    expect(await statusInCheck('7775550004')).toBe('normalized');
    expect(audit.actionsOn('normalization', id)).toEqual([
      'normalization.viewed',
      'normalization.reporter_excused',
      'normalization.reporter_excused',
      'normalization.proposed',
      'access.denied',
      'normalization.granted',
    ]);
  });

  /** A verified report whose reporter cekrek can reach: their contact and a ticket to answer on. */
  async function reachableReport(number: string) {
    await reported(number, 1);
    const row = await t.database.db
      .selectFrom('reports')
      .innerJoin('accounts', 'accounts.id', 'reports.account_id')
      .select('reports.id')
      .where('accounts.key', '=', `014:${number}`)
      .executeTakeFirstOrThrow();
    const reportId = Number(row.id);
    const reporter = { name: 'Sari', email: 'pelapor@example.id', phone: '0813-1111-2222' };
    await t.database.db
      .updateTable('reports')
      .set({ reporter_sealed: kit.box.seal(JSON.stringify(reporter), 'field', 'report.reporter') })
      .where('id', '=', reportId)
      .execute();
    const issued = await issueTicket(t.database.db, {
      kind: 'report',
      subjectId: reportId,
      lang: 'id',
      status: 'verified',
      at: kit.clock.now(),
    });
    await t.database.db
      .updateTable('reports')
      .set({ ticket: issued.ticket })
      .where('id', '=', reportId)
      .execute();
    return { reportId, ...issued };
  }

  it('refuses a grant until the reporters were asked and answered, or a reason is recorded; never a denial', async () => {
    const reachable = await reachableReport('7775550005');
    await reported('7775550005', 1);
    const filed = await submit('7775550005');
    const id = await idOf(filed.ticket);
    const grant = { decision: 'grant' as const, reason: 'Pengiriman terbukti dengan resi.' };

    const before = (await normalizations.detail(id, mediator)).hearings;
    expect(before.map((h) => [h.state, h.contactable])).toEqual([
      ['not_asked', true],
      ['not_asked', false],
    ]);
    await expect(normalizations.propose(id, mediator, grant)).rejects.toMatchObject({
      code: 'reporters_not_heard',
      errors: before.map((h) => ({ field: `reports.${h.reportId}` })),
    });

    const sent = await normalizations.noticeReporters(id, mediator, null);
    expect(sent).toEqual({ sent: 1, dueAt: new Date(kit.clock.now().getTime() + 7 * day) });
    const notice = (await queuedMails(kit)).at(-1);
    expect(notice?.to).toBe('pelapor@example.id');
    expect(notice?.subject).toContain('disanggah');
    expect(notice?.text).toContain('/lacak/jawab?tiket=');
    await expect(normalizations.noticeReporters(id, mediator, null)).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(
      normalizations.excuseReporter(id, mediator, {
        reportId: before[1]!.reportId,
        reason: 'imported_report',
        note: null,
      }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await normalizations.excuseReporter(id, mediator, {
      reportId: before[1]!.reportId,
      reason: 'no_contact',
      note: 'Laporan lama tanpa e-mail.',
    });
    // The reporter is still within their time to answer: the grant waits.
    await expect(normalizations.propose(id, mediator, grant)).rejects.toMatchObject({
      code: 'reporters_not_heard',
      errors: [{ field: `reports.${reachable.reportId}`, reason: reachable.ticket }],
    });

    const view = await normalizations.partyView(reachable.ticket, reachable.trackingToken);
    const question = view!.questions.at(-1)!;
    expect(question.question).toContain('menyanggah laporan Anda');
    kit.clock.advance(day);
    await normalizations.answer(
      reachable.ticket,
      reachable.trackingToken,
      question.id,
      'Laporan saya tetap benar; barang tidak pernah sampai.',
      [],
    );
    const heard = (await normalizations.detail(id, mediator)).hearings;
    expect(heard.map((h) => h.state)).toEqual(['answered', 'excused']);
    expect(heard[0]!.notice?.answeredAt).toEqual(kit.clock.now());

    await normalizations.propose(id, mediator, { decision: 'deny', reason: 'Bukti pelapor kuat.' });
    await expect(
      normalizations.confirm(id, secondMediator, { confirm: true, reason: null }),
    ).resolves.toEqual({ status: 'denied' });
    const mails = await queuedMails(kit);
    const toReporter = mails.at(-1)!;
    expect(toReporter.to).toBe('pelapor@example.id');
    expect(toReporter.subject).toContain('tidak dikabulkan');
    expect(toReporter.text).toContain('laporan Anda tetap berlaku');
    expect(toReporter.text).toContain('Alasan petugas: Bukti pelapor kuat.');
    expect(toReporter.text).toContain('/kontak');
    expect(toReporter.text).toContain('polisi');
    expect(mails.at(-2)?.to).toBe('pemilik@example.id');
    expect(mails.at(-2)?.text).toContain('tidak dikabulkan');
    const tracked = await trackTicket(kit.database, reachable.ticket, reachable.trackingToken);
    expect(tracked?.status).toBe('dispute_denied');
    expect(tracked?.history.at(-1)?.note).toBe('Bukti pelapor kuat.');
    expect(audit.actionsOn('normalization', id)).toContain('normalization.reporters_notified');
  });

  it('counts a reporter as heard once their time to answer has passed', async () => {
    await reachableReport('7775550006');
    const filed = await submit('7775550006');
    const id = await idOf(filed.ticket);
    const grant = { decision: 'grant' as const, reason: 'Pengiriman terbukti dengan resi.' };
    await normalizations.noticeReporters(id, mediator, 'Mohon sertakan bukti transfer.');
    kit.clock.advance(7 * day - 1000);
    await expect(normalizations.propose(id, mediator, grant)).rejects.toMatchObject({
      code: 'reporters_not_heard',
    });
    kit.clock.advance(1000);
    await expect(normalizations.propose(id, mediator, grant)).resolves.toEqual({
      state: 'proposed',
    });
    await expect(
      normalizations.confirm(id, secondMediator, { confirm: true, reason: null }),
    ).resolves.toEqual({ status: 'granted' });
    const toReporter = (await queuedMails(kit)).at(-1)!;
    expect(toReporter.to).toBe('pelapor@example.id');
    expect(toReporter.text).toContain('tidak lagi dihitung');
  });
});
