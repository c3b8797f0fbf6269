// The `cekrek` command. Every subcommand reads the same configuration as the
// server and exits non-zero with a one-line reason on failure.
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openConfiguredDatabase, resolveSecretKey, serve } from './main.ts';
import { migrateToLatest } from './db/migrate.ts';
import { backupDatabase } from './db/backup.ts';
import type { Database } from './db/database.ts';
import { isAppError } from './shared/errors.ts';
import { problemTitle, translateReason } from './shared/messages.ts';
import { systemClock } from './shared/clock.ts';
import { SecretBox } from './shared/secret-box.ts';
import { withPersonalData } from './shared/personal-data.ts';
import { readOutbox } from './mail/mailer.ts';
import { runExport, runImport } from './reports/reports.commands.ts';
import { runFilesMigrate } from './files/files.commands.ts';
import { StatisticsService } from './statistics/statistics.service.ts';
import {
  runAuditCheckpoint,
  runAuditVerify,
  runOperatorCreate,
  runOperatorDisable,
} from './operators/operators.commands.ts';
import {
  runKeyCreate,
  runKeyRevoke,
  runKeyRoll,
  runPartnerCreate,
  runPartnerList,
} from './partners/partners.commands.ts';

function configOrExit(): Config {
  return loadConfig();
}

/**
 * Opens the configured database, brought up to date so a fresh DATA_DIR works
 * too, with the secret box the server uses (personal data, the audit chain).
 */
async function withMigratedDatabase<T>(
  work: (database: Database, box: SecretBox) => Promise<T>,
): Promise<T> {
  const config = configOrExit();
  const database = openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    const box = new SecretBox(resolveSecretKey(config));
    return await work(withPersonalData(database, box), box);
  } finally {
    await database.close();
  }
}

