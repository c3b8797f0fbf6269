// The operators' API for the dashboard: queue counts for everyone who may
// see it, and for admins the recent changes to operator accounts.
import type { DashboardService } from './dashboard.service.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { operatorChangeActions } from '../audit/audit.service.ts';
import { allows } from './policy.ts';
import { problems } from './operators.http.ts';
import { figuresQueues, type AgeBand, type OperatorFigures } from './dashboard.figures.service.ts';
import type { EarlyWarnings } from '../statistics/check-counts.ts';

const operatorChangesSchema = z.object({
  days: z.number().int().describe('The period shown (FOUR_EYES_INDEPENDENCE_DAYS).'),
  since: z.iso.datetime(),
  total: z.number().int().describe('Changes in the period; `recent` has the newest.'),
  pendingApprovals: z.number().int(),
  recent: z.array(
    z.object({
      seq: z.number().int().describe('The audit entry'),
      at: z.iso.datetime(),
      action: z.enum(operatorChangeActions),
      by: z.string(),
      requestedBy: z.string().nullable(),
      operator: z.object({ id: z.number().int(), email: z.string().nullable() }).nullable(),
    }),
  ),
});

const queueSchema = z.object({
  submitted: z.number().int(),
  inReview: z.number().int(),
  overdue: z.number().int(),
});

const figuresSchema = z.object({
  at: z.iso.datetime(),
  queues: z
    .array(
      z.object({
        queue: z.enum(figuresQueues),
        backlog: z.object({
          total: z.number().int().describe('Items not decided yet'),
          bands: z
            .object({
              under1Day: z.number().int(),
              days1To3: z.number().int(),
              days3To7: z.number().int(),
              days7To14: z.number().int(),
              over14Days: z.number().int(),
            } satisfies Record<AgeBand, z.ZodNumber>)
            .describe('Open items by age: under 1 day, 1–3, 3–7, 7–14, over 14 days'),
          oldestSubmittedAt: z.iso.datetime().nullable(),
          oldestAgeSeconds: z.number().int().nullable(),
        }),
        decisionTime: z.object({
          days: z.number().int().describe('The period: the last 30 days'),
          decisions: z.number().int().describe('Decisions operators took in the period'),
          medianSeconds: z
            .number()
            .int()
            .nullable()
            .describe('From filing to decision; null without decisions'),
        }),
      }),
    )
    .describe('The queues the operator works (reviewers: reports, and so on); admins: all'),
  operators: z
    .object({
      weeks: z.array(
        z.object({ week: z.string(), start: z.iso.datetime(), end: z.iso.datetime() }),
      ),
      rows: z.array(
        z.object({
          operator: z.object({ id: z.number().int(), email: z.string().nullable() }),
          queue: z.enum(figuresQueues),
          counts: z.array(z.number().int()).describe('Decisions in each week, oldest first'),
          total: z.number().int(),
        }),
      ),
    })
    .optional()
    .describe('Admins only: decisions per operator and queue in the last 8 ISO weeks (WIB)'),
});

function figuresBody(figures: OperatorFigures) {
  const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
  return {
    at: figures.at.toISOString(),
    queues: figures.queues.map((q) => ({
      queue: q.queue,
      backlog: {
        total: q.backlog.total,
        bands: { ...q.backlog.bands },
        oldestSubmittedAt: q.backlog.oldestAt?.toISOString() ?? null,
        oldestAgeSeconds: seconds(q.backlog.oldestAgeMs),
      },
      decisionTime: {
        days: figures.decisionWindowDays,
        decisions: q.decisionTime.decisions,
        medianSeconds: seconds(q.decisionTime.medianMs),
      },
    })),
    ...(figures.operators
      ? {
          operators: {
            weeks: figures.operators.weeks.map((w) => ({
              week: w.id,
              start: w.start.toISOString(),
              end: w.end.toISOString(),
            })),
            rows: figures.operators.rows.map((r) => ({
              operator: { id: r.operatorId, email: r.email },
              queue: r.queue,
              counts: [...r.counts],
              total: r.total,
            })),
          },
        }
      : {}),
  };
}

