// The operators' API for the audit log: entries newest first, filtered and
// paged by sequence number. Reading the log is itself audited.
import type { AuditService } from '../audit/audit.service.ts';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { actorOf } from '../backoffice/auth.ts';
import { AppError } from '../shared/errors.ts';
import { operatorChangeActions } from '../audit/audit.service.ts';
import { rowId, safeString } from '../shared/text-input.ts';
import { problems } from './operators.http.ts';

export interface AuditRoutesOptions {
  readonly audit: AuditService;
}

export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = (fastify, options) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { audit } = options;

  // Built when the plugin runs, not when the module loads: the OpenAPI
  // document lists named schemas in the order they were named.
  const auditEntrySchema = z
    .object({
      seq: z.number().int(),
      at: z.iso.datetime(),
      actor: z.object({ type: z.string(), id: z.number().int().nullable(), label: z.string() }),
      action: z.string(),
      subject: z.object({ type: z.string(), id: z.string() }).nullable(),
      ip: z.string().nullable(),
      outcome: z.string(),
      details: z.record(z.string(), z.unknown()),
      hash: z.string(),
    })
    .meta({ id: 'AuditEntry' });

  app.get(
    '/api/v1/admin/audit',
    {
      config: { permission: 'audit.read' },
      schema: {
        tags: ['operators'],
        summary: 'The audit log, newest first',
        querystring: z.object({
          actor: rowId().optional().describe('Operator id'),
          action: safeString().max(60).optional(),
          operatorChanges: z
            .enum(['true', 'false'])
            .optional()
            .describe('`true`: only changes to operator accounts (created, enabled, reset, roles)'),
          subjectType: safeString().max(40).optional(),
          subjectId: safeString().max(100).optional(),
          from: z.iso.datetime({ offset: true }).optional(),
          to: z.iso.datetime({ offset: true }).optional(),
          before: z.coerce
            .number()
            .int()
            .positive()
            .optional()
            .describe('Entries before this seq (paging)'),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
        response: {
          200: z.object({ entries: z.array(auditEntrySchema), next: z.number().int().nullable() }),
          ...problems,
        },
      },
    },
    async (request) => {
      const q = request.query;
      if (q.from && q.to && new Date(q.from) > new Date(q.to)) {
        throw new AppError('validation_failed', {
          errors: [{ field: 'from', reason: 'audit.range_invalid' }],
        });
      }
      const entries = await audit.list({
        actorId: q.actor,
        action: q.action,
        actions: q.operatorChanges === 'true' ? operatorChangeActions : undefined,
        subjectType: q.subjectType,
        subjectId: q.subjectId,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        before: q.before,
        limit: q.limit,
      });
      await audit.recordAlone({
        actor: actorOf(request),
        action: 'audit.viewed',
        ip: request.ip,
        details: Object.fromEntries(
          Object.entries(q)
            .filter(([, v]) => v !== undefined)
            .map(([k, v]) => [k, String(v)]),
        ),
      });
      return {
        entries: entries.map((e) => ({
          seq: e.seq,
          at: e.at.toISOString(),
          actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
          action: e.action,
          subject: e.subjectType && e.subjectId ? { type: e.subjectType, id: e.subjectId } : null,
          ip: e.ip,
          outcome: e.outcome,
          details: { ...e.details },
          hash: e.hash,
        })),
        next: entries.length === q.limit ? (entries.at(-1)?.seq ?? null) : null,
      };
    },
  );

  return Promise.resolve();
};
