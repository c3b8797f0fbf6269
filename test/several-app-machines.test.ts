// Several app machines: two real `cekrek serve` processes, each with its own
// DATA_DIR (no disk shared), on one PostgreSQL database, one Redis and one
// S3 bucket, serve as one. Evidence filed through one is read, decrypted, by a
// reviewer on the other; each job and webhook runs once whichever process
// takes it; a key revoked and an account verified on one are seen on the
// other at once, and a key's allowance is one count in Redis; and SIGTERM stops a process gracefully: it refuses new
// connections, finishes the upload in flight, lets its running job finish
// (or leaves it to the other), writes the partner usage it counted, and
// exits 0.
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enqueue } from '../src/jobs/jobs.service.ts';
import { sealMail } from '../src/mail/mail.jobs.ts';
import { SecretBox } from '../src/shared/secret-box.ts';
import { AppProcess, HttpOperator } from './support/app-process.ts';
import { cekrek } from './support/cli.ts';
import { createTestDatabase, describeOn, tempDir, type TestDatabase } from './support/databases.ts';
import { multipart, smallJpeg, validReportFields } from './support/multipart.ts';
import { TestRedis } from './support/redis.ts';
import { startTestS3, type TestS3 } from './support/s3.ts';
import { startSmtp, subjectOf, type TestSmtp } from './support/smtp.ts';
import { startReceiver, type WebhookReceiver } from './support/webhook-receiver.ts';

const password = 'a long operator password 2026';
const reportedNumber = '5550001234';
/** "At once": what a change may take to reach the other process. */
const atOnceMs = 2_000;

