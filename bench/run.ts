// `npm run bench`: for the embedded SQLite database and for PostgreSQL,
// imports a million reported accounts with the real `cekrek import`, starts
// the real server, and measures the check API under load against bare
// node:http answering a body of the same size, then the private range lookup
// the same way (bare node:http answering a text body of a range answer's
// size). Each of server, baseline and load generator runs in its own
// process. The goals: check and range each at least 70% of bare throughput,
// check p99 under 10 ms.
//
//   BENCH_ROWS=100000 BENCH_SECONDS=6 npm run bench     (a quick run)
//   BENCH_ROUNDS (6): bare and check take turns this many times; BENCH_REPORTS (400)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateImportCsv, type AccountSample } from './generate.ts';
import { loadPaths, pathOf, runLoad, startServer, textTable } from './common.ts';
import {
  cpuPinning,
  freePort,
  runNode,
  startNode,
  stop,
  stopAll,
  untilQuiet,
  waitForOk,
} from './children.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { combine, inTurns, median, withCpuOf } from './rounds.ts';
import { measureReports, type ReportsResult } from './reports.ts';
import { rangePaths, sampleRangeAnswers } from './range.ts';
import { measurePartnerApi, partnersTable, type PartnerApiResult } from './partners.ts';
import { measureWebhooks, type WebhooksResult } from './webhooks.ts';
import { measureStatistics, statisticsLine, type StatisticsBenchResult } from './statistics.ts';
import { checkCountingLine, measureCheckCounting } from './check-counting.ts';
import { importSpeedTable, measureImportSpeed } from './import-speed.ts';
import { postgresTarget, settle, sqliteTarget, type Target } from './targets.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 12);
/** Rows of the import measured against its references (bench/import-speed.ts). */
const importSpeedRows = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
/**
 * Bare and check take turns, in rounds, so that a burst of other work on a
 * shared machine falls on both rather than on one of them; the ratio is the
 * median of the rounds' ratios.
 */
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 6));
const roundSeconds = Math.max(2, Math.round(seconds / rounds));
const warmupSeconds = 1;
/** Where there are two CPUs or more, the servers run on one and the load generator on another. */
const serverCpu = 0;
const loadCpu = 1;
const connections = 50;
/** Reports filed for the submission figure. */
const reportCount = Number(process.env.BENCH_REPORTS ?? 400);
/** A server against bare node:http, in alternating rounds. */
interface Compared {
  readonly bare: LoadResult;
  readonly served: LoadResult;
  /** Median over the rounds of served req/s ÷ bare req/s. */
  readonly ratio: number;
  /**
   * Median over the rounds of bare's CPU per request ÷ the server's: the
   * share of bare's capacity the server keeps, whether or not the load
   * generator (on the other CPU) kept either of them busy.
   */
  readonly cpuRatio: number | undefined;
}

interface Measured {
  readonly name: string;
  readonly importMs: number;
  readonly importLine: string;
  readonly reportedShare: number;
  readonly bodyBytes: number;
  readonly bare: LoadResult;
  readonly check: LoadResult;
  /** Median over the rounds of check req/s ÷ bare req/s. */
  readonly ratio: number;
  /** Median over the rounds of bare's CPU per request ÷ the check's. */
  readonly cpuRatio: number | undefined;
  readonly range: Compared & { readonly bodyBytes: number; readonly listedShare: number };
  readonly reports: ReportsResult;
  readonly partners: PartnerApiResult;
  readonly webhooks: WebhooksResult;
  readonly statistics: StatisticsBenchResult;
}

async function importInto(target: Target, csv: string) {
  const run = await runNode(['bin/cekrek.js', 'import', csv], target.env);
  if (run.code !== 0) throw new Error(`import into ${target.name} failed: ${run.stderr.trim()}`);
  await settle(target);
  return { ms: run.ms, line: run.stdout.trim() };
}

/**
 * After a million-row import PostgreSQL's autovacuum and checkpointer would
 * run during the load, on the same two cores: do their work first, as an
 * operator would after a bulk load, so the figures measure cekrek.
 */
