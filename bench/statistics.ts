// The statistics figure of `npm run bench`: on a database of about a million
// reports, the time of a full rebuild of the monthly aggregates (one
// set-based GROUP BY per table and month, over the time indexes), of an
// incremental one (what changed since the last run), and of a 12-month
// GET /api/v1/statistics (median of 50 requests, after a first, cold one).
// Goal: under 50 ms per request (printed, not asserted).
//
// measureStatistics({ env, base }) works on the database `env` names
// (DATA_DIR, or DATABASE_URL with CEKREK_SECRET_KEY) and the server running
// at `base`; it seeds reports first when `seedRows` asks for them. Standalone,
// it seeds a fresh embedded database (or DATABASE_URL's) and serves it itself:
//
//   node bin/run-ts.js bench/statistics.ts            (BENCH_ROWS, default 1000000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.ts';
import type { Database } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { createRuntime, openConfiguredDatabase } from '../src/main.ts';
import { systemClock } from '../src/shared/clock.ts';
import { categoryCodes } from '../src/shared/categories.ts';
import { StatisticsService } from '../src/statistics/statistics.service.ts';

export interface StatisticsBenchResult {
  readonly name: string;
  readonly reports: number;
  readonly months: number;
  readonly fullRebuildMs: number;
  readonly incrementalRebuildMs: number;
  readonly coldRequestMs: number;
  /** Median of the requests after the first. */
  readonly requestMs: number;
  readonly requestP95Ms: number;
}

export interface StatisticsBenchOptions {
  readonly name?: string;
  readonly env: Record<string, string>;
  /** A server on the same database; without one, one is started in this process. */
  readonly base?: string;
  /** Reports to add first, spread over the last 36 months (0: use what is there). */
  readonly seedRows?: number;
  readonly requests?: number;
}

const seedMonths = 36;
const reportsPerAccount = 5;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Adds `rows` reports (statuses, categories, amounts and times spread over
 * the last 36 months) on rows ÷ 5 new accounts, set-based, in one statement each.
 */
export async function seedStatisticsReports(database: Database, rows: number): Promise<void> {
  const accounts = Math.max(1, Math.ceil(rows / reportsPerAccount));
  const spanSeconds = seedMonths * 30 * 86_400;
  const end = Math.floor(Date.now() / 1000) - 3600;
  const start = end - spanSeconds;
  const categories = categoryCodes.map((c) => `'${c}'`).join(',');
  const db = database.db;
  const first = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.max('id').as('max'))
    .executeTakeFirst();
  const offset = Number(first?.max ?? 0);
  const runId = Date.now().toString(36);
  if (database.dialect === 'sqlite') {
    await sql`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < ${accounts})
      insert into accounts (provider, number, key, key_hash, demo, created_at, updated_at, verified_count)
      select case when i % 4 = 0 then 'dana' else '014' end,
             printf('%010d', i), ${`bench-${runId}-`} || i, printf('%064d', i), 0,
             '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 1
      from n`.execute(db);
    await sql`
      with recursive n(i) as (select 0 union all select i + 1 from n where i < ${rows - 1}),
      t(i, at) as (
        select i, strftime('%Y-%m-%dT%H:%M:%fZ', ${start} + (i * ${spanSeconds}) / ${rows}, 'unixepoch')
        from n)
      insert into reports (account_id, status, category, source, reported_at, created_at,
                           updated_at, verified_at, decided_at, amount)
      select ${offset} + 1 + (i % ${accounts}),
             case i % 10 when 0 then 'rejected' when 1 then 'submitted' else 'verified' end,
             json_extract(json_array(${sql.raw(categories)}), '$[' || (i % 14) || ']'),
             'public', at, at, at,
             case when i % 10 >= 2 then at end,
             case when i % 10 <> 1 then at end,
             case when i % 3 = 0 then null else 50000 + (i * 7919) % 20000000 end
      from t`.execute(db);
    return;
  }
  await sql`
    insert into accounts (provider, number, key, key_hash, demo, created_at, updated_at, verified_count)
    select case when i % 4 = 0 then 'dana' else '014' end, lpad(i::text, 10, '0'),
           ${`bench-${runId}-`} || i, lpad(i::text, 64, '0'), false, now(), now(), 1
    from generate_series(1, ${accounts}) as i`.execute(db);
  await sql`
    insert into reports (account_id, status, category, source, reported_at, created_at,
                         updated_at, verified_at, decided_at, amount)
    select ${offset} + 1 + (i % ${accounts}),
           case i % 10 when 0 then 'rejected' when 1 then 'submitted' else 'verified' end,
           (array[${sql.raw(categories)}])[1 + i % 14],
           'public', at, at, at,
           case when i % 10 >= 2 then at end,
           case when i % 10 <> 1 then at end,
           case when i % 3 = 0 then null else 50000 + (i::bigint * 7919) % 20000000 end
    from (select i, to_timestamp(${start} + (i::bigint * ${spanSeconds}) / ${rows}) as at
          from generate_series(0, ${rows - 1}) as i) as t`.execute(db);
  await sql`analyze reports`.execute(db);
}