function pdf(text: string): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\n%%EOF\n`, 'latin1');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true; the milliseconds it took. */
async function within(ms: number, what: string, probe: () => Promise<boolean>): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - started;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
}

function keyed(key: string): RequestInit {
  return { headers: { authorization: `Bearer ${key}` } };
}

describeOn('postgres')('several app machines on PostgreSQL, Redis and S3', () => {
  let t: TestDatabase;
  let s3: TestS3;
  let redis: TestRedis;
  let smtp: TestSmtp;
  let receiver: WebhookReceiver;
  let box: SecretBox;
  let a: AppProcess;
  let b: AppProcess;
  let admin: HttpOperator;
  let reviewer: HttpOperator;
  let partnerId: number;
  const dataDirs = [tempDir('cekrek-machine-a-'), tempDir('cekrek-machine-b-')];

  beforeAll(async () => {
    [t, s3, redis, smtp, receiver] = await Promise.all([
      createTestDatabase('postgres'),
      startTestS3(),
      TestRedis.start(),
      startSmtp(),
      startReceiver(),
    ]);
    const bucket = await s3.newBucket();
    const shared: Record<string, string> = {
      ...t.env,
      ...s3.env(bucket, 'evidence/'),
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      CEKREK_DEMO: 'off',
      CEKREK_CHALLENGE: 'off',
      WEBHOOK_ALLOW_PRIVATE: 'on',
      SIGN_IN_RATE_LIMIT: '0',
      LOG_LEVEL: 'warn',
    };
    box = new SecretBox(shared.CEKREK_SECRET_KEY!);
    const createOperator = (email: string, roles: string[], dataDir: string) =>
      cekrek(
        [
          'operator',
          'create',
          '--email',
          email,
          ...roles.flatMap((role) => ['--role', role]),
          '--password',
          password,
        ],
        { ...shared, DATA_DIR: dataDir },
      );
    // The operators are created through the command line while the servers start.
    const [created, started] = await Promise.all([
      Promise.all([
        createOperator('admin@cekrek.test', ['admin', 'reviewer'], dataDirs[0]!),
        createOperator('reviewer@cekrek.test', ['reviewer'], dataDirs[1]!),
      ]),
      Promise.all([
        AppProcess.start({ ...shared, DATA_DIR: dataDirs[0]! }),
        AppProcess.start({ ...shared, DATA_DIR: dataDirs[1]! }),
      ]),
    ]);
    [a, b] = started;
    for (const result of created) expect(result.code, result.stderr).toBe(0);
    [admin, reviewer] = await Promise.all([
      new HttpOperator(a).signInEnrolling('admin@cekrek.test', password),
      new HttpOperator(b).signInEnrolling('reviewer@cekrek.test', password),
    ]);
    const partner = await admin.json<{ id: number }>('POST', '/api/v1/admin/partners', {
      name: 'Bank Contoh',
      kind: 'bank',
      contactEmail: 'api@bank-contoh.test',
    });
    partnerId = partner.id;
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.kill(), b?.kill()]);
    await Promise.all([s3?.close(), redis?.kill(), smtp?.close(), receiver?.close()]);
    await t?.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function issueKey(scopes: string[], label: string) {
    return admin.json<{ id: number; key: string }>(
      'POST',
      `/api/v1/admin/partners/${partnerId}/keys`,
      { label, scopes },
    );
  }

  async function jobsOf(kind: string) {
    return t.database.db
      .selectFrom('jobs')
      .select(['id', 'dedupe_key', 'locked_by', 'done_at', 'failed_at', 'attempts'])
      .where('kind', '=', kind)
      .execute();
  }

  /** Queues mail jobs in the database, as a change in either process would. */
  async function queueMail(subjects: readonly string[]): Promise<void> {
    const now = new Date();
    for (const subject of subjects) {
      await enqueue(
        t.database.db,
        {
          kind: 'mail.send',
          payload: sealMail(box, { to: 'pelapor@example.id', subject, text: `Isi ${subject}` }),
        },
        now,
      );
    }
  }

  /** The checks of a key in partner_usage, every day together. */
  async function checksCounted(keyId: number): Promise<number> {
    const rows = await t.database.db
      .selectFrom('partner_usage')
      .select('checks')
      .where('key_id', '=', keyId)
      .execute();
    return rows.reduce((sum, row) => sum + Number(row.checks), 0);
  }

  function deliveredSubjects(): string[] {
    return smtp.received.map((mail) => subjectOf(mail.raw));
  }

  it('shows evidence filed through one process, decrypted, to a reviewer on the other', async () => {
    const marker = `transfer receipt ${reportedNumber}, sealed before it leaves`;
    const jpeg = await smallJpeg(3);
    const form = new FormData();
    for (const [name, value] of Object.entries({ ...validReportFields, number: reportedNumber })) {
      form.append(name, value);
    }
    form.append(
      'evidence',
      new Blob([new Uint8Array(pdf(marker))], { type: 'application/pdf' }),
      'mutasi.pdf',
    );
    form.append('evidence', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'bukti.jpg');
    const filed = await a.fetch('/api/v1/reports', { method: 'POST', body: form });
    expect(filed.status, await filed.clone().text()).toBe(201);

    const queue = await reviewer.json<{ reports: { id: number; account: { key: string } }[] }>(
      'GET',
      '/api/v1/admin/reports',
    );
    const item = queue.reports.find((r) => r.account.key === `014:${reportedNumber}`);
    expect(item).toBeDefined();
    const detail = await reviewer.json<{ files: { id: string; mime: string }[] }>(
      'GET',
      `/api/v1/admin/reports/${item!.id}`,
    );
    expect(detail.files.map((f) => f.mime)).toEqual(['application/pdf', 'image/jpeg']);
    const served = await reviewer.request('GET', `/api/v1/admin/files/${detail.files[0]!.id}`);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).toString('latin1')).toContain(marker);
    const image = await reviewer.request('GET', `/api/v1/admin/files/${detail.files[1]!.id}`);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/jpeg');
    const stored = await t.database.db
      .selectFrom('files')
      .select(['id', 'sha256'])
      .where('id', '=', detail.files[1]!.id)
      .executeTakeFirstOrThrow();
    const bytes = Buffer.from(await image.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(stored.sha256);
    // Neither machine kept the files on its own disk.
    for (const dir of dataDirs) expect(existsSync(join(dir, 'files'))).toBe(false);
  });

  it('tells the other process at once of a verified account and of a revoked key', async () => {
    const { id: keyId, key } = await issueKey(['check', 'watch'], 'checks on B');
    const path = `/api/v1/accounts/014/${reportedNumber}`;
    const statusOnB = async () => {
      const response = await b.fetch(path, keyed(key));
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect(await statusOnB()).toMatchObject({ status: 200, body: { status: 'clear' } });

    // The partner watches the account through B, with a webhook to its receiver.
    receiver.on('/hook', 204);
    const keyHash = createHash('sha256').update(`014:${reportedNumber}`).digest('hex');
    const watched = await b.fetch('/api/v1/partner/watches', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ hashes: [keyHash] }),
    });
    expect(watched.status).toBe(200);
    const hooked = await b.fetch('/api/v1/partner/webhooks', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ url: receiver.url('/hook'), events: ['account.reported'] }),
    });
    expect(hooked.status, await hooked.clone().text()).toBe(201);

    const queue = await admin.json<{ reports: { id: number; account: { key: string } }[] }>(
      'GET',
      '/api/v1/admin/reports',
    );
    const item = queue.reports.find((r) => r.account.key === `014:${reportedNumber}`)!;
    await admin.json('POST', `/api/v1/admin/reports/${item.id}/decision`, {
      decision: 'verify',
      reason: 'evidence_sufficient',
    });
    await within(atOnceMs, 'the check on B says reported', async () => {
      const { body } = await statusOnB();
      return body.status === 'reported';
    });

    const revoked = await admin.request(
      'DELETE',
      `/api/v1/admin/partners/${partnerId}/keys/${keyId}`,
    );
    expect(revoked.status).toBe(204);
    await within(atOnceMs, 'B refuses the revoked key', async () => {
      const { status, body } = await statusOnB();
      return status === 401 && body.code === 'invalid_api_key';
    });

    // The account.reported event went out once, from whichever process took it.
    const [delivery] = await receiver.until(1, '/hook', 15_000);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'account.reported' });
    await sleep(1_500);
    expect(receiver.at('/hook')).toHaveLength(1);
  });

  it("counts a key's allowance once across both processes, in Redis", async () => {
    const partner = await admin.json<{ id: number }>('POST', '/api/v1/admin/partners', {
      name: 'Toko Contoh',
      kind: 'marketplace',
      contactEmail: 'api@toko-contoh.test',
      perMinute: 4,
    });
    const checkAlternately = async () => {
      const issued = await admin.json<{ key: string }>(
        'POST',
        `/api/v1/admin/partners/${partner.id}/keys`,
        { label: 'alternating', scopes: ['check'] },
      );
      const answers: { status: number; rateLimit: string | null }[] = [];
      for (const app of [a, b, a, b, a, b]) {
        const response = await app.fetch(`/api/v1/accounts/014/5550004444`, keyed(issued.key));
        answers.push({ status: response.status, rateLimit: response.headers.get('ratelimit') });
      }
      return answers;
    };
    let answers = await checkAlternately();
    // A minute window that turned over half way counts afresh: once more, with a new key.
    const remainingOf = (r: string | null) => Number(/;r=(\d+)/.exec(r ?? '')?.[1]);
    if (remainingOf(answers[3]!.rateLimit) !== 0) answers = await checkAlternately();
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200, 429, 429]);
    expect(answers.slice(0, 4).map((x) => remainingOf(x.rateLimit))).toEqual([3, 2, 1, 0]);
  });

  it('runs each job once, whichever process takes it', async () => {
    // Both processes scheduled the recurring sweeps and retention: one pending job each.
    for (const kind of ['files.sweep', 'registrations.retention', 'audit.checkpoint']) {
      const pending = (await jobsOf(kind)).filter((j) => !j.done_at && !j.failed_at);
      expect(pending, kind).toHaveLength(1);
    }

    smtp.delayMs = 150;
    const subjects = Array.from({ length: 16 }, (_, n) => `Pesan ${n + 1}`);
    const takers = new Set<string>();
    await queueMail(subjects);
    const deadline = Date.now() + 30_000;
    while (subjects.some((s) => !deliveredSubjects().includes(s))) {
      if (Date.now() > deadline) throw new Error(`delivered: ${deliveredSubjects().join(', ')}`);
      for (const job of await jobsOf('mail.send')) {
        if (job.locked_by) takers.add(job.locked_by.split(':')[1]!);
      }
      await sleep(20);
    }
    await sleep(1_500);
    const delivered = deliveredSubjects().filter((s) => s.startsWith('Pesan '));
    expect(delivered.sort()).toEqual([...subjects].sort());
    // Both processes took some: the work is shared, not merely left to one.
    expect([...takers].sort()).toEqual([String(a.pid), String(b.pid)].sort());
    const jobs = await jobsOf('mail.send');
    expect(jobs.every((j) => j.done_at !== null)).toBe(true);
  });

  it('runs a due sweep and retention once, and schedules each next run once', async () => {
    const kinds = ['files.sweep', 'registrations.retention'];
    await t.database.db
      .updateTable('jobs')
      .set({ run_at: new Date() })
      .where('kind', 'in', kinds)
      .where('done_at', 'is', null)
      .where('failed_at', 'is', null)
      .execute();
    for (const kind of kinds) {
      await within(10_000, `${kind} done`, async () =>
        (await jobsOf(kind)).some((j) => j.done_at !== null),
      );
    }
    await sleep(1_500);
    for (const kind of kinds) {
      const jobs = await jobsOf(kind);
      expect(
        jobs.filter((j) => j.done_at !== null).map((j) => j.attempts),
        kind,
      ).toEqual([1]);
      expect(
        jobs.filter((j) => j.done_at === null && j.failed_at === null),
        kind,
      ).toHaveLength(1);
    }
  });

  it('stops on SIGTERM: refuses new connections, finishes what is in flight, exits 0', async () => {
    const { id: keyId, key } = await issueKey(['check'], 'counted on A');
    // A job running on A when the signal comes: slow mail.
    smtp.delayMs = 1_500;
    const subjects = ['Saat berhenti 1', 'Saat berhenti 2', 'Saat berhenti 3', 'Saat berhenti 4'];
    await queueMail(subjects);
    await within(10_000, 'A runs a mail job', async () =>
      (await jobsOf('mail.send')).some(
        (j) => j.locked_by?.split(':')[1] === String(a.pid) && j.done_at === null,
      ),
    );

    // An upload to A, begun before the signal and finished after it.
    const body = await multipart({ ...validReportFields, number: '5550003333' }, [
      { name: 'evidence', content: pdf('sent slowly across the shutdown'), fileName: 'x.pdf' },
    ]);
    const half = Math.floor(body.payload.length / 2);
    const upload = httpRequest(a.url('/api/v1/reports'), {
      method: 'POST',
      headers: { ...body.headers, 'content-length': String(body.payload.length) },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      upload.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      upload.on('error', reject);
    });
    // Awaited below; a connection cut by the signal must fail the test there, not as stray.
    answered.catch(() => undefined);
    upload.write(body.payload.subarray(0, half));
    await sleep(300);

    // Counted in A's memory just before the signal, before any periodic write.
    const checksOnA = 7;
    for (let n = 0; n < checksOnA; n += 1) {
      const answer = await a.fetch(`/api/v1/accounts/014/555000${2000 + n}`, keyed(key));
      expect(answer.status).toBe(200);
    }

    const exit = a.terminate();
    await within(5_000, 'A stops accepting connections', () =>
      a.fetch('/healthz').then(
        () => false,
        () => true,
      ),
    );
    // B serves on meanwhile.
    expect((await b.fetch('/healthz')).status).toBe(200);
    // The usage A counted is written while the drain still waits on the
    // upload: a kill at the end of the grace period would not lose it.
    await within(
      atOnceMs,
      "A's usage written during the drain",
      async () => (await checksCounted(keyId)) === checksOnA,
    );
    upload.end(body.payload.subarray(half));
    const uploaded = await answered;
    expect(uploaded.status, uploaded.text).toBe(201);

    expect(await exit).toEqual({ code: 0, signal: null });
    expect(a.output).not.toMatch(/"level":(50|60)/);

    // Every mail was sent once: the job A was running finished there, or B took it.
    await within(20_000, 'every mail sent', () =>
      Promise.resolve(subjects.every((s) => deliveredSubjects().includes(s))),
    );
    await sleep(1_000);
    for (const subject of subjects) {
      expect(
        deliveredSubjects().filter((s) => s === subject),
        subject,
      ).toHaveLength(1);
    }
    // Written once: the last write at close counted nothing twice.
    expect(await checksCounted(keyId)).toBe(checksOnA);
  }, 60_000);
});
