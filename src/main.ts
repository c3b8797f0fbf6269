// Composition root: configuration → database → services → HTTP.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { CheckService } from './accounts/check.service.ts';
import { checkSourceFor } from './accounts/check.source.ts';
import { changeFeedFor, everyListener, type ChangeFeed } from './accounts/change-feed.ts';
import { keyFeedFor, type KeyFeed } from './partners/key-feed.ts';
import { serializeCheck } from './accounts/check.schema.ts';
import { buildApp, type ServerDeps } from './server/app.ts';
import { systemClock, type Clock } from './shared/clock.ts';
import { seedDemoData } from './accounts/demo.ts';
import { warmTickQueue } from './shared/warm-ticks.ts';
import { SecretBox } from './shared/secret-box.ts';
import { sealPersonal, withPersonalData } from './shared/personal-data.ts';
import { sealClearPersonalData } from './seal-personal-data.ts';
import { registerAuditJobs } from './audit/audit.jobs.ts';
import { createJobWorker, type JobWorker } from './jobs/jobs.service.ts';
import { createMailer, type Mailer } from './mail/mailer.ts';
import { registerMailJobs } from './mail/mail.jobs.ts';
import { registerFileJobs } from './files/files.jobs.ts';
import { registerPartnerImportJobs } from './reports/partner-imports.jobs.ts';
import { rebuildStatisticsSoon, registerStatisticsJobs } from './statistics/statistics.jobs.ts';
import { registerRegistrationJobs } from './registrations/registrations.jobs.ts';
import { SharedCountStore } from './shared/rate-limiter.ts';
import { createLimiters } from './server/limiters.ts';
import { createServices, type Services } from './server/services.ts';
import { createWebhookWorker, type WebhookWorker } from './webhooks/webhooks.worker.ts';

/**
 * The configured database. `serving` bounds every statement by
 * DATABASE_QUERY_TIMEOUT_MS (the server's requests); the command line's
 * imports and migrations may take longer.
 */
export function openConfiguredDatabase(
  config: Config,
  options: { serving?: boolean } = {},
): Database {
  return openDatabase(
    config.database.kind === 'sqlite'
      ? config.database
      : {
          kind: 'postgres',
          url: config.database.url,
          poolSize: config.database.poolSize,
          connectTimeoutMs: config.database.connectTimeoutMs,
          ...(options.serving ? { queryTimeoutMs: config.database.queryTimeoutMs } : {}),
          onIdleError: (error) =>
            process.stderr.write(
              `${JSON.stringify({ level: 40, msg: 'idle database connection lost', err: error.message })}\n`,
            ),
        },
  );
}

/** Migrations run without the server's statement timeout: a new index on a large table takes a while. */
async function migrateServed(config: Config, served: Database): Promise<void> {
  if (served.dialect === 'sqlite') {
    await migrateToLatest(served.db);
    return;
  }
  const unbounded = openConfiguredDatabase(config);
  try {
    await migrateToLatest(unbounded.db);
  } finally {
    await unbounded.close();
  }
}

/**
 * The key for encrypting sensitive data: from CEKREK_SECRET_KEY, or on the
 * embedded default generated once into DATA_DIR (readable by the owner only).
 */