export function buildProgram(): Command {
  const program = new Command()
    .name('cekrek')
    .description('Check and report bank accounts and e-wallet numbers used in fraud.')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the HTTP server (migrates the database first)')
    .action(async () => {
      const config = configOrExit();
      const runtime = await serve(config);
      // Stop accepting, finish the requests in flight and the running job,
      // write the partner usage, close. A second signal ends it at once.
      const stop = (signal: string) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        const log = runtime.app.log;
        log.info({ signal }, 'shutting down');
        runtime.close().then(
          () => {
            log.info({ signal }, 'shut down');
            process.exit(0);
          },
          (error: unknown) => {
            log.error(
              { err: error instanceof Error ? error.message : String(error) },
              'shutdown failed',
            );
            process.exit(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const database = openConfiguredDatabase(configOrExit());
      try {
        const { applied } = await migrateToLatest(database.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await database.close();
      }
    });

  program
    .command('import')
    .description(
      'load reported accounts from a CSV file as verified reports (format in the README)',
    )
    .argument('<file>', 'CSV: source_id,provider,number,category,reported_at[,holder_name]')
    .option('--skip-invalid', 'load the valid rows of a file that has invalid ones', false)
    .action(async (file: string, options: { skipInvalid: boolean }) => {
      await withMigratedDatabase(async (database, box) => {
        await runImport(database, file, {
          skipInvalid: options.skipInvalid,
          clock: systemClock,
          box,
        });
        // The public figures follow at once, computed here rather than by a
        // server: a month with a million new reports takes seconds to count,
        // and on SQLite a server's reads hold its event loop.
        await new StatisticsService({ database, clock: systemClock }).rebuild();
      });
    });

  program
    .command('export')
    .description('write every verified report as CSV in the import format')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .action(async (options: { output?: string }) => {
      await withMigratedDatabase((database) => runExport(database, options.output));
    });

  program
    .command('backup')
    .description('write a consistent copy of the embedded database, while the server runs')
    .argument('<file>', 'the copy to write (must not exist)')
    .action(async (file: string) => {
      const config = configOrExit();
      const database = openConfiguredDatabase(config);
      try {
        const copy = await backupDatabase(database, file);
        const megabytes = (copy.bytes / (1024 * 1024)).toFixed(1);
        console.log(`backup written to ${copy.file} (${copy.pages} pages, ${megabytes} MB)`);
        console.log(
          'the secret key is not in it: keep CEKREK_SECRET_KEY (or DATA_DIR/secret.key) safe and apart; without it the sealed data cannot be read',
        );
      } finally {
        await database.close();
      }
    });

  const files = program.command('files').description('the stored files (uploads)');
  files
    .command('migrate')
    .description(
      'move the stored files from DATA_DIR/files to the S3 store of FILE_STORE_URL (--to s3) or back (--to disk); resumable',
    )
    .requiredOption('--to <store>', 's3 or disk')
    .option('--limit <n>', 'move at most this many files (run again for the rest)')
    .action(async (options: { to: string; limit?: string }) => {
      await runFilesMigrate(configOrExit(), options);
    });

  const operator = program.command('operator').description('manage back-office operators');
  operator
    .command('create')
    .description('create an operator (prints a one-time password unless --password is given)')
    .requiredOption('--email <email>', "the operator's e-mail address (their sign-in name)")
    .requiredOption(
      '--role <role>',
      'admin, reviewer, registrar or mediator (repeat for several)',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--password <password>', 'use this password as given (for automation)')
    .action(async (options: { email: string; role: string[]; password?: string }) => {
      await withMigratedDatabase((database, box) =>
        runOperatorCreate(database, systemClock, box, {
          email: options.email,
          roles: options.role,
          password: options.password,
        }),
      );
    });
  operator
    .command('disable')
    .description('disable an operator and end their sessions')
    .argument('<email>', "the operator's e-mail address")
    .action(async (email: string) => {
      await withMigratedDatabase((database, box) =>
        runOperatorDisable(database, systemClock, box, email),
      );
    });

  program
    .command('outbox')
    .description('print the mails written to DATA_DIR/outbox (without SMTP_URL), decrypted')
    .action(() => {
      const config = configOrExit();
      const key = new SecretBox(resolveSecretKey(config)).key('mail');
      for (const message of readOutbox(join(config.dataDir, 'outbox'), key)) {
        console.log(`==> ${message.file}\n${message.raw}`);
      }
    });

  const audit = program.command('audit').description('the audit log');
  audit
    .command('verify')
    .description(
      'check the keyed hash chain and its checkpoints; names the first entry edited, deleted, reordered or cut off',
    )
    .option(
      '--head <checkpoint>',
      'a head written down elsewhere: a printed checkpoint (JSON) or seq:hash; fails if the log no longer holds it',
    )
    .action(async (options: { head?: string }) => {
      await withMigratedDatabase((database, box) =>
        runAuditVerify(database, systemClock, box, options.head),
      );
    });
  audit
    .command('checkpoint')
    .description('verify the chain, then sign, store and print its head (keep the line elsewhere)')
    .option('--public-key', 'print the public key that checks the signatures instead', false)
    .action(async (options: { publicKey: boolean }) => {
      await withMigratedDatabase((database, box) =>
        runAuditCheckpoint(database, systemClock, box, options),
      );
    });

  addPartnerCommands(program);
  return program;
}

const repeatable = (value: string, previous: string[]) => [...previous, value];

function addPartnerCommands(program: Command): void {
  const partner = program.command('partner').description('manage partners and their API keys');
  partner
    .command('create')
    .description('add a partner (a bank, e-wallet, marketplace, police tool or other)')
    .requiredOption('--name <name>', "the organisation's name")
    .requiredOption('--kind <kind>', 'bank, ewallet, marketplace, police or other')
    .requiredOption('--email <email>', 'the technical contact')
    .option('--per-minute <n>', 'requests per minute, per key')
    .option('--per-day <n>', 'accounts checked per day, per key')
    .option('--provider <code>', 'a provider code the partner holds (repeat)', repeatable, [])
    .action(
      async (options: {
        name: string;
        kind: string;
        email: string;
        perMinute?: string;
        perDay?: string;
        provider: string[];
      }) => {
        await withMigratedDatabase((database, box) =>
          runPartnerCreate(database, systemClock, box, options),
        );
      },
    );
  partner
    .command('list')
    .description('list partners with their kind, limits and provider codes')
    .action(async () => {
      await withMigratedDatabase((database, box) => runPartnerList(database, systemClock, box));
    });

  const key = partner.command('key').description("a partner's API keys");
  key
    .command('create')
    .description('issue a key (printed once)')
    .requiredOption('--partner <id>', "the partner's id")
    .requiredOption('--scope <scope>', 'check, reports, import or watch (repeat)', repeatable, [])
    .option('--label <label>', 'what the key is for', 'cli')
    .option('--expires <time>', 'when the key stops working (RFC 3339)')
    .action(
      async (options: { partner: string; scope: string[]; label: string; expires?: string }) => {
        await withMigratedDatabase((database, box) =>
          runKeyCreate(database, systemClock, box, options),
        );
      },
    );
  key
    .command('roll')
    .description('replace a key with a new one (printed once); the old one works a while longer')
    .requiredOption('--partner <id>', "the partner's id")
    .requiredOption('--key <id>', "the key's id")
    .option('--expire-old-in <seconds>', 'how long the old key keeps working (default 86400)')
    .action(async (options: { partner: string; key: string; expireOldIn?: string }) => {
      await withMigratedDatabase((database, box) =>
        runKeyRoll(database, systemClock, box, options),
      );
    });
  key
    .command('revoke')
    .description('revoke a key: it fails at once on every server process')
    .requiredOption('--partner <id>', "the partner's id")
    .requiredOption('--key <id>', "the key's id")
    .action(async (options: { partner: string; key: string }) => {
      await withMigratedDatabase((database, box) =>
        runKeyRevoke(database, systemClock, box, options),
      );
    });
}

function reasonOf(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (isAppError(error)) {
    const fields = error.errors.map((e) => `${e.field}: ${translateReason('en', e.reason)}`);
    return `${problemTitle('en', error.code)}${fields.length ? ` (${fields.join('; ')})` : ''}`;
  }
  if (error instanceof Error) return error.message.split('\n')[0] ?? 'failed';
  return String(error);
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode;
      return;
    }
    console.error(`cekrek: ${reasonOf(error)}`);
    process.exitCode = 1;
  }
}