/** Answers to a sample of the paths: the share of imported accounts shown as reported, and the mean body size. */
async function sampleAnswers(base: string, present: readonly AccountSample[], paths: string[]) {
  let reported = 0;
  const sample = present.slice(0, 200);
  for (const account of sample) {
    const body = (await (await fetch(base + pathOf(account))).json()) as { status: string };
    if (body.status === 'reported') reported++;
  }
  let bytes = 0;
  const mixed = paths.slice(0, 500);
  for (const path of mixed) bytes += (await (await fetch(base + path)).arrayBuffer()).byteLength;
  return { reportedShare: reported / sample.length, bodyBytes: Math.round(bytes / mixed.length) };
}

async function load(
  url: string,
  pathsFile: string,
  extra: Partial<LoadOptions> = {},
): Promise<LoadResult> {
  const options: LoadOptions = {
    url,
    pathsFile,
    connections,
    seconds: roundSeconds,
    warmupSeconds,
    ...extra,
  };
  return runLoad(options, loadCpu);
}

async function measure(
  target: Target,
  csv: string,
  present: readonly AccountSample[],
  work: string,
): Promise<Measured> {
  console.log(`\n== ${target.name}: importing ${rows} rows`);
  const imported = await importInto(target, csv);
  console.log(`   ${imported.line} (process wall clock ${(imported.ms / 1000).toFixed(1)} s)`);

  const { child: server, base } = await startServer(
    {
      ...target.env,
      REPORT_RATE_LIMIT: '0',
      REPORTER_RATE_LIMIT: '0',
      // The webhook receivers of the bench are on loopback.
      WEBHOOK_ALLOW_PRIVATE: 'on',
    },
    serverCpu,
  );
  await waitForOk(`${base}/readyz`, server, 180_000);
  const paths = loadPaths(present);
  const pathsFile = join(work, `paths-${target.name}.json`);
  writeFileSync(pathsFile, JSON.stringify(paths));
  const answers = await sampleAnswers(base, present, paths);
  console.log(
    `   server ready; ${(answers.reportedShare * 100).toFixed(0)}% of sampled imported accounts ` +
      `answer "reported"; mean body ${answers.bodyBytes} bytes`,
  );

  const barePort = await freePort();
  const bare = startNode(
    ['bin/run-ts.js', 'bench/bare-server.ts'],
    {
      PORT: String(barePort),
      BODY_BYTES: String(answers.bodyBytes),
    },
    { cpu: serverCpu },
  );
  try {
    await waitForOk(`http://127.0.0.1:${barePort}/`, bare, 30_000);
    console.log(`   load: bare node:http, ${connections} connections, ${seconds} s`);
    const check = await compare(`http://127.0.0.1:${barePort}`, base, pathsFile, 'check', {
      bare: bare.pid,
      served: server.pid,
    });
    const range = await measureRange(target, base, present, work, server.pid);
    console.log(`   reports: ${reportCount} with two JPEG images each, 8 clients`);
    const reports = await measureReports(base, `http://127.0.0.1:${barePort}`, reportCount);
    console.log(
      '   partners, on a server of their own: keyed check against anonymous (its limit on), ' +
        'bulk (1000 per call) against single',
    );
    const partners = await measurePartnerApi({
      name: target.name,
      env: target.env,
      cpu: serverCpu,
      paths,
      pathsFile,
      work,
      rounds,
      load,
    });
    console.log(
      '   webhooks: a report verified to its event received on loopback; 1000 events to ten endpoints, one dead',
    );
    const webhooks = await measureWebhooks({ base, env: target.env });
    const statistics = await measureStatistics({ name: target.name, env: target.env, base });
    console.log(statisticsLine(statistics));
    console.log('   check counting: CHECK_COUNTING on against off, two servers taking turns');
    const counting = await measureCheckCounting({
      name: target.name,
      env: target.env,
      pathsFile,
      rounds,
      cpu: serverCpu,
      load,
    });
    console.log(checkCountingLine(counting));
    return {
      reports,
      partners,
      webhooks,
      statistics,
      name: target.name,
      importMs: imported.ms,
      importLine: imported.line,
      ...answers,
      bare: check.bare,
      check: check.served,
      ratio: check.ratio,
      cpuRatio: check.cpuRatio,
      range,
    };
  } finally {
    await stop(bare);
    await stop(server);
  }
}

