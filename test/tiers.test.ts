// The tiers of the suite (test/support/tiers.ts) keep their promise: the
// lists name files that exist, a unit suite reaches for no database, server
// or browser, and a database suite builds no app.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseSuites, unitSuitesInTest } from './support/tiers.ts';

const root = new URL('..', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return /\.test\.tsx?$/.test(entry.name) ? [relative(root, path)] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(join(root, file), 'utf8');
  return [...source.matchAll(/^import[^;]*? from '([^']+)';/gms)].map((m) => m[1]!);
}

/** What a suite may not import in a tier; a name matches the end of an import path. */
const heavy = {
  database: [
    '/support/databases.ts',
    '/support/postgres.ts',
    '/support/redis.ts',
    '/support/cli.ts',
  ],
  app: ['/support/runtime.ts', '/main.ts', '/http/app.ts'],
  browser: ['/support/browser.ts', 'playwright-core'],
};

function offendersIn(files: readonly string[], forbidden: readonly string[]): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((path) => forbidden.some((name) => path.endsWith(name)))
      .map((path) => `${file} imports ${path}`),
  );
}

describe('the tiers of the suite', () => {
  it('list files that exist', () => {
    const missing = [...unitSuitesInTest, ...databaseSuites].filter(
      (file) => !existsSync(join(root, file)),
    );
    expect(missing).toEqual([]);
  });

  it('keep the unit tier free of databases, servers and browsers', () => {
    const unit = [...testFiles(join(root, 'src')), ...unitSuitesInTest].filter(
      (file) => !file.endsWith('.browser.test.ts'),
    );
    expect(unit.length).toBeGreaterThan(20);
    expect(offendersIn(unit, [...heavy.database, ...heavy.app, ...heavy.browser])).toEqual([]);
  });

  it('keep the database tier from building the app', () => {
    expect(offendersIn(databaseSuites, [...heavy.app, ...heavy.browser])).toEqual([]);
  });

  it('find what a suite imports', () => {
    expect(importsOf('test/tiers.test.ts')).toContain('./support/tiers.ts');
    expect(offendersIn(['test/pages.browser.test.ts'], heavy.browser)).toContain(
      'test/pages.browser.test.ts imports ./support/browser.ts',
    );
  });
});