export function resolveSecretKey(config: Config): string {
  if (config.secretKey) return config.secretKey;
  if (config.database.kind === 'postgres') {
    throw new Error('CEKREK_SECRET_KEY must be set when DATABASE_URL is used');
  }
  const file = join(config.dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64url');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

export interface Runtime {
  readonly config: Config;
  readonly app: FastifyInstance;
  readonly database: Database;
  readonly checks: CheckService;
  readonly services: Services;
  /**
   * Starts the work that runs beside the requests: the check filter's build,
   * the job and webhook workers. createRuntime calls it unless told that the
   * caller will, after listening (so that a start answers at once however
   * much that work has to read). Calling it again does nothing.
   */
  startBackground(): Promise<void>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly clock?: Clock;
  readonly logger?: ServerDeps['logger'];
  /** Migrate and seed before serving (true for `serve`). */
  readonly prepare?: boolean;
  /** The caller starts the background work itself (startBackground), once it listens. */
  readonly backgroundLater?: boolean;
}

/** Everything the server needs, started; close() releases it all. */
export async function createRuntime(
  config: Config,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const box = new SecretBox(resolveSecretKey(config));
  // Services read through a handle that opens sealed personal values (shared/personal-data.ts).
  const stored = openConfiguredDatabase(config, { serving: true });
  const database = withPersonalData(stored, box);
  let app: FastifyInstance | undefined;
  let feed: ChangeFeed | undefined;
  let keyFeed: KeyFeed | undefined;
  let usageTimer: NodeJS.Timeout | undefined;
  let sharedCounts: SharedCountStore | undefined;
  let worker: JobWorker | undefined;
  let mailer: Mailer | undefined;
  let webhookWorker: WebhookWorker | undefined;
  try {
    if (options.prepare ?? true) {
      await migrateServed(config, database);
      if (config.demo && database.dialect === 'sqlite') {
        await seedDemoData(database, clock.now(), (value) => sealPersonal(box, value));
      }
      await sealClearPersonalData(stored, box);
    }
    const checks = new CheckService(checkSourceFor(database), {
      serialize: serializeCheck,
      staleAfterMs: config.checkStaleAfterMs,
      // The logger is Fastify's, which exists only once the app does.
      log: {
        info: (obj, msg) => app?.log.info(obj, msg),
        warn: (obj, msg) => app?.log.warn(obj, msg),
      },
    });
    sharedCounts = config.redisUrl ? SharedCountStore.fromUrl(config.redisUrl) : undefined;
    const limiters = createLimiters(config, sharedCounts);
    const services = createServices({
      config,
      database,
      clock,
      box,
      limiters,
      checks,
      wakeJobs: () => worker?.wake(),
      wakeWebhooks: () => webhookWorker?.wake(),
    });
    await services.audit.ensureKeyed();
    app = await buildApp({ config, database, services, limiters, clock, logger: options.logger });
    await sharedCounts?.start(app.log);
    feed = changeFeedFor(database, app.log);
    await feed.start(everyListener(checks, services.ranges));
    // Partner keys are checked in memory; the feed keeps it current on every process.
    keyFeed = keyFeedFor(database, app.log);
    await keyFeed.start(services.partners);
    await services.partners.warm();
    usageTimer = meterPartnerUsage(services, app);
    if (config.challenge === false) {
      app.log.warn('CEKREK_CHALLENGE=off: anonymous submissions need no proof of work');
    }
    mailer = createMailer({
      smtpUrl: config.smtpUrl,
      outboxDir: join(config.dataDir, 'outbox'),
      outboxKey: box.key('mail'),
      from: config.mailFrom,
      logger: app.log,
      clock,
    });
    worker = createJobWorker({ database, clock, logger: app.log });
    registerMailJobs(worker, mailer, box);
    registerFileJobs(worker, services.files, services.audit);
    registerRegistrationJobs(worker, services.registrations);
    registerAuditJobs(worker, services.audit, app.log);
    registerPartnerImportJobs(worker, services.partnerImports);
    registerStatisticsJobs(worker, services.statistics);
    await rebuildStatisticsSoon(database, clock);
    // Webhooks are delivered beside the jobs, by a worker of their own: a slow
    // receiver never holds up mail, and a mail outage never holds up webhooks.
    webhookWorker = createWebhookWorker({
      database,
      clock,
      box,
      audit: services.audit,
      logger: app.log,
      allowPrivate: config.webhookAllowPrivate,
      wakeJobs: () => worker?.wake(),
    });
    const openApp = app;
    const openFeed = feed;
    const openKeyFeed = keyFeed;
    const openUsageTimer = usageTimer;
    const openSharedCounts = sharedCounts;
    const openWorker = worker;
    const openMailer = mailer;
    const openWebhookWorker = webhookWorker;
    let background: Promise<void> | undefined;
    let closing = false;
    const startBackground = () =>
      (background ??= (async () => {
        await warmTickQueue();
        if (closing) return;
        // At ten million accounts the filter takes seconds to read: the check
        // answers through the index meanwhile, and /readyz says when it is warm.
        void checks.startWarming();
        openWorker.start();
        openWebhookWorker.start();
      })());
    if (!options.backgroundLater) await startBackground();
    return {
      config,
      app: openApp,
      database,
      checks,
      services,
      startBackground,
      async close() {
        closing = true;
        // The workers stop claiming while the requests in flight finish: a
        // job begun during the drain would only make the exit wait longer,
        // and the other processes take what is left. The usage counted so
        // far is written at once too, so a process killed before the drain
        // ends loses only what the drain counted; a failed write is kept
        // for the last one.
        await Promise.all([
          openApp.close(),
          openWebhookWorker.stop(),
          openWorker.stop(),
          services.partners.flushUsage().catch(() => undefined),
        ]);
        openMailer.close();
        await services.files.close();
        clearInterval(openUsageTimer);
        await saveLastUsage(services, openApp);
        await services.checkCounts.close().catch((error: unknown) => {
          openApp.log.error(
            { err: error instanceof Error ? error.message : String(error) },
            'check counts since the last flush are lost',
          );
        });
        await openKeyFeed.close();
        await openFeed.close();
        openSharedCounts?.close();
        checks.stop();
        await database.close();
      },
    };
  } catch (error) {
    await webhookWorker?.stop();
    await worker?.stop();
    mailer?.close();
    clearInterval(usageTimer);
    await keyFeed?.close();
    await feed?.close();
    sharedCounts?.close();
    await database.close();
    throw error;
  }
}

const usageFlushMs = 10_000;

/** On the way out: what was counted since the last write, said in the log when it cannot be kept. */
async function saveLastUsage(services: Services, app: FastifyInstance): Promise<void> {
  await services.partners.flushUsage().catch((error: unknown) => {
    app.log.error(
      { err: error instanceof Error ? error.message : String(error) },
      'partner usage counted since the last write is lost',
    );
  });
}

/** Partner usage is counted in memory and added to the database every few seconds. */
function meterPartnerUsage(services: Services, app: FastifyInstance): NodeJS.Timeout {
  const timer = setInterval(() => {
    services.partners.flushUsage().catch((error: unknown) => {
      app.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'partner usage not saved yet; retrying',
      );
    });
  }, usageFlushMs);
  timer.unref();
  return timer;
}

export async function serve(config: Config): Promise<Runtime> {
  const runtime = await createRuntime(config, { backgroundLater: true });
  await runtime.app.listen({ host: config.host, port: config.port });
  await runtime.startBackground();
  return runtime;
}
