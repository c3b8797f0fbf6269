// Runs once before the suite: decides whether PostgreSQL takes part.
import { isCi, postgresReachable, postgresAdminUrl } from './postgres.ts';

export default async function setup({
  provide,
}: {
  provide: (key: string, value: unknown) => void;
}) {
  const reachable = await postgresReachable();
  if (!reachable && isCi) {
    throw new Error(`PostgreSQL is required under CI=true but ${postgresAdminUrl} is unreachable`);
  }
  if (!reachable) {
    console.warn(
      `\n⚠ PostgreSQL at ${postgresAdminUrl} is unreachable: the PostgreSQL half of the suite is SKIPPED (counted as skipped in the summary).\n`,
    );
  }
  provide('postgres', reachable);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: boolean;
  }
}