/** Bare and served take turns, `rounds` times, over the same paths. */
/** The two processes compared, whose CPU per request is measured beside req/s. */
interface ComparedPids {
  readonly bare: number | undefined;
  readonly served: number | undefined;
}

async function compare(
  bareUrl: string,
  servedUrl: string,
  pathsFile: string,
  name: string,
  pids: ComparedPids,
): Promise<Compared> {
  const pairs = await inTurns(
    rounds,
    () => withCpuOf(pids.bare, () => load(bareUrl, pathsFile)),
    () => withCpuOf(pids.served, () => load(servedUrl, pathsFile)),
  );
  const bareRounds = pairs.map((p) => p.a.result);
  const servedRounds = pairs.map((p) => p.b.result);
  const cpu = pairs.flatMap(({ a, b }) =>
    a.cpuMicros !== undefined && b.cpuMicros !== undefined
      ? [{ bare: a.cpuMicros, served: b.cpuMicros }]
      : [],
  );
  const ratios = servedRounds.map((c, i) => c.requestsPerSecond / bareRounds[i]!.requestsPerSecond);
  console.log(
    `   rounds: ${servedRounds.map((c, i) => `${Math.round(c.requestsPerSecond)}/${Math.round(bareRounds[i]!.requestsPerSecond)}`).join(', ')} (${name}/bare req/s)`,
  );
  if (cpu.length > 0) {
    console.log(
      `   CPU per request: ${cpu.map((c) => `${c.served.toFixed(1)}/${c.bare.toFixed(1)}`).join(', ')} µs (${name}/bare)`,
    );
  }
  return {
    bare: combine(bareRounds),
    served: combine(servedRounds),
    ratio: median(ratios),
    cpuRatio: cpu.length > 0 ? median(cpu.map((c) => c.bare / c.served)) : undefined,
  };
}

/** Asks for every path once, a few at a time, so that the kept answers are in place. */
async function primeRanges(base: string, paths: readonly string[]): Promise<void> {
  const parallel = 8;
  for (let i = 0; i < paths.length; i += parallel) {
    await Promise.all(
      paths.slice(i, i + parallel).map(async (path) => {
        await (await fetch(base + path)).arrayBuffer();
      }),
    );
  }
}

/** The range lookup against bare node:http answering a text body of the same mean size. */
async function measureRange(
  target: Target,
  base: string,
  present: readonly AccountSample[],
  work: string,
  serverPid: number | undefined,
): Promise<Measured['range']> {
  const paths = rangePaths(present);
  const pathsFile = join(work, `range-paths-${target.name}.json`);
  writeFileSync(pathsFile, JSON.stringify(paths));
  const answers = await sampleRangeAnswers(base, paths);
  console.log(
    `   range: ${paths.length} prefixes, ${(answers.listedShare * 100).toFixed(0)}% of sampled ` +
      `answers name a listed account; mean body ${answers.bodyBytes} bytes`,
  );
  const barePort = await freePort();
  const bare = startNode(
    ['bin/run-ts.js', 'bench/bare-server.ts'],
    { PORT: String(barePort), BODY_BYTES: String(answers.bodyBytes), BODY_TYPE: 'text' },
    { cpu: serverCpu },
  );
  try {
    await waitForOk(`http://127.0.0.1:${barePort}/`, bare, 30_000);
    // The steady state is measured: every bucket rendered once, and the server quiet again.
    await primeRanges(base, paths);
    await untilQuiet(serverPid);
    return {
      ...(await compare(`http://127.0.0.1:${barePort}`, base, pathsFile, 'range', {
        bare: bare.pid,
        served: serverPid,
      })),
      ...answers,
    };
  } finally {
    await stop(bare);
  }
}

function percentOrNa(ratio: number | undefined): string {
  return ratio === undefined ? 'n/a' : `${(ratio * 100).toFixed(0)}%`;
}

