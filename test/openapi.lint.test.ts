// The OpenAPI document is what partners generate clients from: it passes
// Redocly's recommended rules, and every operation has a readable, stable id
// and declares its security.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from './support/runtime.ts';

const run = promisify(execFile);
const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

interface Operation {
  readonly operationId?: string;
  readonly security?: readonly Record<string, readonly string[]>[];
}
type Document = { paths: Record<string, Partial<Record<string, Operation>>> };

function operationsOf(document: Document): { name: string; operation: Operation }[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const operation = item[method];
      return operation ? [{ name: `${method.toUpperCase()} ${path}`, operation }] : [];
    }),
  );
}

describe('the OpenAPI document', () => {
  let runtime: TestRuntime;
  let document: Document;
  let file: string;

  beforeAll(async () => {
    runtime = await startTestRuntime('sqlite');
    const response = await runtime.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    document = response.json<Document>();
    file = join(mkdtempSync(join(tmpdir(), 'cekrek-openapi-')), 'openapi.json');
    writeFileSync(file, response.body);
  });
  afterAll(() => runtime.close());

  it('passes Redocly’s recommended rules', { timeout: 60_000 }, async () => {
    const { stdout } = await run(
      process.execPath,
      [
        'node_modules/@redocly/cli/bin/cli.js',
        'lint',
        file,
        '--format=json',
        '--config=redocly.yaml',
      ],
      {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        maxBuffer: 32 * 1024 * 1024,
      },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(stdout) as {
      problems: {
        ruleId: string;
        severity: string;
        message: string;
        location: { pointer: string }[];
      }[];
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(errors).toEqual([]);
  });

  it('gives every operation an id and its security', () => {
    const operations = operationsOf(document);
    expect(operations.filter(({ operation }) => !operation.operationId).map((o) => o.name)).toEqual(
      [],
    );
    expect(operations.filter(({ operation }) => !operation.security).map((o) => o.name)).toEqual(
      [],
    );
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
