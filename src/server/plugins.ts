// Every feature's routes and pages, in the order they are registered, each
// with exactly what it is given. This file and main.ts are the only ones that
// know every feature: a new feature adds its plugins here.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Services } from './services.ts';
import type { Limiters } from './limiters.ts';
import type { Clock } from '../shared/clock.ts';
import type { SubmissionGate } from '../http/submission-gate.ts';
import type { ReviewDays } from '../tickets/tickets.service.ts';
import { healthRoutes } from './health.routes.ts';
import { operatorsRoutes } from '../operators/operators.routes.ts';
import { backOfficePages } from '../operators/operators.pages.tsx';
import { filesRoutes } from '../files/files.routes.ts';
import { reportsRoutes } from '../reports/reports.routes.ts';
import { ticketPages } from '../tickets/tickets.pages.tsx';
import { ticketsRoutes } from '../tickets/tickets.routes.ts';
import { reviewPages } from '../reports/review.pages.tsx';
import { reportPages } from '../reports/reports.pages.tsx';
import { registrationsRoutes } from '../registrations/registrations.routes.ts';
import { registrarPages } from '../registrations/registrar.pages.tsx';
import { registrationPages } from '../registrations/registrations.pages.tsx';
import { sellerPages } from '../registrations/seller.pages.tsx';
import { normalizationsRoutes } from '../normalizations/normalizations.routes.ts';
import { mediationRoutes } from '../normalizations/mediation.routes.ts';
import { mediationPages } from '../normalizations/mediation.pages.tsx';
import { normalizationPages } from '../normalizations/normalizations.pages.tsx';
import { accountsRoutes } from '../accounts/accounts.routes.ts';
import { accountPages } from '../accounts/accounts.pages.tsx';
import { sitePages } from '../site/site.pages.tsx';
import { ticketSearchRoutes } from '../operators/ticket-search.routes.ts';
import { ticketSearchPages } from '../operators/ticket-search.pages.tsx';
import { partnerSelfRoutes, partnersAdminRoutes } from '../partners/partners.routes.ts';
import { partnerPages } from '../partners/partners.pages.tsx';
import { rangeRoutes } from '../accounts/range.routes.ts';
import { bulkCheckRoutes } from '../accounts/bulk-check.routes.ts';
import {
  chargeChecks,
  keyPrincipalOf,
  requireCheckKey,
  requireKey,
} from '../partners/partners.http.ts';
import { partnerImportsRoutes } from '../reports/partner-imports.routes.ts';
import { watchesRoutes } from '../watches/watches.routes.ts';
import { webhooksRoutes } from '../webhooks/webhooks.routes.ts';
import { statisticsRoutes } from '../statistics/statistics.routes.ts';
import { statisticsPages } from '../statistics/statistics.pages.tsx';

export interface FeatureDeps {
  readonly config: Config;
  readonly database: Database;
  readonly services: Services;
  readonly limiters: Limiters;
  readonly gate: SubmissionGate;
  readonly clock: Clock;
}

