// `npm run bench:scale`: cekrek at ten million reported accounts, on the
// embedded SQLite database and on PostgreSQL. For each: the import's rows per
// second, the database's bytes per listed account, the time from starting the
// server to its first answers (/healthz, /readyz) and to a warm check filter,
// its resident memory after start and at its peak under load, and the
// check's throughput against bare node:http answering a body of the same
// size (the ratio, in alternating rounds of the same run) with its p99. The
// load ends with a pass that fills every cache the server has (checks of
// more listed accounts than the check keeps answers, range lookups of more
// buckets than it keeps), so that the peak is the worst case, not a warm one.
//
//   BENCH_SCALE_ROWS (10000000): rows imported; BENCH_SCALE_DATABASES
//   (sqlite,postgres): which to measure; BENCH_SECONDS (12), BENCH_ROUNDS (3)
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateImportCsv, type AccountSample } from './generate.ts';
import { freePort, runNode, startNode, stop, stopAll, waitForOk } from './children.ts';
import { loadPaths, pathOf, runLoad, startServer, textTable } from './common.ts';
import type { LoadResult } from './load.ts';
import { combine, median } from './rounds.ts';
import { postgresTarget, settle, sqliteTarget, type Target } from './targets.ts';

const rows = Number(process.env.BENCH_SCALE_ROWS ?? 10_000_000);
const databases = (process.env.BENCH_SCALE_DATABASES ?? 'sqlite,postgres').split(',');
const seconds = Number(process.env.BENCH_SECONDS ?? 12);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const roundSeconds = Math.max(2, Math.round(seconds / rounds));
const serverCpu = 0;
const loadCpu = 1;
const connections = 50;

interface ScaleResult {
  readonly name: string;
  readonly accounts: number;
  readonly importRowsPerSecond: number;
  readonly bytesPerAccount: number;
  readonly healthzMs: number;
  readonly readyzMs: number;
  readonly warmMs: number;
  readonly rssAfterStartMb: number;
  readonly rssAfterLoadMb: number;
  /** The most resident memory seen, sampled every 100 ms from start to the end of the load. */
  readonly rssPeakMb: number;
  readonly bare: LoadResult;
  readonly check: LoadResult;
  readonly ratio: number;
}

/** Listed accounts checked and buckets asked for by the pass that fills the caches. */
const fillChecks = 40_000;
const fillRanges = 20_000;
const fillSeconds = 10;

function load(url: string, pathsFile: string, seconds = roundSeconds): Promise<LoadResult> {
  return runLoad({ url, pathsFile, connections, seconds, warmupSeconds: 1 }, loadCpu);
}

/** Samples a process's resident memory every 100 ms; `stop` answers the most it saw. */
function peakSampler(pid: number | undefined): { stop(): number } {
  let peak = residentMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, residentMb(pid));
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, residentMb(pid));
    },
  };
}

/** Paths that fill the check's cache (listed accounts) and the range lookup's (distinct buckets). */
function fillingPaths(present: readonly AccountSample[]): string[] {
  const checks = present.slice(0, fillChecks).map(pathOf);
  const ranges = Array.from(
    { length: fillRanges },
    (_, i) =>
      `/api/v1/range/${(Math.imul(i + 1, 2654435761) >>> 12).toString(16).toUpperCase().padStart(5, '0')}`,
  );
  return checks.flatMap((path, i) => (i < ranges.length ? [path, ranges[i]!] : [path]));
}

/** Resident memory of a process in MB, from /proc (0 where there is none). */
function residentMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function bytesUnder(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += bytesUnder(full);
    else total += statSync(full).size;
  }
  return total;
}

async function databaseBytes(target: Target): Promise<number> {
  const url = target.env.DATABASE_URL;
  if (!url) return bytesUnder(target.env.DATA_DIR!);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ size: string }>(
      'SELECT pg_database_size(current_database()) AS size',
    );
    return Number(result.rows[0]!.size);
  } finally {
    await client.end();
  }
}

/** Milliseconds from `began` until `ready` holds, polling every 10 ms. */
async function until(began: number, ready: () => Promise<boolean>, timeoutMs: number) {
  while (performance.now() - began < timeoutMs) {
    if (await ready().catch(() => false)) return performance.now() - began;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`not ready after ${timeoutMs} ms`);
}

