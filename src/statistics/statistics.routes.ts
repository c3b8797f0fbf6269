// GET /api/v1/statistics: the monthly figures, answered from the aggregates
// only (statistics.service.ts), public and cacheable (ETag, 304).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { problemSchema } from '../http/problems.ts';
import { sendJson } from '../http/replies.ts';
import { matchesEtag } from '../accounts/range.routes.ts';
import { categoryCodes } from '../shared/categories.ts';
import { AppError } from '../shared/errors.ts';
import { maxMonths, parsePeriod } from './period.ts';
import { suppressionThreshold, type StatisticsService } from './statistics.service.ts';

export interface StatisticsRoutesOptions {
  readonly statistics: Pick<StatisticsService, 'read' | 'defaultPeriod'>;
}

export const statisticsCacheControl = 'public, max-age=300';

const cell = z.number().int().nullable();

const monthSchema = z.object({
  month: z.string().describe('YYYY-MM (UTC).'),
  reports: z.object({
    submitted: cell.describe('Reports received in the month, whatever their outcome.'),
    verified: cell.describe('Reports verified in the month.'),
    rejected: cell.describe('Reports rejected in the month.'),
  }),
  verifiedByCategory: z.object(
    Object.fromEntries(categoryCodes.map((code) => [code, cell])) as Record<
      (typeof categoryCodes)[number],
      typeof cell
    >,
  ),
  verifiedByProviderKind: z.object({ bank: cell, ewallet: cell }),
  normalizations: z.object({ submitted: cell, granted: cell, denied: cell }),
  registrations: z.object({ submitted: cell, approved: cell }),
  reportedLossIdr: z.object({
    total: cell.describe('Sum of the losses given in the month’s verified reports, in rupiah.'),
    median: cell.describe('Their median, in rupiah.'),
  }),
});

export const statisticsBodySchema = z.object({
  generatedAt: z.string().describe('When the monthly aggregates were last rebuilt.'),
  months: z.array(monthSchema),
  totals: z.object({
    listedAccounts: cell.describe('Accounts listed now with at least one verified report.'),
    verifiedSellers: cell.describe('Accounts of verified sellers now.'),
  }),
});

const description =
  'Monthly figures from verified and decided records only: reports received, verified and ' +
  'rejected, verified reports by category and by provider kind, normalization requests and ' +
  'their outcomes, seller registrations and approvals, and the losses given in verified ' +
  `reports (total and median, in rupiah). A cell that would count fewer than ${suppressionThreshold} ` +
  `records is \`null\`, never the number, and so is a total or median over fewer than ${suppressionThreshold} ` +
  'amounts. Months are UTC. Answered from monthly aggregates rebuilt every few minutes ' +
  '(`generatedAt`); `Cache-Control: public, max-age=300`, `ETag`, `304` on `If-None-Match`. ' +
  `\`from\` and \`to\` default to the last 12 months; a bad month, \`from\` after \`to\` or more than ${maxMonths} ` +
  'months answer `400 validation_failed`. Open data under CC BY 4.0 (see /data-terbuka).';

export const statisticsRoutes: FastifyPluginAsync<StatisticsRoutesOptions> = (
  fastify,
  { statistics },
) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/v1/statistics',
    {
      // parsePeriod is the validation, naming the field at fault; the schema documents.
      validatorCompiler: () => (value: unknown) => ({ value }),
      schema: {
        tags: ['statistics'],
        summary: 'Monthly statistics (verified and decided records only)',
        description,
        querystring: z.object({
          from: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional()
            .describe('First month, YYYY-MM.'),
          to: z
            .string()
            .regex(/^\d{4}-\d{2}$/)
            .optional()
            .describe('Last month, YYYY-MM.'),
        }),
        headers: z.object({
          'if-none-match': z.string().optional().describe('An ETag of an earlier answer.'),
        }),
        response: {
          200: statisticsBodySchema,
          304: z.null().describe('Not modified: the ETag given still holds.'),
          400: problemSchema,
          503: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : '?');
      const parsed = parsePeriod(
        { from: text(query.from), to: text(query.to) },
        statistics.defaultPeriod(),
      );
      if (!parsed.ok) throw new AppError('validation_failed', { errors: parsed.errors });
      const answer = await statistics.read(parsed.period.from, parsed.period.to);
      void reply.header('etag', answer.etag).header('cache-control', statisticsCacheControl);
      if (matchesEtag(request.headers['if-none-match'], answer.etag)) {
        return reply.code(304).send(null);
      }
      return sendJson(reply, answer.json);
    },
  );
  return Promise.resolve();
};
