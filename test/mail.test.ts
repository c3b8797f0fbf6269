// Mail: delivered to a real SMTP server, written to the outbox without one,
// and sent through a durable job that outlives an SMTP outage.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { findJob } from '../src/jobs/jobs.repository.ts';
import { createJobWorker, type JobLogger } from '../src/jobs/jobs.service.ts';
import { enqueueMail, registerMailJobs } from '../src/mail/mail.jobs.ts';
import { createMailer, readOutbox, type Mailer, type MailLogger } from '../src/mail/mailer.ts';
import { renderMail } from '../src/mail/templates.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import {
  createTestDatabase,
  describeEachDialect,
  tempDir,
  type TestDatabase,
} from './support/databases.ts';
import { parseMessage } from './support/mail.ts';

const box = new SecretBox('test-secret-key-000000000000000000000');

interface Received {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
}

interface TestSmtp {
  readonly port: number;
  readonly received: Received[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1: no TLS, no authentication. */
async function startSmtp(port = 0): Promise<TestSmtp> {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: an SMTP server that is down. */
async function freePort(): Promise<number> {
  const probe = await startSmtp();
  await probe.close();
  return probe.port;
}

function recordingLogger(): JobLogger & MailLogger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record = (level: string) => (obj: object, msg: string) =>
    lines.push(JSON.stringify({ level, msg, ...obj }));
  return { lines, info: record('info'), warn: record('warn'), error: record('error') };
}

const context = { publicBaseUrl: 'https://cekrek.example.id', siteName: 'Cekrek Contoh' };
const from = 'Cekrek <no-reply@cekrek.example.id>';

describe('mail through SMTP', () => {
  let smtp: TestSmtp;
  let mailer: Mailer;
  const logger = recordingLogger();

  beforeAll(async () => {
    smtp = await startSmtp();
    mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      outboxDir: tempDir(),
      outboxKey: box.key('mail'),
      from,
      logger,
    });
  });
  afterAll(async () => {
    mailer.close();
    await smtp.close();
  });

  it('delivers a message in the recipient language to a real server', async () => {
    const to = 'pelapor@example.id';
    const sent = await mailer.send({
      to,
      ...renderMail({ kind: 'report_received', ticket: 'LAP-2026-000123' }, 'en', context),
    });

    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message?.to).toEqual([to]);
    expect(message?.from).toBe('no-reply@cekrek.example.id');
    const { headers, text } = parseMessage(message?.raw ?? '');
    expect(headers.get('to')).toBe(to);
    expect(headers.get('subject')).toBe('Your report was received — ticket LAP-2026-000123');
    expect(headers.get('message-id')).toBe(sent.messageId);
    expect(text).toContain('We received your report under ticket number LAP-2026-000123.');
    // The tracking page with the ticket filled in (followed in test/mail-links.test.ts).
    expect(text).toContain('https://cekrek.example.id/lacak?tiket=LAP-2026-000123');
    expect(message?.raw).toContain('Content-Type: text/html');

    // Only the message id is logged: the recipient and the text are personal data.
    expect(logger.lines).toEqual([
      JSON.stringify({ level: 'info', msg: 'mail sent', messageId: sent.messageId }),
    ]);
  });

  it('speaks Indonesian by default', async () => {
    const before = smtp.received.length;
    await mailer.send({
      to: 'penjual@example.id',
      ...renderMail(
        {
          kind: 'status_changed',
          ticket: 'REG-7',
          request: 'registration',
          status: 'approved',
          note: 'Dokumen lengkap.',
        },
        'id',
        context,
      ),
    });
    const { headers, text } = parseMessage(smtp.received[before]?.raw ?? '');
    expect(headers.get('subject')).toBe('Pendaftaran rekening REG-7: status kini Disetujui');
    expect(text).toContain(
      'Status pendaftaran rekening Anda dengan nomor tiket REG-7 berubah menjadi: Disetujui.',
    );
    expect(text).toContain('Catatan dari petugas: Dokumen lengkap.');
  });
});