async function countReports(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function timeRequests(base: string, count: number) {
  const url = `${base}/api/v1/statistics`;
  const once = async () => {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200)
      throw new Error(`GET /api/v1/statistics answered ${response.status}`);
    return performance.now() - started;
  };
  const cold = await once();
  // A server just started is still warming its caches: a few requests first, not counted.
  for (let i = 0; i < 10; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await once());
  return { cold, median: median(times), p95: percentile(times, 0.95) };
}

export async function measureStatistics(
  options: StatisticsBenchOptions,
): Promise<StatisticsBenchResult> {
  const config = loadConfig({ CEKREK_DEMO: 'off', LOG_LEVEL: 'warn', ...options.env });
  const database = openConfiguredDatabase(config);
  try {
    await migrateToLatest(database.db);
    if ((options.seedRows ?? 0) > 0) await seedStatisticsReports(database, options.seedRows!);
    const reports = await countReports(database);
    const statistics = new StatisticsService({ database, clock: systemClock });
    const full = await statistics.rebuild({ full: true });
    const incremental = await statistics.rebuild();
    let base = options.base;
    let close: (() => Promise<void>) | undefined;
    if (!base) {
      const runtime = await createRuntime(config, { prepare: false });
      await runtime.app.listen({ port: 0, host: '127.0.0.1' });
      // Let the rebuild queued at start run before the requests are timed.
      await statistics.rebuild();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      const address = runtime.app.server.address();
      if (!address || typeof address === 'string') throw new Error('no TCP port');
      base = `http://127.0.0.1:${address.port}`;
      close = () => runtime.close();
    }
    try {
      const timed = await timeRequests(base, options.requests ?? 50);
      return {
        name: options.name ?? database.dialect,
        reports,
        months: full.months,
        fullRebuildMs: full.ms,
        incrementalRebuildMs: incremental.ms,
        coldRequestMs: timed.cold,
        requestMs: timed.median,
        requestP95Ms: timed.p95,
      };
    } finally {
      await close?.();
    }
  } finally {
    await database.close();
  }
}

export function statisticsLine(r: StatisticsBenchResult): string {
  const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;
  return (
    `   statistics (${r.name}, ${r.reports} reports, ${r.months} months): full rebuild ` +
    `${ms(r.fullRebuildMs)}, incremental ${ms(r.incrementalRebuildMs)}; 12-month ` +
    `GET /api/v1/statistics median ${ms(r.requestMs)} (p95 ${ms(r.requestP95Ms)}, first ` +
    `${ms(r.coldRequestMs)}; goal < 50 ms)`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
  const work = mkdtempSync(join(tmpdir(), 'cekrek-bench-stats-'));
  const env: Record<string, string> = { DATA_DIR: join(work, 'data') };
  if (process.env.DATABASE_URL) {
    env.DATABASE_URL = process.env.DATABASE_URL;
    env.CEKREK_SECRET_KEY =
      process.env.CEKREK_SECRET_KEY ?? 'bench-secret-key-0000000000000000000000';
  }
  try {
    const result = await measureStatistics({ env, seedRows: rows });
    console.log(statisticsLine(result));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
