// Mail goes out through durable jobs: a service enqueues the rendered message
// in the transaction of the change it tells of, and the worker sends it,
// retrying while the SMTP server is unreachable.
import { z } from 'zod';
import type { Executor } from '../accounts/accounts.repository.ts';
import { enqueue, PermanentJobError } from '../jobs/jobs.ts';
import type { JobWorker } from '../jobs/jobs.service.ts';
import type { Mailer, MailMessage } from './mailer.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    'mail.send': MailMessage;
  }
}

export const mailMessageSchema = z.object({
  to: z.email().max(320),
  subject: z.string().min(1).max(500),
  text: z.string().min(1).max(100_000),
  html: z.string().max(200_000).optional(),
});

/** A 5xx reply: the server refused the recipient or the message, and will again. */
function isPermanentRefusal(error: unknown): boolean {
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof responseCode === 'number' && responseCode >= 500 && responseCode < 600;
}

export function registerMailJobs(worker: JobWorker, mailer: Mailer): void {
  worker.register('mail.send', {
    payload: mailMessageSchema,
    async run(message) {
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
): Promise<number> {
  const id = await enqueue(executor, { kind: 'mail.send', payload: message }, at);
  // Without a dedupe key an insert always yields an id.
  if (id === null) throw new Error('mail job was not inserted');
  return id;
}