describe('mail without SMTP', () => {
  it('writes each message encrypted in the outbox, opened by readOutbox', async () => {
    const outboxDir = join(tempDir(), 'outbox');
    const logger = recordingLogger();
    const mailer = createMailer({
      outboxDir,
      outboxKey: box.key('mail'),
      from,
      logger,
      clock: new ManualClock('2026-03-05T03:30:00.250Z'),
    });
    const to = 'pelapor@example.id';
    const sent = await mailer.send({
      to,
      ...renderMail(
        {
          kind: 'report_decided',
          ticket: 'LAP-1',
          decision: 'rejected',
          reason: 'Bukti tidak terbaca.',
        },
        'id',
        context,
      ),
    });
    mailer.close();

    const files = await readdir(outboxDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^20260305T033000\.250Z-[0-9a-f]{12}\.eml\.sealed$/);
    const path = join(outboxDir, files[0] ?? '');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    // Encrypted at rest: neither the recipient nor the text is readable in the file.
    const stored = await readFile(path);
    expect(stored.includes(to)).toBe(false);
    expect(stored.includes('Bukti tidak terbaca')).toBe(false);
    const opened = readOutbox(outboxDir, box.key('mail'));
    expect(opened.map((m) => m.file)).toEqual(files);
    expect(readOutbox(outboxDir, new SecretBox('x'.repeat(40)).key('mail'))).toEqual([]);
    const raw = opened[0]?.raw ?? '';
    expect(raw).toContain('\r\n');
    const { headers, text } = parseMessage(raw);
    expect(headers.get('to')).toBe(to);
    expect(headers.get('from')).toBe(from);
    expect(headers.get('message-id')).toBe(sent.messageId);
    expect(headers.get('subject')).toBe('Laporan LAP-1 tidak dapat diverifikasi');
    expect(text).toContain('Alasan: Bukti tidak terbaca.');
    expect(JSON.stringify(logger.lines)).not.toContain(to);
  });
});

