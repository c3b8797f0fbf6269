// A whole cekrek runtime (database, services, Fastify) for HTTP and page tests.
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { join } from 'node:path';
import { createRuntime, resolveSecretKey, type Runtime } from '../../src/main.ts';
import { readOutbox } from '../../src/mail/mailer.ts';
import { SecretBox } from '../../src/shared/secret-box.ts';
import { sensitiveHeaders } from '../../src/server/app.ts';
import type { Clock } from '../../src/shared/clock.ts';
import type { DialectName } from '../../src/db/database.ts';
import { createTestDatabase, type TestDatabase } from './databases.ts';

export interface TestRuntime extends Runtime {
  readonly testDatabase: TestDatabase;
  /** Every log line the app wrote, as parsed JSON. */
  readonly logs: Record<string, unknown>[];
  /** The messages in DATA_DIR/outbox, decrypted, oldest first. */
  outbox(): string[];
  close(): Promise<void>;
}

export async function startTestRuntime(
  dialect: DialectName,
  options: {
    env?: Record<string, string>;
    clock?: Clock;
    /** Serve this database (which its creator closes) instead of a fresh one. */
    database?: TestDatabase;
  } = {},
): Promise<TestRuntime> {
  const testDatabase = options.database ?? (await createTestDatabase(dialect, { migrate: false }));
  const config = loadConfig({
    CEKREK_DEMO: 'off',
    CEKREK_CHALLENGE: 'off',
    CHECK_RATE_LIMIT: '0',
    REPORT_RATE_LIMIT: '0',
    REPORTER_RATE_LIMIT: '0',
    LOG_LEVEL: 'info',
    ...testDatabase.env,
    ...options.env,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = pino({ level: 'info', redact: sensitiveHeaders }, sink);
  const runtime = await createRuntime(config, { logger, clock: options.clock });
  // The server answers through the index while its filter builds; tests start warm.
  await runtime.checks.startWarming();
  return {
    ...runtime,
    testDatabase,
    logs,
    outbox: () =>
      readOutbox(
        join(config.dataDir, 'outbox'),
        new SecretBox(resolveSecretKey(config)).key('mail'),
      ).map((m) => m.raw),
    async close() {
      await runtime.close();
      if (!options.database) await testDatabase.close();
    },
  };
}
