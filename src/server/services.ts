// Every service of cekrek, made from the infrastructure in one factory. The
// services know nothing of HTTP: the server hands each feature's routes the
// services they use, the command line and the job worker use them directly.
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import type { Limiters } from './limiters.ts';
import { AuditService } from '../audit/audit.service.ts';
import { CheckService } from '../accounts/check.service.ts';
import { ChallengeService } from '../challenge/challenge.service.ts';
import { FileStore } from '../files/files.service.ts';
import { openBlobStore } from '../files/blob-store.ts';
import { FileAccess } from '../files/files.access.ts';
import { FourEyesRule } from '../operators/four-eyes.ts';
import { OperatorsService } from '../operators/operators.service.ts';
import { OperatorChangesService } from '../operators/operator-changes.service.ts';
import { defaultSessionPolicy, SessionsService } from '../operators/sessions.service.ts';
import { ReportsService } from '../reports/reports.service.ts';
import { RegistrationsService } from '../registrations/registrations.service.ts';
import { SellerSigner, sellerSigningKey } from '../registrations/seller-signature.ts';
import { DashboardService } from '../operators/dashboard.service.ts';
import { TicketsService } from '../tickets/tickets.service.ts';
import { NormalizationsService } from '../normalizations/normalizations.service.ts';
import { PartnersService } from '../partners/partners.service.ts';
import { PartnerImportsService } from '../reports/partner-imports.service.ts';
import { RangeService, rangeSourceFor } from '../accounts/range.service.ts';
import { WatchesService } from '../watches/watches.service.ts';
import { WebhooksService } from '../webhooks/webhooks.service.ts';
import { StatisticsService } from '../statistics/statistics.service.ts';
import { CheckCounts } from '../statistics/check-counts.ts';

export interface Services {
  readonly checks: CheckService;
  readonly audit: AuditService;
  readonly files: FileStore;
  readonly fileAccess: FileAccess;
  readonly challenges: ChallengeService;
  readonly operators: OperatorsService;
  readonly operatorChanges: OperatorChangesService;
  readonly sessions: SessionsService;
  readonly dashboard: DashboardService;
  readonly tickets: TicketsService;
  readonly reports: ReportsService;
  readonly registrations: RegistrationsService;
  readonly normalizations: NormalizationsService;
  readonly partners: PartnersService;
  readonly ranges: RangeService;
  readonly partnerImports: PartnerImportsService;
  readonly watches: WatchesService;
  readonly webhooks: WebhooksService;
  readonly statistics: StatisticsService;
  /** Distinct clients per account (the check's "checked by" and the early warning). */
  readonly checkCounts: CheckCounts;
}

export interface Infrastructure {
  readonly config: Config;
  readonly database: Database;
  readonly clock: Clock;
  readonly box: SecretBox;
  readonly limiters: Limiters;
  readonly checks: CheckService;
  /** Wakes the job worker when a service queued work (the worker starts after the services). */
  readonly wakeJobs: () => void;
  /** Wakes the webhook delivery worker (a ping, a retry queued). */
  readonly wakeWebhooks?: () => void;
}

export function createServices(infra: Infrastructure): Services {
  const { config, database, clock, box, limiters, checks, wakeJobs } = infra;
  const audit = new AuditService(database, clock, box);
  const files = new FileStore(
    {
      database,
      box,
      clock,
      dataDir: config.dataDir,
      blobs: openBlobStore(config.fileStore, config.dataDir),
    },
    { maxFileBytes: config.uploadMaxFileBytes },
  );
  const challenges = new ChallengeService({ enabled: config.challenge, box, clock });
  const publicBaseUrl = config.publicBaseUrl ?? `http://localhost:${config.port}`;
  const claimMs = config.reviewClaimMinutes * 60_000;
  const fourEyes = new FourEyesRule(config.fourEyesIndependenceDays, clock);
  const operators = new OperatorsService(database, audit, clock, config.operatorChangeApproval);
  const submissions = { database, clock, box, files, audit, checks, challenges, publicBaseUrl };
  const ranges = new RangeService(rangeSourceFor(database), {
    key: box.key('range-padding'),
    memoryFirst: true,
  });
  checks.alsoTell(ranges);
  const checkCounts = new CheckCounts({
    database,
    clock,
    enabled: config.checkCounting.enabled,
    flushMs: config.checkCounting.flushMs,
    onError: (error) =>
      process.stderr.write(
        `${JSON.stringify({ level: 40, msg: 'check counts not saved yet; retrying', err: error instanceof Error ? error.message : String(error) })}\n`,
      ),
  });
  checks.countWith(checkCounts);
  return {
    checks,
    audit,
    files,
    fileAccess: new FileAccess(files, audit),
    challenges,
    operators,
    operatorChanges: new OperatorChangesService({
      database,
      audit,
      clock,
      operators,
      fourEyes,
      needApproval: config.operatorChangeApproval,
    }),
    sessions: new SessionsService(
      { database, audit, clock, box },
      {
        ...defaultSessionPolicy,
        idleMs: config.session.idleMinutes * 60_000,
        absoluteMs: config.session.maxHours * 3_600_000,
      },
    ),
    dashboard: new DashboardService(
      {
        database,
        clock,
        ...(config.checkCounting.enabled
          ? {
              earlyWarnings: () =>
                checkCounts.earlyWarnings(config.checkCounting.earlyWarningMinClients),
            }
          : {}),
      },
      {
        decisionDays: config.normalizationDecisionDays,
        independenceDays: config.fourEyesIndependenceDays,
      },
    ),
    tickets: new TicketsService({ database, box, clock, audit, publicBaseUrl, wakeJobs }),
    reports: new ReportsService({
      ...submissions,
      reporterLimiter: limiters.reporter,
      claimMs,
      wakeJobs,
    }),
    registrations: new RegistrationsService({
      ...submissions,
      signer: new SellerSigner(sellerSigningKey(config.sellerSigningKey, box)),
      nameCheckLimiter: limiters.nameCheck,
      claimMs,
      retentionDays: config.registrationRetentionDays,
      wakeJobs,
    }),
    normalizations: new NormalizationsService({
      ...submissions,
      decisionDays: config.normalizationDecisionDays,
      reporterAnswerDays: config.reporterAnswerDays,
      fourEyes,
      wakeJobs,
    }),
    partners: new PartnersService({
      database,
      audit,
      clock,
      hashingKey: box.key('partner-key'),
      keyLimits: { minute: limiters.keyMinute, day: limiters.keyDay },
    }),
    ranges,
    partnerImports: new PartnerImportsService({
      database,
      clock,
      box,
      wakeJobs,
      changed: (keys) => checks.changed(keys),
    }),
    watches: new WatchesService({ database, clock }),
    webhooks: new WebhooksService({
      database,
      audit,
      clock,
      box,
      urlPolicy: { allowPrivate: config.webhookAllowPrivate },
      wakeDeliveries: () => infra.wakeWebhooks?.(),
    }),
    statistics: new StatisticsService({ database, clock }),
    checkCounts,
  };
}