async function measure(
  target: Target,
  csv: string,
  accounts: number,
  present: readonly AccountSample[],
  work: string,
): Promise<ScaleResult> {
  console.log(`\n== ${target.name}: importing ${rows.toLocaleString('en')} rows`);
  const imported = await runNode(['bin/cekrek.js', 'import', csv], target.env);
  if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr.trim()}`);
  console.log(`   ${imported.stdout.trim().split('\n').at(-1)}`);
  await settle(target);
  const bytes = await databaseBytes(target);

  const began = performance.now();
  const { child: server, base } = await startServer(target.env, serverCpu);
  const peak = peakSampler(server.pid);
  const ok = (path: string) => () => fetch(base + path).then((r) => r.ok);
  const healthzMs = await until(began, ok('/healthz'), 120_000);
  const readyzMs = await until(began, ok('/readyz'), 120_000);
  const warmMs = await until(
    began,
    async () => {
      const body = (await (await fetch(`${base}/readyz`)).json()) as { checkFilter?: string };
      return body.checkFilter === 'warm';
    },
    600_000,
  );
  const rssAfterStartMb = residentMb(server.pid);
  console.log(
    `   /healthz ${healthzMs.toFixed(0)} ms, /readyz ${readyzMs.toFixed(0)} ms, ` +
      `filter warm ${(warmMs / 1000).toFixed(1)} s, ${rssAfterStartMb.toFixed(0)} MB resident`,
  );

  const pathsFile = join(work, `paths-${target.name}.json`);
  writeFileSync(pathsFile, JSON.stringify(loadPaths(present)));
  let bodyBytes = 0;
  const sample = loadPaths(present).slice(0, 300);
  for (const path of sample)
    bodyBytes += (await (await fetch(base + path)).arrayBuffer()).byteLength;
  const barePort = await freePort();
  const bare = startNode(
    ['bin/run-ts.js', 'bench/bare-server.ts'],
    { PORT: String(barePort), BODY_BYTES: String(Math.round(bodyBytes / sample.length)) },
    { cpu: serverCpu },
  );
  try {
    await waitForOk(`http://127.0.0.1:${barePort}/`, bare, 30_000);
    const bareRounds: LoadResult[] = [];
    const checkRounds: LoadResult[] = [];
    for (let round = 0; round < rounds; round++) {
      bareRounds.push(await load(`http://127.0.0.1:${barePort}`, pathsFile));
      checkRounds.push(await load(base, pathsFile));
    }
    const ratios = checkRounds.map(
      (c, i) => c.requestsPerSecond / bareRounds[i]!.requestsPerSecond,
    );
    const fillFile = join(work, `fill-${target.name}.json`);
    writeFileSync(fillFile, JSON.stringify(fillingPaths(present)));
    const filled = await load(base, fillFile, fillSeconds);
    console.log(
      `   cache fill: ${Math.min(fillChecks, present.length).toLocaleString('en')} listed accounts ` +
        `and ${fillRanges.toLocaleString('en')} buckets, ${Math.round(filled.requestsPerSecond)} req/s`,
    );
    const rssAfterLoadMb = residentMb(server.pid);
    const rssPeakMb = peak.stop();
    return {
      name: target.name,
      accounts,
      importRowsPerSecond: rows / (imported.ms / 1000),
      bytesPerAccount: bytes / accounts,
      healthzMs,
      readyzMs,
      warmMs,
      rssAfterStartMb,
      rssAfterLoadMb,
      rssPeakMb,
      bare: combine(bareRounds),
      check: combine(checkRounds),
      ratio: median(ratios),
    };
  } finally {
    await stop(bare);
    await stop(server);
  }
}

function table(results: readonly ScaleResult[]): string {
  const head = [
    'database',
    'accounts',
    'import rows/s',
    'bytes/account',
    '/healthz',
    '/readyz',
    'filter warm',
    'RSS start',
    'RSS after load',
    'RSS peak',
    'check req/s',
    'bare req/s',
    'check/bare',
    'check p99',
  ];
  const body = results.map((r) => [
    r.name,
    r.accounts.toLocaleString('en'),
    Math.round(r.importRowsPerSecond).toLocaleString('en'),
    Math.round(r.bytesPerAccount).toLocaleString('en'),
    `${r.healthzMs.toFixed(0)} ms`,
    `${r.readyzMs.toFixed(0)} ms`,
    `${(r.warmMs / 1000).toFixed(1)} s`,
    `${r.rssAfterStartMb.toFixed(0)} MB`,
    `${r.rssAfterLoadMb.toFixed(0)} MB`,
    `${r.rssPeakMb.toFixed(0)} MB`,
    Math.round(r.check.requestsPerSecond).toLocaleString('en'),
    Math.round(r.bare.requestsPerSecond).toLocaleString('en'),
    `${(r.ratio * 100).toFixed(0)}%`,
    `${r.check.p99} ms`,
  ]);
  return textTable(head, body);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cekrek-scale-'));
  const targets: Target[] = [];
  const began = performance.now();
  try {
    const csv = join(work, 'reports.csv');
    // Enough listed accounts sampled to check more of them than the check keeps answers for.
    const generated = await generateImportCsv(csv, rows, { presentSamples: fillChecks });
    console.log(`generated ${rows} rows (${generated.accounts} distinct accounts)`);
    if (databases.includes('sqlite')) targets.push(sqliteTarget(work));
    if (databases.includes('postgres')) {
      const postgres = await postgresTarget(work);
      if (postgres) targets.push(postgres);
    }
    const results: ScaleResult[] = [];
    for (const target of targets) {
      results.push(await measure(target, csv, generated.accounts, generated.present, work));
    }
    console.log(`\n${table(results)}`);
    console.log(
      `\ngoal: /healthz and /readyz within 1 s of start; under 250 MB resident after start ` +
        `and at the peak under load; check >= 70% of bare. Bench took ` +
        `${((performance.now() - began) / 1000).toFixed(0)} s.`,
    );
  } finally {
    await stopAll();
    for (const target of targets) await target.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

process.once('SIGINT', () => {
  void stopAll().then(() => process.exit(130));
});
await main();
