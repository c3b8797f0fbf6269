// Sends e-mail: through SMTP when SMTP_URL is set, otherwise into an outbox
// directory as one RFC 822 message per file (the embedded default needs no
// mail server). A message names its recipient and what they were told, so
// the outbox holds each one encrypted (`.eml.sealed`, AES-256-GCM under the
// "mail" key); `cekrek outbox` prints them for whoever runs the server.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { lazyRequire } from '../shared/lazy-require.ts';
import { openSealedFile, sealFile } from '../shared/file-crypto.ts';
import { systemClock, type Clock } from '../shared/clock.ts';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

export interface SentMail {
  readonly messageId: string;
}

export interface Mailer {
  /** Where messages go: an SMTP server, or files in the outbox. */
  readonly transport: 'smtp' | 'outbox';
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

/** The part of a pino logger the mailer uses. */
export interface MailLogger {
  info(obj: object, msg: string): void;
}

export interface MailerOptions {
  /** e.g. smtp://user:pass@mail.example.id:587 or smtps://…; unset writes to the outbox. */
  readonly smtpUrl?: string;
  readonly outboxDir: string;
  /** Encrypts the outbox's files (SecretBox key "mail"). */
  readonly outboxKey: Buffer;
  /** The From header, e.g. "cekrek <no-reply@cekrek.example.id>". */
  readonly from: string;
  readonly logger: MailLogger;
  readonly clock?: Clock;
}

// Timeouts well below a job's lease, so a silent server fails the attempt
// (and the job retries) instead of holding the worker.
const smtpTimeouts = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000 };

// Messages are built from our templates only: nodemailer must never read a
// file or fetch a URL named in one.
const messageDefaults = { disableFileAccess: true, disableUrlAccess: true } as const;

const sealedSuffix = '.eml.sealed';

function outboxFileName(at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '');
  return `${stamp}-${randomBytes(6).toString('hex')}${sealedSuffix}`;
}

export interface OutboxMessage {
  readonly file: string;
  /** The RFC 822 message, as an SMTP server would have received it. */
  readonly raw: string;
}

/** The outbox's messages, oldest first, decrypted; files that do not open are skipped. */
export function readOutbox(dir: string, key: Buffer): OutboxMessage[] {
  if (!existsSync(dir)) return [];
  const messages: OutboxMessage[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith(sealedSuffix))
    .sort()) {
    try {
      const raw = openSealedFile(key, file, readFileSync(join(dir, file)));
      messages.push({ file, raw: raw.toString('utf8') });
    } catch {
      // Written under another key, or altered: not readable here.
    }
  }
  return messages;
}

/** Written under a temporary name, flushed, then renamed: a reader never sees half a message. */
async function writeAtomically(dir: string, name: string, content: Buffer): Promise<void> {
  const temporary = join(dir, `.${name}.tmp`);
  const file = await open(temporary, 'wx', 0o600);
  try {
    await file.writeFile(content);
    await file.sync();
  } catch (error) {
    await file.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await file.close();
  await rename(temporary, join(dir, name));
}

const nodemailer = lazyRequire<typeof import('nodemailer').default>('nodemailer');

/**
 * A transport made at its first message: a process that sends no mail never
 * loads the mail library, and closing one never used costs nothing.
 */
function transportOnFirstUse<Transport extends { close(): void }>(
  make: () => Transport,
): {
  get(): Transport;
  close(): void;
} {
  let transport: Transport | undefined;
  return {
    get: () => (transport ??= make()),
    close: () => transport?.close(),
  };
}

function smtpMailer(options: MailerOptions & { smtpUrl: string }): Mailer {
  const clock = options.clock ?? systemClock;
  const transport = transportOnFirstUse(() =>
    nodemailer().createTransport(
      { url: options.smtpUrl, ...smtpTimeouts },
      { from: options.from, ...messageDefaults },
    ),
  );
  return {
    transport: 'smtp',
    async send(message) {
      const info = await transport.get().sendMail({ ...message, date: clock.now() });
      options.logger.info({ messageId: info.messageId }, 'mail sent');
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

function outboxMailer(options: MailerOptions): Mailer {
  const clock = options.clock ?? systemClock;
  const transport = transportOnFirstUse(() =>
    nodemailer().createTransport(
      { streamTransport: true, buffer: true, newline: 'windows' },
      { from: options.from, ...messageDefaults },
    ),
  );
  return {
    transport: 'outbox',
    async send(message) {
      const at = clock.now();
      const info = await transport.get().sendMail({ ...message, date: at });
      if (!Buffer.isBuffer(info.message)) throw new Error('the mail composer returned no buffer');
      await mkdir(options.outboxDir, { recursive: true, mode: 0o700 });
      const file = outboxFileName(at);
      await writeAtomically(
        options.outboxDir,
        file,
        sealFile(options.outboxKey, file, info.message),
      );
      options.logger.info({ messageId: info.messageId, file }, 'mail written to the outbox');
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

export function createMailer(options: MailerOptions): Mailer {
  const { smtpUrl } = options;
  return smtpUrl ? smtpMailer({ ...options, smtpUrl }) : outboxMailer(options);
}