export async function registerFeatures(app: FastifyInstance, deps: FeatureDeps): Promise<void> {
  const { config, database, services: s, limiters, gate, clock } = deps;
  const maxFileBytes = config.uploadMaxFileBytes;
  const reportFiling = {
    reports: s.reports,
    files: s.files,
    clock,
    gate,
    submissionLimiter: limiters.report,
  };
  const registrationFiling = {
    registrations: s.registrations,
    files: s.files,
    gate,
    submissionLimiter: limiters.registration,
  };
  const reviewDays: ReviewDays = {
    report: config.reportReviewDays,
    registration: config.registrationReviewDays,
    normalization: config.normalizationDecisionDays,
  };
  const normalizationFiling = {
    normalizations: s.normalizations,
    files: s.files,
    gate,
    submissionLimiter: limiters.normalization,
  };

  await app.register(healthRoutes, { database, checks: s.checks });
  await app.register(operatorsRoutes, {
    sessions: s.sessions,
    operators: s.operators,
    operatorChanges: s.operatorChanges,
    audit: s.audit,
    dashboard: s.dashboard,
    signInLimiter: limiters.signIn,
  });
  await app.register(backOfficePages, {
    sessions: s.sessions,
    signInLimiter: limiters.signIn,
    operators: s.operators,
    operatorChanges: s.operatorChanges,
    dashboard: s.dashboard,
    audit: s.audit,
  });
  await app.register(reportsRoutes, {
    ...reportFiling,
    challenges: s.challenges,
    partnerFiling: {
      requireReportsKey: requireKey(s.partners, 'reports'),
      partnerOf: (request) => keyPrincipalOf(request).partner,
      countReport: (request) => s.partners.recordUse(keyPrincipalOf(request), { reports: 1 }),
    },
  });
  await app.register(ticketsRoutes, {
    tickets: s.tickets,
    renewalLimiter: limiters.trackingCode,
    reviewDays,
  });
  await app.register(filesRoutes, { fileAccess: s.fileAccess });
  await app.register(registrationsRoutes, { ...registrationFiling, clock });
  await app.register(registrarPages, {
    registrations: s.registrations,
    operators: s.operators,
    clock,
  });
  await app.register(registrationPages, {
    ...registrationFiling,
    maxFileBytes,
    reviewDays: reviewDays.registration,
  });
  await app.register(sellerPages, { registrations: s.registrations });
  await app.register(normalizationsRoutes, normalizationFiling);
  await app.register(mediationRoutes, { normalizations: s.normalizations });
  await app.register(mediationPages, { ...normalizationFiling, maxFileBytes });
  await app.register(normalizationPages, {
    ...normalizationFiling,
    maxFileBytes,
    verifiedReports: async (account) =>
      (await s.checks.check(account)).result.summary.verifiedCount,
  });
  await app.register(reviewPages, {
    reports: s.reports,
    operators: s.operators,
    fileAccess: s.fileAccess,
    clock,
    claimMinutes: config.reviewClaimMinutes,
    partnerNames: async () =>
      (await s.partners.listPartners()).map(({ id, name }) => ({ id, name })),
  });
  await app.register(accountsRoutes, {
    checks: s.checks,
    checkLimiter: limiters.check,
    keyedCheck: requireCheckKey(s.partners),
  });
  await app.register(reportPages, {
    ...reportFiling,
    tickets: s.tickets,
    maxFileBytes,
    reviewDays,
  });
  await app.register(ticketPages, { tickets: s.tickets, renewalLimiter: limiters.trackingCode });
  await app.register(accountPages, { checks: s.checks, checkLimiter: limiters.check });
  await app.register(sitePages, { contact: config.contact });
  await app.register(statisticsRoutes, { statistics: s.statistics });
  await app.register(statisticsPages, { statistics: s.statistics });
  await app.register(ticketSearchRoutes, { tickets: s.tickets });
  await app.register(ticketSearchPages, { tickets: s.tickets });
  await app.register(partnerSelfRoutes, { partners: s.partners });
  await app.register(partnersAdminRoutes, { partners: s.partners });
  await app.register(partnerPages, {
    partners: s.partners,
    watchesOf: (partnerId) => s.watches.summary(partnerId),
    webhooks: s.webhooks,
  });
  await app.register(bulkCheckRoutes, {
    checks: s.checks,
    requireCheckKey: requireKey(s.partners, 'check'),
    countAccounts: (request, reply, accounts) => chargeChecks(s.partners, request, reply, accounts),
  });
  await app.register(rangeRoutes, { ranges: s.ranges, checkLimiter: limiters.check });
  await app.register(partnerImportsRoutes, {
    imports: s.partnerImports,
    requireImportKey: requireKey(s.partners, 'import'),
    senderOf: (request) => {
      const principal = keyPrincipalOf(request);
      return { partnerId: principal.partner.id, keyId: principal.keyId };
    },
    maxBytes: config.importMaxBytes,
  });
  await app.register(watchesRoutes, {
    watches: s.watches,
    requireWatchKey: requireKey(s.partners, 'watch'),
    partnerOf: (request) => keyPrincipalOf(request).partner.id,
  });
  await app.register(webhooksRoutes, {
    webhooks: s.webhooks,
    requireWatchKey: requireKey(s.partners, 'watch'),
    callerOf: (request) => {
      const principal = keyPrincipalOf(request);
      return {
        partnerId: principal.partner.id,
        actor: {
          type: 'system',
          id: null,
          label: `partner ${principal.partner.id} key ${principal.keyId}`,
          ip: request.ip,
        },
      };
    },
  });
}
