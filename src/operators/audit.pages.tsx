// The audit log as a page: the filter form read from the query, the entries
// newest first, paged by sequence number. Reading the log is itself audited,
// as through the API.
import type { AuditService } from '../audit/audit.service.ts';
import type { OperatorsService } from './operators.service.ts';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorOf } from '../backoffice/auth.ts';
import { rememberLanguage } from '../http/error-pages.tsx';
import type { AuditEntry } from '../audit/audit.service.ts';
import { t } from '../shared/messages.ts';
import { backOfficeContext, sendBackOfficePage } from '../backoffice/layout.tsx';
import { adminPaths } from '../backoffice/paths.ts';
import { readFilter, viewedDetails } from './audit.form.ts';
import { AuditPage } from './audit.views.tsx';

const pageSize = 50;

export interface AuditPagesOptions {
  readonly audit: AuditService;
  readonly operators: OperatorsService;
}

export const auditPages: FastifyPluginAsync<AuditPagesOptions> = (app, options) => {
  const { audit, operators } = options;
  app.addHook('onRequest', rememberLanguage);

  app.get(
    adminPaths.audit,
    { config: { permission: 'audit.read', page: true }, schema: { hide: true } },
    async (request: FastifyRequest, reply) => {
      const ctx = backOfficeContext(request);
      const read = readFilter(ctx, (request.query ?? {}) as Record<string, unknown>);
      const everyone = await operators.list();
      let entries: AuditEntry[] = [];
      if (read.errors.length === 0) {
        entries = await audit.list({ ...read.filter, before: read.before, limit: pageSize });
        await audit.recordAlone({
          actor: actorOf(request),
          action: 'audit.viewed',
          ip: request.ip,
          details: viewedDetails(read),
        });
      }
      return sendBackOfficePage(
        reply,
        ctx,
        { title: t(ctx.lang, 'admin.audit.title'), status: read.errors.length > 0 ? 400 : 200 },
        <AuditPage
          ctx={ctx}
          read={read}
          operators={everyone}
          entries={entries}
          next={entries.length === pageSize ? (entries.at(-1)?.seq ?? null) : null}
        />,
      );
    },
  );

  return Promise.resolve();
};
