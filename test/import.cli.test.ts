// `cekrek import` and `cekrek export` as an operator runs them: a separate
// process on the database a running server uses. The server must show the
// imported accounts without a restart (SQLite: data_version and the change
// log; PostgreSQL: NOTIFY).
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestDatabase,
  dialects,
  describeOn,
  tempDir,
  type TestDatabase,
} from './support/databases.ts';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cekrek(args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/cekrek.js', ...args],
      { env: { ...process.env, ...env, LOG_LEVEL: 'silent' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const header = 'source_id,provider,number,category,reported_at,holder_name';

for (const dialect of dialects) {
  describeOn(dialect)(`cekrek import and export on ${dialect}`, () => {
    let t: TestDatabase;
    let runtime: TestRuntime;
    const dir = tempDir('cekrek-import-');
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      runtime = await startTestRuntime(dialect, { database: t });
    });
    afterAll(async () => {
      await runtime?.close();
      await t?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    async function check(provider: string, number: string) {
      const response = await runtime.app.inject(`/api/v1/accounts/${provider}/${number}`);
      return response.json<{ status: string; reports: { verified: number } }>();
    }

    function file(name: string, ...lines: string[]): string {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    }

    it('refuses a file with a bad row: names the line, loads nothing, exits non-zero', async () => {
      const path = file(
        'bad.csv',
        header,
        'cli-bad-1,014,5550000001,extortion,2026-01-01,',
        'cli-bad-2,014,5550000002,no_such_category,2026-01-01,',
      );
      const run = await cekrek(['import', path], t.env);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('line 3: unknown category "no_such_category"');
      expect(run.stderr.trimEnd().split('\n').at(-1)).toMatch(
        /^cekrek: nothing loaded: 1 invalid rows/,
      );
      expect((await check('014', '5550000001')).status).toBe('clear');
    });

    it('loads a file the running server then shows at once', async () => {
      expect((await check('bca', '5550000003')).status).toBe('clear');
      const path = file(
        'good.csv',
        header,
        'cli-1,bca,555-000-0003,online_shopping_fraud,2026-01-01,Budi',
        'cli-2,014,5550000003,investment_fraud,2026-01-02T03:04:05Z,',
        'cli-3,dana,0812-5550-0004,online_gambling,2026-01-03,',
      );
      const run = await cekrek(['import', path], t.env);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(
        /^read 3 rows: 3 loaded, 0 already present \(skipped duplicates\), 0 invalid, in [\d.]+ s\n$/,
      );
      await expect
        .poll(async () => (await check('014', '5550000003')).reports.verified, { timeout: 5000 })
        .toBe(2);
      expect((await check('dana', '081255500004')).status).toBe('reported');

      const again = await cekrek(['import', path], t.env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('0 loaded, 3 already present');
    });

    it('loads the valid rows with --skip-invalid', async () => {
      const path = file(
        'mixed.csv',
        header,
        'cli-4,014,5550000005,extortion,2026-01-01,',
        'cli-5,014,55500000x6,extortion,2026-01-01,',
      );
      const run = await cekrek(['import', path, '--skip-invalid'], t.env);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain('line 3: invalid account number (not_digits)');
      expect(run.stdout).toContain('1 loaded, 0 already present (skipped duplicates), 1 invalid');
      await expect
        .poll(async () => (await check('014', '5550000005')).status, { timeout: 5000 })
        .toBe('reported');
    });

    it('exports what it imported, to standard output or a file', async () => {
      const run = await cekrek(['export'], t.env);
      expect(run.code).toBe(0);
      const lines = run.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(header);
      expect(lines).toContain(
        'cli-1,014,5550000003,online_shopping_fraud,2026-01-01T00:00:00Z,Budi',
      );
      expect(lines).toHaveLength(5);

      const output = join(dir, 'export.csv');
      expect((await cekrek(['export', '--output', output], t.env)).code).toBe(0);
      const copy = await createTestDatabase(dialect, { migrate: false });
      try {
        const loaded = await cekrek(['import', output], copy.env);
        expect(loaded.stdout).toContain('read 4 rows: 4 loaded');
      } finally {
        await copy.close();
      }
    });

    it('exits non-zero with a one-line reason for a missing file', async () => {
      const run = await cekrek(['import', join(dir, 'missing.csv')], t.env);
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/^cekrek: ENOENT: no such file or directory/);
      expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
}
