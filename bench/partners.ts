// The partners' API under load, on a server of its own: the single check with
// a key against the same check without one, in alternating rounds (the key's
// lookup and its limits are answered from memory and must cost next to
// nothing), and the accounts per second the bulk check gets through in
// 1000-account calls against single checks per second.
//
// The anonymous check runs as it is served, with its per-client limit on (a
// limit the load never reaches): both checks then do their limiter's work and
// carry RateLimit headers, and what the comparison shows is what the key
// adds (its lookup, its daily allowance, its usage count).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runNode, stop, untilQuiet, waitForOk } from './children.ts';
import { startServer, textTable } from './common.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { combine, inTurns, median, withCpuOf } from './rounds.ts';

export interface PartnerApiResult {
  readonly anonymous: LoadResult;
  readonly keyed: LoadResult;
  /** Median over the rounds of keyed req/s ÷ anonymous req/s. */
  readonly keyedRatio: number;
  /**
   * Median over the rounds of the server's CPU per anonymous check ÷ its CPU
   * per keyed check: the keyed check's share of the server's capacity, which
   * req/s shows only while the load generator keeps the server busy.
   */
  readonly keyedCpuRatio: number | undefined;
  /** Microseconds of server CPU per check (medians over the rounds). */
  readonly anonymousCpuMicros: number | undefined;
  readonly keyedCpuMicros: number | undefined;
  readonly bulk: LoadResult;
  readonly bulkAccountsPerSecond: number;
  /** Median over alternating pairs of bulk accounts/s ÷ anonymous single checks/s. */
  readonly bulkRatio: number;
}

export interface PartnerApiRun {
  readonly name: string;
  readonly env: Record<string, string>;
  /** The CPU the server runs on. */
  readonly cpu: number;
  /** The single check's paths (`/api/v1/accounts/{provider}/{number}`). */
  readonly paths: readonly string[];
  readonly pathsFile: string;
  readonly work: string;
  readonly rounds: number;
  readonly load: (
    url: string,
    pathsFile: string,
    extra?: Partial<LoadOptions>,
  ) => Promise<LoadResult>;
}

const accountsPerCall = 1000;
/** A client's checks per minute far above what the load sends: the limiter works, never refuses. */
const unreachedLimit = '1000000000';
/**
 * The keyed and anonymous checks differ by a few microseconds in forty, and
 * a burst of other work on a shared machine lasts seconds: the comparison
 * takes many short rounds, each pair in alternating order (anonymous first,
 * then keyed first), so that a burst spoils a pair or two and the median
 * of the pairs stands.
 */
const keyedRounds = 12;
const keyedRoundSeconds = 2;
/**
 * A bulk call is a thousand checks' work, and its 50 KB body takes the load
 * generator a while to send: sixteen connections keep the server busy.
 */
const bulkConnections = 16;
/** Bulk and single checks take turns too: a burst of other work spoils a pair, not the figure. */
const bulkPairs = 6;