describe('mail templates', () => {
  it('escape every value in the HTML and keep it as typed in the text', () => {
    const note = '<script>alert("x")</script> & <b>';
    const mail = renderMail(
      {
        kind: 'status_changed',
        ticket: 'NOR-1',
        request: 'normalization',
        status: 'mediation',
        note,
      },
      'en',
      context,
    );
    expect(mail.text).toContain(`Note from our staff: ${note}`);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(
      'Note from our staff: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;',
    );
    expect(mail.html).toContain('<html lang="en">');
  });

  it('announce a mediation with its time in Indonesian time and a link only if it is a web link', () => {
    const at = new Date('2026-03-05T03:30:00Z');
    const online = renderMail(
      {
        kind: 'mediation_scheduled',
        ticket: 'NOR-9',
        scheduledAt: at,
        link: 'https://meet.example.id/r/abc?x=1&y=2',
      },
      'id',
      context,
    );
    expect(online.subject).toBe('Jadwal mediasi untuk tiket NOR-9');
    expect(online.text).toContain('Waktu: Kamis, 5 Maret 2026 pukul 10.30 WIB');
    expect(online.text).toContain('Tautan pertemuan daring: https://meet.example.id/r/abc?x=1&y=2');
    expect(online.html).toContain('<a href="https://meet.example.id/r/abc?x=1&amp;y=2">');

    const inPerson = renderMail(
      {
        kind: 'mediation_scheduled',
        ticket: 'NOR-9',
        scheduledAt: at,
        place: 'Jl. Medan Merdeka Barat No. 9, Jakarta',
        link: 'javascript:alert(1)',
      },
      'en',
      context,
    );
    expect(inPerson.text).toContain('Time: Thursday, 5 March 2026 at 10:30 GMT+7');
    expect(inPerson.text).toContain('Place: Jl. Medan Merdeka Barat No. 9, Jakarta');
    expect(inPerson.text).not.toContain('javascript:');
    expect(inPerson.html).not.toContain('javascript:');
  });

  it('keep the subject on one line whatever the values hold', () => {
    const mail = renderMail(
      { kind: 'report_decided', ticket: 'LAP-2\r\nBcc: x@example.id', decision: 'verified' },
      'id',
      context,
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});

describeEachDialect('mail jobs on %s', (dialect) => {
  let test: TestDatabase;
  let smtp: TestSmtp | undefined;
  let mailer: Mailer | undefined;

  beforeAll(async () => {
    test = await createTestDatabase(dialect);
  });

  async function rawPayload(id: number): Promise<string> {
    const row = await test.database.db
      .selectFrom('jobs')
      .select('payload')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.payload;
  }
  afterAll(async () => {
    await test.close();
  });
  afterEach(async () => {
    mailer?.close();
    await smtp?.close();
    smtp = undefined;
  });

  it('retries while the SMTP server is down and delivers once it is up', async () => {
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    const logger = recordingLogger();
    const port = await freePort();
    mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: tempDir(),
      outboxKey: box.key('mail'),
      from,
      logger,
      clock,
    });
    const worker = createJobWorker({ database: test.database, clock, logger, pruneEveryMs: 0 });
    registerMailJobs(worker, mailer, box);
    const to = 'pemilik@example.id';

    const id = await test.database.db
      .transaction()
      .execute((trx) =>
        enqueueMail(
          trx,
          { to, ...renderMail({ kind: 'report_received', ticket: 'LAP-42' }, 'id', context) },
          clock.now(),
          box,
        ),
      );

    expect(await worker.drain()).toBe(1);
    const failed = await findJob(test.database.db, id);
    expect(failed).toMatchObject({ attempts: 1, doneAt: null, failedAt: null });
    expect(failed?.lastError).toMatch(/^Error (ESOCKET|ECONNECTION)$/);
    expect(failed?.runAt.getTime()).toBeGreaterThan(clock.now().getTime());
    // Queued while SMTP is down: the recipient and the text are sealed, not in clear.
    const queued = await rawPayload(id);
    expect(queued).not.toContain(to);
    expect(queued).not.toContain('LAP-42');
    expect(queued).toMatch(/^\{"sealed":"v1\./);

    smtp = await startSmtp(port);
    expect(await worker.drain()).toBe(0);
    clock.set(failed?.runAt ?? clock.now());
    expect(await worker.drain()).toBe(1);

    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]?.to).toEqual([to]);
    const { headers } = parseMessage(smtp.received[0]?.raw ?? '');
    expect(headers.get('subject')).toBe('Laporan Anda telah kami terima — tiket LAP-42');
    expect(await findJob(test.database.db, id)).toMatchObject({ attempts: 2, lastError: null });
    expect((await findJob(test.database.db, id))?.doneAt).not.toBeNull();
    expect(JSON.stringify(logger.lines)).not.toContain(to);
    expect(await rawPayload(id)).toBe('{}');
  });

  it('fails the job at once when the server refuses the recipient', async () => {
    const clock = new ManualClock('2026-03-01T00:00:00Z');
    const logger = recordingLogger();
    smtp = await startSmtpRefusing();
    mailer = createMailer({
      smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
      outboxDir: tempDir(),
      outboxKey: box.key('mail'),
      from,
      logger,
      clock,
    });
    const worker = createJobWorker({ database: test.database, clock, logger, pruneEveryMs: 0 });
    registerMailJobs(worker, mailer, box);

    const id = await enqueueMail(
      test.database.db,
      { to: 'nobody@example.id', subject: 'Tes', text: 'Tes' },
      clock.now(),
      box,
    );
    expect(await worker.drain()).toBe(1);
    const job = await findJob(test.database.db, id);
    expect(job?.failedAt).not.toBeNull();
    expect(job?.lastError).toBe('mail refused by the server (Error EENVELOPE reply 550)');
    expect(JSON.stringify(logger.lines)).not.toContain('nobody@example.id');
    // Failed for good: nothing personal is kept either.
    expect(await rawPayload(id)).toBe('{}');
  });
});

/** A server that refuses every recipient with a permanent 550. */
async function startSmtpRefusing(): Promise<TestSmtp> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(Object.assign(new Error(`No such user ${address.address}`), { responseCode: 550 }));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.server.address() as AddressInfo).port,
    received: [],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