function table(results: readonly Measured[]): string {
  const head = [
    'database',
    'import',
    'rows/s',
    'bare req/s',
    'bare p99',
    'check req/s',
    'check p99',
    'check/bare',
    'by CPU',
    'range req/s',
    'range p99',
    'range/bare',
    'by CPU',
    'non-2xx b/c',
    'errors b/c',
    'range non-2xx/errors',
  ];
  const body = results.map((r) => [
    r.name,
    `${(r.importMs / 1000).toFixed(1)} s`,
    Math.round(rows / (r.importMs / 1000)).toLocaleString('en'),
    Math.round(r.bare.requestsPerSecond).toLocaleString('en'),
    `${r.bare.p99} ms`,
    Math.round(r.check.requestsPerSecond).toLocaleString('en'),
    `${r.check.p99} ms`,
    `${(r.ratio * 100).toFixed(0)}%`,
    percentOrNa(r.cpuRatio),
    Math.round(r.range.served.requestsPerSecond).toLocaleString('en'),
    `${r.range.served.p99} ms`,
    `${(r.range.ratio * 100).toFixed(0)}%`,
    percentOrNa(r.range.cpuRatio),
    `${r.bare.non2xx}/${r.check.non2xx}`,
    `${r.bare.errors + r.bare.timeouts}/${r.check.errors + r.check.timeouts}`,
    `${r.range.served.non2xx}/${r.range.served.errors + r.range.served.timeouts}`,
  ]);
  return textTable(head, body);
}

function reportsTable(results: readonly Measured[]): string {
  const head = ['database', 'reports/s', 'bare uploads/s', 'reports/bare', 'accepted', 'failed'];
  const body = results.map((r) => [
    r.name,
    r.reports.reportsPerSecond.toFixed(1),
    r.reports.bareRequestsPerSecond.toFixed(1),
    `${((r.reports.reportsPerSecond / r.reports.bareRequestsPerSecond) * 100).toFixed(1)}%`,
    String(r.reports.accepted),
    String(r.reports.failed),
  ]);
  return textTable(head, body);
}

function webhooksTable(results: readonly Measured[]): string {
  const head = [
    'database',
    'verified→received p50',
    'p90',
    'fan-out s',
    'deliveries/s',
    'each of nine got',
    'duplicates',
    'complete',
    'stats 12-month GET p50',
  ];
  const body = results.map((r) => [
    r.name,
    `${r.webhooks.latency.medianMs.toFixed(0)} ms`,
    `${r.webhooks.latency.p90Ms.toFixed(0)} ms`,
    r.webhooks.fanOut.seconds.toFixed(1),
    r.webhooks.fanOut.deliveriesPerSecond.toFixed(0),
    `${Math.min(...r.webhooks.fanOut.received)}/${r.webhooks.fanOut.events}`,
    String(r.webhooks.fanOut.duplicates),
    r.webhooks.fanOut.complete ? 'yes' : 'NO',
    `${r.statistics.requestMs.toFixed(1)} ms`,
  ]);
  return textTable(head, body);
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'cekrek-bench-'));
  const targets: Target[] = [];
  const began = performance.now();
  try {
    const csv = join(work, 'reports.csv');
    const generated = await generateImportCsv(csv, rows);
    console.log(
      cpuPinning
        ? 'servers on CPU 0, load generator on CPU 1 (taskset)'
        : 'one CPU or no taskset: processes are not pinned',
    );
    console.log(`generated ${rows} rows (${generated.accounts} distinct accounts) in ${csv}`);
    const results: Measured[] = [];
    targets.push(sqliteTarget(work));
    const postgres = await postgresTarget(work);
    if (postgres) targets.push(postgres);
    for (const target of targets) results.push(await measure(target, csv, generated.present, work));
    const importSpeed = await measureImportSpeed(work, importSpeedRows);
    console.log(`\n${table(results)}`);
    console.log(`\n${reportsTable(results)}`);
    console.log(`\n${partnersTable(results)}`);
    console.log(`\n${webhooksTable(results)}`);
    console.log(`\n${importSpeedTable(importSpeed)}`);
    console.log(
      `\ngoal: check and range >= 70% of bare throughput, check p99 < 10 ms; ` +
        `keyed check >= 0.9x anonymous (each with its limits); bulk accounts/s >= 5x single checks/s; ` +
        `import of 1,000,000 rows < 60 s, and >= 50% of the bare loop (SQLite) and of COPY ` +
        `(PostgreSQL); a verified report's webhook received < 1 s, the nine live ` +
        `endpoints each get all 1000 events once; statistics request < 50 ms. Bench took ${((performance.now() - began) / 1000).toFixed(0)} s.`,
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
