// The suite in four tiers, from fast to slow, each a Vitest project:
//
//   unit     no database, no server, no browser: src/**/*.test.ts and the few
//            suites in test/ listed below; runs in seconds
//   db       SQLite and PostgreSQL (and Redis), without the HTTP app
//   http     the app or the whole runtime, through inject or a port
//   browser  pages in Chromium (*.browser.test.ts)
//
// A suite in test/ belongs to http unless listed here: a new suite lands in a
// tier that can run anything, and moves to a faster one by name.
// test/tiers.test.ts checks that the lists name real files and that a faster
// tier never reaches for what it is meant to do without.

/** The suites in test/ that need nothing but Node. */
export const unitSuitesInTest: readonly string[] = [
  'test/dialects.test.ts',
  'test/network-guard.test.ts',
  'test/readme.test.ts',
  'test/tiers.test.ts',
];

/** The suites over the databases that never build the app. */
export const databaseSuites: readonly string[] = [
  'test/accounts.repository.test.ts',
  'test/audit.cli.test.ts',
  'test/audit.test.ts',
  'test/backup.cli.test.ts',
  'test/bulk-check.service.test.ts',
  'test/check-counts.test.ts',
  'test/check.warming.test.ts',
  'test/files.migrate.test.ts',
  'test/files.test.ts',
  'test/import.batches.test.ts',
  'test/jobs.test.ts',
  'test/mail.test.ts',
  'test/normalizations.service.test.ts',
  'test/operators.cli.test.ts',
  'test/partner-imports.chunks.test.ts',
  'test/partners.cli.test.ts',
  'test/reports.import.test.ts',
  'test/reports.service.test.ts',
  'test/shared-counts.test.ts',
  'test/tickets.service.test.ts',
  'test/webhooks.delivery.test.ts',
];

export const browserSuites = '{src,test}/**/*.browser.test.{ts,tsx}';

export type TierName = 'unit' | 'db' | 'http' | 'browser';

export interface Tier {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export const tiers: Readonly<Record<TierName, Tier>> = {
  unit: { include: ['src/**/*.test.{ts,tsx}', ...unitSuitesInTest], exclude: [browserSuites] },
  db: { include: databaseSuites, exclude: [] },
  http: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: [browserSuites, ...unitSuitesInTest, ...databaseSuites],
  },
  browser: { include: [browserSuites], exclude: [] },
};
