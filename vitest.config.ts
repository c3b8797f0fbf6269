import { defineConfig } from 'vitest/config';
import { tiers, type TierName } from './test/support/tiers.ts';

/** Decides whether PostgreSQL takes part (and fails the run under CI=true without it). */
const postgresProbe = ['test/support/global-setup.ts'];

function tier(name: TierName, test: Record<string, unknown> = {}) {
  return {
    extends: true as const,
    test: {
      name,
      include: [...tiers[name].include],
      exclude: [...tiers[name].exclude],
      ...test,
    },
  };
}

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Every tier: a connection beyond this machine fails the test that made it.
    setupFiles: ['test/support/network-guard.setup.ts'],
    projects: [
      // Unit suites hold no state between files: threads that keep their modules
      // loaded halve the tier's time, most of which was starting processes.
      tier('unit', { pool: 'threads', isolate: false }),
      tier('db', { globalSetup: postgresProbe }),
      tier('http', { globalSetup: postgresProbe }),
      // A page test drives several pages and runs axe-core on each: on a shared
      // two-core machine one took 20 to 30 s in turn. A hang still fails, later.
      tier('browser', { globalSetup: postgresProbe, testTimeout: 90_000 }),
    ],
  },
});
