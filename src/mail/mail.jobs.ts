// Mail goes out through durable jobs: a service enqueues the rendered message
// in the transaction of the change it tells of, and the worker sends it,
// retrying while the SMTP server is unreachable. The message names its
// recipient and may quote what they wrote, so the job holds it sealed
// (SecretBox, purpose "mail"), and the payload is emptied once the job is
// done or has failed for good.
import * as z from 'zod';
import type { Executor } from '../db/database.ts';
import { enqueue, PermanentJobError } from '../jobs/jobs.service.ts';
import type { JobWorker } from '../jobs/jobs.service.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Mailer, MailMessage } from './mailer.ts';

/** A queued message: sealed, or (queued before sealing began) in clear. */
export type QueuedMail = { readonly sealed: string } | MailMessage;

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'mail.send': QueuedMail;
  }
}

export const mailMessageSchema = z.object({
  to: z.email().max(320),
  subject: z.string().min(1).max(500),
  text: z.string().min(1).max(100_000),
  html: z.string().max(200_000).optional(),
});

const queuedMailSchema = z.union([z.object({ sealed: z.string().min(1) }), mailMessageSchema]);

const associated = 'mail.send';

export function sealMail(box: SecretBox, message: MailMessage): QueuedMail {
  return { sealed: box.seal(JSON.stringify(message), 'mail', associated) };
}

/** The message of a queued job; throws if it was altered or is not a message. */
export function openMail(box: SecretBox, queued: QueuedMail): MailMessage {
  if (!('sealed' in queued)) return queued;
  const json: unknown = JSON.parse(box.openText(queued.sealed, 'mail', associated));
  return mailMessageSchema.parse(json);
}

/** A 5xx reply: the server refused the recipient or the message, and will again. */
function isPermanentRefusal(error: unknown): boolean {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

export function registerMailJobs(worker: JobWorker, mailer: Mailer, box: SecretBox): void {
  worker.register('mail.send', {
    payload: queuedMailSchema,
    async run(queued) {
      let message: MailMessage;
      try {
        message = openMail(box, queued);
      } catch (error) {
        throw new PermanentJobError('mail payload cannot be opened', { cause: error });
      }
      try {
        await mailer.send(message);
      } catch (error) {
        if (isPermanentRefusal(error)) {
          throw new PermanentJobError('mail refused by the server', { cause: error });
        }
        throw error;
      }
    },
  });
}

/**
 * Queues a message in the caller's transaction: it is sent if and only if
 * the change commits. `at` is the time of the change. Call the worker's
 * wake() after the commit for prompt delivery.
 */
export async function enqueueMail(
  executor: Executor,
  message: MailMessage,
  at: Date,
  box: SecretBox,
): Promise<number> {
  const id = await enqueue(executor, { kind: 'mail.send', payload: sealMail(box, message) }, at);
  // Without a dedupe key an insert always yields an id.
  if (id === null) throw new Error('mail job was not inserted');
  return id;
}