const earlyWarningsSchema = z.object({
  counting: z.boolean().describe('False when CHECK_COUNTING is off: nothing is counted.'),
  minClients: z.number().int().describe('EARLY_WARNING_MIN_CLIENTS'),
  accounts: z.array(
    z.object({
      key: z.string().describe('"{provider}:{number}"'),
      provider: z.string(),
      number: z.string(),
      recent: z.number().int().describe('Distinct clients of the last 24 hours (an upper bound)'),
      previous: z.number().int().describe('Distinct clients of the 24 hours before'),
      pendingReports: z.array(
        z.object({
          id: z.number().int(),
          status: z.enum(['submitted', 'in_review']),
          createdAt: z.iso.datetime(),
        }),
      ),
    }),
  ),
});

function earlyWarningsBody(warnings: EarlyWarnings | null) {
  if (!warnings) return { counting: false, minClients: 0, accounts: [] };
  return {
    counting: true,
    minClients: warnings.minClients,
    accounts: warnings.accounts.map((a) => ({
      key: a.key,
      provider: a.provider,
      number: a.number,
      recent: a.recent,
      previous: a.previous,
      pendingReports: a.pendingReports.map((r) => ({
        id: r.id,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
      })),
    })),
  };
}

export interface DashboardRoutesOptions {
  readonly dashboard: DashboardService;
}

export const dashboardRoutes: FastifyPluginAsync<DashboardRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { dashboard } = options;

  app.get(
    '/api/v1/admin/dashboard',
    {
      config: { permission: 'dashboard.view' },
      schema: {
        tags: ['operators'],
        summary: 'Queue counts: submitted, in review and overdue',
        description:
          'Admins also get `operatorChanges`: the recent changes to operator accounts ' +
          '(created, enabled, reset, roles changed), and how many wait for a second admin.',
        response: {
          200: z.object({
            reports: queueSchema,
            registrations: queueSchema,
            normalizations: queueSchema,
            operatorChanges: operatorChangesSchema.optional(),
          }),
          ...problems,
        },
      },
    },
    async (request) => {
      const figures = await dashboard.load();
      if (!allows(request.operatorSession!.operator.roles, 'operators.manage')) return figures;
      const warnings = await dashboard.operatorChangeWarnings();
      return {
        ...figures,
        operatorChanges: {
          days: warnings.days,
          since: warnings.since.toISOString(),
          total: warnings.total,
          pendingApprovals: warnings.pendingApprovals,
          recent: warnings.recent.map((w) => ({
            seq: w.seq,
            at: w.at.toISOString(),
            action: w.action,
            by: w.by,
            requestedBy: w.requestedBy,
            operator: w.operatorId === null ? null : { id: w.operatorId, email: w.operatorEmail },
          })),
        },
      };
    },
  );

  app.get(
    '/api/v1/admin/dashboard/figures',
    {
      config: { permission: 'dashboard.view' },
      schema: {
        tags: ['operators'],
        summary: 'The operators’ figures: backlog by age, time to decision, decisions per operator',
        description:
          'Each queue’s figures go to the roles that work it; admins get every queue, and ' +
          '`operators`: the decisions each operator took per ISO week.',
        response: { 200: figuresSchema, ...problems },
      },
    },
    async (request) =>
      figuresBody(await dashboard.figures(request.operatorSession!.operator.roles)),
  );

  app.get(
    '/api/v1/admin/dashboard/early-warnings',
    {
      config: { permission: 'dashboard.view' },
      schema: {
        tags: ['operators'],
        summary: 'Accounts without a verified report that many distinct clients checked lately',
        description:
          'Accounts without a verified report that at least `EARLY_WARNING_MIN_CLIENTS` ' +
          'distinct clients checked in the last 24 hours, the fastest rising first (against the ' +
          '24 hours before), each with its reports waiting for review. The counts are ' +
          'estimates (upper bounds), a flush interval behind. `counting: false` when ' +
          'CHECK_COUNTING is off.',
        response: { 200: earlyWarningsSchema, ...problems },
      },
    },
    async () => earlyWarningsBody(await dashboard.earlyWarnings()),
  );

  return Promise.resolve();
};