async function cli(args: string[], env: Record<string, string>): Promise<string> {
  const run = await runNode(['bin/cekrek.js', ...args], env);
  if (run.code !== 0) throw new Error(`cekrek ${args.join(' ')} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

/** A partner with limits the load never reaches, and a key of scope `check`. */
async function issueBenchKey(run: PartnerApiRun): Promise<string> {
  const created = await cli(
    [
      'partner',
      'create',
      '--name',
      'Bench',
      '--kind',
      'bank',
      '--email',
      'bench@bench.test',
    ].concat(['--per-minute', '1000000', '--per-day', '1000000000']),
    run.env,
  );
  const id = /created partner (\d+)/.exec(created)?.[1];
  if (!id) throw new Error(`no partner id in: ${created}`);
  const issued = await cli(
    ['partner', 'key', 'create', '--partner', id, '--scope', 'check'],
    run.env,
  );
  const key = /ckr_live_\w+/.exec(issued)?.[0];
  if (!key) throw new Error('no key printed');
  return key;
}

/** Waits until the server has heard of the key (its key feed reloads on the change). */
async function untilKnown(base: string, key: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/api/v1/partner`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (response.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the server never accepted the bench key');
}

/** One 1000-account body from the single check's paths (the same mix of present and absent). */
function bulkBody(paths: readonly string[]): string {
  const accounts = paths.slice(0, accountsPerCall).map((path) => {
    const [provider, number] = path.split('/').slice(-2);
    return { provider, number };
  });
  return JSON.stringify({ accounts });
}

export async function measurePartnerApi(run: PartnerApiRun): Promise<PartnerApiResult> {
  const key = await issueBenchKey(run);
  const { child, base } = await startServer(
    { ...run.env, CHECK_RATE_LIMIT: unreachedLimit },
    run.cpu,
  );
  try {
    await waitForOk(`${base}/readyz`, child, 180_000);
    await untilKnown(base, key);
    return await measureOn(run, base, child.pid, key);
  } finally {
    await stop(child);
  }
}

async function measureOn(
  run: PartnerApiRun,
  base: string,
  serverPid: number | undefined,
  key: string,
): Promise<PartnerApiResult> {
  const headers = { authorization: `Bearer ${key}` };
  const measured = (extra?: Partial<LoadOptions>) =>
    withCpuOf(serverPid, () => run.load(base, run.pathsFile, extra));
  await untilQuiet(serverPid);
  const short = { seconds: keyedRoundSeconds };
  const keyedPairs = await inTurns(
    keyedRounds,
    () => measured(short),
    () => measured({ ...short, headers }),
  );
  const anonymousRounds = keyedPairs.map((p) => p.a.result);
  const keyedRoundResults = keyedPairs.map((p) => p.b.result);
  const cpuPairs = keyedPairs.flatMap(({ a, b }) =>
    a.cpuMicros !== undefined && b.cpuMicros !== undefined
      ? [{ anonymous: a.cpuMicros, keyed: b.cpuMicros }]
      : [],
  );
  const anonymousCpu = cpuPairs.map((c) => c.anonymous);
  const keyedCpu = cpuPairs.map((c) => c.keyed);
  const ratios = keyedRoundResults.map(
    (k, i) => k.requestsPerSecond / anonymousRounds[i]!.requestsPerSecond,
  );
  const cpuRatios = keyedCpu.map((k, i) => anonymousCpu[i]! / k);
  console.log(
    `   keyed rounds: ${keyedRoundResults.map((k, i) => `${Math.round(k.requestsPerSecond)}/${Math.round(anonymousRounds[i]!.requestsPerSecond)}`).join(', ')} (keyed/anonymous req/s)`,
  );
  if (cpuRatios.length > 0) {
    console.log(
      `   server CPU per check: ${keyedCpu.map((k, i) => `${k.toFixed(1)}/${anonymousCpu[i]!.toFixed(1)}`).join(', ')} µs (keyed/anonymous)`,
    );
  }
  const bulkFile = join(run.work, `bulk-paths-${run.name}.json`);
  writeFileSync(bulkFile, JSON.stringify(['/api/v1/checks']));
  const bulkLoad = { ...short, headers, body: bulkBody(run.paths), connections: bulkConnections };
  const bulkPairsTaken = await inTurns(
    bulkPairs,
    () => run.load(base, run.pathsFile, short),
    () => run.load(base, bulkFile, bulkLoad),
  );
  const singleRounds = bulkPairsTaken.map((p) => p.a);
  const bulkRounds = bulkPairsTaken.map((p) => p.b);
  const bulkRatios = bulkRounds.map(
    (b, i) => (b.requestsPerSecond * accountsPerCall) / singleRounds[i]!.requestsPerSecond,
  );
  console.log(
    `   bulk rounds: ${bulkRounds.map((b, i) => `${Math.round(b.requestsPerSecond * accountsPerCall)}/${Math.round(singleRounds[i]!.requestsPerSecond)}`).join(', ')} (bulk accounts/s / single checks/s)`,
  );
  const anonymous = combine(anonymousRounds);
  const bulk = combine(bulkRounds);
  const bulkAccountsPerSecond = bulk.requestsPerSecond * accountsPerCall;
  return {
    anonymous,
    keyed: combine(keyedRoundResults),
    keyedRatio: median(ratios),
    keyedCpuRatio: cpuRatios.length > 0 ? median(cpuRatios) : undefined,
    anonymousCpuMicros: anonymousCpu.length > 0 ? median(anonymousCpu) : undefined,
    keyedCpuMicros: keyedCpu.length > 0 ? median(keyedCpu) : undefined,
    bulk,
    bulkAccountsPerSecond,
    bulkRatio: median(bulkRatios),
  };
}

export function partnersTable(
  results: readonly { readonly name: string; readonly partners: PartnerApiResult }[],
): string {
  const head = [
    'database',
    'anonymous req/s',
    'keyed req/s',
    'keyed/anonymous',
    'server µs/check keyed/anon',
    'by server CPU',
    'keyed non-2xx',
    'bulk calls/s',
    'bulk accounts/s',
    'bulk/single',
    'bulk p50 ms',
    'bulk non-2xx',
  ];
  const body = results.map(({ name, partners: p }) => [
    name,
    Math.round(p.anonymous.requestsPerSecond).toLocaleString('en'),
    Math.round(p.keyed.requestsPerSecond).toLocaleString('en'),
    `${p.keyedRatio.toFixed(2)}x`,
    p.keyedCpuMicros === undefined
      ? 'n/a'
      : `${p.keyedCpuMicros.toFixed(1)}/${p.anonymousCpuMicros!.toFixed(1)}`,
    p.keyedCpuRatio === undefined ? 'n/a' : `${p.keyedCpuRatio.toFixed(2)}x`,
    String(p.keyed.non2xx),
    p.bulk.requestsPerSecond.toFixed(1),
    Math.round(p.bulkAccountsPerSecond).toLocaleString('en'),
    `${p.bulkRatio.toFixed(1)}x`,
    String(p.bulk.p50),
    String(p.bulk.non2xx),
  ]);
  return textTable(head, body);
}
