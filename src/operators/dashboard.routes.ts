// The operators' API for the dashboard: queue counts for everyone who may
// see it, and for admins the recent changes to operator accounts.
import type { DashboardService } from './dashboard.service.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { operatorChangeActions } from '../audit/audit.service.ts';
import { allows } from './policy.ts';
import { problems } from './operators.http.ts';

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

  return Promise.resolve();
};
