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
import { trackTicket } from '../src/tickets/tickets.service.ts';
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
      'normalization.proposed',
      'access.denied',
      'normalization.granted',
    ]);
  });
});
