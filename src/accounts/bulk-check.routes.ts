// POST /api/v1/checks: up to a thousand accounts in one call, for partners
// with a key of scope `check`. Each entry is byte for byte the body the single
// check answers for that account (the same answers, already serialized), or
// an `error` entry for an account that cannot be read; the call itself fails
// only as a whole (no key, too many accounts, a body that is not a list).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { buildProblem, problemSchema } from '../http/problems.ts';
import { sendJson } from '../http/replies.ts';
import { toAccountRef, type AccountRef } from '../shared/account-number.ts';
import { AppError, isAppError } from '../shared/errors.ts';
import type { Lang } from '../shared/i18n.ts';
import type { CheckAnswer, CheckService } from './check.service.ts';
import { checkBodySchema } from './check.schema.ts';
import type { AccountStatus } from './check.ts';

/** The most accounts one call may check (api.md). */
export const maxAccountsPerCall = 1000;

export interface BulkCheckRoutesOptions {
  readonly checks: Pick<CheckService, 'checkMany'>;
  /** Admits a partner's key with scope `check` (and counts the call against its limits). */
  readonly requireCheckKey: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /**
   * Counts the accounts against the key's daily allowance before they are
   * read; throws (rate_limited) when they do not fit.
   */
  readonly countAccounts?: (
    request: FastifyRequest,
    reply: FastifyReply,
    accounts: number,
  ) => Promise<void>;
}

const accountEntry = z.object({
  provider: z.union([z.string(), z.number()]).describe('As in the single check.'),
  number: z.union([z.string(), z.number()]).describe('As in the single check.'),
});

const bulkBody = z.object({
  accounts: z
    .array(z.unknown())
    .min(1)
    .describe(`1 to ${maxAccountsPerCall} accounts; each \`{ "provider", "number" }\`.`),
});

const bulkAnswerSchema = z.object({
  results: z.array(z.union([checkBodySchema, z.object({ error: problemSchema })])),
  summary: z.object({
    clear: z.number().int(),
    reported: z.number().int(),
    disputed: z.number().int(),
    normalized: z.number().int(),
    invalid: z.number().int(),
  }),
});

type Summary = Record<AccountStatus | 'invalid', number>;

/** The account an entry names, or the problem that says why it names none. */
function readEntry(entry: unknown): AccountRef | AppError {
  const parsed = accountEntry.safeParse(entry);
  if (!parsed.success) {
    return new AppError('validation_failed', {
      errors: [{ field: 'account', reason: 'Expected { "provider", "number" }.' }],
    });
  }
  try {
    return toAccountRef(String(parsed.data.provider), String(parsed.data.number));
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
}

function errorEntry(lang: Lang, error: AppError): string {
  const problem = buildProblem(lang, error.code, { errors: error.errors, params: error.params });
  return `{"error":${JSON.stringify(problem)}}`;
}

/**
 * The answer's body, put together from the single checks' own serialized
 * bodies, written once into bytes: joined into one long text first, it would
 * be copied, measured and encoded again on its way out.
 */
function bulkAnswer(
  lang: Lang,
  entries: readonly (AccountRef | AppError)[],
  answers: readonly CheckAnswer[],
): Buffer {
  const summary: Summary = { clear: 0, reported: 0, disputed: 0, normalized: 0, invalid: 0 };
  let next = 0;
  const results = entries.map((entry) => {
    if (entry instanceof AppError) {
      summary.invalid++;
      return errorEntry(lang, entry);
    }
    const answer = answers[next++]!;
    summary[answer.result.status]++;
    return answer.json;
  });
  return utf8Joined('{"results":[', results, `],"summary":${JSON.stringify(summary)}}`);
}

/** `head + parts.join(',') + tail` as UTF-8 bytes, each part encoded once in place. */
function utf8Joined(head: string, parts: readonly string[], tail: string): Buffer {
  let chars = head.length + tail.length + parts.length;
  for (const part of parts) chars += part.length;
  // A UTF-16 unit never takes more than three bytes in UTF-8.
  const out = Buffer.allocUnsafe(chars * 3);
  let at = out.write(head, 0, 'utf8');
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) at = out.writeUInt8(0x2c, at);
    at += out.write(parts[i]!, at, 'utf8');
  }
  at += out.write(tail, at, 'utf8');
  return out.subarray(0, at);
}

export const bulkCheckRoutes: FastifyPluginAsync<BulkCheckRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/api/v1/checks',
    {
      // A thousand accounts in their longest written forms fit well within this.
      bodyLimit: 512 * 1024,
      schema: {
        tags: ['check'],
        summary: 'Check up to 1000 accounts in one call',
        description:
          'One result per account, in request order: each exactly the body the single check ' +
          'answers for it, or `{ "error": <problem> }` for an account that cannot be read ' +
          '(`invalid_provider`, `invalid_account_number`). Each account counts against the ' +
          "key's daily allowance. More than 1000 accounts: `400 too_many_accounts`.",
        body: bulkBody,
        response: {
          200: bulkAnswerSchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          429: problemSchema,
          503: problemSchema,
        },
      },
      // After the body's media type is checked, like every other write: a
      // cross-site form is refused as such (415) whatever it claims to be.
      preHandler: async (request, reply) => {
        await options.requireCheckKey(request, reply);
        const count = request.body.accounts.length;
        if (count > maxAccountsPerCall) {
          throw new AppError('too_many_accounts', { params: { max: maxAccountsPerCall } });
        }
        await options.countAccounts?.(request, reply, count);
      },
    },
    async (request, reply) => {
      const entries = request.body.accounts.map(readEntry);
      const accounts = entries.filter((entry): entry is AccountRef => !(entry instanceof AppError));
      const answers = accounts.length > 0 ? await options.checks.checkMany(accounts) : [];
      sendJson(reply, bulkAnswer(request.lang, entries, answers));
    },
  );
  return Promise.resolve();
};
