// The `cekrek` command. Every subcommand reads the same configuration as the
// server and exits non-zero with a one-line reason on failure.
import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openConfiguredDatabase, serve } from './main.ts';
import { migrateToLatest } from './db/migrate.ts';

function configOrExit(): Config {
  return loadConfig();
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
      const stop = (signal: string) => {
        runtime.app.log.info({ signal }, 'shutting down');
        runtime.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
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

  return program;
}

function reasonOf(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
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
