// What the benches share: the paths the load cycles through, the load
// generator run in a process of its own, a cekrek server started as the
// benches start it, and their tables of figures.
import type { ChildProcess } from 'node:child_process';
import { absentAccounts, seededRandom, type AccountSample } from './generate.ts';
import { freePort, runNode, startNode } from './children.ts';
import type { LoadOptions, LoadResult } from './load.ts';

export function pathOf(account: AccountSample): string {
  return `/api/v1/accounts/${account.provider}/${account.number}`;
}

/** `count` check paths: 90% absent and 10% imported accounts, randomly mixed. */
export function loadPaths(present: readonly AccountSample[], count = 10_000): string[] {
  const random = seededRandom(3);
  return absentAccounts(count, 4).map((account) =>
    pathOf(random() < 0.1 ? present[Math.floor(random() * present.length)]! : account),
  );
}

/** Runs the load generator (bench/load.ts) on `cpu` and answers what it measured. */
export async function runLoad(options: LoadOptions, cpu: number): Promise<LoadResult> {
  const run = await runNode(
    ['bin/run-ts.js', 'bench/load.ts', JSON.stringify(options)],
    {},
    { cpu },
  );
  if (run.code !== 0) throw new Error(`load generator failed: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as LoadResult;
}

/**
 * `cekrek serve` on a free port of loopback, on `cpu`, with what every bench
 * turns off (the client's rate limit, the proof of work, the demo data, the
 * per-request log) and `env` on top.
 */
export async function startServer(
  env: Record<string, string>,
  cpu: number,
): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const child = startNode(
    ['bin/cekrek.js', 'serve'],
    {
      HOST: '127.0.0.1',
      PORT: String(port),
      CHECK_RATE_LIMIT: '0',
      CEKREK_CHALLENGE: 'off',
      CEKREK_DEMO: 'off',
      LOG_LEVEL: 'warn',
      ...env,
    },
    { cpu },
  );
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Columns padded to their widest cell, under a line of dashes. */
export function textTable(head: readonly string[], body: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
