// The check with counting on against off (CHECK_COUNTING), for `npm run
// bench`: two servers on the same database, one counting and one not, take
// turns under the same load (the ratio is the median of the rounds' ratios;
// goal: counting within 5 %), and in this process the server's own time per
// check (the check service answering and serializing) with and without the
// counter, on accounts nobody reported and clients that change.
//
// Standalone, the in-process figure alone:
//
//   node bin/run-ts.js bench/check-counting.ts        (BENCH_CHECKS, default 2000000)
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeCheck } from '../src/accounts/check.schema.ts';
import { CheckService, type CheckSource } from '../src/accounts/check.service.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { toAccountRef, type AccountRef } from '../src/shared/account-number.ts';
import { systemClock } from '../src/shared/clock.ts';
import { CheckCounts } from '../src/statistics/check-counts.ts';
import { stop, waitForOk } from './children.ts';
import { startServer } from './common.ts';
import type { LoadOptions, LoadResult } from './load.ts';
import { combine, median } from './rounds.ts';

export interface CheckCountingRun {
  readonly name: string;
  readonly env: Record<string, string>;
  readonly pathsFile: string;
  readonly rounds: number;
  readonly cpu: number;
  readonly load: (
    url: string,
    pathsFile: string,
    extra?: Partial<LoadOptions>,
  ) => Promise<LoadResult>;
}

export interface CheckCountingResult {
  readonly name: string;
  readonly on: LoadResult;
  readonly off: LoadResult;
  /** Median over the rounds of on req/s ÷ off req/s. */
  readonly ratio: number;
  readonly inProcess: InProcessCost;
}

export interface InProcessCost {
  readonly checks: number;
  readonly onNs: number;
  readonly offNs: number;
}

/** Nobody reported anything: every check is answered from memory, as most are. */
const emptySource: CheckSource = {
  lookup: () => undefined,
  lookupMany: () => Promise.resolve(new Map()),
  listedKeys: async function* () {},
  countListed: () => Promise.resolve(0),
};

/** Nanoseconds per check (answer and body) of the check service, counting or not. */
export async function measureInProcess(checks = 2_000_000): Promise<InProcessCost> {
  const database = openDatabase({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(database.db);
  const accounts: AccountRef[] = Array.from({ length: 10_000 }, (_, i) =>
    toAccountRef('014', String(1_000_000_000 + i * 7919)),
  );
  const clients = Array.from({ length: 4096 }, (_, i) => `10.${i >> 8}.${i & 255}.${i % 7}`);
  const time = async (counting: boolean): Promise<number> => {
    const service = new CheckService(emptySource, { serialize: serializeCheck });
    await service.warm();
    const counts = new CheckCounts({
      database,
      clock: systemClock,
      enabled: counting,
      flushMs: 3_600_000,
    });
    service.countWith(counts);
    let bytes = 0;
    const run = (n: number) => {
      for (let i = 0; i < n; i++) {
        const account = accounts[i % accounts.length]!;
        service.count(account, clients[(i * 31) & 4095]!);
        const answer = service.check(account);
        if (!(answer instanceof Promise)) bytes += answer.json.length;
      }
    };
    run(Math.min(checks, 100_000));
    const started = process.hrtime.bigint();
    run(checks);
    const ns = Number(process.hrtime.bigint() - started) / checks;
    await counts.close();
    return bytes > 0 ? ns : Number.NaN;
  };
  // Alternated, twice each, the better of each kept: a burst of other work hits both.
  const off = [await time(false)];
  const on = [await time(true)];
  off.push(await time(false));
  on.push(await time(true));
  await database.close();
  return { checks, onNs: Math.min(...on), offNs: Math.min(...off) };
}

/** A server of the bench's database with CHECK_COUNTING as given. */
async function startCounting(run: CheckCountingRun, counting: 'on' | 'off') {
  const { child, base } = await startServer({ ...run.env, CHECK_COUNTING: counting }, run.cpu);
  await waitForOk(`${base}/readyz`, child, 180_000);
  return { base, child };
}

export async function measureCheckCounting(run: CheckCountingRun): Promise<CheckCountingResult> {
  const inProcess = await measureInProcess();
  const on = await startCounting(run, 'on');
  const off = await startCounting(run, 'off').catch(async (error: unknown) => {
    await stop(on.child);
    throw error;
  });
  try {
    const onRounds: LoadResult[] = [];
    const offRounds: LoadResult[] = [];
    for (let round = 0; round < run.rounds; round++) {
      offRounds.push(await run.load(off.base, run.pathsFile));
      onRounds.push(await run.load(on.base, run.pathsFile));
    }
    const ratios = onRounds.map((r, i) => r.requestsPerSecond / offRounds[i]!.requestsPerSecond);
    return {
      name: run.name,
      on: combine(onRounds),
      off: combine(offRounds),
      ratio: median(ratios),
      inProcess,
    };
  } finally {
    await stop(off.child);
    await stop(on.child);
  }
}

export function inProcessLine(cost: InProcessCost): string {
  const extra = cost.onNs - cost.offNs;
  return (
    `   check counting in process: ${cost.offNs.toFixed(0)} ns a check without, ` +
    `${cost.onNs.toFixed(0)} ns with (${extra >= 0 ? '+' : ''}${extra.toFixed(0)} ns)`
  );
}

export function checkCountingLine(result: CheckCountingResult): string {
  const ok = result.ratio >= 0.95 ? 'ok' : 'BELOW GOAL';
  return (
    `   check counting (${result.name}): on ${Math.round(result.on.requestsPerSecond)} req/s, ` +
    `off ${Math.round(result.off.requestsPerSecond)} req/s, ratio ${result.ratio.toFixed(3)} ` +
    `(goal ≥ 0.95: ${ok}); p99 on ${result.on.p99} ms, off ${result.off.p99} ms\n` +
    inProcessLine(result.inProcess)
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cost = await measureInProcess(Number(process.env.BENCH_CHECKS ?? 2_000_000));
  console.log(inProcessLine(cost));
}
